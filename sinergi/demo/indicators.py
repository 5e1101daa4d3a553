"""Village indicators for every year: the IDM family (IDM, IKS and its dimensions, IKE, IKL), human
capacity, active institutions, and the long table of values with missing and suppressed flags."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from sinergi import catalog
from sinergi.demo.common import TAHUN, kelompok, pantul, pembangkit, sigmoid, z
from sinergi.demo.region_table import Wilayah

# Shares of IDM status classes among desa per year (Sangat Tertinggal, Tertinggal, Berkembang, Maju,
# Mandiri), roughly following the national IDM results 2019-2024.
_SEBARAN_STATUS: dict[int, tuple[float, ...]] = {
    2019: (0.100, 0.300, 0.510, 0.080, 0.010),
    2020: (0.090, 0.250, 0.520, 0.120, 0.020),
    2021: (0.075, 0.170, 0.510, 0.205, 0.040),
    2022: (0.066, 0.130, 0.450, 0.270, 0.084),
    2023: (0.065, 0.095, 0.380, 0.310, 0.150),
    2024: (0.060, 0.080, 0.330, 0.310, 0.220),
}

# Indicators that only exist for desa (IDM covers desa, not kelurahan).
KELUARGA_IDM: tuple[str, ...] = (
    "idm", "status_idm", "ike", "ikl", "iks", "iks_kesehatan", "iks_pendidikan", "iks_modal_sosial",
    "iks_permukiman",
)
_DIMENSI_IKS = ("iks_kesehatan", "iks_pendidikan", "iks_modal_sosial", "iks_permukiman")
_SURVEI = ("pendidikan_sma_pct", "nakes_per_1000", "pelatihan_pct", "penyuluh_sosial")


def _medan(rng: np.random.Generator, w: Wilayah, n_gauss: int = 7) -> np.ndarray:
    """A smooth random field over lon/lat per province (Gaussian bumps + a long wave), mean 0, SD 1."""
    out = np.zeros(len(w.lon))
    for p, idx in enumerate(kelompok(w.desa_prov, len(w.prov_kode))):
        x, y = w.lon[idx], w.lat[idx]
        cx, cy = rng.uniform(x.min(), x.max(), n_gauss), rng.uniform(y.min(), y.max(), n_gauss)
        s, a = rng.uniform(0.15, 0.5, n_gauss), rng.normal(0, 1, n_gauss)
        d2 = (x[:, None] - cx) ** 2 + (y[:, None] - cy) ** 2
        f = (a * np.exp(-d2 / (2 * s ** 2))).sum(axis=1)
        sudut, gelombang, fase = rng.uniform(0, np.pi), rng.uniform(1.0, 2.5), rng.uniform(0, 2 * np.pi)
        f += 0.4 * np.sin(2 * np.pi * (x * np.cos(sudut) + y * np.sin(sudut)) / gelombang + fase)
        out[idx] = f
    return z(out)


def _kuantil_idm(u: np.ndarray, tahun: int) -> np.ndarray:
    """Map ranks u in (0, 1) to IDM scores so the status shares match ``_SEBARAN_STATUS[tahun]``."""
    t = tahun - TAHUN[0]
    kum = np.cumsum(_SEBARAN_STATUS[tahun])[:-1]
    titik_u = np.r_[0.0, kum, 1.0]
    titik_v = np.r_[0.36 + 0.005 * t, catalog.IDM_BATAS, 0.86 + 0.014 * t]
    return np.interp(u, titik_u, titik_v)


def _bagi_rata(rng: np.random.Generator, rata: np.ndarray, offset: tuple[float, ...], sebar: float,
               spasial: list[np.ndarray]) -> list[np.ndarray]:
    """Components whose mean is ``rata``: offsets and deviations sum to zero per village/year."""
    n, T = rata.shape
    dev = np.stack([o + 0.6 * sebar * s[:, None] + 0.5 * sebar * rng.normal(size=(n, 1))
                    + 0.35 * sebar * rng.normal(size=(n, T)) for o, s in zip(offset, spasial)])
    dev -= dev.mean(axis=0)
    return [np.round(np.clip(rata + d, 0.05, 1.0), 4) for d in dev]


def _status(idm: np.ndarray) -> np.ndarray:
    """Official IDM class 1..5 (upper bounds inclusive, as ``catalog.status_idm``)."""
    return np.searchsorted(np.asarray(catalog.IDM_BATAS), idm, side="left") + 1.0


def indeks_idm(w: Wilayah, seed: int) -> dict[str, np.ndarray]:
    """IDM family (villages × years) for every village; kelurahan rows are dropped from ``nilai`` later.

    A latent development score (smooth field + kabupaten/kecamatan effects + urbanity + noise, with
    a village trend and yearly noise) is ranked among desa each year and mapped to IDM scores with the
    year's status shares; IKS/IKE/IKL and the IKS dimensions are spread around it (zero-sum
    deviations), rounded to 4 decimals, and IKS and IDM recomputed as their means.
    """
    rng = pembangkit(seed, "idm")
    n, T = len(w.desa_kode), len(TAHUN)
    kab_efek = rng.normal(0, 1, len(w.kab_kode))[w.desa_kab]
    kec_efek = rng.normal(0, 1, len(w.kec_kode))[w.desa_kec]
    urban = np.exp(-w.d_kota_km / 20) + 0.5 * np.exp(-w.d_ibukota_km / 10)
    dasar = (0.6 * _medan(rng, w) + 0.35 * kab_efek + 0.2 * kec_efek + 0.5 * urban
             + 0.15 * np.exp(-w.d_pantai_km / 5) + 0.4 * rng.normal(size=n))
    lereng = rng.normal(0, 0.06, n)
    gangguan = np.zeros((n, T))
    for t in range(T):
        gangguan[:, t] = (0.5 * gangguan[:, t - 1] if t else 0) + rng.normal(0, 0.12, n)
    laten = dasar[:, None] + lereng[:, None] * np.arange(T) + gangguan

    target = np.empty((n, T))
    desa = ~w.desa_kelurahan
    for t, tahun in enumerate(TAHUN):
        urut = np.sort(laten[desa, t])
        u = (np.searchsorted(urut, laten[:, t]) + 0.5) / max(len(urut), 1)
        target[:, t] = _kuantil_idm(np.clip(u, 0.0005, 0.9995), tahun)

    iks0, ike, ikl = _bagi_rata(rng, target, (0.06, -0.08, 0.02), 0.05, [_medan(rng, w) for _ in range(3)])
    dims = _bagi_rata(rng, iks0, (0.05, -0.04, 0.06, -0.07), 0.06, [_medan(rng, w) for _ in range(4)])
    iks = np.round(np.mean(dims, axis=0), 4)
    idm = np.round((iks + ike + ikl) / 3, 4)
    out = {"idm": idm, "status_idm": _status(idm), "ike": ike, "ikl": ikl, "iks": iks}
    out.update(zip(_DIMENSI_IKS, dims))
    return out


def kapasitas(w: Wilayah, iks: np.ndarray, seed: int) -> dict[str, np.ndarray]:
    """Human-capacity indicators, correlated with IKS and urbanity (n × T)."""
    rng = pembangkit(seed, "kapasitas")
    n, T = iks.shape
    t = np.arange(T)[None, :]
    urban = np.exp(-w.d_kota_km / 15)[:, None]
    kel = w.desa_kelurahan[:, None]

    def acak(sd: float) -> np.ndarray:  # persistent village part + yearly part
        return sd * (0.8 * rng.normal(size=(n, 1)) + 0.6 * rng.normal(size=(n, T)))

    sma = 26 + 110 * (iks - 0.7) + 16 * urban + 6 * kel + 1.0 * t + 6 * _medan(rng, w)[:, None] + acak(9)
    nakes = np.exp(np.log(1.6) + 4.0 * (iks - 0.7) + 0.9 * urban + 0.25 * _medan(rng, w)[:, None]
                   + 0.04 * t + acak(0.35))
    latih = 100 * sigmoid(-2.2 + 6 * (iks - 0.7) + 0.4 * _medan(rng, w)[:, None] + 0.08 * t + acak(0.35))
    kebutuhan = z(-iks.mean(axis=1))[:, None]
    kab_efek = rng.normal(0, 0.4, len(w.kab_kode))[w.desa_kab][:, None]
    penyuluh = rng.poisson(np.exp(-1.2 + 0.35 * kebutuhan + kab_efek + 0.05 * t))
    return {
        "pendidikan_sma_pct": np.round(pantul(sma, 1.0, 97.0), 1),
        "nakes_per_1000": np.round(np.clip(nakes, 0.0, 50.0), 2),
        "pelatihan_pct": np.round(np.clip(latih, 0.0, 100.0), 1),
        "penyuluh_sosial": np.minimum(penyuluh, 3).astype(float),
    }


def _status_aktif(rng: np.random.Generator, p_awal: np.ndarray, p_naik: np.ndarray, p_turun: np.ndarray,
                  T: int) -> np.ndarray:
    """A 0/1 Markov chain per village over the years (bool n × T)."""
    s = np.empty((len(p_awal), T), bool)
    s[:, 0] = rng.random(len(p_awal)) < p_awal
    for t in range(1, T):
        u = rng.random(len(p_awal))
        s[:, t] = np.where(s[:, t - 1], u >= p_turun, u < p_naik)
    return s


def kelembagaan(w: Wilayah, idm: dict[str, np.ndarray], seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Active Karang Taruna and BUMDes per village and year (bool n × T); kelurahan have no BUMDes."""
    rng = pembangkit(seed, "kelembagaan")
    T = len(TAHUN)
    kab_efek = rng.normal(0, 0.5, len(w.kab_kode))[w.desa_kab]
    ms = z(idm["iks_modal_sosial"][:, 0])
    kt = _status_aktif(rng, sigmoid(0.4 + 0.9 * ms + kab_efek), sigmoid(-2.0 + 0.5 * ms + kab_efek),
                       sigmoid(-3.0 - 0.5 * ms), T)
    ke = z(idm["ike"][:, 0])
    bumdes = _status_aktif(rng, sigmoid(0.1 + 0.9 * ke + kab_efek), sigmoid(-1.6 + 0.4 * ke + kab_efek),
                           sigmoid(-3.3 - 0.4 * ke), T)
    bumdes &= ~w.desa_kelurahan[:, None]
    return kt, bumdes


# --------------------------------------------------------------------------------------------------
# Long table of values
# --------------------------------------------------------------------------------------------------

_TANPA, _HILANG, _DITAHAN = 0, 1, 2


def bendera_nilai(w: Wilayah, seed: int) -> dict[str, np.ndarray]:
    """Flag codes (n × T) for indicators that can be missing or suppressed (survey-type data)."""
    rng = pembangkit(seed, "bendera")
    n, T = len(w.desa_kode), len(TAHUN)
    tak_terdata = rng.random((n, T)) < 0.015  # village not surveyed that year
    out = {}
    for ind in _SURVEI:
        f = np.where(tak_terdata | (rng.random((n, T)) < 0.06), _HILANG, _TANPA)
        if ind in ("nakes_per_1000", "penyuluh_sosial"):  # too few cases to publish
            tahan = (w.penduduk < 1000)[:, None] & (rng.random((n, T)) < 0.1) & (f == _TANPA)
            f[tahan] = _DITAHAN
        out[ind] = f
    for ind in ("karang_taruna_aktif", "bumdes_aktif"):  # the latest year is always known
        f = np.where(rng.random((n, T)) < 0.03, _HILANG, _TANPA)
        f[:, -1] = _TANPA
        out[ind] = f
    return out


def bagian_nilai(desa_kode: np.ndarray, kelurahan: np.ndarray, nilai: dict[str, np.ndarray],
                 bendera: dict[str, np.ndarray]) -> Iterator[pd.DataFrame]:
    """The long table of values one indicator at a time (catalog order; within it by year, village code),
    so a national table of ~10 million rows never needs to exist at once. ``desa_kode`` and ``kelurahan``
    are the villages in code order, ``nilai`` and ``bendera`` (n × T) per indicator."""
    n, T = len(desa_kode), len(TAHUN)
    desa = np.flatnonzero(~kelurahan)
    semua = np.arange(n)
    kode = pd.array(desa_kode, dtype="str")
    bendera_teks = pd.array([None, "missing", "suppressed"], dtype="str")
    for ind in (i for i in catalog.ids() if i in nilai):
        baris = desa if ind in KELUARGA_IDM else semua
        v = nilai[ind][baris].T.ravel()  # year-major
        f = bendera.get(ind, np.zeros((n, T), np.int8))[baris].T.ravel()
        yield pd.DataFrame({
            "kode": kode.take(np.tile(baris, T)),
            "tahun": np.repeat(np.asarray(TAHUN, np.int16), len(baris)),
            "indikator": pd.array([ind], dtype="str").take(np.zeros(len(v), np.int64)),
            "nilai": np.where(f == _TANPA, v, np.nan).astype(float),
            "flag": bendera_teks.take(f.astype(np.int64)),
        })


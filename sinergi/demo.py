"""Deterministic generator of a fictional demo dataset for Sinergi Desa.

Everything here is made up: fictional provinces on islands in the open Indian Ocean (south of Java
for the demo, on a wider ocean grid for the national-scale benchmark), with Kemendagri-style dotted
codes that no real region uses, syllable-built Indonesian-sounding names, village indicators for
2019–2024 with spatial autocorrelation and plausible correlations, ministry programmes and a
social network of villages, local institutions and outside partners.

The output is a pure function of ``(size, seed)``: every random draw comes from a generator seeded
with the seed and a fixed key for its purpose (no global random state, no clock, no reliance on set
or hash order), so the same arguments give byte-identical frames and geometries.

Geometries are shapely 2 geometries in WGS84 longitude/latitude degrees (EPSG:4326). Areas are in
km² (equal-area projection, see ``sinergi.geo.area_km2``), distances used internally in km.

Geometry is built top-down for membership and bottom-up for shape: kabupaten seeds give Voronoi
cells clipped to the island (kota are small coastal blobs), kecamatan seeds give Voronoi cells
clipped to the kabupaten, and village seeds are drawn inside each kecamatan. The village polygons
are then the Voronoi cells of *all* village seeds of the province (one diagram, so neighbours share
exactly the same edges even across kecamatan and kabupaten lines), clipped to the coastline,
densified, bent by a smooth one-to-one displacement field (natural-looking boundaries) and rounded
to a 1e-6° grid, every step a function of the coordinates alone so the villages stay a valid
coverage. Kecamatan, kabupaten and province polygons are coverage unions of their villages, so
villages tile their kecamatan exactly and areas add up.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd
import shapely

from sinergi import catalog, geo

TAHUN: tuple[int, ...] = tuple(range(2019, 2025))

# Village codes: desa segment starts with 2 (2001…), kelurahan with 1 (1001…).
_AWAL_DESA, _AWAL_KELURAHAN = 2000, 1000
_KOTA_PERTAMA = 71  # kota codes 71..79 within a province

# Provinces: 2-digit codes that no real province uses (real: 11-19, 21, 31-36, 51-53, 61-65,
# 71-76, 81-82, 91-96).
_KODE_BEBAS: tuple[str, ...] = tuple(
    f"{k:02d}" for k in [*range(22, 31), *range(37, 51), *range(54, 61), *range(66, 71), *range(77, 81),
                         *range(83, 91), 97, 98, 99]
)

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


@dataclass(frozen=True)
class _Program:
    kementerian: str
    program: str
    dasar: float        # base logit
    kebutuhan: float    # logit per SD of need (low IKS); negative = favours capable villages
    tren: float         # logit per year since start
    mulai: int          # first year
    hanya_desa: bool    # desa only (e.g. Dana Desa)


PROGRAM: tuple[_Program, ...] = (
    _Program("Kemensos", "Desa Berketahanan Sosial", -3.4, 0.7, 0.05, 2019, False),
    _Program("Kemensos", "Program Keluarga Harapan", -0.9, 1.0, 0.0, 2019, False),
    _Program("Kemendesa PDTT", "Dana Desa – Padat Karya Tunai", -0.6, 0.4, 0.05, 2019, True),
    _Program("Kemendesa PDTT", "Pendampingan Desa", -0.9, 0.5, 0.0, 2019, True),
    _Program("BRIN", "Desa Inovasi", -3.6, -0.7, 0.15, 2021, False),
    _Program("Kemenkes", "Posyandu Prima", -3.6, 0.3, 0.5, 2022, False),
    _Program("Bappenas", "Desa Prioritas Nasional", -2.6, 0.9, 0.0, 2019, False),
    _Program("KemenPPPA", "Desa Ramah Perempuan dan Peduli Anak", -3.4, 0.2, 0.3, 2021, False),
    _Program("Pemerintah Daerah", "Bantuan Keuangan Provinsi", -2.3, 0.2, 0.05, 2019, False),
)

JENIS_LEMBAGA: tuple[str, ...] = catalog.JENIS_LEMBAGA
JENIS_MITRA: tuple[str, ...] = ("instansi_pemerintah", "perguruan_tinggi", "lsm", "swasta", "bumn")
_L = {j: i for i, j in enumerate(JENIS_LEMBAGA)}  # type index by name


@dataclass
class DemoData:
    """The generated dataset. Geometries are WGS84 lon/lat; ``nilai`` holds village rows only."""

    regions: pd.DataFrame
    nilai: pd.DataFrame
    program: pd.DataFrame
    simpul: pd.DataFrame
    ikatan: pd.DataFrame
    dataset: dict


@dataclass(frozen=True)
class _Ukuran:
    """Size preset. Ranges are inclusive (lo, hi)."""

    provinsi: tuple[str, ...]
    nama_provinsi: tuple[str, ...] | None      # None: generate names
    pusat: tuple[tuple[float, float], ...]    # island centres (lon, lat)
    jangkauan_deg: float                      # max distance of any coast point from the centre
    kab_per_prov: tuple[int, int] | None      # total kabupaten+kota per province, or
    kab_total: int | None                     # … a national total spread unevenly
    kota_per_prov: tuple[int, int] | None     # None: about 19 % of the province's kab/kota
    kec_per_kab: tuple[int, int]
    kec_per_kota: tuple[int, int]
    desa_per_kec: tuple[int, int]
    desa_per_kec_kota: tuple[int, int]
    luas_desa_km2: float                      # mean land area of a village in a kabupaten
    luas_kota_km2: float                      # … and in a kota
    mitra_per_prov: int


def _grid_nasional() -> tuple[tuple[float, float], ...]:
    # 9 x 5 slots, 4° apart, in the open Indian Ocean (clear of Cocos, Christmas Island and Australia).
    slots = [(78.0 + 4.0 * i, -16.0 - 4.0 * j) for j in range(5) for i in range(9)]
    return tuple(slots[:38])


UKURAN: dict[str, _Ukuran] = {
    # One province, ~300 villages: for fast tests.
    "kecil": _Ukuran(
        provinsi=("97",), nama_provinsi=("Nusa Rekaan Barat",), pusat=((104.5, -14.0),), jangkauan_deg=1.5,
        kab_per_prov=(4, 4), kab_total=None, kota_per_prov=(1, 1), kec_per_kab=(5, 7), kec_per_kota=(4, 5),
        desa_per_kec=(10, 20), desa_per_kec_kota=(8, 12), luas_desa_km2=20.0, luas_kota_km2=3.0,
        mitra_per_prov=25,
    ),
    # Three provinces south of Java, ~4,500 villages: the app's demo.
    "demo": _Ukuran(
        provinsi=("97", "98", "99"), nama_provinsi=("Nusa Rekaan Barat", "Nusa Rekaan Tengah", "Nusa Rekaan Timur"),
        pusat=((104.5, -14.0), (109.5, -14.3), (114.5, -13.8)), jangkauan_deg=2.3,
        kab_per_prov=(7, 8), kab_total=None, kota_per_prov=(1, 2), kec_per_kab=(10, 12), kec_per_kota=(4, 7),
        desa_per_kec=(18, 25), desa_per_kec_kota=(8, 14), luas_desa_km2=20.0, luas_kota_km2=3.0,
        mitra_per_prov=60,
    ),
    # National scale for benchmarks: 38 provinces, 514 kab/kota, ~7,300 kecamatan, ~84,000 villages.
    "nasional": _Ukuran(
        provinsi=_KODE_BEBAS[:38], nama_provinsi=None, pusat=_grid_nasional(), jangkauan_deg=1.85,
        kab_per_prov=None, kab_total=514, kota_per_prov=None, kec_per_kab=(10, 22), kec_per_kota=(4, 8),
        desa_per_kec=(6, 18), desa_per_kec_kota=(6, 12), luas_desa_km2=10.0, luas_kota_km2=2.0,
        mitra_per_prov=60,
    ),
}


# --------------------------------------------------------------------------------------------------
# Randomness and small helpers
# --------------------------------------------------------------------------------------------------

def _rng(seed: int, *kunci: str | int) -> np.random.Generator:
    """An independent generator for one purpose: seeded by ``seed`` and stable keys (crc32, not hash())."""
    angka = [int(seed)] + [k if isinstance(k, int) else zlib.crc32(k.encode()) for k in kunci]
    return np.random.default_rng(angka)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _z(x: np.ndarray) -> np.ndarray:
    sd = x.std()
    return (x - x.mean()) / (sd if sd > 0 else 1.0)


def _peringkat_dalam_grup(grup: np.ndarray, *kunci: np.ndarray) -> np.ndarray:
    """0-based rank of each element within its group, ordered by ``kunci`` (first key most significant)."""
    urutan = np.lexsort(tuple(reversed(kunci)) + (grup,))
    g = grup[urutan]
    awal = np.r_[0, np.flatnonzero(g[1:] != g[:-1]) + 1]
    panjang = np.diff(np.r_[awal, len(g)])
    rank = np.empty(len(grup), dtype=np.int64)
    rank[urutan] = np.arange(len(g)) - np.repeat(awal, panjang)
    return rank


def _kelompok(indeks: np.ndarray, n: int) -> list[np.ndarray]:
    """For each group 0..n-1 the (ascending) positions of its members in ``indeks``."""
    urutan = np.argsort(indeks, kind="stable")
    batas = np.searchsorted(indeks[urutan], np.arange(n + 1))
    return [urutan[batas[i]:batas[i + 1]] for i in range(n)]


def _bagi_proporsional(total: int, bobot: np.ndarray) -> np.ndarray:
    """Integers summing to ``total``, proportional to ``bobot`` (largest remainder, ties by index)."""
    kuota = total * bobot / bobot.sum()
    n = np.floor(kuota).astype(int)
    sisa = total - n.sum()
    n[np.argsort(-(kuota - n), kind="stable")[:sisa]] += 1
    return n


# --------------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------------

_SUKU_AWAL = ("ba", "bi", "bu", "ca", "da", "di", "ga", "gu", "ja", "ka", "ke", "ki", "ku", "la", "le", "li",
              "lo", "ma", "me", "mu", "na", "pa", "pe", "pu", "ra", "ri", "sa", "se", "si", "su", "ta", "te",
              "ti", "to", "wa", "wi", "ya", "ro")
_SUKU_TENGAH = ("ba", "da", "di", "ga", "ka", "la", "li", "lo", "ma", "mo", "na", "ni", "nda", "ngga", "mba",
                "ra", "ri", "ro", "sa", "ta", "ti", "wa", "ja", "ru", "nta", "mpa", "ye", "lu")
_SUKU_AKHIR = ("", "", "", "", "n", "ng", "r", "s", "t", "k", "h", "m")
_AWALAN_PANTAI = ("Tanjung", "Teluk", "Pasir", "Muara", "Pantai", "Pulau", "Karang")
_AWALAN_DARAT = ("Bukit", "Batu", "Talang", "Lubuk", "Sumber", "Rawa", "Sungai", "Padang", "Karang", "Air",
                 "Kampung", "Tanah")
_AWALAN_GABUNG = ("Suka", "Sido", "Mekar", "Tirta", "Harja", "Karya")
_AKHIRAN = ("Jaya", "Makmur", "Baru", "Indah", "Sari", "Mulya", "Lestari", "Raya", "Asri", "Hilir", "Hulu",
            "Tengah", "Utara", "Selatan", "Timur", "Barat")
_ARAH = ("Barat", "Timur", "Utara", "Selatan", "Tengah", "Tenggara", "Barat Daya")
# Real place names the syllables could spell: never used, so every name stays clearly fictional.
_NAMA_NYATA = frozenset({
    "Bali", "Banda", "Bara", "Batam", "Bima", "Datar", "Garut", "Jawa", "Karo", "Kediri", "Landak", "Lawas",
    "Lebak", "Malaka", "Malang", "Medan", "Muna", "Padang", "Palu", "Pati", "Sabang", "Serang", "Tarakan",
    "Toraja",
})


class _Penama:
    """Syllable-built, clearly fictional, Indonesian-sounding names, unique within a parent."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng

    def pilih(self, pilihan: tuple[str, ...]) -> str:
        return pilihan[int(self.rng.integers(len(pilihan)))]

    def kata(self) -> str:
        """One word of 2-3 syllables, e.g. "Lemora", "Katinggar"."""
        while True:
            suku = [self.pilih(_SUKU_AWAL), self.pilih(_SUKU_TENGAH)]
            if self.rng.random() < 0.45:
                suku.append(self.pilih(_SUKU_TENGAH))
            kata = ("".join(suku) + self.pilih(_SUKU_AKHIR)).capitalize()
            if kata not in _NAMA_NYATA:
                return kata

    def tempat(self, pantai: bool, gabung: bool = True) -> str:
        r = self.rng.random()
        awalan = _AWALAN_PANTAI if pantai else _AWALAN_DARAT
        if r < 0.35:
            return f"{self.pilih(awalan)} {self.kata()}"
        if r < 0.55:
            return f"{self.kata()} {self.pilih(_AKHIRAN)}"
        if r < 0.70 and gabung:
            return self.pilih(_AWALAN_GABUNG) + self.kata().lower()
        if r < 0.78:
            return f"{self.pilih(awalan)} {self.kata()} {self.pilih(_AKHIRAN)}"
        return self.kata()

    @staticmethod
    def unik(buat: Callable[[], str], dipakai: set[str]) -> str:
        """First generated name not yet used in this parent (membership only, no set iteration)."""
        for _ in range(50):
            nama = buat()
            if nama not in dipakai:
                break
        else:  # pragma: no cover - practically unreachable with this many syllables
            k = 2
            while f"{nama} {k}" in dipakai:
                k += 1
            nama = f"{nama} {k}"
        dipakai.add(nama)
        return nama


def _nama_provinsi(rng: np.random.Generator, n: int) -> list[str]:
    penama, dipakai, nama = _Penama(rng), set(), []
    while len(nama) < n:
        dasar = penama.kata()
        r = rng.random()
        if r < 0.3:  # a family of provinces: "X Barat", "X Timur", …
            k = int(rng.integers(2, 4))
            arah = rng.permutation(len(_ARAH))[:k]
            calon = [f"Nusa {dasar} {_ARAH[a]}" if r < 0.12 else f"{dasar} {_ARAH[a]}" for a in arah]
        elif r < 0.5:
            calon = [f"Kepulauan {dasar}"]
        elif r < 0.65:
            calon = [f"{dasar} Raya"]
        else:
            calon = [f"Nusa {dasar}" if r < 0.8 else dasar]
        for c in calon:
            if c not in dipakai and len(nama) < n:
                dipakai.add(c)
                nama.append(c)
    return nama


# --------------------------------------------------------------------------------------------------
# Geometry: islands and partitions
# --------------------------------------------------------------------------------------------------

_KM_PER_DERAJAT_LAT = 110.57


def _km_per_derajat_lon(lat: float) -> float:
    return 111.32 * np.cos(np.radians(lat))


def _bentuk_pulau(rng: np.random.Generator, n_titik: int = 480, kasar: float = 0.55) -> np.ndarray:
    """A star-shaped ring (n, 2) with a natural-looking coast, area 1, centred on the origin.

    The radius is exp(low-frequency + fractal noise) of the angle, so it is always positive and the
    polygon is simple; a random stretch and rotation make it less round.
    """
    th = np.linspace(0.0, 2 * np.pi, n_titik, endpoint=False)
    k = np.arange(2, 72)
    amp = kasar * k ** -1.35 / np.sqrt(2)
    a, b = rng.normal(size=(2, len(k))) * amp
    log_r = a @ np.cos(np.outer(k, th)) + b @ np.sin(np.outer(k, th))
    r = np.exp(log_r - log_r.mean())
    regang, putar = rng.uniform(1.0, 1.7), rng.uniform(0, np.pi)
    x, y = r * np.cos(th) * regang, r * np.sin(th) / regang
    x, y = x * np.cos(putar) - y * np.sin(putar), x * np.sin(putar) + y * np.cos(putar)
    luas = 0.5 * np.abs(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1)))
    return np.column_stack([x, y]) / np.sqrt(luas)


def _ke_derajat(xy_km: np.ndarray, lon0: float, lat0: float) -> np.ndarray:
    return np.column_stack([lon0 + xy_km[:, 0] / _km_per_derajat_lon(lat0), lat0 + xy_km[:, 1] / _KM_PER_DERAJAT_LAT])


def _pulau_provinsi(rng: np.random.Generator, pusat: tuple[float, float], luas_km2: float,
                    jangkauan_deg: float) -> tuple[shapely.Geometry, shapely.Polygon]:
    """The province's land: a main island and 0-2 smaller islands (lon/lat). Returns (land, main island)."""
    n_satelit = int(rng.choice(3, p=[0.4, 0.35, 0.25]))
    bagian = rng.uniform(0.04, 0.12, n_satelit)
    luas_utama = luas_km2 * (1 - bagian.sum())
    utama = _bentuk_pulau(rng) * np.sqrt(luas_utama)
    cincin = [utama]
    jari_utama = np.hypot(*utama.T).max()
    for f in bagian:
        sat = _bentuk_pulau(rng, 240, 0.6) * np.sqrt(luas_km2 * f)
        arah = rng.uniform(0, 2 * np.pi)
        jarak = jari_utama + np.hypot(*sat.T).max() + rng.uniform(8, 30)
        cincin.append(sat + jarak * np.array([np.cos(arah), np.sin(arah)]))
    lon0, lat0 = pusat
    cincin = [_ke_derajat(c, lon0, lat0) for c in cincin]
    jangkauan = max(np.hypot(c[:, 0] - lon0, c[:, 1] - lat0).max() for c in cincin)
    skala = min(1.0, jangkauan_deg / jangkauan)
    cincin = [np.round(np.array(pusat) + (c - np.array(pusat)) * skala, 7) for c in cincin]
    pulau = [shapely.Polygon(c) for c in cincin]
    daratan = shapely.union_all(shapely.make_valid(np.array(pulau, dtype=object)))
    return daratan, pulau[0]


def _acak_dalam(rng: np.random.Generator, wilayah: shapely.Geometry, n: int,
                bobot: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None) -> np.ndarray:
    """``n`` random points (n, 2) inside ``wilayah``, with density ∝ ``bobot(lon, lat)`` (values in 0..1)."""
    if n and not wilayah.area > 0:
        raise ValueError("wilayah tanpa luas")
    shapely.prepare(wilayah)
    minx, miny, maxx, maxy = wilayah.bounds
    isi = max(wilayah.area / max((maxx - minx) * (maxy - miny), 1e-12), 0.02)
    hasil, dapat = [], 0
    while dapat < n:
        m = int(2 * (n - dapat) / isi) + 16
        x, y, u = rng.uniform(minx, maxx, m), rng.uniform(miny, maxy, m), rng.random(m)
        ok = shapely.contains_xy(wilayah, x, y)
        if bobot is not None:
            ok[ok] = u[ok] < bobot(x[ok], y[ok])
        hasil.append(np.column_stack([x[ok], y[ok]]))
        dapat += int(ok.sum())
    return np.concatenate(hasil)[:n]


def _voronoi(titik: np.ndarray, wilayah: shapely.Geometry) -> np.ndarray:
    """Voronoi cells of ``titik`` (n, 2), in input order, clipped to ``wilayah``.

    Cells lying wholly inside ``wilayah`` are returned untouched, so cells keep the exact shared
    vertices computed by the Voronoi builder.
    """
    if len(titik) == 1:
        return np.array([wilayah], dtype=object)
    minx, miny, maxx, maxy = wilayah.bounds
    bingkai = shapely.box(minx - 1, miny - 1, maxx + 1, maxy + 1)
    sel = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(titik), extend_to=bingkai, ordered=True))
    if len(sel) != len(titik):
        raise ValueError("titik Voronoi kembar")
    shapely.prepare(wilayah)
    luar = ~shapely.contains(wilayah, sel)
    sel[luar] = shapely.intersection(sel[luar], wilayah)
    return sel


@dataclass(frozen=True)
class _Lekuk:
    """A smooth displacement field (sum of sinusoids, degrees) that bends straight Voronoi edges.

    Each wave adds at most 0.1 to the gradient of each displacement component (0.7 in all), so the
    displacement is a contraction (norm < 0.99) and x + d(x) is one-to-one: the planar topology of
    the coverage is kept.
    """

    arah_x: np.ndarray
    arah_y: np.ndarray
    panjang: np.ndarray      # wavelengths (degrees)
    fase_x: np.ndarray
    fase_y: np.ndarray

    @classmethod
    def acak(cls, rng: np.random.Generator) -> "_Lekuk":
        panjang = np.array([0.012, 0.02, 0.035, 0.06, 0.1, 0.2, 0.4])
        k = len(panjang)
        return cls(rng.uniform(0, np.pi, k), rng.uniform(0, np.pi, k), panjang, rng.uniform(0, 2 * np.pi, k),
                   rng.uniform(0, 2 * np.pi, k))

    def __call__(self, xy: np.ndarray) -> np.ndarray:
        amp = 0.1 * self.panjang / (2 * np.pi)  # each wave adds at most 0.1 to the slope
        x, y = xy[:, :1], xy[:, 1:2]
        gx = 2 * np.pi * (x * np.cos(self.arah_x) + y * np.sin(self.arah_x)) / self.panjang + self.fase_x
        gy = 2 * np.pi * (x * np.cos(self.arah_y) + y * np.sin(self.arah_y)) / self.panjang + self.fase_y
        return xy + np.column_stack([(amp * np.sin(gx)).sum(axis=1), (amp * np.sin(gy)).sum(axis=1)])


def _rapatkan(xy: np.ndarray, cincin: np.ndarray, langkah: float) -> tuple[np.ndarray, np.ndarray]:
    """Add vertices so no segment is longer than ``langkah`` (ragged ring arrays in, out).

    Points on a segment are computed from its lexicographically smaller end, so a shared edge gets
    bit-identical new vertices in both polygons whichever way their rings run.
    """
    akhir = cincin[1:] - 1                       # index of each ring's closing vertex
    seg = np.ones(len(xy), bool)
    seg[akhir] = False
    i = np.flatnonzero(seg)
    p, q = xy[i], xy[i + 1]
    n = np.maximum(np.ceil(np.hypot(*(q - p).T) / langkah), 1).astype(np.int64)
    p_dasar = (p[:, 0] < q[:, 0]) | ((p[:, 0] == q[:, 0]) & (p[:, 1] < q[:, 1]))
    dasar, ujung = np.where(p_dasar[:, None], p, q), np.where(p_dasar[:, None], q, p)
    s = np.repeat(np.arange(len(i)), n)
    k = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)           # 0..n-1 along the segment
    langkah_ke = np.where(p_dasar[s], k, n[s] - k)                      # steps from the smaller end
    titik = dasar[s] + (ujung[s] - dasar[s]) * (langkah_ke / n[s])[:, None]
    titik[k == 0] = p[s[k == 0]]                                        # original vertices stay exact
    # Re-insert each ring's closing vertex after its last segment.
    cincin_seg = np.searchsorted(cincin, i, side="right") - 1
    per_cincin = np.bincount(cincin_seg, weights=n, minlength=len(cincin) - 1).astype(np.int64) + 1
    baru = np.r_[0, np.cumsum(per_cincin)]
    hasil = np.empty((baru[-1], 2))
    isi = np.ones(baru[-1], bool)
    isi[baru[1:] - 1] = False
    hasil[isi] = titik
    hasil[baru[1:] - 1] = xy[akhir]
    return hasil, baru


def _lekukkan(sel: np.ndarray, lekuk: _Lekuk, langkah: float = 0.002, grid: float = 1e-6) -> np.ndarray:
    """Densify polygons canonically, bend them with ``lekuk`` and round to ``grid`` (degrees).

    Every step is a function of the coordinates alone, so shared edges stay identical and the
    result is still a coverage. Returns Polygons (MultiPolygons where a cell has several parts).
    """
    jenis, xy, offset = shapely.to_ragged_array(sel)   # Polygon or (mixed) MultiPolygon arrays
    xy, cincin = _rapatkan(xy, offset[0], langkah)
    xy = np.round(lekuk(xy) / grid) * grid
    hasil = shapely.from_ragged_array(jenis, xy, (cincin, *offset[1:]))
    if jenis == shapely.GeometryType.MULTIPOLYGON:
        tunggal = shapely.get_num_geometries(hasil) == 1
        hasil[tunggal] = shapely.get_geometry(hasil[tunggal], 0)
    rusak = ~shapely.is_valid(hasil)
    if rusak.any():  # rounding folded a tiny feature: repair just those cells
        hasil[rusak] = shapely.set_precision(hasil[rusak], grid)
    return hasil


def _titik_pusat(sel: np.ndarray, wilayah) -> np.ndarray:
    """Centroids of cells, or a point on the surface where the centroid falls outside ``wilayah``."""
    c = shapely.get_coordinates(shapely.centroid(sel))
    luar = ~shapely.contains_xy(wilayah, c[:, 0], c[:, 1])
    if luar.any():
        c[luar] = shapely.get_coordinates(shapely.point_on_surface(sel[luar]))
    return c


def _lloyd(titik: np.ndarray, wilayah: shapely.Geometry, iterasi: int) -> np.ndarray:
    """Move points towards the centroids of their Voronoi cells (evens out the cells)."""
    for _ in range(iterasi):
        if len(titik) < 2:
            break
        titik = _titik_pusat(_voronoi(titik, wilayah), wilayah)
    return titik


def _jarak_km(x: np.ndarray, y: np.ndarray, target: shapely.Geometry) -> np.ndarray:
    """Approximate distance in km from points to a geometry (degrees × 111 km)."""
    return shapely.distance(shapely.points(x, y), target) * 111.0


@dataclass
class _RencanaProv:
    """How many kabupaten/kota, kecamatan and villages a province gets."""

    kode: str
    nama: str
    pusat: tuple[float, float]
    kota: np.ndarray                 # bool per kab (kabupaten first, then kota)
    desa_per_kec: list[np.ndarray]   # per kab: village count of each kecamatan


@dataclass
class _ProvGeo:
    """Geometry of one province before codes are assigned (all indices local to the province)."""

    daratan: shapely.Geometry
    kab_titik: np.ndarray     # (n_kab, 2) seat of the kabupaten/kota
    kec_kab: np.ndarray       # kab of each kecamatan
    kec_titik: np.ndarray     # (n_kec, 2) seed
    desa_kec: np.ndarray      # kecamatan of each village
    desa_geom: np.ndarray     # village polygons (grid 1e-6°)
    desa_kelurahan: np.ndarray
    kota_titik: np.ndarray    # (n_kota, 2) city centres


def _rencana(ukuran: _Ukuran, seed: int) -> list[_RencanaProv]:
    rng = _rng(seed, "rencana")
    n_prov = len(ukuran.provinsi)
    if ukuran.kab_per_prov is not None:
        n_kab = rng.integers(ukuran.kab_per_prov[0], ukuran.kab_per_prov[1] + 1, n_prov)
    else:
        n_kab = 5 + _bagi_proporsional(ukuran.kab_total - 5 * n_prov, rng.gamma(2.0, 1.0, n_prov))
    if ukuran.kota_per_prov is not None:
        n_kota = rng.integers(ukuran.kota_per_prov[0], ukuran.kota_per_prov[1] + 1, n_prov)
    else:
        n_kota = np.clip(np.round(0.19 * n_kab), 1, 9).astype(int)
    nama = list(ukuran.nama_provinsi) if ukuran.nama_provinsi else _nama_provinsi(_rng(seed, "nama-prov"), n_prov)
    rencana = []
    for p in range(n_prov):
        kota = np.r_[np.zeros(n_kab[p] - n_kota[p], bool), np.ones(n_kota[p], bool)]
        desa = []
        for is_kota in kota:
            lo, hi = ukuran.kec_per_kota if is_kota else ukuran.kec_per_kab
            dlo, dhi = ukuran.desa_per_kec_kota if is_kota else ukuran.desa_per_kec
            desa.append(rng.integers(dlo, dhi + 1, int(rng.integers(lo, hi + 1))))
        rencana.append(_RencanaProv(ukuran.provinsi[p], nama[p], ukuran.pusat[p], kota, desa))
    return rencana


def _kota_di_pantai(rng: np.random.Generator, utama: shapely.Polygon, bebas: shapely.Geometry, luas_km2: float,
                    kota_lain: np.ndarray) -> tuple[shapely.Geometry, np.ndarray]:
    """A city: a small noisy blob on the coast of the main island, away from the other cities.

    ``bebas`` is the land not yet taken by other cities, ``kota_lain`` (m, 2) their centres.
    Returns (area, centre).
    """
    cincin = np.asarray(utama.exterior.coords)[:-1]
    pusat_pulau = np.asarray(utama.centroid.coords[0])
    calon = rng.integers(0, len(cincin), 16)
    if len(kota_lain):  # try the coast points farthest from the other cities first
        jarak = np.hypot(cincin[calon, None, 0] - kota_lain[:, 0], cincin[calon, None, 1] - kota_lain[:, 1])
        calon = calon[np.argsort(-jarak.min(axis=1), kind="stable")]
    blob_km = _bentuk_pulau(rng, 160, 0.35) * np.sqrt(luas_km2 / 0.75)
    jari_deg = np.hypot(*blob_km.T).max() / 111.0
    for i in calon:
        arah = pusat_pulau - cincin[i]
        pusat = cincin[i] + arah / np.hypot(*arah) * 0.35 * jari_deg
        blob = shapely.Polygon(_ke_derajat(blob_km, pusat[0], float(cincin[i, 1])))
        kota = shapely.intersection(blob, bebas)
        if shapely.area(kota) > 0.5 * shapely.area(shapely.intersection(blob, utama)):
            break
    if not shapely.contains_xy(kota, *pusat):
        pusat = np.asarray(shapely.point_on_surface(kota).coords[0])
    return kota, pusat


def _bangun_provinsi(rencana: _RencanaProv, ukuran: _Ukuran, seed: int, lekuk: _Lekuk) -> _ProvGeo:
    """Build one province: island, kota, kabupaten, kecamatan and village polygons."""
    rng = _rng(seed, "geo", rencana.kode)
    n_desa_kota = [int(d.sum()) for d, k in zip(rencana.desa_per_kec, rencana.kota) if k]
    n_desa_kab = sum(int(d.sum()) for d, k in zip(rencana.desa_per_kec, rencana.kota) if not k)
    luas = n_desa_kab * ukuran.luas_desa_km2 + sum(n_desa_kota) * ukuran.luas_kota_km2
    daratan, utama = _pulau_provinsi(rng, rencana.pusat, luas, ukuran.jangkauan_deg)
    pantai = shapely.boundary(daratan)
    shapely.prepare(pantai)

    # Cities on the coast, then kabupaten as Voronoi cells of the rest of the land.
    kota_geom, kota_titik = [], np.empty((0, 2))
    sisa = daratan
    for n in n_desa_kota:
        g, c = _kota_di_pantai(rng, utama, sisa, n * ukuran.luas_kota_km2, kota_titik)
        kota_geom.append(g)
        kota_titik = np.vstack([kota_titik, c])
        sisa = shapely.difference(sisa, g)
    n_kabupaten = int((~rencana.kota).sum())
    kab_titik = _lloyd(_acak_dalam(rng, sisa, n_kabupaten), sisa, 3)
    kab_geom = list(_voronoi(kab_titik, sisa)) + kota_geom
    kab_titik = np.vstack([kab_titik, kota_titik])

    semua_kota = shapely.multipoints(kota_titik)

    def bobot_kec(x: np.ndarray, y: np.ndarray) -> np.ndarray:  # denser near the city and the coast
        return (0.25 + 0.45 * np.exp(-_jarak_km(x, y, pantai) / 12.0)
                + 0.6 * np.exp(-_jarak_km(x, y, semua_kota) / 25.0)) / 1.3

    kec_kab, kec_titik, kec_geom, kec_ibukota = [], [], [], []
    for k, (g, n_desa) in enumerate(zip(kab_geom, rencana.desa_per_kec)):
        titik = _lloyd(_acak_dalam(rng, g, len(n_desa), bobot_kec), g, 1)
        sel = _voronoi(titik, g)
        kec_kab += [k] * len(titik)
        kec_titik.append(titik)
        kec_geom += list(sel)
        ibukota = np.zeros(len(titik), bool)
        ibukota[np.argmin(np.hypot(*(titik - kab_titik[k]).T))] = not rencana.kota[k]
        kec_ibukota.append(ibukota)
    kec_kab, kec_titik = np.array(kec_kab), np.vstack(kec_titik)
    kec_geom, kec_ibukota = np.array(kec_geom, dtype=object), np.concatenate(kec_ibukota)
    n_desa = np.concatenate(rencana.desa_per_kec)

    # Village seeds inside their kecamatan, one Lloyd step that keeps each seed in its kecamatan.
    desa_kec = np.repeat(np.arange(len(kec_geom)), n_desa)
    titik = np.vstack([_acak_dalam(rng, g, int(n)) for g, n in zip(kec_geom, n_desa)])
    baru = _titik_pusat(_voronoi(titik, daratan), daratan)
    tetap = shapely.contains_xy(kec_geom[desa_kec], baru[:, 0], baru[:, 1])
    titik[tetap] = baru[tetap]
    desa_geom = _lekukkan(_voronoi(titik, daratan), lekuk)

    # Kelurahan: almost all villages of a kota, and about half of the kabupaten seat's kecamatan.
    di_kota = rencana.kota[kec_kab[desa_kec]]
    p_kel = np.where(di_kota, 0.95, np.where(kec_ibukota[desa_kec], 0.55, 0.0))
    kelurahan = rng.random(len(desa_kec)) < p_kel
    return _ProvGeo(daratan, kab_titik, kec_kab, kec_titik, desa_kec, desa_geom, kelurahan, kota_titik)


# --------------------------------------------------------------------------------------------------
# Regions table
# --------------------------------------------------------------------------------------------------

@dataclass
class _Wilayah:
    """All regions, with per-village attributes used by the indicator, programme and network steps.

    Villages are in code order; ``desa_kec``/``desa_kab``/``desa_prov`` index the kecamatan, kab
    and province arrays (each in code order too).
    """

    regions: pd.DataFrame
    prov_kode: np.ndarray
    kab_kode: np.ndarray
    kab_nama: np.ndarray
    kab_prov: np.ndarray
    kab_kota: np.ndarray
    kab_lonlat: np.ndarray
    kec_kode: np.ndarray
    kec_kab: np.ndarray
    desa_kode: np.ndarray
    desa_nama: np.ndarray
    desa_kec: np.ndarray
    desa_kab: np.ndarray
    desa_prov: np.ndarray
    desa_kelurahan: np.ndarray
    desa_geom: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    d_kota_km: np.ndarray       # distance to the nearest city centre (kota)
    d_ibukota_km: np.ndarray    # distance to the nearest seat (kota centre or kabupaten seat)
    d_pantai_km: np.ndarray     # distance to the coast
    penduduk: np.ndarray
    prov_nama: list[str]


def _gabung(anak: np.ndarray, induk: np.ndarray, n: int) -> np.ndarray:
    """Coverage union of the children of each parent 0..n-1."""
    out = np.empty(n, dtype=object)
    for i, idx in enumerate(_kelompok(induk, n)):
        out[i] = shapely.coverage_union_all(anak[idx]) if len(idx) > 1 else anak[idx[0]]
    return out


def _beri_nama(seed: int, induk: np.ndarray, pantai: np.ndarray, gabung: bool, kunci: str) -> np.ndarray:
    """Names unique within each parent, coastal-flavoured near the coast."""
    penama = _Penama(_rng(seed, "nama", kunci))
    nama = np.empty(len(induk), dtype=object)
    dipakai: dict[int, set[str]] = {}
    for i in range(len(induk)):
        s = dipakai.setdefault(int(induk[i]), set())
        nama[i] = penama.unik(lambda: penama.tempat(bool(pantai[i]), gabung), s)
    return nama


def _pantul(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Reflect values into [lo, hi] (no pile-up at the bounds)."""
    x = np.where(x < lo, 2 * lo - x, x)
    return np.clip(np.where(x > hi, 2 * hi - x, x), lo, hi)


def _penduduk(rng: np.random.Generator, luas_km2: np.ndarray, kelurahan: np.ndarray, d_kota_km: np.ndarray,
              d_pantai_km: np.ndarray) -> np.ndarray:
    """Village population: density × area, denser near cities and coasts; desa 500–15,000, kelurahan
    1,500–40,000 (reflected in log space, so there is no pile-up at the bounds)."""
    kepadatan = np.exp(rng.normal(np.log(110), 0.55, len(luas_km2)))
    kepadatan *= 1 + 30 * np.exp(-d_kota_km / 8) + 0.8 * np.exp(-d_pantai_km / 6) + 4 * kelurahan
    log_jiwa = np.log(kepadatan * luas_km2)
    jiwa = np.where(kelurahan, np.exp(_pantul(log_jiwa, np.log(1_500), np.log(40_000))),
                    np.exp(_pantul(log_jiwa, np.log(500), np.log(15_000))))
    return np.round(jiwa).astype(np.int64)


def _kode_wilayah(prov_kode: np.ndarray, kab_prov: np.ndarray, kab_kota: np.ndarray, kab_titik: np.ndarray,
                  kec_kab: np.ndarray, kec_titik: np.ndarray, desa_kec: np.ndarray, kelurahan: np.ndarray,
                  desa_titik: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Dotted codes, numbered north to south (then west to east) within the parent.

    Kabupaten 01.., kota 71..; kecamatan 01..; kelurahan 1001.., desa 2001.. within the kecamatan.
    """
    rank_kab = _peringkat_dalam_grup(kab_prov * 2 + kab_kota, -kab_titik[:, 1], kab_titik[:, 0])
    nomor_kab = np.where(kab_kota, _KOTA_PERTAMA, 1) + rank_kab
    kab_kode = np.array([f"{prov_kode[p]}.{k:02d}" for p, k in zip(kab_prov, nomor_kab)])
    rank_kec = _peringkat_dalam_grup(kec_kab, -kec_titik[:, 1], kec_titik[:, 0])
    kec_kode = np.array([f"{kab_kode[k]}.{r + 1:02d}" for k, r in zip(kec_kab, rank_kec)])
    rank_desa = _peringkat_dalam_grup(desa_kec * 2 + ~kelurahan, -desa_titik[:, 1], desa_titik[:, 0])
    nomor_desa = np.where(kelurahan, _AWAL_KELURAHAN, _AWAL_DESA) + rank_desa + 1
    desa_kode = np.array([f"{kec_kode[k]}.{n:04d}" for k, n in zip(desa_kec, nomor_desa)])
    return kab_kode, kec_kode, desa_kode


@dataclass
class _Tingkat:
    """One administrative level, in code order; ``induk`` indexes the level above (None for provinces)."""

    level: int
    kode: np.ndarray
    nama: np.ndarray
    induk: np.ndarray | None
    jenis: np.ndarray
    geom: np.ndarray
    luas_km2: np.ndarray
    penduduk: np.ndarray


def _tabel_regions(tingkat: list[_Tingkat], lapor: Callable[[float, str], None]) -> pd.DataFrame:
    """The ``regions`` frame for levels 1..4 (ancestor codes, point on surface, display geometry)."""
    frames, leluhur = [], []
    for t in tingkat:
        n = len(t.kode)
        if t.induk is None:
            leluhur = [t.kode]
        else:
            leluhur = [a[t.induk] for a in leluhur] + [t.kode]
        kolom_leluhur = leluhur + [np.full(n, None, dtype=object)] * (4 - len(leluhur))
        lapor(0.6 + 0.025 * t.level, f"Menyederhanakan geometri tingkat {t.level} untuk peta")
        titik = shapely.point_on_surface(t.geom)
        frames.append(pd.DataFrame({
            "kode": t.kode, "level": np.full(n, t.level, np.int8), "nama": t.nama,
            "kode_induk": leluhur[-2] if t.induk is not None else np.full(n, None, dtype=object),
            "kode_prov": kolom_leluhur[0], "kode_kab": kolom_leluhur[1], "kode_kec": kolom_leluhur[2],
            "jenis": t.jenis, "luas_km2": t.luas_km2, "penduduk": t.penduduk,
            "lon": shapely.get_x(titik), "lat": shapely.get_y(titik),
            "geom": t.geom, "geom_display": geo.display_geometry(t.geom, t.level),
        }))
    return pd.concat(frames, ignore_index=True)


def _bangun_wilayah(ukuran: _Ukuran, seed: int, lapor: Callable[[float, str], None]) -> _Wilayah:
    """Build all regions: per-province geometry, codes, names, unions, areas and population."""
    rencana = _rencana(ukuran, seed)
    lekuk = _Lekuk.acak(_rng(seed, "lekuk"))
    geos = []
    for i, r in enumerate(rencana):
        lapor(0.02 + 0.45 * i / len(rencana), f"Membangun geometri provinsi {r.nama}")
        geos.append(_bangun_provinsi(r, ukuran, seed, lekuk))
    lapor(0.47, "Menyusun kode dan nama wilayah")

    # Concatenate provinces (global indices).
    kab_off = np.cumsum([0] + [len(g.kab_titik) for g in geos])
    kec_off = np.cumsum([0] + [len(g.kec_kab) for g in geos])
    prov_kode = np.array([r.kode for r in rencana])
    kab_prov = np.concatenate([np.full(len(g.kab_titik), p) for p, g in enumerate(geos)])
    kab_kota = np.concatenate([r.kota for r in rencana])
    kab_titik = np.vstack([g.kab_titik for g in geos])
    kec_kab = np.concatenate([g.kec_kab + kab_off[p] for p, g in enumerate(geos)])
    kec_titik = np.vstack([g.kec_titik for g in geos])
    desa_kec = np.concatenate([g.desa_kec + kec_off[p] for p, g in enumerate(geos)])
    desa_geom = np.concatenate([g.desa_geom for g in geos])
    kelurahan = np.concatenate([g.desa_kelurahan for g in geos])
    desa_titik = shapely.get_coordinates(shapely.point_on_surface(desa_geom))
    kab_kode, kec_kode, desa_kode = _kode_wilayah(prov_kode, kab_prov, kab_kota, kab_titik, kec_kab, kec_titik,
                                                  desa_kec, kelurahan, desa_titik)

    # Reorder every level by code and remap parent indices.
    o_kab, o_kec, o_desa = np.argsort(kab_kode), np.argsort(kec_kode), np.argsort(desa_kode)
    inv_kab, inv_kec = np.argsort(o_kab), np.argsort(o_kec)
    kab_kode, kab_prov, kab_kota, kab_titik = kab_kode[o_kab], kab_prov[o_kab], kab_kota[o_kab], kab_titik[o_kab]
    kec_kode, kec_kab = kec_kode[o_kec], inv_kab[kec_kab[o_kec]]
    desa_kode, desa_kec = desa_kode[o_desa], inv_kec[desa_kec[o_desa]]
    desa_geom, kelurahan, desa_titik = desa_geom[o_desa], kelurahan[o_desa], desa_titik[o_desa]
    desa_kab = kec_kab[desa_kec]
    desa_prov = kab_prov[desa_kab]
    lon, lat = desa_titik.T

    # Distances (km) for urban and coastal effects.
    pantai = shapely.boundary(shapely.union_all(np.array([g.daratan for g in geos], dtype=object)))
    shapely.prepare(pantai)
    d_kota = _jarak_km(lon, lat, shapely.multipoints(np.vstack([g.kota_titik for g in geos])))
    d_ibukota = _jarak_km(lon, lat, shapely.multipoints(kab_titik))
    d_pantai = _jarak_km(lon, lat, pantai)

    # Names (kabupaten/kota carry their "Kabupaten"/"Kota" prefix, as in Kemendagri data).
    kab_dasar = _beri_nama(seed, kab_prov, (_jarak_km(*kab_titik.T, pantai) < 8) & ~kab_kota, False, "kab")
    kab_nama = np.array([("Kota " if k else "Kabupaten ") + n for k, n in zip(kab_kota, kab_dasar)], dtype=object)
    kec_nama = _beri_nama(seed, kec_kab, _jarak_km(*kec_titik[o_kec].T, pantai) < 5, False, "kec")
    desa_nama = _beri_nama(seed, desa_kec, d_pantai < 3, True, "desa")

    lapor(0.52, "Menggabungkan desa menjadi kecamatan, kabupaten, provinsi")
    kec_geom = _gabung(desa_geom, desa_kec, len(kec_kode))
    kab_geom = _gabung(kec_geom, kec_kab, len(kab_kode))
    prov_geom = _gabung(kab_geom, kab_prov, len(prov_kode))

    lapor(0.58, "Menghitung luas dan penduduk")
    luas_desa = geo.area_km2(desa_geom)
    penduduk = _penduduk(_rng(seed, "penduduk"), luas_desa, kelurahan, d_kota, d_pantai)
    pend_kec = np.bincount(desa_kec, penduduk, len(kec_kode)).astype(np.int64)
    pend_kab = np.bincount(kec_kab, pend_kec, len(kab_kode)).astype(np.int64)
    pend_prov = np.bincount(kab_prov, pend_kab, len(prov_kode)).astype(np.int64)

    regions = _tabel_regions([
        _Tingkat(1, prov_kode, np.array([r.nama for r in rencana], dtype=object), None,
                 np.full(len(prov_kode), "provinsi"), prov_geom, geo.area_km2(prov_geom), pend_prov),
        _Tingkat(2, kab_kode, kab_nama, kab_prov, np.where(kab_kota, "kota", "kabupaten"), kab_geom,
                 geo.area_km2(kab_geom), pend_kab),
        _Tingkat(3, kec_kode, kec_nama, kec_kab, np.full(len(kec_kode), "kecamatan"), kec_geom,
                 geo.area_km2(kec_geom), pend_kec),
        _Tingkat(4, desa_kode, desa_nama, desa_kec, np.where(kelurahan, "kelurahan", "desa"), desa_geom,
                 luas_desa, penduduk),
    ], lapor)
    return _Wilayah(
        regions=regions, prov_kode=prov_kode, prov_nama=[r.nama for r in rencana], kab_kode=kab_kode,
        kab_nama=kab_nama, kab_prov=kab_prov, kab_kota=kab_kota,
        kab_lonlat=shapely.get_coordinates(shapely.point_on_surface(kab_geom)), kec_kode=kec_kode, kec_kab=kec_kab,
        desa_kode=desa_kode, desa_nama=desa_nama.astype(str), desa_kec=desa_kec, desa_kab=desa_kab,
        desa_prov=desa_prov, desa_kelurahan=kelurahan, desa_geom=desa_geom, lon=lon, lat=lat, d_kota_km=d_kota,
        d_ibukota_km=d_ibukota, d_pantai_km=d_pantai, penduduk=penduduk,
    )


# --------------------------------------------------------------------------------------------------
# Indicators
# --------------------------------------------------------------------------------------------------

def _medan(rng: np.random.Generator, w: _Wilayah, n_gauss: int = 7) -> np.ndarray:
    """A smooth random field over lon/lat per province (Gaussian bumps + a long wave), mean 0, SD 1."""
    out = np.zeros(len(w.lon))
    for p, idx in enumerate(_kelompok(w.desa_prov, len(w.prov_kode))):
        x, y = w.lon[idx], w.lat[idx]
        cx, cy = rng.uniform(x.min(), x.max(), n_gauss), rng.uniform(y.min(), y.max(), n_gauss)
        s, a = rng.uniform(0.15, 0.5, n_gauss), rng.normal(0, 1, n_gauss)
        d2 = (x[:, None] - cx) ** 2 + (y[:, None] - cy) ** 2
        f = (a * np.exp(-d2 / (2 * s ** 2))).sum(axis=1)
        sudut, gelombang, fase = rng.uniform(0, np.pi), rng.uniform(1.0, 2.5), rng.uniform(0, 2 * np.pi)
        f += 0.4 * np.sin(2 * np.pi * (x * np.cos(sudut) + y * np.sin(sudut)) / gelombang + fase)
        out[idx] = f
    return _z(out)


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


def _indeks_idm(w: _Wilayah, seed: int) -> dict[str, np.ndarray]:
    """IDM family (villages × years) for every village; kelurahan rows are dropped from ``nilai`` later.

    A latent development score (smooth field + kabupaten/kecamatan effects + urbanity + noise, with
    a village trend and yearly noise) is ranked among desa each year and mapped to IDM scores with the
    year's status shares; IKS/IKE/IKL and the IKS dimensions are spread around it (zero-sum
    deviations), rounded to 4 decimals, and IKS and IDM recomputed as their means.
    """
    rng = _rng(seed, "idm")
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


def _kapasitas(w: _Wilayah, iks: np.ndarray, seed: int) -> dict[str, np.ndarray]:
    """Human-capacity indicators, correlated with IKS and urbanity (n × T)."""
    rng = _rng(seed, "kapasitas")
    n, T = iks.shape
    t = np.arange(T)[None, :]
    urban = np.exp(-w.d_kota_km / 15)[:, None]
    kel = w.desa_kelurahan[:, None]

    def acak(sd: float) -> np.ndarray:  # persistent village part + yearly part
        return sd * (0.8 * rng.normal(size=(n, 1)) + 0.6 * rng.normal(size=(n, T)))

    sma = 26 + 110 * (iks - 0.7) + 16 * urban + 6 * kel + 1.0 * t + 6 * _medan(rng, w)[:, None] + acak(9)
    nakes = np.exp(np.log(1.6) + 4.0 * (iks - 0.7) + 0.9 * urban + 0.25 * _medan(rng, w)[:, None]
                   + 0.04 * t + acak(0.35))
    latih = 100 * _sigmoid(-2.2 + 6 * (iks - 0.7) + 0.4 * _medan(rng, w)[:, None] + 0.08 * t + acak(0.35))
    kebutuhan = _z(-iks.mean(axis=1))[:, None]
    kab_efek = rng.normal(0, 0.4, len(w.kab_kode))[w.desa_kab][:, None]
    penyuluh = rng.poisson(np.exp(-1.2 + 0.35 * kebutuhan + kab_efek + 0.05 * t))
    return {
        "pendidikan_sma_pct": np.round(_pantul(sma, 1.0, 97.0), 1),
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


def _kelembagaan(w: _Wilayah, idm: dict[str, np.ndarray], seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Active Karang Taruna and BUMDes per village and year (bool n × T); kelurahan have no BUMDes."""
    rng = _rng(seed, "kelembagaan")
    T = len(TAHUN)
    kab_efek = rng.normal(0, 0.5, len(w.kab_kode))[w.desa_kab]
    ms = _z(idm["iks_modal_sosial"][:, 0])
    kt = _status_aktif(rng, _sigmoid(0.4 + 0.9 * ms + kab_efek), _sigmoid(-2.0 + 0.5 * ms + kab_efek),
                       _sigmoid(-3.0 - 0.5 * ms), T)
    ke = _z(idm["ike"][:, 0])
    bumdes = _status_aktif(rng, _sigmoid(0.1 + 0.9 * ke + kab_efek), _sigmoid(-1.6 + 0.4 * ke + kab_efek),
                           _sigmoid(-3.3 - 0.4 * ke), T)
    bumdes &= ~w.desa_kelurahan[:, None]
    return kt, bumdes


# --------------------------------------------------------------------------------------------------
# Programmes
# --------------------------------------------------------------------------------------------------

def _program(w: _Wilayah, iks: np.ndarray, seed: int) -> np.ndarray:
    """Which programme reaches which village in which year: bool (n, T, n_program).

    Probability rises with need (low IKS) for social programmes and depends on kabupaten and
    province policy; remote villages and neglected kecamatan get less, so some needy villages get
    nothing at all. A village that got a programme tends to keep it.
    """
    rng = _rng(seed, "program")
    n, T = iks.shape
    J = len(PROGRAM)
    kebutuhan = -(iks - iks.mean()) / iks.std()
    jauh = 0.7 * _z(np.log1p(w.d_ibukota_km)) + 0.6 * rng.normal(0, 1, len(w.kec_kode))[w.desa_kec]
    kab_pol = rng.normal(0, 0.6, (len(w.kab_kode), J)) + rng.normal(0, 0.5, (len(w.kab_kode), 1))
    prov_pol = rng.normal(0, 0.3, (len(w.prov_kode), J))
    pemda = np.array([p.kementerian == "Pemerintah Daerah" for p in PROGRAM])
    prov_pol[:, pemda] = rng.normal(0, 1.2, (len(w.prov_kode), 1))  # provincial grants: a provincial choice
    tetap = rng.normal(0, 1.2, (n, J))
    dasar = np.array([p.dasar for p in PROGRAM])
    koef = np.array([p.kebutuhan for p in PROGRAM])
    tren = np.array([p.tren for p in PROGRAM])
    mulai = np.array([p.mulai for p in PROGRAM])
    hanya_desa = np.array([p.hanya_desa for p in PROGRAM])
    tahun = np.array(TAHUN)
    logit = (dasar + koef * kebutuhan[:, :, None] + tren * np.maximum(tahun[:, None] - mulai, 0)
             + (kab_pol[w.desa_kab] + prov_pol[w.desa_prov] + tetap - 0.8 * jauh[:, None])[:, None, :])
    dapat = rng.random((n, T, J)) < _sigmoid(logit)
    dapat &= tahun[None, :, None] >= mulai
    dapat &= ~(hanya_desa[None, None, :] & w.desa_kelurahan[:, None, None])
    return dapat


def _tabel_program(w: _Wilayah, dapat: np.ndarray) -> pd.DataFrame:
    t, v, j = np.nonzero(dapat.transpose(1, 0, 2))  # ordered by year, village, programme
    return pd.DataFrame({
        "kode_desa": pd.array(w.desa_kode, dtype="str").take(v),
        "tahun": np.asarray(TAHUN, np.int16)[t],
        "kementerian": pd.array([p.kementerian for p in PROGRAM], dtype="str").take(j),
        "program": pd.array([p.program for p in PROGRAM], dtype="str").take(j),
    })


def _hitung_program(dapat: np.ndarray) -> dict[str, np.ndarray]:
    kementerian = sorted({p.kementerian for p in PROGRAM})
    kol = np.array([kementerian.index(p.kementerian) for p in PROGRAM])
    hadir = np.stack([dapat[:, :, kol == k].any(axis=2) for k in range(len(kementerian))], axis=2)
    return {"jumlah_program": dapat.sum(axis=2).astype(float), "jumlah_kementerian": hadir.sum(axis=2).astype(float)}


# --------------------------------------------------------------------------------------------------
# Social network
# --------------------------------------------------------------------------------------------------

_NAMA_LKS = ("Kasih Bunda", "Harapan Bangsa", "Peduli Sesama", "Cahaya Hati", "Bina Sejahtera", "Insan Mandiri")
_NAMA_BUMDES = ("Maju Bersama", "Sejahtera", "Mandiri", "Karya Usaha", "Berkah", "Makmur")
_NAMA_KOPERASI = ("Serba Usaha", "Produsen", "Simpan Pinjam", "Konsumen")
_NAMA_POKTAN = ("Sri Rejeki", "Subur Makmur", "Tani Mulya", "Harapan Jaya", "Sumber Rezeki", "Sido Makmur",
                "Karya Tani", "Mekar Sari")
_NAMA_POSYANDU = ("Melati", "Mawar", "Anggrek", "Kenanga", "Dahlia", "Flamboyan", "Cempaka", "Teratai")
_NAMA_TAKLIM = ("Al-Hikmah", "An-Nur", "Al-Ikhlas", "Nurul Huda", "Al-Falah", "Miftahul Jannah")
_DINAS = ("Dinas Sosial", "Dinas Pemberdayaan Masyarakat dan Desa", "Dinas Kesehatan", "Bappeda",
          "Dinas Pertanian", "Dinas Koperasi dan UKM", "Dinas Pendidikan")
_LSM_A = ("Bina", "Karya", "Cahaya", "Lentera", "Pelita", "Mitra", "Sahabat", "Rumah", "Jaringan", "Gerakan")
_LSM_B = ("Desa", "Nusantara", "Bangsa", "Rakyat", "Lestari", "Mandiri", "Peduli", "Sejahtera", "Pesisir", "Tani")
_PT_B = ("Agro", "Niaga", "Sentosa", "Mandiri", "Makmur", "Samudra", "Bahari", "Energi")
_PT_C = ("Abadi", "Lestari", "Jaya", "Perkasa", "Utama", "Nusantara")
_BUMN = ("PT Perkebunan Rekaan", "PT Pupuk Rekaan", "PT Listrik Rekaan", "PT Pelabuhan Rekaan", "PT Bank Desa Rekaan",
         "PT Perikanan Rekaan", "PT Semen Rekaan", "PT Pos Rekaan")
# Tie start years: most ties predate or start with the data period.
_P_TAHUN_IKATAN = np.array([0.45, 0.13, 0.12, 0.11, 0.1, 0.09])


@dataclass
class _Jaringan:
    simpul: pd.DataFrame
    ikatan: pd.DataFrame
    indikator: dict[str, np.ndarray]


def _tahun_mulai(rng: np.random.Generator, n: int) -> np.ndarray:
    return np.asarray(TAHUN)[rng.choice(len(TAHUN), size=n, p=_P_TAHUN_IKATAN)]


def _mulai_rentang_akhir(aktif: np.ndarray) -> np.ndarray:
    """First year of the last unbroken active spell (villages active in the last year)."""
    T = aktif.shape[1]
    mulai = np.full(len(aktif), T - 1)
    masih = aktif[:, T - 1].copy()
    for t in range(T - 2, -1, -1):
        masih &= aktif[:, t]
        mulai[masih] = t
    return np.asarray(TAHUN)[mulai]


def _lembaga(rng: np.random.Generator, w: _Wilayah, kt: np.ndarray, bumdes: np.ndarray):
    """Local institutions: owner village, type index, founding year (sorted by village, type)."""
    n = len(w.desa_kode)
    urban = np.exp(-w.d_kota_km / 15)
    jumlah_per_jenis = {  # how many of each type a village has
        "karang_taruna": kt[:, -1],
        "pkk": rng.random(n) < 0.95,
        "lks": rng.random(n) < 0.2 + 0.3 * urban,
        "bumdes": bumdes[:, -1],
        "koperasi": rng.random(n) < 0.35,
        "kelompok_tani": np.minimum(rng.poisson(1.8 * (1 - urban) * ~w.desa_kelurahan + 0.1), 5),
        "posyandu": np.clip(1 + w.penduduk // 2500, 1, 6),
        "majelis_taklim": np.minimum(rng.poisson(1.0, n), 3),
    }
    jumlah = np.column_stack([jumlah_per_jenis[j] for j in JENIS_LEMBAGA]).astype(np.int64)
    pemilik = np.repeat(np.repeat(np.arange(n), len(JENIS_LEMBAGA)), jumlah.ravel())
    jenis = np.repeat(np.tile(np.arange(len(JENIS_LEMBAGA)), n), jumlah.ravel())
    tahun = _tahun_mulai(rng, len(pemilik))
    tahun = np.where(rng.random(len(pemilik)) < 0.85, TAHUN[0], tahun)
    pertama = np.r_[True, (pemilik[1:] != pemilik[:-1]) | (jenis[1:] != jenis[:-1])]  # first of its type
    tahun[(jenis == _L["pkk"]) | ((jenis == _L["posyandu"]) & pertama)] = TAHUN[0]  # always there
    # Karang Taruna and BUMDes exist iff active in the last year, since the start of that active spell.
    for nama, aktif in (("karang_taruna", kt), ("bumdes", bumdes)):
        ini = jenis == _L[nama]
        tahun[ini] = _mulai_rentang_akhir(aktif)[pemilik[ini]]
    return pemilik, jenis, tahun


_NAMA_LEMBAGA: dict[str, Callable[[str, str, int, int], str]] = {
    # (village name, "Desa"/"Kelurahan", number of this type in the village, random int) -> name
    "karang_taruna": lambda d, jd, k, r: f"Karang Taruna {d}",
    "pkk": lambda d, jd, k, r: f"TP PKK {jd} {d}",
    "lks": lambda d, jd, k, r: f"LKS {_NAMA_LKS[r % len(_NAMA_LKS)]}",
    "bumdes": lambda d, jd, k, r: f"BUMDes {_NAMA_BUMDES[r % len(_NAMA_BUMDES)]} {d}",
    "koperasi": lambda d, jd, k, r: f"Koperasi {_NAMA_KOPERASI[r % len(_NAMA_KOPERASI)]} {d}",
    "kelompok_tani": lambda d, jd, k, r: f"Kelompok Tani {_NAMA_POKTAN[(r + k) % len(_NAMA_POKTAN)]}"
                                         + (f" {k}" if k > 1 else ""),
    "posyandu": lambda d, jd, k, r: f"Posyandu {_NAMA_POSYANDU[(r + k) % len(_NAMA_POSYANDU)]} {k}",
    "majelis_taklim": lambda d, jd, k, r: f"Majelis Taklim {_NAMA_TAKLIM[(r + k) % len(_NAMA_TAKLIM)]}",
}


def _nama_lembaga(rng: np.random.Generator, w: _Wilayah, pemilik: np.ndarray, jenis: np.ndarray) -> list[str]:
    """Plausible names for the institutions (sorted by village, type)."""
    ke = _peringkat_dalam_grup(pemilik * len(JENIS_LEMBAGA) + jenis, np.arange(len(pemilik))) + 1
    acak = rng.integers(0, 1 << 30, len(pemilik))
    buat = [_NAMA_LEMBAGA[j] for j in JENIS_LEMBAGA]
    jenis_desa = np.where(w.desa_kelurahan, "Kelurahan", "Desa")
    return [buat[j](w.desa_nama[v], jenis_desa[v], k, r)
            for v, j, k, r in zip(pemilik.tolist(), jenis.tolist(), ke.tolist(), acak.tolist())]


_P_JENIS_MITRA = {"instansi_pemerintah": 0.3, "perguruan_tinggi": 0.12, "lsm": 0.3, "swasta": 0.18, "bumn": 0.1}


def _nama_mitra(penama: _Penama, jenis: str, kab: str, dasar_prov: str) -> str:
    """A plausible fictional partner name, e.g. "Universitas Rekaan Timur", "Yayasan Pelita Desa"."""
    pilih = penama.pilih
    if jenis == "instansi_pemerintah":
        return f"{pilih(_DINAS)} {kab}"
    if jenis == "perguruan_tinggi":
        pola = pilih((f"Universitas {dasar_prov}", f"Politeknik Negeri {dasar_prov}", "Universitas {}",
                      "Institut Teknologi {}", "Sekolah Tinggi Kesejahteraan Sosial {}"))
        return pola.format(penama.kata()) if "{}" in pola else pola
    if jenis == "lsm":
        return f"Yayasan {pilih(_LSM_A)} {pilih(_LSM_B)}"
    if jenis == "swasta":
        return f"PT {penama.kata()} {pilih(_PT_B)} {pilih(_PT_C)}"
    return f"{pilih(_BUMN)} Wilayah {dasar_prov}"


def _mitra(rng: np.random.Generator, w: _Wilayah, per_prov: int):
    """Outside partners, about ``per_prov`` per province: (province, type index, home kab, name)."""
    prov, jenis, rumah, nama = [], [], [], []
    p_jenis = np.array([_P_JENIS_MITRA[j] for j in JENIS_MITRA])
    for p, kabs in enumerate(_kelompok(w.kab_prov, len(w.prov_kode))):
        penama, dipakai = _Penama(rng), set()
        dasar_prov = w.prov_nama[p].removeprefix("Nusa ").removeprefix("Kepulauan ")
        bobot = np.where(w.kab_kota[kabs], 3.0, 1.0)  # partners cluster in the cities
        m = per_prov + int(rng.integers(-per_prov // 10, per_prov // 10 + 1))
        for j in rng.choice(len(JENIS_MITRA), size=m, p=p_jenis).tolist():
            k = int(rng.choice(kabs, p=bobot / bobot.sum()))
            nama.append(_Penama.unik(lambda: _nama_mitra(penama, JENIS_MITRA[j], w.kab_nama[k], dasar_prov), dipakai))
            prov.append(p)
            jenis.append(j)
            rumah.append(k)
    return np.array(prov, int), np.array(jenis, int), np.array(rumah, int), nama


def _tetangga(geoms: np.ndarray) -> np.ndarray:
    """Pairs (i < j) of polygons that share a vertex, sorted.

    In an edge-matched coverage (like our villages) that is exactly the polygons that touch, and it
    is much faster than a spatial predicate: one sort of all vertices.
    """
    xy, milik = shapely.get_coordinates(geoms, return_index=True)
    urut = np.lexsort((milik, xy[:, 1], xy[:, 0]))
    x, y, milik = xy[urut, 0], xy[urut, 1], milik[urut]
    beda = np.r_[True, (x[1:] != x[:-1]) | (y[1:] != y[:-1]) | (milik[1:] != milik[:-1])]
    x, y, milik = x[beda], y[beda], milik[beda]              # drop repeated vertices within a polygon
    pasangan, j = [], 1
    sama = (x[1:] == x[:-1]) & (y[1:] == y[:-1])
    while sama.any():  # vertices shared by several polygons: pair each with the next j-th
        pasangan.append(np.column_stack([milik[:-j], milik[j:]])[sama])
        j += 1
        sama = sama[:-1] & (x[j:] == x[:-j]) & (y[j:] == y[:-j])
    if not pasangan:
        return np.empty((0, 2), np.int64)
    p = np.vstack(pasangan).astype(np.int64)
    return np.unique(np.sort(p, axis=1), axis=0)


def _kerja_sama(rng: np.random.Generator, w: _Wilayah, modal_sosial: np.ndarray) -> np.ndarray:
    """Inter-village cooperation pairs (i < j) and start year: mostly neighbours, some across kecamatan."""
    pasangan = _tetangga(w.desa_geom)
    a, b = pasangan.T
    sama_kec = w.desa_kec[a] == w.desa_kec[b]
    ms = _z(modal_sosial)
    p = _sigmoid(-2.3 + 0.7 * (ms[a] + ms[b]) / 2 + 0.9 * sama_kec)
    pilih = rng.random(len(a)) < p
    # A few longer-range agreements within the same kabupaten.
    n_jauh = len(w.desa_kode) // 40
    x = rng.integers(0, len(w.desa_kode), n_jauh)
    kandidat = rng.integers(0, len(w.desa_kode), n_jauh)
    sama_kab = (w.desa_kab[x] == w.desa_kab[kandidat]) & (x != kandidat)
    jauh = np.column_stack([np.minimum(x, kandidat), np.maximum(x, kandidat)])[sama_kab]
    semua = np.unique(np.vstack([pasangan[pilih], jauh]), axis=0)
    return np.column_stack([semua, _tahun_mulai(rng, len(semua))])


def _ikatan_mitra(rng: np.random.Generator, w: _Wilayah, m_prov, m_jenis, m_rumah, lembaga_pertama):
    """Partner ties: (mitra index, village, lembaga index or -1, tie kind 'kemitraan'/'pendampingan')."""
    desa_per_prov = _kelompok(w.desa_prov, len(w.prov_kode))
    # Per partner type: number of villages (lo, hi), distance decay (km) from its home kabupaten,
    # the institution types it works with (or the village itself) and the kind of tie.
    rentang = {"instansi_pemerintah": (15, 50), "perguruan_tinggi": (10, 40), "lsm": (4, 20), "swasta": (3, 12),
               "bumn": (5, 20)}
    skala_km = {"instansi_pemerintah": np.inf, "perguruan_tinggi": 60.0, "lsm": 30.0, "swasta": 40.0, "bumn": 60.0}
    usaha = np.array([_L["bumdes"], _L["koperasi"], _L["kelompok_tani"]])
    sasaran = {"lsm": np.array([_L["lks"], _L["pkk"], _L["karang_taruna"]]), "swasta": usaha, "bumn": usaha}
    out_m, out_v, out_l, out_k = [], [], [], []
    for m, (p, j, k) in enumerate(zip(m_prov, m_jenis, m_rumah)):
        jenis = JENIS_MITRA[j]
        calon = desa_per_prov[p]
        if jenis == "instansi_pemerintah":  # a kabupaten agency works in its own kabupaten
            calon = calon[w.desa_kab[calon] == k]
        d = np.hypot(w.lon[calon] - w.kab_lonlat[k, 0], w.lat[calon] - w.kab_lonlat[k, 1]) * 111
        n_pilih = min(int(rng.integers(rentang[jenis][0], rentang[jenis][1] + 1)), len(calon))
        kunci = -d / skala_km[jenis] + rng.gumbel(size=len(calon))  # Gumbel top-k: weighted sampling
        desa = calon[np.argsort(-kunci, kind="stable")[:n_pilih]]
        lembaga = np.full(len(desa), -1)
        if jenis in sasaran and (jenis != "lsm" or rng.random() < 0.4):
            tipe = sasaran[jenis][rng.integers(0, len(sasaran[jenis]), len(desa))]
            lembaga = lembaga_pertama[desa, tipe]  # -1 (tie to the village) when it has none
        out_m.append(np.full(len(desa), m))
        out_v.append(desa)
        out_l.append(lembaga)
        out_k.append(np.full(len(desa), "kemitraan" if jenis in ("swasta", "bumn") else "pendampingan",
                             dtype=object))
    return (np.concatenate(out_m), np.concatenate(out_v), np.concatenate(out_l), np.concatenate(out_k))


def _indikator_jaringan(penduduk: np.ndarray, pemilik: np.ndarray, tahun_lembaga: np.ndarray,
                        kerja_sama: np.ndarray, mitra_desa: np.ndarray,
                        tahun_mitra: np.ndarray) -> dict[str, np.ndarray]:
    """Network indicators per village and year, counting each tie from its start year on.

    ``pemilik``/``tahun_lembaga``: home village and start year of each institution; ``kerja_sama``:
    (village, village, year) rows; ``mitra_desa``: partner × n + village for each partner tie (to the
    village or one of its institutions) with start years ``tahun_mitra``.
    """
    n = len(penduduk)
    keluar = {k: np.empty((n, len(TAHUN))) for k in ("lembaga_per_1000", "kerja_sama_antardesa", "jumlah_mitra")}
    for t, tahun in enumerate(TAHUN):
        keluar["lembaga_per_1000"][:, t] = np.bincount(pemilik[tahun_lembaga <= tahun], minlength=n) / penduduk * 1000
        aktif = kerja_sama[kerja_sama[:, 2] <= tahun]
        keluar["kerja_sama_antardesa"][:, t] = (np.bincount(aktif[:, 0], minlength=n)
                                                + np.bincount(aktif[:, 1], minlength=n))
        keluar["jumlah_mitra"][:, t] = np.bincount(np.unique(mitra_desa[tahun_mitra <= tahun]) % n, minlength=n)
    keluar["lembaga_per_1000"] = np.round(keluar["lembaga_per_1000"], 2)
    return keluar


def _jaringan(w: _Wilayah, idm: dict[str, np.ndarray], kt: np.ndarray, bumdes: np.ndarray, ukuran: _Ukuran,
              seed: int) -> _Jaringan:
    """Nodes, ties and the network indicators computed from them (ties count from their start year)."""
    rng = _rng(seed, "jaringan")
    n = len(w.desa_kode)

    pemilik, jenis_l, tahun_l = _lembaga(rng, w, kt, bumdes)
    nama_l = _nama_lembaga(rng, w, pemilik, jenis_l)
    no_l = _peringkat_dalam_grup(pemilik, np.arange(len(pemilik))) + 1
    id_desa = np.array(["desa:" + k for k in w.desa_kode.tolist()], dtype=object)
    id_l = np.array([f"lembaga:{w.desa_kode[v]}:{k}" for v, k in zip(pemilik.tolist(), no_l.tolist())], dtype=object)
    lembaga_pertama = np.full((n, len(JENIS_LEMBAGA)), -1)
    pertama = np.r_[True, (pemilik[1:] != pemilik[:-1]) | (jenis_l[1:] != jenis_l[:-1])]
    lembaga_pertama[pemilik[pertama], jenis_l[pertama]] = np.flatnonzero(pertama)

    m_prov, m_jenis, m_rumah, m_nama = _mitra(rng, w, ukuran.mitra_per_prov)
    no_m = _peringkat_dalam_grup(m_prov, np.arange(len(m_prov))) + 1
    id_m = np.array([f"mitra:{w.prov_kode[p]}:{k:03d}" for p, k in zip(m_prov, no_m)], dtype=object)

    ks = _kerja_sama(rng, w, idm["iks_modal_sosial"].mean(axis=1))
    im, iv, il, ik = _ikatan_mitra(rng, w, m_prov, m_jenis, m_rumah, lembaga_pertama)
    it = _tahun_mulai(rng, len(im))
    it = np.where(il >= 0, np.maximum(it, tahun_l[np.maximum(il, 0)]), it)

    simpul = pd.DataFrame({
        "id": np.concatenate([id_desa, id_l, id_m]),
        "tipe": np.repeat(["desa", "lembaga", "mitra"], [n, len(id_l), len(id_m)]),
        "jenis": np.concatenate([np.where(w.desa_kelurahan, "kelurahan", "desa"),
                                 np.asarray(JENIS_LEMBAGA)[jenis_l], np.asarray(JENIS_MITRA)[m_jenis]]),
        "nama": np.concatenate([w.desa_nama.astype(object), np.array(nama_l, dtype=object),
                                np.array(m_nama, dtype=object)]),
        "kode_desa": np.concatenate([w.desa_kode.astype(object), w.desa_kode[pemilik].astype(object),
                                     np.full(len(id_m), None, dtype=object)]),
    })
    ikatan = pd.DataFrame({
        "dari": np.concatenate([id_desa[pemilik], id_desa[ks[:, 0]], id_m[im]]),
        "ke": np.concatenate([id_l, id_desa[ks[:, 1]], np.where(il >= 0, id_l[np.maximum(il, 0)], id_desa[iv])]),
        "jenis": np.concatenate([np.full(len(id_l), "anggota", dtype=object),
                                 np.full(len(ks), "kerja_sama_antardesa", dtype=object), ik]),
        "tahun": np.concatenate([tahun_l, ks[:, 2], it]).astype(np.int16),
    })

    indikator = _indikator_jaringan(w.penduduk, pemilik, tahun_l, ks, im * n + iv, it)
    return _Jaringan(simpul, ikatan, indikator)


# --------------------------------------------------------------------------------------------------
# Long table of values
# --------------------------------------------------------------------------------------------------

_TANPA, _HILANG, _DITAHAN = 0, 1, 2


def _bendera(w: _Wilayah, seed: int) -> dict[str, np.ndarray]:
    """Flag codes (n × T) for indicators that can be missing or suppressed (survey-type data)."""
    rng = _rng(seed, "bendera")
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


def _tabel_nilai(w: _Wilayah, nilai: dict[str, np.ndarray], bendera: dict[str, np.ndarray]) -> pd.DataFrame:
    """Long table ordered by indicator (catalog order), year, village code."""
    n, T = len(w.desa_kode), len(TAHUN)
    desa = np.flatnonzero(~w.desa_kelurahan)
    semua = np.arange(n)
    ids = [i for i in catalog.ids() if i in nilai]
    bagian_kode, bagian_tahun, bagian_ind, bagian_nilai, bagian_flag = [], [], [], [], []
    for k, ind in enumerate(ids):
        baris = desa if ind in KELUARGA_IDM else semua
        v = nilai[ind][baris].T.ravel()  # year-major
        f = bendera.get(ind, np.zeros((n, T), np.int8))[baris].T.ravel()
        v = np.where(f == _TANPA, v, np.nan)
        bagian_kode.append(np.tile(baris, T))
        bagian_tahun.append(np.repeat(np.asarray(TAHUN, np.int16), len(baris)))
        bagian_ind.append(np.full(len(v), k, np.int32))
        bagian_nilai.append(v)
        bagian_flag.append(f)
    bendera_teks = pd.array([None, "missing", "suppressed"], dtype="str")
    return pd.DataFrame({
        "kode": pd.array(w.desa_kode, dtype="str").take(np.concatenate(bagian_kode)),
        "tahun": np.concatenate(bagian_tahun),
        "indikator": pd.array(ids, dtype="str").take(np.concatenate(bagian_ind)),
        "nilai": np.concatenate(bagian_nilai).astype(float),
        "flag": bendera_teks.take(np.concatenate(bagian_flag).astype(np.int64)),
    })


# --------------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------------

def _dataset(size: str, seed: int) -> dict:
    akhiran = "" if size == "demo" else f"-{size}"
    akhiran += "" if seed == 2024 else f"-s{seed}"
    return {
        "id": "demo" + akhiran,
        "nama": "Data demo Sinergi Desa (rekaan)" + ("" if size == "demo" else f" – ukuran {size}"),
        "sumber": "Dibangkitkan oleh sinergi.demo; data rekaan, bukan data resmi",
        "lisensi": "CC0-1.0",
        "tahun": f"{TAHUN[0]}–{TAHUN[-1]}",
        "demo": True,
        "catatan": (
            "Seluruh wilayah, kode, nama dan angka adalah rekaan. Pulau-pulaunya terletak di Samudra Hindia "
            "dan kode provinsinya tidak dipakai wilayah nyata. "
            f"Ukuran: {size}; seed: {seed}."
        ),
    }


def generate(size: str = "demo", seed: int = 2024,
             progress: Callable[[float, str], None] | None = None) -> DemoData:
    """Generate the fictional dataset.

    ``size``: "kecil" (1 province, ~300 villages, for tests), "demo" (3 provinces, ~4,500 villages)
    or "nasional" (38 provinces, ~514 kabupaten/kota, ~7,300 kecamatan, ~84,000 villages; benchmarks).
    ``seed``: a non-negative integer; the same (size, seed) always gives identical data.
    ``progress(fraction, message)`` is called as the work advances (fraction 0..1).
    """
    if size not in UKURAN:
        raise ValueError(f"Ukuran tidak dikenal: {size!r} (pilih dari {', '.join(UKURAN)})")
    if int(seed) < 0:
        raise ValueError("seed harus bilangan bulat non-negatif")
    ukuran, seed = UKURAN[size], int(seed)
    lapor = progress or (lambda f, m: None)

    w = _bangun_wilayah(ukuran, seed, lapor)
    lapor(0.7, "Membangkitkan indikator")
    idm = _indeks_idm(w, seed)
    nilai: dict[str, np.ndarray] = dict(idm)
    nilai.update(_kapasitas(w, idm["iks"], seed))
    kt, bumdes = _kelembagaan(w, idm, seed)
    nilai["karang_taruna_aktif"] = kt * 100.0
    nilai["bumdes_aktif"] = bumdes * 100.0

    lapor(0.78, "Membagikan program kementerian/lembaga")
    dapat = _program(w, idm["iks"], seed)
    nilai.update(_hitung_program(dapat))
    program = _tabel_program(w, dapat)

    lapor(0.84, "Membangun jaringan sosial")
    jaringan = _jaringan(w, idm, kt, bumdes, ukuran, seed)
    nilai.update(jaringan.indikator)

    lapor(0.93, "Menyusun tabel nilai")
    tabel = _tabel_nilai(w, nilai, _bendera(w, seed))
    lapor(1.0, "Selesai")
    return DemoData(w.regions, tabel, program, jaringan.simpul, jaringan.ikatan, _dataset(size, seed))

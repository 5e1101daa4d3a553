"""All regions at once: per-province geometry joined, Kemendagri-style codes, names, coverage unions,
areas, population, and the ``regions`` table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd
import shapely

from sinergi import geo
from sinergi.demo.common import Ukuran, kelompok, pantul, peringkat_dalam_grup, pembangkit
from sinergi.demo.geometry import Lekuk, bangun_provinsi, jarak_km, rencanakan
from sinergi.demo.names import Penama

# Village codes: desa segment starts with 2 (2001…), kelurahan with 1 (1001…).
_AWAL_DESA, _AWAL_KELURAHAN = 2000, 1000
_KOTA_PERTAMA = 71  # kota codes 71..79 within a province


@dataclass
class Wilayah:
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
    for i, idx in enumerate(kelompok(induk, n)):
        out[i] = shapely.coverage_union_all(anak[idx]) if len(idx) > 1 else anak[idx[0]]
    return out


def _beri_nama(seed: int, induk: np.ndarray, pantai: np.ndarray, gabung: bool, kunci: str) -> np.ndarray:
    """Names unique within each parent, coastal-flavoured near the coast."""
    penama = Penama(pembangkit(seed, "nama", kunci))
    nama = np.empty(len(induk), dtype=object)
    dipakai: dict[int, set[str]] = {}
    for i in range(len(induk)):
        s = dipakai.setdefault(int(induk[i]), set())
        nama[i] = penama.unik(lambda: penama.tempat(bool(pantai[i]), gabung), s)
    return nama


def _penduduk(rng: np.random.Generator, luas_km2: np.ndarray, kelurahan: np.ndarray, d_kota_km: np.ndarray,
              d_pantai_km: np.ndarray) -> np.ndarray:
    """Village population: density × area, denser near cities and coasts; desa 500–15,000, kelurahan
    1,500–40,000 (reflected in log space, so there is no pile-up at the bounds)."""
    kepadatan = np.exp(rng.normal(np.log(110), 0.55, len(luas_km2)))
    kepadatan *= 1 + 30 * np.exp(-d_kota_km / 8) + 0.8 * np.exp(-d_pantai_km / 6) + 4 * kelurahan
    log_jiwa = np.log(kepadatan * luas_km2)
    jiwa = np.where(kelurahan, np.exp(pantul(log_jiwa, np.log(1_500), np.log(40_000))),
                    np.exp(pantul(log_jiwa, np.log(500), np.log(15_000))))
    return np.round(jiwa).astype(np.int64)


def _kode_wilayah(prov_kode: np.ndarray, kab_prov: np.ndarray, kab_kota: np.ndarray, kab_titik: np.ndarray,
                  kec_kab: np.ndarray, kec_titik: np.ndarray, desa_kec: np.ndarray, kelurahan: np.ndarray,
                  desa_titik: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Dotted codes, numbered north to south (then west to east) within the parent.

    Kabupaten 01.., kota 71..; kecamatan 01..; kelurahan 1001.., desa 2001.. within the kecamatan.
    """
    rank_kab = peringkat_dalam_grup(kab_prov * 2 + kab_kota, -kab_titik[:, 1], kab_titik[:, 0])
    nomor_kab = np.where(kab_kota, _KOTA_PERTAMA, 1) + rank_kab
    kab_kode = np.array([f"{prov_kode[p]}.{k:02d}" for p, k in zip(kab_prov, nomor_kab)])
    rank_kec = peringkat_dalam_grup(kec_kab, -kec_titik[:, 1], kec_titik[:, 0])
    kec_kode = np.array([f"{kab_kode[k]}.{r + 1:02d}" for k, r in zip(kec_kab, rank_kec)])
    rank_desa = peringkat_dalam_grup(desa_kec * 2 + ~kelurahan, -desa_titik[:, 1], desa_titik[:, 0])
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


def bangun_wilayah(ukuran: Ukuran, seed: int, lapor: Callable[[float, str], None]) -> Wilayah:
    """Build all regions: per-province geometry, codes, names, unions, areas and population."""
    rencana = rencanakan(ukuran, seed)
    lekuk = Lekuk.acak(pembangkit(seed, "lekuk"))
    geos = []
    for i, r in enumerate(rencana):
        lapor(0.02 + 0.45 * i / len(rencana), f"Membangun geometri provinsi {r.nama}")
        geos.append(bangun_provinsi(r, ukuran, seed, lekuk))
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
    d_kota = jarak_km(lon, lat, shapely.multipoints(np.vstack([g.kota_titik for g in geos])))
    d_ibukota = jarak_km(lon, lat, shapely.multipoints(kab_titik))
    d_pantai = jarak_km(lon, lat, pantai)

    # Names (kabupaten/kota carry their "Kabupaten"/"Kota" prefix, as in Kemendagri data).
    kab_dasar = _beri_nama(seed, kab_prov, (jarak_km(*kab_titik.T, pantai) < 8) & ~kab_kota, False, "kab")
    kab_nama = np.array([("Kota " if k else "Kabupaten ") + n for k, n in zip(kab_kota, kab_dasar)], dtype=object)
    kec_nama = _beri_nama(seed, kec_kab, jarak_km(*kec_titik[o_kec].T, pantai) < 5, False, "kec")
    desa_nama = _beri_nama(seed, desa_kec, d_pantai < 3, True, "desa")

    lapor(0.52, "Menggabungkan desa menjadi kecamatan, kabupaten, provinsi")
    kec_geom = _gabung(desa_geom, desa_kec, len(kec_kode))
    kab_geom = _gabung(kec_geom, kec_kab, len(kab_kode))
    prov_geom = _gabung(kab_geom, kab_prov, len(prov_kode))

    lapor(0.58, "Menghitung luas dan penduduk")
    luas_desa = geo.area_km2(desa_geom)
    penduduk = _penduduk(pembangkit(seed, "penduduk"), luas_desa, kelurahan, d_kota, d_pantai)
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
    return Wilayah(
        regions=regions, prov_kode=prov_kode, prov_nama=[r.nama for r in rencana], kab_kode=kab_kode,
        kab_nama=kab_nama, kab_prov=kab_prov, kab_kota=kab_kota,
        kab_lonlat=shapely.get_coordinates(shapely.point_on_surface(kab_geom)), kec_kode=kec_kode, kec_kab=kec_kab,
        desa_kode=desa_kode, desa_nama=desa_nama.astype(str), desa_kec=desa_kec, desa_kab=desa_kab,
        desa_prov=desa_prov, desa_kelurahan=kelurahan, desa_geom=desa_geom, lon=lon, lat=lat, d_kota_km=d_kota,
        d_ibukota_km=d_ibukota, d_pantai_km=d_pantai, penduduk=penduduk,
    )

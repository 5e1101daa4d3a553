"""What every step of the demo generator shares: the years, the size presets, seeded randomness and
small array helpers."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

TAHUN: tuple[int, ...] = tuple(range(2019, 2025))

# Provinces: 2-digit codes that no real province uses (real: 11-19, 21, 31-36, 51-53, 61-65,
# 71-76, 81-82, 91-96).
_KODE_BEBAS: tuple[str, ...] = tuple(
    f"{k:02d}" for k in [*range(22, 31), *range(37, 51), *range(54, 61), *range(66, 71), *range(77, 81),
                         *range(83, 91), 97, 98, 99]
)


@dataclass(frozen=True)
class Ukuran:
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


UKURAN: dict[str, Ukuran] = {
    # One province, ~300 villages: for fast tests.
    "kecil": Ukuran(
        provinsi=("97",), nama_provinsi=("Nusa Rekaan Barat",), pusat=((104.5, -14.0),), jangkauan_deg=1.5,
        kab_per_prov=(4, 4), kab_total=None, kota_per_prov=(1, 1), kec_per_kab=(5, 7), kec_per_kota=(4, 5),
        desa_per_kec=(10, 20), desa_per_kec_kota=(8, 12), luas_desa_km2=20.0, luas_kota_km2=3.0,
        mitra_per_prov=25,
    ),
    # Three provinces south of Java, ~4,500 villages: the app's demo.
    "demo": Ukuran(
        provinsi=("97", "98", "99"), nama_provinsi=("Nusa Rekaan Barat", "Nusa Rekaan Tengah", "Nusa Rekaan Timur"),
        pusat=((104.5, -14.0), (109.5, -14.3), (114.5, -13.8)), jangkauan_deg=2.3,
        kab_per_prov=(7, 8), kab_total=None, kota_per_prov=(1, 2), kec_per_kab=(10, 12), kec_per_kota=(4, 7),
        desa_per_kec=(18, 25), desa_per_kec_kota=(8, 14), luas_desa_km2=20.0, luas_kota_km2=3.0,
        mitra_per_prov=60,
    ),
    # National scale for benchmarks: 38 provinces, 514 kab/kota, ~7,300 kecamatan, ~84,000 villages.
    "nasional": Ukuran(
        provinsi=_KODE_BEBAS[:38], nama_provinsi=None, pusat=_grid_nasional(), jangkauan_deg=1.85,
        kab_per_prov=None, kab_total=514, kota_per_prov=None, kec_per_kab=(10, 22), kec_per_kota=(4, 8),
        desa_per_kec=(6, 18), desa_per_kec_kota=(6, 12), luas_desa_km2=10.0, luas_kota_km2=2.0,
        mitra_per_prov=60,
    ),
}


# --------------------------------------------------------------------------------------------------
# Randomness and small helpers
# --------------------------------------------------------------------------------------------------

def pembangkit(seed: int, *kunci: str | int) -> np.random.Generator:
    """An independent generator for one purpose: seeded by ``seed`` and stable keys (crc32, not hash())."""
    angka = [int(seed)] + [k if isinstance(k, int) else zlib.crc32(k.encode()) for k in kunci]
    return np.random.default_rng(angka)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def z(x: np.ndarray) -> np.ndarray:
    sd = x.std()
    return (x - x.mean()) / (sd if sd > 0 else 1.0)


def peringkat_dalam_grup(grup: np.ndarray, *kunci: np.ndarray) -> np.ndarray:
    """0-based rank of each element within its group, ordered by ``kunci`` (first key most significant)."""
    urutan = np.lexsort(tuple(reversed(kunci)) + (grup,))
    g = grup[urutan]
    awal = np.r_[0, np.flatnonzero(g[1:] != g[:-1]) + 1]
    panjang = np.diff(np.r_[awal, len(g)])
    rank = np.empty(len(grup), dtype=np.int64)
    rank[urutan] = np.arange(len(g)) - np.repeat(awal, panjang)
    return rank


def kelompok(indeks: np.ndarray, n: int) -> list[np.ndarray]:
    """For each group 0..n-1 the (ascending) positions of its members in ``indeks``."""
    urutan = np.argsort(indeks, kind="stable")
    batas = np.searchsorted(indeks[urutan], np.arange(n + 1))
    return [urutan[batas[i]:batas[i + 1]] for i in range(n)]


def bagi_proporsional(total: int, bobot: np.ndarray) -> np.ndarray:
    """Integers summing to ``total``, proportional to ``bobot`` (largest remainder, ties by index)."""
    kuota = total * bobot / bobot.sum()
    n = np.floor(kuota).astype(int)
    sisa = total - n.sum()
    n[np.argsort(-(kuota - n), kind="stable")[:sisa]] += 1
    return n


def pantul(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Reflect values into [lo, hi] (no pile-up at the bounds)."""
    x = np.where(x < lo, 2 * lo - x, x)
    return np.clip(np.where(x > hi, 2 * hi - x, x), lo, hi)

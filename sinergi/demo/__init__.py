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

Modules, by what they generate: :mod:`~sinergi.demo.common` (years, size presets, seeded randomness),
:mod:`~sinergi.demo.names` (place names), :mod:`~sinergi.demo.geometry` (islands and polygons),
:mod:`~sinergi.demo.region_table` (codes, names, population, the ``regions`` table),
:mod:`~sinergi.demo.indicators` (indicators and the long table of values), :mod:`~sinergi.demo.programmes`
and :mod:`~sinergi.demo.networks`. :func:`generate` runs them in a fixed order.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sinergi.demo.common import TAHUN, UKURAN
from sinergi.demo.indicators import KELUARGA_IDM, bagian_nilai, bendera_nilai, indeks_idm, kapasitas, kelembagaan
from sinergi.demo.networks import JENIS_LEMBAGA, JENIS_MITRA, bangun_jaringan
from sinergi.demo.programmes import PROGRAM, bagikan_program, hitung_program, tabel_program
from sinergi.demo.region_table import bangun_wilayah

__all__ = ["DemoData", "JENIS_LEMBAGA", "JENIS_MITRA", "KELUARGA_IDM", "PROGRAM", "TAHUN", "UKURAN", "generate"]


@dataclass
class DemoData:
    """The generated dataset. Geometries are WGS84 lon/lat; ``nilai`` holds village rows only.

    The values are made a part at a time when asked for (:meth:`nilai_bagian`, what a build writes), so a
    national-scale table (~10 million rows) exists whole only when ``nilai`` is read.
    """

    regions: pd.DataFrame
    program: pd.DataFrame
    simpul: pd.DataFrame
    ikatan: pd.DataFrame
    dataset: dict
    _bagian: Callable[[], Iterator[pd.DataFrame]] = field(repr=False)

    def nilai_bagian(self) -> Iterator[pd.DataFrame]:
        """The rows of ``nilai`` in its order, one indicator at a time (each call starts again)."""
        return self._bagian()

    @functools.cached_property
    def nilai(self) -> pd.DataFrame:
        """The long table of village values ``kode, tahun, indikator, nilai, flag``, ordered by indicator
        (catalog order), year, village code."""
        return pd.concat(list(self.nilai_bagian()), ignore_index=True)


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

    w = bangun_wilayah(ukuran, seed, lapor)
    lapor(0.7, "Membangkitkan indikator")
    idm = indeks_idm(w, seed)
    nilai: dict[str, np.ndarray] = dict(idm)
    nilai.update(kapasitas(w, idm["iks"], seed))
    kt, bumdes = kelembagaan(w, idm, seed)
    nilai["karang_taruna_aktif"] = kt * 100.0
    nilai["bumdes_aktif"] = bumdes * 100.0

    lapor(0.78, "Membagikan program kementerian/lembaga")
    dapat = bagikan_program(w, idm["iks"], seed)
    nilai.update(hitung_program(dapat))
    program = tabel_program(w, dapat)

    lapor(0.84, "Membangun jaringan sosial")
    jaringan = bangun_jaringan(w, idm, kt, bumdes, ukuran, seed)
    nilai.update(jaringan.indikator)

    lapor(0.93, "Menyusun tabel nilai")
    bendera = bendera_nilai(w, seed)
    kode, kelurahan = w.desa_kode, w.desa_kelurahan
    lapor(1.0, "Selesai")
    return DemoData(w.regions, program, jaringan.simpul, jaringan.ikatan, _dataset(size, seed),
                    lambda: bagian_nilai(kode, kelurahan, nilai, bendera))

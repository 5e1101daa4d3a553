"""The steps the tabular import kinds share (programmes, institutions, ties, population; see
:mod:`sinergi.importers.kinds`): the report, the current dataset, the options, reading the table, and the
plan made from the current dataset with what the kind changes."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sinergi.importers import ImporGagal, codes, files, plan, tables
from sinergi.importers.report import GALAT, INFO, PERINGATAN, Laporan

SUMBER = {"program": "Program K/L", "lembaga": "Lembaga lokal", "ikatan": "Ikatan jejaring", "penduduk": "Penduduk"}


@dataclass
class Konteks:
    """What a kind's reader gets: the report, the current dataset, the table, the crosswalk and code list."""

    lap: Laporan
    cur: plan.DataSaatIni
    tabel: files.Tabel
    crosswalk: codes.Crosswalk | None
    daftar: pd.DataFrame | None

    @property
    def t(self) -> pd.DataFrame:
        return self.tabel.frame

    def baris(self, kolom_kode: str | None, kolom_nama: str | None, sistem: str | None) -> pd.DataFrame:
        """The table's rows keyed by region (``tables.baca_kode``)."""
        return tables.baca_kode(self.tabel, self.lap, kolom_kode=kolom_kode, kolom_nama=kolom_nama, sistem=sistem,
                                crosswalk=self.crosswalk)[0]

    def rencana(self, sumber: str | None, lisensi: str | None, **ganti) -> plan.Rencana:
        """The plan: the current dataset with ``ganti`` (regions, nilai, program, simpul, ikatan, asal, alias)."""
        cur = self.cur
        isi = {"regions": cur.regions, "nilai": cur.nilai, "program": cur.program, "simpul": cur.simpul,
               "ikatan": cur.ikatan, "asal": cur.asal, "alias": cur.alias}
        isi.update(ganti)
        sumber = sumber or f"{SUMBER[self.lap.jenis]}: {self.lap.berkas}"
        return plan.Rencana(self.lap, cur.nama, cur.mtime_ns, sumber=plan.baris_sumber(cur, self.lap, sumber, lisensi),
                            meta=dict(cur.meta), daftar=self.daftar, **isi)


def jalankan(jenis: str, path: Path | str, dataset: str, baca: Callable[[Konteks], plan.Rencana], *,
             crosswalk: Path | str | None = None, kode_wilayah: Path | str | None = None,
             batas_mb: float = files.BATAS_UKURAN_MB, lembar: str | None = None,
             nama_berkas: str | None = None) -> plan.Rencana:
    """Start a plan of kind ``jenis`` (report, current dataset, options, the table), let ``baca`` make it,
    and turn an :class:`ImporGagal` anywhere into an error in the report (nothing is written)."""
    t0 = time.perf_counter()
    lap, cur = plan.mulai(jenis, nama_berkas or Path(path).name, dataset)
    if cur is None:
        return plan.Rencana(lap, dataset, None)
    try:
        cw, daftar = plan.opsi_tambahan(lap, crosswalk, kode_wilayah, batas_mb)
        tabel = files.baca_tabel(path, batas_mb, lembar)
        tables.catat_tabel(tabel, lap)
        r = baca(Konteks(lap, cur, tabel, cw, daftar))
    except ImporGagal as e:
        lap.tambah(GALAT, str(e))
        return plan.Rencana(lap, dataset, cur.mtime_ns)
    lap.tambah(INFO, f"Pemeriksaan selesai dalam {time.perf_counter() - t0:.1f} detik.")
    return r


def cocokkan(k: Konteks, baris: pd.DataFrame, tambah: bool, hanya_desa: bool = False,
             apa: str = "barisnya") -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Match rows with the dataset's regions (``plan.cocokkan_wilayah``). With ``hanya_desa``, rows coded
    above the village level are refused first (reported as not matching). Returns the rows with ``status``
    (ada | baru | tolak), the regions and the provenance."""
    if not hanya_desa:
        return plan.cocokkan_wilayah(baris, k.cur, k.lap, tambah, k.daftar, apa)
    lv = baris["kode"].map(lambda x: x.count(".") + 1 if isinstance(x, str) else 0)
    atas = (lv > 0) & (lv < 4)
    m, reg, asal = plan.cocokkan_wilayah(baris[~atas], k.cur, k.lap, tambah, k.daftar, apa)
    if atas.any():
        tolak = baris[atas].assign(status="tolak", alasan=[f"bukan kode desa/kelurahan (tingkat {v})" for v in lv[atas]],
                                   mirip="")
        k.lap.tidak_cocok = pd.concat([k.lap.tidak_cocok, tolak[list(k.lap.tidak_cocok.columns)]], ignore_index=True)
        k.lap.tambah(PERINGATAN, f"{int(atas.sum())} baris berkode kecamatan, kabupaten/kota atau provinsi: {apa} "
                                 "dicatat per desa/kelurahan, jadi baris itu dilewati.",
                     [f"baris {b}: {x}" for b, x in zip(tolak["baris"][:5], tolak["kode_asal"][:5])])
        m = pd.concat([m, tolak.drop(columns="mirip")], ignore_index=True)
    return m, reg, asal


def tahun(k: Konteks, baris: pd.DataFrame, tahun_: int | None, apa: str) -> np.ndarray:
    """The year of each row (``tables.baca_tahun``; NaN where invalid, reported); without a year column or
    a year given by the user the import cannot go on."""
    th, _ = tables.baca_tahun(k.t, baris, k.lap, tahun_)
    if th is None:
        raise ImporGagal(f"Tahun {apa} tidak diketahui: tambahkan kolom 'tahun' atau sebutkan tahunnya "
                         "(opsi --year, atau isian Tahun di Kelola Data).")
    return th

"""Datasets side by side: listing the database files, describing one, switching the active one.

Every dataset is one file ``data/<id>.duckdb`` (``sinergi.db.data_dir``); ``data/active`` names the
active one (absent → ``demo``). Switching only rewrites ``data/active`` (atomically), after checking
that the file exists and opens; the app picks the new file up on its next rerun.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from sinergi import db
from sinergi.i18n import fmt_num
from sinergi.regions import LEVEL_NAMES

_NAMA = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass
class InfoDataset:
    """One dataset file and what its ``dataset`` table says about it."""

    id: str
    path: Path
    aktif: bool
    nama: str = ""
    sumber: str = ""
    lisensi: str | None = None
    tahun: str = ""
    demo: bool = False
    dibangun_pada: object = None
    ukuran_mb: float = 0.0
    galat: str | None = None  # why the file cannot be read, if it cannot
    catatan: str | None = None


@dataclass
class StatusDataset:
    info: InfoDataset
    wilayah: pd.DataFrame = field(default_factory=pd.DataFrame)  # level, n, n_desa, n_kelurahan
    indikator: pd.DataFrame = field(default_factory=pd.DataFrame)  # id, tema, tahun_min, tahun_max, n
    tahun: list[int] = field(default_factory=list)
    sumber: pd.DataFrame = field(default_factory=pd.DataFrame)  # sumber_impor rows


def _info(path: Path, aktif: str) -> InfoDataset:
    info = InfoDataset(path.stem, path, path.stem == aktif, ukuran_mb=path.stat().st_size / 2**20)
    try:
        con = db.connect_snapshot(path)
    except db.DataError as e:
        info.galat = str(e)
        return info
    try:
        df = db.run_query(con, "dataset_info")
    except duckdb.Error as e:
        info.galat = f"Berkas {path.name} bukan basis data Sinergi Desa ({type(e).__name__})."
        return info
    finally:
        con.close()
    if len(df):
        row = df.iloc[0]
        info.nama, info.sumber = str(row["nama"]), str(row["sumber"])
        info.lisensi = row["lisensi"] if isinstance(row["lisensi"], str) else None
        info.tahun = str(row["tahun"] or "")
        info.demo = bool(row["demo"])
        info.dibangun_pada = row["dibangun_pada"]
        info.catatan = row["catatan"] if isinstance(row["catatan"], str) else None
    return info


def daftar() -> list[InfoDataset]:
    """Every ``data/*.duckdb`` with a valid dataset name, the active one flagged."""
    folder = db.data_dir()
    aktif = db.active_dataset()
    paths = sorted(p for p in folder.glob("*.duckdb") if _NAMA.match(p.stem)) if folder.is_dir() else []
    return [_info(p, aktif) for p in paths]


def gunakan(nama: str) -> InfoDataset:
    """Make ``nama`` the active dataset. Raises :class:`db.DataError` (Indonesian message) when the name
    is invalid or its file is missing or unreadable; then nothing changes."""
    if not _NAMA.match(nama or ""):
        raise db.DataError(f"Nama dataset tidak sah: {nama!r}.")
    path = db.dataset_path(nama)
    if not path.exists():
        names = ", ".join(i.id for i in daftar()) or "(belum ada)"
        raise db.DataError(f"Dataset {nama!r} tidak ada (berkas {path.name} belum dibangun). Dataset yang ada: {names}.")
    info = _info(path, nama)
    if info.galat:
        raise db.DataError(info.galat)
    f = db.data_dir() / "active"
    tmp = f.with_name(f".active.{os.getpid()}")
    tmp.write_text(nama + "\n", encoding="utf-8")
    os.replace(tmp, f)  # readers never see a half-written name
    return info


def status(nama: str | None = None) -> StatusDataset:
    """What dataset ``nama`` (default: the active one) holds: metadata, regions per level, years,
    indicators and the files imported into it."""
    nama = nama or db.active_dataset()
    path = db.dataset_path(nama)
    if not path.exists():
        raise db.DataError(f"Dataset {nama!r} belum dibangun ({path}).")
    info = _info(path, db.active_dataset())
    if info.galat:
        raise db.DataError(info.galat)
    con = db.connect_snapshot(path)
    try:
        st = StatusDataset(info, db.run_query(con, "region_counts"), db.run_query(con, "indicators_available"),
                           [int(y) for y in db.run_query(con, "years", indikator="")["tahun"]])
        try:
            st.sumber = db.run_query(con, "import_sources")
        except duckdb.CatalogException:  # a file built before imports were recorded
            st.sumber = pd.DataFrame()
    finally:
        con.close()
    return st


def status_teks(st: StatusDataset) -> str:
    """The status as text for the command line (Indonesian)."""
    i = st.info
    n = lambda x: fmt_num(int(x), 0, "id")
    lines = [f"Dataset {i.id}{' (aktif)' if i.aktif else ''}: {i.nama}" + ("  [DATA DEMO]" if i.demo else ""),
             f"  Sumber   : {i.sumber}", f"  Lisensi  : {i.lisensi or '–'}",
             f"  Dibangun : {i.dibangun_pada}", f"  Berkas   : {i.path} ({fmt_num(i.ukuran_mb, 1, 'id')} MB)"]
    if i.catatan:
        lines.append(f"  Catatan  : {i.catatan}")
    lines.append("Wilayah per tingkat:")
    for r in st.wilayah.itertuples(index=False):
        extra = f" ({n(r.n_desa)} desa, {n(r.n_kelurahan)} kelurahan)" if int(r.level) == 4 else ""
        lines.append(f"  {int(r.level)} {LEVEL_NAMES[int(r.level)]:<15} {n(r.n):>8}{extra}")
    lines.append(f"Tahun: {', '.join(map(str, st.tahun)) or '–'}")
    lines.append("Indikator:")
    for r in st.indikator.itertuples(index=False):
        yrs = f"{r.tahun_min}" if r.tahun_min == r.tahun_max else f"{r.tahun_min}–{r.tahun_max}"
        lines.append(f"  {r.id:<22} {yrs:<10} {n(r.n):>9} nilai")
    if len(st.sumber):
        lines.append("Berkas yang diimpor:")
        for r in st.sumber.itertuples(index=False):
            lic = f", lisensi {r.lisensi}" if isinstance(r.lisensi, str) and r.lisensi else ""
            lines.append(f"  {r.urut}. [{r.jenis}] {r.berkas} — {n(r.cocok)}/{n(r.baris)} cocok; "
                         f"{r.sumber}{lic} ({r.diimpor_pada:%Y-%m-%d %H:%M})")
    return "\n".join(lines)


def daftar_teks(items: list[InfoDataset]) -> str:
    if not items:
        return f"Belum ada dataset di {db.data_dir()}."
    lines = ["Dataset:"]
    for i in items:
        mark = "*" if i.aktif else " "
        what = i.galat or f"{i.nama} — {i.sumber}" + (f" ({i.lisensi})" if i.lisensi else "")
        lines.append(f" {mark} {i.id:<16} {what}")
    lines.append("(* = aktif)")
    return "\n".join(lines)

"""Datasets side by side: listing the database files, describing one, switching the active one.

Every dataset is one file ``data/<id>.duckdb`` (``sinergi.db.data_dir``); ``data/active`` names the
active one (absent → ``demo``). Switching only rewrites ``data/active`` (atomically), after checking
that the file exists and opens; the app picks the new file up on its next rerun.

A file that cannot be read is listed with its fault (:class:`sinergi.db.DataError`: missing, damaged,
a folder in its place, not ours); :func:`perbaikan` says how to repair it, :func:`sisihkan` moves a
damaged file aside so its dataset can be imported again.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from sinergi import db, folders
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
    galat: str | None = None  # why the file cannot be read, if it cannot (Indonesian)
    catatan: str | None = None
    gangguan: db.DataError | None = None  # the same as a fault, for messages in the user's language


@dataclass
class StatusDataset:
    info: InfoDataset
    wilayah: pd.DataFrame = field(default_factory=pd.DataFrame)  # level, n, n_desa, n_kelurahan
    indikator: pd.DataFrame = field(default_factory=pd.DataFrame)  # id, tema, tahun_min, tahun_max, n
    tahun: list[int] = field(default_factory=list)
    sumber: pd.DataFrame = field(default_factory=pd.DataFrame)  # sumber_impor rows
    isi: dict = field(default_factory=dict)  # programmes, institutions, ties, tile sets (queries/dataset_holdings.sql)


def _info(path: Path, aktif: str) -> InfoDataset:
    try:
        size = path.stat().st_size / 2**20
    except OSError:  # e.g. a dangling link
        size = 0.0
    info = InfoDataset(path.stem, path, path.stem == aktif, ukuran_mb=size)

    def fault(e: db.DataError) -> InfoDataset:
        info.galat, info.gangguan = str(e), e
        return info

    try:
        con = db.connect_snapshot(path)
    except db.DataError as e:
        return fault(e)
    try:
        df = db.run_query(con, "dataset_info")
    except duckdb.Error as e:
        return fault(db.mark_damaged(path, e) if isinstance(e, duckdb.IOException) else
                     db.gangguan("asing", path, detail=str(e).splitlines()[0]))
    finally:
        con.close()
    seen = db.seen_damaged(path)  # a page found a damaged block in this very file
    if seen is not None:
        fault(seen)
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
        names = ", ".join(i.id for i in daftar() if not i.galat) or "(belum ada)"
        e = db.gangguan("hilang", path)
        raise db.DataError(f"{e} Dataset yang ada: {names}.", "hilang", dataset=nama, berkas=path.name)
    info = _info(path, nama)
    if info.gangguan is not None:
        raise info.gangguan
    folders.pastikan_bisa_ditulis(path.parent)  # say why up front rather than fail half-way
    f = db.data_dir() / "active"
    tmp = f.with_name(f".active.{os.getpid()}")
    try:
        tmp.write_text(nama + "\n", encoding="utf-8")
        os.replace(tmp, f)  # readers never see a half-written name
    except OSError as e:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        raise db.gangguan("tulis", folder=path.parent, detail=str(e)) from e
    return info


def status(nama: str | None = None) -> StatusDataset:
    """What dataset ``nama`` (default: the active one) holds: metadata, regions per level, years,
    indicators and the files imported into it. Raises :class:`db.DataError` with the fault."""
    path = db.dataset_path(nama)  # without a name: the active one, or the fault of data/active
    if not path.exists():
        raise db.gangguan("hilang", path)
    info = _info(path, db.active_dataset())
    if info.gangguan is not None:
        raise info.gangguan
    con = db.connect_snapshot(path)
    try:
        st = StatusDataset(info, db.run_query(con, "region_counts"), db.run_query(con, "indicators_available"),
                           [int(y) for y in db.run_query(con, "years", indikator="")["tahun"]])
        st.isi = db.run_query(con, "dataset_holdings").iloc[0].to_dict()
        try:
            st.sumber = db.run_query(con, "import_sources")
        except duckdb.CatalogException:  # a file built before imports were recorded
            st.sumber = pd.DataFrame()
    except duckdb.IOException as e:  # a damaged block behind a readable catalog
        raise db.mark_damaged(path, e) from e
    finally:
        con.close()
    return st


def perbaikan(e: db.DataError, lang: str = "id") -> str:
    """How to repair fault ``e``, in ``lang``: in the Kelola Data page and on the server's command line."""
    from sinergi import i18n

    if e.jenis == "tulis":
        key = "fault_fix_write"
    elif e.jenis == "aktif" or (e.jenis == "hilang" and e.dataset != "demo"):
        key = "fault_fix_active"
    elif e.dataset == "demo":
        key = "fault_fix_demo"
    else:
        key = "fault_fix_other"
    return i18n.t(key, lang).format(dataset=e.dataset or "NAMA")


def sisihkan(nama: str) -> Path:
    """Move dataset ``nama``'s file aside (``<nama>.duckdb.rusak-<time>``, never deleted) so the dataset
    can be imported again from its source files; return where it went.

    Only a file that cannot be read completely (``db.check_contents``) is moved: a sound dataset is
    refused with a :class:`db.DataError`, as are a missing file, a read-only folder and a running import.
    """
    path = db.dataset_path(nama)
    if not os.path.lexists(path):
        raise db.gangguan("hilang", path)
    try:
        db.check_contents(path)
    except db.DataError as e:
        if e.jenis == "hilang":
            raise
    else:
        raise db.DataError(f"Dataset {nama!r} terbaca dengan baik: tidak ada yang perlu disisihkan.")
    folders.pastikan_bisa_ditulis(path.parent)
    try:
        with folders.kunci_folder(path.parent):
            return folders.sisihkan(path)
    except folders.FolderSibuk:
        raise db.DataError("Impor lain sedang berjalan; tunggu sampai selesai lalu coba lagi.") from None


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
    isi = st.isi
    if isi:
        if isi["program_baris"]:
            yrs = (f"{int(isi['program_tahun_min'])}" if isi["program_tahun_min"] == isi["program_tahun_max"]
                   else f"{int(isi['program_tahun_min'])}–{int(isi['program_tahun_max'])}")
            lines.append(f"Program: {n(isi['program_baris'])} baris, {n(isi['program_desa'])} desa, "
                         f"{n(isi['program_kementerian'])} kementerian/lembaga, {yrs}")
        else:
            lines.append("Program: – (impor dengan: python -m sinergi import programs BERKAS)")
        lines.append(f"Jejaring: {n(isi['lembaga'])} lembaga lokal, {n(isi['mitra'])} mitra, "
                     f"{n(isi['ikatan'])} ikatan")
        lines.append(f"Ubin peta vektor: {n(isi['tile_sets'])} tingkat" if isi["tile_sets"]
                     else "Ubin peta vektor: – (tambahkan dengan: python -m sinergi tiles)")
    if len(st.sumber):
        lines.append("Berkas yang diimpor:")
        for r in st.sumber.itertuples(index=False):
            lic = f", lisensi {r.lisensi}" if isinstance(r.lisensi, str) and r.lisensi else ""
            lines.append(f"  {r.urut}. [{r.jenis}] {r.berkas} — {n(r.cocok)}/{n(r.baris)} cocok; "
                         f"{r.sumber}{lic} ({r.diimpor_pada:%Y-%m-%d %H:%M})")
    return "\n".join(lines)


def daftar_teks(items: list[InfoDataset]) -> str:
    """The dataset list for the command line; a fault of the active dataset or of any file is said, with
    its repair command, rather than left to be guessed from a missing line."""
    fault = db.active_fault()
    aktif_ada = fault is None and any(i.aktif for i in items)
    if not items and fault is None and not db.dataset_path().exists():
        return f"Belum ada dataset di {db.data_dir()}."
    lines = ["Dataset:"]
    for i in items:
        mark = "*" if i.aktif else " "
        what = i.galat or f"{i.nama} — {i.sumber}" + (f" ({i.lisensi})" if i.lisensi else "")
        lines.append(f" {mark} {i.id:<16} {what}")
    lines.append("(* = aktif)")
    if fault is None and not aktif_ada and db.active_dataset() != "demo":  # a missing demo is built on start
        fault = db.gangguan("hilang", db.dataset_path())
    for e in [fault] + [i.gangguan for i in items if i.gangguan is not None]:
        if e is not None:
            lines.append(f"{e} {perbaikan(e)}" if e is fault else f"{e.dataset}: {perbaikan(e)}")
    return "\n".join(lines)

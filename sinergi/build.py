"""Building a dataset's database file: tables from frames, aggregates, catalog, atomically swapped in.

A database is always written to a temporary file beside the target and renamed over it only when
complete, so a failed or interrupted build leaves the previous file untouched.

Writing into the data folder (an import, the demo build, setting a damaged file aside) holds an
advisory lock on the folder itself (:func:`kunci_folder`). The kernel drops it when its holder dies, even
by SIGKILL, so the next writer is never blocked by a dead one, and a temporary file found while nobody
holds the lock is certainly a leftover of an interrupted write (:func:`bersihkan_sisa` removes those).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import re
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
import shapely

from sinergi import aggregate, catalog, db

SCHEMA = Path(__file__).with_name("schema.sql")
Progress = Callable[[float, str], None]


def _noop(_f: float, _m: str) -> None:
    pass


def write_database(
    path: Path | str,
    *,
    regions: pd.DataFrame,
    nilai: pd.DataFrame,
    program: pd.DataFrame | None = None,
    simpul: pd.DataFrame | None = None,
    ikatan: pd.DataFrame | None = None,
    dataset: dict,
    aggregate_values: bool = True,
    progress: Progress | None = None,
) -> Path:
    """Write a complete database to ``path`` (atomically) and return the path.

    ``regions.geom`` / ``geom_display`` hold shapely geometries in WGS84. ``nilai`` holds village
    values; when ``aggregate_values`` is set, values for levels 1–3 are computed from them.
    """
    progress = progress or _noop
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.tmp{os.getpid()}-{uuid.uuid4().hex[:8]}")
    for p in (tmp, Path(str(tmp) + ".wal")):
        p.unlink(missing_ok=True)
    try:
        con = db.connect(tmp, read_only=False)
        try:
            con.execute(SCHEMA.read_text(encoding="utf-8"))
            progress(0.05, "Menulis katalog indikator")
            con.register("cat_df", pd.DataFrame(catalog.rows()))
            con.execute("insert into indicators select * from cat_df")
            progress(0.1, "Menulis wilayah")
            _write_regions(con, regions)
            progress(0.4, "Menghitung agregat wilayah")
            vals = nilai[["kode", "tahun", "indikator", "nilai", "flag"]].copy()
            vals = _with_network_measures(vals, simpul, ikatan)
            if aggregate_values:
                up = aggregate.aggregate_up(vals, regions)
                vals = pd.concat([vals, up], ignore_index=True)
            vals["tahun"] = vals["tahun"].astype("int16")
            vals["nilai"] = vals["nilai"].astype(float)
            vals["flag"] = vals["flag"].astype(object).where(vals["flag"].notna(), None)
            progress(0.6, "Menulis nilai indikator")
            con.register("nilai_df", vals)
            con.execute(PERCENTILE_INSERT)
            for name, (_source, select, order) in db.DERIVED_TABLES.items():  # our own SQL, no input
                con.execute(f"insert into {name} {select} order by {order}")
            for name, frame in (("program", program), ("simpul", simpul), ("ikatan", ikatan)):
                if frame is not None and len(frame):
                    con.register(f"{name}_df", frame)
                    cols = ", ".join(frame.columns)
                    con.execute(f"insert into {name} ({cols}) select {cols} from {name}_df")
            meta = {
                "id": dataset["id"], "nama": dataset["nama"], "sumber": dataset["sumber"],
                "lisensi": dataset.get("lisensi"), "tahun": str(dataset.get("tahun") or ""),
                "dibangun_pada": dt.datetime.now(dt.timezone.utc).replace(tzinfo=None),
                "demo": bool(dataset.get("demo", False)), "catatan": dataset.get("catatan"),
            }
            con.register("meta_df", pd.DataFrame([meta]))
            con.execute("insert into dataset select * from meta_df")
            progress(0.9, "Menyusun indeks")
            con.execute("create index nilai_ind on nilai(indikator, tahun)")
            con.execute("checkpoint")
        finally:
            con.close()
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
    progress(1.0, "Selesai")
    return path


def _with_network_measures(vals: pd.DataFrame, simpul: pd.DataFrame | None,
                           ikatan: pd.DataFrame | None) -> pd.DataFrame:
    """Append the village network measures (sinergi/network.py) for every year that has values.

    Measures already supplied in ``vals`` (e.g. imported) are kept and not recomputed.
    """
    from sinergi import network

    if simpul is None or ikatan is None or not len(simpul) or not len(vals):
        return vals
    if vals["indikator"].isin(network.MEASURES).any():
        return vals
    years = sorted(int(y) for y in vals["tahun"].dropna().unique())
    extra = network.indicator_rows(simpul, ikatan, years)
    return pd.concat([vals, extra], ignore_index=True) if len(extra) else vals


# Percentiles among regions of the same level; regions without a value get none.
PERCENTILE_INSERT = """
insert into nilai
select v.kode, v.tahun, v.indikator, v.nilai, v.flag,
       case when v.nilai is not null then cume_dist() over (
           partition by r.level, v.indikator, v.tahun, v.nilai is null order by v.nilai) end,
       case when v.nilai is not null then cume_dist() over (
           partition by r.level, r.kode_prov, v.indikator, v.tahun, v.nilai is null order by v.nilai) end,
       case when v.nilai is not null and r.level >= 2 then cume_dist() over (
           partition by r.level, r.kode_kab, v.indikator, v.tahun, v.nilai is null order by v.nilai) end
from nilai_df v
join regions r on r.kode = v.kode
order by v.kode, v.indikator, v.tahun
"""


def _write_regions(con, regions: pd.DataFrame) -> None:
    r = regions.copy()
    for col in ("geom", "geom_display"):
        g = np.asarray(r[col].to_numpy(), dtype=object)
        r[col] = shapely.to_wkb(g, output_dimension=2)
    con.register("regions_df", r)
    con.execute(
        """
        insert into regions
        select kode, level, nama, kode_induk, kode_prov, kode_kab, kode_kec, jenis,
               luas_km2, penduduk, lon, lat,
               ST_GeomFromWKB(geom), ST_GeomFromWKB(geom_display)
        from regions_df
        order by level, kode
        """
    )


def build_demo(path: Path | str | None = None, size: str = "demo", seed: int = 2024,
               progress: Progress | None = None) -> Path:
    """Generate the demo dataset and write it as a database (default ``data/demo.duckdb``)."""
    return rebuild_demo(path, size=size, seed=seed, progress=progress)[0]


def rebuild_demo(path: Path | str | None = None, size: str = "demo", seed: int = 2024,
                 progress: Progress | None = None, tunggu: bool = True) -> tuple[Path, Path | None]:
    """Build the demo database at ``path`` and return ``(path, aside)``.

    A file at ``path`` that cannot be read completely (damaged, truncated, a folder in its place, not a
    Sinergi Desa database) is first moved aside as ``<name>.rusak-<time>`` (``aside``; None when
    nothing needed keeping), never deleted; a sound one is replaced atomically. Raises
    :class:`db.DataError` (``tulis``) up front when the folder is not writable, before half a minute
    of generating; waits while another write into the folder runs (without ``tunggu``: raises
    :class:`FolderSibuk`).
    """
    from sinergi import demo

    progress = progress or _noop
    t0 = time.perf_counter()
    path = Path(path) if path else db.dataset_path("demo")
    pastikan_bisa_ditulis(path.parent)
    with kunci_folder(path.parent, tunggu=tunggu):
        hapus_sisa(path.parent)
        aside = None
        if os.path.lexists(path):
            try:
                db.check_contents(path)
            except db.DataError:
                aside = sisihkan(path)

        def gen_progress(f: float, msg: str) -> None:
            progress(0.6 * f, msg)

        data = demo.generate(size=size, seed=seed, progress=gen_progress)

        def write_progress(f: float, msg: str) -> None:
            progress(0.6 + 0.4 * f, msg)

        out = write_database(
            path, regions=data.regions, nilai=data.nilai, program=data.program, simpul=data.simpul,
            ikatan=data.ikatan, dataset=data.dataset, progress=write_progress,
        )
    progress(1.0, f"Basis data demo siap ({time.perf_counter() - t0:.1f} s)")
    return out, aside


_build_lock = threading.Lock()


def ensure_demo(progress: Progress | None = None) -> Path:
    """Build the demo database when it does not exist yet; return its path.

    Sessions arriving together wait for one build instead of each starting their own.
    """
    path = db.dataset_path("demo")
    if path.exists():
        return path
    with _build_lock:
        if not path.exists():
            build_demo(path, progress=progress)
    return path


# --- the data folder: lock, leftovers, writability, setting damaged files aside -----------------------


class FolderSibuk(RuntimeError):
    """Another import or build is writing into the data folder right now."""


@contextmanager
def kunci_folder(folder: Path | str, tunggu: bool = False) -> Iterator[None]:
    """Hold the data folder's write lock: ``flock`` on the directory itself (no lock file to leave behind).

    Without ``tunggu`` a held lock raises :class:`FolderSibuk` at once; with it, this waits. Two holders
    conflict even inside one process (each call opens its own descriptor), so threads of the app exclude
    each other as separate processes do.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if tunggu else fcntl.LOCK_NB))
        except BlockingIOError:
            raise FolderSibuk(f"Penulisan lain sedang berjalan di {folder}.") from None
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


# Temporary files of an interrupted write: write_database's ``<file>.tmp<pid>-<hex>`` and the importer's
# ``.<name>.duckdb.baru-<hex>`` (sinergi/importers/apply.py), each possibly with DuckDB's ``.wal``.
_SISA = re.compile(r"^(?:\.[a-z][a-z0-9_]*\.duckdb\.baru-[0-9a-f]{8}(?:\.tmp\d+-[0-9a-f]{8})?"
                   r"|[a-z][a-z0-9_]*\.duckdb\.tmp\d+-[0-9a-f]{8})(?:\.wal)?$")
# sinergi.datasets.gunakan writes ``.active.<pid>`` and renames it; not under the lock, so only a dead
# writer's one is stale.
_SISA_AKTIF = re.compile(r"^\.active\.(\d+)$")


def sisa(folder: Path | str | None = None) -> list[Path]:
    """Temporary files of interrupted writes in ``folder`` (default: the data folder), whatever their state."""
    folder = Path(folder) if folder else db.data_dir()
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    return [folder / n for n in names if _SISA.match(n) or _SISA_AKTIF.match(n)]


def _hidup(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process: alive
        return True
    return True


def hapus_sisa(folder: Path) -> list[Path]:
    """Remove the leftovers in ``folder``; the caller holds the folder's lock, so no writer owns them."""
    gone = []
    for p in sisa(folder):
        m = _SISA_AKTIF.match(p.name)
        if m and _hidup(int(m.group(1))):
            continue
        try:
            p.unlink()
        except OSError:  # a read-only folder: nothing can be removed, and nothing is harmed by them
            continue
        gone.append(p)
    return gone


def bersihkan_sisa(folder: Path | str | None = None) -> list[Path]:
    """Remove what interrupted writes left in the data folder and return it — only when no write is
    running (the folder's lock is free); otherwise nothing. Called at the app's start and at every
    import and demo build."""
    folder = Path(folder) if folder else db.data_dir()
    if not folder.is_dir():
        return []
    try:
        with kunci_folder(folder):
            return hapus_sisa(folder)
    except (FolderSibuk, OSError):
        return []


def bisa_ditulis(folder: Path | str | None = None) -> bool:
    """Whether this process can create files in ``folder`` (default: the data folder; created when
    missing). Tried with an unnamed temporary file, not guessed from permission bits: root may write
    where the bits say no, and a read-only mount refuses everyone."""
    folder = Path(folder) if folder else db.data_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError:
        return False
    return True


def pastikan_bisa_ditulis(folder: Path | str | None = None) -> None:
    """Raise :class:`db.DataError` (``tulis``) when :func:`bisa_ditulis` says no; nothing is changed."""
    folder = Path(folder) if folder else db.data_dir()
    if not bisa_ditulis(folder):
        raise db.gangguan("tulis", folder=folder)


def sisihkan(path: Path | str) -> Path:
    """Move a damaged dataset file (or whatever stands in its place) aside as ``<name>.rusak-<UTC time>``
    and return the new path; its ``.wal`` goes along. Never deletes: what was there can still be examined
    or recovered. The name ends in neither ``.duckdb`` nor a temporary-file pattern, so it is listed as no
    dataset and never cleaned up. The caller holds the folder's lock."""
    path = Path(path)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    dest = path.with_name(f"{path.name}.rusak-{stamp}")
    n = 1
    while os.path.lexists(dest):
        n += 1
        dest = path.with_name(f"{path.name}.rusak-{stamp}-{n}")
    os.rename(path, dest)
    wal = Path(f"{path}.wal")
    if wal.exists():
        os.rename(wal, Path(f"{dest}.wal"))
    return dest

"""Building a dataset's database file: tables from frames, aggregates, catalog, atomically swapped in.

A database is always written to a temporary file beside the target and renamed over it only when
complete, so a failed or interrupted build leaves the previous file untouched.

Writing into the data folder holds its lock (:mod:`sinergi.folders`).
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import gc
import os
import re
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from sinergi import aggregate, catalog, db, tiles
from sinergi.folders import hapus_sisa, kunci_folder, pastikan_bisa_ditulis, sisihkan

SCHEMA = Path(__file__).with_name("schema.sql")
Progress = Callable[[float, str], None]


def _noop(_f: float, _m: str) -> None:
    pass


def write_database(
    path: Path | str,
    *,
    regions: pd.DataFrame,
    nilai: pd.DataFrame | Iterable[pd.DataFrame],
    program: pd.DataFrame | None = None,
    simpul: pd.DataFrame | None = None,
    ikatan: pd.DataFrame | None = None,
    dataset: dict,
    aggregate_values: bool = True,
    progress: Progress | None = None,
    katalog: catalog.Katalog | None = None,
    tiles_from: Path | None = None,
) -> Path:
    """Write a complete database to ``path`` (atomically) and return the path.

    ``regions.geom`` / ``geom_display`` hold shapely geometries in WGS84. ``nilai`` holds village
    values (``kode, tahun, indikator, nilai, flag``), or an iterable of such frames taken as their
    concatenation: each is staged in DuckDB and dropped before the next is asked for, so the whole table
    never needs to be in memory. When ``aggregate_values`` is set, values for levels 1–3 are computed from
    them.
    ``katalog`` is the dataset's indicator catalog (default: the built-ins). The map's
    vector tiles are built too (``sinergi.tiles``), or copied from ``tiles_from`` (the file being replaced)
    where its boundaries are the same.
    """
    katalog = katalog or catalog.BAWAAN
    progress = progress or _noop
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _beside(path) as tmp:
        con = db.connect(tmp, read_only=False)
        try:
            _batasi_memori(con, tmp)
            con.execute(SCHEMA.read_text(encoding="utf-8"))
            progress(0.05, "Menulis katalog indikator")
            con.register("cat_df", pd.DataFrame(katalog.rows()))
            con.execute("insert into indicators by name select * from cat_df")
            progress(0.1, "Menulis wilayah")
            _write_regions(con, regions)
            progress(0.2, "Menghitung agregat wilayah")
            con.execute(STAGE_TABLE)
            bagi = aggregate.Pembagian(regions) if aggregate_values else None
            for part in [nilai] if isinstance(nilai, pd.DataFrame) else nilai:
                _stage_values(con, part[["kode", "tahun", "indikator", "nilai", "flag"]], bagi)
                del part
            _stage_values(con, _network_rows(con, simpul, ikatan), bagi)
            if aggregate_values:  # village values and network measures taken together, a province at a time
                _aggregate_staged(con, bagi, katalog)
            del bagi
            if len(regions) >= LEPAS_MULAI:
                _lepas_memori()
            progress(0.3, "Menulis nilai indikator")
            con.execute(PERCENTILE_INSERT)
            con.execute("drop table nilai_stage")
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
            # vector tiles of the kecamatan and village maps (sinergi/tiles.py), part of the same atomic file
            tiles.write_tiles(con, regions, lambda f, m: progress(0.5 + 0.4 * f, m), reuse=tiles_from)
            progress(0.9, "Menyusun indeks")
            con.execute("create index nilai_ind on nilai(indikator, tahun)")
            con.execute("checkpoint")
        finally:
            con.close()
    progress(1.0, "Selesai")
    return path


@contextlib.contextmanager
def _beside(path: Path):
    """A temporary file name beside ``path`` for the new file, renamed over ``path`` when the block ends
    without an error; the temporary file (and DuckDB's ``.wal``) is removed in any case."""
    tmp = path.with_name(f"{path.name}.tmp{os.getpid()}-{uuid.uuid4().hex[:8]}")
    wal = Path(str(tmp) + ".wal")
    for p in (tmp, wal):
        p.unlink(missing_ok=True)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
        wal.unlink(missing_ok=True)


def add_tiles(path: Path | str, progress: Progress | None = None) -> list[dict]:
    """Give an existing database file (built before vector tiles existed) its tiles, atomically: a copy
    beside it gets them and then replaces it, under the data folder's lock. Returns the tile sets written."""
    progress = progress or _noop
    path = Path(path)
    pastikan_bisa_ditulis(path.parent)
    with kunci_folder(path.parent, tunggu=True):
        db.check_contents(path)  # never copy damage forward
        with _beside(path) as tmp:
            shutil.copyfile(path, tmp)
            con = db.connect(tmp, read_only=False)
            try:
                levels = ", ".join(str(int(lv)) for lv in tiles.TILE_LEVELS)
                reg = con.execute(f"select kode, level, ST_AsWKB(geom_display) as w from regions "
                                  f"where level in ({levels})").df()
                reg["geom_display"] = shapely.from_wkb([None if w is None else bytes(w) for w in reg["w"]])
                written = tiles.write_tiles(con, reg.drop(columns="w"), progress)
                con.execute("checkpoint")
            finally:
                con.close()
    return written


def _batasi_memori(con, tmp: Path) -> None:
    """Bound DuckDB's memory while building: its buffers stay under ``SINERGI_BUILD_MEMORY`` (default
    1 GB) and whatever does not fit (sorts, windows, joins) spills to a folder beside the new file,
    which DuckDB removes when the connection closes. Two threads: a build shares its machine."""
    limit = os.environ.get("SINERGI_BUILD_MEMORY", "1GB")
    con.execute(f"set memory_limit = '{_ukuran_memori(limit)}'")
    con.execute("set threads = 2")
    con.execute("set preserve_insertion_order = true")
    spill = str(tmp) + ".spill"
    con.execute(f"set temp_directory = '{spill.replace(chr(39), chr(39) * 2)}'")


def _ukuran_memori(text: str) -> str:
    """``text`` when it is a DuckDB memory size such as ``1GB`` or ``512MiB``; otherwise the default."""
    return text if re.fullmatch(r"\d+(\.\d+)?\s*(KB|MB|GB|KiB|MiB|GiB)", text.strip(), re.I) else "1GB"


# Values on their way into ``nilai`` (village values, network measures, aggregates), in a temporary
# table DuckDB can spill to disk, so the whole national table never sits in pandas at once. ``bagian``:
# the village's chunk for aggregation (``aggregate.Pembagian``), -1 for other rows.
STAGE_TABLE = """
create temp table nilai_stage (kode varchar, tahun smallint, indikator varchar, nilai double, flag varchar,
                               bagian integer)
"""
_CHUNK = 1_000_000


def _stage_values(con, vals: pd.DataFrame | None, bagi: aggregate.Pembagian | None = None) -> None:
    """Append ``kode, tahun, indikator, nilai, flag`` rows to ``nilai_stage``, a million rows at a time,
    with each row's aggregation chunk when ``bagi`` is given."""
    for start in range(0, 0 if vals is None else len(vals), _CHUNK):
        part = vals.iloc[start:start + _CHUNK]
        part = pd.DataFrame({
            "kode": part["kode"], "tahun": part["tahun"].astype("int16"), "indikator": part["indikator"],
            "nilai": part["nilai"].astype(float),
            "flag": part["flag"].astype(object).where(part["flag"].notna(), None),
            "bagian": -1 if bagi is None else bagi.baris(part["kode"]).astype(np.int32),
        })
        con.register("stage_df", part)
        con.execute("insert into nilai_stage select kode, tahun, indikator, nilai, flag, bagian from stage_df")
        con.unregister("stage_df")


def _network_rows(con, simpul: pd.DataFrame | None, ikatan: pd.DataFrame | None) -> pd.DataFrame | None:
    """The village network measures (sinergi/network.py) for every year that has values (in
    ``nilai_stage``), as value rows.

    Measures already supplied among the values (e.g. imported) are kept and not recomputed (None).
    """
    from sinergi import network

    if simpul is None or ikatan is None or not len(simpul):
        return None
    n, supplied = con.execute("select count(*), count(*) filter (where list_contains(?, indikator)) "
                              "from nilai_stage", [list(network.MEASURES)]).fetchone()
    if not n or supplied:
        return None
    years = [int(r[0]) for r in con.execute(
        "select distinct tahun from nilai_stage where tahun is not null order by tahun").fetchall()]
    return network.indicator_rows(simpul, ikatan, years)


def _aggregate_staged(con, bagi: aggregate.Pembagian, katalog: catalog.Katalog) -> None:
    """Values for levels 1–3 from the staged village values (``aggregate.aggregate_up``), one chunk
    (province) at a time: its rows are read back in the order they were staged, aggregated and staged."""
    aggregate.periksa_indikator({r[0] for r in con.execute(
        "select distinct indikator from nilai_stage where bagian >= 0").fetchall()}, katalog)
    for p in range(len(bagi.kunci)):
        # rowid: the order rows were appended in (the temporary table is only ever appended to)
        v = con.execute("select kode, tahun, indikator, nilai from nilai_stage where bagian = ? order by rowid",
                        [p]).df()
        if len(v):
            _stage_values(con, bagi.agregat(p, v, katalog))


# Regions from which a build gives freed memory back before DuckDB's steps (a few provinces of villages). Below
# that the memory freed is small, and a full collection costs 0.1-0.2 s in a process holding many objects (a
# server with national views, a test worker).
LEPAS_MULAI = 20_000


def _lepas_memori() -> None:
    """Give memory that Python, GEOS and pandas/Arrow have freed back to the system before a step that
    needs its own: glibc and Arrow's allocator keep freed pages for reuse, and DuckDB (which allocates
    from its own allocator) could not use them. Nothing happens where there is no glibc."""
    gc.collect()
    import pyarrow

    pyarrow.default_memory_pool().release_unused()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


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
from nilai_stage v
join regions r on r.kode = v.kode
order by v.kode, v.indikator, v.tahun
"""


def _write_regions(con, regions: pd.DataFrame) -> None:
    """Insert the regions ordered by level and code, a few thousand at a time, so only one chunk's
    geometries exist as WKB at once (the national demo's are some 600 MB)."""
    keys = pd.DataFrame({"level": regions["level"].to_numpy(), "kode": regions["kode"].to_numpy(),
                         "pos": np.arange(len(regions), dtype=np.int64)})
    con.register("regions_keys", keys)
    order = con.execute("select pos from regions_keys order by level, kode").fetchnumpy()["pos"]
    con.unregister("regions_keys")
    for start in range(0, len(order), _REGION_CHUNK):
        r = regions.iloc[order[start:start + _REGION_CHUNK]].copy()
        r["urut"] = np.arange(len(r))
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
            order by urut
            """
        )
        con.unregister("regions_df")
        del r


_REGION_CHUNK = 5_000


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
    :class:`sinergi.folders.FolderSibuk`).
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
        _lepas_memori()  # what generating freed (GEOS, pandas), before DuckDB takes its share

        def write_progress(f: float, msg: str) -> None:
            progress(0.6 + 0.4 * f, msg)

        out = write_database(
            path, regions=data.regions, nilai=data.nilai_bagian(), program=data.program, simpul=data.simpul,
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

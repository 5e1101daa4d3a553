"""DuckDB access: where the database lives, how it is opened, and how named queries run.

- One database file per dataset under ``data/`` (``data/demo.duckdb`` for the demo); the active one is
  named in ``data/active`` (absent → demo). Files are built by our code and never committed.
- Viewing opens the file read-only. Every query uses its own cursor, so Streamlit sessions running
  at once never share cursor state.
- Queries live in ``queries/<name>.sql`` and run with bound ``$name`` parameters only.
- A file that cannot be used raises :class:`DataError` with its kind of fault (missing, damaged or
  truncated, a folder in its place, foreign, unreadable, a bad ``data/active``, a read-only folder), so
  pages and the CLI can say it in the user's language and name the repair.
- DuckDB's spatial extension is loaded from the PyPI package ``duckdb-extension-spatial`` (same
  version as ``duckdb``), which works offline; plain ``LOAD spatial`` would try to download it.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import threading
from pathlib import Path

import duckdb
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "queries"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_PARAM = re.compile(r"(?<![\w$])\$([a-z_][a-z0-9_]*)")


class DataError(RuntimeError):
    """A problem with the database file the user can act on; the message is in Indonesian.

    ``jenis`` names the kind of fault, so the interface can say it in the user's language and offer the
    matching repair (``sinergi.ui.show_fault``, the CLI): one of :data:`JENIS_GANGGUAN` or ``lain``
    (anything else, e.g. an invalid name). ``dataset`` and ``berkas`` name what is affected (raw, never
    escaped: whoever renders them escapes them); ``detail`` keeps DuckDB's or the OS's own words.
    """

    def __init__(self, message: str, jenis: str = "lain", *, dataset: str = "", berkas: str = "",
                 detail: str = "", folder: str = ""):
        super().__init__(message)
        self.jenis, self.dataset, self.berkas, self.detail, self.folder = jenis, dataset, berkas, detail, folder


# Faults of a dataset file, each with an ``i18n`` text ``fault_<jenis>`` (Indonesian and English):
# hilang  the file is not there            folder  a directory where the file should be
# izin    this process may not read it     rusak   not a DuckDB file, truncated, a failed block checksum
# asing   a DuckDB file without our tables aktif   data/active does not name a valid dataset
# tulis   the data folder is not writable (an import, a switch or a build cannot happen)
JENIS_GANGGUAN = ("hilang", "folder", "izin", "rusak", "asing", "aktif", "tulis")
# Tables every Sinergi Desa database has (schema.sql); the provenance tables came later and may be absent.
TABEL_WAJIB = ("regions", "indicators", "nilai", "dataset")


def gangguan(jenis: str, path: Path | str | None = None, *, dataset: str = "", detail: str = "",
             folder: Path | str | None = None) -> DataError:
    """A :class:`DataError` of kind ``jenis`` about ``path`` (or ``folder``) with its Indonesian message
    (``i18n`` text ``fault_<jenis>``)."""
    from sinergi import i18n

    path = Path(path) if path is not None else None
    berkas = path.name if path is not None else ""
    dataset = dataset or (path.stem if path is not None and path.suffix == ".duckdb" else "")
    folder = str(folder or (path.parent if path is not None else data_dir()))
    text = i18n.t(f"fault_{jenis}", "id").format(dataset=dataset, berkas=berkas, folder=folder)
    return DataError(text, jenis, dataset=dataset, berkas=berkas, detail=detail, folder=folder)


def fault_of(path: Path | str, error: BaseException | None = None) -> DataError:
    """Why ``path`` cannot be read, from the file system first (missing, a folder, no permission) and
    otherwise from the database engine's error: a damaged or foreign file (``rusak``)."""
    path = Path(path)
    detail = str(error).strip().splitlines()[0] if error is not None and str(error).strip() else ""
    if not path.exists():
        return gangguan("hilang", path, detail=detail)
    if path.is_dir():
        return gangguan("folder", path, detail=detail)
    if not os.access(path, os.R_OK):
        return gangguan("izin", path, detail=detail)
    return gangguan("rusak", path, detail=detail)


def nama_sah(name: str | None) -> bool:
    """Whether ``name`` is a valid dataset name (lower-case letters, digits and ``_``, a letter first)."""
    return bool(name) and bool(_NAME.match(name))


def data_dir() -> Path:
    """Folder of the database files (``SINERGI_DATA_DIR`` overrides ``data/``; an empty value does not)."""
    return Path(os.environ.get("SINERGI_DATA_DIR") or ROOT / "data")


def active_dataset() -> str:
    """Id of the active dataset (from ``data/active``), ``demo`` when none was chosen.

    Lenient, for labels and comparisons: an unreadable or invalid ``active`` file gives ``demo`` here;
    ``dataset_path()`` (the file to show) refuses it instead (:func:`active_fault`).
    """
    f = data_dir() / "active"
    try:
        name = f.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return "demo"
    return name if _NAME.match(name) else "demo"


def active_fault() -> DataError | None:
    """A fault when ``data/active`` exists but names no valid dataset (empty, garbage, not a file,
    unreadable); None when it is absent (→ demo) or valid. Showing the demo then would silently show
    another dataset than the one an admin chose."""
    f = data_dir() / "active"
    if not os.path.lexists(f):
        return None
    try:
        name = f.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as e:
        return gangguan("aktif", f, detail=str(e))
    return None if _NAME.match(name) else gangguan("aktif", f, detail=f"isi: {name[:40]!r}")


def dataset_path(dataset: str | None = None) -> Path:
    """File of ``dataset``; without a name, of the active dataset (raises the :func:`active_fault`)."""
    if not dataset:
        fault = active_fault()
        if fault is not None:
            raise fault
    name = dataset or active_dataset()
    if not _NAME.match(name):
        raise DataError(f"Nama dataset tidak valid: {name!r}")
    return data_dir() / f"{name}.duckdb"


def spatial_extension_path() -> Path:
    """File of the spatial extension shipped by the ``duckdb-extension-spatial`` wheel."""
    import duckdb_extension_spatial

    base = Path(duckdb_extension_spatial.__file__).parent / "extensions"
    p = base / f"v{duckdb.__version__}" / "spatial.duckdb_extension"
    if not p.exists():
        found = sorted(base.glob("v*/spatial.duckdb_extension"))
        raise DataError(
            f"Ekstensi spatial DuckDB untuk versi {duckdb.__version__} tidak ditemukan "
            f"(ada: {[f.parent.name for f in found]}). Pasang duckdb-extension-spatial=={duckdb.__version__}."
        )
    return p


def load_spatial(con: duckdb.DuckDBPyConnection) -> None:
    # LOAD takes a literal path; it comes from the installed package, never from user input.
    path = str(spatial_extension_path()).replace("'", "''")
    con.execute(f"LOAD '{path}'")


# DuckDB checks an extension's signature on every LOAD by hashing the whole file: the spatial extension is
# 80 MB, ~0.4 s of CPU for every new connection (each snapshot, each build, each import check). The file is
# checked with the signature enforced, in a throwaway instance; later connections load that very file (same
# path, device, inode, size and modification time) without hashing it again. No other extension is ever
# loaded (``load_spatial`` is the only LOAD, of a path from the installed package) and nothing is installed or
# loaded automatically.
# The check's result is also written beside the file (``<file>.diperiksa``: that identity and DuckDB's version)
# when its folder may be written, so that the next process (each app server, each command) does not hash it
# again (~0.37 s each). Whoever may write that folder may replace the extension itself, so the note gives no one
# more than they have; where the folder is read-only every process checks the file, as before.
_BASE_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
_CHECKED: tuple | None = None
_CHECKED_LOCK = threading.Lock()


def _note_path(path: Path) -> Path:
    return path.with_name(path.name + ".diperiksa")


def _noted(path: Path, ident: tuple) -> bool:
    """Whether the note beside ``path`` says this very file (``ident``) was checked by this DuckDB version."""
    try:
        return json.loads(_note_path(path).read_text(encoding="utf-8")) == [*ident, duckdb.__version__]
    except (OSError, ValueError):
        return False


def _note(path: Path, ident: tuple) -> None:
    """Write the note of a checked file (atomically); nothing when its folder may not be written."""
    note = _note_path(path)
    tmp = note.with_name(f"{note.name}.{os.getpid()}")
    try:
        tmp.write_text(json.dumps([*ident, duckdb.__version__]), encoding="utf-8")
        os.replace(tmp, note)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def _config() -> dict:
    """DuckDB configuration for our connections (see above): the spatial file's signature checked first."""
    global _CHECKED
    path = spatial_extension_path()
    st = path.stat()
    ident = (str(path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
    with _CHECKED_LOCK:
        if _CHECKED != ident:
            if not _noted(path, ident):
                con = duckdb.connect(":memory:", config=_BASE_CONFIG)
                try:
                    load_spatial(con)  # refused here if the file is not signed by DuckDB
                finally:
                    con.close()
                _note(path, ident)
            _CHECKED = ident
    return {**_BASE_CONFIG, "allow_unsigned_extensions": "true"}


def connect(path: Path | str, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """Open a database file with the spatial extension loaded."""
    path = Path(path)
    if read_only and (not path.exists() or path.is_dir()):
        raise fault_of(path)
    try:
        con = duckdb.connect(str(path), read_only=read_only, config=_config())
    except duckdb.Error as e:
        raise fault_of(path, e) from e
    load_spatial(con)
    return con


# Tables derived when a database is built (see schema.sql): name -> (source table, select, order).
# ``sinergi.build`` writes each as ``insert into <name> <select> order by <order>``; a file built before
# a table existed gets a view with the same rows in :func:`connect_snapshot`, so every named query runs
# on every file (an older one at the old speed).
DERIVED_TABLES: dict[str, tuple[str, str, str]] = {
    "nilai_indikator": ("nilai", "select indikator, tahun, kode, nilai, flag from nilai", "indikator, tahun, kode"),
    "nilai_urut": ("nilai", "select n.indikator, n.tahun, r.level, r.urut, n.nilai, n.flag from nilai n "
                            "join (select kode, level, (row_number() over (partition by level order by kode) - 1)"
                            "::integer as urut from regions) r on r.kode = n.kode",
                   "indikator, tahun, level, urut"),
    "indikator_tahun": ("nilai", "select indikator, tahun, count(*) as n from nilai where nilai is not null "
                                 "group by indikator, tahun", "indikator, tahun"),
    # Names folded as sinergi/search.py folds a search text: lower case, no spaces or dots, and (nama_lipat)
    # without the prefix words "Desa", "Kel.", "Kec.", "Kab.", "Kota", "Prov." …
    "nama_lipat": ("regions", r"""select kode,
           regexp_replace(
               regexp_replace(lower(nama),
                              '^((desa|kelurahan|kel|ds|kecamatan|kec|kabupaten|kab|kota|provinsi|prov|propinsi)\b\.?\s*)+',
                              ''),
               '[\s.]+', '', 'g') as nama_lipat,
           regexp_replace(lower(nama), '[\s.]+', '', 'g') as penuh_lipat
    from regions""", "kode"),
}


# Columns added to a table after files were built without them: table -> (column, SQL type). A file built
# before gets a view with the column as null (see connect_snapshot), so queries naming it run on every file.
ADDED_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "indicators": (("impor", "boolean"), ("urut", "integer"), ("satuan_en", "varchar"), ("lisensi", "varchar"),
                   ("desimal", "tinyint"), ("kelas_batas", "varchar"), ("tema_nama_id", "varchar"),
                   ("tema_nama_en", "varchar")),
    "program": (("anggaran", "double"), ("penerima", "bigint")),
}

# Tables a file built before them lacks, read as empty (our own SQL): the vector tiles' index
# (sinergi/tiles.py). Without tiles, maps fall back to GeoJSON.
EMPTY_WHEN_ABSENT: dict[str, str] = {
    "tile_sets": "select * from (values (0::tinyint, ''::varchar, 0::tinyint, 0::tinyint, 0::integer, 0::integer, "
                 "0::integer, 0::bigint, 0::double, 0::double, 0::double, 0::double)) "
                 "t(level, versi, zmin, zmax, extent, n_fitur, n_tiles, bytes, minx, miny, maxx, maxy) where false",
}


def connect_snapshot(path: Path | str) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the file as it is *now* (added for the importer, issue 4).

    ``duckdb.connect(path)`` goes through DuckDB's per-process instance cache: while any connection to
    ``path`` is open, a new one is handed the same instance, even after an import has atomically replaced
    the file (``os.replace``), so the app would keep serving the old data. Attaching the file to a fresh
    in-memory instance always opens the file currently at ``path``. Its tables are exposed as views in the
    in-memory catalog, so queries and cursors (``USE`` would only apply to one cursor) see them unqualified.
    """
    path = Path(path)
    if not path.exists() or path.is_dir() or not os.access(path, os.R_OK):
        raise fault_of(path)  # say so plainly, before DuckDB words it in English
    con = duckdb.connect(":memory:", config=_config())
    try:
        load_spatial(con)
        # ATTACH takes a literal; the path comes from data_dir()/dataset_path(), never from a user.
        con.execute(f"ATTACH '{str(path.resolve()).replace(chr(39), chr(39) * 2)}' AS sinergi_db (READ_ONLY)")
        _check_complete(con, path)
        names = con.execute("select table_name from duckdb_tables() where database_name = 'sinergi_db'").fetchall()
        present = {name for (name,) in names}
        missing = set(TABEL_WAJIB) - present
        if missing:
            raise gangguan("asing", path, detail=f"tabel tidak ada: {', '.join(sorted(missing))}")
        for (name,) in names:  # names of our own tables, read from the file's catalog
            quoted = '"' + name.replace('"', '""') + '"'
            con.execute(f"create view {quoted} as select *{_added(con, name, quoted)} from sinergi_db.main.{quoted}")
        for name, (source, select, _order) in DERIVED_TABLES.items():
            if source in present and name not in present:  # a file built before the table existed
                con.execute(f"create view {name} as {select}")
        for name, empty in EMPTY_WHEN_ABSENT.items():
            if name not in present:  # a file built before the table existed: none of its rows
                con.execute(f"create view {name} as {empty}")
    except DataError:
        con.close()
        raise
    except duckdb.Error as e:
        con.close()
        raise fault_of(path, e) from e
    return con


def _added(con: duckdb.DuckDBPyConnection, table: str, quoted: str) -> str:
    """``, null::type as col`` for each of :data:`ADDED_COLUMNS` the file's ``table`` (``quoted`` as an
    identifier) lacks ('' for none). Its columns are read from an empty select's description: asking
    ``duckdb_columns()`` took ~9 ms, a quarter of opening a file."""
    added = ADDED_COLUMNS.get(table)
    if not added:
        return ""
    have = {d[0] for d in con.execute(f"select * from sinergi_db.main.{quoted} limit 0").description}
    return "".join(f", null::{typ} as {col}" for col, typ in added if col not in have)


FILE_HEADER_BYTES = 3 * 4096  # DuckDB's main header and two database headers, before the first block


def _check_complete(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Refuse a truncated file up front: DuckDB opens a file cut short after its catalog and only fails
    when a query reaches a missing block, deep inside some page. The file must hold its headers (three
    4 KiB headers in DuckDB's storage format) and every block they count (``pragma_database_size``): a
    file cut by even one byte inside its last block is refused (tests/test_faults.py checks a sound file
    passes, so a change of the header size would show there; a file whose last block holds map tiles too).
    Damage inside a block is caught by DuckDB's block checksums when the block is read
    (``sinergi.ui.database_guard`` turns that into a message)."""
    row = con.execute("select block_size, total_blocks from pragma_database_size() "
                      "where database_name = 'sinergi_db'").fetchone()
    if row is None:
        return
    need = FILE_HEADER_BYTES + int(row[0]) * int(row[1])
    have = path.stat().st_size
    if have < need:
        raise gangguan("rusak", path, detail=f"berkas terpotong: {have} dari sedikitnya {need} byte")


# Files found damaged only while a page read them (a failed block checksum, a missing block), keyed by
# (path, mtime_ns, size): the file list and the repair offer then agree with what the pages saw, until
# the file is replaced. Kept per process; a restarted app finds the damage again when it reads it.
_seen_damaged: dict[tuple[str, int, int], str] = {}


def _identity(path: Path) -> tuple[str, int, int] | None:
    try:
        s = path.stat()
    except OSError:
        return None
    return str(path.resolve()), s.st_mtime_ns, s.st_size


def mark_damaged(path: Path | str, error: BaseException) -> DataError:
    """Remember that reading ``path`` failed with ``error`` (a query-time I/O error) and return the fault."""
    fault = fault_of(path, error)
    key = _identity(Path(path))
    if key is not None and fault.jenis == "rusak":
        _seen_damaged[key] = fault.detail
    return fault


def seen_damaged_count() -> int:
    """How many damaged files were recorded (part of cache keys of file listings)."""
    return len(_seen_damaged)


def seen_damaged(path: Path | str) -> DataError | None:
    """The fault recorded by :func:`mark_damaged` for the file now at ``path``, if any."""
    key = _identity(Path(path))
    if key is None or key not in _seen_damaged:
        return None
    return gangguan("rusak", path, detail=_seen_damaged[key])


def check_contents(path: Path | str) -> None:
    """Read every column of every table of ``path`` (so DuckDB verifies every block's checksum) and raise
    the fault when one cannot be read. Seconds at national scale: for repair commands, not page views."""
    path = Path(path)
    con = connect_snapshot(path)
    try:
        names = con.execute("select table_name from duckdb_tables() where database_name = 'sinergi_db'").fetchall()
        for (name,) in names:  # our own tables' names, from the file's catalog
            quoted = '"' + name.replace('"', '""') + '"'
            con.execute(f"select count(*), bit_xor(hash(t)) from sinergi_db.main.{quoted} t").fetchall()
    except duckdb.Error as e:
        raise mark_damaged(path, e) from e
    finally:
        con.close()


@functools.cache
def sql_text(name: str) -> str:
    """Text of ``queries/<name>.sql``; names are checked so no path can be smuggled in."""
    if not _NAME.match(name):
        raise ValueError(f"Nama kueri tidak valid: {name!r}")
    p = QUERIES / f"{name}.sql"
    if not p.is_file():
        raise FileNotFoundError(f"Kueri tidak ada: {name}")
    return p.read_text(encoding="utf-8")


def sql_params(name: str) -> set[str]:
    """The ``$name`` parameters a query file uses (comments stripped)."""
    body = re.sub(r"--[^\n]*", "", sql_text(name))
    body = re.sub(r"'(?:[^']|'')*'", "''", body)
    return set(_PARAM.findall(body))


def query_names() -> list[str]:
    return sorted(p.stem for p in QUERIES.glob("*.sql"))


def example_params(name: str) -> dict:
    """The ``-- example: {...}`` header line of a query: parameters the tests and benchmarks run it with.

    Raises ValueError when the header has no example (every query file must have one).
    """
    m = re.search(r"^-- example: (.*)$", sql_text(name), re.MULTILINE)
    if not m:
        raise ValueError(f"queries/{name}.sql tidak punya baris '-- example: {{...}}'")
    return json.loads(m.group(1))


def run_query(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """Run a named query with bound parameters on its own cursor.

    Raises TypeError when a parameter is missing or extra, so every caller is checked.
    """
    wanted = sql_params(name)
    given = set(params)
    if wanted != given:
        raise TypeError(
            f"Kueri {name}: parameter kurang {sorted(wanted - given)}, berlebih {sorted(given - wanted)}"
        )
    cur = con.cursor()
    try:
        return cur.execute(sql_text(name), params).df()
    finally:
        cur.close()


_lock = threading.Lock()


class Database:
    """A read-only connection to one dataset file, shared by all sessions of the process."""

    def __init__(self, path: Path):
        self.path = Path(path)
        with _lock:
            # A snapshot connection, so a dataset replaced by an import is seen (see connect_snapshot).
            self.con = connect_snapshot(self.path)

    def query(self, name: str, **params) -> pd.DataFrame:
        return run_query(self.con, name, **params)

    def close(self) -> None:
        self.con.close()

"""DuckDB access: where the database lives, how it is opened, and how named queries run.

- One database file per dataset under ``data/`` (``data/demo.duckdb`` for the demo); the active one is
  named in ``data/active`` (absent → demo). Files are built by our code and never committed.
- Viewing opens the file read-only. Every query uses its own cursor, so Streamlit sessions running
  at once never share cursor state.
- Queries live in ``queries/<name>.sql`` and run with bound ``$name`` parameters only.
- DuckDB's spatial extension is loaded from the PyPI package ``duckdb-extension-spatial`` (same
  version as ``duckdb``), which works offline; plain ``LOAD spatial`` would try to download it.
"""

from __future__ import annotations

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
    """A problem with the database file the user can act on; the message is in Indonesian."""


def data_dir() -> Path:
    """Folder of the database files (``SINERGI_DATA_DIR`` overrides ``data/``; an empty value does not)."""
    return Path(os.environ.get("SINERGI_DATA_DIR") or ROOT / "data")


def active_dataset() -> str:
    """Id of the active dataset (from ``data/active``), ``demo`` when none was chosen."""
    f = data_dir() / "active"
    try:
        name = f.read_text(encoding="utf-8").strip()
    except OSError:
        return "demo"
    return name if _NAME.match(name) else "demo"


def dataset_path(dataset: str | None = None) -> Path:
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


def connect(path: Path | str, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """Open a database file with the spatial extension loaded."""
    path = Path(path)
    if read_only and not path.exists():
        raise DataError(f"Berkas basis data {path.name} belum ada.")
    try:
        con = duckdb.connect(str(path), read_only=read_only, config={"autoinstall_known_extensions": False,
                                                                      "autoload_known_extensions": False})
    except duckdb.Error as e:
        raise DataError(f"Berkas basis data {path.name} tidak dapat dibuka: {e}") from e
    load_spatial(con)
    return con


# Tables derived when a database is built (see schema.sql): name -> (source table, select, order).
# ``sinergi.build`` writes each as ``insert into <name> <select> order by <order>``; a file built before
# a table existed gets a view with the same rows in :func:`connect_snapshot`, so every named query runs
# on every file (an older one at the old speed).
DERIVED_TABLES: dict[str, tuple[str, str, str]] = {
    "nilai_indikator": ("nilai", "select indikator, tahun, kode, nilai, flag from nilai", "indikator, tahun, kode"),
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


def connect_snapshot(path: Path | str) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the file as it is *now* (added for the importer, issue 4).

    ``duckdb.connect(path)`` goes through DuckDB's per-process instance cache: while any connection to
    ``path`` is open, a new one is handed the same instance, even after an import has atomically replaced
    the file (``os.replace``), so the app would keep serving the old data. Attaching the file to a fresh
    in-memory instance always opens the file currently at ``path``. Its tables are exposed as views in the
    in-memory catalog, so queries and cursors (``USE`` would only apply to one cursor) see them unqualified.
    """
    path = Path(path)
    if not path.exists():
        raise DataError(f"Berkas basis data {path.name} belum ada.")
    con = duckdb.connect(":memory:", config={"autoinstall_known_extensions": False,
                                             "autoload_known_extensions": False})
    try:
        load_spatial(con)
        # ATTACH takes a literal; the path comes from data_dir()/dataset_path(), never from a user.
        con.execute(f"ATTACH '{str(path.resolve()).replace(chr(39), chr(39) * 2)}' AS sinergi_db (READ_ONLY)")
        names = con.execute("select table_name from duckdb_tables() where database_name = 'sinergi_db'").fetchall()
        for (name,) in names:  # names of our own tables, read from the file's catalog
            quoted = '"' + name.replace('"', '""') + '"'
            con.execute(f"create view {quoted} as select * from sinergi_db.main.{quoted}")
        present = {name for (name,) in names}
        for name, (source, select, _order) in DERIVED_TABLES.items():
            if source in present and name not in present:  # a file built before the table existed
                con.execute(f"create view {name} as {select}")
    except duckdb.Error as e:
        con.close()
        raise DataError(f"Berkas basis data {path.name} tidak dapat dibuka: {e}") from e
    return con


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

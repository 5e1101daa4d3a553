"""Cached data access for pages: one read-only connection per dataset file, results cached per query.

Pages call these functions; they never write SQL. Cache keys include the dataset file's identity
(:func:`dataset_key`: its path and which file is there, by inode and times, not by modification time
alone), so a newly imported or published dataset is picked up without restarting, and one script run
reads one file from its first query to its last, even when the file is replaced while it runs.
Returned frames are shared between sessions: callers must not mutate them (copy first).

The query cache is bounded by bytes, not only by entries (issue 8): at national scale one result
ranges from a few kB (a region) to tens of MB (every village's value: ~9 MB; the villages' full
geometry as WKB: ~75 MB), so 512 entries of mixed sizes could grow past the server's memory while
officials click through indicators and years. :data:`QUERY_CACHE_BYTES` caps the sum; the least
recently used results leave first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

import pandas as pd
import streamlit as st

from sinergi import catalog, db, mapdata, memo

# Sum of the cached query results' sizes (pandas deep memory, about their pickled size in the cache).
# 256 MB holds hundreds of views' small lookups and geometry plus a few dozen national tables; with the
# map caches beside it, a process walking through 100-140 national village views stayed at 0.73-0.85 GB
# (1.3 GB and growing without the budget), under the 1.5 GB target; bench/load_bench.py measures the server.
QUERY_CACHE_BYTES = 256 * 1024 * 1024


def file_key() -> tuple[str, str]:
    """(path, build) of the active dataset file as it is now: ``build`` names the file at that path by
    its inode, size and modification and change times (``ino:size:mtime_ns:ctime_ns``).

    The modification time alone does not tell two builds apart: a copy tool keeps the source's
    (``cp -p``, ``rsync -a``), some file systems count whole seconds, and two writes can fall in one
    clock tick. Every publication is an atomic rename of a new file (imports, the demo build, a sync
    between hosts), which always brings a new inode and sets the change time, so the build differs.

    Reading never builds: a missing file is a fault (``hilang``). The first run's demo build is started
    by the app's entry point (``sinergi.ui.database_fault``), with a progress bar, before any page reads.
    """
    path = db.dataset_path()
    try:
        s = path.stat()
    except OSError as e:
        raise db.gangguan("hilang", path) from e
    return str(path), f"{s.st_ino}:{s.st_size}:{s.st_mtime_ns}:{s.st_ctime_ns}"


def dataset_key() -> tuple[str, str]:
    """The :func:`file_key` every cache is keyed by, fixed for the duration of a script run.

    Taken at the run's first call and kept until the run ends, so a dataset published while a page runs
    (an import on another replica, ``datasets.gunakan``) never gives one page a banner from the old
    build and a map from the new one: the next run sees the new file. Outside a script run (tests,
    benchmarks) every call looks again.
    """
    run = memo.run_slot("dataset")
    if run is None:
        return file_key()
    if "key" not in run:
        run["key"] = file_key()
        _publish_for(run["key"])
    return run["key"]


def _publish_for(key: tuple[str, str]) -> None:
    """Tell ``sinergi.mapdata`` which dataset this run's maps belong to and whether it is restricted."""
    from sinergi import auth

    name = Path(key[0]).stem
    try:
        restricted = name in auth.aturan().terbatas
    except auth.AturanSalah:  # an invalid access configuration: treat every dataset as restricted
        restricted = True
    mapdata.set_owner(name, restricted)


# A replaced build of a dataset stays open while runs that took its key may still read it, then is closed,
# so its file's disk space (a replaced file is freed only when its last reader closes it: 820 MB at national
# scale) and DuckDB's memory for it are given back, rather than when four newer keys push it out of the cache.
RETIRE_AFTER_S = 120.0
_latest: dict[str, tuple[str, db.Database]] = {}  # path → (build, its Database) last opened
_latest_lock = threading.Lock()


@st.cache_resource(max_entries=4, show_spinner=False)
def _database(path: str, build: str) -> db.Database:
    # Whatever file DuckDB opens here serves every query under this key: if the file was replaced between
    # the key being taken and this first open, all of the key's results still come from one build.
    base = db.Database(path)
    with _latest_lock:
        old = _latest.get(path)
        _latest[path] = (build, base)
    if old is not None and old[0] != build:
        timer = threading.Timer(RETIRE_AFTER_S, _retire, args=(path, *old))
        timer.daemon = True
        timer.start()
    return base


def _retire(path: str, build: str, base: db.Database) -> None:
    """Close an older build (:data:`RETIRE_AFTER_S` after a newer one of the same file was opened)."""
    with _latest_lock:
        if _latest.get(path, (None,))[0] == build:  # it became the newest again (switched back): keep it
            return
    _database.clear(path, build)
    base.close()


def database() -> db.Database:
    return _database(*dataset_key())


class _ByteBudget:
    """Least-recently-used bookkeeping of the query cache's entries and their sizes.

    ``st.cache_data`` bounds entries by count only; this keeps the sizes it cannot see and evicts the
    oldest entries through ``_query.clear(*args)`` once their sum exceeds the budget. Entries Streamlit
    dropped itself (ttl, ``max_entries``, ``st.cache_data.clear()``) are only counted until they age
    out here, which can only make the cache smaller, never larger, than the budget. ``args`` are the
    cached function's arguments as given (parameters may be lists), tracked by their ``repr``.
    """

    def __init__(self, limit: int):
        self.limit = limit
        self.sizes: OrderedDict[str, tuple[tuple, int]] = OrderedDict()
        self.total = 0
        self.lock = threading.Lock()

    def touch(self, args: tuple) -> None:
        with self.lock:
            token = repr(args)
            if token in self.sizes:
                self.sizes.move_to_end(token)

    def add(self, args: tuple, nbytes: int) -> list[tuple]:
        """Record a new entry; returns the entries to evict (the oldest first, possibly this one)."""
        with self.lock:
            token = repr(args)
            self.total += nbytes - self.sizes.pop(token, ((), 0))[1]
            self.sizes[token] = (args, nbytes)
            evict = []
            while self.total > self.limit and self.sizes:
                old, size = self.sizes.popitem(last=False)[1]
                self.total -= size
                evict.append(old)
            return evict

    def entries(self) -> list[tuple]:
        """The tracked entries' arguments, least recently used first."""
        with self.lock:
            return [args for args, _ in self.sizes.values()]


_budget = _ByteBudget(QUERY_CACHE_BYTES)
_computed = threading.local()  # the size of the result _query just computed in this thread (a miss)


_SAMPLE_ROWS = 4096


def frame_bytes(df: pd.DataFrame) -> int:
    """Memory of a result frame, bytes (deep: strings included). A large frame's strings are measured on an
    evenly spaced sample of its rows and scaled (measuring every string of a national village table took
    ~60 ms of a recolour's rerun); numeric columns are counted exactly."""
    if len(df) <= 2 * _SAMPLE_ROWS:
        return int(df.memory_usage(index=True, deep=True).sum())
    shallow = df.memory_usage(index=True, deep=False)
    step = len(df) // _SAMPLE_ROWS
    sample = df.iloc[::step]
    deep = sample.memory_usage(index=True, deep=True) * (len(df) / len(sample))
    return int(sum(max(shallow[c], deep[c]) for c in shallow.index))


@st.cache_data(max_entries=512, ttl=3600, show_spinner=False)
def _query(key: tuple[str, str], name: str, params: tuple) -> pd.DataFrame:
    df = _database(*key).query(name, **dict(params))
    _computed.nbytes = frame_bytes(df)  # runs on a miss only: query() then accounts for it
    return df


# Within one script run, a small result asked again (the dataset's metadata ~4 times a run, its years,
# indicators, region counts) is handed out from the run's own memo, without Streamlit hashing the arguments
# and unpickling the result again. Small only: the memo lives until the session's next run.
RUN_MEMO_ROWS = 2000


def _run_memo() -> dict | None:
    """This script run's memo of small query results (None outside a run)."""
    return memo.run_slot("queries")


def query(name: str, **params) -> pd.DataFrame:
    """Run ``queries/<name>.sql`` on the active dataset with bound parameters (cached, see the module
    docstring for the cache's byte budget). Each call gets its own frame (a result asked again within a run
    comes as a shallow copy: pandas copies on write, so changing it leaves the remembered one as it was)."""
    args = (dataset_key(), name, tuple(sorted(params.items())))
    kept = _run_memo()
    token = repr(args)
    if kept is not None and token in kept:
        return kept[token].copy(deep=False)
    _computed.nbytes = None
    df = _query(*args)
    nbytes, _computed.nbytes = _computed.nbytes, None
    if nbytes is None:
        _budget.touch(args)
    else:
        for old in _budget.add(args, nbytes):
            _query.clear(*old)
    if kept is not None and len(df) <= RUN_MEMO_ROWS:
        kept[token] = df
        return df.copy(deep=False)
    return df


# --- small results computed from a query's result, remembered by the query --------------------------

DERIVED_ENTRIES = 256  # results kept (process-wide, least recently used dropped first); each is small
_derived = memo.Recent(lambda: DERIVED_ENTRIES)


def derived(fn, name: str, params: dict, *args):
    """``fn(query(name, **params), *args)``, remembered per (dataset build, ``fn``, query, parameters, ``args``).

    For pure functions of one query's result whose answer is small while the result is large: a page's
    status transitions or top-and-bottom lists computed from every village of the country. Keyed by the
    query rather than by the content of its result, so a rerun neither copies the result out of the query
    cache (unpickling ~85,000 rows: ~8 ms) nor hashes it: the key holds :func:`dataset_key` (the file and
    its build), so a new build, or another dataset (a restricted one included), is never answered from
    another's entry. At most :data:`DERIVED_ENTRIES` are kept. Answers are shared between sessions: never
    change one in place. ``fn`` is a module-level function (found again by identity; a function made anew
    on every run would never be); ``args`` are compared by ``repr`` (strings, numbers, dataclasses such as
    an indicator).
    """
    key = (dataset_key(), fn, name, repr(sorted(params.items())), repr(args))
    return _derived.get(key, lambda: fn(query(name, **params), *args))


def dataset_info() -> dict:
    df = query("dataset_info")
    return df.iloc[0].to_dict() if len(df) else {}


def years(indikator: str = "") -> list[int]:
    return [int(y) for y in query("years", indikator=indikator)["tahun"]]


def available_indicators() -> pd.DataFrame:
    return query("indicators_available")


# --- the active dataset's indicator catalog ------------------------------------------------------------


@st.cache_resource(max_entries=4, show_spinner=False)
def _katalog(path: str, mtime_ns: int) -> catalog.Katalog:
    return catalog.dari_tabel(_database(path, mtime_ns).query("catalog_indicators").to_dict("records"))


def katalog() -> catalog.Katalog:
    """The active dataset's catalog: the built-ins plus the indicators its owner described (read once per
    dataset file). The built-ins when the dataset cannot be read (pages then show the fault)."""
    try:
        return _katalog(*dataset_key())
    except db.DataError:
        return catalog.BAWAAN


def pakai_katalog() -> None:
    """Use the active dataset's catalog in this thread (a page run: ``catalog.pakai``), read at its first use."""
    catalog.pakai(katalog)


# Outside a page run (callbacks in a fresh thread, the command line, domain code in tests), the module-level
# catalog functions read the active dataset's catalog through this source.
catalog.pasang_sumber(katalog)

"""What the benchmarks ask a dataset: realistic arguments drawn from the dataset itself, and tables.

The ``-- example:`` header of each query file names demo codes (``97.01``, ``97.01.01.2001``) and
years of the demo (2023, 2024). On another dataset those codes do not exist and the query would
answer an empty question in no time, so :func:`substitute` replaces every region code by the
dataset's own region of the same level chosen as the pages' worst realistic case (the province,
kabupaten/kota and kecamatan with the most villages, a desa of that kecamatan) and shifts every year
so the example's latest year becomes the dataset's latest year. Used by ``bench/query_bench.py`` and
``bench/page_bench.py``; tested in ``tests/test_bench.py``.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np

from sinergi import db

# The latest year the query headers' examples use (the demo's last year).
EXAMPLE_LATEST = 2024
_CODE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")


@dataclass(frozen=True)
class Sample:
    """Regions and years of one dataset that the benchmarks ask about.

    ``by_level[level]`` lists the codes of that level largest first (by villages inside; for
    villages: desa of the largest kecamatan first, then its kelurahan), at most a few per level.
    """

    by_level: dict[int, list[str]]
    years: list[int]
    names: dict[str, str]

    @property
    def latest(self) -> int:
        return self.years[-1]

    @property
    def earliest(self) -> int:
        return self.years[0]

    @property
    def prov(self) -> str:
        return self.by_level[1][0]

    @property
    def kab(self) -> str:
        return self.by_level[2][0]

    @property
    def kec(self) -> str:
        return self.by_level[3][0]

    @property
    def desa(self) -> str:
        return self.by_level[4][0]


def draw(con: duckdb.DuckDBPyConnection, keep: int = 3) -> Sample:
    """The largest regions per level and the years of ``con``'s dataset, through the named queries."""
    villages = db.run_query(con, "region_list", level=4, induk="")
    if villages.empty:
        raise db.DataError("Dataset tanpa desa/kelurahan: tidak ada yang diukur.")
    codes = villages["kode"].str.split(".", expand=True)
    by_level: dict[int, list[str]] = {}
    for level in (1, 2, 3):
        prefix = codes[0] if level == 1 else codes[list(range(level))].agg(".".join, axis=1)
        counts = prefix.value_counts()
        # largest first; ties by code so the choice is the same on every run
        order = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        by_level[level] = [k for k, _ in order[:keep]]
    inside = villages[villages["kode"].str.startswith(by_level[3][0] + ".")]
    desa_first = inside.sort_values("jenis", key=lambda s: s.ne("desa"), kind="stable")
    by_level[4] = desa_first["kode"].head(keep).tolist()
    years = [int(y) for y in db.run_query(con, "years", indikator="")["tahun"]]
    if not years:
        raise db.DataError("Dataset tanpa nilai: tidak ada tahun untuk diukur.")
    wanted = [k for v in by_level.values() for k in v]
    names = db.run_query(con, "regions_by_code", kode=wanted)
    return Sample(by_level=by_level, years=years, names=dict(zip(names["kode"], names["nama"])))


def _level(code: str) -> int:
    return code.count(".") + 1


def substitute(params: dict, sample: Sample) -> dict:
    """``params`` (a query's example) with the dataset's own regions and years.

    A region code of level L becomes the sample's first region of level L (the i-th code of that
    level in a list becomes the i-th); a year (a ``tahun…`` parameter) keeps its distance to the
    example's latest year, clipped to the dataset's years. Everything else is kept.
    """

    def year(y: int) -> int:
        return int(min(max(sample.latest - (EXAMPLE_LATEST - int(y)), sample.earliest), sample.latest))

    def codes(values: Sequence[str]) -> list[str]:
        seen: dict[int, int] = {}
        out = []
        for v in values:
            lv = _level(v)
            i = seen.get(lv, 0)
            seen[lv] = i + 1
            options = sample.by_level[lv]
            out.append(options[min(i, len(options) - 1)])
        return out

    out = {}
    for key, value in params.items():
        if key.startswith("tahun") and isinstance(value, int) and not isinstance(value, bool):
            out[key] = year(value)
        elif isinstance(value, str) and _CODE.match(value):
            out[key] = codes([value])[0]
        elif isinstance(value, list) and value and all(isinstance(v, str) and _CODE.match(v) for v in value):
            out[key] = codes(value)
        else:
            out[key] = value
    return out


def search_params(text: str) -> dict:
    """The parameters ``sinergi.search.search`` binds for a typed text (for ``search_regions``)."""
    from sinergi import search

    kode = search.as_code(text)
    nama = "" if kode else search.fold(text)
    return {"kode": kode, "nama": nama, "penuh": search.fold_full(text) if nama else "",
            "jenis": search.asked_jenis(text), "n": 10}


def percentiles(seconds: Sequence[float]) -> tuple[float, float, float]:
    """(p50, p95, max) in milliseconds."""
    a = np.asarray(seconds, dtype=float) * 1000
    return float(np.percentile(a, 50)), float(np.percentile(a, 95)), float(a.max())


@contextlib.contextmanager
def data_dir_for(db_file: Path) -> Iterator[Path]:
    """A temporary ``SINERGI_DATA_DIR`` whose active dataset is ``db_file`` (symlinked, never written).

    The dataset keeps its own name (``nasional`` → ``nasional.duckdb`` + ``active``), so the app sees
    exactly what a deployment with that file would; a file named ``demo.duckdb`` stays the demo.
    """
    db_file = Path(db_file).resolve()
    name = db_file.stem if re.fullmatch(r"[a-z][a-z0-9_]*", db_file.stem) else "bench"
    work = Path(tempfile.mkdtemp(prefix="sd-bench-"))
    old = os.environ.get("SINERGI_DATA_DIR")
    try:
        (work / f"{name}.duckdb").symlink_to(db_file)
        (work / "active").write_text(name, encoding="utf-8")
        os.environ["SINERGI_DATA_DIR"] = str(work)
        yield work
    finally:
        if old is None:
            os.environ.pop("SINERGI_DATA_DIR", None)
        else:
            os.environ["SINERGI_DATA_DIR"] = old
        shutil.rmtree(work, ignore_errors=True)


def default_databases() -> list[Path]:
    """``data/demo.duckdb`` (built when missing) and ``data/nasional.duckdb`` when present."""
    from sinergi import build

    demo = db.ROOT / "data" / "demo.duckdb"
    if not demo.exists():
        print("Membangun data/demo.duckdb …", flush=True)
        build.build_demo(demo)
    out = [demo]
    nas = db.ROOT / "data" / "nasional.duckdb"
    if nas.exists():
        out.append(nas)
    else:
        print(f"({nas} belum ada: python -m sinergi build-demo --size nasional --out {nas})")
    return out


def print_table(columns: Sequence[str], rows: Sequence[Sequence[object]], markdown: bool = False) -> None:
    """Rows as a Markdown table (``markdown``) or aligned plain text; numbers right-aligned, '' = blank."""
    text = [[c if isinstance(c, str) else f"{c:,.1f}" if isinstance(c, float) else f"{c:,}" for c in r]
            for r in rows]
    # a column is numeric (right-aligned) when every non-empty cell is a number
    numeric = [bool(rows) and all(not isinstance(r[i], str) or r[i] == "" for r in rows)
               and any(not isinstance(r[i], str) for r in rows) for i in range(len(columns))]
    if markdown:
        print("| " + " | ".join(columns) + " |")
        print("|" + "|".join("---:" if n else "---" for n in numeric) + "|")
        for r in text:
            print("| " + " | ".join(c.replace("|", "\\|") for c in r) + " |")
        return
    widths = [max([len(c)] + [len(r[i]) for r in text]) for i, c in enumerate(columns)]
    fmt = [(str.rjust if n else str.ljust) for n in numeric]
    print("  ".join(f(c, w) for f, c, w in zip(fmt, columns, widths)))
    for r in text:
        print("  ".join(f(c, w) for f, c, w in zip(fmt, r, widths)))


def machine() -> str:
    """One line describing where the numbers were measured (CPU, cores, memory, versions, load)."""
    import platform

    import pandas as pd
    import streamlit

    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        kb = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        mem = f", {kb / 1024 / 1024:.1f} GB RAM"
    load = ""
    with contextlib.suppress(OSError):
        load = f", load avg {os.getloadavg()[0]:.2f}"
    return (f"{cpu}, {os.cpu_count()} cores{mem}{load}; Python {platform.python_version()}, "
            f"DuckDB {duckdb.__version__}, pandas {pd.__version__}, Streamlit {streamlit.__version__}")

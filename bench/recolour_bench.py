"""The recolour of the national village map on the server (issue 15: a year asked the first time ≤ 200 ms).

    .venv/bin/python bench/recolour_bench.py --db data/nasional.duckdb [--indicators iks idm]

Opens Peta on every village of the country (``wil=semua&tingkat=4``) in ``AppTest`` with the file as the active
dataset, then changes the year through every year of each indicator, each asked the first time in this process
(its values not yet in any cache), then once more (asked before), then a rerun without a change. Prints, per
run, wall and CPU milliseconds of the process. The page scripts are compiled once for the whole process, as a
server compiles them (``tests/apptest.py`` ``share_script_cache``; AppTest alone would compile them again on
every run). Numbers only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--indicators", nargs="+", default=["iks", "idm"])
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="recolour-"))
    (folder / "demo.duckdb").symlink_to(args.db.resolve())
    os.environ["SINERGI_DATA_DIR"] = str(folder)
    os.environ.setdefault("STREAMLIT_SERVER_FILE_WATCHER_TYPE", "none")

    from apptest import open_page, scan_components_once, share_script_cache

    scan_components_once()
    share_script_cache()

    def timed(fn):
        w, c = time.perf_counter(), time.process_time()
        fn()
        return (time.perf_counter() - w) * 1000, (time.process_time() - c) * 1000

    rows = []
    for ind in args.indicators:
        at = open_page("pages/peta.py", {"wil": "semua", "tingkat": "4", "ind": ind})
        box = next(s for s in at.selectbox if s.key and s.key.endswith("tahun"))
        years = list(box.options)
        start = box.value
        for kind, seq in (("first time", [y for y in years if str(y) != str(start)]), ("asked before", years[:2])):
            for y in seq:
                box = next(s for s in at.selectbox if s.key and s.key.endswith("tahun"))
                wall, cpu = timed(lambda: box.select(y).run())
                assert not at.exception, [e.message for e in at.exception]
                rows.append((ind, kind, y, wall, cpu))
        wall, cpu = timed(lambda: at.run())
        rows.append((ind, "no change", "", wall, cpu))
    print("| indicator | year | kind | wall ms | CPU ms |")
    print("|---|---|---|---:|---:|")
    for ind, kind, y, wall, cpu in rows:
        print(f"| {ind} | {y} | {kind} | {wall:.0f} | {cpu:.0f} |")
    for kind in ("first time", "asked before", "no change"):
        srv = [w for _, k, _, w, _ in rows if k == kind]
        if srv:
            print(f"{kind}: server {min(srv):.0f}–{max(srv):.0f} ms, median {statistics.median(srv):.0f} ms (n={len(srv)})")


if __name__ == "__main__":
    main()

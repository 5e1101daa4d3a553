"""Profil Desa's first visits: the server's CPU for a village's profile opened the first time, and where it goes.

    .venv/bin/python bench/profil_bench.py --db FILE [--villages 16] [--seed 7] [--warm 3]

Runs the app in ``streamlit.testing.v1.AppTest`` on ``--db`` (linked into a temporary data folder, never
written) and opens Profil Desa for ``--villages`` villages drawn at random (``--seed``), each as a visitor
arriving with ``?kode=`` does: no widget state carried from the previous village (as ``bench/ws_load.py``'s
"profile" action sends none). The first ``--warm`` visits are not counted (the process's first queries,
imports and caches). Prints the process CPU (every thread: DuckDB's too) per visit and, per visit, the CPU
spent in each named query (``sinergi.data.query``) and chart builder; the rest is Streamlit and the page.

Each page script is compiled once, as a server's one ``ScriptCache`` does (AppTest compiles it at every run).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ["STREAMLIT_SERVER_FILE_WATCHER_TYPE"] = "none"

from load_bench import prepare_data_dir  # noqa: E402


def compile_once() -> None:
    from streamlit.runtime.scriptrunner import script_cache

    compiled: dict[str, object] = {}
    get = script_cache.ScriptCache.get_bytecode

    def get_bytecode(self, path):
        if path not in compiled:
            compiled[path] = get(self, path)
        return compiled[path]

    script_cache.ScriptCache.get_bytecode = get_bytecode


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--villages", type=int, default=16)
    ap.add_argument("--warm", type=int, default=3)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    data_dir, db_file = prepare_data_dir(args.db, Path(tempfile.mkdtemp(prefix="profil-bench-")))
    os.environ["SINERGI_DATA_DIR"] = str(data_dir)
    compile_once()

    from streamlit.proto.WidgetStates_pb2 import WidgetStates
    from streamlit.testing.v1 import AppTest

    from sinergi import charts, db
    from sinergi import data as sd

    spent: dict[str, float] = defaultdict(float)
    calls: dict[str, int] = defaultdict(int)

    def timed(label, fn):
        def wrapper(*a, **k):
            c0 = time.process_time()
            try:
                return fn(*a, **k)
            finally:
                name = label(a)
                spent[name] += time.process_time() - c0
                calls[name] += 1
        return wrapper

    sd.query = timed(lambda a: f"query {a[0]}", sd.query)
    for name in ("percentile_dots", "trend_lines", "hbars"):
        setattr(charts, name, timed(lambda a, n=name: f"chart {n}", getattr(charts, name)))

    con = db.connect_snapshot(db_file)
    try:
        villages = [k for (k,) in con.execute("select kode from regions where level = 4 order by kode").fetchall()]
    finally:
        con.close()
    picked = random.Random(args.seed).sample(villages, min(len(villages), args.villages + args.warm))

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    at.switch_page("pages/profil_desa.py")
    cpu = []
    for i, kode in enumerate(picked):
        at.query_params["kode"] = kode
        for key in [k for k in at.session_state._state.filtered_state if k.startswith("pf_")]:
            del at.session_state[key]  # a visitor arriving by a link: no picker state from the last village
        if i == args.warm:
            spent.clear()
            calls.clear()
        c0 = time.process_time()
        at._run(WidgetStates())  # no widget states, as a new run of the page from its URL
        took = time.process_time() - c0
        if at.exception:
            print(f"{kode}: {at.exception[0].message}")
            return 1
        if i >= args.warm:
            cpu.append(took)
    n = len(cpu)
    cpu.sort()
    print(f"Profil Desa, first visits of {n} villages (seed {args.seed}), {db_file.name}: process CPU per visit "
          f"p50 {1000 * cpu[n // 2]:.0f} ms, mean {1000 * sum(cpu) / n:.0f} ms, max {1000 * cpu[-1]:.0f} ms; "
          f"load average {os.getloadavg()[0]:.1f}")
    print("\n| part | CPU ms per visit | calls per visit |\n|---|---:|---:|")
    for name in sorted(spent, key=lambda k: -spent[k]):
        print(f"| {name} | {1000 * spent[name] / n:.1f} | {calls[name] / n:.1f} |")
    rest = sum(cpu) - sum(spent.values())
    print(f"| the rest (Streamlit, the page, tables) | {1000 * rest / n:.1f} | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

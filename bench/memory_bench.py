"""Benchmark: peak memory of a dataset build and of imports at national scale, step by step.

    .venv/bin/python bench/memory_bench.py build [--size nasional] [--out FILE]
    .venv/bin/python bench/memory_bench.py import [--db NATIONAL.duckdb] [--real DIR] [--sumber DIR]
                                                  [--only nyata|desa]

``build`` runs ``sinergi.build.build_demo`` in this process and samples its resident memory every 0.1 s,
printing per progress step the wall and CPU seconds it took and the highest RSS seen during it (the maximum
over all steps equals ``getrusage``'s max RSS, printed last).

``import`` runs each national-scale import in a fresh process of its own (its own peak), into a temporary
data folder, as ``python -m sinergi import`` would (``plan.siapkan_*`` then ``apply.terapkan``):

- ``nyata``: the real national kecamatan boundaries (7,285), then the real IDM 2024 table (75,265 desa) over
  them, from ``<repo>/../shared/data/real`` (never copied into the repository);
- ``desa``: the villages of a national-scale demo (``--db``, read only), each perturbed on its own
  (``bench/geom_bench.py``'s GeoPackage, made once into ``--sumber``), as boundaries, then their IKS values
  of one year, then a wide table of their IDM family for every year (``idm, iks, ike, ikl`` 2019–2024: 24
  columns, ~1.8 million values) into the same dataset.

Printed per import and step: wall and CPU seconds and the process's peak RSS so far. The machine's load
changes the wall times, not the memory: compare CPU seconds and peaks. One national build or import at a
time (each takes some GB).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))  # perturb.py, for geom_bench's perturbed villages
REAL = ROOT / ".." / "shared" / "data" / "real"
IMPORTS = ("nyata", "desa")


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return 0.0


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def cpu_s() -> float:
    t = os.times()
    return t.user + t.system


# --- build ------------------------------------------------------------------------------------------------


def build(size: str, out: Path | None) -> None:
    from sinergi import build as sb

    state = {"peak": rss_mb()}
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.1):
            state["peak"] = max(state["peak"], rss_mb())

    threading.Thread(target=sample, daemon=True).start()
    rows: list[tuple[str, float, float, float]] = []
    last = {"step": "mulai", "t": time.perf_counter(), "c": cpu_s()}

    def progress(_f: float, msg: str) -> None:
        now, c = time.perf_counter(), cpu_s()
        rows.append((last["step"], now - last["t"], c - last["c"], max(state["peak"], rss_mb())))
        state["peak"] = rss_mb()
        last.update(step=msg, t=now, c=c)

    work = None
    if out is None:
        work = Path(tempfile.mkdtemp(prefix="sinergi-mem-bench-"))
        out = work / f"{size}.duckdb"
    t0, c0 = time.perf_counter(), cpu_s()
    try:
        sb.build_demo(out, size=size, progress=progress)
        progress(1.0, "")
        stop.set()
        print(f"{'langkah':<58} {'detik':>8} {'CPU s':>8} {'RSS puncak MB':>14}")
        for step, dt, dc, peak in rows:
            print(f"{step[:58]:<58} {dt:8.1f} {dc:8.1f} {peak:14,.0f}")
        print(f"{'TOTAL':<58} {time.perf_counter() - t0:8.1f} {cpu_s() - c0:8.1f} {max_rss_mb():14,.0f}  (max RSS)")
        print(f"Berkas: {out} ({out.stat().st_size / 2**20:.1f} MB)" + (", dihapus" if work else ""))
    finally:
        if work:
            shutil.rmtree(work, ignore_errors=True)


# --- imports, each in its own process ----------------------------------------------------------------------


def _langkah(steps: list, name: str, fn):
    t0, c0 = time.perf_counter(), cpu_s()
    out = fn()
    steps.append({"langkah": name, "detik": time.perf_counter() - t0, "cpu": cpu_s() - c0, "rss": max_rss_mb()})
    return out


def impor(kind: str, data: Path, files: list[str]) -> list[dict]:
    """One import scenario into the data folder ``data`` (in this process: call it in a fresh one)."""
    os.environ["SINERGI_DATA_DIR"] = str(data)
    from sinergi.importers import apply, plan

    steps: list[dict] = []
    batas, *tabel = files
    r = _langkah(steps, f"periksa batas ({Path(batas).name})", lambda: plan.siapkan_batas(batas, kind, batas_mb=4000))
    assert r.boleh_diterapkan, r.laporan.teks()
    _langkah(steps, "terapkan batas", lambda: apply.terapkan(r))
    for nilai in tabel:
        ri = _langkah(steps, f"periksa indikator ({Path(nilai).name})",
                      lambda: plan.siapkan_indikator(nilai, kind, batas_mb=4000))
        assert ri.boleh_diterapkan, ri.laporan.teks()
        _langkah(steps, f"terapkan indikator ({Path(nilai).name})", lambda: apply.terapkan(ri))
    return steps


def riwayat_idm(db_file: Path, out: Path) -> Path:
    """The IDM family of every village of ``db_file`` for every year, one column per indicator and year
    (``idm_2019`` …), as a CSV (kept when ``out`` exists)."""
    if out.exists():
        return out
    from sinergi import db

    con = db.connect(db_file, read_only=True)
    try:
        v = con.execute("select n.kode, n.indikator || '_' || n.tahun as kolom, n.nilai from nilai n "
                        "join regions r on r.kode = n.kode where r.level = 4 and n.nilai is not null "
                        "and n.indikator in ('idm', 'iks', 'ike', 'ikl')").df()
    finally:
        con.close()
    v.pivot(index="kode", columns="kolom", values="nilai").reset_index().to_csv(out, index=False)
    return out


def _jalankan(kind: str, data: Path, files: list[Path]) -> list[dict]:
    cmd = [sys.executable, __file__, "_impor", kind, str(data), *map(str, files)]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode:
        raise RuntimeError(f"{kind}: {res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def imports(args: argparse.Namespace) -> None:
    work = Path(tempfile.mkdtemp(prefix="sinergi-mem-bench-"))
    try:
        runs: dict[str, list[dict]] = {}
        kinds = [args.only] if args.only else list(IMPORTS)
        if "nyata" in kinds:
            kec = args.real / "cahyadsn_wilayah_boundaries" / "adm3_kecamatan.geojson"
            idm = args.real / "kristonova_idm2024" / "idm2024_desa.csv"
            if kec.exists() and idm.exists():
                runs["nyata"] = _jalankan("nyata", work / "nyata", [kec, idm])
            else:
                print(f"(data nyata tidak ada di {args.real}: dilewati)")
        if "desa" in kinds:
            if not args.db or not args.db.exists():
                print("(tanpa --db: impor desa nasional dilewati; bangun dengan python -m sinergi build-demo "
                      "--size nasional --out FILE)")
            else:
                from geom_bench import siapkan_nasional

                sumber = args.sumber or work / "sumber"
                sumber.mkdir(parents=True, exist_ok=True)
                gpkg, csv, _info = siapkan_nasional(args.db, sumber)
                runs["desa"] = _jalankan("desa", work / "desa", [gpkg, csv, riwayat_idm(args.db, sumber / "idm_riwayat.csv")])
        print(f"{'impor':<6} {'langkah':<56} {'detik':>8} {'CPU s':>8} {'RSS puncak MB':>14}")
        for kind, steps in runs.items():
            for s in steps:
                print(f"{kind:<6} {s['langkah'][:56]:<56} {s['detik']:8.1f} {s['cpu']:8.1f} {s['rss']:14,.0f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "_impor":  # a child process: one import
        kind, data, *files = sys.argv[2:]
        Path(data).mkdir(parents=True, exist_ok=True)
        print(json.dumps(impor(kind, Path(data), files)))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="build a demo and report its memory per step")
    b.add_argument("--size", default="nasional", choices=["kecil", "demo", "nasional"])
    b.add_argument("--out", type=Path, help="keep the built file here (default: a temporary folder, removed)")
    i = sub.add_parser("import", help="national-scale imports, each in its own process")
    i.add_argument("--db", type=Path, help="national-scale demo database (read only)")
    i.add_argument("--real", type=Path, default=REAL, help="folder of the real public data (read only)")
    i.add_argument("--sumber", type=Path, help="folder for the perturbed national files (made once, then reused)")
    i.add_argument("--only", choices=IMPORTS)
    args = ap.parse_args()
    if args.cmd == "build":
        build(args.size, args.out)
    else:
        imports(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

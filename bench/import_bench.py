"""Benchmark: national IDM 2024 (75,265 rows) + national kecamatan boundaries (7,285) imported into a
fresh dataset, as an official would (boundaries first, then the table). Prints time and peak memory.

    .venv/bin/python bench/import_bench.py [--tracemalloc] [--real DIR]

Reads the real public files in ``<repo>/../shared/data/real`` (never copied into the repository) and
writes into a temporary data folder. Peak memory is the process's maximum resident set size
(``resource.getrusage``, includes DuckDB and GEOS); ``--tracemalloc`` also reports Python-heap peaks
(slower: tracing costs time, so the timings of that run are not the benchmark).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
REAL = ROOT / ".." / "shared" / "data" / "real"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--real", type=Path, default=REAL)
    ap.add_argument("--tracemalloc", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the temporary data folder")
    args = ap.parse_args()
    kec = args.real / "cahyadsn_wilayah_boundaries" / "adm3_kecamatan.geojson"
    idm = args.real / "kristonova_idm2024" / "idm2024_desa.csv"
    if not kec.exists() or not idm.exists():
        print(f"Data nyata tidak ditemukan di {args.real.resolve()}: tolok ukur dilewati.")
        return 1
    tmp = tempfile.mkdtemp(prefix="sinergi-bench-")
    os.environ["SINERGI_DATA_DIR"] = tmp
    from sinergi.importers import apply, plan  # after SINERGI_DATA_DIR is set

    if args.tracemalloc:
        tracemalloc.start()
    steps = []
    t_all = time.perf_counter()

    def step(name, fn):
        t0 = time.perf_counter()
        out = fn()
        dt = time.perf_counter() - t0
        peak = tracemalloc.get_traced_memory()[1] / 2**20 if args.tracemalloc else None
        if args.tracemalloc:
            tracemalloc.reset_peak()
        steps.append((name, dt, rss_mb(), peak))
        return out

    r1 = step("periksa batas kecamatan (7.285 fitur)", lambda: plan.siapkan_batas(kec, "nasional"))
    step("terapkan batas kecamatan", lambda: apply.terapkan(r1))
    r2 = step("periksa IDM 2024 (75.265 baris)", lambda: plan.siapkan_indikator(idm, "nasional"))
    path = step("terapkan IDM 2024", lambda: apply.terapkan(r2))
    total = time.perf_counter() - t_all

    print(f"{'langkah':<42} {'detik':>7} {'RSS puncak MB':>14}" + (f" {'tracemalloc MB':>15}" if args.tracemalloc else ""))
    for name, dt, rss, peak in steps:
        print(f"{name:<42} {dt:7.2f} {rss:14.0f}" + (f" {peak:15.0f}" if peak is not None else ""))
    print(f"{'TOTAL':<42} {total:7.2f} {rss_mb():14.0f}   (batas: 60 s)")
    l1, l2 = r1.laporan, r2.laporan
    print(f"Batas kecamatan: {l1.diterima}/{l1.baris} fitur, {l1.geometri_diperbaiki} geometri diperbaiki")
    print(f"IDM 2024: {l2.diterima}/{l2.baris} baris cocok ({l2.persen_diterima:.2f} %), "
          f"{len(l2.tidak_cocok)} tidak cocok, {l2.nilai_baru} nilai")
    pp = l2.per_provinsi
    below = pp[pp["persen"] < 100].sort_values("persen")
    print(f"Provinsi: {len(pp)}, {int((pp['persen'] == 100).sum())} dengan tingkat join 100 %; di bawahnya: " + (
        "; ".join(f"{r.kode_prov} {r.nama}: {r.persen:.1f} % ({r.diterima}/{r.baris})" for r in below.itertuples())
        or "tidak ada"))
    print(f"Berkas: {path} ({path.stat().st_size / 2**20:.1f} MB)" + ("" if args.keep else ", dihapus"))
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

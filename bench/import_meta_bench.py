"""Benchmark: an indicator table of 80,000 villages × 20 indicators with its Data Package (issue 14 target:
at most 60 s and 2 GB peak memory). Prints time and peak memory per step.

    .venv/bin/python bench/import_meta_bench.py [--villages 80000] [--indicators 20] [--into FILE] [--bps]

The table is SDGs Desa-like (``tests/importers/sdgs.py``: scores 0–100, a new theme declared in the Data
Package), generated here. Two targets:

- without ``--into``: a fresh dataset; the villages (fictional codes, provinces 91–94) become regions
  from their codes (no geometry), as when a table is the first file of a dataset;
- ``--into FILE``: a copy of an existing dataset file (e.g. the national demo built by
  ``python -m sinergi build-demo --size nasional``), never FILE itself; the table covers its first
  ``--villages`` villages and the import merges with everything the dataset already holds (its values are
  kept and aggregated again). The copy is marked as not demo data so the importer accepts it.

``--bps`` keys the table by BPS-like codes and writes a crosswalk for them (the SDGs Desa case). Peak
memory is the process's maximum resident set size (``resource.getrusage``: DuckDB and GEOS included); CPU
seconds (all threads of the process) are printed beside the wall time, with the machine's load average,
since a busy shared machine stretches the wall time.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def fictional_codes(n: int) -> list[str]:
    """``n`` village codes in provinces 91–94: 20 kabupaten × 25 kecamatan × 40 villages per province."""
    out = []
    for p in range(91, 95):
        for k in range(1, 21):
            for c in range(1, 26):
                for d in range(1, 41):
                    out.append(f"{p}.{k:02d}.{c:02d}.{2000 + d}")
                    if len(out) == n:
                        return out
    raise ValueError(f"at most {len(out)} fictional villages")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--villages", type=int, default=80_000)
    ap.add_argument("--indicators", type=int, default=20)
    ap.add_argument("--into", type=Path, help="dataset file to import into (a copy is used)")
    ap.add_argument("--bps", action="store_true", help="BPS-like codes through a generated crosswalk")
    ap.add_argument("--keep", action="store_true", help="keep the temporary data folder")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="sinergi-bench-meta-"))
    os.environ["SINERGI_DATA_DIR"] = str(tmp / "data")
    (tmp / "data").mkdir()
    import duckdb

    sys.path.insert(0, str(ROOT / "tests"))
    from importers import sdgs  # noqa: E402  (the generator the tests use)

    from sinergi.importers import apply, plan  # after SINERGI_DATA_DIR is set

    steps = []

    def step(name, fn):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        steps.append((name, time.perf_counter() - t0, time.process_time() - c0, rss_mb()))
        return out

    if args.into:
        target = tmp / "data" / "bench.duckdb"
        step(f"salin {args.into.name}", lambda: shutil.copy(args.into, target))
        con = duckdb.connect(str(target))
        codes = [k for (k,) in con.execute(f"select kode from regions where level = 4 order by kode "
                                           f"limit {int(args.villages)}").fetchall()]
        con.execute("update dataset set demo = false")
        con.close()
        where = f"salinan {args.into.name} ({len(codes):,} desa dipakai)"
    else:
        codes = fictional_codes(args.villages)
        where = "dataset baru (wilayah dari kode)"
    t_all = time.perf_counter()
    keys = [sdgs.kode_bps_untuk(k) for k in codes] if args.bps else codes
    csv, dp, _ = step("tulis tabel dan datapackage.json",
                      lambda: sdgs.tulis(tmp / "berkas", keys, n=args.indicators))
    if not args.bps:  # Kemendagri codes: the column is named as the importer expects them
        text = csv.read_text(encoding="utf-8").replace("kode_bps,", "kode_desa,", 1)
        csv.write_text(text, encoding="utf-8")
        dp.write_text(dp.read_text(encoding="utf-8").replace('"kode_bps"', '"kode_desa"'), encoding="utf-8")
    cw = sdgs.tulis_crosswalk(tmp / "berkas" / "crosswalk.csv", codes) if args.bps else None
    t_import = time.perf_counter()
    r = step("periksa (laporan validasi)", lambda: plan.siapkan_indikator(csv, "bench", crosswalk=cw, metadata=dp))
    if not r.boleh_diterapkan:
        print(r.laporan.teks())
        return 1
    path = step("terapkan (tulis dan tukar atomik)", lambda: apply.terapkan(r))
    t_end = time.perf_counter()
    lap = r.laporan
    print(f"Target: {where}; tabel {csv.stat().st_size / 2**20:.1f} MB, {lap.baris:,} baris × "
          f"{len(lap.indikator_baru)} indikator baru" + (" (kode BPS lewat crosswalk)" if args.bps else ""))
    print(f"{'langkah':<40} {'detik':>7} {'CPU s':>7} {'RSS puncak MB':>14}")
    for name, dt, cpu, rss in steps:
        print(f"{name:<40} {dt:7.2f} {cpu:7.2f} {rss:14.0f}")
    cpu = sum(c for name, _, c, _ in steps if name.startswith(("periksa", "terapkan")))
    print(f"{'IMPOR (periksa + terapkan)':<40} {t_end - t_import:7.2f} {cpu:7.2f} {rss_mb():14.0f}   "
          "(batas: 60 s, 2048 MB)")
    print(f"Beban mesin (load average 1/5/15 menit): {' / '.join(f'{x:.1f}' for x in os.getloadavg())}; "
          f"{os.cpu_count()} inti")
    print(f"{'semua langkah setelah salin':<40} {t_end - t_all:7.2f}")
    print(f"Cocok {lap.diterima:,}/{lap.baris:,}; nilai baru {lap.nilai_baru:,}; berkas {path.stat().st_size / 2**20:.1f} MB"
          + ("" if args.keep else " (folder sementara dihapus)"))
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

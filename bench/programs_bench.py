"""Benchmark: the programme, institution, tie and population imports on generated files of N villages.
Prints, per import, the time to check (plan) and to apply, the rows, and the process's peak memory.

    .venv/bin/python bench/programs_bench.py [--desa 20000] [--seed 8]

A fresh dataset in a temporary data folder: N villages (codes in province 97, which no real region uses)
created from an IKS table, then a long programme table (0–4 programmes per village, ministry names in
alias spellings, budgets and beneficiaries), a list of institutions (about two per village), ties (one
inter-village tie per two villages, a partner tie per four) and population. Peak memory is the maximum
resident set size of this process (``resource.getrusage``; includes DuckDB).
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

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KL = ["Kementerian Sosial", "KEMENSOS", "Kemendes PDTT", "Kemenkes", "BRIN", "Bappenas", "KemenPPPA", "Pemda"]
PROGRAM = ["PKH", "Desa Berketahanan Sosial", "Dana Desa", "Posyandu Prima", "Desa Inovasi", "Prioritas Nasional",
           "Desa Ramah Anak", "Bantuan Keuangan"]
JENIS = ["bumdes", "posyandu", "karang taruna", "koperasi", "PKK", "kelompok tani"]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def kode(i: int) -> str:
    kec, d = divmod(i, 100)
    kab, c = divmod(kec, 10)
    return f"97.{kab + 1:02d}.{c + 1:02d}.{2001 + d}"


def tulis(path: Path, header: str, rows) -> Path:
    with open(path, "w", encoding="utf-8") as f:
        f.write(header + "\n")
        f.writelines(",".join(map(str, r)) + "\n" for r in rows)
    return path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--desa", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=8)
    args = ap.parse_args()
    n, rng = args.desa, np.random.default_rng(args.seed)
    folder = Path(tempfile.mkdtemp(prefix="sinergi-bench-program-"))
    os.environ["SINERGI_DATA_DIR"] = str(folder / "data")
    from sinergi.importers import apply, kinds, plan

    k = [kode(i) for i in range(n)]
    files = {
        "iks": tulis(folder / "iks.csv", "kode,iks_2024", zip(k, rng.uniform(0.3, 0.9, n).round(4))),
        "program": tulis(folder / "program.csv", "kode_desa,tahun,kementerian,program,anggaran,penerima",
                         ((k[i], 2024, KL[j], PROGRAM[j], int(rng.integers(1, 900)) * 1_000_000, int(rng.integers(0, 80)))
                          for i in range(n) for j in rng.choice(len(KL), rng.integers(0, 5), replace=False))),
        "lembaga": tulis(folder / "lembaga.csv", "kode_desa,jenis,nama_lembaga,sejak",
                         ((k[i], JENIS[j], f"Lembaga {i}-{j}", int(rng.integers(2000, 2025)))
                          for i in range(n) for j in rng.choice(len(JENIS), 2, replace=False))),
        "ikatan": tulis(folder / "ikatan.csv", "dari,ke,jenis,tahun,jenis_mitra",
                        [(k[i], k[(i + 1) % n], "kerja_sama_antardesa", 2023, "") for i in range(0, n, 2)]
                        + [(k[i], f"Mitra {i % 50}", "pendampingan", 2024, "lsm") for i in range(0, n, 4)]),
        "penduduk": tulis(folder / "penduduk.csv", "kode,tahun,penduduk",
                          ((k[i], 2024, int(rng.integers(300, 12000))) for i in range(n))),
    }
    print(f"{n:,} villages; files in {folder}")
    print(f"{'import':<12} {'rows':>9} {'check s':>8} {'apply s':>8} {'peak RSS MB':>12}")
    try:
        for jenis, path in files.items():
            t0 = time.perf_counter()
            r = plan.siapkan_indikator(path, "bench") if jenis == "iks" else kinds.siapkan(jenis, path, "bench")
            t1 = time.perf_counter()
            if not r.boleh_diterapkan:
                print(r.laporan.teks())
                return 1
            apply.terapkan(r)
            t2 = time.perf_counter()
            print(f"{jenis:<12} {r.laporan.baris:>9,} {t1 - t0:>8.1f} {t2 - t1:>8.1f} {rss_mb():>12,.0f}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

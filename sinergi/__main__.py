"""Command line: ``python -m sinergi build-demo`` and ``python -m sinergi status``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sinergi import build, db


def _progress(f: float, msg: str) -> None:
    print(f"\r[{f * 100:5.1f}%] {msg:<60}", end="", file=sys.stderr, flush=True)


def cmd_build_demo(args) -> int:
    path = Path(args.out) if args.out else db.dataset_path("demo")
    out = build.build_demo(path, size=args.size, seed=args.seed, progress=_progress)
    print(file=sys.stderr)
    print(f"Basis data demo ditulis ke {out}")
    return 0


def cmd_status(args) -> int:
    name = db.active_dataset()
    path = db.dataset_path(name)
    if not path.exists():
        print(f"Dataset aktif: {name} (belum dibangun: {path})")
        return 1
    con = db.connect(path)
    try:
        for q in ("dataset_info", "region_counts", "indicators_available"):
            print(f"== {q}")
            print(db.run_query(con, q).to_string(index=False))
    finally:
        con.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m sinergi", description="Sinergi Desa: data")
    sub = p.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build-demo", help="bangun basis data demo")
    b.add_argument("--size", choices=["kecil", "demo", "nasional"], default="demo")
    b.add_argument("--seed", type=int, default=2024)
    b.add_argument("--out", help="berkas keluaran (default data/demo.duckdb)")
    b.set_defaults(func=cmd_build_demo)
    s = sub.add_parser("status", help="dataset aktif dan isinya")
    s.set_defaults(func=cmd_status)
    args = p.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())

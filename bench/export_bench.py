"""Export timings: map PNG (matplotlib), GeoJSON, XLSX, chart PNG/SVG (kaleido + local Chromium) and a
slide-pack PDF, on the demo database (or ``--db FILE``). Prints numbers; asserts nothing.

    .venv/bin/python bench/export_bench.py [--db data/demo.duckdb]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sinergi import catalog, charts, classify, db, export  # noqa: E402


def picture(con, level: int, induk: str) -> export.MapPicture:
    vals = db.run_query(con, "region_values", indikator="iks", tahun=2024, level=level, induk=induk)
    geo = db.run_query(con, "region_geometry", level=level, induk=induk)
    cls, legend = classify.classify(vals["nilai"].to_numpy(float), "iks", "status")
    table = vals.assign(c=cls, kelas=[legend.labels[c] if c >= 0 else "Tidak ada data" for c in cls])
    return export.MapPicture(table, geo, legend, f"IKS 2024, tingkat {level}", "IKS (indeks 0–1)", "Sumber: demo")


def timed(label: str, fn, size=len):
    t0 = time.perf_counter()
    out = fn()
    dt = time.perf_counter() - t0
    print(f"{label:<52} {dt:7.2f} s   {size(out):>12,} bytes")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default=str(ROOT / "data" / "demo.duckdb"))
    args = ap.parse_args()
    con = db.connect(args.db)
    regions = db.run_query(con, "region_counts")
    print(f"database {args.db}: " + ", ".join(f"level {int(r.level)}: {int(r.n):,}" for r in regions.itertuples()))
    villages = db.run_query(con, "region_values", indikator="iks", tahun=2024, level=4, induk="")
    biggest = villages["kode"].str[:2].value_counts().index[0]
    views = {"provinces": (1, ""), "kabupaten/kota": (2, ""), f"villages of province {biggest}": (4, biggest)}
    pics = {}
    for name, (level, induk) in views.items():
        pic = picture(con, level, induk)
        pics[name] = pic
        timed(f"map PNG 200 dpi, {name} ({len(pic.geo):,})", lambda p=pic: export.map_png(p, dpi=200))
        timed(f"GeoJSON, {name}", lambda p=pic: export.regions_geojson(p.table, p.geo, "iks", 2024, "indeks 0–1"))
    big = pics[f"villages of province {biggest}"].table
    timed(f"XLSX, {len(big):,} rows", lambda: export.table_xlsx(big[["kode", "nama", "nilai", "kelas"]]))
    if export.chart_export_available():
        fig = charts.distribution(big["nilai"], catalog.get("iks"), "id", title="Sebaran IKS", source="Sumber: demo")
        timed("chart PNG (kaleido, Chromium)", lambda: export.figure_image(fig, "png"))
        timed("chart SVG (kaleido, Chromium)", lambda: export.figure_image(fig, "svg"))
    else:
        print("chart export skipped: no /usr/bin/chromium")
    slides = [export.Slide(n, "catatan", "peta", p) for n, p in pics.items()]
    timed(f"slide pack PDF ({len(slides)} map views + cover)", lambda: export.slide_pack_pdf(slides, "id", "demo", "Bench"))
    con.close()


if __name__ == "__main__":
    main()

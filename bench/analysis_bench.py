"""Timings of the analysis pages' heavy steps on a database file (prints numbers, asserts nothing).

    .venv/bin/python bench/analysis_bench.py [--db data/demo.duckdb] [--repeat 1]

- contiguity weights (queen, from the display geometries) and the hotspot analysis (Local Moran, Gi*,
  999 conditional permutations, global Moran with 999 permutations, clusters) at kecamatan and village level;
- the conditional permutation step alone against esda's own (Python loop per region without numba), on
  the largest province's villages;
- the custom index with its ±10 % robustness (3 indicators, village level);
- change classes and one year's map layer (GeoJSON size) at village level;
- the gap to the next status (composite, every village) and fewest-steps plans for 2,500 synthetic villages
  (the size of the real IDM "rumusan" sample).
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sinergi import change, db, gap, hotspot, maps  # noqa: E402
from sinergi import custom_index as ci  # noqa: E402


def timed(label: str, fn, repeat: int = 1):
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    print(f"{label:<70} {best * 1000:10.1f} ms")
    return out


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--db", default=str(ROOT / "data" / "demo.duckdb"))
    p.add_argument("--repeat", type=int, default=1)
    args = p.parse_args()
    warnings.simplefilter("ignore")
    con = db.connect(args.db)
    q = lambda name, **kw: db.run_query(con, name, **kw)  # noqa: E731
    counts = q("region_counts")
    print(f"database {args.db}: regions per level {counts['n'].tolist()}")
    tahun = int(q("years", indikator="iks")["tahun"].max())

    for level in (3, 4):
        geo = timed(f"level {level}: read geometries (WKB)", lambda: q("region_geometry_wkb", level=level, induk="",
                                                                           penuh=False), args.repeat)
        geoms = hotspot.geometries_from_wkb(geo["wkb"])
        w = timed(f"level {level}: queen contiguity of {len(geo):,} regions", lambda: hotspot.contiguity(geo["kode"], geoms),
                  args.repeat)
        vals = q("region_values_lineage", indikator="iks", tahun=tahun, level=level, induk="")
        res = timed(f"level {level}: LISA + Gi* + global Moran, 999 permutations", lambda: hotspot.analyse(vals, w),
                    args.repeat)
        k = res.klaster[res.klaster["metode"] == "lisa"]
        print(f"    tested {res.n_uji:,}, Moran's I {res.moran_i:.3f}, LISA clusters {len(k):,} "
              f"({int(k['lintas_kab'].sum())} across kabupaten lines, {int(k['lintas_prov'].sum())} across province lines)")

    # the permutation step alone, ours against esda's, on the largest province's villages
    kab = q("region_values_lineage", indikator="iks", tahun=tahun, level=4, induk="")["kode_prov"].value_counts().index[0]
    geo = q("region_geometry_wkb", level=4, induk=kab, penuh=False)
    vals = q("region_values_lineage", indikator="iks", tahun=tahun, level=4, induk=kab)
    w = hotspot.contiguity(geo["kode"], hotspot.geometries_from_wkb(geo["wkb"]))
    ok = vals["nilai"].notna().to_numpy()
    adj = hotspot._adjacency(w, vals.loc[ok, "kode"].tolist())
    keep = np.asarray(adj.sum(axis=1)).ravel() > 0
    adj = adj[keep][:, keep]
    y = vals.loc[ok, "nilai"].to_numpy(float)[keep]
    timed(f"province {kab} ({len(y)} villages): vectorised conditional permutation (LISA+Gi*)",
          lambda: hotspot.conditional_pvalues(y, adj), args.repeat)

    from esda.moran import Moran_Local
    from libpysal.graph import Graph

    timed(f"province {kab} ({len(y)} villages): esda Moran_Local alone, 999 permutations",
          lambda: Moran_Local(y, Graph.from_sparse(adj), permutations=999, seed=1, n_jobs=1, keep_simulations=False))

    rec = [ci.Komponen("iks", 2.0), ci.Komponen("pendidikan_sma_pct", 1.0), ci.Komponen("lembaga_per_1000", 1.0)]
    long = q("region_values_multi", indikator=[c.indikator for c in rec], tahun=tahun, level=4, induk="")
    wide = ci.wide_values(long)
    view = timed(f"custom index, 3 indicators, {len(wide):,} villages, with ±10 % robustness",
                 lambda: ci.build_view(wide, rec, "persentil"), args.repeat)
    print(f"    complete {view.n_lengkap:,}, class stable in every test {view.n_stabil:,}")

    years = q("years", indikator="iks")["tahun"].tolist()
    pairs = q("region_change", indikator="iks", tahun_a=int(min(years)), tahun_b=tahun, level=4, induk="")
    timed("change classes, every village", lambda: change.diverging_classes(
        change.with_delta(pairs)["delta"].to_numpy(float), change.catalog.get("iks")), args.repeat)
    allv = q("region_values_years", indikator="iks", level=4, induk="")
    geo4 = q("region_geometry", level=4, induk="")
    classed, lg = change.pooled_classes(allv, "iks")
    props = change.year_props(geo4[["kode", "nama"]], classed, tahun, lg, change.catalog.get("iks"))
    js = timed("one year's map layer (GeoJSON text), every village", lambda: maps.feature_collection(geo4, props),
               args.repeat)
    print(f"    GeoJSON {len(js) / 1e6:.1f} MB")

    base = q("region_values_lineage", indikator="idm", tahun=tahun, level=4, induk="")
    g = timed("gap to the next status, every village", lambda: gap.composite_gap(base.rename(columns={"nilai": "idm"})),
              args.repeat)
    print(f"    villages with IDM {int(g['status'].notna().sum()):,}")
    rng = np.random.default_rng(0)
    n = 2500
    detail = pd.DataFrame({"kode": np.repeat([f"v{i}" for i in range(n)], len(gap.INDIKATOR)),
                           "indikator": np.tile(gap.INDIKATOR, n),
                           "skor": rng.integers(0, 6, size=n * len(gap.INDIKATOR))})
    plans = timed(f"fewest-steps plans, {n:,} villages × 50 indicator scores", lambda: gap.plans(detail), args.repeat)
    print(f"    median steps {plans['n_langkah'].median():.0f}")


if __name__ == "__main__":
    main()

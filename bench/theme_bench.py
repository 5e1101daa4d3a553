"""Timings of the theme pages' heavy steps on a database file (prints numbers, asserts nothing).

    .venv/bin/python bench/theme_bench.py [--db data/demo.duckdb]

- network measures (networkx, as at build time) over every village and year;
- the largest kabupaten's and kecamatan's network graph: nodes, ties, query and figure build time;
- the whole-dataset queries behind the targeting list, co-presence and quadrants;
- similar regions for one village; a profile lookup.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sinergi import charts, db, network, themes  # noqa: E402


def timed(label: str, fn, repeat: int = 3):
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    print(f"{label:<62} {best * 1000:9.1f} ms")
    return out


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--db", default=str(ROOT / "data" / "demo.duckdb"))
    args = p.parse_args()
    con = db.connect(args.db)
    q = lambda name, **kw: db.run_query(con, name, **kw)  # noqa: E731
    counts = q("region_counts")
    print(f"database {args.db}: regions per level {counts['n'].tolist()}")
    years = [int(y) for y in q("years", indikator="")["tahun"]]
    latest = max(years)

    simpul = con.execute("select * from simpul").df()
    ikatan = con.execute("select * from ikatan").df()
    print(f"network: {len(simpul):,} nodes, {len(ikatan):,} ties, years {years[0]}–{latest}")
    timed("network measures, all villages x years (build step)",
          lambda: network.indicator_rows(simpul, ikatan, years), repeat=1)

    for level, name in ((2, "kabupaten"), (3, "kecamatan")):
        big = con.execute(
            "select r.kode from regions r join regions d on d.level = 4 and starts_with(d.kode, r.kode || '.') "
            "where r.level = ? group by r.kode order by count(*) desc limit 1", [level]).fetchone()[0]
        nodes = timed(f"network_nodes, largest {name} {big}", lambda: q("network_nodes", induk=big, tahun=latest))
        edges = timed(f"network_edges, largest {name} {big}", lambda: q("network_edges", induk=big, tahun=latest))
        fig = timed(f"network_figure ({len(nodes):,} nodes, {len(edges):,} ties)",
                    lambda: charts.network_figure(nodes, edges, big, "id", title="x", source="y"))
        print(f"{'':<62} figure JSON {len(fig.to_json()) / 1e6:6.2f} MB")

    base = timed("targeting_base, whole dataset", lambda: q("targeting_base", tahun=latest, induk="", indikator="iks",
                                                                 tahun_ketahanan=latest))
    timed(f"themes.targeting over {len(base):,} villages", lambda: themes.targeting(base, 1))
    pres = timed("program_presence, whole dataset", lambda: q("program_presence", tahun=latest, induk=""))
    timed(f"themes.copresence over {len(pres):,} village-ministry rows", lambda: themes.copresence(pres))
    xy = timed("region_values_xy, villages, whole dataset",
               lambda: q("region_values_xy", ind_x="pendidikan_sma_pct", ind_y="iks", tahun=latest, level=4, induk=""))
    timed(f"themes.quadrants over {len(xy):,} villages", lambda: themes.quadrants(xy))
    timed("status_pairs, whole dataset", lambda: q("status_pairs", tahun_a=years[0], tahun_b=latest, induk=""))
    village = con.execute("select kode from regions where level = 4 and jenis = 'desa' order by kode limit 1").fetchone()[0]
    timed(f"similar_regions for {village}",
          lambda: q("similar_regions", kode=village, tahun=latest,
                    indikator=["iks", "idm", "pendidikan_sma_pct", "pelatihan_pct", "lembaga_per_1000",
                               "jumlah_program"], n=8))
    timed(f"region_profile for {village}", lambda: q("region_profile", kode=village, tahun=latest))
    con.close()


if __name__ == "__main__":
    main()

"""The equal-area grid view (issue 16, point 6): how long a layout takes and how near the squares stay.

    .venv/bin/python bench/grid_bench.py --db data/nasional.duckdb
    .venv/bin/python bench/grid_bench.py --real ../shared/data/real
    .venv/bin/python bench/grid_bench.py --db data/nasional.duckdb --browser

Per view: regions, seconds for ``sinergi.gridmap.grid_frame`` (layout and squares; the app computes it once
per dataset build, level and parent), the grid's columns x rows, Spearman's rank correlation of the cells'
columns and rows with the regions' true longitudes and latitudes, how far a square lies from its region's
point (in cells: median, 90th percentile, largest), and the GeoJSON a browser fetches (MB raw and gzip).

- ``--db``: a dataset file (read only): the country's provinces, kabupaten/kota, kecamatan and villages (the
  village grid is not offered in the app above ``explore.GRID_MAX`` regions; its layout is timed all the same),
  and the villages of the province with the most of them.
- ``--browser`` (with ``--db``): a server with the file and Chromium (non-local hosts unresolvable); per view,
  geographic map and grid, seconds from navigation until the map's colours are painted (the page's clock) and
  the regions drawn, after one unmeasured visit that fills the server's caches (the layout is computed then).
- ``--real``: the points on surface of the real boundary files (``cahyadsn_wilayah_boundaries``, read only):
  the 38 provinces, 514 kabupaten/kota, 7,285 kecamatan, the villages of DI Yogyakarta and of Bali.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sinergi import db, gridmap  # noqa: E402

COLS = ["view", "regions", "seconds", "grid", "rho x", "rho y", "off med", "off p90", "off max", "MB", "MB gz"]


def measure(name: str, points: pd.DataFrame) -> list:
    t0 = time.perf_counter()
    frame = gridmap.grid_frame(points)
    seconds = time.perf_counter() - t0
    x, y = gridmap.project(points["lon"].to_numpy(float), points["lat"].to_numpy(float))
    mx, my = gridmap.project(frame["lon"].to_numpy(float), frame["lat"].to_numpy(float))
    side = float(np.median(gridmap.project(frame["maxx"], frame["maxy"])[0] - gridmap.project(frame["minx"],
                                                                                             frame["miny"])[0]))
    side /= 1 - 2 * gridmap.GAP
    off = np.hypot(mx - x, my - y) / side
    text = ",".join(frame["geojson"]).encode()
    ok = np.isfinite(x)
    return [name, len(frame), f"{seconds:.3f}", f"{frame['col'].max() + 1} x {frame['row'].max() + 1}",
            f"{spearmanr(frame['col'][ok], x[ok])[0]:.3f}", f"{spearmanr(frame['row'][ok], y[ok])[0]:.3f}",
            *(f"{v:.1f}" for v in np.nanpercentile(off, [50, 90, 100])),
            f"{len(text) / 1e6:.2f}", f"{len(gzip.compress(text, 1)) / 1e6:.2f}"]


def from_db(path: Path) -> list[list]:
    con = db.connect(path)
    try:
        counts = db.run_query(con, "region_list", level=4, induk="")
        prov = counts["kode"].str.split(".").str[0].value_counts().idxmax()
        views = [("provinsi", 1, ""), ("kabupaten/kota", 2, ""), ("kecamatan", 3, ""), ("desa/kelurahan", 4, ""),
                 (f"desa/kelurahan {prov}", 4, prov)]
        return [measure(name, db.run_query(con, "region_points", level=lv, induk=induk)) for name, lv, induk in views]
    finally:
        con.close()


def from_real(real: Path) -> list[list]:
    folder = real / "cahyadsn_wilayah_boundaries"
    rows = []
    for name, file in [("provinsi", "adm1_provinsi"), ("kabupaten/kota", "adm2_kabupaten_kota"),
                       ("kecamatan", "adm3_kecamatan"), ("desa DI Yogyakarta", "adm4_desa_kelurahan_34_di_yogyakarta"),
                       ("desa Bali", "adm4_desa_kelurahan_51_bali")]:
        f = folder / f"{file}.geojson"
        if not f.exists():
            print(f"(no {f})")
            continue
        props = [ft["properties"] for ft in json.loads(f.read_text())["features"]]
        points = pd.DataFrame({"kode": [p["kode"] for p in props], "nama": [p["nama"] for p in props],
                               "kode_induk": [p["kode"].rpartition(".")[0] or None for p in props],
                               "lon": [p["lng"] for p in props], "lat": [p["lat"] for p in props]})
        rows.append(measure(name, points))
    return rows


def browser_rows(path: Path) -> list[list]:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS, Server

    con = db.connect(path)
    try:
        villages = db.run_query(con, "region_list", level=4, induk="")["kode"]
        tiled = set(db.run_query(con, "tile_sets")["level"].astype(int))
    finally:
        con.close()
    prov = villages.str.split(".").str[0].value_counts().idxmax()
    views = [("provinsi", "tingkat=1"), ("kabupaten/kota", "tingkat=2"),
             (f"desa/kelurahan {prov}", f"tingkat=4&wilayah={prov}")]
    if 3 in tiled:  # the country's kecamatan are offered with the file's tiles only
        views.append(("kecamatan", "tingkat=3"))
    data = Path(tempfile.mkdtemp(prefix="sd-grid-web-"))
    (data / f"{path.stem}.duckdb").symlink_to(path.resolve())
    (data / "active").write_text(path.stem)
    server = Server(data)
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
                *LAUNCH_ARGS, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"])
            for name, query in views:
                for kind, extra in (("map", ""), ("grid", "&tampilan=kisi")):
                    url = f"{server.url}/peta?ind=iks&{query}{extra}"
                    _drawn(browser, url)  # fills the server's caches
                    seconds, n = _drawn(browser, url)
                    rows.append([name, kind, n, f"{seconds:.2f}"])
            browser.close()
    finally:
        server.stop()
        shutil.rmtree(data, ignore_errors=True)
    return rows


def _drawn(browser, url: str) -> tuple[float, int]:
    """(seconds from navigation until the colours were painted, regions drawn) in a fresh context."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        pg = ctx.new_page()
        pg.goto(url)
        start = pg.evaluate("() => performance.timeOrigin") / 1000
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            for fr in pg.frames:
                if "st_folium" in fr.url:
                    try:
                        at = fr.evaluate("() => window.sdDrawnAt || 0")
                    except Exception:
                        at = 0
                    if at:
                        pg.wait_for_timeout(500)
                        return at / 1000 - start, fr.evaluate("() => window.sdCount()")
            pg.wait_for_timeout(100)
        raise RuntimeError(f"never drawn: {url}")
    finally:
        ctx.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, help="a dataset file (read only)")
    ap.add_argument("--real", type=Path, help="the real data folder (read only)")
    ap.add_argument("--browser", action="store_true", help="with --db: time the maps and grids in Chromium")
    a = ap.parse_args()
    if not a.db and not a.real:
        ap.error("give --db FILE and/or --real DIR")
    if a.browser:
        if not a.db:
            ap.error("--browser needs --db FILE")
        rows = browser_rows(a.db)
        print(f"Peta in Chromium, 1280 x 720: {a.db}")
        print("  " + "  ".join(["view", "drawn as", "regions", "seconds to colours"]))
        for r in rows:
            print("  " + "  ".join(str(v) for v in r))
        return
    for title, rows in ([(f"grid layout: {a.db}", from_db(a.db))] if a.db else []) + \
            ([(f"grid layout: real points in {a.real}", from_real(a.real))] if a.real else []):
        print(title)
        widths = [max(len(c), *(len(str(r[i])) for r in rows)) for i, c in enumerate(COLS)]
        print("  " + "  ".join(c.ljust(w) for c, w in zip(COLS, widths)))
        for r in rows:
            print("  " + "  ".join(str(v).ljust(w) for v, w in zip(r, widths)))


if __name__ == "__main__":
    main()

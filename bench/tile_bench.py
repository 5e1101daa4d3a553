"""Vector tiles and map data over HTTP (issue 15): what the tiles cost to build, what a map sends, and the
country's village map in Chromium.

    .venv/bin/python bench/tile_bench.py build --db data/nasional.duckdb
    .venv/bin/python bench/tile_bench.py real [--real ../shared/data/real]
    .venv/bin/python bench/tile_bench.py scripts --db data/nasional.duckdb [--code DIR]
    .venv/bin/python bench/tile_bench.py browser --db data/nasional.duckdb [--moves 16]

- ``build``: ``sinergi.tiles.write_tiles`` over the file's kecamatan and villages in a fresh process (wall and
  CPU seconds, peak RSS of that process), and the tile table per level and zoom (tiles, MB, largest tile).
- ``real``: the same pyramid for the real village files of DI Yogyakarta and Bali
  (``<repo>/../shared/data/real``, read only), simplified as the importer does; the bytes a province view
  fetches at the zoom its 700 x 600 px map opens at, against the GeoJSON that view would send.
- ``scripts``: what crosses Streamlit's websocket on every rerun of a map view: the map component's arguments
  (script, header, html) and the seconds streamlit-folium takes on the server, per view. ``--code DIR``
  measures another checkout of the app (e.g. the commit before tiles: ``git archive <rev> | tar -x -C DIR``)
  for the before → after; views it cannot draw are marked.
- ``browser``: a server with the file and Chromium (non-local requests blocked): the national village map
  opened from another page (Beranda first: the app's own scripts cached, as after navigation) and by a new
  visitor; seconds until its colours are painted (the page's clock), bytes received by kind, regions drawn;
  then ``--moves`` pans and zooms (seconds until the new tiles are drawn, moves that fetched tiles only);
  then a recolour (another year) and the bytes it fetched. Server reruns: ``bench/page_bench.py --only
  peta hotspot indeks_kustom``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / ".." / "shared" / "data" / "real"
logging.disable(logging.WARNING)


def _rows(title: str, cols: list[str], rows: list[list]) -> None:
    print(title)
    widths = [max(len(str(c)), *(len(str(r[i])) for r in rows)) if rows else len(str(c)) for i, c in enumerate(cols)]
    print("  " + "  ".join(str(c).ljust(w) for c, w in zip(cols, widths)))
    for r in rows:
        print("  " + "  ".join(str(v).ljust(w) for v, w in zip(r, widths)))


# --- build ---------------------------------------------------------------------------------------------

def _build_child(db_file: str) -> None:
    """In a fresh process: read the regions, build every tile in memory, print one JSON line."""
    sys.path.insert(0, str(ROOT))
    import duckdb
    import shapely

    from sinergi import db, tiles

    t0, c0 = time.perf_counter(), time.process_time()
    con = db.connect(db_file)
    reg = con.execute("select kode, level, ST_AsWKB(geom_display) as w from regions where level in (3, 4)").df()
    con.close()
    reg["geom_display"] = shapely.from_wkb([None if w is None else bytes(w) for w in reg["w"]])
    reg = reg.drop(columns="w")
    t1, c1 = time.perf_counter(), time.process_time()
    mem = duckdb.connect(":memory:", config={"autoinstall_known_extensions": False,
                                             "autoload_known_extensions": False})
    db.load_spatial(mem)
    sets = tiles.write_tiles(mem, reg)
    t2, c2 = time.perf_counter(), time.process_time()
    per_zoom = mem.execute("select level, z, count(*), sum(octet_length(data)), max(octet_length(data)) "
                           "from tiles group by 1, 2 order by 1, 2").fetchall()
    print(json.dumps({"read_s": t1 - t0, "read_cpu": c1 - c0, "build_s": t2 - t1, "build_cpu": c2 - c1,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "sets": sets, "per_zoom": per_zoom}))


def cmd_build(args) -> None:
    out = subprocess.run([sys.executable, __file__, "_build_child", str(args.db)], capture_output=True, text=True,
                         check=True).stdout.strip().splitlines()[-1]
    r = json.loads(out)
    print(f"database {args.db}")
    print(f"reading geometry                      {r['read_s']:7.1f} s wall  {r['read_cpu']:6.1f} s CPU")
    print(f"tile build, kecamatan and villages    {r['build_s']:7.1f} s wall  {r['build_cpu']:6.1f} s CPU"
          f"   (target <= 120 s)")
    print(f"peak memory of the process            {r['peak_mb'] / 1024:7.2f} GB        (target <= 3 GB)")
    print(f"load average at the end               {os.getloadavg()[0]:7.1f}  ({os.cpu_count()} CPUs)")
    total = 0
    rows = []
    for level, z, n, size, biggest in r["per_zoom"]:
        total += size
        rows.append([level, z, f"{n:,}", f"{size / 1e6:.2f}", f"{biggest / 1e3:.0f}"])
    _rows("tiles per level and zoom (gzip, as stored and served)", ["level", "z", "tiles", "MB", "largest kB"], rows)
    for s in r["sets"]:
        print(f"level {s['level']}: {s['n_fitur']:,} regions, {s['n_tiles']:,} tiles, {s['bytes'] / 1e6:.1f} MB, "
              f"{s['detik']:.1f} s")
    print(f"tile table in all: {total / 1e6:.1f} MB")


# --- real boundaries -----------------------------------------------------------------------------------

def cmd_real(args) -> None:
    sys.path.insert(0, str(ROOT))
    import gzip
    import math

    import duckdb
    import numpy as np
    import pandas as pd
    import pyogrio
    import shapely

    from sinergi import db, explore, geo, maps, tiles

    base = Path(args.real) / "cahyadsn_wilayah_boundaries"
    files = {"DI Yogyakarta": "adm4_desa_kelurahan_34_di_yogyakarta.geojson",
             "Bali": "adm4_desa_kelurahan_51_bali.geojson"}
    if not base.is_dir():
        print(f"real data absent: {base.resolve()} (see shared/data/real/MANIFEST.md)")
        return
    for name, fname in files.items():
        df = pyogrio.read_dataframe(base / fname)
        g = geo.display_geometry(geo.make_valid_polygonal(np.asarray(df.geometry.values, dtype=object)), 4)
        frame = pd.DataFrame({"kode": df["kode"].astype(str), "level": 4, "geom_display": g})
        mem = duckdb.connect(":memory:", config={"autoinstall_known_extensions": False,
                                                 "autoload_known_extensions": False})
        db.load_spatial(mem)
        t0 = time.perf_counter()
        sets = tiles.write_tiles(mem, frame)
        dt = time.perf_counter() - t0
        minx, miny, maxx, maxy = shapely.total_bounds(g)
        # the zoom a 700 x 600 px map fits the province at (Leaflet: whole quarter zooms), tiles at its rounding
        span_x = (maxx - minx) / 360 * 256
        y = lambda lat: math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / (2 * math.pi) * 256  # noqa: E731
        fit = min(math.log2(700 / span_x), math.log2(600 / (y(maxy) - y(miny))))
        fit = math.floor(fit * 4) / 4
        z = min(max(round(fit), tiles.TILE_LEVELS[4][0]), tiles.TILE_LEVELS[4][1])
        n = 2 ** z
        tx = lambda lon: int((lon + 180) / 360 * n)  # noqa: E731
        ty = lambda lat: int((1 - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / math.pi) / 2 * n)  # noqa: E731
        view = mem.execute("select count(*), sum(octet_length(data)) from tiles where z = ? and x between ? and ? "
                           "and y between ? and ?", [z, tx(minx), tx(maxx), ty(maxy), ty(miny)]).fetchone()
        lite = explore.lighten_for_view(pd.DataFrame({
            "kode": frame["kode"], "geojson": shapely.to_geojson(g), "minx": shapely.bounds(g)[:, 0],
            "miny": shapely.bounds(g)[:, 1], "maxx": shapely.bounds(g)[:, 2], "maxy": shapely.bounds(g)[:, 3]}), 4)
        fc = maps.feature_collection(lite[["kode", "geojson"]], pd.DataFrame({"kode": frame["kode"],
                                                                               "nama": df["nama"].astype(str)}))
        print(f"\n{name}: {len(frame):,} villages ({sets[0]['n_tiles']} tiles, {sets[0]['bytes'] / 1e3:,.0f} kB, "
              f"built in {dt:.1f} s)")
        rows = [[z_, f"{c:,}", f"{s / 1e3:,.1f}", f"{m / 1e3:,.1f}"] for z_, c, s, m in mem.execute(
            "select z, count(*), sum(octet_length(data)), max(octet_length(data)) from tiles group by z order by z"
        ).fetchall()]
        _rows("  per zoom (gzip)", ["z", "tiles", "kB", "largest kB"], rows)
        print(f"  province view: opens at zoom {fit:.2f}, {view[0]} tiles of zoom {z}: {(view[1] or 0) / 1e3:,.0f} kB"
              f"  |  as GeoJSON (thinned for the view, gzip): {len(gzip.compress(fc.encode(), 6)) / 1e3:,.0f} kB")


# --- map scripts over the websocket --------------------------------------------------------------------

def cmd_scripts(args) -> None:
    code = Path(args.code).resolve() if args.code else ROOT
    sys.path.insert(0, str(code))
    import streamlit as st

    from sinergi import custom_index as ci  # from ``code``, before map_bench puts this checkout on the path
    from sinergi import data as sd
    from sinergi import explore, hotspot

    sys.path.insert(1, str(ROOT / "bench"))
    from map_bench import component_args, payload_bytes
    from sample import data_dir_for

    assert Path(explore.__file__).resolve().is_relative_to(code), explore.__file__

    print(f"code: {code}")
    with data_dir_for(args.db):
        tahun = sd.years("iks")[-1]
        allowed = ci.allowed_indicators(sd.available_indicators()["id"])
        resep = ci.default_recipe(allowed)
        views = [
            ("Peta: provinsi, Indonesia", lambda: explore.choropleth_map("iks", tahun, 1, "", "status")[0]),
            ("Peta: kabupaten/kota, Indonesia", lambda: explore.choropleth_map("iks", tahun, 2, "", "status")[0]),
            ("Peta: kecamatan, Indonesia", lambda: explore.choropleth_map("iks", tahun, 3, "", "status")[0]),
            ("Peta: desa/kelurahan, Indonesia", lambda: explore.choropleth_map("iks", tahun, 4, "", "status")[0]),
            ("Hotspot: kecamatan, Indonesia", lambda: hotspot.hotspot_map("iks", tahun, 3, "", 0.05, False, "lisa")[0]),
            ("Hotspot: desa/kelurahan, Indonesia",
             lambda: hotspot.hotspot_map("iks", tahun, 4, "", 0.05, False, "lisa")[0]),
            ("Indeks Kustom: kecamatan, Indonesia", lambda: ci.index_map(resep, "minmax", tahun, 3, "")),
        ]
        rows = []
        for label, make in views:
            if label.endswith("desa/kelurahan, Indonesia") and not args.all and not hasattr(explore, "tiled_levels"):
                rows.append([label, "–", "–", "–", "not measured: GeoJSON of every village (Peta did not offer it)"])
                continue
            st.cache_data.clear()
            st.cache_resource.clear()
            t0 = time.perf_counter()
            m = make()
            built = time.perf_counter() - t0
            component_args(m)  # the first render (remembered strings warmed, as on a real rerun)
            times = []
            for _ in range(5):
                a, dt = component_args(m)
                times.append(dt)
            raw, gz = payload_bytes(a)
            rows.append([label, f"{raw / 1e6:.3f}", f"{gz / 1e6:.3f}", f"{sorted(times)[2] * 1000:.1f}",
                         f"built in {built:.1f} s"])
    _rows("map component per rerun (script + header + html)",
          ["view", "MB", "gzip MB", "st_folium ms p50", "note"], rows)


# --- the national village map in Chromium --------------------------------------------------------------

def cmd_browser(args) -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(1, str(ROOT / "bench"))
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS, Server

    data = Path(tempfile.mkdtemp(prefix="sd-tiles-web-"))
    name = args.db.stem
    (data / f"{name}.duckdb").symlink_to(args.db.resolve())
    (data / "active").write_text(name)
    server = Server(data)
    try:
        with sync_playwright() as p:
            # non-local hosts are blocked by the resolver, not by request interception: Playwright turns the
            # HTTP cache off when it intercepts, and the cache is part of what is measured
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
                *LAUNCH_ARGS, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"])
            _browser_runs(browser, server.url, args.moves)
            browser.close()
    finally:
        server.stop()
        shutil.rmtree(data, ignore_errors=True)


def _kind(url: str) -> str:
    if "/api/sinergi/ubin/" in url:
        return "tiles" if url.endswith(".pbf") else "codes/names"
    if "/api/sinergi/data/" in url:
        return "colours"
    if "/static/" in url or "/component/" in url:
        return "app scripts"
    return "other"


def _browser_runs(browser, url: str, moves: int) -> None:
    target = url + "/peta?ind=iks&tingkat=4"
    got: list[tuple[str, int]] = []

    def context():
        ctx = browser.new_context(viewport={"width": 1280, "height": 720})
        pg = ctx.new_page()

        def done(req):
            try:
                s = req.sizes()
                got.append((req.url, s["responseBodySize"] + s["responseHeadersSize"]))
            except Exception:
                pass
        pg.on("requestfinished", done)
        return ctx, pg

    def frame_of(pg, timeout=180):
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            for fr in pg.frames:
                if "st_folium" in fr.url:
                    try:
                        if fr.evaluate("() => !!(window.sdDrawnAt && window.sdChoropleth && window.sdChoropleth.grid)"):
                            return fr
                    except Exception:
                        pass
            pg.wait_for_timeout(100)
        raise RuntimeError("the tile map was never drawn")

    def summary(label, pg, fr, nav_start):
        drawn = fr.evaluate("() => window.sdDrawnAt") / 1000 - nav_start
        kinds: dict[str, int] = {}
        for u, n in got:
            kinds[_kind(u)] = kinds.get(_kind(u), 0) + n
        total = sum(kinds.values())
        n = fr.evaluate("() => window.sdCount()")
        print(f"{label}: drawn {drawn:.2f} s after navigation, {n:,} regions, {total / 1e6:.2f} MB received "
              f"(target <= 3 s, <= 5 MB)")
        print("    " + ", ".join(f"{k} {v / 1e6:.2f} MB" for k, v in sorted(kinds.items())))

    # warm the server's caches once (not measured)
    ctx, pg = context()
    pg.goto(target)
    frame_of(pg)
    ctx.close()

    ctx, pg = context()
    pg.goto(url + "/")
    pg.wait_for_selector('[data-testid="stSidebarNav"]', timeout=120000)
    pg.wait_for_timeout(1500)
    got.clear()
    nav = pg.evaluate("() => (performance.timeOrigin + performance.now()) / 1000")
    pg.goto(target)
    fr = frame_of(pg)
    summary("after navigation from Beranda (app scripts cached)", pg, fr, nav)
    ctx.close()

    got.clear()
    ctx, pg = context()
    t0 = time.time()
    pg.goto(target)
    fr = frame_of(pg)
    summary("new visitor (nothing cached)", pg, fr, t0)

    # pans and zooms: seconds until the new tiles are drawn (the page's clock); a move counts when it started
    # tiles (fetched, or built from those already fetched), not when it kept the tiles on the map
    # the moves start from the middle of the tile set's regions (the view opens beside the legend, and moves
    # from there went off the regions, where no tile is asked for)
    fr.evaluate("""() => { var g = window.sdChoropleth.grid; window.__tiles = 0;
        if (g.options.bounds) { window.map.setView(g.options.bounds.getCenter(), window.map.getZoom(), {animate: false}); }
        g.on('tileloadstart', function () { window.__tiles++; }); }""")
    pg.wait_for_timeout(500)
    steps = []
    plan = [("zoom", 1), ("pan", (250, 0)), ("pan", (0, 200)), ("zoom", 1), ("pan", (-300, 0)), ("zoom", 1),
            ("pan", (0, -250)), ("zoom", -1), ("pan", (300, 150)), ("zoom", 1), ("pan", (-200, 200)), ("zoom", 1)]
    for i in range(moves):
        kind, arg = plan[i % len(plan)]
        t = fr.evaluate("""([kind, arg]) => new Promise(function (resolve) {
            var map = window.map, g = window.sdChoropleth.grid, before = window.__tiles, t0 = performance.now();
            function check() {
                if (!g.isLoading()) { resolve([performance.now() - t0, window.__tiles - before]); }
                else { requestAnimationFrame(check); }
            }
            map.once('moveend', function () { requestAnimationFrame(check); });
            if (kind === 'zoom') { map.setZoom(map.getZoom() + arg, {animate: false}); }
            else { map.panBy(arg, {animate: false}); }
        })""", [kind, arg])
        steps.append((kind, t[0] / 1000, t[1], fr.evaluate("() => window.map.getZoom()")))
        pg.wait_for_timeout(300)
    fetched = sorted(s[1] for s in steps if s[2] > 0)
    if fetched:
        p50 = fetched[len(fetched) // 2]
        p95 = fetched[min(len(fetched) - 1, int(round(0.95 * (len(fetched) - 1))))]
        print(f"pan/zoom with new tiles: {len(fetched)} of {len(steps)} moves, p50 {p50 * 1000:.0f} ms, "
              f"p95 {p95 * 1000:.0f} ms, max {fetched[-1] * 1000:.0f} ms (target p95 <= 300 ms)")
    else:
        print(f"pan/zoom: none of {len(steps)} moves built new tiles (a move within the same tiles' zoom keeps them)")
    if steps:
        print("    " + ", ".join(f"{k}@z{z:.3g} {s * 1000:.0f} ms/{n} tiles" for k, s, n, z in steps))

    # recolour: another year for the same view (new classes)
    pg.wait_for_timeout(1000)
    got.clear()
    fr.evaluate("() => { window.__before = window.sdChoropleth.data; }")
    years = pg.get_by_role("combobox", name="Tahun")
    current = years.inner_text().strip()
    t0 = time.monotonic()
    years.click()
    pg.get_by_role("option").filter(has_not_text=current).first.click()
    while time.monotonic() - t0 < 120 and fr.evaluate("() => window.sdChoropleth.data === window.__before"):
        pg.wait_for_timeout(50)
    dt = time.monotonic() - t0
    pg.wait_for_timeout(1500)
    kinds: dict[str, int] = {}
    for u, n in got:
        kinds[_kind(u)] = kinds.get(_kind(u), 0) + n
    print(f"recolour (another year): new colours {dt:.2f} s after the click (incl. the server's rerun); fetched: "
          + ", ".join(f"{k} {v / 1e3:.1f} kB" for k, v in sorted(kinds.items())))
    ctx.close()


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "_build_child":
        _build_child(sys.argv[2])
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("--db", type=Path, required=True)
    r = sub.add_parser("real")
    r.add_argument("--real", default=str(REAL))
    s = sub.add_parser("scripts")
    s.add_argument("--db", type=Path, required=True)
    s.add_argument("--code", help="another checkout of the app to measure (before → after)")
    s.add_argument("--all", action="store_true", help="also views the code does not offer")
    w = sub.add_parser("browser")
    w.add_argument("--db", type=Path, required=True)
    w.add_argument("--moves", type=int, default=16)
    args = ap.parse_args()
    {"build": cmd_build, "real": cmd_real, "scripts": cmd_scripts, "browser": cmd_browser}[args.cmd](args)


if __name__ == "__main__":
    main()

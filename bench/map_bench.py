"""Benchmark of the map explorer: payload bytes and build/render times of the choropleth views, server
time of the Peta page (first view, a rerun after an unrelated widget, drill-down), optionally the time
until the polygons are visible in Chromium.

    .venv/bin/python bench/map_bench.py [--db FILE ...] [--browser] [--real DIR]

Without ``--db`` it measures ``data/demo.duckdb`` (built when missing) and ``data/nasional.duckdb`` when
present (build it with ``python -m sinergi build-demo --size nasional --out data/nasional.duckdb``,
about 2–3 minutes). Views, per dataset: national provinces, national kabupaten/kota, the largest
province (most villages) at kecamatan level, the largest kabupaten at village level and the largest
province at village level.

Columns: ``query`` = values + classes + ranks + geometry from DuckDB and its thinning for the view
(``explore.lighten_for_view``; caches cleared), ``build`` =
folium map object, ``render1`` / ``render2`` = what streamlit-folium does on the server for every run
that shows the map (first time / again, i.e. the cost of a rerun for an unrelated widget), ``payload``
= bytes of the map component's arguments sent to the browser (script + header + html; the GeoJSON is
most of it), ``gzip`` = the same compressed (what a compressing proxy would send).

``--real DIR`` adds payloads for real boundaries (``<repo>/../shared/data/real``, read only, never
copied): provinces and kabupaten/kota of Indonesia and the villages of Bali and DI Yogyakarta, simplified
per level by ``sinergi.geo.display_geometry`` as the importer does (``display_payload``), then thinned
for the view as the page draws them (``explore.lighten_for_view``: ``payload``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
REAL = ROOT / ".." / "shared" / "data" / "real"
logging.disable(logging.WARNING)  # Streamlit's "no runtime" warnings in bare mode

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402
import streamlit_folium  # noqa: E402

from sinergi import build, db, explore  # noqa: E402
from sinergi import data as sd  # noqa: E402

INDIKATOR, METODE = "iks", "status"


def component_args(m) -> tuple[dict, float]:
    """The arguments st_folium sends to the browser for map ``m`` and the seconds it took (server side)."""
    captured: dict = {}

    def capture(**kwargs):
        captured.update(kwargs)
        return None

    real = streamlit_folium._component_func
    streamlit_folium._component_func = capture
    try:
        t0 = time.perf_counter()
        streamlit_folium.st_folium(m, key="bench", height=600, use_container_width=True,
                                   returned_objects=["last_active_drawing"])
        return captured, time.perf_counter() - t0
    finally:
        streamlit_folium._component_func = real


def payload_bytes(args: dict) -> tuple[int, int]:
    text = json.dumps({k: args[k] for k in ("script", "header", "html")}, ensure_ascii=False).encode()
    return len(text), len(gzip.compress(text, 6))


def views(tahun: int) -> list[tuple[str, int, str]]:
    villages = sd.query("region_list", level=4, induk="")
    prov = villages["kode"].str[:2].value_counts()
    kab = villages["kode"].str[:5].value_counts()
    p, k = prov.index[0], kab.index[0]
    return [
        ("provinsi nasional", 1, ""),
        ("kabupaten/kota nasional", 2, ""),
        (f"kecamatan prov {p} (terbesar)", 3, p),
        (f"desa kab {k} ({kab.iloc[0]} desa, terbesar)", 4, k),
        (f"desa prov {p} ({prov.iloc[0]} desa, terbesar)", 4, p),
    ]


def bench_views(tahun: int) -> list[dict]:
    rows = []
    for label, level, induk in views(tahun):
        st.cache_data.clear()  # query results; the open connection (cache_resource) is kept
        explore._view_geometry.clear()
        t0 = time.perf_counter()
        view = explore.choropleth_view(INDIKATOR, tahun, level, induk, METODE)
        t1 = time.perf_counter()
        m, _ = explore.build_map(INDIKATOR, tahun, level, induk, METODE, height=600)
        t2 = time.perf_counter() - t1
        # build_map queries again (cached now); its build time is what remains
        args, r1 = component_args(m)
        _, r2 = component_args(m)
        raw, gz = payload_bytes(args)
        rows.append({"view": label, "regions": len(view.table), "query_s": t1 - t0, "build_s": t2,
                     "render1_s": r1, "render2_s": r2, "payload_MB": raw / 1e6, "gzip_MB": gz / 1e6})
    return rows


def bench_page(tahun: int) -> list[dict]:
    """Server time of the Peta page through AppTest (the whole app script, as a browser session runs it)."""
    from streamlit.testing.v1 import AppTest

    kab = views(tahun)[3][2]
    prov = kab.split(".")[0]
    out = []

    def timed(label: str, fn) -> None:
        t0 = time.perf_counter()
        at = fn()
        dt = time.perf_counter() - t0
        assert not at.exception, [e.message for e in at.exception]
        out.append({"step": label, "server_s": dt})

    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params.update({"tingkat": "2", "wilayah": prov, "pilih": kab})
    at.run()
    at.switch_page("pages/peta.py")
    timed(f"first view: kabupaten of prov {prov}, {kab} selected", at.run)
    timed("rerun, unrelated widget (search box)", lambda: at.text_input(key="peta_q").input("zz").run())
    timed(f"drill into {kab} (its kecamatan)", lambda: at.button(key="peta_drill").click().run())
    timed(f"switch level: villages of {kab}", lambda: at.selectbox(key="peta_tingkat").set_value(4).run())
    timed("rerun, unrelated widget (search box)", lambda: at.text_input(key="peta_q").input("zzz").run())
    timed("national kabupaten/kota (breadcrumb to Indonesia, level 2)",
          lambda: (at.button(key="peta_up_id").click().run(), at.selectbox(key="peta_tingkat").set_value(2).run())[1])
    return out


def bench_browser(db_file: Path) -> list[dict]:
    """Seconds from navigation start until the national kabupaten map's polygons are drawn in Chromium."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, LOCAL_HOSTS, _free_port

    data = Path(tempfile.mkdtemp(prefix="sd-bench-web-"))
    (data / "demo.duckdb").symlink_to(db_file.resolve())
    port = _free_port()
    env = dict(os.environ, SINERGI_DATA_DIR=str(data))
    log = open(data / "server.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "sinergi.serve", "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    out = []
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("streamlit did not start")
                time.sleep(0.2)
        urllib.request.urlopen(url + "/", timeout=5)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])

            def local_only_context():
                c = browser.new_context(viewport={"width": 1400, "height": 1000})
                c.route("**/*", lambda r: r.continue_() if (r.request.url.split("/")[2].split(":")[0] in LOCAL_HOSTS)
                        else r.abort())
                return c

            ctx = local_only_context()
            page = ctx.new_page()
            target = url + "/peta?ind=iks&tahun={}&tingkat=2".format(sd.years()[-1])
            for label in ("server warm-up (first session, caches empty)", "new visitor (cold browser cache)",
                          "same visitor again (browser cache)"):
                if label.startswith("new"):
                    page.close()
                    ctx.close()
                    ctx = local_only_context()
                    page = ctx.new_page()
                t0 = time.monotonic()
                page.goto(target)
                shell = None
                n, drawn_at = 0, None
                # polled every 100 ms, but the times are read on the page's own clock (polling faster
                # took CPU from the page it measures: ~0.5 s later maps at 20 ms)
                while time.monotonic() - t0 < 120 and not (n and drawn_at):
                    if shell is None:
                        shell = page.evaluate("() => { const h = document.querySelector('h1');"
                                              " return h ? performance.now() / 1000 : null; }")
                    for fr in page.frames:
                        if "st_folium" in fr.url:
                            try:
                                n, drawn_at = fr.evaluate("() => [window.sdLayer ? window.sdLayer.getLayers().length"
                                                          " : 0, window.sdDrawnAt || null]")
                            except Exception:
                                n, drawn_at = 0, None
                            if n and drawn_at:
                                break
                    page.wait_for_timeout(100)
                origin = page.evaluate("() => performance.timeOrigin")
                drawn = (drawn_at - origin) / 1000 if drawn_at else time.monotonic() - t0
                # the page's own load event (navigation start → loadEventEnd), for "within 2 s of page load"
                loaded = page.evaluate("() => performance.getEntriesByType('navigation')[0].loadEventEnd") / 1000
                out.append({"load": label, "features": n, "page_load_s": round(loaded, 3), "title_s": shell,
                            "map_drawn_s": drawn, "map_after_load_s": drawn - loaded})
            browser.close()
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()
        shutil.rmtree(data, ignore_errors=True)
    return out


def bench_real(real: Path) -> list[dict]:
    """Payload of real boundaries after per-level display simplification (synthetic values)."""
    import geopandas as gpd
    import numpy as np
    import shapely

    from sinergi import classify, geo, maps

    files = [("provinsi (38, nyata)", 1, "cahyadsn_wilayah_boundaries/adm1_provinsi.geojson"),
             ("kabupaten/kota (514, nyata)", 2, "cahyadsn_wilayah_boundaries/adm2_kabupaten_kota.geojson"),
             ("desa Bali (716, nyata)", 4, "cahyadsn_wilayah_boundaries/adm4_desa_kelurahan_51_bali.geojson"),
             ("desa DI Yogyakarta (438, nyata)", 4,
              "cahyadsn_wilayah_boundaries/adm4_desa_kelurahan_34_di_yogyakarta.geojson")]
    rows = []
    for label, level, rel in files:
        f = real / rel
        if not f.exists():
            continue
        g = gpd.read_file(f)
        t0 = time.perf_counter()
        disp = geo.display_geometry(g.geometry.values, level)
        t_simpl = time.perf_counter() - t0
        b = shapely.bounds(disp)
        frame = pd.DataFrame({"kode": g["kode"], "geojson": shapely.to_geojson(disp), "minx": b[:, 0], "miny": b[:, 1],
                              "maxx": b[:, 2], "maxy": b[:, 3]})
        vals = np.random.default_rng(1).uniform(0.4, 0.9, len(g))
        cls, legend = classify.classify(vals, "iks", "status")
        props = pd.DataFrame({"kode": g["kode"], "nama": g["nama"], "c": cls, "v": ["0,6543"] * len(g),
                              "r": ["12 / 345"] * len(g)})
        row = {"view": label, "regions": len(g), "source_MB": f.stat().st_size / 1e6, "display_s": t_simpl}
        m = maps.choropleth(frame, props, legend, explore.tooltip_labels("id", level))
        row["display_payload_MB"] = payload_bytes(component_args(m)[0])[0] / 1e6
        t0 = time.perf_counter()
        light = explore.lighten_for_view(frame, level)
        row["view_thin_s"] = time.perf_counter() - t0
        m = maps.choropleth(light, props, legend, explore.tooltip_labels("id", level))
        args, row["render1_s"] = component_args(m)
        raw, gz = payload_bytes(args)
        rows.append({**row, "payload_MB": raw / 1e6, "gzip_MB": gz / 1e6})
    return rows


def show(title: str, rows: list[dict]) -> None:
    print(f"\n== {title}")
    if rows:
        print(pd.DataFrame(rows).to_string(index=False, float_format=lambda x: f"{x:.3f}"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, action="append", help="database file(s) to measure")
    ap.add_argument("--browser", action="store_true", help="also time the map in Chromium (/usr/bin/chromium)")
    ap.add_argument("--no-page", action="store_true", help="skip the AppTest page timings")
    ap.add_argument("--real", type=Path, default=REAL, help="folder of the real public data (read only)")
    args = ap.parse_args()

    dbs = args.db
    if not dbs:
        demo = db.data_dir() / "demo.duckdb"
        if not demo.exists():
            print("Membangun data/demo.duckdb …", file=sys.stderr)
            build.build_demo(demo)
        dbs = [demo]
        nas = db.data_dir() / "nasional.duckdb"
        if nas.exists():
            dbs.append(nas)
        else:
            print(f"({nas} belum ada: python -m sinergi build-demo --size nasional --out {nas})")

    for f in dbs:
        work = Path(tempfile.mkdtemp(prefix="sd-bench-"))
        (work / "demo.duckdb").symlink_to(Path(f).resolve())
        os.environ["SINERGI_DATA_DIR"] = str(work)
        try:
            info = sd.dataset_info()
            tahun = sd.years()[-1]
            counts = sd.query("region_counts").set_index("level")["n"].to_dict()
            print(f"\n##### {f} — {info.get('nama')} — {counts} regions per level, {INDIKATOR} {tahun}, {METODE}")
            show("map views", bench_views(tahun))
            if not args.no_page:
                show("Peta page, server time (AppTest)", bench_page(tahun))
            if args.browser:
                show("browser: national kabupaten/kota map (Chromium, local server)", bench_browser(Path(f)))
        finally:
            shutil.rmtree(work, ignore_errors=True)
    if args.real.exists():
        show("real boundaries (display-simplified per level)", bench_real(args.real))
    else:
        print(f"\n(no real data at {args.real.resolve()}: real-boundary payloads skipped)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark: boundaries whose neighbours do not share edges, imported before and after gap closing.

    .venv/bin/python bench/geom_bench.py [--db NATIONAL.duckdb] [--real DIR] [--browser] [--only nasional|nyata]
                                         [--sumber DIR] [--keep]

Most real village files are simplified or quantised polygon by polygon, so neighbours leave gaps and
overlaps between them. This script imports such files through the importer (``plan.siapkan_batas`` and
``apply.terapkan``, what ``python -m sinergi import boundaries`` runs) twice, each in its own process:

- ``sebelum`` (before): the previous behaviour, emulated: parents are plain unions of their children
  (``coverage.union_closing_gaps`` with tolerance 0), display geometry always simplified as one coverage,
  and map views that do not fill holes (``coverage.remove_holes`` skipped in ``lighten_for_view``);
- ``sesudah`` (after): the current code (gaps narrower than ``coverage.TOLERANSI_CELAH_M`` closed).

Sources:

- ``nasional``: the villages of a national-scale demo database (``--db``, read only; build one with
  ``python -m sinergi build-demo --size nasional --out FILE``), each perturbed on its own
  (``tests/perturb.py``: vertices jittered ±15 m, simplified with 5–15 m, quantised to 1e-4°) and written
  as a GeoPackage, then their IKS values as a CSV (imported after the boundaries, as an official would);
- ``nyata``: the real files in ``<repo>/../shared/data/real/cahyadsn_wilayah_boundaries`` (never copied):
  the villages of DI Yogyakarta and of Bali, and the national kecamatan file (simplified to ~1.6 km).

Printed per source and mode: import time and peak memory (the process's maximum resident set size),
holes and vertices of the parents' geometry (``geom``) and map geometry (``geom_display``) per level,
what the import closed, and per map view the server time to build it and its map data: the GeoJSON
after the view's thinning (``geojson_MB``) and, with values, the whole map component's payload
(``payload_MB``, see ``bench/map_bench.py``). ``--browser`` also times the national kabupaten/kota map
in Chromium (``map_bench.bench_browser``) on each national database. One national import at a time
(several GiB); the machine's load changes the times, not the bytes.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))
REAL = ROOT / ".." / "shared" / "data" / "real"
NYATA = [("desa DI Yogyakarta", "cahyadsn_wilayah_boundaries/adm4_desa_kelurahan_34_di_yogyakarta.geojson"),
         ("desa Bali", "cahyadsn_wilayah_boundaries/adm4_desa_kelurahan_51_bali.geojson"),
         ("kecamatan nasional", "cahyadsn_wilayah_boundaries/adm3_kecamatan.geojson")]
MODES = ("sebelum", "sesudah")


def rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # Linux: KiB


# --- the source files ------------------------------------------------------------------------------------


def siapkan_nasional(db_file: Path, work: Path) -> tuple[Path, Path, dict]:
    """Perturbed villages of ``db_file`` as a GeoPackage and their latest IKS values as a CSV (kept from an
    earlier run when ``work`` has them: ``--sumber``)."""
    gpkg, csv = work / "desa_kacau.gpkg", work / "iks.csv"
    if gpkg.exists() and csv.exists():
        return gpkg, csv, {"sumber": str(work), "gpkg_MB": gpkg.stat().st_size / 1e6}
    import geopandas as gpd
    import numpy as np
    import shapely
    from perturb import perturb

    from sinergi import db

    con = db.connect(db_file, read_only=True)
    try:
        desa = con.execute("select kode, nama, ST_AsWKB(geom) as wkb from regions where level = 4 order by kode").df()
        tahun = con.execute("select max(tahun) from nilai where indikator = 'iks'").fetchone()[0]
        nilai = con.execute("select n.kode, n.nilai from nilai n join regions r on r.kode = n.kode "
                            "where r.level = 4 and n.indikator = 'iks' and n.tahun = ?", [tahun]).df()
    finally:
        con.close()
    geoms = shapely.from_wkb([bytes(b) for b in desa["wkb"]])
    t0 = time.perf_counter()
    kacau = perturb(geoms, seed=2024, step_m=0)
    info = {"desa": len(desa), "perturb_s": time.perf_counter() - t0,
            "vertices_asli": int(shapely.get_num_coordinates(geoms).sum()),
            "vertices_kacau": int(shapely.get_num_coordinates(kacau).sum()),
            "coverage_valid_kacau": bool(shapely.coverage_is_valid(kacau[np.char.startswith(
                desa["kode"].to_numpy().astype(str), desa["kode"].iloc[0][:5])]))}
    gpd.GeoDataFrame({"kode": desa["kode"], "nama": desa["nama"]}, geometry=kacau, crs="EPSG:4326").to_file(gpkg)
    nilai.rename(columns={"nilai": f"iks_{tahun}"}).to_csv(csv, index=False)
    info["gpkg_MB"] = gpkg.stat().st_size / 1e6
    return gpkg, csv, info


# --- one import and its measurements (in its own process) -----------------------------------------------


def _sebelum() -> None:
    """Emulate the previous behaviour (see the module docstring)."""
    import numpy as np

    from sinergi import coverage, geo

    coverage.union_closing_gaps = functools.partial(coverage.union_closing_gaps, tolerance_m=0)
    geo._tepi_bersama = lambda geoms: True  # always one coverage_simplify, without the check
    coverage.remove_holes = lambda geoms, buang: (np.asarray(geoms, dtype=object), np.empty(0, dtype=object))


def _geometri(path: Path) -> list[dict]:
    """Holes and vertices of ``geom`` and ``geom_display`` per level."""
    import shapely

    from sinergi import db

    con = db.connect(path, read_only=True)
    try:
        df = con.execute("select level, ST_AsWKB(geom) as g, ST_AsWKB(geom_display) as d from regions "
                         "where geom is not null order by level").df()
    finally:
        con.close()
    rows = []
    for level, part in df.groupby("level"):
        row = {"level": int(level), "regions": len(part)}
        for col, name in (("g", "geom"), ("d", "display")):
            g = shapely.from_wkb([bytes(b) for b in part[col]])
            row[f"{name}_holes"] = int(shapely.get_num_interior_rings(shapely.get_parts(g)).sum())
            row[f"{name}_vertices"] = int(shapely.get_num_coordinates(g).sum())
        rows.append(row)
    return rows


def _peta() -> list[dict]:
    """National province and kabupaten/kota maps (and for the largest province, its kecamatan and villages):
    server seconds (wall and CPU: the CPU time of a busy machine's run is the comparable one) to query and thin
    the geometry, and its GeoJSON bytes (caches cleared)."""
    import streamlit as st

    from sinergi import data as sd
    from sinergi import explore

    desa = sd.query("region_list", level=4, induk="")
    views = [("provinsi nasional", 1, ""), ("kabupaten/kota nasional", 2, "")]
    if len(desa):
        prov = desa["kode"].str[:2].value_counts()
        views += [(f"kecamatan prov {prov.index[0]}", 3, prov.index[0]),
                  (f"desa prov {prov.index[0]} ({prov.iloc[0]} desa, terbesar)", 4, prov.index[0])]
    rows = []
    for label, level, induk in views:
        st.cache_data.clear()
        explore._view_geometry.clear()
        t0, c0 = time.perf_counter(), time.process_time()
        light = explore.view_geometry(level, induk)
        dt, dc = time.perf_counter() - t0, time.process_time() - c0
        rows.append({"view": label, "regions": len(light), "server_s": dt, "server_cpu_s": dc,
                     "geojson_MB": float(light["geojson"].fillna("").str.len().sum()) / 1e6})
    return rows


def impor(mode: str, work: Path, batas: Path, nilai: Path | None) -> dict:
    """Import ``batas`` (then ``nilai``) into a fresh data folder ``work/mode`` and measure it."""
    data = work / mode
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    os.environ["SINERGI_DATA_DIR"] = str(data)
    if mode == "sebelum":
        _sebelum()
    from sinergi import datasets
    from sinergi.importers import apply, plan

    out: dict = {"mode": mode}
    t0 = time.perf_counter()
    r = plan.siapkan_batas(batas, "kacau", batas_mb=4000)
    assert r.boleh_diterapkan, r.laporan.teks()
    t1, c1 = time.perf_counter(), time.process_time()
    path = apply.terapkan(r, aktifkan=True)
    t2 = time.perf_counter()
    out["impor"] = {"periksa_s": t1 - t0, "terapkan_s": t2 - t1, "terapkan_cpu_s": time.process_time() - c1,
                    "rss_GB": rss_gb()}
    out["celah"] = r.laporan.pesan_celah()
    if nilai is not None:
        ri = plan.siapkan_indikator(nilai, "kacau", batas_mb=4000)
        assert ri.boleh_diterapkan, ri.laporan.teks()
        apply.terapkan(ri)
        out["impor"]["nilai_s"] = time.perf_counter() - t2
        out["impor"]["rss_GB"] = rss_gb()
    out["geometri"] = _geometri(path)
    datasets.gunakan("kacau")
    out["peta"] = _peta()
    if nilai is not None:
        import map_bench

        from sinergi import data as sd

        out["komponen"] = map_bench.bench_views(sd.years()[-1])
    out["db"] = str(path)
    return out


def _jalankan(mode: str, work: Path, batas: Path, nilai: Path | None) -> dict:
    """:func:`impor` in a child process (its own peak memory, and the emulation stays there)."""
    cmd = [sys.executable, __file__, "--_impor", mode, str(work), str(batas)] + ([str(nilai)] if nilai else [])
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode:
        raise RuntimeError(f"{mode}: {res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


# --- printing ---------------------------------------------------------------------------------------------


def _tabel(title: str, rows: list[dict]) -> None:
    import pandas as pd

    print(f"\n== {title}")
    if rows:
        print(pd.DataFrame(rows).to_string(index=False, float_format=lambda x: f"{x:.3f}"))


def tampilkan(label: str, hasil: dict[str, dict], browser: dict[str, list] | None = None) -> None:
    print(f"\n##### {label}")
    _tabel("impor (detik, GB puncak)", [{"mode": m, **h["impor"]} for m, h in hasil.items()])
    for m, h in hasil.items():
        if h.get("celah"):
            print(f"[{m}] {h['celah']}")
    _tabel("geometri per tingkat", [{"mode": m, **row} for m, h in hasil.items() for row in h["geometri"]])
    _tabel("peta: geometri tampilan (server, GeoJSON setelah penipisan)",
           [{"mode": m, **row} for m, h in hasil.items() for row in h["peta"]])
    if all("komponen" in h for h in hasil.values()):
        _tabel("peta: komponen utuh (bench/map_bench.py)",
               [{"mode": m, **row} for m, h in hasil.items() for row in h["komponen"]])
    for m, rows in (browser or {}).items():
        _tabel(f"browser [{m}]: peta kabupaten/kota nasional (Chromium)", rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, help="national-scale demo database to take the villages from (read only)")
    ap.add_argument("--real", type=Path, default=REAL, help="folder of the real public data (read only)")
    ap.add_argument("--browser", action="store_true", help="time the national kabupaten map in Chromium")
    ap.add_argument("--only", choices=["nasional", "nyata"])
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (databases)")
    ap.add_argument("--sumber", type=Path, help="folder for the perturbed national files (made once, then reused)")
    ap.add_argument("--_impor", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args._impor:
        mode, work, batas, *nilai = args._impor
        print(json.dumps(impor(mode, Path(work), Path(batas), Path(nilai[0]) if nilai else None)))
        return 0

    work = Path(tempfile.mkdtemp(prefix="sd-geom-bench-"))
    try:
        if args.only != "nyata":
            if not args.db or not args.db.exists():
                print("(tanpa --db: sumber nasional dilewati; bangun dengan python -m sinergi build-demo "
                      "--size nasional --out FILE)")
            else:
                if args.sumber:
                    args.sumber.mkdir(parents=True, exist_ok=True)
                gpkg, csv, info = siapkan_nasional(args.db, args.sumber or work)
                print(f"\n{args.db.name}: {info}")
                hasil = {m: _jalankan(m, work, gpkg, csv) for m in MODES}
                browser = None
                if args.browser:
                    import map_bench

                    browser = {m: map_bench.bench_browser(Path(hasil[m]["db"])) for m in MODES}
                tampilkan("desa nasional demo, diacak per desa", hasil, browser)
        if args.only != "nasional":
            for label, rel in NYATA:
                f = args.real / rel
                if not f.exists():
                    print(f"\n(tidak ada {f}: dilewati)")
                    continue
                tampilkan(f"{label} (nyata, {f.name})", {m: _jalankan(m, work, f, None) for m in MODES})
    finally:
        if args.keep:
            print(f"\n(disimpan: {work})")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

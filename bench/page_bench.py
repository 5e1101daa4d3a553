"""Server time of every page's run: the first view, then the rerun after each typical widget change.

    .venv/bin/python bench/page_bench.py [--db FILE ...] [--reps 5] [--only peta ...] [--markdown]
                                         [--extra-indicators 37]

Without ``--db`` it measures ``data/demo.duckdb`` (built when missing) and ``data/nasional.duckdb`` when
present, each through a temporary ``SINERGI_DATA_DIR`` holding a symlink and an ``active`` file (the
database is never written). Every page registered in ``app.py`` runs in ``streamlit.testing.v1.AppTest``:
the whole app script (sidebar, dataset banner, page) in this process, so the time is the server's — the
map's HTML is built inside it by streamlit-folium; the browser's drawing is not included
(``bench/map_bench.py --browser``).

What counts, per scenario (a page in a starting view, a fresh session each):

- ``first view``: every Streamlit cache cleared (the database connection reopened before timing): what
  the first visitor after a start, or after the hour the caches keep results, waits for;
- ``rerun, no change``: the same view again (a widget that changes nothing the page computes);
- each change, e.g. ``year 2024→2023``: the widget is set to the new value and back, ``--reps`` times.
  ``new`` is the first rerun with the new value (its results not cached yet: what the user who first
  asks for that view waits for); ``p50``/``p95``/``max`` are over the other reruns, all with cached
  results (going back and forth, or a second user asking the same); ``cpu p50`` is their median process
  CPU time (steadier than wall time on a busy machine). Reruns over 300 ms are flagged (issue 8's target
  for a filter change), the uncached ``new`` one and the cached p95 separately.

Arguments come from the dataset (``bench/sample.py``): the previous year, the province and kabupaten
with the most villages, a desa of the largest kecamatan.

``--extra-indicators N`` (issue 14: a catalog of 60 indicators where the built-ins are 23) measures each
database twice: as it is, then a temporary copy with N indicators described by the dataset's owner added
to its catalog (spread over the four themes and a new one, each with every value of ``iks``), and prints
the two side by side: the cached rerun p50 and its CPU time, before → after.
"""

from __future__ import annotations

import argparse
import logging
import re
import resource
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
logging.disable(logging.WARNING)  # Streamlit's "no runtime" warnings outside a server

import streamlit as st  # noqa: E402
from sample import Sample, data_dir_for, default_databases, draw, machine, percentiles, print_table  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from sinergi import catalog, db  # noqa: E402
from sinergi import data as sd  # noqa: E402

TARGET_MS = 300.0
APP = ROOT / "app.py"
REGISTERED = re.findall(r'st\.Page\(\s*"(pages/[a-z_]+\.py)"', APP.read_text(encoding="utf-8"))

# Values that depend on the dataset, resolved by value_of().
PREV, PROV, KAB, DESA = "<previous year>", "<largest province>", "<largest kabupaten>", "<a desa>"


@dataclass
class Change:
    label: str
    kind: str  # AppTest element kind: selectbox, radio, number_input, checkbox, select_slider, text_input
    key: str
    value: object


@dataclass
class Scenario:
    page: str
    view: str
    params: dict[str, str] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)


def _second(tema: str) -> str:
    return [i.id for i in catalog.by_tema(tema)][1]


def scenarios() -> list[Scenario]:
    """The views and widget changes measured, at least one per registered page."""
    out = [
        Scenario("pages/beranda.py", "provinces", {}, [
            Change("indicator iks → idm", "selectbox", "beranda_ind", "idm"),
            Change("year → previous", "selectbox", "beranda_tahun", PREV)]),
        Scenario("pages/peta.py", "kabupaten/kota, Indonesia", {"tingkat": "2"}, [
            Change("year → previous", "selectbox", "peta_tahun", PREV),
            Change("indicator iks → iks_kesehatan", "selectbox", "peta_ind", "iks_kesehatan"),
            Change("level kabupaten → provinsi", "selectbox", "peta_tingkat", 1),
            Change("classes → Fisher-Jenks", "selectbox", "peta_kelas", "jenks"),
            Change("search box (map unchanged)", "text_input", "peta_q", "Kota")]),
        Scenario("pages/peta.py", "villages, Indonesia (vector tiles)", {"tingkat": "4"}, [
            Change("year → previous", "selectbox", "peta_tahun", PREV),
            Change("indicator iks → iks_kesehatan", "selectbox", "peta_ind", "iks_kesehatan"),
            Change("classes → quantiles", "selectbox", "peta_kelas", "kuantil"),
            Change("search box (map unchanged)", "text_input", "peta_q", "Kota")]),
        Scenario("pages/peta.py", "kecamatan, Indonesia (vector tiles)", {"tingkat": "3"}, [
            Change("year → previous", "selectbox", "peta_tahun", PREV)]),
        Scenario("pages/peta.py", "villages of the largest kabupaten", {"wilayah": KAB, "tingkat": "4"}, [
            Change("year → previous", "selectbox", "peta_tahun", PREV),
            Change("indicator iks → iks_kesehatan", "selectbox", "peta_ind", "iks_kesehatan"),
            Change("scope national → within", "radio", "peta_cakupan", "induk")]),
        Scenario("pages/ketahanan_sosial.py", "Indonesia", {}, [
            Change("year → previous", "selectbox", "ks_tahun", PREV),
            Change("indicator iks → iks_kesehatan", "selectbox", "ks_ind", "iks_kesehatan"),
            Change("level kabupaten → kecamatan", "selectbox", "ks_tingkat", 3),
            Change("region → largest province", "selectbox", "ks_wil_l1_root", PROV),
            Change("transitions from-year → previous", "selectbox", "ks_dari", PREV),
            Change("top/bottom N 10 → 20 (ranking only)", "number_input", "ks_n", 20)]),
        Scenario("pages/kapasitas_sdm.py", "Indonesia", {}, [
            Change("year → previous", "selectbox", "sdm_tahun", PREV),
            Change("capacity indicator → second", "selectbox", "sdm_ind", _second("kapasitas_sdm")),
            Change("level kabupaten → kecamatan", "selectbox", "sdm_tingkat", 3),
            Change("map quadrants → indicator", "radio", "sdm_peta", "indikator")]),
        Scenario("pages/jaringan_sosial.py", "Indonesia", {}, [
            Change("year → previous", "selectbox", "jr_tahun", PREV),
            Change("indicator → second", "selectbox", "jr_ind", _second("jaringan_sosial")),
            Change("level kabupaten → kecamatan", "selectbox", "jr_tingkat", 3),
            Change("region → largest province", "selectbox", "jr_wil_l1_root", PROV)]),
        Scenario("pages/sinergi_program.py", "Indonesia", {}, [
            Change("year → previous", "selectbox", "sp_tahun", PREV),
            Change("indicator → second", "selectbox", "sp_ind", _second("sinergi_program")),
            Change("level kabupaten → kecamatan", "selectbox", "sp_tingkat", 3),
            Change("max programmes 1 → 2 (list only)", "number_input", "sp_maks", 2)]),
        Scenario("pages/profil_desa.py", "a desa", {"kode": DESA}, [
            Change("year → previous", "selectbox", "pf_tahun", PREV)]),
        Scenario("pages/bandingkan.py", "kabupaten/kota", {}, [
            Change("year → previous", "selectbox", "bd_tahun", PREV),
            Change("theme → kapasitas_sdm", "selectbox", "bd_tema", "kapasitas_sdm"),
            Change("chart bars → radar", "radio", "bd_grafik", "radar"),
            Change("level kabupaten → kecamatan", "selectbox", "bd_tingkat", 3)]),
        Scenario("pages/hotspot.py", "kecamatan, Indonesia", {}, [
            Change("alpha 0.05 → 0.01", "selectbox", "hs_alpha", 0.01),
            Change("method LISA → Gi*", "selectbox", "hs_metode", "gi"),
            Change("FDR on", "checkbox", "hs_fdr", True),
            Change("year → previous", "selectbox", "hs_tahun", PREV)]),
        Scenario("pages/indeks_kustom.py", "kecamatan, Indonesia", {}, [
            Change("year → previous", "selectbox", "ci_tahun", PREV),
            Change("normalisation min-max → percentile", "selectbox", "ci_norm", "persentil"),
            Change("classes 5 → 4", "selectbox", "ci_k", 4),
            Change("level kecamatan → kabupaten", "selectbox", "ci_tingkat", 2)]),
        Scenario("pages/perubahan.py", "kabupaten/kota, Indonesia", {}, [
            Change("to-year → previous", "selectbox", "ch_ke", PREV),
            Change("year slider → previous (layer only)", "select_slider", "ch_tahun", PREV),
            Change("indicator iks → idm", "selectbox", "ch_ind", "idm"),
            Change("level kabupaten → kecamatan", "selectbox", "ch_tingkat", 3)]),
        Scenario("pages/kesenjangan.py", "Indonesia", {}, [
            Change("year → previous", "selectbox", "gp_tahun", PREV),
            Change("threshold 0.02 → 0.05", "selectbox", "gp_dekat", 0.05),
            Change("group by kabupaten → kecamatan", "selectbox", "gp_per", "kec")]),
        Scenario("pages/agenda.py", "empty agenda", {}, [
            Change("agenda name (text)", "text_input", "ag_name", "Rapat koordinasi")]),
        Scenario("pages/kelola_data.py", "without the admin password", {}, []),
    ]
    missing = set(REGISTERED) - {s.page for s in out}
    if missing:  # a page added to app.py without a scenario still gets its first view and a rerun
        out += [Scenario(p, "default view") for p in sorted(missing)]
    return out


def value_of(v: object, s: Sample) -> object:
    return {PREV: s.years[-2] if len(s.years) > 1 else s.latest, PROV: s.prov, KAB: s.kab, DESA: s.desa}.get(v, v) \
        if isinstance(v, str) else v


def set_widget(at: AppTest, kind: str, key: str, value: object) -> None:
    w = getattr(at, kind)(key=key)
    if kind == "text_input":
        w.input(value)
    elif kind == "checkbox":
        w.check() if value else w.uncheck()
    else:
        w.set_value(value)


def widget_value(at: AppTest, kind: str, key: str) -> object:
    return getattr(at, kind)(key=key).value


def clear_caches() -> None:
    """Every Streamlit cache emptied; the connection reopened so it is not part of the first view."""
    st.cache_data.clear()
    st.cache_resource.clear()
    sd.database()


CPU: list[float] = []  # process CPU seconds of every timed run, in order (see bench_scenario)


def timed_run(at: AppTest) -> tuple[float, str]:
    """(wall seconds, first line of each exception shown); the run's process CPU time goes to ``CPU``."""
    c0, t0 = time.process_time(), time.perf_counter()
    at.run()
    dt = time.perf_counter() - t0
    CPU.append(time.process_time() - c0)
    err = "; ".join(e.message.splitlines()[0][:80] for e in at.exception)
    return dt, err


def bench_scenario(sc: Scenario, s: Sample, reps: int) -> list[list[object]]:
    """Rows: [page, view, step, new ms, p50, p95, max, cpu p50, runs, flag]."""
    page = sc.page.removeprefix("pages/").removesuffix(".py")
    rows: list[list[object]] = []

    def row(step: str, new: float | None, times: list[float], err: str = "") -> None:
        p50, p95, mx = percentiles(times) if times else (None, None, None)  # ms
        cpu = percentiles(CPU[-len(times):])[0] if times else None  # the cached reruns' CPU
        CPU.clear()
        new = None if new is None else new * 1000
        flags = []
        if err:
            flags.append(f"ERROR {err}")
        if step != "first view" and new is not None and new > TARGET_MS:
            flags.append("new > 300")
        if step != "first view" and p95 is not None and p95 > TARGET_MS:
            flags.append("p95 > 300")
        rows.append([page, sc.view, step, "" if new is None else new, "" if p50 is None else p50,
                     "" if p95 is None else p95, "" if mx is None else mx, "" if cpu is None else cpu,
                     len(times) + (new is not None), ", ".join(flags)])
        print("  " + " | ".join(f"{c:,.0f}" if isinstance(c, float) else str(c) for c in rows[-1]),
              file=sys.stderr, flush=True)  # progress; the table follows at the end

    clear_caches()
    at = AppTest.from_file(str(APP), default_timeout=900)
    at.query_params.update({k: str(value_of(v, s)) for k, v in sc.params.items()})
    at.switch_page(sc.page)
    first, err = timed_run(at)
    row("first view", first, [], err)
    if err:
        return rows
    same = [timed_run(at)[0] for _ in range(max(reps, 2))]
    row("rerun, no change", None, same)
    for ch in sc.changes:
        new_value = value_of(ch.value, s)
        try:
            old_value = widget_value(at, ch.kind, ch.key)
        except KeyError:
            rows.append([page, sc.view, ch.label, "", "", "", "", "", 0, "n/a: widget not on the page"])
            continue
        if old_value == new_value:
            rows.append([page, sc.view, ch.label, "", "", "", "", "", 0, f"n/a: already {new_value!r}"])
            continue
        new, warm, errors = None, [], []
        for i in range(reps):
            for value in (new_value, old_value):
                set_widget(at, ch.kind, ch.key, value)
                dt, err = timed_run(at)
                if err:
                    errors.append(err)
                if i == 0 and value is new_value:
                    new = dt
                else:
                    warm.append(dt)
        row(ch.label, new, warm, errors[0] if errors else "")
    return rows


EXTRA_THEMES = ("ketahanan_sosial", "kapasitas_sdm", "jaringan_sosial", "sinergi_program", "tambahan")


def with_extra_indicators(path: Path, n: int, folder: Path) -> Path:
    """A copy of ``path`` in ``folder`` with ``n`` more indicators in its catalog (``impor``), each with the
    values (and percentiles) of ``iks`` at every level; ``path`` itself is never written."""
    import shutil

    dst = folder / f"{path.stem}_plus{n}.duckdb"
    shutil.copy(path, dst)
    con = db.connect(dst, read_only=False)
    try:
        for col, typ in db.ADDED_COLUMNS["indicators"]:  # a file built before issue 14
            con.execute(f"alter table indicators add column if not exists {col} {typ}")
        for i in range(1, n + 1):
            iid, tema = f"tambahan_{i:02d}", EXTRA_THEMES[i % len(EXTRA_THEMES)]
            con.execute(
                "insert into indicators by name select $id as id, $nama as nama_id, $nama as nama_en, $tema as tema, "
                "'skor' as satuan, 1 as arah, 0.0 as min_valid, 1.0 as max_valid, 'wmean_pop' as agregasi, "
                "'bench' as sumber, '' as deskripsi_id, '' as deskripsi_en, true as impor, 100 + $i as urut, "
                "'Indikator tambahan' as tema_nama_id, 'Extra indicators' as tema_nama_en",
                {"id": iid, "nama": f"Indikator tambahan {i}", "tema": tema, "i": i})
            con.execute("insert into nilai select kode, tahun, $id, nilai, flag, pct_nasional, pct_provinsi, "
                        "pct_kabupaten from nilai where indikator = 'iks'", {"id": iid})
        for name, (_source, select, order) in db.DERIVED_TABLES.items():  # rebuilt as sinergi.build does
            if name != "nama_lipat":
                con.execute(f"delete from {name}")
                con.execute(f"insert into {name} {select} order by {order}")
        con.execute("checkpoint")
        count = con.execute("select count(*) from indicators").fetchone()[0]
    finally:
        con.close()
    print(f"{dst.name}: {count} indicators in the catalog ({n} added)", flush=True)
    return dst


def measure(path: Path, todo: list[Scenario], reps: int, markdown: bool) -> list[list[object]]:
    """Every scenario of ``todo`` on the database ``path``; prints and returns the table's rows."""
    database = db.Database(path)
    try:
        s = draw(database.con)
    finally:
        database.close()
    with data_dir_for(path):
        # imports and Streamlit's first-run set-up, outside the measurements
        warm = AppTest.from_file(str(APP), default_timeout=900)
        warm.switch_page("pages/agenda.py")
        warm.run()
        print(f"\n### {path.name}: previous year {value_of(PREV, s)}, province {s.prov}, kabupaten {s.kab}, "
              f"desa {s.desa}\n", flush=True)
        rows = []
        for sc in todo:
            rows += bench_scenario(sc, s, reps)
        print_table(["page", "view", "step", "new ms", "p50 ms", "p95 ms", "max ms", "cpu p50 ms", "runs", "flag"],
                    rows, markdown)
        flagged = [f"{r[0]}: {r[2]}" for r in rows if r[9] and not str(r[9]).startswith("n/a")]
        print(f"\n{path.name}: {len(flagged)} steps flagged" + (": " + "; ".join(flagged) if flagged else ""))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{path.name}: peak memory of this process so far {peak:,.0f} MB (all caches of one process)")
    return rows


def compare(before: list[list[object]], after: list[list[object]], n: int, markdown: bool) -> None:
    """Cached rerun p50 (wall and CPU) per step, before and after ``n`` more indicators."""
    num = lambda v: v if isinstance(v, float) else None  # noqa: E731
    got = {(r[0], r[1], r[2]): r for r in after}
    rows, ratios = [], []
    for r in before:
        a = got.get((r[0], r[1], r[2]))
        if a is None or num(r[4]) is None or num(a[4]) is None:
            continue
        ratio = num(a[7]) / num(r[7]) if num(r[7]) and num(a[7]) is not None else None
        if ratio is not None:
            ratios.append(ratio)
        rows.append([r[0], r[1], r[2], r[4], a[4], r[7], a[7], "" if ratio is None else f"{(ratio - 1) * 100:+.0f} %"])
    print(f"\n### Cached reruns before → after {n} more indicators in the catalog\n")
    print_table(["page", "view", "step", "p50 ms before", "p50 ms after", "cpu p50 ms before", "cpu p50 ms after",
                 "cpu Δ"], rows, markdown)
    if ratios:
        import statistics

        print(f"\nCPU p50 after/before, median over {len(ratios)} steps: {statistics.median(ratios):.2f} "
              f"(geometric mean {statistics.geometric_mean(ratios):.2f})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, action="append", help="database file(s) to measure (read only)")
    ap.add_argument("--reps", type=int, default=5,
                    help="times each change is made and undone (default 5: 1 uncached + 9 cached reruns)")
    ap.add_argument("--only", nargs="+", metavar="PAGE", help="only these pages (file stems, e.g. peta)")
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table")
    ap.add_argument("--extra-indicators", type=int, default=0, metavar="N",
                    help="also measure a copy with N more (imported) indicators in the catalog, side by side")
    args = ap.parse_args()
    print(f"Machine: {machine()}")
    print(f"AppTest, whole app script in-process; caches cleared before each first view; each change made and "
          f"undone {args.reps}x: 'new' = first (uncached) rerun, p50/p95/max over the cached ones; target "
          f"<= {TARGET_MS:.0f} ms per filter change")
    todo = [sc for sc in scenarios() if not args.only or sc.page.removeprefix("pages/").removesuffix(".py")
            in args.only]
    missing = [str(p) for p in args.db or [] if not p.exists()]
    if missing:
        ap.error(f"no such database file: {', '.join(missing)} (build one: python -m sinergi build-demo --out FILE)")
    for path in args.db or default_databases():
        before = measure(path, todo, args.reps, args.markdown)
        if args.extra_indicators > 0:
            import shutil
            import tempfile

            folder = Path(tempfile.mkdtemp(prefix="sd-bench-katalog-"))
            try:
                after = measure(with_extra_indicators(path, args.extra_indicators, folder), todo, args.reps,
                                args.markdown)
            finally:
                shutil.rmtree(folder, ignore_errors=True)
            compare(before, after, args.extra_indicators, args.markdown)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

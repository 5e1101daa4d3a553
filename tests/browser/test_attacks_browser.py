"""Hostile names in a real browser: every page, its map tooltips, a click, chart hover labels, tables, the
sidebar — no payload runs in the page or any frame, and the payloads are shown as the characters they are.

The dataset is ``tests/hostile.py``: region names at every level, institution, partner, ministry and
programme names, the dataset's name, source and licence carry ``<script>``, ``onerror``, ``javascript:``
links, Markdown, LaTeX, Streamlit directives, plotly HTML, templates and entities. A payload that runs
calls ``alert(n)`` (every dialog is recorded) and sets ``window.__xss`` (read in every frame). The pages are
visited in one tab, one after another, as a visitor going through the app does (the first loaded by its address,
the others opened by their address in the running app), so a payload run on any of them is still seen later.
"""

from __future__ import annotations

import re
import time

import pytest
from hostile import DATASET, PAYLOADS, ROGUE_JENIS, marker, write_hostile_database

from tests.browser.conftest import Server, visit

# Markers whose payload must be seen, literally, on every page: the sidebar names the active dataset
# with its source and licence (Markdown, Markdown-escaped).
EVERY_PAGE = {int(m[1:]) for m in re.findall(r"P\d\d", DATASET["nama"] + DATASET["sumber"] + DATASET["lisensi"])}

# (path, query, payload numbers that must be shown literally there besides EVERY_PAGE, click a region)
VISITS = [
    ("", "", {2}, None),  # Beranda, the default page, lives at the root; 2: the province (map tooltip)
    ("peta", "wilayah=97.01.01&tingkat=4&pilih=97.01.01.2006", {1, 2, 6}, "97.01.01.2007"),
    ("ketahanan", "wil=97.01.01&tingkat=4", {1}, None),
    ("sdm", "wil=97.01.01&tingkat=4", {1}, None),
    ("jaringan", "wil=97.01.01", {1}, None),
    ("sinergi", "wil=97.01.01", {1}, None),
    ("profil", "kode=97.01.01.2008", {1, 2, 8}, None),
    ("bandingkan", "kode=97.01,97.02,97.03,97.71", {1, 3, 5, 8}, None),
    ("hotspot", "wil=97.01&tingkat=4", {1}, None),
    ("indeks", "wil=97.01", {1}, None),
    ("perubahan", "wil=97.01.01&tingkat=4", {1}, None),
    ("kesenjangan", "wil=97.01", {1}, None),
    ("agenda", "", set(), None),
    ("kelola", "", set(), None),
]

# Run in every frame: whatever shows that markup from data became live DOM, and the text as displayed.
PROBE = r"""(payloads) => {
  const out = {xss: window.__xss === undefined ? null : String(window.__xss), bad: [], shown: [], wrong: []};
  if (!document.body) { return out; }
  for (const el of document.querySelectorAll('*')) {
    for (const a of Array.from(el.attributes)) {
      const n = a.name.toLowerCase(), v = a.value;
      if (n.startsWith('on') && v.includes('__xss')) { out.bad.push(el.tagName + ' ' + n); }
      if (/^(href|src|action|formaction|xlink:href|data)$/.test(n)
          && (/^\s*javascript:/i.test(v) || v.includes('example.invalid'))) {
        out.bad.push(el.tagName + ' ' + n + '=' + v.slice(0, 80));
      }
      if (n === 'srcdoc' && v.includes('__xss')) { out.bad.push(el.tagName + ' srcdoc from data'); }
    }
    if (el.tagName === 'SCRIPT' && /^\s*alert\(/.test(el.textContent)) { out.bad.push('script element from data'); }
    if (el.tagName === 'STYLE' && el.textContent.trim().startsWith('*{display:none}')) { out.bad.push('style from data'); }
    if (el.classList && el.classList.contains('katex')) { out.bad.push('LaTeX rendered'); }
  }
  // Each element holding a marker in its own text must show the whole payload (whitespace aside):
  // "**P06**" rendered bold, ":red[P07]" coloured or "&lt;" decoded would leave the marker alone.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  let node;
  while ((node = walker.nextNode())) {
    if (!/P\d\d/.test(node.nodeValue)) { continue; }
    let el = node.parentElement;
    if (!el || /^(SCRIPT|STYLE|NOSCRIPT|TEMPLATE)$/.test(el.tagName)) { continue; }
    el = el.closest('text') || el;  // plotly wraps a title into tspans of one <text>
    if (seen.has(el)) { continue; }
    seen.add(el);
    const text = el.textContent.replace(/[\s\u2060]+/g, '');
    for (const [m, p] of Object.entries(payloads)) {
      if (!text.includes(m)) { continue; }
      if (text.includes(p)) { out.shown.push(m); } else { out.wrong.push(m + ' in <' + el.tagName + '>: ' + el.textContent.slice(0, 160)); }
    }
  }
  return out;
}"""

PAYLOAD_TEXT = {marker(n): re.sub(r"\s+", "", p) for n, p in PAYLOADS.items()}


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory, browser):
    d = tmp_path_factory.mktemp("hostile-data")
    write_hostile_database(d / "serangan.duckdb")
    (d / "active").write_text("serangan\n", encoding="utf-8")
    from sinergi import db

    con = db.connect(d / "serangan.duckdb")
    rogue = con.execute("select kode from regions where jenis = $j", {"j": ROGUE_JENIS}).fetchone()[0]
    con.close()
    s = Server(d)
    s.rogue_region = rogue
    yield s
    s.stop()


@pytest.fixture(scope="module")
def tab(tab):
    """The module's tab (conftest's), recording every dialog a page opens."""
    tab.dialogs = []
    tab.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
    return tab


def _poll(predicate, timeout_s: float = 60.0, what: str = "condition"):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except Exception:  # noqa: BLE001 - a frame may be reloading between polls
            value = None
        if value:
            return value
        time.sleep(0.15)
    raise AssertionError(f"timed out waiting for {what}")


def settle(page, timeout_s: float = 90.0) -> None:
    """Wait until the script run is over and the page has stopped changing (the same number of elements
    for eight polls in a row), every chart is drawn and every map has its layer."""
    quiet = {"n": 0, "last": None}

    def idle() -> bool:
        state = page.evaluate("""() => {
            const app = document.querySelector('[data-testid="stApp"]');
            const charts = document.querySelectorAll('.stPlotlyChart').length;
            const drawn = document.querySelectorAll('.stPlotlyChart .main-svg').length;
            const maps = document.querySelectorAll('iframe[title*="st_folium"]').length;
            return {run: app ? app.dataset.testScriptState : 'none', charts, drawn, maps,
                    title: !!document.querySelector('h1'), size: document.querySelectorAll('*').length};
        }""")
        ok = (state["run"] == "notRunning" and state["title"] and state["drawn"] >= state["charts"]
              and len(map_frames(page)) >= state["maps"] and state["size"] == quiet["last"])
        quiet["last"] = state["size"]
        quiet["n"] = quiet["n"] + 1 if ok else 0
        return quiet["n"] >= 8

    _poll(idle, timeout_s, "the page to finish its run")
    assert page.get_by_role("dialog").filter(has_text="Page not found").count() == 0
    for fr in map_frames(page):
        _poll(lambda f=fr: f.evaluate("() => window.sdLayer ? window.sdLayer.getLayers().length : 0"),
              timeout_s, "a map layer")


def map_frames(page) -> list:
    return [f for f in page.frames if "streamlit_folium" in f.url or "st_folium" in f.url]


def hover_map(page, frame, limit: int = 8) -> list[str]:
    """Hover up to ``limit`` regions of a map frame; the tooltip texts seen."""
    frame.frame_element().scroll_into_view_if_needed()
    points = frame.evaluate("""(limit) => {
        const r = window.map.getContainer().getBoundingClientRect(), out = [];
        window.sdLayer.eachLayer(function(l) {
            if (out.length < limit && l.getBounds) {
                const p = window.map.latLngToContainerPoint(l.getBounds().getCenter());
                out.push([p.x + r.left, p.y + r.top]);
            }
        });
        return out;
    }""", limit)
    tips = []
    for x, y in points:
        box = frame.frame_element().bounding_box()  # read again: the page may have moved meanwhile
        page.mouse.move(box["x"] + x - 3, box["y"] + y - 3)
        page.mouse.move(box["x"] + x, box["y"] + y, steps=3)
        try:
            tip = _poll(lambda: frame.evaluate(
                "() => { const t = document.querySelector('.leaflet-tooltip'); return t ? t.textContent : ''; }"),
                5, "a tooltip")
        except AssertionError:
            continue  # the centre of an irregular region may fall outside every region
        tips.append(tip)
    return tips


def hover_charts(page, per_chart: int = 4) -> list[dict]:
    """Hover a few points of every plotly chart; run the probe on each hover label while it is shown."""
    found = []
    charts = page.locator(".stPlotlyChart")
    for i in range(charts.count()):
        pts = charts.nth(i).locator(".plot .point path, .plot path.point, .plot .points path")
        for j in range(min(pts.count(), per_chart)):
            try:
                pts.nth(j).scroll_into_view_if_needed(timeout=2000)
                b = pts.nth(j).bounding_box()
            except Exception:  # noqa: BLE001 - a point may be hidden (zero size)
                continue
            if not b or b["width"] * b["height"] == 0:
                continue
            page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2)
            try:
                _poll(lambda: page.locator(".hoverlayer .hovertext").count(), 3, "a hover label")
            except AssertionError:
                continue
            found.append(page.main_frame.evaluate(PROBE, PAYLOAD_TEXT))
    return found


def probe_all(page) -> list[dict]:
    out = []
    for fr in page.frames:
        try:
            out.append(fr.evaluate(PROBE, PAYLOAD_TEXT))
        except Exception:  # noqa: BLE001 - a detached frame
            continue
    return out


def _check(page, results: list[dict], must: set[int]) -> None:
    ran = sorted({r["xss"] for r in results if r["xss"]})  # set by a payload run on this page or one before
    assert not page.dialogs and not ran, f"a payload ran: dialogs {page.dialogs}, window.__xss {ran}"
    bad = [b for r in results for b in r["bad"]]
    assert not bad, f"markup from data became live: {bad[:10]}"
    wrong = sorted({w for r in results for w in r["wrong"]})
    assert not wrong, f"payloads not shown as typed: {wrong[:10]}"
    shown = {int(m[1:]) for r in results for m in r["shown"]}
    assert must <= shown, f"payloads {sorted(must - shown)} not displayed (dropped instead of shown as text)"
    assert page.external == [], f"requests left the machine: {page.external}"


@pytest.mark.parametrize(("path", "query", "must", "click"), VISITS, ids=[v[0] or "beranda" for v in VISITS])
def test_no_payload_runs_and_every_payload_is_shown_as_text(hostile_server, tab, path, query, must, click):
    page = tab
    visit(page, f"{hostile_server.url}/{path}" + (f"?{query}" if query else ""))
    settle(page)
    results = probe_all(page)
    tips = []
    for fr in map_frames(page):
        tips += hover_map(page, fr)
        results.append(fr.evaluate(PROBE, PAYLOAD_TEXT))
    if map_frames(page):
        assert tips, "no tooltip appeared over the map"
        for tip in tips:  # tooltips are built with textContent: the name exactly as stored
            assert any(marker(n) in tip and PAYLOAD_TEXT[marker(n)] in re.sub(r"\s+", "", tip)
                       for n in PAYLOADS), f"tooltip without its literal name: {tip[:120]}"
    results += hover_charts(page)
    if click:
        from tests.browser.conftest import region_point

        page.mouse.click(*region_point(page, map_frames(page)[0], click))
        _poll(lambda: page.evaluate("() => location.search").find(f"pilih={click}") >= 0, 60, "the click")
        settle(page)
        results += probe_all(page)
    _check(page, results, EVERY_PAGE | must)


def test_rogue_types_and_hostile_search_and_agenda_stay_text(hostile_server, tab):
    """A region type no label exists for, a hostile search, and an agenda view titled with payloads
    typed into the sidebar form, then the agenda page that lists it."""
    page = tab
    results = []
    visit(page, f"{hostile_server.url}/peta?wilayah=97.01.01&tingkat=4")
    settle(page)
    box = page.get_by_role("textbox", name=re.compile("Cari wilayah"))
    box.fill(PAYLOADS[2] + " " + PAYLOADS[6])
    box.press("Enter")
    settle(page)
    results += probe_all(page)
    assert page.get_by_text(PAYLOADS[6], exact=False).count(), "the search text is echoed as typed"
    box.fill("Lestari")
    box.press("Enter")
    settle(page)
    results += probe_all(page)

    page.get_by_text("Simpan ke agenda").first.click()
    page.get_by_label("Judul tampilan").fill(f"Judul {PAYLOADS[1]} {PAYLOADS[6]}")
    page.get_by_label("Catatan (opsional)").fill(f"Catatan {PAYLOADS[5]}\n{PAYLOADS[7]} {PAYLOADS[13]}")
    page.get_by_role("button", name="Simpan tampilan ini").click()
    _poll(lambda: page.get_by_text("Tersimpan: agenda berisi 1 tampilan").count(), 30, "the saved message")
    visit(page, f"{hostile_server.url}/agenda")
    settle(page)
    results += probe_all(page)
    _check(page, results, EVERY_PAGE | {1, 5, 6, 7, 13})

    visit(page, f"{hostile_server.url}/profil?kode={hostile_server.rogue_region}")
    settle(page)
    results = probe_all(page)
    _check(page, results, EVERY_PAGE | {int(m[1:]) for m in re.findall(r"P\d\d", ROGUE_JENIS)})

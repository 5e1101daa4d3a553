"""Theme pages in a real browser: the network graph and the quadrant map are drawn, offline; a table's
CSV download delivers the file; every chart keeps its text inside. The pages are opened one after another in
one tab (conftest's ``tab``)."""

import time

import pytest

from tests.browser.conftest import feature_count, map_frame, visit, wait_for


def _plotly_traces(page, timeout_s: float = 30.0) -> list[dict]:
    """Name and point count of every trace of every plotly chart once they are drawn (polled)."""
    deadline = time.monotonic() + timeout_s
    js = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).flatMap(
        d => (d.data || []).map(t => ({name: t.name || '', n: (t.x || []).filter(v => v !== null).length})))"""
    while time.monotonic() < deadline:
        traces = page.evaluate(js)
        if traces:
            return traces
        page.wait_for_timeout(200)
    raise AssertionError("no plotly chart was drawn")


def test_network_graph_of_a_kecamatan_is_drawn(server, tab):
    page = tab
    visit(page, server.url + "/jaringan?wil=97.01.01")
    page.get_by_text("Grafik jejaring").first.wait_for(timeout=30000)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        traces = _plotly_traces(page)
        names = {t["name"] for t in traces}
        if "Desa/kelurahan" in names:
            break
        page.wait_for_timeout(200)
    by_name = {t["name"]: t["n"] for t in traces}
    # Alfa and Bravo are the villages of kecamatan Satu with network nodes; Alfa's Karang Taruna; one university
    assert by_name["Desa/kelurahan"] == 2
    assert by_name["Lembaga lokal"] == 1
    assert by_name["Perguruan tinggi"] == 1
    assert page.external == [], f"requests left the machine: {page.external}"


def test_quadrant_map_draws_every_village(server, tab):
    page = tab
    visit(page, server.url + "/sdm?wil=97&tingkat=4")
    page.get_by_text("Peta kuadran").first.wait_for(timeout=30000)
    frame = map_frame(page)
    assert feature_count(frame) == 8  # the fixture's 8 desa/kelurahan, Charlie drawn as "no data"
    assert page.external == [], f"requests left the machine: {page.external}"


def test_table_csv_is_made_when_clicked_and_downloads(server, tab):
    """The CSV behind a download button is built on the click (not on every rerun): the file arrives."""
    page = tab
    visit(page, server.url + "/ketahanan?wil=semua")  # the whole dataset (the page opens on its villages)
    page.get_by_text("Kelompok").first.wait_for(state="attached", timeout=60000)  # the ranking table
    # the ranking's, below the matrix's (a closed export menu holds hidden ones)
    button = page.get_by_role("button", name="⬇ Unduh CSV").filter(visible=True).last
    with page.expect_download(timeout=60000) as dl:
        button.click()
    d = dl.value
    assert d.suggested_filename == "peringkat_iks_2024.csv"
    raw = open(d.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for spreadsheet programs
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Kelompok,Peringkat,Kode,Nama,")
    # the two kabupaten/kota of the tiny dataset, best first (top 10 holds both; the bottom list repeats none)
    assert [line.split(",")[2] for line in lines[1:]] == ["97.01", "97.71"]
    assert page.external == [], f"requests left the machine: {page.external}"


# Every text of every plotly chart on the page (title, axis titles, tick and bar labels, the median label, the
# source note) measured against its chart's box: the texts past an edge, per chart.
CHART_TEXT_OUT = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(p => {
  const r = p.getBoundingClientRect(), out = [];
  for (const t of p.querySelectorAll('svg text')) {
    const b = t.getBoundingClientRect();
    if (!t.textContent.trim() || b.width === 0) continue;
    if (b.left < r.left - 0.5 || b.top < r.top - 0.5 || b.right > r.right + 0.5 || b.bottom > r.bottom + 0.5)
      out.push(t.textContent.slice(0, 60));
  }
  return {width: Math.round(r.width), drawn: !!p.querySelector('svg text'), out};
})"""


SIZES = [(1280, 720), (1920, 1080)]


@pytest.mark.parametrize("path", ["ketahanan", "ketahanan?ind=status_idm", "sdm", "jaringan", "sinergi", ""],
                         ids=lambda p: p or "beranda")  # Beranda, the default page, lives at the root
def test_every_chart_keeps_its_text_inside(server, tab, path):
    """At 1280 px a theme page's right-hand column is ~320 px wide: the histogram's axis title and the
    status bars' labels were cut there (the median label too, on a median in the right half). Each size of
    SIZES on one page: opened at the first, then the window resized to the next (every chart is drawn again
    at its column's new width: the test waits until each chart's width has changed)."""
    page, widths = tab, None
    for w, h in SIZES:
        page.set_viewport_size({"width": w, "height": h})
        if widths is None:
            visit(page, f"{server.url}/{path}")
        wait_for(lambda: (c := page.evaluate(CHART_TEXT_OUT)) and all(x["drawn"] for x in c)
                 and (widths is None or all(x["width"] != old for x, old in zip(c, widths))) and c,
                 page=page, what=f"the charts of {path} at {w}x{h}", timeout_s=60)
        page.wait_for_timeout(500)  # drawn at the column's final width
        charts = page.evaluate(CHART_TEXT_OUT)
        assert [c["out"] for c in charts] == [[] for _ in charts], f"{w}x{h}: {charts}"
        widths = [c["width"] for c in charts]

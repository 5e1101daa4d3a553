"""Analysis pages in a real browser: the cluster map (with kabupaten lines) and the index map are drawn
offline, and the year slider of the change page swaps the map's colours without resetting the user's pan and zoom.
The pages are opened one after another in one tab (conftest's ``tab``)."""

import time

from tests.browser.conftest import choose_file, feature_count, map_frame, map_still, visit, wait_for

ALFA = "97.01.01.2001"  # IKS .45 in 2023 (Sangat Tertinggal), .50 in 2024 (Tertinggal)
FILL_OF = """(kode) => { var c = null; window.sdLayer.eachLayer(function(l) {
    if (l.feature.properties.kode === kode) { c = l.options.fillColor; } }); return c; }"""


def _year_frame(page, timeout_s: float = 30.0):
    """The year map's frame, once it has drawn its layer: of the page's two maps, the one whose legend is not
    the change map's ("Δ …"). Both take their colours as streamlit-folium's dynamic feature group, and the
    order of the page's frames is not the order of the maps."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for fr in page.frames:
            if "st_folium" not in fr.url and "streamlit_folium" not in fr.url:
                continue
            try:
                ok = fr.evaluate("""() => { var lg = document.querySelector('.sd-map-legend');
                    return !!(lg && !lg.textContent.trim().startsWith('Δ') && window.feature_group
                              && window.feature_group.length && window.sdLayer && window.sdLayer.getLayers().length); }""")
            except Exception:
                ok = False
            if ok:
                return fr
        page.wait_for_timeout(200)
    raise AssertionError("the year map never drew its layer")


def test_hotspot_cluster_map_is_drawn_offline(server, tab):
    page = tab
    visit(page, server.url + "/hotspot?tingkat=4")
    page.get_by_text("Daftar sasaran").first.wait_for(timeout=60000)
    frame = map_frame(page, 60)
    assert feature_count(frame) == 8  # every desa/kelurahan; Charlie (no IKS) drawn as "no data"
    # the kabupaten/kota lines over the clusters: two outlines, not filled, not clickable
    outlines = frame.evaluate("""() => { var out = []; window.sdLayer._map.eachLayer(function(l) {
        if (l.feature && l !== window.sdLayer && !window.sdLayer.hasLayer(l)) {
            out.push([l.options.fill, l.options.color, l.options.interactive]); } }); return out; }""")
    assert outlines == [[False, "#111111", False]] * 2
    assert page.external == [], f"requests left the machine: {page.external}"


def test_custom_index_map_is_drawn(server, tab):
    page = tab
    visit(page, server.url + "/indeks?ind=iks:1,pendidikan_sma_pct:1&tingkat=4")
    frame = map_frame(page, 60)
    assert feature_count(frame) == 8
    assert page.external == [], f"requests left the machine: {page.external}"


def test_year_slider_keeps_the_map_view(server, tab):
    page = tab
    visit(page, server.url + "/perubahan?tingkat=4&dari=2023&ke=2024")
    frame = _year_frame(page, 60)
    assert frame.evaluate(FILL_OF, ALFA) == "#fdae61"  # 2024: Tertinggal
    map_still(page, frame)  # the frame at its final size first (the centre moved by 0.57° once without this)
    # the user zooms in and pans; mark the frame's window to see whether it is ever reloaded
    frame.evaluate("() => { window.__kept = 'ya'; window.map.setZoom(window.map.getZoom() + 1, {animate: false});"
                   " window.map.panBy([60, -40], {animate: false}); }")
    page.wait_for_timeout(300)
    view = frame.evaluate("() => [window.map.getZoom(), window.map.getCenter().lat, window.map.getCenter().lng]")

    thumb = page.get_by_role("slider").last
    thumb.focus()
    page.keyboard.press("ArrowLeft")  # 2024 → 2023
    wait_for(lambda: frame.evaluate(FILL_OF, ALFA) == "#d7191c", what="the colours to change", page=page)
    assert frame.evaluate("() => window.__kept") == "ya"  # same map, not rebuilt
    after = frame.evaluate("() => [window.map.getZoom(), window.map.getCenter().lat, window.map.getCenter().lng]")
    assert after[0] == view[0]
    assert abs(after[1] - view[1]) < 1e-9 and abs(after[2] - view[2]) < 1e-9
    assert "tahun=2023" in page.url
    assert page.external == [], f"requests left the machine: {page.external}"


def test_gap_page_analyses_an_uploaded_detail_file(server, tab, tmp_path):
    """An IDM detail file is analysed in memory: plans with the fewest steps appear, nothing is stored."""
    from sinergi import gap

    def row(kode, a, b, c):
        sc = [a] * 35 + [b] * 12 + [c] * 3
        return f"{kode},Desa {kode[-1]},Kec Satu,Kab Uji,2024," + ",".join(map(str, sc))

    f = tmp_path / "rumusan.csv"
    # IDM .6 → 5 IKL steps to Maju; IDM .7333 → 15 IKE steps to Mandiri
    f.write_text("kode_desa,nama_desa,nama_kec,nama_kab,tahun," + ",".join(gap.INDIKATOR) + "\n" + row("9701012001", 3, 3, 3) + "\n"
                 + row("9701012002", 3, 3, 5) + "\n", encoding="utf-8")
    k = tmp_path / "kamus.csv"
    k.write_text("kolom,indikator,pelaksana_pusat,pelaksana_prov,pelaksana_kab,pelaksana_desa,csr,lainnya\n"
                 "IKL01,Skor Sampah,,,Dinas LH,,,\n", encoding="utf-8")
    page = tab
    page.set_viewport_size({"width": 1920, "height": 1080})  # every column of the plan table drawn
    visit(page, server.url + "/kesenjangan?wil=97")
    page.get_by_text("Rincian per indikator").first.wait_for(timeout=60000)
    choose_file(page, f, server, key="gp_file")  # each file's chip shown: the upload reached the server
    choose_file(page, k, server, key="gp_dict")
    metric = page.locator('[data-testid="stMetric"]', has_text="Bisa naik status dengan ≤ 5 perbaikan")
    metric.first.wait_for(timeout=60000)
    assert metric.first.locator('[data-testid="stMetricValue"]').inner_text() == "1"
    # the table is a canvas grid: its cells exist in the DOM for accessibility, hidden
    page.get_by_text("IKL01 3→5, IKL02 3→5, IKL03 3→4").first.wait_for(state="attached", timeout=60000)
    # the first village's plan, with the party from the dictionary
    page.get_by_text("kabupaten (Dinas LH)").first.wait_for(state="attached", timeout=60000)
    page.get_by_text("Kab Uji").first.wait_for(state="attached", timeout=60000)  # villages per kabupaten
    assert not page.locator('[data-testid="stException"]').count()
    assert page.external == [], f"requests left the machine: {page.external}"

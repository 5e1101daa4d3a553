"""Presentation mode in a real browser: at 1280×720 (and 1920×1080) nothing overflows, no visible text is
smaller than 14 px (main document and map frame), the app chrome is hidden, nothing leaves the machine;
an imported agenda is presented with the keyboard."""

import json
import time


from tests.browser.conftest import map_frame

MIN_PX = 14.0

# Sizes the page: document and main block overflow, plus the chrome that must be hidden.
LAYOUT_JS = """() => {
  const se = document.scrollingElement;
  const main = document.querySelector('[data-testid="stMain"]');
  const shown = sel => Array.from(document.querySelectorAll(sel)).some(e => e.getClientRects().length > 0);
  const frame = document.querySelector('iframe[title="streamlit_folium.st_folium"]');
  return {scrollH: se.scrollHeight, scrollW: se.scrollWidth, innerH: innerHeight, innerW: innerWidth,
          mainScrollH: main.scrollHeight, mainH: main.clientHeight, mainScrollW: main.scrollWidth,
          mainW: main.clientWidth, sidebar: shown('[data-testid="stSidebar"]'),
          header: shown('[data-testid="stHeader"]'), toolbar: shown('[data-testid="stToolbar"]'),
          widgets: shown('[data-testid="stMain"] [data-testid="stSelectbox"]'),
          mapH: frame ? frame.getBoundingClientRect().height : 0};
}"""

# Every visible text node's element: its computed font size (px) and the text, smallest first.
SMALL_TEXT_JS = """(minPx) => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || !el || ['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(el.tagName)) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none' || parseFloat(style.opacity) === 0) continue;
    const rects = el.getClientRects();
    if (!rects.length || Array.from(rects).every(r => r.width === 0 || r.height === 0)) continue;
    const r = rects[0];
    if (r.bottom < 0 || r.top > innerHeight || r.right < 0 || r.left > innerWidth) continue;  // off screen
    const size = parseFloat(style.fontSize);
    if (size < minPx) out.push([size, text.slice(0, 60)]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}"""


def _settled(page, timeout_s: float = 30.0) -> dict:
    """The layout once the map is fitted: the same numbers three polls in a row (no fixed sleep)."""
    deadline = time.monotonic() + timeout_s
    last, same = None, 0
    while time.monotonic() < deadline:
        now = page.evaluate(LAYOUT_JS)
        same = same + 1 if now == last else 0
        if same >= 3 and now["mapH"] > 0:
            return now
        last = now
        page.wait_for_timeout(250)
    raise AssertionError(f"the presentation layout never settled: {last}")


def _open_presenting(page, url: str) -> dict:
    page.goto(url)
    page.locator('[data-testid="stMain"] h1').first.wait_for(timeout=30000)
    map_frame(page)  # Leaflet has drawn the regions
    return _settled(page)


def test_presentation_mode_fits_1280x720_with_legible_text(server, page, tmp_path):
    page.set_viewport_size({"width": 1280, "height": 720})
    lay = _open_presenting(page, server.url + "/ketahanan?wil=97.71&tingkat=4&mode=presentasi")
    page.screenshot(path=str(tmp_path / "presentasi_1280x720.png"))
    assert lay["scrollH"] <= lay["innerH"] and lay["scrollW"] <= lay["innerW"], lay
    assert lay["mainScrollH"] <= lay["mainH"] and lay["mainScrollW"] <= lay["mainW"], lay
    assert not (lay["sidebar"] or lay["header"] or lay["toolbar"] or lay["widgets"]), lay
    assert lay["mapH"] >= 300, lay  # the map is the picture, not a thumbnail
    # title, legend (drawn on the map) and source are on screen
    for where, text in ((page, "Ketahanan Sosial"), (map_frame(page), "Sangat Tertinggal"), (page, "Sumber:")):
        box = where.get_by_text(text).filter(visible=True).first.bounding_box()
        assert box and box["y"] + box["height"] <= 720, text
    small = page.evaluate(SMALL_TEXT_JS, MIN_PX)
    assert not small, f"text under {MIN_PX} px: {small[:10]}"
    small_in_map = map_frame(page).evaluate(SMALL_TEXT_JS, MIN_PX)
    assert not small_in_map, f"text under {MIN_PX} px in the map: {small_in_map[:10]}"
    assert page.external == [], f"requests left the machine: {page.external}"


def test_presentation_mode_fills_a_1920x1080_screen(server, page, tmp_path):
    page.set_viewport_size({"width": 1920, "height": 1080})
    lay = _open_presenting(page, server.url + "/?mode=presentasi")
    page.screenshot(path=str(tmp_path / "presentasi_1920x1080.png"))
    assert lay["scrollH"] <= lay["innerH"] and lay["scrollW"] <= lay["innerW"], lay
    assert lay["mainScrollH"] <= lay["mainH"], lay
    assert lay["mapH"] > 600, lay  # grown into the larger screen
    assert not page.evaluate(SMALL_TEXT_JS, MIN_PX)
    assert page.external == [], f"requests left the machine: {page.external}"


def _url_has(page, part: str, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if part in page.url:
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"{part!r} never appeared in {page.url}")


def _url_lacks(page, part: str, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if part not in page.url:
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"{part!r} stayed in {page.url}")


def test_imported_agenda_is_presented_with_the_keyboard(server, page, tmp_path):
    doc = {"format": "sinergi-agenda", "versi": 1, "nama": "Rapat uji", "tampilan": [
        {"halaman": "ketahanan", "parameter": {"wil": "97.71"}, "judul": "IKS kota", "catatan": "pertama"},
        {"halaman": "sinergi", "parameter": {"tahun": "2023"}, "judul": "Program 2023", "catatan": ""},
    ]}
    path = tmp_path / "agenda.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(server.url + "/agenda")
    page.get_by_text("Agenda masih kosong").wait_for(timeout=30000)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    page.get_by_text("diimpor: 2 tampilan").wait_for(timeout=30000)
    page.get_by_text("2. Program 2023").wait_for(timeout=30000)

    page.get_by_role("button", name="Presentasikan dari awal").click()
    _url_has(page, "/ketahanan")
    _url_has(page, "mode=presentasi")
    page.locator('.st-key-sd_next:not([data-stale="true"]) button').first.wait_for(timeout=30000)
    page.locator('[data-testid="stMain"] h1').first.click()  # focus the app document, not the map frame
    page.keyboard.press("ArrowRight")
    _url_has(page, "/sinergi")
    assert "tahun=2023" in page.url
    page.locator('.st-key-sd_prev:not([data-stale="true"]) button').first.wait_for(timeout=30000)
    page.keyboard.press("PageUp")
    _url_has(page, "/ketahanan")
    assert "wil=97.71" in page.url
    # the first view again: wait until its run has drawn the presenter bar (the keys' listener) before Esc
    page.locator('.st-key-sd_next:not([data-stale="true"]) button').first.wait_for(timeout=30000)
    page.locator('[data-stale="true"]').first.wait_for(state="detached", timeout=30000)
    page.locator('[data-testid="stMain"] h1').first.click()
    page.keyboard.press("Escape")
    _url_lacks(page, "mode=presentasi")
    page.locator('[data-testid="stSidebar"]').wait_for(timeout=30000)
    assert page.external == [], f"requests left the machine: {page.external}"


def test_a_broken_agenda_file_is_refused_and_changes_nothing(server, page, tmp_path):
    path = tmp_path / "rusak.json"
    path.write_text('{"format": "sinergi-agenda", "versi": 1, "nama": "x", "tampilan": '
                    '[{"halaman": "rahasia", "parameter": {}, "judul": "x", "catatan": ""}]}', encoding="utf-8")
    page.goto(server.url + "/agenda")
    page.get_by_text("Agenda masih kosong").wait_for(timeout=30000)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    page.get_by_text("Agenda tidak diimpor").wait_for(timeout=30000)
    assert page.get_by_text("halaman 'rahasia' tidak dikenal").count() == 1
    assert page.get_by_text("Agenda masih kosong").count() == 1

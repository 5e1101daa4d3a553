"""Map first (issue 16): on every page with a map, at 1280×720 and 1920×1080, with the sidebar open and
closed and in presentation mode, the whole map frame and the legend drawn on it are on screen without
scrolling, the drawn regions are fitted inside the map beside the legend (never under it), no text on
the map is smaller than 14 px, and the year boxes above the map show their whole year. One browser page per
screen size, reused from page to page: the pages opened one after another in the running app (the first
loaded by its address), then each in presentation mode the same way."""

from __future__ import annotations

import time

import pytest

from tests.browser.conftest import guarded_page, map_frame, visit, wait_for

SIZES = [(1280, 720), (1920, 1080)]
# the pages with a map, each with the view it opens on (the tiny fixture: one province, 8 villages). Sinergi
# Program draws the same map as Ketahanan Sosial and Jaringan Sosial, from its programme-count indicators,
# which the tiny fixture lacks (its page says so instead of drawing a map).
PAGES = ["peta", "ketahanan", "sdm", "jaringan", "hotspot", "indeks", "perubahan"]
MIN_PX = 14.0

# The first map of the page (the one at the top), measured from the app's document: its frame (page px),
# the map and the legend (frame px), the drawn regions' bounds as Leaflet projects them (frame px), every
# visible text on the map smaller than 14 px, and how far the page is scrolled. None until it is drawn.
MEASURE_JS = """(minPx) => {
  const frames = Array.from(document.querySelectorAll('iframe[title="streamlit_folium.st_folium"]'))
    .filter(f => f.getClientRects().length > 0);
  if (!frames.length) return null;
  const f = frames[0], w = f.contentWindow, d = f.contentDocument;
  if (!w || !w.map || !w.sdLayer || !w.sdLayer.getLayers().length) return null;
  const lg = d.querySelector('.sd-map-legend');
  if (!lg || !lg.offsetWidth) return null;
  const box = r => [r.left, r.top, r.right, r.bottom].map(v => Math.round(v * 10) / 10);
  const b = w.sdLayer.getBounds(), nw = w.map.latLngToContainerPoint(b.getNorthWest()),
        se = w.map.latLngToContainerPoint(b.getSouthEast());
  const small = [], walker = d.createTreeWalker(d.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement, text = node.textContent.trim();
    if (!text || !el || !el.getClientRects().length) continue;
    const cs = w.getComputedStyle(el);
    if (cs.visibility === 'hidden' || cs.display === 'none') continue;
    if (parseFloat(cs.fontSize) < minPx) small.push([cs.fontSize, text.slice(0, 40)]);
  }
  const main = document.querySelector('[data-testid="stMain"]');
  return {vw: innerWidth, vh: innerHeight, scrolled: (main ? main.scrollTop : 0) + scrollY,
          frame: box(f.getBoundingClientRect()), map: box(w.map.getContainer().getBoundingClientRect()),
          legend: box(lg.getBoundingClientRect()), regions: [nw.x, nw.y, se.x, se.y].map(Math.round),
          legendText: lg.textContent, small: small};
}"""


# The year boxes of the page's controls ("Tahun", Perubahan's "Dari tahun"/"Ke tahun": a combo box whose text is
# an input's value): the year they show, the width its text needs (measured in the input's own font) and the
# width the input gives it; scrollWidth > clientWidth too where the browser reports the text cut, e.g. to "202".
YEARS_JS = """() => Array.from(document.querySelectorAll('[data-testid="stSelectbox"]')).filter(box => {
    const l = box.querySelector('label');
    return l && /^(Tahun|Dari tahun|Ke tahun)$/.test(l.textContent.trim()) && box.getClientRects().length;
  }).map(box => {
    const input = box.querySelector('input'), cs = getComputedStyle(input);
    const ctx = document.createElement('canvas').getContext('2d');
    ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    const room = input.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    return {label: box.querySelector('label').textContent.trim(), text: input.value,
            needs: Math.ceil(ctx.measureText(input.value).width), room: Math.floor(room),
            scrolled: input.scrollWidth > input.clientWidth + 1};
  })"""


def _years_whole(page, what: str) -> None:
    """Every year box of the controls shows its whole year (four digits, nothing cut)."""
    boxes = page.evaluate(YEARS_JS)
    assert boxes, f"{what}: no year box found"
    for b in boxes:
        assert len(b["text"]) == 4 and b["text"].isdigit(), f"{what}: year box {b}"
        assert b["needs"] <= b["room"] and not b["scrolled"], f"{what}: the year cut in its box {b}"


def _problems(m: dict) -> list[str]:
    """What is wrong with a measured map (empty: fine)."""
    out = []
    fl, ft, fr, fb = m["frame"]
    if m["scrolled"] > 0:
        out.append(f"page scrolled by {m['scrolled']}")
    if not (fl >= 0 and ft >= 0 and fr <= m["vw"] + 0.5 and fb <= m["vh"] + 0.5):
        out.append(f"map frame {m['frame']} outside the {m['vw']}×{m['vh']} screen")
    ml, mt, mr, mb = m["map"]
    if abs((mb - mt) - (fb - ft)) > 2 or abs((mr - ml) - (fr - fl)) > 2:
        out.append(f"the map {m['map']} does not fill its frame {m['frame']}")
    ll, lt, lr, lb = m["legend"]
    if not (ll >= ml and lt >= mt and lr <= mr and lb <= mb):
        out.append(f"legend {m['legend']} not inside the map {m['map']}")
    x0, y0, x1, y1 = m["regions"]
    if not (x0 >= ml - 1 and y0 >= mt - 1 and x1 <= mr + 1 and y1 <= mb + 1):
        out.append(f"regions {m['regions']} not inside the map {m['map']}")
    if x0 < lr and ll < x1 and y0 < lb and lt < y1:
        out.append(f"regions {m['regions']} under the legend {m['legend']}")
    if m["small"]:
        out.append(f"text under {MIN_PX} px on the map: {m['small'][:5]}")
    return out


def _fitted(page, what: str, timeout_s: float = 40.0) -> dict:
    """The first map once it is drawn and fitted (polled: the page sizes the frame, the map refits)."""
    deadline, last = time.monotonic() + timeout_s, None
    while time.monotonic() < deadline:
        try:
            last = page.evaluate(MEASURE_JS, MIN_PX)
        except Exception:  # the page or the frame is (re)loading
            last = None
        if last and not _problems(last):
            page.wait_for_timeout(400)  # and it stays so (no late resize pushes it off)
            again = page.evaluate(MEASURE_JS, MIN_PX)
            if again and not _problems(again):
                return again
        page.wait_for_timeout(200)
    raise AssertionError(f"{what}: {_problems(last) if last else 'the map was never drawn'} ({last})")


def _toggle_sidebar(page) -> None:
    """Collapse or expand the sidebar as a user does (its button shows on hover)."""
    if page.locator('[data-testid="stSidebar"][data-collapsed="false"]').count():
        page.locator('[data-testid="stSidebar"]').hover()
        page.locator('[data-testid="stSidebarCollapseButton"] button').click()
    else:
        page.locator('[data-testid="stExpandSidebarButton"]').click()


@pytest.fixture(scope="module", params=SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def sized_page(request, browser):
    width, height = request.param
    pg = guarded_page(browser)
    pg.set_viewport_size({"width": width, "height": height})
    yield pg
    assert pg.external == [], f"requests left the machine: {pg.external}"
    pg.context.close()


@pytest.mark.parametrize("path", PAGES)
def test_the_whole_map_and_its_legend_are_on_screen_and_fitted(server, sized_page, path):
    page = sized_page
    visit(page, f"{server.url}/{path}")  # the first page loaded, the next opened in the running app
    size = f"{page.viewport_size['width']}×{page.viewport_size['height']}"
    first = _fitted(page, f"{path} at {size}, sidebar open")
    assert "Tidak ada data" in first["legendText"]  # the legend is on the map, "no data" included
    _years_whole(page, f"{path} at {size}, sidebar open")
    _toggle_sidebar(page)
    closed = _fitted(page, f"{path} at {size}, sidebar closed")
    _years_whole(page, f"{path} at {size}, sidebar closed")
    assert closed["frame"][2] - closed["frame"][0] > first["frame"][2] - first["frame"][0]  # wider: refitted
    _toggle_sidebar(page)
    _fitted(page, f"{path} at {size}, sidebar open again")


@pytest.mark.parametrize("path", PAGES)
def test_presentation_mode_shows_the_whole_map_fitted_too(server, sized_page, path):
    page = sized_page
    visit(page, f"{server.url}/{path}?mode=presentasi")  # (a presentation link loaded: test_presentation_browser)
    size = f"{page.viewport_size['width']}×{page.viewport_size['height']}"
    _fitted(page, f"{path} presented at {size}")


def test_a_selected_region_stays_in_sight_when_the_map_is_resized(server, page):
    """Once the user has moved the map, a resize keeps their view, but brings the selected region back into
    sight when it has left it."""
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{server.url}/peta?tingkat=4&wilayah=97&pilih=97.01.01.2001")
    _fitted(page, "Peta with a selected village")
    frame = map_frame(page)
    inside = """() => { let hit = null;
        window.sdLayer.eachLayer(l => { if (l.feature.properties.kode === window.sdSelected()) hit = l; });
        return window.map.getBounds().contains(hit.getBounds()); }"""
    assert frame.evaluate(inside)
    # the user zooms in and pans far away from the selection
    frame.evaluate("() => { window.map.setView([10, 140], window.map.getZoom() + 1, {animate: false}); }")
    assert not frame.evaluate(inside)
    page.set_viewport_size({"width": 1100, "height": 700})
    wait_for(lambda: frame.evaluate(inside), what="the selected village back in sight", page=page)

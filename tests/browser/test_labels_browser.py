"""Map labels never collide (issue 16): at any zoom only labels that fit without overlapping are shown,
largest regions first, inside the map and never under its legend, at 14 px or more, readable on a white
halo."""

from __future__ import annotations

from tests.browser.conftest import feature_count, map_frame, map_still, wait_for

BOXES = """() => Array.from(document.querySelectorAll('.sd-label span')).map(s => {
  const b = s.getBoundingClientRect(); const cs = getComputedStyle(s);
  return {text: s.textContent, shown: cs.display !== 'none' && cs.visibility !== 'hidden' && b.width > 0,
          x0: b.left, y0: b.top, x1: b.right, y1: b.bottom, px: parseFloat(cs.fontSize)};
})"""
MAP_BOX = "() => { const b = document.querySelector('.leaflet-container').getBoundingClientRect(); " \
          "return [b.left, b.top, b.right, b.bottom]; }"
ZOOM_OUT = """(n) => { const m = Object.values(window).find(v => v instanceof L.Map); m.setZoom(m.getZoom() - n, {animate: false}); }"""


LEGEND = """() => { const l = document.querySelector('.sd-map-legend');
  if (!l || !l.offsetWidth) return null; const b = l.getBoundingClientRect();
  return {x0: b.left, y0: b.top, x1: b.right, y1: b.bottom}; }"""


def _overlaps(a, b) -> bool:
    return a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["y0"] < b["y1"] and b["y0"] < a["y1"]


def _check(frame) -> list[dict]:
    boxes = frame.evaluate(BOXES)
    shown = [b for b in boxes if b["shown"]]
    left, top, right, bottom = frame.evaluate(MAP_BOX)
    legend = frame.evaluate(LEGEND)
    for i, a in enumerate(shown):
        assert a["px"] >= 14, a
        assert left <= a["x0"] and a["x1"] <= right and top <= a["y0"] and a["y1"] <= bottom, a
        assert not (legend and _overlaps(a, legend)), (a["text"], "under the legend")
        for b in shown[i + 1:]:
            assert not _overlaps(a, b), (a["text"], b["text"])
    return boxes


def _settled(frame) -> list[dict]:
    """The labels once the map is fitted beside its legend: the same labels shown in two polls in a row."""
    last = []

    def same():
        nonlocal last
        now = _check(frame) if frame.evaluate(LEGEND) else []
        done = bool(now) and sum(x["shown"] for x in now) > 0 and now == last
        last = now
        return now if done else None

    return wait_for(same, what="labels placed in the fitted view")


def test_labels_that_would_overlap_are_left_out_at_every_zoom(server, page):
    page.goto(server.url + "/peta?tingkat=4&wilayah=97")
    frame = wait_for(lambda: (lambda f: f if feature_count(f) == 8 else None)(map_frame(page)),
                     what="the province's eight villages")
    map_still(page, frame)  # the reference is the fitted view (a late resize moved it once: fewer names came back)
    boxes = _settled(frame)
    assert {b["text"] for b in boxes} >= {"Alfa", "Golf"}
    shown = sum(x["shown"] for x in boxes)
    frame.evaluate(ZOOM_OUT, 4)  # the eight squares shrink to a few pixels: their names cannot all fit
    crowded = wait_for(lambda: (lambda b: b if 0 < sum(x["shown"] for x in b) < 8 else None)(_check(frame)),
                       what="overlapping labels left out after zooming out")
    assert sum(x["shown"] for x in crowded) < len(crowded)
    frame.evaluate(ZOOM_OUT, -4)  # back in: the names shown at first have room again
    wait_for(lambda: sum(x["shown"] for x in _check(frame)) == shown, what="labels shown again")
    assert page.external == [], f"requests left the machine: {page.external}"

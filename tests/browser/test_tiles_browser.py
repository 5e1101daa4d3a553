"""The country's village map drawn from vector tiles in a real browser (every non-local request blocked):
every village drawn, a hover shows its name, value and class, a click opens its profile, and another
indicator recolours the same map without fetching a tile again."""

from __future__ import annotations


import pytest

from tests.browser.conftest import Server, _need_browser, guarded_page, wait_for

VIEW = "/peta?ind=iks&tahun=2024&tingkat=4"
N_VILLAGES = 48 * 45
DESA = "97.01.02.2050"  # column 7, row 4: "Desa 7-4", IKS 2024 = 0.3 + 0.6 * 0.01 + 0.05 = 0.356 (Sangat Tertinggal)

# Where a village is in the map frame: the centre of its feature in a tile canvas (pixels within the tile at
# the tile's zoom), through the map's own projection.
POINT_OF = """(kode) => {
    var ch = window.sdChoropleth, fid = ch.index[kode], tiles = ch.grid._vectorTiles, size = ch.grid.getTileSize();
    for (var key in tiles) {
        var f = tiles[key]._features[fid];
        if (f) {
            var t = tiles[key].getCoord(), local = f.feature._pxBounds.getCenter();
            var ll = window.map.unproject(L.point(t.x * size.x + local.x, t.y * size.y + local.y), t.z);
            var c = window.map.latLngToContainerPoint(ll), r = window.map.getContainer().getBoundingClientRect();
            return [c.x + r.left, c.y + r.top];
        }
    }
    throw new Error("not drawn: " + kode);
}"""


@pytest.fixture(scope="module")
def grid_server(tmp_path_factory):
    _need_browser()
    from fixtures import grid_dataset

    from sinergi import build

    d = tmp_path_factory.mktemp("tiles-data")
    build.write_database(d / "demo.duckdb", **grid_dataset())
    s = Server(d)
    yield s
    s.stop()


def tile_frame(page):
    """The map frame once its tile layer has drawn every visible tile."""
    def found():
        for fr in page.frames:
            if ("st_folium" in fr.url or "streamlit_folium" in fr.url) and fr.evaluate(
                    "() => !!(window.sdDrawnAt && window.sdChoropleth && window.sdChoropleth.grid)"):
                return fr
        return None
    return wait_for(found, 120, what="the tile layer drawn", page=page)


def test_national_village_map_from_tiles(grid_server, browser):
    page = guarded_page(browser)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(grid_server.url + VIEW)
        frame = tile_frame(page)
        assert wait_for(lambda: frame.evaluate("() => window.sdCount()") == N_VILLAGES, 120, what="every village",
                        page=page)
        tiles_asked = [u for u in requests if "/api/sinergi/ubin/" in u and u.endswith(".pbf")]
        assert tiles_asked and all("/ubin/demo/" in u for u in tiles_asked)
        assert not any("coordinates" in u for u in requests)

        # hover: name (fetched on the first hover), value and class in the tooltip
        frame.frame_element().scroll_into_view_if_needed()
        box = frame.frame_element().bounding_box()
        x, y = frame.evaluate(POINT_OF, DESA)
        page.mouse.move(box["x"] + x, box["y"] + y)
        tip = frame.locator(".sd-tip")
        wait_for(lambda: "Desa 7-4" in tip.inner_text() and "0,3560" in tip.inner_text(), 120, what="the tooltip",
                 page=page)
        text = tip.inner_text()
        assert DESA in text and "Sangat Tertinggal" in text

        # click: the village is selected and its profile opens beside the map, as with GeoJSON maps
        frame.evaluate("() => { window.sdMarker = 'same map'; }")
        page.mouse.click(box["x"] + x, box["y"] + y)
        page.get_by_role("heading", name="Desa 7-4", exact=True).wait_for(timeout=60000)
        wait_for(lambda: "pilih=97.01.02.2050" in page.evaluate("() => location.href"), 120, what="the URL",
                 page=page)
        assert wait_for(lambda: frame.evaluate("() => window.sdSelected()") == DESA, 120, what="the outline",
                        page=page)
        assert frame.evaluate("() => window.sdMarker") == "same map"

        assert page.external == [], f"requests left the machine: {page.external}"
    finally:
        page.context.close()


def test_recolour_keeps_the_map_and_its_tiles(grid_server, browser):
    page = guarded_page(browser)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(grid_server.url + VIEW + "&kelas=kuantil")
        frame = tile_frame(page)
        wait_for(lambda: frame.evaluate("() => window.sdCount()") == N_VILLAGES, 120, what="every village",
                 page=page)
        frame.evaluate("() => { window.sdMarker = 'same map'; }")
        fill = """(kode) => { var ch = window.sdChoropleth, fid = ch.index[kode], t = ch.grid._vectorTiles;
            for (var k in t) { if (t[k]._features[fid]) { return t[k]._features[fid].feature.options.fillColor; } } }"""
        before = frame.evaluate(fill, DESA)
        n_tiles = len([u for u in requests if u.endswith(".pbf")])
        n_data = len([u for u in requests if "/api/sinergi/data/" in u])
        page.get_by_role("button", name="Kelas dan warna").click()  # the classes and palette sit in a popover
        page.get_by_role("combobox", name="Palet warna").click()
        page.get_by_role("option", name="Jingga–ungu").click()
        wait_for(lambda: frame.evaluate(fill, DESA) not in (None, before), 120, what="new colours", page=page)
        assert frame.evaluate("() => window.sdMarker") == "same map"  # recoloured in place
        assert len([u for u in requests if u.endswith(".pbf")]) == n_tiles  # not one tile fetched again
        assert len([u for u in requests if "/api/sinergi/data/" in u]) > n_data  # the new classes
        assert page.external == [], f"requests left the machine: {page.external}"
    finally:
        page.context.close()


def test_a_selected_village_comes_back_into_sight_on_a_resize(grid_server, browser):
    """As on a GeoJSON map (tests/browser/test_map_first_browser.py): once the user has moved the map, a resize
    keeps their view but brings the selected village back into sight, by the bounds the server sent with the
    selection (the tiles hold only pieces of it)."""
    page = guarded_page(browser)
    try:
        page.set_viewport_size({"width": 1280, "height": 720})
        page.goto(grid_server.url + VIEW + f"&pilih={DESA}")
        frame = tile_frame(page)
        inside = f"() => {{ var b = window.sdChoropleth.selectedBox; return !!b && window.sdSelected() === " \
                 f"'{DESA}' && window.map.getBounds().contains(b); }}"
        wait_for(lambda: frame.evaluate(inside), 60, what="the selected village's bounds, in sight", page=page)
        # the user zooms in and pans far away from the selection
        frame.evaluate("() => { window.map.setView([-2, 125], window.map.getZoom() + 2, {animate: false}); }")
        assert not frame.evaluate(inside)
        page.set_viewport_size({"width": 1100, "height": 700})
        wait_for(lambda: frame.evaluate(inside), 30, what="the selected village back in sight", page=page)
        assert page.external == [], f"requests left the machine: {page.external}"
    finally:
        page.context.close()


# Every tile the map's tile layers start, in the order started ("z/x/y"), recorded from Leaflet's own
# 'tileloadstart' event by a hook on every grid layer made in the frame (installed as Leaflet loads).
TILES_STARTED = """
(function () {
    var started = window.sdTilesStarted = [];
    Object.defineProperty(window, 'L', {configurable: true, set: function (v) {
        Object.defineProperty(window, 'L', {configurable: true, writable: true, value: v});
        v.GridLayer.addInitHook(function () {
            this.on('tileloadstart', function (e) { started.push(e.coords.z + '/' + e.coords.x + '/' + e.coords.y); });
        });
    }});
})();
"""

# the grid dataset's villages (tests/fixtures: 48 x 45 squares of 0.02 degrees from 110 E, 7 S)
WEST, SOUTH, EAST, NORTH = 110.0, -7.0, 110.0 + 48 * 0.02, -7.0 + 45 * 0.02


def _tile_box(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """(west, south, east, north) of a web-mercator tile."""
    import math

    def lat(row: float) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / 2 ** z))))
    return x / 2 ** z * 360 - 180, lat(y + 1), (x + 1) / 2 ** z * 360 - 180, lat(y)


def test_opening_asks_only_for_tiles_of_the_regions_and_builds_each_once(grid_server, browser):
    """The map opens with its view set several times (at once, beside the legend, after the frame's resize):
    no tile is asked for beyond the tile set's regions, and no tile is built twice while the map opens (a
    reset of the view that keeps the tiles' zoom keeps the tiles; before, each reset built them all again)."""
    page = guarded_page(browser)
    page.add_init_script(TILES_STARTED)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.set_viewport_size({"width": 1280, "height": 720})
        page.goto(grid_server.url + VIEW)
        frame = tile_frame(page)
        assert wait_for(lambda: frame.evaluate("() => window.sdCount()") == N_VILLAGES, 120, what="every village",
                        page=page)
        started = frame.evaluate("() => window.sdTilesStarted")
        assert started, "no tile start was recorded"
        assert len(started) == len(set(started)), f"tiles built more than once while opening: {started}"
        asked = [tuple(int(v) for v in u.rsplit("/", 3)[-3:-1] + [u.rsplit("/", 1)[-1].split(".")[0]])
                 for u in requests if "/api/sinergi/ubin/" in u and u.endswith(".pbf")]
        assert asked
        for z, x, y in asked:
            w, s, e, n = _tile_box(z, x, y)
            assert w < EAST + 0.05 and e > WEST - 0.05 and s < NORTH + 0.05 and n > SOUTH - 0.05, \
                f"tile {z}/{x}/{y} ({w:.2f}..{e:.2f} E, {s:.2f}..{n:.2f}) lies beyond the villages"

        # the view set again a quarter zoom step away, at the same tiles' zoom and outlines (as when the legend
        # or a resize sets it while the map opens): the tiles stay, every village still drawn
        step = frame.evaluate("""() => { var z = map.getZoom(), g = window.sdChoropleth.grid;
            function lines(v) { return v >= 9 ? 2 : (v >= 7 ? 1 : 0); }
            var to = [z + 0.25, z - 0.25].filter(function (v) {
                return g._clampZoom(Math.round(v)) === g._clampZoom(Math.round(z)) && lines(v) === lines(z); })[0];
            if (to === undefined) { return null; }
            window.sdTilesStarted.length = 0;
            map.setZoom(to, {animate: false});
            return to; }""")
        assert step is not None
        assert frame.evaluate("() => window.map.getZoom()") == step
        page.wait_for_timeout(500)
        assert frame.evaluate("() => window.sdTilesStarted") == []
        assert frame.evaluate("() => window.sdCount()") == N_VILLAGES
        # each kept tile is drawn where its corner projects at the new view (scaled to the view's zoom)
        misplaced = frame.evaluate("""() => { var g = window.sdChoropleth.grid, size = g.getTileSize(), out = [];
            var m = window.map.getContainer().getBoundingClientRect();
            for (var key in g._tiles) {
                var c = g._tiles[key].coords, r = g._tiles[key].el.getBoundingClientRect();
                var nw = window.map.latLngToContainerPoint(window.map.unproject(L.point(c.x * size.x, c.y * size.y), c.z));
                var se = window.map.latLngToContainerPoint(window.map.unproject(L.point((c.x + 1) * size.x, (c.y + 1) * size.y), c.z));
                if (Math.abs(r.left - m.left - nw.x) > 1.5 || Math.abs(r.top - m.top - nw.y) > 1.5 ||
                    Math.abs(r.right - m.left - se.x) > 1.5 || Math.abs(r.bottom - m.top - se.y) > 1.5) {
                    out.push([key, r.left - m.left, r.top - m.top, nw.x, nw.y]);
                }
            }
            return out; }""")
        assert misplaced == []
        assert page.external == [], f"requests left the machine: {page.external}"
    finally:
        page.context.close()

"""The grid view in a real browser (Debian's Chromium), every non-local request blocked: the toggle draws
one equal square per region, a hover names the region, a click selects it and drills as on the geographic
map, and the toggle stays while presenting."""

from urllib.parse import parse_qs, urlparse

from tests.browser.conftest import feature_count, map_frame, region_point, wait_for


def query(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(page.evaluate("() => location.href")).query).items()}


def frame_with(page, n: int):
    """The map frame once it draws ``n`` regions."""
    return wait_for(lambda: (lambda f: f if feature_count(f) == n else None)(map_frame(page)),
                    what=f"a map of {n} regions", page=page)


def square_sizes(frame) -> list[tuple[float, float]]:
    """Each drawn region's width and height on screen (px), from Leaflet's own projection."""
    return frame.evaluate("""() => {
        var out = [];
        window.sdLayer.eachLayer(function(l) {
            var b = l.getBounds();
            var a = window.map.latLngToContainerPoint(b.getSouthWest());
            var c = window.map.latLngToContainerPoint(b.getNorthEast());
            out.push([c.x - a.x, a.y - c.y]);
        });
        return out;
    }""")


def test_toggle_draws_equal_squares_that_hover_and_click_like_the_map(server, page):
    page.goto(server.url + "/peta?ind=iks&tahun=2024&tingkat=4&wilayah=97")
    frame_with(page, 8)  # the geographic map first

    page.locator(".st-key-peta_tampilan button", has_text="Kisi").click()
    wait_for(lambda: query(page).get("tampilan") == "kisi", what="the grid in the URL", page=page)
    frame = wait_for(lambda: (lambda f: f if f.evaluate("() => !document.querySelector('.leaflet-control-scale')")
                              else None)(frame_with(page, 8)), what="the grid map (no scale bar)", page=page)
    assert feature_count(frame) == 8  # squares drawn = the province's villages
    sizes = square_sizes(frame)
    assert all(abs(w - sizes[0][0]) < 0.5 and abs(h - sizes[0][0]) < 0.5 for w, h in sizes), sizes  # equal squares
    assert sizes[0][0] > 20  # large enough to point at
    page.get_by_text("Tampilan kisi: setiap wilayah satu kotak").wait_for()

    # a hover names the square's region (the tooltip is built in the map frame)
    page.mouse.move(*region_point(page, frame, "97.01.01.2002"))
    tip = frame.locator(".leaflet-tooltip")
    tip.wait_for(timeout=30000)
    # the values come with the first hover (the tooltip says "…" until they have arrived)
    wait_for(lambda: "Bravo" in tip.inner_text() and "97.01.01.2002" in tip.inner_text()
             and "Nilai: …" not in tip.inner_text(), what="the tooltip with its value", page=page)
    assert "Nilai: 0,6500" in tip.inner_text()

    # a click selects it: its profile, the URL, the outline in place
    page.mouse.click(*region_point(page, frame, "97.01.01.2002"))
    page.get_by_role("heading", name="Bravo", exact=True).wait_for(timeout=30000)
    wait_for(lambda: query(page).get("pilih") == "97.01.01.2002", what="the selection in the URL", page=page)
    assert wait_for(lambda: frame.evaluate("() => window.sdSelected()") == "97.01.01.2002", what="outline",
                    page=page)
    assert query(page)["tampilan"] == "kisi"
    assert page.external == [], f"requests left the machine: {page.external}"


def test_click_and_drill_on_the_grid_of_kecamatan(server, page):
    page.goto(server.url + "/peta?ind=iks&tahun=2024&tingkat=3&wilayah=97&tampilan=kisi")
    frame = frame_with(page, 3)
    page.mouse.click(*region_point(page, frame, "97.01.01"))
    page.get_by_role("button", name="Masuk ke Satu").click()
    wait_for(lambda: query(page).get("wilayah") == "97.01.01", what="the drill-down in the URL", page=page)
    frame_with(page, 3)  # kecamatan Satu's three villages, still as squares
    assert query(page)["tampilan"] == "kisi" and query(page)["tingkat"] == "4"
    assert page.external == [], f"requests left the machine: {page.external}"


def test_the_toggle_stays_while_presenting(server, page):
    page.goto(server.url + "/peta?ind=iks&tahun=2024&tingkat=4&wilayah=97&tampilan=kisi&mode=presentasi")
    frame_with(page, 8)
    toggle = page.locator(".st-key-peta_tampilan")
    assert toggle.is_visible()
    assert not page.locator(".st-key-peta_ind").is_visible()  # every other widget is hidden
    toggle.locator("button", has_text="Peta").click()
    wait_for(lambda: "tampilan" not in query(page), what="the map again", page=page)
    # the page's map frame, looked up again at every poll: the grid's frame is replaced by the map's, and a
    # frame held from before the swap would never show the scale bar
    wait_for(lambda: feature_count(map_frame(page)) == 8 and map_frame(page).evaluate(
        "() => !!document.querySelector('.leaflet-control-scale')"), what="the geographic map (scale bar)", page=page)
    assert query(page)["mode"] == "presentasi"
    assert page.external == [], f"requests left the machine: {page.external}"


def _map_png(page, view: str):
    """The map PNG the "Ekspor" menu of Peta ``view`` hands over, as RGB pixels."""
    import io
    from pathlib import Path

    import numpy as np
    from PIL import Image

    page.goto(page.server_url + view)
    map_frame(page)
    page.get_by_role("button", name="Ekspor").click()
    with page.expect_download(timeout=90000) as dl:
        page.get_by_role("button", name="Peta (PNG, resolusi tinggi)").click()
    return np.asarray(Image.open(io.BytesIO(Path(dl.value.path()).read_bytes())).convert("RGB"))


def test_the_map_png_draws_the_grid_when_the_grid_is_shown(server, page):
    """Exported as seen: with the grid on, the PNG draws the squares (no sea around them, the grid's note
    beside the legend: tests/test_export.py); without it, the boundaries on the sea."""
    import numpy as np

    from sinergi import export

    page.server_url = server.url
    sea = np.array([int(export.SEA_COLOR[i:i + 2], 16) for i in (1, 3, 5)])
    view = "/peta?ind=iks&tahun=2024&tingkat=4&wilayah=97"
    grid = _map_png(page, view + "&tampilan=kisi")
    assert int((grid == sea).all(axis=2).sum()) == 0
    geographic = _map_png(page, view)
    assert int((geographic == sea).all(axis=2).sum()) > 10_000
    assert page.external == [], f"requests left the machine: {page.external}"

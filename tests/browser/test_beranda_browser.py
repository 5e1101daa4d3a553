from tests.browser.conftest import feature_count, map_frame


def test_overview_map_draws_the_datasets_first_view_offline(server, page):
    page.goto(server.url + "/")
    page.get_by_text("DATA DEMO").first.wait_for(timeout=30000)
    frame = map_frame(page)
    assert feature_count(frame) == 8  # the fixture's one province: its eight villages, not one lone polygon
    assert page.get_by_text("Peta desa/kelurahan Nusa Uji").count() >= 1
    assert frame.evaluate("() => typeof L !== 'undefined' && L.version") == "1.9.3"
    assert page.external == [], f"requests left the machine: {page.external}"

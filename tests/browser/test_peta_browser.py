"""The map explorer in a real browser (Debian's Chromium), every non-local request blocked:
polygons drawn, a click opens the profile without rebuilding the map, drill-down, and the copied
link reopens the same view in a fresh browser context."""

from urllib.parse import parse_qs, urlparse

from tests.browser.conftest import feature_count, guarded_page, map_frame, region_point, wait_for

VIEW = "/peta?ind=iks&tahun=2024&tingkat=4&wilayah=97.01.01"


def query(page) -> dict[str, str]:
    """The page's URL parameters, read in the page (``page.url`` lags between Playwright calls)."""
    return {k: v[0] for k, v in parse_qs(urlparse(page.evaluate("() => location.href")).query).items()}


def heading(page, text: str):
    return page.get_by_role("heading", name=text, exact=True)


def test_click_selects_region_in_place_and_link_reopens_same_view(server, page, browser):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    page.goto(server.url + VIEW)
    frame = map_frame(page)
    assert feature_count(frame) == 3  # kecamatan Satu: Alfa, Bravo, Charlie
    assert heading(page, "Bravo").count() == 0
    frame.evaluate("() => { window.sdMarker = 'same map'; }")  # gone if the map frame is rebuilt

    # a real mouse click on Bravo's polygon (canvas renderer: Leaflet hit-tests the click)
    page.mouse.click(*region_point(page, frame, "97.01.01.2002"))
    heading(page, "Bravo").wait_for(timeout=30000)
    wait_for(lambda: query(page).get("pilih") == "97.01.01.2002", what="the selection in the URL")
    page.get_by_text("Peringkat di kecamatan").wait_for()
    assert page.get_by_role("link", name="Profil lengkap").count() == 1
    # the map was not rebuilt: same frame, same Leaflet objects, selection outlined in place
    assert frame.evaluate("() => window.sdMarker") == "same map"
    assert wait_for(lambda: frame.evaluate("() => window.sdSelected()") == "97.01.01.2002", what="outline")

    # an unrelated widget (the search box) reruns the app but leaves the map alone
    box = page.get_by_role("textbox", name="Cari wilayah (nama atau kode)")
    box.fill("zulu")
    box.press("Enter")
    page.get_by_text("Tidak ada wilayah yang cocok").wait_for()
    assert frame.evaluate("() => window.sdMarker") == "same map"

    # "Salin tautan" copies the view's link; the same link is shown as text
    copy_frame = wait_for(lambda: next((f for f in page.frames if f.locator("#sd-copy").count()), None),
                          what="the copy-link button")
    copy_frame.locator("#sd-copy").click()
    copy_frame.get_by_text("Tautan disalin.").wait_for()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert page.locator(".st-key-peta_link code").first.inner_text().strip() == copied
    assert query(page) == {k: v[0] for k, v in parse_qs(urlparse(copied).query).items()}
    assert copied.startswith(server.url + "/peta?")
    assert page.external == [], f"requests left the machine: {page.external}"

    # a second visitor opens the copied link: same level, region, indicator and selection
    other = guarded_page(browser)
    try:
        other.goto(copied)
        frame2 = map_frame(other)
        assert feature_count(frame2) == 3
        heading(other, "Bravo").wait_for(timeout=30000)
        assert wait_for(lambda: frame2.evaluate("() => window.sdSelected()") == "97.01.01.2002", what="outline")
        assert other.get_by_role("button", name="Satu").is_disabled()  # breadcrumb ends at kecamatan Satu
        assert query(other) == query(page)
        assert other.external == [], f"requests left the machine: {other.external}"
    finally:
        other.context.close()


def test_drill_down_from_provinces_to_villages(server, page):
    page.goto(server.url + "/peta")
    frame = map_frame(page)
    assert feature_count(frame) == 1  # the fixture's one province
    page.mouse.click(*region_point(page, frame, "97"))
    page.get_by_role("button", name="Masuk ke Nusa Uji").click()
    wait_for(lambda: query(page).get("wilayah") == "97", what="the drill-down in the URL")
    frame = wait_for(lambda: (lambda f: f if feature_count(f) == 2 else None)(map_frame(page)),
                     what="the province's two kabupaten/kota")
    page.mouse.click(*region_point(page, frame, "97.71"))
    page.get_by_role("button", name="Masuk ke Kota Uji").click()
    frame = wait_for(lambda: (lambda f: f if feature_count(f) == 1 else None)(map_frame(page)),
                     what="Kota Uji's one kecamatan")
    assert query(page)["tingkat"] == "3"
    page.get_by_role("button", name="Indonesia").click()  # the breadcrumb back to the top
    wait_for(lambda: query(page).get("tingkat") == "1" and "wilayah" not in query(page), what="back at the top")
    assert page.external == [], f"requests left the machine: {page.external}"

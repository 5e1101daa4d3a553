"""URL state of the map explorer: validation on read, transitions, links."""

from dataclasses import replace

import pytest

from sinergi import state

REGIONS = {"97", "97.01", "97.71", "97.01.01", "97.01.02", "97.71.01", "97.01.01.2001", "97.01.01.2002",
           "97.01.01.1003", "97.71.01.2001"}
IND = ["iks", "idm", "status_idm", "pendidikan_sma_pct"]


def years_of(ind: str) -> list[int]:
    return [2024] if ind == "pendidikan_sma_pct" else [2023, 2024]


def read(**params) -> state.PetaState:
    return state.read_peta(params, IND, years_of, REGIONS.__contains__)


def test_defaults_when_url_is_empty():
    s = read()
    assert s == state.PetaState(ind="iks", tahun=2024, tingkat=1, wilayah="", kelas="status", palet="RdYlBu",
                                k=5, cakupan="nasional", pilih="")


def test_valid_url_values_are_kept_and_codes_normalised():
    s = read(ind="pendidikan_sma_pct", tahun="2024", tingkat="4", wilayah="970101", kelas="jenks", palet="PuOr",
             k="7", cakupan="induk", pilih="9701012002")
    assert (s.ind, s.tahun, s.tingkat, s.wilayah, s.kelas, s.palet, s.k, s.cakupan, s.pilih) == (
        "pendidikan_sma_pct", 2024, 4, "97.01.01", "jenks", "PuOr", 7, "induk", "97.01.01.2002")


@pytest.mark.parametrize("params, field, expected", [
    ({"ind": "<script>"}, "ind", "iks"),
    ({"ind": "pendidikan_sma_pct", "tahun": "2023"}, "tahun", 2024),  # year without data for it
    ({"tahun": "1800"}, "tahun", 2024),
    ({"tingkat": "9"}, "tingkat", 1),
    ({"tingkat": "4"}, "tingkat", 1),  # villages of the whole country are not drawn
    ({"tingkat": "3"}, "tingkat", 1),
    ({"wilayah": "97", "tingkat": "1"}, "tingkat", 2),  # a province's children start at level 2
    ({"kelas": "status", "ind": "pendidikan_sma_pct"}, "kelas", "kuantil"),  # not an IDM index
    ({"kelas": "magic"}, "kelas", "status"),
    ({"palet": "Jet"}, "palet", "RdYlBu"),
    ({"k": "2"}, "k", 5), ({"k": "8"}, "k", 5), ({"k": "x"}, "k", 5),
    ({"cakupan": "dunia"}, "cakupan", "nasional"),
    ({"wilayah": "12.34"}, "wilayah", ""),  # not in the dataset
    ({"wilayah": "97.01.09", "tingkat": "3"}, "wilayah", "97.01"),  # falls back to the nearest ancestor
    ({"wilayah": "97.01.01.2001"}, "wilayah", "97.01.01"),  # a village has no children to draw
    ({"wilayah": "'; drop table regions"}, "wilayah", ""),
    ({"pilih": "97.01"}, "pilih", ""),  # not at the drawn level (provinces)
    ({"wilayah": "97.71", "tingkat": "3", "pilih": "97.01.01"}, "pilih", ""),  # outside the parent
    ({"wilayah": "97.01.01", "tingkat": "4", "pilih": "97.01.01.2999"}, "pilih", ""),  # unknown
])
def test_bad_values_fall_back(params, field, expected):
    assert getattr(read(**params), field) == expected


def test_levels_below():
    assert state.levels_below("") == (1, 2)
    assert state.levels_below("97") == (2, 3, 4)
    assert state.levels_below("97.01") == (3, 4)
    assert state.levels_below("97.01.01") == (4,)
    assert state.levels_below("97.01.01.2001") == ()


def test_national_kecamatan_and_villages_need_tiles():
    assert state.levels_below("", tiled=(3, 4)) == (1, 2, 3, 4)
    assert state.levels_below("", tiled=(4,)) == (1, 2, 4)
    assert state.levels_below("97", tiled=()) == (2, 3, 4)  # within a province: GeoJSON is light enough
    params = {"ind": "iks", "tingkat": "4"}
    years = lambda ind: [2024]  # noqa: E731
    assert state.read_peta(params, ["iks"], years, lambda k: True, tiled=(3, 4)).tingkat == 4
    assert state.read_peta(params, ["iks"], years, lambda k: True).tingkat == 1  # a file without tiles


def test_drill_up_goto_select():
    s = read()
    s1 = state.drill(replace(s, pilih="97"), "97")
    assert (s1.wilayah, s1.tingkat, s1.pilih) == ("97", 2, "")
    s2 = state.drill(s1, "97.01")
    s3 = state.drill(s2, "97.01.01")
    assert (s3.wilayah, s3.tingkat) == ("97.01.01", 4)
    assert state.drill(s3, "97.01.01.2001").pilih == "97.01.01.2001"  # villages are leaves: select only
    back = state.up(s3, "97")
    # back in the province's kabupaten, with the kabupaten we came from selected
    assert (back.wilayah, back.tingkat, back.pilih) == ("97", 2, "97.01")
    top = state.up(s3, "")
    assert (top.wilayah, top.tingkat, top.pilih) == ("", 1, "97")
    g = state.goto(s, "9771012001")
    assert (g.wilayah, g.tingkat, g.pilih) == ("97.71.01", 4, "97.71.01.2001")
    g = state.goto(s3, "97")
    assert (g.wilayah, g.tingkat, g.pilih) == ("", 1, "97")
    assert state.select(s3, "97.01.01.2002").pilih == "97.01.01.2002"
    assert state.select(s3, "97.71.01.2001") == s3  # not on this map: ignored
    assert state.select(s3, "97") == s3
    assert state.select(replace(s3, pilih="97.01.01.2001"), "").pilih == ""


def test_breadcrumb():
    assert state.breadcrumb("") == [""]
    assert state.breadcrumb("97.01.01") == ["", "97", "97.01", "97.01.01"]


def test_write_keeps_links_short_but_complete():
    url: dict = {"lang": "en"}
    s = read()
    state.write_peta(url, s)
    # indicator, year and level always; defaults of the rest left out; other keys untouched
    assert url == {"lang": "en", "ind": "iks", "tahun": "2024", "tingkat": "1"}
    s2 = replace(s, wilayah="97.01", tingkat=4, kelas="jenks", palet="BrBG", k=4, cakupan="induk",
                 pilih="97.01.01.2001")
    state.write_peta(url, s2)
    assert url == {"lang": "en", "ind": "iks", "tahun": "2024", "tingkat": "4", "wilayah": "97.01",
                   "kelas": "jenks", "palet": "BrBG", "k": "4", "cakupan": "induk", "pilih": "97.01.01.2001"}
    assert read(**url) == s2  # the link reads back to the same view
    state.write_peta(url, s)
    assert "pilih" not in url and "wilayah" not in url and "kelas" not in url


def test_default_class_method_follows_the_indicator():
    assert read(ind="idm").kelas == "status"
    assert read(ind="status_idm").kelas == "status"
    assert read(ind="pendidikan_sma_pct").kelas == "kuantil"
    assert "status" not in state.kelas_allowed("pendidikan_sma_pct")


def test_share_url():
    params = {"ind": "iks", "tahun": "2024", "pilih": "97.01.01.2001", "lang": "en"}
    assert state.share_url("http://10.0.0.5:8501/", "peta", params) == (
        "http://10.0.0.5:8501/peta?ind=iks&tahun=2024&pilih=97.01.01.2001&lang=en")
    assert state.share_url(None, "peta", {}) == "/peta"
    assert state.share_url("http://10.0.0.5:8501/peta", "peta", {"k": "3"}) == "http://10.0.0.5:8501/peta?k=3"
    assert state.share_url("http://h/sd/peta/", "peta", {}) == "http://h/sd/peta"
    assert state.share_url("http://h/app", "peta", {"q": "a b&c"}) == "http://h/app/peta?q=a+b%26c"


def test_a_bare_url_opens_on_the_datasets_home_view():
    ids, years = ["iks"], (lambda i: [2023, 2024])
    exists = {"32", "32.01", "32.01.01"}.__contains__
    s = state.read_peta({}, ids, years, exists, home=("32", 2))
    assert (s.wilayah, s.tingkat) == ("32", 2)
    s = state.read_peta({"tingkat": "1"}, ids, years, exists, home=("32", 2))  # Indonesia, asked for
    assert (s.wilayah, s.tingkat) == ("", 1)
    s = state.read_peta({"wilayah": "32.01"}, ids, years, exists, home=("32", 2))  # a parent, its first level
    assert (s.wilayah, s.tingkat) == ("32.01", 3)
    s = state.read_peta({}, ids, years, exists, home=("33", 2))  # a home that is not there: Indonesia
    assert (s.wilayah, s.tingkat) == ("", 2)
    assert state.read_peta({}, ids, years, exists).tingkat == 1  # no home given: the provinces

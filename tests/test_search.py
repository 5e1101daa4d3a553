"""Region search: tolerant of case, spacing and prefix words; codes dotted or not."""

import shutil

import pytest

from sinergi import search
from sinergi.regions import LEVEL_NAMES


@pytest.fixture(scope="module")
def tiny_data_dir(tiny_db, tmp_path_factory):
    """A data folder whose active dataset is the tiny fixture (one per module: opening costs ~0.5 s)."""
    d = tmp_path_factory.mktemp("search-data")
    shutil.copy(tiny_db, d / "demo.duckdb")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SINERGI_DATA_DIR", str(d))
        yield d


def codes(text: str) -> list[str]:
    return search.search(text)["kode"].tolist()


@pytest.mark.parametrize("raw, folded", [
    ("Alfa", "alfa"), ("  ALFA  ", "alfa"), ("Desa Alfa", "alfa"), ("desa   al fa", "alfa"),
    ("Kel. Charlie", "charlie"), ("KAB.  Tanjung   Lemora", "tanjunglemora"), ("Kota Uji", "uji"),
    ("Kec.Satu", "satu"), ("Kelapa Dua", "kelapadua"),  # "Kel" only as a whole word
])
def test_fold(raw, folded):
    assert search.fold(raw) == folded


def test_asked_jenis_and_codes():
    assert search.asked_jenis("Kel. Charlie") == "kelurahan"
    assert search.asked_jenis("kab uji") == "kabupaten"
    assert search.asked_jenis("Kelapa Dua") == ""
    assert search.as_code("9701012001") == "97.01.01.2001"
    assert search.as_code(" 97.01 ") == "97.01"
    assert search.as_code("97.01.01.2001x") == ""
    assert search.as_code("Alfa") == ""


@pytest.mark.parametrize("text", ["Alfa", "alfa", "ALFA", "  alfa ", "Desa Alfa", "desa  alfa", "DS. ALFA",
                                  "al fa"])
def test_name_found_whatever_the_case_spacing_or_prefix(tiny_data_dir, text):
    assert codes(text) == ["97.01.01.2001"]
    assert search.best(search.search(text)) == "97.01.01.2001"


@pytest.mark.parametrize("text", ["9701012001", "97.01.01.2001", "97 01 01 2001"])
def test_code_found_dotted_or_not(tiny_data_dir, text):
    hits = search.search(text)
    assert hits["kode"].tolist() == ["97.01.01.2001"] and hits["skor"].tolist() == [0]


def test_prefix_word_prefers_that_kind_of_region(tiny_data_dir):
    # "Kabupaten Uji" and "Kota Uji" both fold to "uji"; the prefix word decides which comes first
    assert codes("Kab. Uji")[:2] == ["97.01", "97.71"]
    assert codes("kota uji")[:2] == ["97.71", "97.01"]
    assert search.best(search.search("Kota Uji")) == "97.71"
    assert search.best(search.search("uji")) == ""  # two equally good answers: the user chooses
    assert codes("Kec. Satu") == ["97.01.01"]


def test_partial_names_and_no_match(tiny_data_dir):
    hits = search.search("ch")
    # Charlie starts with "ch", "Echo <b>" only contains it
    assert hits["kode"].tolist() == ["97.01.01.1003", "97.01.02.2002"] and hits["skor"].tolist() == [3, 4]
    assert search.search("zulu").empty
    assert search.search("a").empty  # too short
    assert search.search("").empty


def test_markup_in_names_is_matched_as_text(tiny_data_dir):
    assert codes("echo <b>") == ["97.01.02.2002"]


def test_describe(tiny_data_dir):
    row = search.search("bravo").iloc[0]
    assert search.describe(row, LEVEL_NAMES) == "Bravo (desa, 97.01.01.2002) — Satu, Kabupaten Uji, Nusa Uji"
    kab = search.search("Kota Uji").iloc[0]
    assert search.describe(kab, LEVEL_NAMES) == "Kota Uji (kota, 97.71) — Nusa Uji"

"""Every map page opens where Peta opens (``explore.home_view``): on a one-province dataset in that province, on
a one-kabupaten dataset in that kabupaten, at the level Peta draws there; on a dataset of several provinces on
the whole dataset, as before. The URL names the region; "Semua" is written as ``wil=semua``, so a link to the
national view stays national (AppTest on the tiny fixtures, tests/fixtures.py)."""

import shutil

import pytest
from apptest import open_page, param
from legends import map_legends

# page, widget key prefix, the level it opens on over the whole dataset
PAGES = [("pages/ketahanan_sosial.py", "ks", 2), ("pages/kapasitas_sdm.py", "sdm", 2),
         ("pages/jaringan_sosial.py", "jr", 2), ("pages/sinergi_program.py", "sp", 2),
         ("pages/hotspot.py", "hs", 3), ("pages/indeks_kustom.py", "ci", 3), ("pages/perubahan.py", "ch", 2)]
IDS = [p[1] for p in PAGES]


def _folder(tmp_path_factory, name, dataset):
    """A data folder whose active dataset is ``dataset`` with a programme count per village (2024), so
    Sinergi Program has a map to draw."""
    import pandas as pd

    from sinergi import build

    villages = dataset["regions"].loc[dataset["regions"]["level"] == 4, "kode"]
    counts = dataset["program"]["kode_desa"].value_counts()
    jumlah = pd.DataFrame({"kode": villages, "tahun": 2024, "indikator": "jumlah_program",
                           "nilai": [float(counts.get(k, 0)) for k in villages], "flag": None})
    dataset = {**dataset, "nilai": pd.concat([dataset["nilai"], jumlah], ignore_index=True)}
    d = tmp_path_factory.mktemp(name)
    build.write_database(d / "x.duckdb", **dataset)
    shutil.move(d / "x.duckdb", d / "demo.duckdb")
    return d


@pytest.fixture(scope="module")
def one_prov_dir(tmp_path_factory):
    from fixtures import tiny_dataset

    return _folder(tmp_path_factory, "satu-prov", tiny_dataset())


@pytest.fixture()
def one_prov(one_prov_dir, monkeypatch):
    monkeypatch.setenv("SINERGI_DATA_DIR", str(one_prov_dir))


@pytest.fixture(scope="module")
def one_kab_dir(tmp_path_factory):
    from fixtures import one_kabupaten_dataset

    return _folder(tmp_path_factory, "satu-kab", one_kabupaten_dataset())


@pytest.fixture(scope="module")
def two_prov_dir(tmp_path_factory):
    from fixtures import two_province_dataset

    return _folder(tmp_path_factory, "dua-prov", two_province_dataset())


def _regions_drawn(at) -> int:
    """How many regions the page's first map draws, as its legend counts them (classes and no data)."""
    spec = map_legends(at)[0]
    return sum(int(n) for *_, n in spec["rows"]) + int(spec["noData"][-1])  # small counts: plain digits


def _region_button(at) -> str:
    """The label of the region picker's button (the first popover of the controls row)."""
    return at.get("popover")[0].proto.popover.label


@pytest.mark.parametrize("page,key,_national", PAGES, ids=IDS)
def test_one_province_opens_on_its_villages(one_prov, page, key, _national):
    at = open_page(page)  # the tiny fixture: one province (97) with 8 villages; Peta opens on them
    assert at.selectbox(key=f"{key}_wil_l1_root").value == "97"
    assert at.selectbox(key=f"{key}_tingkat").value == 4
    assert param(at, "wil") == "97"  # the URL names the region
    assert _regions_drawn(at) == 8  # the villages, not one lone province
    assert _region_button(at) == "Nusa Uji"


@pytest.mark.parametrize("page,key,national", PAGES, ids=IDS)
def test_a_link_to_the_national_view_stays_national(one_prov, page, key, national):
    at = open_page(page, {"wil": "semua"})
    assert at.selectbox(key=f"{key}_wil_l1_root").value == ""
    assert at.selectbox(key=f"{key}_tingkat").value == national
    assert param(at, "wil") == "semua" and _region_button(at) == "Semua"
    at.run()  # and again: the link keeps saying so
    assert param(at, "wil") == "semua" and at.selectbox(key=f"{key}_wil_l1_root").value == ""


@pytest.mark.parametrize("page,key,_national", PAGES, ids=IDS)
def test_choosing_all_regions_writes_the_national_view(one_prov, page, key, _national):
    at = open_page(page)
    at.selectbox(key=f"{key}_wil_l1_root").set_value("").run()
    assert not at.exception
    assert param(at, "wil") == "semua"
    assert at.selectbox(key=f"{key}_wil_l1_root").value == ""
    assert param(at, "tingkat") == "4"  # the villages shown stay, now of the whole dataset, and the URL says so
    at.selectbox(key=f"{key}_wil_l1_root").set_value("97").run()  # and back into the province
    assert param(at, "wil") == "97" and at.selectbox(key=f"{key}_tingkat").value == 4


@pytest.mark.parametrize("page,key,_national", PAGES, ids=IDS)
def test_one_kabupaten_opens_on_its_villages(one_kab_dir, monkeypatch, page, key, _national):
    monkeypatch.setenv("SINERGI_DATA_DIR", str(one_kab_dir))
    at = open_page(page)  # kabupaten 97.01 alone: its 5 villages
    assert at.selectbox(key=f"{key}_wil_l2_97").value == "97.01"
    assert at.selectbox(key=f"{key}_tingkat").value == 4
    assert param(at, "wil") == "97.01"
    assert _regions_drawn(at) == 5
    assert _region_button(at) == "Kabupaten Uji"


@pytest.mark.parametrize("page,key,national", PAGES, ids=IDS)
def test_several_provinces_open_on_the_whole_dataset_as_before(two_prov_dir, monkeypatch, page, key, national):
    monkeypatch.setenv("SINERGI_DATA_DIR", str(two_prov_dir))
    at = open_page(page)
    assert at.selectbox(key=f"{key}_wil_l1_root").value == ""
    assert at.selectbox(key=f"{key}_tingkat").value == national
    assert param(at, "wil") is None  # a bare URL, as before: "Semua" is the first view here
    at.selectbox(key=f"{key}_wil_l1_root").set_value("98").run()
    at.selectbox(key=f"{key}_wil_l1_root").set_value("").run()
    assert param(at, "wil") is None

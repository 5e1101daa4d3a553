"""AppTest of the analysis pages on the tiny fixture, opened with URL parameters, with known answers.

Tiny fixture (tests/fixtures.py), IKS = IDM 2024: Alfa .50, Bravo .65, Delta .75, Echo .85 (kabupaten 97.01),
Foxtrot .40, Golf .92, Hotel .60 (kota 97.71); Charlie is a kelurahan without IKS. 2023: Alfa .45, Bravo .60,
Delta .72, Echo .80, Foxtrot .40, Golf .90, Hotel .55. Education 2024: Alfa 60, Bravo 55, Charlie 60,
Delta 55, Echo 50, Foxtrot 45, Golf 40, Hotel 35. Villages are unit squares on a 4 × 2 grid.
"""


from apptest import open_page as _open


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _param(at, name):
    v = at.query_params.get(name)
    return v[0] if isinstance(v, list) else v


def _frames(at):
    return [d.value for d in at.dataframe]


# --- Hotspot ---------------------------------------------------------------------------------------

def test_hotspot_kecamatan_global_moran_of_three_mutual_neighbours(tiny_data_dir):
    # three kecamatan that all touch each other: Moran's I = −1/(n − 1) = −0.5 whatever the values,
    # and every permutation reproduces the observation, so nothing is significant
    at = _open("pages/hotspot.py", {"tingkat": "3"})
    m = _metrics(at)
    assert m["Moran's I global"] == "-0,500"
    assert m["Wilayah diuji"] == "3"
    assert m["Daftar sasaran"] == "0"
    assert at.selectbox(key="hs_tingkat").value == 3 and at.selectbox(key="hs_ind").value == "iks"


def test_hotspot_villages_match_esda_and_url_state(tiny_data_dir, tiny_con):
    import warnings

    from esda.moran import Moran

    from sinergi import db, hotspot
    from sinergi.i18n import fmt_num

    at = _open("pages/hotspot.py", {"tingkat": "4", "metode": "gi", "alpha": "0.1", "fdr": "1"})
    geo = db.run_query(tiny_con, "region_geometry_wkb", level=4, induk="", penuh=False)
    w = hotspot.contiguity(geo["kode"], hotspot.geometries_from_wkb(geo["wkb"]))
    keep = [k for k in geo["kode"] if k != "97.01.01.1003"]  # Charlie has no IKS
    iks = {"97.01.01.2001": .50, "97.01.01.2002": .65, "97.01.02.2001": .75, "97.01.02.2002": .85,
           "97.71.01.2001": .40, "97.71.01.2002": .92, "97.71.01.2003": .60}
    sub = w.subgraph(keep)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = Moran([iks[k] for k in sub.unique_ids], sub.transform("r"), permutations=0).I
    m = _metrics(at)
    assert m["Moran's I global"] == fmt_num(expected, 3)
    assert m["Wilayah diuji"] == "7"
    assert at.selectbox(key="hs_metode").value == "gi" and at.selectbox(key="hs_alpha").value == 0.1
    assert at.checkbox(key="hs_fdr").value is True
    at.selectbox(key="hs_metode").set_value("lisa").run()
    assert not at.exception and _param(at, "metode") is None  # the default is dropped from the URL
    # villages are the first level of this one-province dataset (as on Peta): the URL names the province only
    assert _param(at, "tingkat") is None and _param(at, "wil") == "97"


def test_hotspot_bad_url_values_fall_back_and_english(tiny_data_dir):
    at = _open("pages/hotspot.py", {"ind": "<script>", "tingkat": "2", "metode": "x", "alpha": "0.5",
                                    "tahun": "1900", "lang": "en"})
    assert at.selectbox(key="hs_ind").value == "iks" and at.selectbox(key="hs_tingkat").value == 4  # the first level
    assert at.selectbox(key="hs_metode").value == "lisa" and at.selectbox(key="hs_alpha").value == 0.05
    assert at.selectbox(key="hs_tahun").value == 2024
    assert "Global Moran's I" in _metrics(at)


# --- Custom index ----------------------------------------------------------------------------------

def test_custom_index_ranking_from_the_url_recipe(tiny_data_dir):
    # IKS and education, min–max over the 7 villages with both, equal weights:
    # Delta .7365, Echo .7327, Bravo .6404, Golf .6000, Alfa .5962, Foxtrot .2000, Hotel .1923
    at = _open("pages/indeks_kustom.py", {"ind": "iks:1,pendidikan_sma_pct:1", "tingkat": "4"})
    ranking = _frames(at)[-1]
    assert ranking["Nama"].tolist() == ["Delta", "Echo <b>", "Bravo", "Golf", "Alfa", "Foxtrot", "Hotel"]
    assert ranking["Indeks kustom"].tolist() == ["0,7365", "0,7327", "0,6404", "0,6000", "0,5962", "0,2000",
                                                 "0,1923"]  # shown with the decimal comma
    assert _metrics(at)["Wilayah dengan semua indikator"] == "7"
    assert at.multiselect(key="ci_ind").value == ["iks", "pendidikan_sma_pct"]


def test_custom_index_single_indicator_is_fully_robust_and_weights_write_the_url(tiny_data_dir):
    at = _open("pages/indeks_kustom.py", {"ind": "iks:3", "tingkat": "4", "norm": "z"})
    robust = _frames(at)[0]
    assert robust["+10%"].tolist() == ["0"] and robust["−10%"].tolist() == ["0"]
    assert _metrics(at)["Kelas stabil di semua uji"].startswith("7 ")
    assert _frames(at)[-1]["Nama"].tolist()[0] == "Golf"
    at.multiselect(key="ci_ind").set_value(["iks", "pendidikan_sma_pct"]).run()
    at.number_input(key="ci_w_pendidikan_sma_pct").set_value(2.0).run()
    at.checkbox(key="ci_b_pendidikan_sma_pct").check().run()
    assert not at.exception
    assert _param(at, "ind") == "iks:3,pendidikan_sma_pct:2:balik"
    assert _param(at, "norm") == "z"


def test_custom_index_bad_recipe_falls_back_to_the_default(tiny_data_dir):
    at = _open("pages/indeks_kustom.py", {"ind": "<script>:1,iks:-4", "norm": "log", "lang": "en"})
    # the default recipe limited to what the dataset has (no institution density in the fixture)
    assert at.multiselect(key="ci_ind").value == ["iks", "pendidikan_sma_pct"]
    assert at.number_input(key="ci_w_iks").value == 2.0
    assert at.selectbox(key="ci_norm").value == "minmax"


# --- Change over time ------------------------------------------------------------------------------

def test_change_counts_and_largest_changes(tiny_data_dir):
    # 2023 → 2024: +.05 Alfa, Bravo, Echo, Hotel; +.03 Delta; +.02 Golf; 0 Foxtrot. Scale = .05:
    # edges ±.01, ±.03 → six improved (Delta's .03 sits on an edge: the inner class), Foxtrot the same
    at = _open("pages/perubahan.py", {"dari": "2023", "ke": "2024", "tingkat": "4"})
    m = _metrics(at)
    assert (m["Membaik"], m["Relatif tetap"], m["Memburuk"]) == ("6", "1", "0")
    assert m["Median perubahan"] == "+0,0500"
    best = _frames(at)[0]
    assert best["Nama"].tolist()[:4] == ["Alfa", "Bravo", "Echo <b>", "Hotel"]
    assert at.select_slider(key="ch_tahun").value == 2024


def test_change_year_slider_writes_the_url_and_same_year_is_explained(tiny_data_dir):
    at = _open("pages/perubahan.py", {"dari": "2024", "ke": "2024"})
    assert any("Pilih dua tahun yang berbeda" in i.value for i in at.info)
    at.select_slider(key="ch_tahun").set_value(2023).run()
    assert not at.exception and _param(at, "tahun") == "2023"


# --- Gap to the next status ------------------------------------------------------------------------

def test_gap_counts_close_villages_per_region(tiny_data_dir):
    # gaps: Bravo .0573 (→ .7073), Delta .0656 (→ .8156), Foxtrot .0908 (→ .4908), Alfa .0990 (→ .5990),
    # Hotel .1073; Echo and Golf are Mandiri
    at = _open("pages/kesenjangan.py", {"dekat": "0.1"})
    m = _metrics(at)
    assert (m["Desa dengan IDM"], m["Desa dekat naik status"], m["Sudah Mandiri"]) == ("7", "4", "2")
    per_region = _frames(at)[0].set_index("Kode")
    assert per_region.loc["97.01", "Desa dekat naik status"] == "3"
    assert per_region.loc["97.71", "Desa dekat naik status"] == "1"
    villages = _frames(at)[1]
    assert villages["Nama"].tolist() == ["Bravo", "Delta", "Foxtrot", "Alfa", "Hotel", "Echo <b>", "Golf"]
    assert villages["Kekurangan skor"].tolist()[:2] == ["0,0573", "0,0656"]


def test_gap_threshold_and_grouping_from_the_url(tiny_data_dir):
    at = _open("pages/kesenjangan.py", {"dekat": "0.05", "per": "kec", "wil": "97.71"})
    assert _metrics(at)["Desa dekat naik status"] == "0"
    assert at.selectbox(key="gp_per").value == "kec"
    assert _frames(at)[0]["Kecamatan"].tolist() == ["Tiga"]
    bad = _open("pages/kesenjangan.py", {"dekat": "9", "per": "x"})
    assert bad.selectbox(key="gp_dekat").value == 0.02 and bad.selectbox(key="gp_per").value == "kab"


def test_agenda_keeps_the_analysis_pages_url_state():
    """"Simpan ke agenda" keeps each analysis page's view; implausible values are dropped."""
    from sinergi import agenda as ag

    assert ag.clean_params("indeks", {"ind": "iks:2,pendidikan_sma_pct:1:balik", "norm": "z", "k": "4",
                                      "lang": "en"}) == {"ind": "iks:2,pendidikan_sma_pct:1:balik", "norm": "z",
                                                         "k": "4"}
    assert ag.clean_params("indeks", {"ind": "iks:2,x:1", "norm": "log"}) == {}
    assert ag.clean_params("hotspot", {"ind": "iks", "metode": "gi", "alpha": "0.01", "fdr": "1", "tingkat": "4"}) \
        == {"ind": "iks", "metode": "gi", "alpha": "0.01", "fdr": "1", "tingkat": "4"}
    assert ag.clean_params("hotspot", {"metode": "kriging", "alpha": "0.5"}) == {}
    assert ag.clean_params("perubahan", {"dari": "2019", "ke": "2024", "tahun": "2020"}) == {
        "dari": "2019", "ke": "2024", "tahun": "2020"}
    assert ag.clean_params("kesenjangan", {"dekat": "0.1", "per": "kec", "n": "5"}) == {
        "dekat": "0.1", "per": "kec", "n": "5"}

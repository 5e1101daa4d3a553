"""AppTest of the theme, profile and compare pages on the tiny fixture, opened with URL parameters.

Known answers (tests/fixtures.py, 2024): IKS Alfa .50, Bravo .65, Delta .75, Echo .85 (kabupaten 97.01),
Foxtrot .40, Golf .92, Hotel .60 (kota 97.71); Charlie is a kelurahan without IDM. Upper-secondary
education (%) 2024: Alfa 60, Bravo 55, Charlie 60, Delta 55, Echo 50, Foxtrot 45, Golf 40, Hotel 35.
Programmes 2024: Alfa Kemensos + BRIN, Golf Kemenkes.
"""


import pytest
from apptest import open_page as _open
from legends import map_legends


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _param(at, name):
    v = at.query_params.get(name)
    return v[0] if isinstance(v, list) else v


def _frames(at):
    return [d.value for d in at.dataframe]


def _num(text) -> float:
    """A number displayed Indonesian-style ("1.234,5") back to a float."""
    return float(str(text).replace(".", "").replace(",", "."))


# --- Ketahanan Sosial ------------------------------------------------------------------------------

def test_ketahanan_transitions_and_ranking_in_the_kota(tiny_data_dir):
    at = _open("pages/ketahanan_sosial.py", {"wil": "97.71", "dari": "2023", "ke": "2024", "tingkat": "4"})
    # Foxtrot 1→1, Golf 5→5, Hotel 2→3
    m = _metrics(at)
    assert (m["Naik status"], m["Tetap"], m["Turun status"]) == ("1", "2", "0")
    assert at.selectbox(key="ks_wil_l2_97").value == "97.71"
    ranking = _frames(at)[-1]
    assert ranking["Nama"].tolist() == ["Golf", "Hotel", "Foxtrot"]  # 3 villages: listed once each
    assert ranking["Kelompok"].tolist() == ["Teratas", "Teratas", "Teratas"]
    assert ranking["Peringkat"].tolist() == [1, 2, 3]
    matrix = _frames(at)[0]
    # tables show numbers as Indonesian text (issue 6); downloads keep them numeric
    assert matrix.loc["Tertinggal", "Berkembang"] == "1" and sum(_num(x) for x in matrix.to_numpy().ravel()) == 3


def test_ketahanan_top_and_bottom_n_and_url_writeback(tiny_data_dir):
    at = _open("pages/ketahanan_sosial.py", {"tingkat": "4", "n": "3"})
    ranking = _frames(at)[-1]
    assert ranking["Nama"].tolist() == ["Golf", "Echo <b>", "Delta", "Foxtrot", "Alfa", "Hotel"]
    assert ranking["Kelompok"].tolist() == ["Teratas"] * 3 + ["Terbawah"] * 3
    assert ranking["Peringkat"].tolist() == [1, 2, 3, 7, 6, 5]
    at.number_input(key="ks_n").set_value(5).run()
    assert _param(at, "n") == "5"
    assert len(_frames(at)[-1]) == 7  # 5 best, then the 2 remaining villages (none listed twice)


def test_ketahanan_bad_url_values_fall_back_and_english(tiny_data_dir):
    at = _open("pages/ketahanan_sosial.py", {"ind": "<script>", "tahun": "1800", "wil": "99.99", "n": "999",
                                             "lang": "en"})
    assert at.selectbox(key="ks_ind").value == "iks"
    assert at.selectbox(key="ks_tahun").value == 2024
    assert at.selectbox(key="ks_wil_l1_root").value == ""
    assert at.number_input(key="ks_n").value == 10
    m = _metrics(at)
    assert m["Moved up"] == "3" and m["Unchanged"] == "4"  # 2019 is absent: first year 2023 → 2024
    assert at.title[0].value == "Social resilience"


def test_ketahanan_status_indicator_shows(tiny_data_dir):
    at = _open("pages/ketahanan_sosial.py", {"ind": "status_idm"})
    assert at.selectbox(key="ks_ind").value == "status_idm"
    assert any("Status IDM" in s.value for s in at.subheader)


# --- Kapasitas SDM ---------------------------------------------------------------------------------

def test_kapasitas_quadrants_and_low_low_list(tiny_data_dir):
    at = _open("pages/kapasitas_sdm.py", {"wil": "97", "tingkat": "4"})
    # medians over the 7 desa: education 50 %, IKS .65; low = strictly below
    (legend,) = map_legends(at)  # the quadrants and their counts, on the map
    assert [(label, n) for _, label, n in legend["rows"]] == [
        ("SDM rendah, IKS rendah", "2"), ("SDM rendah, IKS tinggi", "1"), ("SDM tinggi, IKS rendah", "1"),
        ("SDM tinggi, IKS tinggi", "3")]
    low = _frames(at)[0]
    assert low["Nama"].tolist() == ["Foxtrot", "Hotel"]
    assert at.radio(key="sdm_peta").value == "kuadran"


def test_kapasitas_map_mode_goes_to_the_url(tiny_data_dir):
    at = _open("pages/kapasitas_sdm.py", {"wil": "97.01", "peta": "indikator"})
    assert at.radio(key="sdm_peta").value == "indikator"
    at.radio(key="sdm_peta").set_value("kuadran").run()
    assert _param(at, "peta") is None  # back to the default: dropped from the link


# --- Jaringan Sosial -------------------------------------------------------------------------------

def test_jaringan_measures_and_graph_for_a_kecamatan(tiny_data_dir):
    at = _open("pages/jaringan_sosial.py", {"wil": "97.01.01", "ind": "jejaring_derajat"})
    assert at.selectbox(key="jr_ind").value == "jejaring_derajat"
    table = _frames(at)[0]
    assert table["Nama"].tolist()[:2] == ["Alfa", "Bravo"]
    assert table.iloc[0]["Derajat jejaring desa (ikatan)"] == "2"
    assert table.iloc[1]["Derajat jejaring desa (ikatan)"] == "1"
    assert not [i for i in at.info if "Pilih kabupaten" in i.value]  # the graph is drawn


def test_jaringan_asks_for_a_region_before_drawing_a_graph(tiny_data_dir):
    at = _open("pages/jaringan_sosial.py", {"wil": "97"})
    assert any("Pilih kabupaten/kota atau kecamatan" in i.value for i in at.info)


# --- Sinergi Program -------------------------------------------------------------------------------

def test_sinergi_targeting_list(tiny_data_dir):
    at = _open("pages/sinergi_program.py", {"maks": "2"})
    assert _metrics(at)["Desa sasaran"] == "2"
    target = _frames(at)[-1]
    assert target["Nama"].tolist() == ["Foxtrot", "Alfa"]
    assert target["Kementerian/lembaga hadir"].tolist() == ["", "BRIN, Kemensos"]
    at.number_input(key="sp_maks").set_value(1).run()
    assert _metrics(at)["Desa sasaran"] == "1"
    assert _param(at, "maks") is None  # 1 is the default


def test_sinergi_within_a_region_and_co_presence(tiny_data_dir):
    at = _open("pages/sinergi_program.py", {"wil": "97.01", "maks": "0"})
    assert _metrics(at)["Desa sasaran"] == "0"  # Alfa (the only low one in 97.01) has two programmes
    village_table = _frames(at)[0]
    assert village_table["kode_desa"].tolist() == ["97.01.01.2001"]
    assert village_table.iloc[0]["n_kementerian"] == "2"


# --- Profil ----------------------------------------------------------------------------------------

def test_profil_village_status_next_status_percentiles_institutions(tiny_data_dir):
    at = _open("pages/profil_desa.py", {"kode": "9701012001"})  # 10-digit form is normalised
    m = _metrics(at)
    assert m["Status IDM"] == "Tertinggal" and m["Status berikutnya"] == "Berkembang"
    text = "\n".join(x.value for x in at.markdown)
    assert "0,5990" in text and "0,0990" in text
    indicators = _frames(at)[0].set_index("Indikator")
    assert indicators.loc["Indeks Ketahanan Sosial (IKS)", "Persentil nasional"] == "29"  # 2 of 7 ≤ .50
    assert indicators.loc["Indeks Ketahanan Sosial (IKS)", "Persentil di kabupaten"] == "25"  # 1 of 4
    frames = _frames(at)
    institutions = next(f for f in frames if "mitra" in f.columns)
    assert institutions["nama"].tolist() == ["Karang Taruna Alfa"]
    assert institutions["mitra"].tolist() == ["Universitas Uji"]
    programmes = next(f for f in frames if "kementerian" in f.columns)
    assert sorted(programmes["kementerian"]) == ["BRIN", "Kemensos"]
    similar = next(f for f in frames if "jarak" in f.columns)
    assert "97.01.01.2001" not in set(similar["kode"])
    assert all(k.startswith("97.01.") for k in similar["kode"])
    assert similar["tautan"].iloc[0].startswith("profil?kode=97.01.")


def test_profil_of_a_kota_uses_the_aggregated_idm(tiny_data_dir):
    at = _open("pages/profil_desa.py", {"kode": "97.71", "lang": "en"})
    m = _metrics(at)
    # kota IDM = (0.40 + 0.92 + 0.60) / 3 = 0.64 → Developing; Advanced from 0.7073
    assert m["IDM status"] == "Developing" and m["Next status"] == "Advanced"
    assert at.selectbox(key="pf_kode_l2_97").value == "97.71"


def test_profil_unknown_code_asks_to_choose(tiny_data_dir):
    at = _open("pages/profil_desa.py", {"kode": "32.01.99.9999"})
    assert any("Pilih wilayah" in i.value for i in at.info)


# --- Bandingkan ------------------------------------------------------------------------------------

def test_bandingkan_two_kabupaten_differences(tiny_data_dir):
    at = _open("pages/bandingkan.py", {"kode": "97.01,97.71"})
    assert at.multiselect(key="bd_pick_2").value == ["97.01", "97.71"]
    table = _frames(at)[0].set_index("Indikator")
    row = table.loc["Indeks Ketahanan Sosial (IKS)"]
    assert row["Kabupaten Uji"] == "0,7125"  # Indonesian decimal comma in the displayed table (issue 6)
    assert _num(row["Kota Uji"]) == pytest.approx(0.64)
    assert _num(row["Δ Kota Uji"]) == pytest.approx(-0.0725, abs=1e-4)
    at.radio(key="bd_grafik").set_value("radar").run()
    assert _param(at, "grafik") == "radar"


def test_bandingkan_needs_two_regions_of_one_level(tiny_data_dir):
    at = _open("pages/bandingkan.py", {"kode": "97.01,97.71.01,<x>"})
    assert at.multiselect(key="bd_pick_2").value == ["97.01"]
    assert any("sedikitnya dua" in i.value for i in at.info)


def test_profil_shows_names_from_data_as_plain_text(tiny_data_dir):
    at = _open("pages/profil_desa.py", {"kode": "97.01.02.2002"})
    assert at.header[0].value == "Echo \\<b\\> (Desa)"  # Markdown-escaped (type translated, issue 6): renders "Echo <b>" literally
    assert _metrics(at)["Status IDM"] == "Mandiri" and _metrics(at)["Status berikutnya"] == "Sudah tertinggi"


def test_profil_of_a_kabupaten_shows_only_meaningful_percentiles(tiny_data_dir):
    at = _open("pages/profil_desa.py", {"kode": "97.01"})
    table = _frames(at)[0].set_index("Indikator")
    assert "Persentil di kabupaten" not in table.columns  # a kabupaten within itself says nothing
    # IKS of the 2 kabupaten/kota: 0.7125 (97.01) > 0.64 (97.71)
    assert table.loc["Indeks Ketahanan Sosial (IKS)", "Persentil nasional"] == "100"
    assert table.loc["Indeks Ketahanan Sosial (IKS)", "Persentil di provinsi"] == "100"

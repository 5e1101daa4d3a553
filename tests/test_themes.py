"""Theme computations on small hand-made frames and on the tiny fixture, with answers worked out by hand."""

import numpy as np
import pandas as pd
import pytest

from sinergi import db, themes


def test_transition_matrix_and_summary_on_the_fixture(tiny_con):
    """2023 → 2024 in the fixture: Alfa 1→2, Bravo 3→3, Delta 4→4, Echo 4→5, Foxtrot 1→1, Golf 5→5,
    Hotel 2→3; Charlie is a kelurahan without status."""
    pairs = db.run_query(tiny_con, "status_pairs", tahun_a=2023, tahun_b=2024, induk="")
    assert len(pairs) == 7
    m = themes.transition_matrix(pairs)
    assert m.shape == (5, 5)
    expected = {(1, 2): 1, (3, 3): 1, (4, 4): 1, (4, 5): 1, (1, 1): 1, (5, 5): 1, (2, 3): 1}
    for a in range(1, 6):
        for b in range(1, 6):
            assert m.loc[a, b] == expected.get((a, b), 0), (a, b)
    assert themes.transition_summary(pairs) == {"naik": 3, "tetap": 4, "turun": 0, "n": 7}
    kota = db.run_query(tiny_con, "status_pairs", tahun_a=2023, tahun_b=2024, induk="97.71")
    assert themes.transition_summary(kota) == {"naik": 1, "tetap": 2, "turun": 0, "n": 3}


def test_transition_ignores_villages_missing_a_year():
    pairs = pd.DataFrame({"status_a": [1, None, 3, 5], "status_b": [2, 3, None, 4]})
    assert themes.transition_summary(pairs) == {"naik": 1, "tetap": 0, "turun": 1, "n": 2}
    assert int(themes.transition_matrix(pairs).to_numpy().sum()) == 2
    table = themes.transition_table(themes.transition_matrix(pairs), "en")
    assert table.loc["Independent", "Advanced"] == 1 and table.loc["Very underdeveloped", "Underdeveloped"] == 1


def test_top_bottom_respects_direction_ties_and_missing():
    v = pd.DataFrame({"kode": list("abcdef"), "nama": list("ABCDEF"),
                      "nilai": [0.5, 0.9, np.nan, 0.1, 0.9, 0.3]})
    top, bottom = themes.top_bottom(v, 2, arah=1)
    assert top["kode"].tolist() == ["b", "e"] and top["peringkat"].tolist() == [1, 1]
    assert bottom["kode"].tolist() == ["d", "f"] and bottom["peringkat"].tolist() == [5, 4]
    top_neg, bottom_neg = themes.top_bottom(v, 1, arah=-1)  # higher is worse: the lowest is best
    assert top_neg["kode"].tolist() == ["d"] and bottom_neg["kode"].tolist() == ["b"]
    assert "c" not in set(top["kode"]) | set(bottom["kode"])


def test_quadrants_at_the_medians():
    df = pd.DataFrame({"kode": list("abcdef"), "nama": list("ABCDEF"),
                       "x": [10, 20, 30, 40, np.nan, 25], "y": [0.3, 0.8, 0.2, 0.9, 0.5, np.nan]})
    q = themes.quadrants(df)
    # medians over the four with both values: x 25, y 0.55
    assert q.median_x == 25 and q.median_y == pytest.approx(0.55)
    assert q.table.set_index("kode")["kuadran"].to_dict() == {
        "a": "rendah_rendah", "b": "rendah_tinggi", "c": "tinggi_rendah", "d": "tinggi_tinggi",
        "e": None, "f": None}
    assert q.counts == {"rendah_rendah": 1, "rendah_tinggi": 1, "tinggi_rendah": 1, "tinggi_tinggi": 1}
    # when higher x is worse, low capacity is the high side
    q2 = themes.quadrants(df, arah_x=-1)
    assert q2.table.set_index("kode").loc["d", "kuadran"] == "rendah_tinggi"
    cls, legend = themes.quadrant_classes(q)
    assert cls.tolist() == [0, 1, 2, 3, -1, -1]
    assert legend.counts == [1, 1, 1, 1] and legend.n_missing == 2
    assert legend.colors[0] == themes.QUADRANT_COLORS["rendah_rendah"]


def test_value_at_the_median_is_not_low():
    df = pd.DataFrame({"kode": list("abc"), "nama": list("ABC"), "x": [1.0, 2.0, 3.0], "y": [1.0, 2.0, 3.0]})
    q = themes.quadrants(df)
    assert q.table["kuadran"].tolist() == ["rendah_rendah", "tinggi_tinggi", "tinggi_tinggi"]


def test_targeting_list_on_the_fixture(tiny_con):
    """2024: Foxtrot (0.40, Sangat Tertinggal, no programme) and Alfa (0.50, Tertinggal, 2 programmes).
    Bottom IKS quintile of the 7 desa: 20th percentile = 0.50 + 0.2 × 0.10 = 0.52 → Foxtrot, Alfa."""
    base = db.run_query(tiny_con, "targeting_base", tahun=2024, induk="", indikator="iks", tahun_ketahanan=2024)
    assert len(base) == 8 and base.set_index("kode").loc["97.01.01.2001", "n_program"] == 2
    assert base["dalam_cakupan"].all()  # both kabupaten/kota have programmes in 2024
    assert themes.quintile_cut(base) == pytest.approx(0.52)
    few = themes.targeting(base, max_program=1)
    assert few["kode"].tolist() == ["97.71.01.2001"]
    assert few.loc[0, "alasan"] == "status,kuintil"
    more = themes.targeting(base, max_program=2)
    assert more["kode"].tolist() == ["97.71.01.2001", "97.01.01.2001"]
    none = themes.targeting(base, max_program=0)
    assert none["kode"].tolist() == ["97.71.01.2001"]
    # kelurahan Charlie has no IKS and is never listed
    assert "97.01.01.1003" not in set(themes.targeting(base, max_program=99)["kode"])


def test_targeting_by_quintile_alone():
    base = pd.DataFrame({"kode": list("abcde"), "ketahanan": [0.70, 0.72, 0.75, 0.80, 0.85],
                         "status": [3, 4, 4, 4, 5], "n_program": [0, 0, 3, 0, 0]})
    out = themes.targeting(base, max_program=0)
    # cut = 0.70 + 0.8 × 0.02 = 0.716 → only 'a'; no village is Tertinggal
    assert out["kode"].tolist() == ["a"] and out.loc[0, "alasan"] == "kuintil"


def test_copresence_and_reach():
    p = pd.DataFrame({"kode_desa": ["v1", "v1", "v1", "v2", "v2", "v3"],
                      "nama": ["V1", "V1", "V1", "V2", "V2", "V3"],
                      "kementerian": ["Kemensos", "BRIN", "Kemensos", "Kemensos", "Kemenkes", "BRIN"],
                      "n_program": [1, 1, 1, 2, 1, 1]})
    m = themes.copresence(p)
    assert list(m.index) == ["BRIN", "Kemensos", "Kemenkes"]  # reach 2, 2, 1; ties by name
    assert m.loc["Kemensos", "Kemensos"] == 2 and m.loc["BRIN", "Kemensos"] == 1
    assert m.loc["Kemenkes", "BRIN"] == 0 and m.loc["Kemenkes", "Kemensos"] == 1
    assert (m.to_numpy() == m.to_numpy().T).all()
    r = themes.ministry_reach(p, n_villages=4)
    assert r["kementerian"].tolist() == ["BRIN", "Kemensos", "Kemenkes"]
    assert r["persen"].tolist() == [50.0, 50.0, 25.0]
    w = themes.village_ministry_table(p).set_index("kode_desa")
    assert w.loc["v1", "Kemensos"] == 2 and w.loc["v1", "n_program"] == 3 and w.loc["v1", "n_kementerian"] == 2


def test_copresence_on_the_fixture(tiny_con):
    pres = db.run_query(tiny_con, "program_presence", tahun=2024, induk="")
    m = themes.copresence(pres)
    assert m.loc["BRIN", "Kemensos"] == 1 and m.loc["Kemenkes", "Kemensos"] == 0
    assert int(np.trace(m.to_numpy())) == 3


def test_compare_table_differences(tiny_con):
    vals = db.run_query(tiny_con, "compare_values", kode=["97.01", "97.71"], tahun=2024)
    names = {"97.01": "Kabupaten Uji", "97.71": "Kota Uji"}
    tb = themes.compare_table(vals, ["97.01", "97.71"], names, "id").set_index("indikator")
    # IKS, population-weighted: kab (0.50·1000 + 0.65·3000 + 0.75·1500 + 0.85·2500)/8000 = 0.7125;
    # kota (0.40 + 0.92 + 0.60)/3 = 0.64
    assert tb.loc["iks", "Kabupaten Uji"] == pytest.approx(0.7125)
    assert tb.loc["iks", "Kota Uji"] == pytest.approx(0.64)
    assert tb.loc["iks", "Δ Kota Uji"] == pytest.approx(0.64 - 0.7125, abs=1e-4)
    assert tb.loc["iks", "Satuan"] == "indeks 0–1"


def test_percentile_frame_flips_direction_and_keeps_order():
    vals = pd.DataFrame({"kode": ["a", "b", "a", "b"], "indikator": ["iks", "iks", "idm", "idm"],
                         "nilai": [0.5, 0.7, 0.5, 0.6], "pct_nasional": [0.25, 1.0, 0.5, 1.0]})
    f = themes.percentile_frame(vals, ["b", "a"], {"a": "A", "b": "B"}, "ketahanan_sosial")
    assert f["indikator"].tolist() == ["iks", "iks", "idm", "idm"]
    assert f["wilayah"].tolist() == ["B", "A", "B", "A"]
    assert f["persentil"].tolist() == [100.0, 25.0, 100.0, 50.0]


def test_md_makes_names_inert_in_markdown():
    assert themes.md("Echo <b>") == "Echo \\<b\\>"
    # a colon before a letter also gets an invisible word joiner (no emoji/icon shortcode: sinergi.safe)
    assert themes.md("[x](javascript:alert(1))") == "\\[x\\]\\(javascript\\:\u2060alert\\(1\\)\\)"
    assert themes.md("**Desa** Satu_Dua") == "\\*\\*Desa\\*\\* Satu\\_Dua"


def test_parse_codes_normalises_and_drops_bad_ones():
    assert themes.parse_codes("9701, 97.71,x,,97.01,3201012001,97.01.01,97.02") == [
        "97.01", "97.71", "32.01.01.2001", "97.01.01"]
    assert themes.parse_codes("") == [] and themes.parse_codes(None) == []


def test_profile_percentile_columns_per_level():
    from sinergi import profile

    assert profile.percentile_columns(4) == ["pct_kabupaten", "pct_provinsi", "pct_nasional"]
    assert profile.percentile_columns(2) == ["pct_provinsi", "pct_nasional"]
    assert profile.percentile_columns(1) == ["pct_nasional"]
    ind = pd.DataFrame({"tema": ["ketahanan_sosial"], "nama": ["IKS"], "teks": ["0,5000"],
                        "pct_kabupaten": [0.25], "pct_provinsi": [2 / 7], "pct_nasional": [2 / 7]})
    tb = profile.indicator_table(ind, "id", level=4)
    assert tb.iloc[0]["Persentil di kabupaten"] == 25 and tb.iloc[0]["Persentil nasional"] == 29
    assert list(profile.indicator_table(ind, "en", level=1).columns) == [
        "Theme", "Indicator", "Value", "National percentile"]

"""Custom index: recipe parsing from the URL, normalisations, classes and weight robustness with known answers."""

import numpy as np
import pandas as pd
import pytest

from sinergi import custom_index as ci
from sinergi.custom_index import Komponen

ALLOWED = ["iks", "pendidikan_sma_pct", "lembaga_per_1000", "kerja_sama_antardesa"]


# --- recipe in the URL -------------------------------------------------------------------------------

def test_recipe_round_trip():
    text = "iks:2,pendidikan_sma_pct:1.5,kerja_sama_antardesa:1:balik"
    rec = ci.parse_recipe(text, ALLOWED)
    assert rec == [Komponen("iks", 2.0), Komponen("pendidikan_sma_pct", 1.5),
                   Komponen("kerja_sama_antardesa", 1.0, True)]
    assert ci.recipe_text(rec) == text
    assert rec[2].arah == -1 and rec[0].arah == +1


@pytest.mark.parametrize("text", [
    "", None, "iks", "iks:0", "iks:-1", "iks:abc", "iks:101", "iks:nan", "iks:inf", "bukan_indikator:1",
    "status_idm:1", "iks:1:terbalik", "IKS:1", "iks' or 1=1:1", "<script>:1",
])
def test_bad_recipe_tokens_are_dropped(text):
    assert ci.parse_recipe(text, ALLOWED) == []


def test_recipe_keeps_the_good_part_drops_repeats_and_caps_length():
    rec = ci.parse_recipe("iks:1,iks:3,xx:1,lembaga_per_1000:2", ALLOWED)
    assert rec == [Komponen("iks", 1.0), Komponen("lembaga_per_1000", 2.0)]
    many = ",".join(f"{i}:1" for i in ALLOWED * 3)
    assert len(ci.parse_recipe(many, ALLOWED)) == len(ALLOWED)


def test_allowed_indicators_excludes_the_status_class():
    assert ci.allowed_indicators(["status_idm", "iks", "idm", "nope"]) == ["idm", "iks"]


# --- normalisation -------------------------------------------------------------------------------------

def test_normalisations_on_known_values():
    x = pd.Series([1.0, 2.0, 3.0, np.nan])
    assert ci.normalise(x, "minmax").tolist()[:3] == [0.0, 0.5, 1.0]
    assert ci.normalise(x, "minmax", -1).tolist()[:3] == [1.0, 0.5, 0.0]
    assert ci.normalise(x, "persentil").tolist()[:3] == pytest.approx([1 / 6, 1 / 2, 5 / 6])
    assert ci.normalise(x, "persentil", -1).tolist()[:3] == pytest.approx([5 / 6, 1 / 2, 1 / 6])
    z = np.sqrt(1.5)
    assert ci.normalise(x, "z").tolist()[:3] == pytest.approx([-z, 0.0, z])
    assert all(np.isnan(ci.normalise(x, m).iloc[3]) for m in ci.NORM)


def test_constant_indicator_carries_no_information():
    x = pd.Series([4.0, 4.0, 4.0])
    assert ci.normalise(x, "minmax").tolist() == [0.5] * 3
    assert ci.normalise(x, "persentil").tolist() == [0.5] * 3
    assert ci.normalise(x, "z").tolist() == [0.0] * 3
    with pytest.raises(ValueError):
        ci.normalise(x, "log")


# --- index, classes, robustness ------------------------------------------------------------------------

def _tiny() -> pd.DataFrame:
    """Four regions, two indicators already on [0, 1]: B and C sit either side of the median split."""
    return pd.DataFrame({
        "kode": ["A", "B", "C", "D", "E"], "nama": list("ABCDE"), "kode_induk": "P", "nama_induk": "P",
        "iks": [0.0, 0.2, 0.6, 1.0, np.nan],
        "pendidikan_sma_pct": [0.0, 0.92, 0.5, 1.0, 0.3],
    })


REC = [Komponen("iks", 1.0), Komponen("pendidikan_sma_pct", 1.0)]


def test_index_is_the_weighted_mean_of_normalised_values():
    idx = ci.compute_index(_tiny(), REC, "minmax")
    assert idx.tolist()[:4] == pytest.approx([0.0, 0.56, 0.55, 1.0])
    assert np.isnan(idx.iloc[4])  # E lacks IKS: no index, and E does not stretch the normalisation
    w = ci.compute_index(_tiny(), [Komponen("iks", 3.0), Komponen("pendidikan_sma_pct", 1.0)], "minmax")
    assert w.iloc[1] == pytest.approx((3 * 0.2 + 0.92) / 4)


def test_rank_classes():
    idx = pd.Series([0.0, 0.56, 0.55, 1.0, np.nan])
    assert ci.classes(idx, 2).tolist() == [0, 1, 0, 1, -1]
    assert ci.classes(pd.Series([5.0, 1, 2, 3, 4]), 5).tolist() == [4, 0, 1, 2, 3]
    assert ci.classes(pd.Series([1.0, 1.0, 2.0, 3.0]), 2).tolist() == [0, 0, 1, 1]  # ties share a class


def test_robustness_counts_known_class_changes():
    # base index B .560 > C .550 → B in the upper half, C in the lower (k = 2)
    # IKS weight +10 %: B (0.22 + 0.92)/2.1 = .5429 < C (0.66 + 0.5)/2.1 = .5524 → B and C swap: 2 change
    # IKS weight −10 %: B .5789 > C .5474: none;  education +10 %: B .5771 > C .5476: none
    # education weight −10 %: B (0.2 + 0.828)/1.9 = .5411 < C (0.6 + 0.45)/1.9 = .5526: 2 change
    rob, stable = ci.robustness(_tiny(), REC, "minmax", k=2)
    got = {(r.indikator, r.perubahan): r.n_berubah for r in rob.itertuples()}
    assert got == {("iks", 1): 2, ("iks", -1): 0, ("pendidikan_sma_pct", 1): 0, ("pendidikan_sma_pct", -1): 2}
    assert rob["persen"].tolist() == [50.0, 0.0, 0.0, 50.0]
    assert stable.tolist() == [True, False, False, True, False]  # E has no index: not "stable"


def test_one_indicator_index_does_not_depend_on_its_weight():
    rob, stable = ci.robustness(_tiny(), [Komponen("iks", 3.0)], "z", k=2)
    assert rob["n_berubah"].tolist() == [0, 0]
    assert stable.tolist() == [True, True, True, True, False]


def test_direction_reverses_the_ranking():
    tb = _tiny()
    up = ci.compute_index(tb, [Komponen("iks", 1.0)], "persentil")
    down = ci.compute_index(tb, [Komponen("iks", 1.0, True)], "persentil")
    assert up.iloc[:4].rank().tolist() == down.iloc[:4].rank(ascending=False).tolist()
    assert (up.iloc[:4] + down.iloc[:4]).tolist() == pytest.approx([1.0] * 4)


def test_view_legend_ranking_and_map_props():
    view = ci.build_view(_tiny(), REC, "minmax", k=2, lang="id")
    assert view.n_lengkap == 4 and view.n_stabil == 2
    assert view.legend.counts == [2, 2] and view.legend.n_missing == 1
    assert view.legend.colors == ["#fc8d59", "#91bfdb"]  # RdYlBu ends: the lowest class is the alarming red
    assert ci.build_view(_tiny(), REC, "minmax", k=5).legend.colors[0] == "#d7191c"
    assert view.legend.labels[0] == "Kelas 1 · 0,000–0,550"
    rank = ci.ranking_table(view, REC, "id")
    assert rank["Kode"].tolist() == ["D", "B", "C", "A"] and rank["Peringkat"].tolist() == [1, 2, 3, 4]
    assert rank["Kelas stabil (±10%)"].tolist() == ["ya", "tidak", "tidak", "ya"]
    props = ci.map_props(view, "id")
    assert props["c"].tolist() == [0, 1, 0, 1, -1]
    assert props["r"].tolist()[:2] == ["4 / 4", "2 / 4"] and props["v"].iloc[4] == "Tidak ada data"


def test_on_the_tiny_database(tiny_con):
    from sinergi import db

    long = db.run_query(tiny_con, "region_values_multi", indikator=["iks", "pendidikan_sma_pct"], tahun=2024,
                        level=4, induk="")
    wide = ci.wide_values(long)
    assert wide["kode"].tolist()[:3] == ["97.01.01.1003", "97.01.01.2001", "97.01.01.2002"]
    view = ci.build_view(wide, [Komponen("iks", 1.0)], "minmax", k=5)
    tb = view.table.set_index("kode")
    # IKS 2024: Foxtrot .40 lowest, Golf .92 highest; Charlie (kelurahan) has none
    assert tb.loc["97.71.01.2001", "indeks"] == 0.0 and tb.loc["97.71.01.2002", "indeks"] == 1.0
    assert tb.loc["97.71.01.2002", "peringkat"] == 1 and tb.loc["97.01.01.1003", "kelas"] == -1
    assert view.legend.counts == [2, 1, 2, 1, 1]  # 7 villages: ranks 1-2, 3, 4-5, 6, 7

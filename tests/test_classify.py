import numpy as np
import pytest

from sinergi import catalog, classify


def test_official_status_classes_at_thresholds():
    v = [0.4907, 0.4908, 0.5989, 0.599, 0.7072, 0.7073, 0.8155, 0.8156, np.nan]
    cls, leg = classify.classify(v, "idm", "status")
    assert cls.tolist() == [0, 1, 1, 2, 2, 3, 3, 4, -1]
    assert leg.names == list(catalog.IDM_STATUS)
    assert leg.counts == [1, 2, 2, 2, 1]
    assert leg.n_missing == 1
    assert leg.colors[0] == classify.STATUS_COLORS[0]  # Sangat Tertinggal is the alarming red
    assert "0,4907" in leg.labels[0]


def test_status_not_allowed_for_non_idm_indicator():
    with pytest.raises(ValueError, match="tidak berlaku"):
        classify.classify([1, 2, 3], "pendidikan_sma_pct", "status")


def test_quantiles_give_equal_counts_and_inclusive_upper_bounds():
    v = np.arange(1, 101, dtype=float)
    cls, leg = classify.classify(v, "pendidikan_sma_pct", "kuantil", k=4)
    assert leg.counts == [25, 25, 25, 25]
    assert leg.upper[-1] == 100
    assert cls[24] == 0 and cls[25] == 1  # bounds are the 25th, 50th, 75th percentiles (linear)


def test_equal_intervals():
    v = np.array([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100], dtype=float)
    cls, leg = classify.classify(v, "pendidikan_sma_pct", "interval", k=5)
    assert leg.upper == [20, 40, 60, 80, 100]
    assert leg.counts == [3, 2, 2, 2, 2]


def test_jenks_matches_known_optimum_and_is_deterministic():
    rng = np.random.default_rng(1)
    v = np.concatenate([rng.normal(10, 1, 400), rng.normal(30, 1, 400), rng.normal(60, 1, 400)])
    b1 = classify.jenks_breaks(v, 3)
    assert b1[0] < 20 < b1[1] < 45 < b1[2]
    assert np.array_equal(b1, classify.jenks_breaks(v, 3))


def test_jenks_finds_natural_groups():
    v = np.array([1, 1.1, 1.2, 5, 5.1, 5.2, 9, 9.1, 9.3], dtype=float)
    cls, leg = classify.classify(v, "pendidikan_sma_pct", "jenks", k=3)
    assert cls.tolist() == [0, 0, 0, 1, 1, 1, 2, 2, 2]


def test_missing_values_are_no_data_not_lowest_class():
    cls, leg = classify.classify([np.nan, 1, 2, 3, 4, 5, np.nan], "pendidikan_sma_pct", "kuantil", k=3)
    assert cls[0] == -1 and cls[-1] == -1
    assert leg.n_missing == 2
    assert classify.NO_DATA_COLOR not in leg.colors


def test_direction_puts_alarming_colour_at_worse_end():
    good_high = classify.colors("RdYlBu", 5, +1)
    bad_high = classify.colors("RdYlBu", 5, -1)
    assert good_high[0] == bad_high[-1]
    assert good_high[0].lower() == "#d7191c"  # low value of a "higher is better" indicator is red


@pytest.mark.parametrize("k", [3, 4, 5, 6, 7])
@pytest.mark.parametrize("palet", list(classify.PALET))
def test_every_palette_and_class_count(k, palet):
    v = np.linspace(0, 100, 200)
    cls, leg = classify.classify(v, "pendidikan_sma_pct", "kuantil", k=k, palet=palet)
    assert leg.k == k and len(set(leg.colors)) == k
    assert sum(leg.counts) == 200


def test_class_count_out_of_range_refused():
    with pytest.raises(ValueError):
        classify.classify([1, 2, 3], "pendidikan_sma_pct", "kuantil", k=9)


def test_few_distinct_values_collapse_classes():
    cls, leg = classify.classify([100, 100, 0, 0, 100], "bumdes_aktif", "kuantil", k=5)
    assert leg.k == 2
    assert sorted(set(cls.tolist())) == [0, 1]


def test_every_palette_has_a_name_in_both_languages():
    assert set(classify.PALET_LABEL) == set(classify.PALET)
    assert all(len(pair) == 2 and all(pair) for pair in classify.PALET_LABEL.values())


def test_official_breaks_of_an_imported_indicator():
    from sinergi import catalog

    ind = catalog.Indikator("skor_x", "Skor X", "Score X", "tema_x", "skor", -1, 0.0, 100.0, "mean", "S", "", "", None,
                            1, (), "", "", (25.0, 50.0, 75.0), True)
    catalog.pakai(catalog.BAWAAN.dengan([ind], {"tema_x": ("Tema X", "Theme X")}))
    try:
        cls, lg = classify.classify([10, 25, 25.1, 50, 80, float("nan")], "skor_x", "status")
    finally:
        catalog.pakai(None)
    assert cls.tolist() == [0, 0, 1, 1, 3, -1]  # upper bounds inclusive
    assert lg.labels == ["≤ 25,0", "> 25,0–50,0", "> 50,0–75,0", "> 75,0"] and lg.counts == [2, 2, 0, 1]
    assert lg.n_missing == 1 and len(lg.colors) == 4
    # higher is worse: the highest class gets the alarming colour (the palette's first)
    assert lg.colors[-1] == classify.colors(classify.DEFAULT_PALET, 4, 1)[0]
    assert classify.metode_label("status", ind, "id") == "Kelas resmi"
    assert classify.metode_label("status", catalog.get("idm"), "en") == "Official IDM status"

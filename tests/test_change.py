"""Change between two years: diverging classes with known edges, direction-aware colours and summaries,
pooled classes for the year slider, and the map pieces that keep the view."""

import json

import numpy as np
import pandas as pd
import pytest

from sinergi import catalog, change, classify

IKS = catalog.get("iks")


def test_symmetric_diverging_classes_on_known_changes():
    d = np.array([-1.0, -0.5, -0.2, 0.0, 0.2, 0.5, 1.0, np.nan])
    cls, lg = change.diverging_classes(d, IKS, k=5, q=1.0)  # M = 1: edges ±0.2, ±0.6
    assert change.diverging_edges(1.0, 5) == pytest.approx([0.2, 0.6])
    # a value exactly on an edge stays in the class nearer zero
    assert cls.tolist() == [0, 1, 2, 2, 2, 3, 4, -1]
    assert lg.counts == [1, 1, 3, 1, 1] and lg.n_missing == 1
    assert lg.labels[0] == "< -0,6000" and lg.labels[4] == "> +0,6000"
    assert lg.labels[2] == "-0,2000 … +0,2000 (tetap)"


def test_scale_ignores_the_extreme_tail():
    d = np.concatenate([np.linspace(-0.05, 0.05, 99), [5.0]])
    m = change.scale(d, 0.98)
    assert m < 0.06  # one outlier does not flatten the map
    cls, _ = change.diverging_classes(d, IKS)
    assert cls[-1] == 4  # it sits in the open top class


def test_colours_follow_direction():
    d = np.array([-0.1, 0.0, 0.1])
    _, good = change.diverging_classes(d, IKS)  # higher is better: a fall is red
    worse = catalog.Indikator("x", "x", "x", "idm", "", -1, 0, 1, "mean", "", "", "")
    _, bad_up = change.diverging_classes(d, worse)
    assert good.colors[0] == "#d7191c" and good.colors[-1] == "#2c7bb6"
    assert bad_up.colors[0] == "#2c7bb6" and bad_up.colors[-1] == "#d7191c"
    assert good.colors[2] == "#ffffbf"  # about the same: the neutral middle


def test_all_equal_changes_are_about_the_same():
    cls, lg = change.diverging_classes(np.zeros(4), IKS)
    assert cls.tolist() == [2, 2, 2, 2]
    with pytest.raises(ValueError):
        change.diverging_edges(1.0, 4)


def test_summary_counts_by_direction():
    d = np.array([-0.3, 0.0, 0.3, 0.4])
    cls, _ = change.diverging_classes(d, IKS, q=1.0)  # M = .4: edges .08, .24
    s = change.summary(d, cls, +1)
    assert (s["membaik"], s["tetap"], s["memburuk"], s["n"]) == (2, 1, 1, 4)
    assert s["median"] == pytest.approx(0.15)
    s2 = change.summary(d, cls, -1)
    assert (s2["membaik"], s2["memburuk"]) == (1, 2)


def test_tiny_database_change_and_largest(tiny_con):
    from sinergi import db

    tb = change.with_delta(db.run_query(tiny_con, "region_change", indikator="iks", tahun_a=2023, tahun_b=2024,
                                        level=4, induk=""))
    d = tb.set_index("kode")["delta"]
    # 2023 → 2024: Alfa +.05, Bravo +.05, Delta +.03, Echo +.05, Foxtrot 0, Golf +.02, Hotel +.05
    assert d["97.01.01.2001"] == pytest.approx(0.05) and d["97.71.01.2001"] == pytest.approx(0.0)
    assert np.isnan(d["97.01.01.1003"])  # Charlie has no IKS: no change, not zero
    best, worst = change.largest_changes(tb, 2, +1)
    assert best["kode"].tolist() == ["97.01.01.2001", "97.01.01.2002"]  # ties by code
    assert worst.empty  # nobody got worse
    table = change.change_table(tb, IKS, 2023, 2024)
    assert len(table) == 7 and "Δ 2023→2024" in table.columns


def test_pooled_classes_keep_one_legend_for_all_years(tiny_con):
    from sinergi import db

    vals = db.run_query(tiny_con, "region_values_years", indikator="iks", level=4, induk="")
    classed, lg = change.pooled_classes(vals, "iks")
    assert lg.metode == "status" and sum(lg.counts) == 14  # 7 villages × 2 years
    geo = db.run_query(tiny_con, "region_geometry", level=4, induk="")
    p23 = change.year_props(geo[["kode", "nama"]], classed, 2023, lg, IKS)
    p24 = change.year_props(geo[["kode", "nama"]], classed, 2024, lg, IKS)
    # Alfa .45 (Sangat Tertinggal) in 2023 → .50 (Tertinggal) in 2024; Charlie no data in both
    alfa = geo.index[geo["kode"] == "97.01.01.2001"][0]
    assert (p23.loc[alfa, "c"], p24.loc[alfa, "c"]) == (0, 1)
    assert (p23["c"] == -1).sum() == 1
    y24 = change.year_legend(lg, p24)
    assert y24.counts == [1, 1, 2, 1, 2] and y24.colors == lg.colors


def test_base_map_is_the_same_for_every_year_and_layer_carries_the_data(tiny_con):
    """streamlit-folium keeps the map (and the user's view) when the base map's script is unchanged:
    the base depends on the regions only, the year's colours travel in the feature group."""
    import gzip

    from streamlit_folium import _get_feature_group_string, _get_map_string, generate_js_hash

    from sinergi import db, mapdata, maps

    geo = db.run_query(tiny_con, "region_geometry", level=4, induk="")
    regions = maps.geojson_regions(geo)
    labels = {"code": "Kode", "value": "Nilai", "class": "Kelas", "rank": "Peringkat"}
    h1 = generate_js_hash(_get_map_string(change.base_map(regions, labels)), "k")
    h2 = generate_js_hash(_get_map_string(change.base_map(regions, labels)), "k")
    assert h1 == h2
    props = pd.DataFrame({"kode": geo["kode"], "nama": geo["nama"], "c": 0, "v": "x", "k": "y"})
    lg = classify.Legend("x", [0], [1], ["#123456"], ["a"], [8], 0)
    colours = maps.colour_spec(regions, props, lg)
    m = change.base_map(regions, labels)
    out = m.get_root().render()
    assert "SD.choropleth(" in out and "unpkg" not in out and "cdn" not in out.lower()
    assert "#123456" not in out  # no colours in the map itself
    snippet = _get_feature_group_string(maps.SelectionScript("", colours), map=m)
    assert "SD.setData(" in snippet and "#123456" in snippet and colours.classes.url in snippet
    assert json.loads(gzip.decompress(mapdata.get(colours.classes.token).gz)) == {"c": [0] * 8}
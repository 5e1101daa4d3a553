import pandas as pd
import pytest

from sinergi import data as sd
from sinergi import profile


def test_next_status_gap():
    r = profile.next_status(0.70)
    assert r == {"status": "Berkembang", "next": "Maju", "min_score": 0.7073, "gap": pytest.approx(0.0073)}
    assert profile.next_status(0.9)["next"] is None
    assert profile.next_status(None) is None
    assert profile.next_status(0.45, "en")["next"] == "Underdeveloped"


def _regions_and_years(con):
    codes = [k for (k,) in con.execute("select kode from regions order by kode").fetchall()]
    years = [y for (y,) in con.execute("select distinct tahun from nilai order by tahun").fetchall()]
    return codes, years


def _same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    """Equal frames; an empty answer only by its columns (DuckDB types an empty result's text columns as
    plain objects, a filtered frame keeps its strings' type: nothing shows or is computed from either)."""
    if want.empty:
        assert got.empty and list(got.columns) == list(want.columns)
    else:
        pd.testing.assert_frame_equal(got, want)


def test_year_values_equal_the_one_year_query(tiny_data_dir, tiny_con):
    """The profile's values of one year, taken from the region's read of all years, are what the one-year
    query (queries/region_profile.sql) answers through the query cache: same rows, order, columns and types,
    for every region and year of the fixture (and none for a year without values)."""
    codes, years = _regions_and_years(tiny_con)
    seen = 0
    for kode in codes:
        for tahun in years + [1999]:
            want = sd.query("region_profile", kode=kode, tahun=tahun)
            got = profile.year_values(kode, tahun)
            _same(got, want)
            seen += len(want)
    assert seen > 100


def test_trend_equals_the_trend_query(tiny_data_dir, tiny_con):
    """Trends taken from the region's read of all years are what queries/region_trend.sql answers."""
    codes, _ = _regions_and_years(tiny_con)
    asked = [["iks", "iks_kesehatan", "iks_pendidikan", "iks_modal_sosial", "iks_permukiman", "idm"], ["idm"],
             ["pendidikan_sma_pct", "iks"], ["tidak_ada"]]
    seen = 0
    for kode in codes:
        for ids in asked:
            want = sd.query("region_trend", kode=kode, indikator=ids)
            got = profile.trend(kode, ids)
            _same(got, want)
            seen += len(want)
    assert seen > 50


def test_indicators_of_a_village_come_with_their_percentiles(tiny_data_dir):
    ind = profile.indicators("97.71.01.2002", 2024).set_index("indikator")
    assert ind.loc["iks", "nilai"] == pytest.approx(0.92)
    assert ind.loc["iks", "pct_nasional"] == pytest.approx(1.0)
    assert ind.loc["iks", "pct_kabupaten"] == pytest.approx(1.0)
    assert profile.indicators("97.71.01.2002", 1999).empty

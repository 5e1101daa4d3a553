"""The benchmarks ask real questions: arguments drawn from the dataset (bench/sample.py) name regions that
exist, and every named query is measured with exactly the parameters it takes."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import query_bench  # noqa: E402
import sample  # noqa: E402

from sinergi import db  # noqa: E402


@pytest.fixture(scope="module")
def tiny_sample(tiny_con):
    return sample.draw(tiny_con)


def test_draw_picks_the_largest_regions_and_a_desa(tiny_sample):
    # 97.01 has 5 villages, 97.71 has 3; kecamatan 97.01.01 and 97.71.01 have 3 each (tie: lower code)
    assert tiny_sample.by_level[1] == ["97"]
    assert tiny_sample.by_level[2] == ["97.01", "97.71"]
    assert tiny_sample.by_level[3] == ["97.01.01", "97.71.01", "97.01.02"]
    assert tiny_sample.desa == "97.01.01.2001"  # a desa before the kelurahan 97.01.01.1003
    assert tiny_sample.by_level[4][-1] == "97.01.01.1003"
    assert (tiny_sample.earliest, tiny_sample.latest) == (2023, 2024)
    assert tiny_sample.names["97.01"] == "Kabupaten Uji"


def test_substitute_maps_codes_by_level_and_keeps_year_offsets():
    s = sample.Sample(by_level={1: ["11", "12"], 2: ["11.01", "12.02"], 3: ["11.01.01"], 4: ["11.01.01.2001"]},
                      years=[2019, 2020, 2021], names={})
    got = sample.substitute({"kode": ["97.01", "97.71", "97"], "induk": "97.01.01", "desa": "97.01.01.2001",
                             "tahun_a": 2023, "tahun_b": 2024, "tahun": 2010, "level": 4, "n": 2024,
                             "nama": "alfa", "penuh": False}, s)
    assert got == {"kode": ["11.01", "12.02", "11"], "induk": "11.01.01", "desa": "11.01.01.2001",
                   "tahun_a": 2020, "tahun_b": 2021, "tahun": 2019, "level": 4, "n": 2024, "nama": "alfa",
                   "penuh": False}


def test_every_named_query_is_measured_and_runs_with_its_arguments(tiny_con, tiny_sample):
    cases = query_bench.cases(tiny_sample)
    assert sorted({name for name, label, _ in cases if name == label}) == db.query_names()
    for name, label, params in cases:
        assert set(params) == db.sql_params(name), label
        db.run_query(tiny_con, name, **params)  # raises on a wrong argument


def test_the_page_questions_find_rows(tiny_con, tiny_sample):
    """Substituted codes exist: the questions return rows instead of measuring an empty answer."""
    rows = {label: len(db.run_query(tiny_con, name, **params))
            for name, label, params in query_bench.cases(tiny_sample)}
    for label in ("region", "region_profile", "region_trend", "region_values", "region_geometry",
                  "compare_values", "search_regions", "search_regions [by code]", "similar_regions",
                  "region_values [villages of largest kabupaten]"):
        assert rows[label] > 0, label


def test_print_table_markdown(capsys):
    sample.print_table(["query", "rows", "p95 ms"], [["a|b", 1200, 3.26]], markdown=True)
    assert capsys.readouterr().out.splitlines() == ["| query | rows | p95 ms |", "|---|---:|---:|",
                                                    "| a\\|b | 1,200 | 3.3 |"]

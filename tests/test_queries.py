"""Every query file runs against the tiny fixture database, with exactly the parameters its callers use."""

import duckdb
import pandas as pd
import pytest

from sinergi import db
from sinergi.db import example_params


@pytest.mark.parametrize("name", db.query_names())
def test_query_runs_and_documents_itself(tiny_con, name):
    text = db.sql_text(name)
    assert text.lstrip().startswith("--"), "a header comment says what the query returns"
    assert "params:" in text and "returns:" in text
    assert db.sql_params(name) == set(example_params(name))
    df = db.run_query(tiny_con, name, **example_params(name))
    assert len(df.columns) > 0


def test_missing_or_extra_parameter_is_refused(tiny_con):
    with pytest.raises(TypeError, match="kurang"):
        db.run_query(tiny_con, "status_counts", tahun=2024)
    with pytest.raises(TypeError, match="berlebih"):
        db.run_query(tiny_con, "status_counts", tahun=2024, induk="", x=1)


def test_query_names_cannot_escape_the_folder():
    for bad in ("../app", "region_values; drop", "Region", ""):
        with pytest.raises(ValueError):
            db.sql_text(bad)


def test_injection_through_a_parameter_is_plain_data(tiny_con):
    df = db.run_query(tiny_con, "region_values", indikator="iks' or 1=1 --", tahun=2024, level=4, induk="")
    assert len(df) == 8 and df["nilai"].isna().all()
    df = db.run_query(tiny_con, "region_geometry", level=4, induk="97' or '1'='1")
    assert len(df) == 0


def test_region_counts(tiny_con):
    df = db.run_query(tiny_con, "region_counts")
    assert df["n"].tolist() == [1, 2, 3, 8]
    assert df.loc[df["level"] == 4, "n_kelurahan"].item() == 1


def test_region_values_keep_regions_without_value(tiny_con):
    df = db.run_query(tiny_con, "region_values", indikator="iks", tahun=2024, level=4, induk="97.01.01")
    assert df["kode"].tolist() == ["97.01.01.1003", "97.01.01.2001", "97.01.01.2002"]
    assert df["nilai"].isna().tolist() == [True, False, False]
    kec = db.run_query(tiny_con, "region_values", indikator="iks", tahun=2024, level=3, induk="")
    # population-weighted: (0.50*1000 + 0.65*3000) / 4000
    assert kec.set_index("kode").loc["97.01.01", "nilai"] == pytest.approx(0.6125)


def test_status_counts(tiny_con):
    df = db.run_query(tiny_con, "status_counts", tahun=2024, induk="")
    # 2024 iks: .50 .65 .75 .85 .40 .92 .60 -> classes 2,3,4,5,1,5,3
    assert dict(zip(df["status"], df["n"])) == {1: 1, 2: 1, 3: 2, 4: 1, 5: 2}
    df = db.run_query(tiny_con, "status_counts", tahun=2024, induk="97.71")
    assert dict(zip(df["status"], df["n"])) == {1: 1, 3: 1, 5: 1}


def test_geometry_is_geojson_with_bbox(tiny_con):
    df = db.run_query(tiny_con, "region_geometry", level=2, induk="")
    assert df["kode"].tolist() == ["97.01", "97.71"]
    assert df["geojson"].str.startswith('{"type":"').all()
    assert df.loc[0, "minx"] == pytest.approx(100.0)


def test_read_only_connection_refuses_writes(tiny_con):
    with pytest.raises(duckdb.Error):
        tiny_con.execute("delete from regions")


def test_profile_percentiles(tiny_con):
    df = db.run_query(tiny_con, "region_profile", kode="97.71.01.2002", tahun=2024).set_index("indikator")
    # Golf has the highest IKS of the 7 desa with a value, and of the 3 in its kabupaten
    assert df.loc["iks", "nilai"] == pytest.approx(0.92)
    assert df.loc["iks", "pct_nasional"] == pytest.approx(1.0)
    assert df.loc["iks", "pct_kabupaten"] == pytest.approx(1.0)
    low = db.run_query(tiny_con, "region_profile", kode="97.71.01.2001", tahun=2024).set_index("indikator")
    assert low.loc["iks", "pct_nasional"] == pytest.approx(1 / 7)
    assert low.loc["iks", "pct_kabupaten"] == pytest.approx(1 / 3)


def test_region_identity_and_trend(tiny_con):
    r = db.run_query(tiny_con, "region", kode="97.01.02.2002").iloc[0]
    assert (r["nama"], r["nama_kab"], r["nama_kec"], r["jenis"]) == ("Echo <b>", "Kabupaten Uji", "Dua", "desa")
    tr = db.run_query(tiny_con, "region_trend", kode="97.01.02.2002", indikator=["iks"])
    assert tr["tahun"].tolist() == [2023, 2024] and tr["nilai"].tolist() == pytest.approx([0.80, 0.85])


def _in_region(codes: pd.Series, kode: str) -> pd.Series:
    return (codes == kode) | codes.str.startswith(kode + ".")


def test_region_programs_and_institutions_count_the_region_and_everything_in_it(tiny_con):
    """The code range that lets DuckDB skip row groups changes no answer: for every region of the fixture (and
    the whole dataset for institutions), the counts are those of the villages whose code is the region's or
    starts with it and a dot, computed here from the tables."""
    program = tiny_con.execute("select kode_desa, tahun, kementerian, program from program").df()
    simpul = tiny_con.execute("select kode_desa, jenis from simpul where tipe = 'lembaga'").df()
    codes = [k for (k,) in tiny_con.execute("select kode from regions order by kode").fetchall()]
    found = 0
    for kode in codes:
        got = db.run_query(tiny_con, "region_programs", kode=kode)
        mine = program[_in_region(program["kode_desa"], kode)]
        want = (mine.groupby(["tahun", "kementerian", "program"])["kode_desa"].nunique().rename("n_desa")
                .reset_index().sort_values(["tahun", "kementerian", "program"], ascending=[False, True, True]))
        assert got.values.tolist() == want.values.tolist(), kode
        found += len(got)
    assert found > 10
    found = 0
    for kode in codes + [""]:
        got = db.run_query(tiny_con, "region_institutions", kode=kode)
        mine = simpul if kode == "" else simpul[_in_region(simpul["kode_desa"], kode)]
        want = mine.groupby("jenis").size()
        assert dict(zip(got["jenis"], got["n"])) == want.to_dict(), kode
        found += int(got["n"].sum())
    assert found >= 5  # an institution counts in its village, kecamatan, kabupaten, province and the whole

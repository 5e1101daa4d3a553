"""Tables derived at build time (sinergi/db.py DERIVED_TABLES): what they hold, the order that makes the
per-indicator queries fast, and the views an older file gets so every query answers the same."""

import shutil

import numpy as np
import pandas as pd
import pytest

from sinergi import db, search
from sinergi.db import example_params


def test_nilai_indikator_holds_nilai_ordered_by_indicator_year_code(tiny_con):
    want = tiny_con.execute("select indikator, tahun, kode, nilai, flag from nilai "
                            "order by indikator, tahun, kode").df()
    # physical order (rowid): what lets DuckDB skip every other indicator's row groups
    got = tiny_con.execute("select indikator, tahun, kode, nilai, flag from nilai_indikator order by rowid").df()
    assert len(want) > 100
    pd.testing.assert_frame_equal(got, want)


def test_nilai_urut_holds_each_value_at_its_regions_position_in_its_level(tiny_con):
    regions = tiny_con.execute("select kode, level from regions order by kode").df()
    regions["urut"] = regions.groupby("level").cumcount()  # 0, 1, … in code order within each level
    nilai = tiny_con.execute("select indikator, tahun, kode, nilai, flag from nilai").df()
    want = (nilai.merge(regions, on="kode")[["indikator", "tahun", "level", "urut", "nilai", "flag"]]
            .sort_values(["indikator", "tahun", "level", "urut"], ignore_index=True))
    got = tiny_con.execute("select indikator, tahun, level, urut, nilai, flag from nilai_urut order by rowid").df()
    assert len(want) > 100 and len(got) == len(want)
    for col in ("indikator", "tahun", "level", "urut", "flag"):
        assert got[col].tolist() == want[col].tolist(), col
    np.testing.assert_array_equal(got["nilai"].to_numpy(float), want["nilai"].to_numpy(float))


def test_indikator_tahun_counts_values_per_indicator_and_year(tiny_con):
    got = tiny_con.execute("select indikator, tahun, n from indikator_tahun order by indikator, tahun").df()
    nilai = tiny_con.execute("select indikator, tahun, nilai from nilai").df()
    want = (nilai.dropna(subset=["nilai"]).groupby(["indikator", "tahun"]).size()
            .rename("n").reset_index())
    assert got["n"].tolist() == want["n"].tolist()
    assert got[["indikator", "tahun"]].values.tolist() == want[["indikator", "tahun"]].values.tolist()
    # 2024 iks: seven of the eight villages have a value, plus 3 kecamatan, 2 kabupaten, 1 province
    assert got.set_index(["indikator", "tahun"]).loc[("iks", 2024), "n"] == 7 + 3 + 2 + 1


def test_nama_lipat_folds_as_the_search_box_does(tiny_con):
    df = tiny_con.execute("select r.nama, f.nama_lipat, f.penuh_lipat from regions r "
                          "join nama_lipat f on f.kode = r.kode").df()
    assert len(df) == tiny_con.execute("select count(*) from regions").fetchone()[0]
    assert df["nama_lipat"].tolist() == [search.fold(n) for n in df["nama"]]
    assert df["penuh_lipat"].tolist() == [search.fold_full(n) for n in df["nama"]]
    assert set(df.loc[df["nama"] == "Kabupaten Uji", "nama_lipat"]) == {"uji"}


@pytest.fixture(scope="module")
def old_file(tiny_db, tmp_path_factory):
    """A copy of the tiny database as built before the derived tables existed."""
    path = tmp_path_factory.mktemp("lama") / "lama.duckdb"
    shutil.copy(tiny_db, path)
    con = db.connect(path, read_only=False)
    for name in db.DERIVED_TABLES:
        con.execute(f"drop table {name}")
    con.close()
    return path


@pytest.fixture(scope="module")
def both(tiny_db, old_file):
    new, old = db.Database(tiny_db), db.Database(old_file)
    yield new, old
    new.close()
    old.close()


@pytest.mark.parametrize("name", db.query_names())
def test_a_file_without_derived_tables_answers_every_query_the_same(both, name):
    new, old = both
    params = example_params(name)
    pd.testing.assert_frame_equal(old.query(name, **params), new.query(name, **params))


def test_older_file_gets_views_not_tables(old_file):
    con = db.connect_snapshot(old_file)
    try:
        views = {v for (v,) in con.execute("select view_name from duckdb_views() where not internal").fetchall()}
        attached = {t for (t,) in con.execute(
            "select table_name from duckdb_tables() where database_name = 'sinergi_db'").fetchall()}
    finally:
        con.close()
    assert set(db.DERIVED_TABLES) <= views
    assert not set(db.DERIVED_TABLES) & attached

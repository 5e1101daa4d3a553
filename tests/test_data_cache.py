"""The query cache (sinergi/data.py) is bounded by bytes: the least recently used results leave first,
a result larger than the whole budget is not kept, and cached answers equal the database's."""

import os
import shutil

import pytest

from sinergi import data as sd
from sinergi import db, memo


@pytest.fixture()
def counted(tiny_db, tmp_path, monkeypatch):
    """The tiny fixture as the active dataset, an empty query cache, and a list of the queries that
    reached the database (a cache hit does not)."""
    shutil.copy(tiny_db, tmp_path / "demo.duckdb")
    monkeypatch.setenv("SINERGI_DATA_DIR", str(tmp_path))
    sd._query.clear()
    ran: list[str] = []
    real = db.Database.query

    def query(self, name, **params):
        ran.append(name)
        return real(self, name, **params)

    monkeypatch.setattr(db.Database, "query", query)
    yield ran
    sd._query.clear()


def use_budget(monkeypatch, limit: int) -> None:
    monkeypatch.setattr(sd, "_budget", sd._ByteBudget(limit))


def size_of(name: str, **params) -> int:
    return sd.frame_bytes(sd.database().query(name, **params))


def test_budget_evicts_least_recently_used_first():
    b = sd._ByteBudget(100)
    assert b.add(("a",), 40) == []
    assert b.add(("b",), 40) == []
    b.touch(("a",))  # a is now more recent than b
    assert b.add(("c",), 40) == [("b",)]
    assert b.entries() == [("a",), ("c",)] and b.total == 80
    assert b.add(("d",), 150) == [("a",), ("c",), ("d",)]  # larger than the budget: not kept either
    assert b.total == 0 and not b.sizes


def test_re_adding_an_entry_counts_its_new_size_once():
    b = sd._ByteBudget(100)
    b.add(("a",), 30)
    b.add(("a",), 50)
    assert b.total == 50 and b.entries() == [("a",)]


def test_list_parameters_are_tracked_and_evicted(counted, monkeypatch):
    use_budget(monkeypatch, 16)
    codes = ["97.01.01.2001", "97.01.01.2002"]
    df = sd.query("regions_by_code", kode=codes)
    assert sorted(df["kode"]) == codes
    sd.query("regions_by_code", kode=codes)
    assert counted == ["regions_by_code"] * 2  # evicted (over budget) although its key holds a list


def test_results_within_the_budget_stay_cached(counted, monkeypatch):
    use_budget(monkeypatch, 64 * 1024 * 1024)
    first = sd.query("region_list", level=4, induk="")
    again = sd.query("region_list", level=4, induk="")
    assert counted == ["region_list"]  # the second call was a hit
    assert again.equals(first)
    assert len(first) == 8  # the fixture's villages


def test_over_budget_the_oldest_result_is_evicted_and_recomputed(counted, monkeypatch):
    a = dict(level=4, induk="")
    b = dict(level=3, induk="")
    size_a, size_b = size_of("region_list", **a), size_of("region_list", **b)
    counted.clear()
    use_budget(monkeypatch, max(size_a, size_b) + min(size_a, size_b) // 2)  # room for one of the two
    sd.query("region_list", **a)
    sd.query("region_list", **a)
    assert counted == ["region_list"]
    sd.query("region_list", **b)  # pushes a out
    assert counted == ["region_list"] * 2
    assert sd._budget.entries() == [(sd.dataset_key(), "region_list", tuple(sorted(b.items())))]
    again = sd.query("region_list", **a)  # computed again, and correct
    assert counted == ["region_list"] * 3
    assert again.equals(sd.database().query("region_list", **a))
    assert sd._budget.total <= sd._budget.limit


def test_a_result_larger_than_the_budget_is_returned_but_not_kept(counted, monkeypatch):
    use_budget(monkeypatch, 16)  # bytes: smaller than any frame
    df = sd.query("region_list", level=4, induk="")
    assert len(df) == 8
    sd.query("region_list", level=4, induk="")
    assert counted == ["region_list"] * 2
    assert sd._budget.total == 0


def test_frame_bytes_of_a_large_frame_is_estimated_close_to_the_deep_measure():
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(1)
    n = 50_000
    df = pd.DataFrame({"kode": [f"97.{i % 99:02d}.{i % 7:02d}.{2000 + i}" for i in range(n)],
                       "nama": ["Desa " + "x" * int(k) for k in rng.integers(3, 40, n)],
                       "nilai": rng.random(n)})
    exact = int(df.memory_usage(index=True, deep=True).sum())
    estimate = sd.frame_bytes(df)
    assert abs(estimate - exact) / exact < 0.05, (estimate, exact)
    small = df.iloc[:100]
    assert sd.frame_bytes(small) == int(small.memory_usage(index=True, deep=True).sum())


# --- results derived from a query, remembered by the query (sd.derived) --------------------------------

def _village_names(df):
    return sorted(df["nama"])


def _first_villages(df, n):
    return sorted(df["kode"])[:n]


def _rename_villages(path, suffix):
    con = db.connect(path, read_only=False)
    try:
        con.execute("update regions set nama = nama || $s where level = 4", {"s": suffix})
        con.execute("checkpoint")
    finally:
        con.close()


@pytest.fixture()
def derived_empty(monkeypatch):
    monkeypatch.setattr(sd, "_derived", memo.Recent(lambda: sd.DERIVED_ENTRIES))
    return sd._derived


def test_a_derived_result_is_computed_once_per_query_and_arguments(counted, derived_empty):
    calls = []

    def names(df):
        calls.append(1)
        return _village_names(df)

    first = sd.derived(names, "region_list", dict(level=4, induk=""))
    assert first == sorted(sd.query("region_list", level=4, induk="")["nama"]) and len(first) == 8
    assert sd.derived(names, "region_list", dict(induk="", level=4)) is first  # parameters in any order
    assert calls == [1] and counted == ["region_list"]  # neither computed nor queried again
    assert sd.derived(_first_villages, "region_list", dict(level=4, induk=""), 2) != \
        sd.derived(_first_villages, "region_list", dict(level=4, induk=""), 3)  # the arguments are in the key
    assert sd.derived(names, "region_list", dict(level=3, induk="")) != first  # so are the parameters


def test_a_new_build_is_never_answered_from_the_old_builds_entry(counted, derived_empty, tmp_path):
    before = sd.derived(_village_names, "region_list", dict(level=4, induk=""))
    staged = tmp_path / ".terbit.tmp"
    shutil.copy(tmp_path / "demo.duckdb", staged)
    _rename_villages(staged, " (baru)")
    os.replace(staged, tmp_path / "demo.duckdb")  # published as every publication is: a rename
    after = sd.derived(_village_names, "region_list", dict(level=4, induk=""))
    assert after == [n + " (baru)" for n in before]


def test_another_dataset_restricted_or_not_never_shares_an_entry(counted, derived_empty, tmp_path):
    shutil.copy(tmp_path / "demo.duckdb", tmp_path / "rahasia.duckdb")
    _rename_villages(tmp_path / "rahasia.duckdb", " (terbatas)")
    (tmp_path / "active").write_text("rahasia", encoding="utf-8")
    secret = sd.derived(_village_names, "region_list", dict(level=4, induk=""))
    assert all(n.endswith(" (terbatas)") for n in secret)
    (tmp_path / "active").write_text("demo", encoding="utf-8")
    public = sd.derived(_village_names, "region_list", dict(level=4, induk=""))
    assert not any("terbatas" in n for n in public) and len(public) == len(secret)


def test_derived_results_are_bounded(counted, derived_empty, monkeypatch):
    monkeypatch.setattr(sd, "DERIVED_ENTRIES", 3)
    for n in range(1, 7):
        sd.derived(_first_villages, "region_list", dict(level=4, induk=""), n)
    assert len(sd._derived.items) == 3
    assert [k[-1] for k in sd._derived.items] == ["(4,)", "(5,)", "(6,)"]  # the least recently used left first


# --- small results asked again within one script run (sd._run_memo) ------------------------------------

def _spy_on_query_cache(monkeypatch):
    """(names of the queries that reached Streamlit's query cache, the cached function itself)."""
    looked_up = []
    real = sd._query

    def spy(*args):
        looked_up.append(args[1])
        return real(*args)

    spy.clear = real.clear
    monkeypatch.setattr(sd, "_query", spy)
    return looked_up, real


class _Run:
    """What ``memo.run_slot`` needs of a script run's context: Streamlit gives every run a new ``cursors`` dict."""

    def __init__(self):
        self.cursors = {}


def test_a_small_result_asked_again_in_a_run_comes_from_the_run_and_each_call_gets_its_own(counted, monkeypatch):
    run = _Run()
    monkeypatch.setattr(memo, "get_script_run_ctx", lambda suppress_warning=True: run)
    looked_up, real = _spy_on_query_cache(monkeypatch)
    first = sd.query("region_list", level=3, induk="")
    first.loc[first.index[0], "nama"] = "diubah"  # a page changing its frame
    first["baru"] = 1
    again = sd.query("region_list", level=3, induk="")
    assert looked_up == ["region_list"]  # the second ask never reached Streamlit's cache
    assert "diubah" not in set(again["nama"]) and "baru" not in again.columns
    assert again.equals(real(sd.dataset_key(), "region_list", (("induk", ""), ("level", 3))))
    run.cursors = {}  # the next run
    sd.query("region_list", level=3, induk="")
    assert looked_up == ["region_list", "region_list"]


def test_a_large_result_is_not_kept_by_the_run(counted, monkeypatch):
    run = _Run()
    monkeypatch.setattr(memo, "get_script_run_ctx", lambda suppress_warning=True: run)
    monkeypatch.setattr(sd, "RUN_MEMO_ROWS", 3)
    looked_up, real = _spy_on_query_cache(monkeypatch)
    assert len(sd.query("region_list", level=4, induk="")) == 8
    sd.query("region_list", level=4, induk="")
    assert looked_up == ["region_list", "region_list"]
    assert not sd._run_memo()  # this run's memo holds nothing

"""Cached data access for pages: one read-only connection per dataset file, results cached per query.

Pages call these functions; they never write SQL. Cache keys include the dataset file's identity
(path and modification time), so a newly imported dataset is picked up without restarting.
Returned frames are shared between sessions: callers must not mutate them (copy first).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sinergi import build, db


def dataset_key() -> tuple[str, int]:
    """(path, mtime_ns) of the active dataset file; builds the demo file when it is missing."""
    path = db.dataset_path()
    if not path.exists() and db.active_dataset() == "demo":
        build.ensure_demo()
    try:
        return str(path), path.stat().st_mtime_ns
    except OSError as e:
        raise db.gangguan("hilang", path) from e


@st.cache_resource(max_entries=4, show_spinner=False)
def _database(path: str, mtime_ns: int) -> db.Database:
    return db.Database(path)


def database() -> db.Database:
    return _database(*dataset_key())


@st.cache_data(max_entries=512, ttl=3600, show_spinner=False)
def _query(key: tuple[str, int], name: str, params: tuple) -> pd.DataFrame:
    return _database(*key).query(name, **dict(params))


def query(name: str, **params) -> pd.DataFrame:
    """Run ``queries/<name>.sql`` on the active dataset with bound parameters (cached)."""
    return _query(dataset_key(), name, tuple(sorted(params.items())))


def dataset_info() -> dict:
    df = query("dataset_info")
    return df.iloc[0].to_dict() if len(df) else {}


def years(indikator: str = "") -> list[int]:
    return [int(y) for y in query("years", indikator=indikator)["tahun"]]


def available_indicators() -> pd.DataFrame:
    return query("indicators_available")

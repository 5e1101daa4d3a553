"""Publishing a dataset to running app processes (sinergi/data.py's cache keys): a file replaced by an
atomic rename is a new build even with the old modification time, and one script run reads one build
from its first query to its last, however the file changes while it runs."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sinergi import data as sd
from sinergi import db


def variant(src: Path, dest: Path, nama: str) -> Path:
    """A copy of ``src`` whose dataset is called ``nama`` (a second build of the same data)."""
    shutil.copy(src, dest)
    con = db.connect(dest, read_only=False)
    try:
        con.execute("update dataset set nama = ?", [nama])
        con.execute("checkpoint")
    finally:
        con.close()
    return dest


def publish(new: Path, target: Path, mtime_ns: int | None = None) -> None:
    """What an import or a sync does: the new file renamed over the old one (optionally given the old
    file's modification time, as ``cp -p`` or ``rsync -a`` would)."""
    if mtime_ns is not None:
        os.utime(new, ns=(mtime_ns, mtime_ns))
    os.replace(new, target)


@pytest.fixture()
def folder(tiny_db, tmp_path, monkeypatch):
    d = tmp_path / "data"
    d.mkdir()
    shutil.copy(tiny_db, d / "demo.duckdb")
    monkeypatch.setenv("SINERGI_DATA_DIR", str(d))
    monkeypatch.setenv("SINERGI_TEST_STAGING", str(tmp_path))
    sd._query.clear()
    yield d
    sd._query.clear()


def test_a_new_build_with_the_old_modification_time_is_seen(folder, tmp_path):
    target = folder / "demo.duckdb"
    first = sd.dataset_key()
    assert sd.dataset_info()["nama"] != "Terbitan kedua"
    old_mtime = target.stat().st_mtime_ns
    publish(variant(target, tmp_path / "baru.duckdb", "Terbitan kedua"), target, mtime_ns=old_mtime)
    assert target.stat().st_mtime_ns == old_mtime  # (path, mtime) alone would still name the old build
    assert sd.dataset_key() != first
    assert sd.dataset_info()["nama"] == "Terbitan kedua"


def test_the_key_stays_while_the_file_is_unchanged(folder):
    assert sd.dataset_key() == sd.dataset_key()
    os.stat(folder / "demo.duckdb")  # reading the file's metadata changes nothing
    with open(folder / "demo.duckdb", "rb") as f:
        f.read(4096)
    assert sd.dataset_key() == sd.file_key()


def _page_that_sees_a_publication():
    """An app script: reads the dataset's name, then a new build is published under it (as by another
    replica's import), then reads the name again."""
    import os
    import shutil
    from pathlib import Path

    import streamlit as st

    from sinergi import data as sd
    from sinergi import db

    st.session_state.setdefault("names", [])
    before = sd.dataset_info()["nama"]
    if len(st.session_state["names"]) == 0:  # publish during the first run only
        staging = Path(os.environ["SINERGI_TEST_STAGING"]) / "mid-run.duckdb"
        target = db.dataset_path()
        shutil.copy(target, staging)
        con = db.connect(staging, read_only=False)
        con.execute("update dataset set nama = 'Terbit di tengah run'")
        con.execute("checkpoint")
        con.close()
        os.replace(staging, target)
    after = sd.dataset_info()["nama"]
    st.session_state["names"].append((before, after))
    st.write(f"{before} | {after}")


def test_one_run_reads_one_build_and_the_next_run_the_new_one(folder):
    at = AppTest.from_function(_page_that_sees_a_publication, default_timeout=60)
    at.run()
    assert not at.exception
    (before, after), = at.session_state["names"]
    assert before == after != "Terbit di tengah run"  # the publication is not seen half-way through a run
    at.run()
    assert not at.exception
    assert at.session_state["names"][1] == ("Terbit di tengah run", "Terbit di tengah run")


def _deleted_files_open(path: Path) -> list[str]:
    """Files that were at ``path`` and that this process still holds open although they were replaced (Linux)."""
    out = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target == f"{path} (deleted)":
            out.append(target)
    return out


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="reads /proc/self/fd (Linux)")
def test_a_replaced_build_is_closed_after_a_grace_period(folder, tmp_path, monkeypatch):
    monkeypatch.setattr(sd, "RETIRE_AFTER_S", 0.2)
    target = folder / "demo.duckdb"
    old = sd.database()
    assert sd.dataset_info()["nama"] == "Dataset uji"
    publish(variant(target, tmp_path / "baru.duckdb", "Terbitan kedua"), target)
    assert _deleted_files_open(target)  # the old build is still open: a run may still read it
    assert old.query("dataset_info")["nama"][0] == "Dataset uji"
    assert sd.dataset_info()["nama"] == "Terbitan kedua"  # opens the new build, retires the old one later
    deadline = time.monotonic() + 10
    while _deleted_files_open(target) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _deleted_files_open(target)  # its disk space is given back
    with pytest.raises(Exception):
        old.query("dataset_info")  # closed
    assert sd.dataset_info()["nama"] == "Terbitan kedua"

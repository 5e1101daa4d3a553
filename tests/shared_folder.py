"""A data folder shared by the tests that only view it: made once, so the same dataset file (same path and
mtime) keeps Streamlit's caches, keyed by that file, warm from one test to the next. Each test using it is
checked not to have written there: a test that writes makes its own copy instead."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path


def listing(folder: Path) -> list[tuple[str, int, int]]:
    """The folder's files as (name, size, modification time): what a write would change."""
    return sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir())


@contextmanager
def viewed(folder: Path, monkeypatch):
    """``folder`` as the test's ``SINERGI_DATA_DIR``; fails the test if the folder changed meanwhile."""
    before = listing(folder)
    monkeypatch.setenv("SINERGI_DATA_DIR", str(folder))
    yield folder
    assert listing(folder) == before, "a test changed the shared data folder: give it its own copy"

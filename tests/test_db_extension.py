"""The spatial extension's signature: checked once (DuckDB hashes the 80 MB file on every LOAD otherwise), the
result noted beside the file for the next process where its folder may be written, and a file that is not the
checked one is checked again, so a changed or foreign file is refused."""

import duckdb
import pytest

from sinergi import db


def test_a_file_that_is_not_signed_is_refused(tmp_path, monkeypatch):
    fake = tmp_path / "v0" / "spatial.duckdb_extension"
    fake.parent.mkdir()
    fake.write_bytes(b"\x7fELF not an extension at all" * 100)
    monkeypatch.setattr(db, "spatial_extension_path", lambda: fake)
    monkeypatch.setattr(db, "_CHECKED", None)
    with pytest.raises(duckdb.Error):
        db._config()
    assert db._CHECKED is None  # nothing was trusted


def test_the_signed_file_is_checked_once_then_trusted(tmp_path, monkeypatch):
    note = tmp_path / "spatial.duckdb_extension.diperiksa"
    monkeypatch.setattr(db, "_note_path", lambda path: note)
    monkeypatch.setattr(db, "_CHECKED", None)
    loads = []
    real = db.load_spatial
    monkeypatch.setattr(db, "load_spatial", lambda con: (loads.append(con), real(con)))
    cfg = db._config()
    assert cfg["allow_unsigned_extensions"] == "true" and len(loads) == 1  # the check itself
    db._config()
    assert len(loads) == 1  # same file: not checked again
    assert note.exists()
    monkeypatch.setattr(db, "_CHECKED", None)  # as a new process starts
    db._config()
    assert len(loads) == 1  # the note says this very file was checked
    note.write_text(note.read_text(encoding="utf-8").replace(duckdb.__version__, "0.0.0"), encoding="utf-8")
    monkeypatch.setattr(db, "_CHECKED", None)
    db._config()
    assert len(loads) == 2  # a note of another DuckDB version (or another file) is no check: checked again
    monkeypatch.setattr(db, "_note_path", lambda path: tmp_path / "tidak-ada" / "catatan")  # a folder not written
    monkeypatch.setattr(db, "_CHECKED", None)
    db._config()
    db._config()
    assert len(loads) == 3 and not (tmp_path / "tidak-ada").exists()  # checked, once per process, as before
    con = duckdb.connect(":memory:", config=cfg)
    real(con)
    assert con.execute("select ST_AsText(ST_Point(1, 2))").fetchone()[0] == "POINT (1 2)"
    con.close()


# Run in a process of its own: the check loads the copy into the process (DuckDB never unloads an extension), and
# rewriting a loaded library's file makes the kernel drop the process's relocated pages of it (truncation unmaps
# even private copies), so the copy, left in a test worker, later jumped to an address in the file (a segmentation
# fault in whatever test ran when the copy's code was next called, or at the worker's exit).
_REPLACED = """
import os, sys
from pathlib import Path
import duckdb
from sinergi import db
real_path, copy = db.spatial_extension_path(), Path(sys.argv[1])
copy.write_bytes(real_path.read_bytes())
db.spatial_extension_path = lambda: copy
db._config()
first = db._CHECKED
assert first is not None and first[0] == str(copy)
assert Path(str(copy) + ".diperiksa").exists()  # noted for the next process
changed = copy.with_name("baru.duckdb_extension")
changed.write_bytes(copy.read_bytes()[:-1] + b"\\x00")  # one byte changed: the signature no longer matches
os.replace(changed, copy)  # a new file in its place, as an upgrade writes it
try:
    db._config()
except duckdb.Error:
    assert db._CHECKED == first
    print("refused")
"""


def test_a_replaced_file_is_checked_again(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    run = subprocess.run([sys.executable, "-c", _REPLACED, str(tmp_path / "spatial.duckdb_extension")], cwd=root,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == "refused"

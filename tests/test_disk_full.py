"""The data folder's disk fills up during an import: the import stops with a clear message (Indonesian),
the dataset's file is unchanged byte for byte, nothing is left behind, and the old data is still served.

Two ways to run out of room: a real small file system (a tmpfs mounted for the test, filled to the last
few hundred kB; needs root) and, anywhere, a file-size limit on the importing process (``RLIMIT_FSIZE``:
every write past it fails as on a full disk, with "File too large")."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rusak

ROOT = Path(__file__).resolve().parents[1]


# The file-size limit is set by the child itself before the command line runs: a ``preexec_fn`` runs Python
# between fork and exec, which is unsafe in a parent with threads (a test worker has DuckDB's and Streamlit's)
# and once crashed the worker.
_LIMITED = ("import resource, runpy, signal, sys; "
            "signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "  # a write past the limit fails instead of killing
            "n = int(sys.argv[1]); resource.setrlimit(resource.RLIMIT_FSIZE, (n, n)); "
            "sys.argv = ['sinergi', *sys.argv[2:]]; runpy.run_module('sinergi', run_name='__main__', alter_sys=True)")


def _import(folder: Path, csv: Path, fsize: int | None = None, *extra: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, SINERGI_DATA_DIR=str(folder))
    start = [sys.executable, "-m", "sinergi"] if fsize is None else [sys.executable, "-c", _LIMITED, str(fsize)]
    return subprocess.run([*start, "import", "indicators", str(csv), "--dataset", "impor", "--yes", *extra],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)


def _status(folder: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, SINERGI_DATA_DIR=str(folder))
    return subprocess.run([sys.executable, "-m", "sinergi", "status"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300, check=False)


@pytest.fixture()
def small_disk(tmp_path):
    """A 16 MB tmpfs (root only), unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root; the file-size-limit variant runs instead")
    d = tmp_path / "kecil"
    d.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(d)], capture_output=True, text=True,
                       check=False)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
    yield d
    subprocess.run(["umount", "-l", str(d)], check=False)


def _values_csv(path: Path, base: int = 1) -> Path:
    villages = ("97.01.01.2001", "97.01.01.2002", "97.01.02.2001", "97.01.02.2002")
    path.write_text("kode,iks_2023,iks_2024\n" + "".join(f"{k},0.{base + i},0.{base + i + 1}\n"
                                                      for i, k in enumerate(villages)), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def _folder_imported(tmp_path_factory):
    """A data folder with an imported dataset ``impor`` made the active one (by the command line, in this
    process: the import that fails is the one run as a process of its own), built once per module."""
    from sinergi.__main__ import main

    d = tmp_path_factory.mktemp("diimpor")
    csv = _values_csv(d.parent / f"{d.name}-pertama.csv")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SINERGI_DATA_DIR", str(d))
        assert main(["import", "indicators", str(csv), "--dataset", "impor", "--yes", "--activate"]) == 0
    return d


@pytest.fixture()
def imported(_folder_imported):
    """Copies ``_folder_imported``'s files (the dataset, ``active`` and the audit trail) into a data folder;
    returns the dataset file's digest."""

    def into(folder: Path) -> str:
        for f in _folder_imported.iterdir():
            shutil.copy2(f, folder / f.name)
        return rusak.sha(folder / "impor.duckdb")

    return into


def _check_nothing_changed(folder: Path, before: str, r: subprocess.CompletedProcess) -> None:
    assert r.returncode == 2, (r.stdout[-1500:], r.stderr[-3000:])
    assert "Traceback" not in r.stderr
    assert "Ruang disk di folder data" in r.stderr and "Kosongkan ruang lalu ulangi impor" in r.stderr
    assert "Data lama tidak berubah" in r.stderr
    assert rusak.sha(folder / "impor.duckdb") == before  # byte for byte
    assert sorted(n for n in os.listdir(folder) if n.startswith(".impor")) == []  # no half-written file left
    st = _status(folder)  # the old data is what is served
    assert st.returncode == 0 and "Dataset impor (aktif)" in st.stdout, st.stdout + st.stderr


def test_a_full_disk_during_an_import_leaves_the_old_data(small_disk, imported, tmp_path):
    before = imported(small_disk)
    free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
    filler = small_disk / ".isi"
    with open(filler, "wb") as f:  # the disk full to its last 300 kB: the new dataset cannot fit
        f.truncate(0)
        os.posix_fallocate(f.fileno(), 0, free - 300 * 1024)
    r = _import(small_disk, _values_csv(tmp_path / "kedua.csv", base=3))
    _check_nothing_changed(small_disk, before, r)
    filler.unlink()  # room again: the same import goes through
    r = _import(small_disk, tmp_path / "kedua.csv")
    assert r.returncode == 0, r.stderr[-2000:]
    assert rusak.sha(small_disk / "impor.duckdb") != before


def test_a_write_limit_during_an_import_leaves_the_old_data(imported, tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    before = imported(folder)
    r = _import(folder, _values_csv(tmp_path / "kedua.csv", base=3), 256 * 1024)  # the new file outgrows it
    _check_nothing_changed(folder, before, r)

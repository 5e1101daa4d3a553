"""The command line under faults: a damaged, missing or foreign dataset file, a bad ``data/active``
(``status``, ``datasets``, ``use``, ``import``, ``set-aside``, ``build-demo``: exit codes, the message and
the repair command), and an import killed with SIGKILL while it builds the new database."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import rusak

from sinergi import audit, db, folders
from sinergi.__main__ import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def folder(tmp_path, monkeypatch):
    d = tmp_path / "data"
    d.mkdir()
    monkeypatch.setenv("SINERGI_DATA_DIR", str(d))
    return d


def _cli(capsys, *argv) -> tuple[int, str, str]:
    rc = main(list(argv))
    out = capsys.readouterr()
    return rc, out.out, out.err


@pytest.mark.parametrize("kind", sorted(rusak.MAKERS))
def test_status_datasets_and_use_say_the_fault_and_the_repair(kind, tiny_db, folder, capsys):
    shutil.copy(tiny_db, folder / "demo.duckdb")
    maker, jenis = rusak.MAKERS[kind]
    maker(tiny_db, folder / "uji.duckdb")
    (folder / "active").write_text("uji\n", encoding="utf-8")
    text = db.gangguan(jenis, folder / "uji.duckdb")
    rc, out, err = _cli(capsys, "status")
    assert rc == 1 and out == ""
    assert err.splitlines()[0] == str(text)
    assert "python -m sinergi set-aside uji" in err and "python -m sinergi use NAMA" in err
    rc, out, _ = _cli(capsys, "datasets")
    assert rc == 1
    assert f" * uji              {text}" in out and "   demo             Dataset uji — tests/fixtures.py" in out
    assert "uji: Perbaikan:" in out and "set-aside uji" in out
    before = (folder / "active").read_bytes()
    rc, out, err = _cli(capsys, "use", "uji")
    assert rc == 2 and err.startswith(f"Gagal: {text}")
    assert (folder / "active").read_bytes() == before
    rc, _, _ = _cli(capsys, "use", "demo")  # the repair the message names
    assert rc == 0 and _cli(capsys, "status")[0] == 0


def test_a_missing_or_invalid_active_dataset(tiny_db, folder, capsys):
    shutil.copy(tiny_db, folder / "demo.duckdb")
    (folder / "active").write_text("hilang\n", encoding="utf-8")
    rc, out, err = _cli(capsys, "status")
    assert rc == 1 and "Dataset 'hilang' tidak ada: berkas hilang.duckdb tidak ditemukan" in err
    assert "python -m sinergi use NAMA" in err
    rc, out, _ = _cli(capsys, "datasets")
    assert rc == 1 and "Dataset 'hilang' tidak ada" in out and "   demo " in out  # demo listed, not marked
    (folder / "active").write_text("demo; rm -rf /\n", encoding="utf-8")
    rc, out, err = _cli(capsys, "status")
    assert rc == 1 and "tidak menyebut nama dataset yang sah" in err and "Dataset demo" not in out
    assert "Rincian: isi: 'demo; rm -rf /'" in err


def test_a_healthy_folder_exits_0(tiny_db, folder, capsys):
    shutil.copy(tiny_db, folder / "demo.duckdb")
    assert _cli(capsys, "status")[0] == 0 and _cli(capsys, "datasets")[0] == 0
    _, out, _ = _cli(capsys, "datasets")
    assert "Perbaikan" not in out


def test_set_aside_refuses_a_sound_file_and_keeps_a_damaged_one(tiny_db, folder, capsys):
    shutil.copy(tiny_db, folder / "uji.duckdb")
    rc, out, err = _cli(capsys, "set-aside", "uji")
    assert rc == 2 and "terbaca dengan baik" in err and (folder / "uji.duckdb").exists()
    rusak.blok_rusak(tiny_db, folder / "uji.duckdb")  # opens, but its data fails the checksums
    before = rusak.sha(folder / "uji.duckdb")
    rc, out, err = _cli(capsys, "set-aside", "uji")
    assert rc == 0 and "Impor ulang berkas sumbernya" in out
    (aside,) = folder.glob("uji.duckdb.rusak-*")
    assert rusak.sha(aside) == before and str(aside) in out
    assert _cli(capsys, "set-aside", "tidak_ada")[0] == 2


def test_build_demo_keeps_a_damaged_demo_aside(tiny_db, folder, capsys):
    rusak.sampah(tiny_db, folder / "demo.duckdb")
    before = rusak.sha(folder / "demo.duckdb")
    rc, out, _ = _cli(capsys, "build-demo", "--size", "kecil")
    assert rc == 0
    (aside,) = folder.glob("demo.duckdb.rusak-*")
    assert f"Berkas lama yang rusak disimpan sebagai {aside}" in out and rusak.sha(aside) == before
    assert _cli(capsys, "status")[0] == 0


def test_an_import_into_a_damaged_dataset_changes_nothing(tiny_db, folder, capsys, tmp_path):
    rusak.terpotong(tiny_db, folder / "uji.duckdb")
    before = rusak.sha(folder / "uji.duckdb")
    csv = tmp_path / "iks.csv"
    csv.write_text("kode,iks_2024\n9701012001,0.5\n", encoding="utf-8")
    rc, out, _ = _cli(capsys, "import", "indicators", str(csv), "--dataset", "uji", "--yes")
    assert rc == 2 and "berkas uji.duckdb rusak" in out and "set-aside uji" in out
    assert "Tidak ada perubahan" in out and rusak.sha(folder / "uji.duckdb") == before


# --- killed during an import -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def besar(tmp_path_factory):
    """A dataset of 1,000 generated villages and a table of values for all of them (rusak.data_besar)."""
    return rusak.data_besar(tmp_path_factory.mktemp("besar"))


def _kill_while_building(folder: Path, csv: Path, kind: str = "indicators") -> list[str]:
    """Start ``python -m sinergi import <kind> … --yes`` and SIGKILL it as soon as its new database
    file appears beside the dataset; return the temporary files it left."""
    env = dict(os.environ, SINERGI_DATA_DIR=str(folder))
    p = subprocess.Popen([sys.executable, "-m", "sinergi", "import", kind, str(csv), "--dataset", "uji",
                          "--yes"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline and p.poll() is None:
            if any(n.startswith(".uji.duckdb.baru-") for n in os.listdir(folder)):
                p.send_signal(signal.SIGKILL)
                break
            time.sleep(0.002)
    finally:
        rc = p.wait(60) if p.poll() is None else p.returncode
    assert rc == -signal.SIGKILL, f"the import was not killed mid-way (exit {rc})"
    return sorted(n for n in os.listdir(folder) if n.startswith("."))


def _cli_run(folder: Path, *argv: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, SINERGI_DATA_DIR=str(folder))
    return subprocess.run([sys.executable, "-m", "sinergi", *argv], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600, check=False)


@pytest.fixture(scope="module")
def _terbunuh(besar, tmp_path_factory):
    """A data folder whose active dataset ``uji`` an indicator import was SIGKILLed while building over
    (once per module; see ``terbunuh``): (folder, the digest of ``uji.duckdb`` before, the files left)."""
    src, csv = besar
    folder = tmp_path_factory.mktemp("terbunuh") / "data"
    folder.mkdir()
    shutil.copy(src, folder / "uji.duckdb")
    (folder / "active").write_text("uji\n", encoding="utf-8")
    before = rusak.sha(folder / "uji.duckdb")
    return folder, before, _kill_while_building(folder, csv)


@pytest.fixture()
def terbunuh(_terbunuh, tmp_path):
    """A copy of ``_terbunuh``'s folder (every file the killed import left) for the test to change."""
    src, before, left = _terbunuh
    folder = tmp_path / "data"
    shutil.copytree(src, folder)
    return folder, before, left


@pytest.mark.slow
def test_an_import_killed_while_building_leaves_the_old_data(besar, terbunuh, monkeypatch, capsys):
    _, csv = besar
    folder, before, left = terbunuh
    monkeypatch.setenv("SINERGI_DATA_DIR", str(folder))  # for the commands run in this process
    assert left and all(folders.sisa(folder)) and {p.name for p in folders.sisa(folder)} == set(left)
    assert rusak.sha(folder / "uji.duckdb") == before  # byte for byte

    # the audit trail kept the check and the start (on disk before the new file was begun), and no end
    recs = audit.baca(folder).entri
    assert [(r["peristiwa"], r["hasil"]) for r in recs] == [("periksa", "siap"), ("impor", "dimulai")]
    assert recs[1]["berkas"]["sha256"] == rusak.sha(csv) and recs[1]["oleh"]["cara"] == "command line"
    rc, out, _ = _cli(capsys, "audit")  # the commands that only read run in this process
    assert rc == 0 and "dimulai (terputus)" in out

    # a fresh process shows the old data; the leftovers are no dataset
    r = _cli_run(folder, "status")
    assert r.returncode == 0 and "Dataset uji (aktif)" in r.stdout and "Tahun: –" in r.stdout
    assert "1.000 (1.000 desa, 0 kelurahan)" in r.stdout
    rc, out, _ = _cli(capsys, "datasets")
    listed = [ln.split()[1] for ln in out.splitlines() if ln.startswith(("  ", " *"))]
    assert rc == 0 and listed == ["uji"]

    # the lock died with the process: the next import runs, and clears what the killed one left
    r = _cli_run(folder, "import", "indicators", str(csv), "--dataset", "uji", "--yes")
    assert r.returncode == 0, r.stderr[-2000:]
    assert sorted(n for n in os.listdir(folder) if n.startswith(".")) == []
    assert "Tahun: 2019, 2020, 2021, 2022, 2023, 2024" in _cli(capsys, "status")[1]


@pytest.mark.slow
def test_leftovers_of_a_killed_import_are_cleared_when_the_app_starts(terbunuh, monkeypatch):
    from streamlit.testing.v1 import AppTest

    folder, before, left = terbunuh
    assert left and sorted(n for n in os.listdir(folder) if n.startswith(".")) == left
    monkeypatch.setenv("SINERGI_DATA_DIR", str(folder))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception and not at.error
    assert "(`uji`)" in " ".join(c.value for c in at.sidebar.caption)  # the old dataset, served
    assert sorted(n for n in os.listdir(folder) if n.startswith(".")) == []
    assert rusak.sha(folder / "uji.duckdb") == before


@pytest.mark.slow
def test_a_programme_import_killed_while_building_leaves_the_old_data(besar, tmp_path):
    """The programme import (issue 14) writes through the same atomic swap: killed mid-way, nothing changes."""
    src, csv = besar
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(src, folder / "uji.duckdb")
    kodes = [ln.split(",")[0] for ln in csv.read_text(encoding="utf-8").splitlines()[1:]]
    program = tmp_path / "program.csv"
    program.write_text("kode_desa,tahun,kementerian,program,anggaran\n" + "".join(
        f"{k},2024,Kementerian Sosial,{p},{1000 * (n % 97 + 1)}\n" for n, k in enumerate(kodes)
        for p in ("PKH", "Desa Berketahanan Sosial", "Bantuan Pangan")), encoding="utf-8")
    before = rusak.sha(folder / "uji.duckdb")
    assert _kill_while_building(folder, program, "programs")
    assert rusak.sha(folder / "uji.duckdb") == before  # byte for byte
    r = _cli_run(folder, "import", "programs", str(program), "--dataset", "uji", "--yes")
    assert r.returncode == 0, r.stderr[-2000:]
    assert sorted(n for n in os.listdir(folder) if n.startswith(".")) == []
    con = db.connect(folder / "uji.duckdb")
    try:
        rows = con.execute("select count(*), count(distinct kementerian) from program").fetchone()
        assert rows == (3 * len(kodes), 1)
    finally:
        con.close()

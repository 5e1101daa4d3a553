"""The command line: status, datasets, use, import with and without confirmation."""

import subprocess
import sys
from pathlib import Path

from sinergi import db
from sinergi.__main__ import main

from .conftest import tulis_csv

ROOT = Path(__file__).resolve().parents[2]


def _run(capsys, *argv):
    rc = main(list(argv))
    out = capsys.readouterr()
    return rc, out.out + out.err


def test_import_asks_first_then_applies_with_yes(dataset_desa, capsys, tmp_path):
    p = tulis_csv(tmp_path / "iks.csv", "kode,nama,iks_2024\n9701012001,Alfa,0.5\n9701012009,Alpha,0.1\n")
    before = dataset_desa.read_bytes()
    rc, out = _run(capsys, "import", "indicators", str(p), "--dataset", "uji")
    assert rc == 1 and "Tidak diterapkan: tidak ada perubahan" in out
    assert "baris 3: 9701012009 'Alpha' — kode tidak ada di dataset; nama terdekat: Alfa (97.01.01.2001)" in out
    assert "97 Nusa Uji: 1/2 (50,0 %)" in out
    assert dataset_desa.read_bytes() == before
    rc, out = _run(capsys, "import", "indicators", str(p), "--dataset", "uji", "--yes", "--activate",
                   "--source", "Uji CLI", "--licence", "CC0")
    assert rc == 0 and "Dataset aktif sekarang: uji" in out
    assert db.active_dataset() == "uji"


def test_status_datasets_and_use(dataset_desa, capsys, tmp_path):
    rc, out = _run(capsys, "status", "uji")
    assert rc == 0
    assert "Dataset uji: Data impor: uji" in out and "Sumber   : Batas wilayah: desa.geojson" in out
    assert "4 desa/kelurahan         8 (7 desa, 1 kelurahan)" in out
    assert "1. [batas] desa.geojson — 8/8 cocok" in out
    rc, out = _run(capsys, "use", "tidak_ada")
    assert rc == 2 and "Dataset 'tidak_ada' tidak ada" in out and db.active_dataset() == "demo"
    rc, out = _run(capsys, "use", "uji")
    assert rc == 0 and db.active_dataset() == "uji"
    rc, out = _run(capsys, "datasets")
    assert " * uji" in out
    rc, out = _run(capsys, "status")
    assert "Dataset uji (aktif)" in out


def test_status_of_a_missing_active_dataset(data_dir, capsys):
    (data_dir / "active").write_text("hilang\n")
    rc, out = _run(capsys, "status")
    assert rc == 1 and "Dataset 'hilang' tidak ada: berkas hilang.duckdb tidak ditemukan" in out


def test_module_entry_point_runs(data_dir):
    r = subprocess.run([sys.executable, "-m", "sinergi", "import", "indicators", "--help"], cwd=ROOT, check=False,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0
    for opt in ("--dataset", "--code-column", "--code-system", "--crosswalk", "--year", "--map", "--yes",
                "--add-regions", "--codes"):
        assert opt in r.stdout
    r = subprocess.run([sys.executable, "-m", "sinergi", "import", "boundaries", "--help"], cwd=ROOT, check=False,
                       capture_output=True, text=True, timeout=60)
    assert "--level" in r.stdout and "--crs" in r.stdout

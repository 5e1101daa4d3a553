"""Data-changing actions with their role check and audit records (sinergi.tindakan), through the code and
the command line. (An import killed half-way: tests/test_faults_cli.py.)"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from sinergi import audit, auth, db, tindakan
from sinergi.__main__ import main
from sinergi.importers import ImporGagal, plan

from .conftest import tulis_csv

STEWARD = auth.Pengguna("sub-steward", "Sari Steward", "sari@x.go.id", "steward", "oidc")
VIEWER = auth.Pengguna("sub-viewer", "Vino Viewer", "vino@x.go.id", "viewer", "oidc")
ADMIN = auth.Pengguna("sub-admin", "Adi Admin", "adi@x.go.id", "admin", "oidc")
NOROLE = auth.Pengguna("sub-x", "Tanpa Peran", "x@gmail.com", None, "oidc")


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _trail(folder: Path) -> list[tuple]:
    return [(r["peristiwa"], r["hasil"], r.get("dataset"), r["oleh"]["sub"]) for r in audit.baca(folder).entri]


def _check(tmp_path, who=STEWARD, text="kode,iks_2024\n9701012001,0.5\n9701012002,0.7\n", name="iks.csv"):
    csv = tulis_csv(tmp_path / name, text)
    return csv, tindakan.periksa(who, "uji", audit.info_berkas(csv), lambda: plan.siapkan_indikator(csv, "uji"))


def test_check_apply_recorded_with_file_summary_and_one_id(dataset_desa, data_dir, tmp_path):
    csv, r = _check(tmp_path)
    path = tindakan.terapkan(r, STEWARD, aktifkan=True)
    recs = audit.baca(data_dir).entri
    assert _trail(data_dir) == [("periksa", "siap", "uji", "sub-steward"), ("impor", "dimulai", "uji", "sub-steward"),
                                ("impor", "berhasil", "uji", "sub-steward"), ("ganti", "berhasil", "uji", "sub-steward")]
    assert len({r_["impor"] for r_ in recs}) == 1
    for rec in recs[:3]:
        assert rec["berkas"] == {"nama": "iks.csv", "ukuran": csv.stat().st_size, "sha256": _sha(csv)}
        assert rec["oleh"] == {"sub": "sub-steward", "nama": "Sari Steward", "cara": "oidc", "peran": "steward"}
    summary = recs[0]["ringkasan"]
    assert (summary["baris"], summary["cocok"], summary["tidak_cocok"], summary["indikator"]) == (2, 2, 0, ["iks"])
    assert path == dataset_desa and db.active_dataset() == "uji"


def test_a_check_with_errors_and_a_cancel_are_recorded(dataset_desa, data_dir, tmp_path):
    _, bad = _check(tmp_path, text="kode:iks_2024\n9701012001:0.5\n", name="titik_dua.csv")
    assert not bad.boleh_diterapkan
    _, ok = _check(tmp_path)
    tindakan.batal(ok, STEWARD)
    recs = audit.baca(data_dir).entri
    assert [(r["peristiwa"], r["hasil"]) for r in recs] == [("periksa", "galat"), ("periksa", "siap"),
                                                           ("impor", "dibatalkan")]
    assert "Hanya satu kolom terbaca" in recs[0]["ringkasan"]["galat"][0]
    assert recs[2]["impor"] == recs[1]["impor"] != recs[0]["impor"]


def test_a_failed_import_records_its_start_and_failure_and_changes_nothing(dataset_desa, data_dir, tmp_path):
    _, r = _check(tmp_path)
    before = _sha(dataset_desa)
    os.utime(dataset_desa, ns=(time.time_ns(), time.time_ns() + 10**9))  # the dataset changed since the check
    with pytest.raises(ImporGagal, match="berubah sejak diperiksa"):
        tindakan.terapkan(r, STEWARD)
    assert _sha(dataset_desa) == before
    recs = audit.baca(data_dir).entri
    assert [(x["peristiwa"], x["hasil"]) for x in recs] == [("periksa", "siap"), ("impor", "dimulai"), ("impor", "gagal")]
    assert "berubah sejak diperiksa" in recs[-1]["pesan"]


def test_roles_are_checked_at_the_action_and_refusals_recorded(dataset_desa, data_dir, tmp_path):
    csv = tulis_csv(tmp_path / "iks.csv", "kode,iks_2024\n9701012001,0.5\n")
    made = []
    for who in (VIEWER, NOROLE, auth.ANONIM):
        with pytest.raises(tindakan.TidakBerhak):
            tindakan.periksa(who, "uji", audit.info_berkas(csv), lambda: made.append(1))
    assert made == []  # the file was never even read
    _, r = _check(tmp_path)
    with pytest.raises(tindakan.TidakBerhak, match="perlu steward"):
        tindakan.terapkan(r, VIEWER)  # a plan checked by a steward, applied by someone else
    with pytest.raises(tindakan.TidakBerhak):
        tindakan.ganti("uji", VIEWER)
    with pytest.raises(tindakan.TidakBerhak, match="perlu admin"):
        tindakan.sisihkan("uji", STEWARD)
    with pytest.raises(tindakan.TidakBerhak):
        tindakan.tandai_terbatas("uji", True, STEWARD)
    expired = auth.Pengguna("sub-steward", "Sari", kedaluwarsa=True)
    with pytest.raises(tindakan.TidakBerhak, match="Belum masuk"):
        tindakan.ganti("uji", expired)
    outcomes = [(p, h) for p, h, *_ in _trail(data_dir)]
    assert outcomes.count(("periksa", "tidak_berhak")) == 3 and ("impor", "tidak_berhak") in outcomes
    assert ("ganti", "tidak_berhak") in outcomes and ("sisihkan", "tidak_berhak") in outcomes
    assert not any(h in ("dimulai", "berhasil") for _, h in outcomes)
    assert db.active_dataset() == "demo"


def test_a_restricted_dataset_is_out_of_reach_of_roles_that_may_not_see_it(dataset_desa, data_dir):
    tindakan.tandai_terbatas("uji", True, ADMIN)
    assert auth.may_view("uji", STEWARD) and auth.may_view("uji", VIEWER)  # restricted_role: viewer by default
    assert not auth.may_view("uji", NOROLE) and not auth.may_view("uji", auth.ANONIM)
    no_role_steward = auth.Pengguna("s2", "S2", peran=None, cara="oidc")
    with pytest.raises(tindakan.TidakBerhak):
        tindakan.ganti("uji", no_role_steward)
    assert ("akses", "berhasil", "uji", "sub-admin") in _trail(data_dir)
    assert auth.baca_akses()["terbatas"] == ["uji"]


def test_switch_set_aside_and_access_changes_are_recorded(dataset_desa, data_dir):
    tindakan.ganti("uji", STEWARD)
    with pytest.raises(db.DataError):
        tindakan.ganti("tidak_ada", STEWARD)
    tindakan.beri_peran("vino@x.go.id", "steward", ADMIN)
    with pytest.raises(auth.AturanSalah):
        tindakan.beri_peran("ADI@x.go.id", "viewer", ADMIN)  # never one's own role
    assert _trail(data_dir) == [("ganti", "berhasil", "uji", "sub-steward"), ("ganti", "gagal", "tidak_ada", "sub-steward"),
                                ("akses", "berhasil", None, "sub-admin")]
    assert auth.baca_akses()["peran"] == {"vino@x.go.id": "steward"}


# --- the command line ----------------------------------------------------------------------------------


def test_the_command_line_records_as_itself_and_prints_the_trail(dataset_desa, data_dir, tmp_path, capsys):
    csv = tulis_csv(tmp_path / "iks.csv", "kode,iks_2024\n9701012001,0.5\n")
    assert main(["import", "indicators", str(csv), "--dataset", "uji"]) == 1  # not confirmed: cancelled
    assert main(["import", "indicators", str(csv), "--dataset", "uji", "--yes", "--restricted"]) == 0
    assert main(["use", "uji"]) == 0
    assert main(["grant", "vino@x.go.id", "viewer"]) == 0 and main(["restrict", "uji", "--lift"]) == 0
    capsys.readouterr()
    trail = _trail(data_dir)
    assert [(p, h) for p, h, *_ in trail] == [
        ("periksa", "siap"), ("impor", "dibatalkan"), ("periksa", "siap"), ("akses", "berhasil"),
        ("impor", "dimulai"), ("impor", "berhasil"), ("ganti", "berhasil"), ("akses", "berhasil"), ("akses", "berhasil")]
    assert {s for *_, s in trail} == {"command line"}
    assert main(["audit", "--last", "3"]) == 0
    out = capsys.readouterr().out
    assert out.count("command line (") == 3 and "ganti" in out and "peran vino@x.go.id: viewer" in out
    assert main(["audit"]) == 0
    out = capsys.readouterr().out
    assert f"sha256 {_sha(csv)}" in out and "1 baris, 1 cocok" in out


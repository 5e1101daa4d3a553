"""The audit trail file (sinergi.audit): whole lines from many writers at once, torn lines of killed
writers, durability before the action, refusal when it cannot be written, interrupted imports."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from sinergi import audit, auth

ANI = auth.Pengguna("u-1", "Ani Rahayu", "ani@x.go.id", "steward", "oidc")


def test_a_record_says_who_when_what_file_which_dataset_and_how_it_ended(tmp_path):
    f = tmp_path / "iks.csv"
    f.write_bytes(b"kode,iks_2024\n9701012001,0.5\n")
    berkas = audit.info_berkas(f, "iks (asli).csv")
    import hashlib

    assert berkas == {"nama": "iks (asli).csv", "ukuran": 29, "sha256": hashlib.sha256(f.read_bytes()).hexdigest()}
    rec = audit.catat("periksa", "siap", ANI, dataset="uji", berkas=berkas, ringkasan={"baris": 1, "cocok": 1},
                      impor="abc", folder=tmp_path)
    line = (tmp_path / "audit.jsonl").read_text(encoding="utf-8")
    assert line.endswith("\n") and line.count("\n") == 1 and json.loads(line) == rec
    assert rec["oleh"] == {"sub": "u-1", "nama": "Ani Rahayu", "cara": "oidc", "peran": "steward"}
    assert rec["waktu"].endswith("Z") and rec["proses"]["pid"] == os.getpid()
    assert audit.baca(tmp_path).entri == [rec]
    with pytest.raises(ValueError):
        audit.catat("hapus_semua", "berhasil", ANI, folder=tmp_path)  # the vocabulary is fixed


WRITER = """
import sys
from sinergi import audit, auth
folder, tag = sys.argv[1], int(sys.argv[2])
who = auth.Pengguna(f"w{tag}", f"penulis {tag}", peran="steward", cara="oidc")
for i in range(150):
    audit.catat("periksa", "siap", who, dataset="uji", pesan=f"{tag}-{i} " + "x" * (i % 7) * 600, folder=folder)
"""


def test_many_processes_append_whole_lines(tmp_path):
    """Four processes (as app replicas sharing a data folder) append 150 records each at once, some longer
    than a pipe buffer: every line is one whole record, none lost, each writer's in its order."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), str(t)], cwd=root) for t in range(4)]
    assert [p.wait(300) for p in procs] == [0, 0, 0, 0]
    j = audit.baca(tmp_path)
    assert j.rusak == 0 and len(j.entri) == 600
    for t in range(4):
        mine = [int(r["pesan"].split()[0].split("-")[1]) for r in j.entri if r["oleh"]["sub"] == f"w{t}"]
        assert mine == list(range(150))


def test_a_torn_line_of_a_killed_writer_is_skipped_and_counted(tmp_path):
    audit.catat("impor", "dimulai", ANI, dataset="uji", impor="a", folder=tmp_path)
    with open(tmp_path / "audit.jsonl", "ab") as f:
        f.write(b'{"waktu":"2030-01-01T00:00:00Z","peristiwa":"imp')  # killed mid-write
    audit.catat("impor", "gagal", ANI, dataset="uji", impor="a", folder=tmp_path)
    j = audit.baca(tmp_path)
    assert [r["hasil"] for r in j.entri] == ["dimulai", "gagal"] and j.rusak == 1
    assert "1 baris bukan catatan" in audit.teks(j)
    assert [r["hasil"] for r in audit.baca(tmp_path, terakhir=1).entri] == ["gagal"]


def test_a_trail_that_cannot_be_written_raises(tmp_path):
    (tmp_path / "audit.jsonl").mkdir()  # not a file (works as root, unlike a read-only folder)
    with pytest.raises(audit.AuditGagal, match="Jejak audit tidak dapat ditulis"):
        audit.catat("ganti", "berhasil", ANI, dataset="uji", folder=tmp_path)


def test_a_huge_message_is_shortened_to_one_bounded_line(tmp_path):
    rec = audit.catat("periksa", "galat", ANI, dataset="uji", pesan="y" * 100_000,
                      ringkasan={"baris": 5, "galat": ["z" * 50_000] * 5}, folder=tmp_path)
    size = (tmp_path / "audit.jsonl").stat().st_size
    assert size <= audit.BATAS_BARIS and rec["hasil"] == "galat"
    assert audit.baca(tmp_path).entri[0]["dataset"] == "uji"


def test_an_import_without_an_end_is_running_or_interrupted(tmp_path):
    audit.catat("impor", "dimulai", ANI, dataset="uji", impor="jalan", folder=tmp_path)  # this process: alive
    audit.catat("impor", "dimulai", ANI, dataset="uji", impor="selesai", folder=tmp_path)
    audit.catat("impor", "berhasil", ANI, dataset="uji", impor="selesai", folder=tmp_path)
    dead = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    lines = (tmp_path / "audit.jsonl").read_text().splitlines()
    rec = json.loads(lines[0])
    rec.update(impor="mati", proses={"pid": dead.pid, "host": rec["proses"]["host"]})
    dead.send_signal(signal.SIGKILL)
    dead.wait()
    with open(tmp_path / "audit.jsonl", "a") as f:
        f.write(json.dumps(rec) + "\n")
    j = audit.baca(tmp_path)
    assert audit.terputus(j.entri) == {"jalan": "berjalan", "mati": "terputus"}
    shown = {r["impor"]: r["hasil"] for r in audit.baris_tabel(j.entri) if r["hasil"].startswith("dimulai")}
    assert shown == {"jalan": "dimulai (berjalan)", "mati": "dimulai (terputus)", "selesai": "dimulai"}


def test_a_record_is_on_disk_before_catat_returns(tmp_path):
    """A child process writes one record and is SIGKILLed the moment catat returns: the record is there."""
    code = ("import os, signal, sys; from sinergi import audit, auth;"
            "audit.catat('impor', 'dimulai', auth.baris_perintah(), dataset='uji', impor='k', folder=sys.argv[1]);"
            "os.kill(os.getpid(), signal.SIGKILL)")
    r = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=os.path.dirname(os.path.dirname(__file__)),
                       timeout=120, check=False)
    assert r.returncode == -signal.SIGKILL
    (rec,) = audit.baca(tmp_path).entri
    assert rec["hasil"] == "dimulai" and rec["oleh"]["cara"] == "command line"
    assert rec["oleh"]["nama"].startswith("command line (")
    assert audit.terputus([rec]) == {"k": "terputus"}

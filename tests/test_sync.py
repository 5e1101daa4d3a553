"""Datasets published from the admin host's data folder into another host's (sinergi/sync.py): a changed
dataset is copied and renamed in whole, the active one followed; a damaged or half-written source is not
copied and the local build stays; an interrupted copy leaves nothing a replica would read."""

from __future__ import annotations

import os
import shutil

import pytest
import rusak

from sinergi import data as sd
from sinergi import folders, sync
from test_publish import publish, variant


@pytest.fixture()
def hosts(tiny_db, tmp_path, monkeypatch):
    """(admin's folder, this host's folder); this host's is the data folder of this process."""
    admin, here = tmp_path / "admin", tmp_path / "here"
    admin.mkdir()
    here.mkdir()
    shutil.copy(tiny_db, admin / "demo.duckdb")
    monkeypatch.setenv("SINERGI_DATA_DIR", str(here))
    sd._query.clear()
    yield admin, here
    sd._query.clear()


def test_a_publication_arrives_whole_and_only_once(hosts, tmp_path):
    admin, here = hosts
    assert [ln.split(" (")[0] for ln in sync.sinkron_sekali(admin)] == ["demo: disalin"]
    assert rusak.sha(here / "demo.duckdb") == rusak.sha(admin / "demo.duckdb")
    assert sd.dataset_info()["nama"] == "Dataset uji"
    assert sync.sinkron_sekali(admin) == []  # nothing changed: nothing copied

    publish(variant(admin / "demo.duckdb", tmp_path / "v2.duckdb", "Terbitan kedua"), admin / "demo.duckdb")
    before = os.stat(here / "demo.duckdb").st_ino
    lines = sync.sinkron_sekali(admin)
    assert [ln.split(" (")[0] for ln in lines] == ["demo: disalin"]
    assert os.stat(here / "demo.duckdb").st_ino != before  # a new file renamed in, not written in place
    assert sd.dataset_info()["nama"] == "Terbitan kedua"  # served at the next read
    assert not folders.sisa(here)


def test_the_active_dataset_is_followed_once_it_has_arrived(hosts, tmp_path):
    admin, here = hosts
    variant(admin / "demo.duckdb", admin / "impor.duckdb", "Impor")
    (admin / "active").write_text("impor\n", encoding="utf-8")
    lines = sync.sinkron_sekali(admin)
    assert "dataset aktif: impor" in lines and (here / "active").read_text().strip() == "impor"
    assert sd.dataset_info()["nama"] == "Impor"


def test_a_damaged_or_growing_source_is_not_copied(hosts):
    admin, here = hosts
    sync.sinkron_sekali(admin)
    good = rusak.sha(here / "demo.duckdb")
    rusak.terpotong(admin / "demo.duckdb", admin / "baru.duckdb")  # as a file still being written in place
    os.replace(admin / "baru.duckdb", admin / "demo.duckdb")
    lines = sync.sinkron_sekali(admin)
    assert len(lines) == 1 and lines[0].startswith("demo: belum disalin") and "terpotong" in lines[0]
    assert rusak.sha(here / "demo.duckdb") == good  # the replicas keep the previous build
    assert not folders.sisa(here) and sd.dataset_info()["nama"] == "Dataset uji"


def test_a_local_write_in_progress_waits(hosts):
    admin, here = hosts
    with folders.kunci_folder(here):
        with pytest.raises(folders.FolderSibuk):
            sync.sinkron_sekali(admin)
    assert not (here / "demo.duckdb").exists()
    assert sync.sinkron_sekali(admin)


def test_the_command_runs_one_round(hosts, capsys):
    admin, here = hosts
    assert sync.main([str(admin), "--once"]) == 0
    assert "demo: disalin" in capsys.readouterr().err and (here / "demo.duckdb").exists()
    assert sync.main([str(admin / "tidak-ada"), "--once"]) == 2

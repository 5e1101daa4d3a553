"""Faults of the data: a missing, damaged, truncated, foreign or misplaced database file, a bad
``data/active``, leftovers of interrupted writes — what the code reports (``sinergi.db`` faults), what the
pages show (AppTest, both languages) and how Kelola Data repairs it (rebuild the demo, set a file aside,
switch datasets)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest
import rusak
from apptest import open_page
from streamlit.testing.v1 import AppTest

from sinergi import build, datasets, db, folders, i18n
from sinergi import data as sd
from sinergi.themes import md

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
KELOLA = "pages/kelola_data.py"
PAGES = sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))


@pytest.fixture()
def folder(tmp_path, monkeypatch):
    """An empty data folder (SINERGI_DATA_DIR) and no admin password unless a test sets one."""
    d = tmp_path / "data"
    d.mkdir()
    monkeypatch.setenv("SINERGI_DATA_DIR", str(d))
    monkeypatch.delenv("SINERGI_ADMIN_PASSWORD", raising=False)
    return d


def _spoil(kind: str, tiny_db: Path, dst: Path) -> str:
    """Make ``dst`` damaged in the way ``kind`` names and return the fault kind it must be reported as."""
    maker, jenis = rusak.MAKERS[kind]
    maker(tiny_db, dst)
    return jenis


def _run(page: str | None = None, lang: str = "id", secrets: dict | None = None) -> AppTest:
    query = {"lang": "en"} if lang == "en" else None
    if page:
        return open_page(page, query, secrets, timeout=120)
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    for k, v in (secrets or {}).items():
        at.secrets[k] = v
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _errors(at: AppTest) -> str:
    return "\n".join(e.value for e in at.error)


def _shown(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [e.value for e in at.error]
                     + [w.value for w in at.warning] + [s.value for s in at.success] + [i.value for i in at.info])


def _fault_text(jenis: str, lang: str, dataset: str, berkas: str) -> str:
    """The fault's sentence as the page shows it (names Markdown-escaped, as sinergi.ui.show_fault does)."""
    return i18n.t(f"fault_{jenis}", lang).format(dataset=md(dataset), berkas=md(berkas), folder="")


# --- what the code reports ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(rusak.MAKERS))
def test_each_damaged_file_is_reported_with_its_kind(kind, tiny_db, folder):
    path = folder / "uji.duckdb"
    jenis = _spoil(kind, tiny_db, path)
    with pytest.raises(db.DataError) as e:
        db.connect_snapshot(path)
    assert (e.value.jenis, e.value.dataset, e.value.berkas) == (jenis, "uji", "uji.duckdb")
    assert str(e.value) == i18n.t(f"fault_{jenis}", "id").format(dataset="uji", berkas="uji.duckdb", folder="")
    listed = {i.id: i for i in datasets.daftar()}
    assert listed["uji"].gangguan is not None and listed["uji"].gangguan.jenis == jenis
    with pytest.raises(db.DataError):
        datasets.gunakan("uji")
    assert not (folder / "active").exists()  # nothing changed


def test_a_file_cut_short_is_refused_when_opened(tiny_db, folder):
    """Cut anywhere in its last blocks, the file is refused as damaged when it is opened (whether
    DuckDB notices itself, as it does when the catalog sits at the end, or the size check does)."""
    path = folder / "uji.duckdb"
    data = tiny_db.read_bytes()
    for blocks in (0, 1, 2):
        path.write_bytes(data[: len(data) - blocks * rusak.BLOCK - 1])
        with pytest.raises(db.DataError) as e:
            db.connect_snapshot(path)
        assert e.value.jenis == "rusak"


def test_the_size_check_refuses_a_file_shorter_than_its_header_says(tiny_db, folder):
    """DuckDB opens a file cut short after its catalog and fails only when a query reaches a missing
    block (seen with files whose last blocks hold data); the size check compares the blocks the header
    counts with the file's length."""
    short = folder / "uji.duckdb"
    short.write_bytes(tiny_db.read_bytes()[: -rusak.BLOCK - 1])
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"attach '{tiny_db}' as sinergi_db (read_only)")  # the header of the sound file
        db._check_complete(con, tiny_db)  # the sound file passes
        with pytest.raises(db.DataError) as e:
            db._check_complete(con, short)
    finally:
        con.close()
    assert e.value.jenis == "rusak" and "berkas terpotong" in e.value.detail


def test_damaged_blocks_behind_a_readable_catalog(tiny_db, folder):
    path = folder / "uji.duckdb"
    rusak.blok_rusak(tiny_db, path)
    db.connect_snapshot(path).close()  # opens: the damage shows only when the data is read
    assert datasets.daftar()[0].gangguan is None and db.seen_damaged(path) is None
    with pytest.raises(db.DataError) as e:
        db.check_contents(path)
    assert e.value.jenis == "rusak" and "checksum" in e.value.detail
    assert db.seen_damaged(path) is not None
    assert datasets.daftar()[0].gangguan.jenis == "rusak"
    shutil.copy(tiny_db, path)  # a new file at the same place is not taken for the damaged one
    assert db.seen_damaged(path) is None
    db.check_contents(path)


def test_the_active_file_must_name_a_valid_dataset(tiny_db, folder):
    shutil.copy(tiny_db, folder / "demo.duckdb")
    assert db.active_fault() is None and db.dataset_path() == folder / "demo.duckdb"
    (folder / "active").write_text("../../etc/passwd\n", encoding="utf-8")
    assert db.active_dataset() == "demo"  # lenient for labels …
    with pytest.raises(db.DataError) as e:  # … but the demo is not shown in its place
        db.dataset_path()
    assert e.value.jenis == "aktif" and "isi: '../../etc/passwd'" in e.value.detail
    (folder / "active").write_bytes(b"\xff\xfe\x00")
    assert db.active_fault().jenis == "aktif"
    (folder / "active").unlink()
    (folder / "active").mkdir()
    assert db.active_fault().jenis == "aktif"
    (folder / "active").rmdir()
    (folder / "active").write_text("hilang\n", encoding="utf-8")
    with pytest.raises(db.DataError) as e:
        sd.dataset_key()
    assert e.value.jenis == "hilang" and e.value.dataset == "hilang"
    assert not (folder / "hilang.duckdb").exists()  # only the demo is ever built on its own


def test_repair_texts_name_the_commands():
    demo = db.gangguan("rusak", Path("/x/demo.duckdb"))
    other = db.gangguan("rusak", Path("/x/diy.duckdb"))
    assert "python -m sinergi build-demo" in datasets.perbaikan(demo)
    assert "Rebuild the demo data" in datasets.perbaikan(demo, "en")
    assert "python -m sinergi set-aside diy" in datasets.perbaikan(other)
    assert "python -m sinergi use NAMA" in datasets.perbaikan(db.gangguan("hilang", Path("/x/diy.duckdb")))
    assert "izin tulis" in datasets.perbaikan(db.gangguan("tulis", folder="/x"))


# --- leftovers of interrupted writes ------------------------------------------------------------------


def test_leftovers_are_removed_only_while_nobody_writes(tiny_db, folder):
    keep = ["uji.duckdb", "demo.duckdb.rusak-20240101T000000Z", "catatan.txt", ".uji.duckdb.baru-xyz",
            f".active.{os.getpid()}"]  # a live writer's name
    stale = [".uji.duckdb.baru-0123abcd", ".uji.duckdb.baru-0123abcd.wal",
             ".uji.duckdb.baru-0123abcd.tmp4242-89abcdef", "demo.duckdb.tmp77-00ff00ff",
             "demo.duckdb.tmp77-00ff00ff.wal", ".active.999999999"]
    shutil.copy(tiny_db, folder / "uji.duckdb")
    for name in keep[1:] + stale:
        (folder / name).write_bytes(b"x")
    assert sorted(p.name for p in folders.sisa(folder)) == sorted(stale + [f".active.{os.getpid()}"])
    with folders.kunci_folder(folder):  # an import is running: its files are not leftovers
        assert folders.bersihkan_sisa(folder) == []
    assert sorted(p.name for p in folders.bersihkan_sisa(folder)) == sorted(stale)
    assert sorted(p.name for p in folder.iterdir()) == sorted(keep)
    assert [i.id for i in datasets.daftar()] == ["uji"]


def test_the_lock_excludes_a_second_writer_in_the_same_process(folder):
    with folders.kunci_folder(folder), pytest.raises(folders.FolderSibuk), folders.kunci_folder(folder):
        pass
    with folders.kunci_folder(folder):  # released
        pass


# --- repairs ------------------------------------------------------------------------------------------


def test_rebuilding_a_damaged_demo_keeps_the_damaged_file(tiny_db, folder):
    demo = folder / "demo.duckdb"
    rusak.sampah(tiny_db, demo)
    before = rusak.sha(demo)
    path, aside = build.rebuild_demo(size="kecil")
    assert path == demo and aside is not None and aside.name.startswith("demo.duckdb.rusak-")
    assert rusak.sha(aside) == before  # moved, byte for byte
    db.check_contents(demo)
    assert datasets.status("demo").info.demo
    assert [i.id for i in datasets.daftar()] == ["demo"]  # the kept file is no dataset
    _, aside2 = build.rebuild_demo(size="kecil")  # a sound demo is replaced, nothing set aside
    assert aside2 is None and len(list(folder.glob("demo.duckdb.rusak-*"))) == 1


def test_set_aside_moves_only_a_damaged_file(tiny_db, folder):
    shutil.copy(tiny_db, folder / "baik.duckdb")
    with pytest.raises(db.DataError, match="terbaca dengan baik"):
        datasets.sisihkan("baik")
    rusak.folder(tiny_db, folder / "uji.duckdb")
    aside = datasets.sisihkan("uji")
    assert aside.name.startswith("uji.duckdb.rusak-") and (aside / "isi.txt").exists()
    assert not (folder / "uji.duckdb").exists()
    with pytest.raises(db.DataError) as e:
        datasets.sisihkan("uji")
    assert e.value.jenis == "hilang"


def test_an_import_into_a_damaged_dataset_is_refused(tiny_db, folder, tmp_path):
    from sinergi.importers import plan

    path = folder / "uji.duckdb"
    rusak.terpotong(tiny_db, path)
    before = rusak.sha(path)
    csv = tmp_path / "iks.csv"
    csv.write_text("kode,iks_2024\n9701012001,0.5\n", encoding="utf-8")
    r = plan.siapkan_indikator(csv, "uji")
    assert not r.boleh_diterapkan
    assert "berkas uji.duckdb rusak" in r.laporan.galat[0].pesan and "set-aside uji" in r.laporan.galat[0].pesan
    assert rusak.sha(path) == before


# --- pages ------------------------------------------------------------------------------------------------


FAULTS = [*sorted(rusak.MAKERS), "hilang", "aktif"]


def _setup(fault: str, tiny_db: Path, folder: Path) -> tuple[str, str, str]:
    """The active dataset ``uji`` with ``fault``; returns (fault kind, dataset, file name) as shown."""
    if fault == "aktif":
        (folder / "active").write_text("Uji; DROP TABLE\n", encoding="utf-8")
        shutil.copy(tiny_db, folder / "demo.duckdb")  # a sound demo that must not be shown instead
        return "aktif", "", "active"
    (folder / "active").write_text("uji\n", encoding="utf-8")
    if fault == "hilang":
        return "hilang", "uji", "uji.duckdb"
    return _spoil(fault, tiny_db, folder / "uji.duckdb"), "uji", "uji.duckdb"


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("fault", FAULTS)
def test_the_overview_says_what_is_wrong_in_the_users_language(fault, lang, tiny_db, folder):
    jenis, dataset, berkas = _setup(fault, tiny_db, folder)
    at = _run(lang=lang)
    errors = _errors(at)
    assert _fault_text(jenis, lang, dataset, berkas) in errors
    assert ("Perbaikan:" if lang == "id" else "Repair:") in errors
    assert ("Repair:" if lang == "id" else "Perbaikan:") not in errors
    assert "DATA DEMO" not in _shown(at) and "DEMO DATA" not in _shown(at)  # no other dataset in its place
    assert not at.metric  # the page itself did not run


def test_every_page_shows_the_message_and_kelola_data_still_runs(tiny_db, folder):
    jenis, dataset, berkas = _setup("sampah", tiny_db, folder)
    expected = _fault_text(jenis, "id", dataset, berkas)
    for page in PAGES:
        at = _run(page)
        assert expected in _errors(at), page
        if page == KELOLA:
            assert at.title[0].value == "Kelola Data"
            assert at.dataframe[-1].value["id"].tolist() == ["uji"]  # the file list, with the fault
            assert "rusak" in at.dataframe[-1].value["nama"].iloc[0]
        else:
            assert not at.title or at.title[0].value != "Kelola Data"


def test_damage_met_while_a_page_reads_ends_it_with_the_message(tiny_db, folder, monkeypatch):
    (folder / "active").write_text("uji\n", encoding="utf-8")
    rusak.blok_rusak(tiny_db, folder / "uji.duckdb")
    at = _run()
    # met while the page reads, or already while the run reads the dataset's catalog (sinergi.data
    # pakai_katalog reads the indicators' block first): either way the message, never a traceback
    assert not at.exception
    assert _fault_text("rusak", "id", "uji", "uji.duckdb") in _errors(at)
    assert any("checksum" in c.value for c in at.caption)  # DuckDB's words, as a technical detail
    at = _run(lang="en")  # the next visit is told up front: the page does not begin to draw
    assert _fault_text("rusak", "en", "uji", "uji.duckdb") in _errors(at) and "stopped" not in _errors(at)
    assert not at.metric
    monkeypatch.setenv("SINERGI_ADMIN_PASSWORD", "rahasia")
    at = _login(_run(KELOLA))
    assert "rusak" in at.dataframe[-1].value["nama"].iloc[0]  # the list agrees with what the page met
    assert any(b.key == "kd_set_aside_uji" for b in at.button)


def _login(at: AppTest, sandi: str = "rahasia") -> AppTest:
    at.text_input(key="kd_password").input(sandi)
    next(b for b in at.button if b.label in ("Masuk", "Sign in")).click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_kelola_data_rebuilds_a_damaged_demo_with_the_password(tiny_db, folder, monkeypatch):
    demo = folder / "demo.duckdb"
    rusak.terpotong(tiny_db, demo)
    before = rusak.sha(demo)
    at = _run(KELOLA)  # no password configured: the fault is shown, nothing can be changed
    assert _fault_text("rusak", "id", "demo", "demo.duckdb") in _errors(at)
    assert "kata sandi admin belum dikonfigurasi" in _shown(at)
    assert not any(b.key == "kd_rebuild_demo" for b in at.button)
    monkeypatch.setenv("SINERGI_ADMIN_PASSWORD", "rahasia")
    real = build.rebuild_demo
    monkeypatch.setattr(build, "rebuild_demo", lambda **kw: real(size="kecil", **kw))  # seconds, not half a minute
    at = _login(_run(KELOLA))
    at.button(key="kd_rebuild_demo").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    done = " ".join(s.value for s in at.success)
    (aside,) = folder.glob("demo.duckdb.rusak-*")
    assert done == f"Data demo dibangun ulang. Berkas lama disimpan sebagai {md(aside.name)}."
    assert rusak.sha(aside) == before
    at = _run()  # the overview shows the demo again
    assert not at.error and "DATA DEMO" in _shown(at)


def test_kelola_data_switches_away_from_a_damaged_dataset_and_sets_it_aside(tiny_db, folder, monkeypatch):
    shutil.copy(tiny_db, folder / "demo.duckdb")
    (folder / "active").write_text("uji\n", encoding="utf-8")
    rusak.asing(tiny_db, folder / "uji.duckdb")
    monkeypatch.setenv("SINERGI_ADMIN_PASSWORD", "rahasia")
    at = _login(_run(KELOLA))
    assert "bukan basis data Sinergi Desa" in _errors(at)
    assert at.selectbox(key="kd_pilih").value == "demo"  # only readable datasets can be chosen
    at.button(key="kd_set_aside_uji").click()
    at.run()
    (aside,) = folder.glob("uji.duckdb.rusak-*")
    assert [s.value for s in at.success] == [f"Berkas lama disimpan sebagai {md(aside.name)}."]
    assert not (folder / "uji.duckdb").exists()
    assert "Dataset 'uji' tidak ada" in _errors(at)  # still the active one: said, not replaced
    at.selectbox(key="kd_pilih").set_value("demo")
    at.run()
    at.button(key="kd_activate").click()
    at.run()
    assert db.active_dataset() == "demo"
    at = _run()
    assert not at.error and "DATA DEMO" in _shown(at)


def test_presentation_mode_shows_the_fault_too(tiny_db, folder):
    """Presentation mode hides alerts; a fault in front of an audience must still be said, not a blank screen."""
    jenis, dataset, berkas = _setup("teks", tiny_db, folder)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["mode"] = "presentasi"
    at.run()
    assert not at.exception and not at.error
    assert any(_fault_text(jenis, "id", dataset, berkas) in m.value for m in at.markdown)

"""The Kelola Data page (AppTest): read-only without a password, the gate, upload → report → apply or cancel,
switching the active dataset, escaping of names from files, the upload size check, the sidebar line."""

from pathlib import Path

import pytest
from apptest import open_page
from streamlit.testing.v1 import AppTest

from sinergi import datasets, db
from sinergi.importers import files

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
PAGE = "pages/kelola_data.py"
CSV = b"kode;nama;iks_2024\n9701012001;Alfa;0,5\n9701012002;Bravo;0,65\n"


@pytest.fixture()
def aktif(dataset_desa, monkeypatch):
    monkeypatch.delenv("SINERGI_ADMIN_PASSWORD", raising=False)
    datasets.gunakan("uji")
    return dataset_desa


def _page(query=None, secrets=None):
    return open_page(PAGE, query, secrets, timeout=90)


def _texts(at):
    return "\n".join([m.value for m in at.markdown] + [m.value for m in at.caption] + [e.value for e in at.error]
                     + [w.value for w in at.warning] + [i.value for i in at.info] + [s.value for s in at.success])


def _masuk(at, sandi="rahasia"):
    at.text_input(key="kd_password").input(sandi)
    next(b for b in at.button if b.label == "Masuk").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _periksa(at, name="iks.csv", content=CSV, target="uji"):
    at.file_uploader(key="kd_file_indikator").set_value((name, content, "text/csv"))
    at.text_input(key="kd_target").input(target)
    at.run()
    at.button(key="kd_check").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_read_only_without_a_password_shows_the_active_dataset(aktif):
    at = _page()
    assert at.title[0].value == "Kelola Data"
    text = _texts(at)
    assert "hanya-baca: kata sandi admin belum dikonfigurasi" in text
    assert "Data impor\\: uji" in text and "desa\\.geojson" in text  # name and source (Markdown-escaped)
    assert {m.label: m.value for m in at.metric}["Desa/kelurahan"] == "8"
    assert len(at.file_uploader) == 0 and not any(b.label == "Masuk" for b in at.button)
    ids = at.dataframe[-1].value["id"].tolist()
    assert ids == ["uji"]


def test_english_labels(aktif):
    at = _page({"lang": "en"})
    assert at.title[0].value == "Manage data"
    assert "read-only: no admin password is configured" in _texts(at)


def test_wrong_password_then_upload_check_and_apply(aktif, monkeypatch):
    monkeypatch.setenv("SINERGI_ADMIN_PASSWORD", "rahasia")
    at = _page()
    _masuk(at, "salah")
    assert [e.value for e in at.error] == ["Kata sandi salah."] and len(at.file_uploader) == 0
    _masuk(at)
    before = aktif.read_bytes()
    _periksa(at)
    assert {m.label: m.value for m in at.metric}["Cocok dengan wilayah yang ada"] == "2"
    assert aktif.read_bytes() == before  # checked, not applied
    at.checkbox(key="kd_activate_after").check()
    at.button(key="kd_apply").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("Impor diterapkan ke dataset uji" in s.value for s in at.success)
    con = db.connect_snapshot(aktif)
    try:
        assert con.execute("select nilai from nilai where kode = '97.01.01' and indikator = 'iks'").fetchone()[0] \
            == pytest.approx(0.575)
    finally:
        con.close()


def test_cancel_changes_nothing_and_secrets_password_works(aktif):
    at = _page(secrets={"admin_password": "dari-secrets"})
    _masuk(at, "dari-secrets")
    before = aktif.read_bytes()
    _periksa(at)
    at.button(key="kd_cancel").click()
    at.run()
    assert any("Impor dibatalkan" in i.value for i in at.info)
    assert aktif.read_bytes() == before


def test_errors_block_apply(aktif, monkeypatch):
    monkeypatch.setenv("SINERGI_ADMIN_PASSWORD", "rahasia")
    at = _masuk(_page())
    _periksa(at, "titik_dua.csv", b"kode:iks_2024\n9701012001:0.5\n")
    assert any("Hanya satu kolom terbaca" in e.value for e in at.error)
    assert any("tidak dapat diterapkan" in e.value for e in at.error)
    assert not any(b.key == "kd_apply" for b in at.button)


def test_names_from_files_are_escaped(aktif, monkeypatch):
    monkeypatch.setenv("SINERGI_ADMIN_PASSWORD", "rahasia")
    at = _masuk(_page())
    evil = "<img src=x onerror=alert(1)>"
    _periksa(at, "<b>iks</b>.csv", f"kode,nama,iks_2024\n9701012009,{evil},0.5\n9701012001,Alfa,0.4\n".encode())
    shown = [m.value for m in at.markdown] + [w.value for w in at.warning] + [e.value for e in at.error]
    assert not any("<img" in s or "<b>" in s for s in shown)
    tc = next(d.value for d in at.dataframe if "kode_asal" in d.value.columns)
    assert tc["nama"].tolist() == [evil]  # a dataframe cell: plain text in the browser


def test_oversized_upload_is_refused_in_code(aktif, monkeypatch):
    monkeypatch.setenv("SINERGI_ADMIN_PASSWORD", "rahasia")
    at = _masuk(_page())
    before = aktif.read_bytes()
    _periksa(at, "besar.csv", b"kode,iks_2024\n" + b"0" * (files.BATAS_UKURAN_MB * files.MB))
    assert any("terlalu besar" in e.value and "batasnya 50 MB" in e.value for e in at.error)
    assert aktif.read_bytes() == before


def test_switch_the_active_dataset(aktif, monkeypatch, tmp_path):
    import shutil

    shutil.copy(aktif, aktif.parent / "kedua.duckdb")
    monkeypatch.setenv("SINERGI_ADMIN_PASSWORD", "rahasia")
    at = _masuk(_page())
    at.selectbox(key="kd_pilih").set_value("kedua")
    at.run()
    at.button(key="kd_activate").click()
    at.run()
    assert db.active_dataset() == "kedua"
    assert [s.value for s in at.success] == ["Dataset aktif sekarang: kedua — Data impor\\: uji"]


def test_sidebar_names_the_active_dataset_on_every_page(aktif):
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    line = " ".join(c.value for c in at.sidebar.caption)
    assert "Dataset aktif:" in line and "(`uji`)" in line and "Sumber: Batas wilayah" in line

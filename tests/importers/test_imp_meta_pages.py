"""Imported indicators on the pages (AppTest): after an import with metadata, Peta, Profil Desa and Indeks
Kustom offer them like built-in ones; on Kelola Data an admin uploads the metadata beside the table, or
describes undescribed columns in a form and checks again before applying."""

import re
import shutil
from pathlib import Path

import pytest
from apptest import open_page
from legends import legend_lines, map_legends
from shared_folder import viewed

from sinergi import datasets, db
from sinergi.importers import apply, plan

from . import sdgs
from .conftest import DESA

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
KODE = [k for k, *_ in DESA]


def _teks(elements) -> list[str]:
    """Alert texts as the reader sees them (Markdown escapes and the invisible word joiner removed)."""
    return [re.sub(r"\\(.)", r"\1", e.value).replace("\u2060", "") for e in elements]


@pytest.fixture()
def sdgs_files(tmp_path):
    csv, dp, _ = sdgs.tulis(tmp_path / "sdgs", [sdgs.kode_bps_untuk(k) for k in KODE])
    return csv, dp, sdgs.tulis_crosswalk(tmp_path / "crosswalk.csv", KODE)


@pytest.fixture(scope="module")
def _folder_diimpor(_berkas_desa, tmp_path_factory):
    """The data folder of ``diimpor``, made once per module."""
    base = tmp_path_factory.mktemp("diimpor")
    d = base / "data"
    d.mkdir()
    shutil.copy(_berkas_desa, d / "uji.duckdb")
    csv, dp, _ = sdgs.tulis(base / "sdgs", [sdgs.kode_bps_untuk(k) for k in KODE])
    cw = sdgs.tulis_crosswalk(base / "crosswalk.csv", KODE)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SINERGI_DATA_DIR", str(d))
        r = plan.siapkan_indikator(csv, "uji", crosswalk=cw, metadata=dp)
        assert r.boleh_diterapkan, r.laporan.teks()
        apply.terapkan(r, aktifkan=True)
    return d


@pytest.fixture()
def diimpor(_folder_diimpor, monkeypatch):
    """Dataset ``uji`` (the eight test villages) with the 18 SDGs Desa indicators imported, active: one data
    folder shared by the tests that only view it (Streamlit's caches, keyed by the dataset file, stay warm);
    fails the test if it wrote there."""
    monkeypatch.delenv("SINERGI_ADMIN_PASSWORD", raising=False)
    with viewed(_folder_diimpor, monkeypatch) as d:
        yield d / "uji.duckdb"


def test_peta_offers_the_imported_theme_and_indicator_with_official_classes(diimpor):
    at = open_page("pages/peta.py", {"ind": "sdgs01", "wilayah": "97.01", "tingkat": "4", "pilih": "97.01.01.2001"})
    assert at.selectbox(key="peta_ind").value == "sdgs01"
    assert at.selectbox(key="peta_tema").value == "sdgs_desa" and at.selectbox(key="peta_tema").options == ["SDGs Desa"]
    assert len(at.selectbox(key="peta_ind").options) == 18
    # the owner's class breaks are the default classes, with their own name and note
    assert at.selectbox(key="peta_kelas").value == "status"
    assert "Kelas resmi" in at.selectbox(key="peta_kelas").options
    (spec,) = map_legends(at)  # drawn on the map
    legend = legend_lines(spec)
    assert legend[0] == "SDGs Desa 1: Desa tanpa kemiskinan (skor 0–100)"
    assert "≤ 25,0" in legend[1] and "> 25,0–50,0" in legend[2] and "> 75,0" in legend[4]
    assert spec["note"].startswith("Kelas resmi dari pemilik data")
    assert {m.label for m in at.metric} >= {"Nilai", "Kelas"}
    at = open_page("pages/peta.py", {"ind": "sdgs02", "lang": "en"})
    assert at.selectbox(key="peta_ind").value == "sdgs02"
    assert any("Village SDG 2" in h.value for h in at.subheader)


def test_profil_desa_lists_imported_indicators(diimpor):
    at = open_page("pages/profil_desa.py", {"kode": "97.01.01.2001", "tren": "sdgs05"})
    table = next(d.value for d in at.dataframe if "Indikator" in d.value.columns)
    names = set(table["Indikator"])
    assert "SDGs Desa 1: Desa tanpa kemiskinan" in names and len([n for n in names if n.startswith("SDGs")]) == 18
    assert set(table.loc[table["Indikator"].str.startswith("SDGs"), "Tema"]) == {"SDGs Desa"}
    assert at.selectbox(key="pf_tren").value == "sdgs05"


def test_indeks_kustom_offers_imported_indicators(diimpor):
    at = open_page("pages/indeks_kustom.py", {"ind": "sdgs01:2,sdgs06:1"})
    ms = at.multiselect(key="ci_ind")
    assert ms.value == ["sdgs01", "sdgs06"]  # options are shown by name:
    assert {"SDGs Desa 1: Desa tanpa kemiskinan", "SDGs Desa 18: Kelembagaan desa dinamis dan budaya desa adaptif"} \
        <= set(ms.options)
    assert any("SDGs Desa 6" in m.value for m in at.markdown)


def test_hotspot_change_and_compare_offer_them(diimpor):
    assert open_page("pages/hotspot.py", {"ind": "sdgs03"}).selectbox(key="hs_ind").value == "sdgs03"
    assert open_page("pages/perubahan.py", {"ind": "sdgs03"}).selectbox(key="ch_ind").value == "sdgs03"
    at = open_page("pages/bandingkan.py", {"kode": "97.01,97.71", "tema": "sdgs_desa"})
    assert at.selectbox(key="bd_tema").value == "sdgs_desa"


# --- Kelola Data ----------------------------------------------------------------------------------------------


@pytest.fixture()
def admin(dataset_desa, monkeypatch):
    monkeypatch.setenv("SINERGI_ADMIN_PASSWORD", "rahasia")
    datasets.gunakan("uji")
    at = open_page("pages/kelola_data.py")
    at.text_input(key="kd_password").input("rahasia")
    next(b for b in at.button if b.label == "Masuk").click()
    at.run()
    return at


def _periksa(at, table: tuple[str, bytes], meta: tuple[str, bytes] | None = None, **widgets):
    at.file_uploader(key="kd_file_indikator").set_value((table[0], table[1], "text/csv"))
    if meta:
        at.file_uploader(key="kd_meta").set_value((meta[0], meta[1], "application/json"))
    at.text_input(key="kd_target").input("uji")
    for key, value in widgets.items():
        at.text_input(key=key).input(value) if key == "kd_columns" else at.selectbox(key=key).set_value(value)
    at.run()
    at.button(key="kd_check").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _apply(at, path):
    at.button(key="kd_apply").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("Impor diterapkan ke dataset uji" in s.value for s in at.success)
    con = db.connect_snapshot(path)
    try:
        return dict(con.execute("select id, tema from indicators where impor").fetchall())
    finally:
        con.close()


def test_kelola_data_upload_with_a_data_package(admin, dataset_desa, sdgs_files):
    csv, dp, cw = sdgs_files
    at = admin
    at.file_uploader(key="kd_crosswalk").set_value(("crosswalk.csv", cw.read_bytes(), "text/csv"))
    at = _periksa(at, ("sdgs_desa_2024.csv", csv.read_bytes()), ("datapackage.json", dp.read_bytes()))
    new = next(d.value for d in at.dataframe if "status" in d.value.columns and "agregasi" in d.value.columns)
    assert len(new) == 18 and set(new["tema"]) == {"SDGs Desa"}
    assert "Tema baru: SDGs Desa (sdgs_desa)." in _teks(at.info)
    before = dataset_desa.read_bytes()
    assert dataset_desa.read_bytes() == before  # checked, not applied
    got = _apply(at, dataset_desa)
    assert len(got) == 18 and set(got.values()) == {"sdgs_desa"}


def test_kelola_data_form_describes_undescribed_columns_then_applies(admin, dataset_desa):
    table = ("podes.csv", b"kode_desa;R803A;R1201;catatan;tahun\n9701012001;2;1;x;2019\n9701012002;0;3;y;2019\n")
    at = _periksa(admin, table)
    assert any("2 kolom angka belum dideskripsikan" in w and "R803A, R1201" in w for w in _teks(at.warning))
    assert "1 kolom teks diabaikan: catatan." in _teks(at.info)
    assert not any(b.key == "kd_apply" for b in at.button)  # nothing to import yet
    # describe R1201 only
    at.checkbox(key="kd_d1_pakai").check()
    at.text_input(key="kd_d1_nama").input("Unit usaha BUMDes")
    at.selectbox(key="kd_d1_tema").set_value("jaringan_sosial")
    at.text_input(key="kd_d1_satuan").input("unit")
    at.selectbox(key="kd_d1_agregasi").set_value("sum")
    next(b for b in at.button if b.label == "Periksa ulang dengan deskripsi ini").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("1 kolom angka belum dideskripsikan sehingga tidak diimpor: R803A." in w for w in _teks(at.warning))
    new = next(d.value for d in at.dataframe if "status" in d.value.columns and "agregasi" in d.value.columns)
    assert new[["id", "nama", "tema", "agregasi"]].values.tolist() == [["r1201", "Unit usaha BUMDes",
                                                                         "Jaringan Sosial", "sum"]]
    assert _apply(at, dataset_desa) == {"r1201": "jaringan_sosial"}


def test_kelola_data_default_theme_and_columns(admin, dataset_desa):
    table = ("podes.csv", b"kode_desa,R803A,R1201,tahun\n9701012001,2,1,2019\n")
    kamus = ("kamus.csv", b"kolom,keterangan\nR803A,Jumlah KUD aktif\nR1201,Jumlah unit usaha BUMDes\n")
    at = _periksa(admin, table, kamus, kd_theme="jaringan_sosial", kd_columns="R1201")
    new = next(d.value for d in at.dataframe if "status" in d.value.columns and "agregasi" in d.value.columns)
    assert new["id"].tolist() == ["r1201"]
    assert _apply(at, dataset_desa) == {"r1201": "jaringan_sosial"}


def test_theme_pages_offer_the_datasets_own_indicators_of_their_theme(dataset_desa, tmp_path, monkeypatch):
    monkeypatch.delenv("SINERGI_ADMIN_PASSWORD", raising=False)
    table = tmp_path / "t.csv"
    # with IKS and a capacity indicator too: the theme pages are built around them
    table.write_text("kode,tahun,rawan,koperasi,iks,pendidikan_sma_pct\n" + "".join(
        f"{k.replace('.', '')},2024,{i},{i % 3},0.{i + 1},{10 * i}\n" for i, k in enumerate(KODE)), encoding="utf-8")
    kamus = tmp_path / "kamus.csv"
    kamus.write_text("kolom,nama,tema,arah,agregasi\nrawan,Rumah tangga rawan,ketahanan_sosial,-1,mean\n"
                     "koperasi,Koperasi aktif,jaringan_sosial,1,sum\n", encoding="utf-8")
    r = plan.siapkan_indikator(table, "uji", metadata=kamus)
    assert r.boleh_diterapkan, r.laporan.teks()
    apply.terapkan(r, aktifkan=True)
    at = open_page("pages/jaringan_sosial.py", {"ind": "koperasi"})
    assert at.selectbox(key="jr_ind").value == "koperasi"
    at = open_page("pages/ketahanan_sosial.py", {"ind": "rawan"})
    assert at.selectbox(key="ks_ind").value == "rawan"
    assert open_page("pages/kapasitas_sdm.py", {"ks": "rawan"}).selectbox(key="sdm_ks").value == "rawan"

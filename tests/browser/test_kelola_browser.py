"""Kelola Data in a real browser: an imported dataset is drawn on the map (no demo label), and an upload
goes through check → report → apply with the progress bar, with no request leaving the machine."""

from __future__ import annotations

import pytest

from tests.browser.conftest import Server, _need_browser, choose_file, feature_count, map_frame, upload_state, visit


@pytest.fixture()
def imported_server(tmp_path, monkeypatch):
    _need_browser()
    from importers.conftest import geojson_desa, tulis_csv

    from sinergi import datasets
    from sinergi.importers import apply, plan

    d = tmp_path / "data"
    d.mkdir()
    monkeypatch.setenv("SINERGI_DATA_DIR", str(d))
    monkeypatch.setenv("SINERGI_ADMIN_PASSWORD", "rahasia-uji")
    apply.terapkan(plan.siapkan_batas(geojson_desa(tmp_path / "desa.geojson"), "uji", lisensi="CC0"))
    csv = tulis_csv(tmp_path / "iks.csv", "kode,iks_2024,idm_2024\n9701012001,0.5,0.5\n9701012002,0.7,0.7\n")
    apply.terapkan(plan.siapkan_indikator(csv, "uji"))
    datasets.gunakan("uji")
    s = Server(d)  # inherits SINERGI_ADMIN_PASSWORD
    yield s, d
    s.stop()


def test_imported_data_on_the_map_and_an_upload_applied(imported_server, page, tmp_path):
    server, data = imported_server
    page.goto(server.url + "/")
    assert feature_count(map_frame(page)) == 8  # Beranda opens on the one province's eight villages
    visit(page, server.url + "/peta?tingkat=1")  # opened in the running app, as the next ones
    frame = map_frame(page)
    assert feature_count(frame) == 1  # province 97, its geometry the union of the imported villages
    assert page.get_by_text("DATA DEMO").count() == 0
    page.get_by_text("Dataset aktif:").first.wait_for(timeout=30000)

    visit(page, server.url + "/kelola")
    page.get_by_label("Kata sandi admin").fill("rahasia-uji")
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("button", name="Periksa berkas").wait_for(timeout=30000)
    upload = tmp_path / "ike.csv"
    upload.write_text("kode;ike_2024\n9701012001;0,4\n9701022001;0,9\n", encoding="utf-8")
    choose_file(page, upload, server, key="kd_file_indikator")
    try:
        page.get_by_role("button", name="Periksa berkas").click()
        page.get_by_text("Laporan validasi: ike.csv").wait_for(timeout=60000)
    except Exception as e:  # under load this once never showed the file's chip: say what the page showed
        raise AssertionError(f"the upload led to no report ({type(e).__name__}); {upload_state(page, server)}") from e
    page.get_by_role("button", name="Terapkan impor").click()
    page.get_by_text("Impor diterapkan ke dataset uji").wait_for(timeout=120000)

    from sinergi import db

    con = db.connect_snapshot(data / "uji.duckdb")
    try:
        assert con.execute("select count(*) from nilai_impor where indikator = 'ike'").fetchone() == (2,)
    finally:
        con.close()
    assert page.external == [], f"requests left the machine: {page.external}"

"""Faults in a real server: the Streamlit process killed (SIGKILL) while it applies an upload from Kelola
Data, then restarted, serves the old data, clears the leftovers and imports again; and with a damaged
active dataset every page of the app (routed by app.py's st.navigation, as a browser gets it) says so
instead of a traceback, while Kelola Data stays reachable."""

from __future__ import annotations

import os
import re
import shutil
import signal
import time
from pathlib import Path

import pytest
import rusak

from tests.browser.conftest import Server, _need_browser, choose_file, upload_state, visit

ROOT = Path(__file__).resolve().parents[2]
URL_PATHS = re.findall(r'url_path="([a-z_]+)"', (ROOT / "app.py").read_text(encoding="utf-8"))


def _leftovers(folder: Path) -> list[str]:
    return sorted(n for n in os.listdir(folder) if n.startswith("."))


def _login_and_check(page, server: Server, csv: Path) -> None:
    url = server.url
    page.goto(url + "/kelola")
    page.get_by_label("Kata sandi admin").fill("rahasia-uji")
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("button", name="Periksa berkas").wait_for(timeout=60000)
    choose_file(page, csv, server, key="kd_file_indikator")  # sent, not only named: one click is enough
    page.get_by_role("button", name="Periksa berkas").click()
    report = page.get_by_text(f"Laporan validasi: {csv.name}")
    deadline = time.monotonic() + 400  # the check of a large file on a busy machine
    while time.monotonic() < deadline:
        if report.count():
            return
        server.check_alive()
        page.wait_for_timeout(300)
    raise AssertionError(f"the validation report never appeared; {upload_state(page, server)}")


@pytest.fixture()
def besar_data(tmp_path, monkeypatch):
    _need_browser()
    d = tmp_path / "data"
    d.mkdir()
    path, csv = rusak.data_besar(d)
    (d / "desa.geojson").unlink()
    upload = tmp_path / "nilai.csv"
    shutil.move(csv, upload)
    (d / "active").write_text("uji\n", encoding="utf-8")
    monkeypatch.setenv("SINERGI_ADMIN_PASSWORD", "rahasia-uji")
    return d, path, upload


@pytest.mark.slow
def test_server_killed_while_applying_an_upload_then_restarted(besar_data, page):
    folder, dataset, upload = besar_data
    before = rusak.sha(dataset)
    server = Server(folder)
    try:
        _login_and_check(page, server, upload)
        page.get_by_role("button", name="Terapkan impor").click()
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and not any(n.startswith(".uji.duckdb.baru-") for n in os.listdir(folder)):
            time.sleep(0.002)
        server.proc.send_signal(signal.SIGKILL)  # while the new database is being written
        assert server.proc.wait(30) == -signal.SIGKILL
    finally:
        server.stop()
    assert rusak.sha(dataset) == before, "the old dataset changed"
    assert _leftovers(folder), "the kill came after the swap: nothing was interrupted"

    server = Server(folder)  # restarted on the same folder
    try:
        page.goto(server.url + "/kelola")  # a fresh server, straight to a deep link
        page.get_by_text("Data impor: uji").first.wait_for(timeout=60000)
        years = page.locator('[data-testid="stMetric"]', has_text="Tahun")
        assert years.inner_text().split("\n")[-1] == "–"  # the old data: no values yet
        deadline = time.monotonic() + 30
        while _leftovers(folder) and time.monotonic() < deadline:  # cleared once the app has started
            page.wait_for_timeout(200)
        assert _leftovers(folder) == []
        assert rusak.sha(dataset) == before
        _login_and_check(page, server, upload)  # the lock died with the killed server
        page.get_by_role("button", name="Terapkan impor").click()
        page.get_by_text("Impor diterapkan ke dataset uji").wait_for(timeout=300000)
    finally:
        server.stop()
    assert rusak.sha(dataset) != before
    assert page.external == [], f"requests left the machine: {page.external}"


def test_every_page_of_a_real_server_says_the_data_is_damaged(tmp_path, tiny_db, page):
    _need_browser()
    d = tmp_path / "data"
    d.mkdir()
    shutil.copy(tiny_db, d / "demo.duckdb")
    rusak.sampah(tiny_db, d / "uji.duckdb")
    (d / "active").write_text("uji\n", encoding="utf-8")
    server = Server(d)
    try:
        assert len(URL_PATHS) == 14
        for path in URL_PATHS:  # the first loaded by its address, the others opened in the running app
            visit(page, f"{server.url}/{'' if path == URL_PATHS[0] else path}")  # the default page lives at /
            page.get_by_text("berkas uji.duckdb rusak").first.wait_for(timeout=60000)
            assert page.locator('[data-testid="stException"]').count() == 0, path
            assert page.get_by_text("DATA DEMO").count() == 0, path  # not the demo in its place
            if path == "kelola":
                page.get_by_role("heading", name="Kelola Data").wait_for(timeout=30000)
            else:
                page.get_by_role("link", name="Buka Kelola Data").wait_for(timeout=30000)
        visit(page, f"{server.url}/peta?lang=en")
        page.get_by_text("the file uji.duckdb is damaged").first.wait_for(timeout=60000)
        page.get_by_role("link", name="Open Manage data").click()
        page.get_by_role("heading", name="Manage data").wait_for(timeout=60000)
        assert server.proc.poll() is None  # still serving
    finally:
        server.stop()
    assert page.external == [], f"requests left the machine: {page.external}"

"""No outbound call, ever: the server runs with every non-loopback connection, datagram and name lookup
refused and logged (tests/netguard/sitecustomize.py, loaded by Python at start through PYTHONPATH), from its
start to a tour of every page in Chromium (whose own requests the browser guard keeps on this machine).

The server starts as ``make run`` starts it: headless, no ``server.address`` (so it listens on every
interface, and plain Streamlit would ask an outside host for the machine's public address); and once more
with ``--server.address 0.0.0.0``, the way to serve other machines. Plain ``streamlit run app.py`` under the
same guard shows the guard sees what it must: Streamlit's own look-up of the public address."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from tests.browser.conftest import ROOT, Server, _need_browser, go_in_app

GUARD = ROOT / "tests" / "netguard"
PAGES = ["/", "/peta", "/ketahanan", "/sdm", "/jaringan", "/sinergi", "/profil", "/bandingkan", "/hotspot",
         "/indeks", "/perubahan", "/kesenjangan", "/agenda", "/kelola"]


def _guarded_server(tmp_path: Path, tiny_db: Path, name: str, **kwargs) -> tuple[Server, Path]:
    d = tmp_path / name
    d.mkdir()
    shutil.copy(tiny_db, d / "demo.duckdb")
    log = d / "network.log"
    env = {"PYTHONPATH": str(GUARD), "SINERGI_NETLOG": str(log), "SINERGI_ADMIN_PASSWORD": "rahasia"}
    return Server(d, env=env, **kwargs), log


def _refused(log: Path) -> str:
    """What the server's network guard refused ("" for nothing); fails if the guard was never loaded (it
    creates its log at start), as an empty answer would then say nothing."""
    assert log.exists(), "the network guard was not loaded in the server (no log)"
    return log.read_text(encoding="utf-8")


def _tour(page, server: Server) -> None:
    """The home page loaded, then every other page opened from the sidebar's links (each page's script
    runs and its elements and components load, as on a fresh load)."""
    page.goto(server.url + PAGES[0])
    page.locator("h1").first.wait_for(timeout=120000)
    page.wait_for_timeout(500)
    for path in PAGES[1:]:
        go_in_app(page, path.lstrip("/"))
        page.locator("h1").first.wait_for(timeout=120000)
        page.wait_for_timeout(500)
    page.goto(server.url + "/kelola")  # the admin's side as well: sign in, the import form
    page.get_by_label("Kata sandi admin").fill("rahasia")
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("button", name="Periksa berkas").wait_for(timeout=60000)


def test_nothing_but_loopback_from_start_to_a_tour_of_every_page(tmp_path, tiny_db, page):
    _need_browser()
    server, log = _guarded_server(tmp_path, tiny_db, "standar", address=None)  # as make run: every interface
    try:
        _tour(page, server)
        time.sleep(1)
    finally:
        server.stop()
    out = (log.parent / "server.log").read_text(encoding="utf-8")
    assert "Local URL" in out and "External URL" not in out and "Did not auto detect" not in out
    assert _refused(log) == "", f"the server reached for the network:\n{_refused(log)[:3000]}"
    assert page.external == [], f"the browser reached for the network: {page.external}"


def test_serving_other_machines_still_works_and_still_asks_no_one(tmp_path, tiny_db):
    """``--server.address 0.0.0.0``: the server listens on every interface (reached here on loopback)."""
    import urllib.request

    server, log = _guarded_server(tmp_path, tiny_db, "semua", address="0.0.0.0")
    try:
        with urllib.request.urlopen(server.url + "/", timeout=30) as r:
            assert r.status == 200 and b"<html" in r.read().lower()
    finally:
        server.stop()
    assert _refused(log) == "", _refused(log)[:3000]


def test_the_guard_catches_plain_streamlits_lookup_of_the_public_address(tmp_path, tiny_db):
    """Without sinergi.serve, Streamlit asks checkip.amazonaws.com at start: the guard logs it, so an empty
    log above means nothing was asked, not that nothing was watched."""
    server, log = _guarded_server(tmp_path, tiny_db, "polos", address=None,
                                  command=("-m", "streamlit", "run", str(ROOT / "app.py")))
    try:
        deadline = time.monotonic() + 60
        while "checkip.amazonaws.com" not in _refused(log) and time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        server.stop()
    assert "getaddrinfo 'checkip.amazonaws.com'" in _refused(log)
    assert "get_external_ip" in _refused(log)  # the stack names who asked
    assert "connect ('8.8.8.8', 1)" in _refused(log)  # and the "Network URL" probe


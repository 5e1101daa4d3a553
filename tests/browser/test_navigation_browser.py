"""The first visitors after a start get the app's own navigation, even through a deep link.

Streamlit treats an app with a ``pages/`` folder as an old-style multipage app until a run calls
``st.navigation``; ``sinergi.serve`` tells it up front (see its docstring). Without that, a link to
``/peta`` on a freshly started server ran ``pages/peta.py`` alone (file names as navigation, no styles),
and ``/ketahanan`` opened with a "Page not found" dialog.
"""

from __future__ import annotations

import shutil

import pytest

from .conftest import Server, _need_browser, kept_page


@pytest.fixture()
def fresh_server(tmp_path, tiny_db):
    _need_browser()
    shutil.copy(tiny_db, tmp_path / "demo.duckdb")
    s = Server(tmp_path)
    yield s
    s.stop()


def _open(pg, url: str):
    pg.goto(url)
    pg.wait_for_selector('[data-testid="stSidebarNav"]', timeout=60_000)
    pg.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)
    pg.wait_for_selector("h1", timeout=60_000)
    return pg


def test_deep_links_on_a_fresh_server_run_through_the_app(fresh_server, warm_context):
    # /peta first: its path equals a file name in pages/, the case that bypassed app.py.
    for path, title in (("/peta", "Peta eksplorasi"), ("/ketahanan", "Ketahanan Sosial")):
        with kept_page(warm_context) as pg:  # a new visitor each
            _open(pg, fresh_server.url + path)
            nav = pg.locator('[data-testid="stSidebarNav"]').inner_text()
            assert "Eksplorasi" in nav and "Analisis" in nav, nav  # sections of app.py's st.navigation
            assert "app" not in nav.splitlines(), nav  # not the listing of file names (app.py shows as "app")
            assert pg.get_by_text("Page not found").count() == 0
            pg.locator(".sd-banner").first.wait_for(timeout=30_000)  # a rerun may redraw the page meanwhile
            assert pg.locator(".sd-banner").count() == 1  # app.py ran: styles and the demo label
            assert title in pg.locator("h1").first.inner_text()
            assert pg.external == []

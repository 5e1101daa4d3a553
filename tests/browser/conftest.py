"""Real-browser fixtures: a Streamlit server on a free local port and Debian's Chromium via Playwright.

Every request that does not go to this machine is blocked and recorded, so a test fails when the page
reaches for a CDN. Playwright never downloads a browser here: it drives /usr/bin/chromium.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
# Chromium flags for every browser we launch (tests and bench/load_bench.py): no sandbox (root in CI),
# no GPU, and none of Chromium's own background traffic (updates, sync, QUIC probes).
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


def _need_browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("SINERGI_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to run browser tests")
    try:
        import playwright  # noqa: F401
    except ImportError:
        pytest.skip("playwright is not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``python -m sinergi.serve`` on a free port; ``args`` are more Streamlit options, ``port`` a port
    chosen beforehand (e.g. one a secrets file names), ``env`` more environment variables."""

    def __init__(self, data_dir: Path, args: tuple[str, ...] = (), port: int | None = None,
                 env: dict[str, str] | None = None, address: str | None = "127.0.0.1",
                 command: tuple[str, ...] = ("-m", "sinergi.serve")):
        self.port = port or _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, SINERGI_DATA_DIR=str(data_dir), **(env or {}))
        self.log = open(data_dir / "server.log", "w")
        where = ("--server.address", address) if address else ()
        self.proc = subprocess.Popen(
            [sys.executable, *command, "--server.port", str(self.port), *where,
             "--server.headless", "true", "--browser.gatherUsageStats", "false", *args],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited: {(data_dir / 'server.log').read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("streamlit did not start within 60 s")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


@pytest.fixture(scope="session")
def browser_data_dir(tmp_path_factory, tiny_db):
    d = tmp_path_factory.mktemp("browser-data")
    src = os.environ.get("SINERGI_BROWSER_DB")
    shutil.copy(src or tiny_db, d / "demo.duckdb")
    return d


@pytest.fixture(scope="session")
def server(browser_data_dir):
    _need_browser()
    s = Server(browser_data_dir)
    yield s
    s.stop()


@pytest.fixture(scope="session")
def browser():
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    """A fresh browser context whose non-local requests are blocked and listed in ``page.external``."""
    pg = guarded_page(browser)
    yield pg
    pg.context.close()


def wait_for(predicate, timeout_s: float = 30.0, what: str = "condition", page=None):
    """Poll ``predicate`` until it returns a truthy value (no fixed sleeps). With ``page``, waits with
    Playwright: a page whose requests go through the guard only loads while Playwright is called."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except Exception:  # the frame may be reloading between polls
            value = None
        if value:
            return value
        if page is not None:
            page.wait_for_timeout(100)
        else:
            time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def map_frame(page, timeout_s: float = 30.0):
    """The streamlit-folium iframe once Leaflet has drawn the choropleth layer in it."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for fr in page.frames:
            if "st_folium" in fr.url or "streamlit_folium" in fr.url:
                try:
                    n = fr.evaluate("() => window.sdLayer ? window.sdLayer.getLayers().length : 0")
                except Exception:
                    n = 0
                if n:
                    return fr
        page.wait_for_timeout(200)
    raise AssertionError("the map frame never drew its layer")


def feature_count(frame) -> int:
    return frame.evaluate("() => window.sdLayer.getLayers().length")


# Requests surely for this machine (http or ws to a loopback host and port) go on without a stop in Python:
# intercepting every one of a page's requests costs the test as much CPU as the page itself. Every other
# URL, however it is spelled, goes through ``guard``, which decides as before.
SURELY_LOCAL = r"(https?|wss?)://(127\.0\.0\.1|localhost|\[::1\])(:[0-9]+)?/"
NOT_SURELY_LOCAL = re.compile(f"^(?!{SURELY_LOCAL})")


def guarded_page(browser, **context_options):
    """A fresh context and page whose non-local requests are blocked and listed in ``page.external`` (the
    ``page`` fixture, or a second visitor, e.g. to reopen a copied link: close it with
    ``page.context.close()``)."""
    ctx = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **context_options})
    external: list[str] = []

    def guard(route):
        host = urlparse(route.request.url).hostname or ""
        if host in LOCAL_HOSTS or route.request.url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    ctx.route(NOT_SURELY_LOCAL, guard)
    pg = ctx.new_page()
    pg.external = external
    return pg


def region_point(page, frame, kode: str) -> tuple[float, float]:
    """Page coordinates (px) of a point inside region ``kode`` of the choropleth in ``frame``: its
    bounds' centre (Leaflet's own projection), after scrolling the map into view (a mouse click
    outside the viewport hits nothing)."""
    frame.frame_element().scroll_into_view_if_needed()
    x, y = frame.evaluate(
        """(kode) => {
            var hit = null;
            window.sdLayer.eachLayer(function(l) { if (l.feature.properties.kode === kode) { hit = l; } });
            if (!hit) { throw new Error("no region " + kode); }
            var p = window.map.latLngToContainerPoint(hit.getBounds().getCenter());
            var r = window.map.getContainer().getBoundingClientRect();
            return [p.x + r.left, p.y + r.top];
        }""",
        kode,
    )
    box = frame.frame_element().bounding_box()
    return box["x"] + x, box["y"] + y



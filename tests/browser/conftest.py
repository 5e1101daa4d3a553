"""Real-browser fixtures: a Streamlit server on a free local port and Debian's Chromium via Playwright.

Every request that does not go to this machine is blocked and recorded, so a test fails when the page
reaches for a CDN. Playwright never downloads a browser here: it drives /usr/bin/chromium.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import warnings
from contextlib import contextmanager
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

    def check_alive(self) -> None:
        """Fail at once, with the end of its log, if the server has died (a test waiting for text on its
        page would otherwise wait out its whole deadline and say only that the text never came)."""
        code = self.proc.poll()
        if code is not None:
            raise AssertionError(f"the server exited with code {code} during the test; its log ends:\n"
                                 f"{self.log_tail(3000)}")

    def log_tail(self, chars: int) -> str:
        """The last ``chars`` characters the server has written to its log so far."""
        self.log.flush()
        return Path(self.log.name).read_text(encoding="utf-8", errors="replace")[-chars:]

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


# The only hosts the browser reaches (the app under test); everything else goes to a proxy that refuses it.
BYPASS = "<-loopback>;127.0.0.1;localhost;[::1]"


@contextmanager
def launch_guarded(playwright, args: tuple[str, ...] = ()):
    """Chromium (Debian's) whose every request to a host other than 127.0.0.1, localhost or [::1] goes to
    a proxy on a loopback port that is bound but never listens, so the request fails at once and nothing
    leaves the machine. ``<-loopback>`` drops Chromium's own bypass rules (which would also let 127.0.0.2,
    ``*.localhost`` and link-local 169.254/16 through), so the bypass list is exactly those three hosts.
    Unlike intercepting requests (``page.route``, which turns the browser's HTTP cache off), this keeps the
    cache: a test's second page does not download and compile Streamlit's scripts again. What a page
    attempted is listed by :func:`guarded_page`."""
    dead = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    dead.bind(("127.0.0.1", 0))  # no listen(): refused; held, so no server of the tests can take the port
    try:
        b = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            *LAUNCH_ARGS, *args, f"--proxy-server=http://127.0.0.1:{dead.getsockname()[1]}",
            f"--proxy-bypass-list={BYPASS}"])
        try:
            yield b
        finally:
            b.close()
    finally:
        dead.close()


@pytest.fixture(scope="session")
def browser():
    _need_browser()
    from playwright.sync_api import sync_playwright

    # --process-per-site (one of Chromium's process models): the pages of one context that show the same site
    # (127.0.0.1, whatever the port) share one renderer process (see warm_context)
    with sync_playwright() as p, launch_guarded(p, ("--process-per-site",)) as b:
        yield b


# The address of the page that keeps the kept context's renderer process running (warm_context): any port of
# 127.0.0.1 is the site of every app server of the tests. Nothing listens there; the keeper's page is answered
# by Playwright.
KEEPER_URL = "http://127.0.0.1:9/"


@pytest.fixture(scope="session")
def warm_context(browser):
    """One browser context kept for a worker's whole session: its HTTP cache (and Chromium's cache of
    compiled scripts) outlives each test, so a test's first page does not download and compile Streamlit's
    scripts again (a fresh context per test cost ~1.7 s of CPU more per page load). Pages come from
    :func:`kept_page`.

    One page of the context stays open on 127.0.0.1 (an empty document, :data:`KEEPER_URL`) for the whole
    session: with ``--process-per-site`` (:func:`browser`) a test's new page then starts in the renderer
    process already running, with the scripts it compiled still in memory, instead of a new process (~1 s less
    CPU per new page; 1.0-2.6 instead of 1.9-4.4 CPU-s for a new page of /profil, /peta, /ketahanan). What a
    page shows and sends is the same in either process."""
    ctx = browser.new_context(viewport=VIEWPORT)
    keeper = ctx.new_page()
    keeper.route(KEEPER_URL, lambda route: route.fulfill(body="<!doctype html><title>-</title>",
                                                         content_type="text/html"))
    keeper.goto(KEEPER_URL)
    keeper.unroute_all()
    sink = _watch(ctx)  # after the keeper: only the tests' own pages are watched
    yield ctx, sink
    ctx.close()


@contextmanager
def kept_page(warm_context):
    """A new page (a new Streamlit session, a new visitor) of ``warm_context`` whose non-local requests
    are blocked and listed in ``page.external``. It shares the context's cache with earlier pages, nothing
    else: no cookie, permission or stored value of an earlier page is left (cleared before and after),
    earlier pages are closed, and ``page.external`` lists this page's requests only. The storage of every
    origin the page reached (local storage, IndexedDB, cache storage, service workers) is cleared after it."""
    ctx, sink = warm_context
    _forget(ctx)
    sink.pop("seen", None)
    sink["external"] = external = []
    pg = ctx.new_page()
    pg.external = external
    try:
        yield pg
    finally:
        try:
            cdp = ctx.new_cdp_session(pg)
            for origin in sink.pop("seen", ()):
                cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes":
                         "local_storage,indexeddb,cache_storage,service_workers"})
        finally:
            pg.close()
            _forget(ctx)


@pytest.fixture()
def page(warm_context):
    """A page of the worker's kept context (:func:`kept_page`)."""
    with kept_page(warm_context) as pg:
        yield pg


@pytest.fixture(scope="module")
def tab(warm_context):
    """One page of the worker's kept context (:func:`kept_page`) for a whole test module: its tests open their
    pages in it with :func:`visit`, one after another, as a visitor going from page to page does (~1.1 s less
    CPU per page than a load). A module uses either this or :func:`page`, not both."""
    with kept_page(warm_context) as pg:
        yield pg


def _forget(ctx) -> None:
    ctx.clear_cookies()
    ctx.clear_permissions()


def upload_state(page, server: "Server | None" = None) -> str:
    """What the page's file uploaders show (each chip's text and whether it is marked as an error) and the end
    of the server's log: the message of a test whose upload never led anywhere."""
    chips = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stFileChip"]')].map(c =>
        `${c.getAttribute('aria-label')} | error=${c.getAttribute('aria-invalid') || 'no'} | shown=${c.offsetParent !== null}`
        + ` | ${c.innerText.replace(/\\s+/g, ' ')}`)""")
    out = "file chips: " + ("; ".join(chips) if chips else "none")
    if server is not None:
        out += "\nserver log ends:\n" + server.log_tail(2000)
    return out


def choose_file(page, path: Path, server: "Server | None" = None, key: str | None = None) -> None:
    """Choose ``path`` in the file uploader whose widget key is ``key`` (else the page's first) and wait until
    its chip shows the file's name, sent (no spinner, no error). Kelola Data has four uploaders, two of them in
    a folded expander: "the first file input" was once, in full runs, a folded one (its chip hidden, the file
    never the one checked).
    If the file is not shown as sent after 30 s it is chosen once more, with a warning in the test report saying
    what the page and the server showed; a second miss fails the test with the same."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    box = page.locator(f".st-key-{key}") if key else page
    for attempt in (1, 2):
        box.locator("input[type=file]").first.set_input_files(str(path))
        try:
            box.get_by_text(path.name).first.wait_for(timeout=30000)
            # The chip shows the name while the file is still being sent (a spinner beside it); the uploader
            # tells the server only when the upload is done. A click before that reruns without the file,
            # and the upload's own rerun then interrupts the click's run: the click is lost.
            box.locator('[data-testid="stFileChipIconSpinner"]').first.wait_for(state="detached", timeout=30000)
            if box.locator('[data-testid="stFileChipIconError"]').count() == 0:
                return
            raise PlaywrightTimeout("the chip shows an error")
        except PlaywrightTimeout:
            state = upload_state(page, server)
            if attempt == 2:
                raise AssertionError(f"the chosen file {path.name} was never shown as sent; {state}") from None
            warnings.warn(f"the chosen file {path.name} was not shown as sent within 30 s, chosen again; {state}",
                          stacklevel=2)


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


def go_in_app(page, path: str, timeout_s: float = 120.0) -> None:
    """Open the page at ``path`` (its ``url_path``; "" is the home page) as a visitor does, by clicking its
    link in the sidebar's navigation (opening "View more" if the link is folded away), and wait until the
    URL names it and its script run is over. The page's script runs as on a fresh load, within the same
    websocket session and with Streamlit's scripts already running in the tab: ``page.goto`` reloads both
    (~0.8 s more CPU per page, most of it Chromium's)."""
    nav = page.get_by_test_id("stSidebarNav")
    link = nav.locator(f'a[data-testid="stSidebarNavLink"][href$="/{path}"]')
    nav.wait_for(timeout=timeout_s * 1000)
    if not link.count():
        nav.get_by_test_id("stSidebarNavViewButton").click()
    link.first.click()
    page.wait_for_url(lambda url: urlparse(url).path.rstrip("/") == ("/" + path).rstrip("/"),
                      timeout=timeout_s * 1000)
    page.wait_for_function("""() => { const app = document.querySelector('[data-testid="stApp"]');
                                      return app && app.dataset.testScriptState === 'notRunning'; }""",
                           polling=100, timeout=timeout_s * 1000)


# Moves the tab to another address of the app the way the browser's back and forward buttons do: the address
# changes in the tab's history and Streamlit, which listens for that (popstate), runs the page the address
# names with its query, in the same session.
_VISIT_JS = """(url) => { history.pushState(null, '', url); window.dispatchEvent(new PopStateEvent('popstate')); }"""
_IDLE_JS = """() => { const app = document.querySelector('[data-testid="stApp"]');
                      return !!app && app.dataset.testScriptState === 'notRunning'; }"""


def _run_finished(payload) -> bool:
    """Whether a websocket frame from the server is the end of a script run (not one cut short by a rerun)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    if not isinstance(payload, bytes) or len(payload) > 4096:  # the end of a run is a small message
        return False
    msg = ForwardMsg()
    try:
        msg.ParseFromString(payload)
    except Exception:  # noqa: BLE001 - not a whole message
        return False
    return msg.WhichOneof("type") == "script_finished" and \
        msg.script_finished != ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN


def visit(page, url: str, timeout_s: float = 120.0) -> None:
    """Open ``url`` (an address of the app) in ``page``: in the app already running in the tab when the tab
    shows another page of the same server's app (Streamlit runs that page with that query in the same session,
    as after the browser's back or forward button: the tab keeps Streamlit's and plotly's scripts running,
    ~1.1 s less CPU per page than ``page.goto``, about half a load), else by loading it (``page.goto``).
    Another page's script runs as on a fresh load (the widgets of the page left are forgotten at the end of
    the first run without them) but in the same session: what the session itself holds (language, presentation
    mode, agenda, admin sign-in) carries over, as when a visitor goes from page to page. The same page with
    another query is loaded (its widgets would keep their values over the URL's). Use ``page.goto`` where a
    first load is what is tested (a deep link, a fresh visitor, the page's first layout).

    The run's end is read from the app's websocket (the server's "script finished"): a page that stops early
    (a sign-in gate) can run and finish between two frames of the page, never showing it runs."""
    href, app = page.evaluate("""() => [location.href, !!document.querySelector('[data-testid="stApp"]')]""")
    here, there = urlparse(href), urlparse(url)
    ws = getattr(page, "app_socket", None)
    if not (app and ws is not None and not ws.is_closed() and here.netloc == there.netloc
            and here.path.rstrip("/") != there.path.rstrip("/")):
        page.goto(url)
        return
    finished: list[bool] = []

    def on_frame(payload) -> None:
        if _run_finished(payload):
            finished.append(True)

    ws.on("framereceived", on_frame)
    try:
        page.evaluate(_VISIT_JS, url)
        deadline = time.monotonic() + timeout_s
        while not finished and time.monotonic() < deadline:
            page.wait_for_timeout(50)
    finally:
        ws.remove_listener("framereceived", on_frame)
    if not finished:  # say where the tab stands: its address, its run, any dialog over it
        state = page.evaluate("""() => [location.href,
            (document.querySelector('[data-testid="stApp"]') || {dataset: {}}).dataset.testScriptState,
            Array.from(document.querySelectorAll('[role="dialog"]')).map(d => d.innerText.slice(0, 80))]""")
        raise AssertionError(f"{url} never finished a run in the tab (address, run state, dialogs: {state})")
    page.wait_for_function(_IDLE_JS, polling=100, timeout=timeout_s * 1000)  # and the page has drawn it


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


MAP_VIEW = "() => { const m = window.map, s = m.getSize(), c = m.getCenter(); " \
           "return [s.x, s.y, m.getZoom(), c.lat, c.lng]; }"


def map_still(page, frame, timeout_s: float = 30.0) -> list:
    """Wait until the map in ``frame`` keeps its size, zoom and centre for 400 ms, and return them. The page
    may size the map's frame after the layer is drawn, and a resize keeps a moved map's corner, not its centre
    (choropleth.js): a test that moves the map, or takes what the map shows as its reference, waits for this
    first (on a busy machine the frame was once resized after the user's move, once after the reference)."""
    def still():
        before = frame.evaluate(MAP_VIEW)
        page.wait_for_timeout(400)
        return before if before == frame.evaluate(MAP_VIEW) else None

    return wait_for(still, timeout_s, "the map to keep its size, zoom and centre", page=page)


def _local(url: str) -> bool:
    """Whether the browser may reach ``url``: the hosts of :data:`BYPASS`, or no host at all."""
    host = urlparse(url).hostname or ""
    return host in LOCAL_HOSTS or url.startswith(("data:", "blob:", "about:", "chrome-error:"))


def guarded_page(browser, **context_options):
    """A fresh context and page (the ``page`` fixture, or a second visitor, e.g. to reopen a copied link:
    close it with ``page.context.close()``) of a browser from :func:`launch_guarded`, whose non-local
    requests are refused there and listed here in ``page.external``: every request of every page, frame
    and worker of the context, and every websocket."""
    ctx = browser.new_context(**{"viewport": VIEWPORT, **context_options})
    sink = _watch(ctx)  # before the page: it lists the page's websockets too
    pg = ctx.new_page()
    pg.external = sink["external"]
    return pg


VIEWPORT = {"width": 1280, "height": 900}


def _watch(ctx) -> dict:
    """Lists in ``sink["external"]`` every non-local request of every page, frame and worker of ``ctx``,
    and every websocket; ``sink["seen"]`` gathers the local origins reached (to clear their storage); each
    page's ``app_socket`` is its connection to the app (Streamlit's websocket)."""
    sink: dict = {"external": []}

    def note(url: str) -> None:
        if not _local(url):
            sink["external"].append(url)
        elif url.startswith("http"):
            u = urlparse(url)
            sink.setdefault("seen", set()).add(f"{u.scheme}://{u.netloc}")

    def socket(pg, ws) -> None:
        note(ws.url)
        if ws.url.endswith("/_stcore/stream"):
            pg.app_socket = ws  # the app's own connection (for :func:`visit`)

    ctx.on("request", lambda r: note(r.url))
    ctx.on("page", lambda p: p.on("websocket", lambda ws: socket(p, ws)))
    return sink


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



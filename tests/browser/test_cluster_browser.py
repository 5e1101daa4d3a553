"""A browser behind HAProxy when its replica dies (docs/deployment.md): Streamlit's own front end
reconnects through the same address by itself and the balancer sends it to the other replica. The page
stays as it was (the new replica runs nothing until asked). The visitor's next click runs the page there
from its URL; that click's own effect is lost (the new process has not seen the widget's callback yet:
Streamlit registers callbacks during a run), and the click after it works as always."""

from __future__ import annotations

import shutil
import signal
import time

import pytest

from sinergi import cluster
from tests.browser.conftest import map_frame


@pytest.fixture()
def two(tiny_db, tmp_path):
    if cluster.haproxy_path() is None:
        import os

        if os.environ.get("SINERGI_REQUIRE_HAPROXY"):
            pytest.fail("haproxy is missing (apt-get install haproxy)")
        pytest.skip("haproxy is not installed: apt-get install haproxy to run the cluster tests")
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(tiny_db, data / "demo.duckdb")
    with cluster.Cluster(replicas=2, port=cluster.free_port(), first_port=0, data_dir=data,
                         run_dir=tmp_path / "run", restart=False) as c:
        yield c


SETTLED = """() => { const a = document.querySelector('[data-testid="stApp"]');
    return a && a.getAttribute('data-test-script-state') === 'notRunning'; }"""


def _replica(page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == cluster.COOKIE)


def _heading(page) -> str:
    return page.locator('[data-testid="stHeading"] h1').first.inner_text(timeout=60_000)


def _record_runs(page) -> list[tuple[str, str]]:
    """(websocket url, ForwardMsg kind) of every run's start and end the page receives."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    seen: list[tuple[str, str]] = []

    def frame(ws, payload):
        if isinstance(payload, str) or len(payload) > 16 * 1024:
            return
        msg = ForwardMsg()
        try:
            msg.ParseFromString(payload)
        except Exception:
            return
        kind = msg.WhichOneof("type")
        if kind == "new_session" or (kind == "script_finished"
                                     and msg.script_finished == ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY):
            seen.append((id(ws), kind))

    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frame(ws, payload)))
    return seen


def test_the_page_comes_back_on_the_other_replica(two, page):
    view = "/peta?ind=iks&tahun=2024&tingkat=3&wilayah=97.01"
    runs = _record_runs(page)
    page.goto(two.url + view)
    map_frame(page, 60)
    first = _replica(page)
    heading = _heading(page)
    crumbs = page.locator(".st-key-peta_crumbs").inner_text()
    assert "Kabupaten Uji" in crumbs

    before = len(runs)
    sockets_before = {ws for ws, _ in runs}
    next(r for r in two.nodes if r.name == first).stop(signal.SIGKILL)
    t0 = time.monotonic()
    # the front end notices and reconnects by itself: a new websocket, through the balancer to the other
    # replica (its cookie changes)
    while (_replica(page) == first or page.get_attribute('[data-testid="stApp"]', "data-test-connection-state")
           != "CONNECTED") and time.monotonic() - t0 < 60:
        page.wait_for_timeout(100)
    took = time.monotonic() - t0
    assert _replica(page) != first
    assert page.locator(".st-key-peta_crumbs").inner_text() == crumbs  # the page stays as it was

    # the next click runs the page on the new replica, from the URL's view
    page.get_by_role("button", name="Indonesia").click()
    deadline = time.monotonic() + 90
    while not any(kind == "script_finished" and ws not in sockets_before for ws, kind in runs[before:]):
        assert time.monotonic() < deadline, runs[before:]
        page.wait_for_timeout(100)
    page.wait_for_function(SETTLED, timeout=60_000, polling=100)
    assert page.url.endswith(view) and "Kabupaten Uji" in page.locator(".st-key-peta_crumbs").inner_text()
    assert page.locator('[data-testid="stException"]').count() == 0
    # and the click after it does what it says: up to Indonesia from Kabupaten Uji
    page.get_by_role("button", name="Indonesia").click()
    page.wait_for_function("""() => !location.search.includes('wilayah=') && document.querySelector(
        '.st-key-peta_crumbs') && !document.querySelector('.st-key-peta_crumbs').innerText.includes('Kabupaten Uji')""",
                           timeout=60_000, polling=100)
    map_frame(page, 60)
    assert _heading(page) == heading
    assert page.locator('[data-testid="stException"]').count() == 0
    assert not page.external
    print(f"reconnected to {_replica(page)} {took:.1f} s after {first} was killed")

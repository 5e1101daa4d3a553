"""The browser tests' own guard (tests/browser/conftest.py ``launch_guarded``, ``guarded_page``): every request
that would leave 127.0.0.1, localhost or [::1] is refused and listed in ``page.external``, however the address
is spelled and whatever makes it (fetch, navigation, frame, websocket), while the app on loopback answers."""

from __future__ import annotations

import threading
import urllib.request
from urllib.parse import urlparse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.browser.conftest import wait_for

# Names that never resolve (RFC 2606 / 6761), so even a broken guard sends nothing off this machine; the
# loopback spellings Chromium would let past a proxy by itself are tested with a server on 127.0.0.2 below.
OUTSIDE = ["http://cdn.example.invalid/leaflet.js", "https://tiles.example.invalid/0/0/0.png",
           "http://127.0.0.1.invalid/x", "http://localhost.example.invalid/", "http://app.localhost/"]


class _Ok(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the handler's name
        self.send_response(200)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture()
def other_loopback():
    """A server on 127.0.0.2, which Chromium would reach directly by its own rules (all of 127/8): the
    guard's list lets only 127.0.0.1, localhost and [::1] past the refusing proxy."""
    try:
        srv = ThreadingHTTPServer(("127.0.0.2", 0), _Ok)
    except OSError as e:
        pytest.skip(f"127.0.0.2 cannot be bound here: {e}")
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.2:{srv.server_address[1]}/"
    srv.shutdown()
    srv.server_close()


def _fetch(page, urls: list[str]) -> list[str]:
    return page.evaluate(
        """async (urls) => Promise.all(urls.map(u => fetch(u, {mode: 'no-cors', cache: 'no-store'})
               .then(() => 'answered', () => 'refused')))""", urls)


def test_outside_requests_are_refused_and_listed_local_ones_answer(server, page, other_loopback):
    page.goto(server.url + "/_stcore/health")
    assert page.external == []
    with urllib.request.urlopen(other_loopback, timeout=10) as r:  # reachable without the browser's guard
        assert r.status == 200
    urls = [*OUTSIDE, other_loopback]
    assert _fetch(page, urls) == ["refused"] * len(urls)
    for url in urls:
        assert any(urlparse(e).hostname == urlparse(url).hostname for e in page.external), (url, page.external)
    assert _fetch(page, [server.url + "/_stcore/health", f"http://localhost:{server.port}/_stcore/health"]) == \
        ["answered", "answered"]
    assert {urlparse(e).hostname for e in page.external} == {urlparse(u).hostname for u in urls}


def test_frames_navigations_and_websockets_to_outside_are_listed(server, page):
    page.goto(server.url + "/_stcore/health")
    page.evaluate("""() => {
        const f = document.createElement('iframe'); f.src = 'https://frame.example.invalid/0.png';
        document.body.appendChild(f);
        new WebSocket('wss://socket.example.invalid/stream');
    }""")
    wait_for(lambda: any("frame.example.invalid" in e for e in page.external)
             and any("socket.example.invalid" in e for e in page.external), 10, "the frame and the socket", page)
    assert any(e.startswith("https://frame.example.invalid/") for e in page.external), page.external
    assert any(e.startswith("wss://socket.example.invalid/") for e in page.external), page.external
    with pytest.raises(Exception, match="ERR_PROXY_CONNECTION_FAILED|ERR_TUNNEL_CONNECTION_FAILED"):
        page.goto("http://page.example.invalid/")
    assert "http://page.example.invalid/" in page.external

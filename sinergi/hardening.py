"""What ``python -m sinergi.serve`` changes in Streamlit's server before it starts: no outbound call, and
an upload route that takes files only from sessions allowed to import.

**No outbound call.** Streamlit, started headless without a ``server.address`` (``make run``, a
deployment listening on every interface), prints an "External URL" by asking an outside host for the
machine's public address (``streamlit.net_util.get_external_ip``: HTTP to checkip.amazonaws.com, seen as
"Did not auto detect external IP" where the firewall says no) and a "Network URL" by connecting a UDP
socket towards 8.8.8.8; its CORS check for a request from another machine's address asks the same two.
No setting turns both off without also changing what the server listens on or advertises, so the two
functions are replaced: the external address is never looked up (set ``browser.serverAddress`` to
advertise one), the local one is read from the network interfaces themselves (an ``ioctl``, no
packet). What the server listens on is untouched: every interface by default, ``--server.address
0.0.0.0`` (or any address) when asked. ``tests/test_no_outbound.py`` runs the server with every
non-loopback connection and name lookup refused and logged, through a tour of every page.

**The upload route.** ``PUT /_stcore/upload_file/<session>/<file>`` stores a file for any live session,
whatever the page shows it. A session may send files only while its page takes everyone's files (the
agenda, the gap page) or its user may import (``sinergi.signin.UNGGAH``, set on every run from the page
and the user's role): on Kelola Data a viewer's or a visitor's upload gets 403 and nothing is stored.
"""

from __future__ import annotations

import socket
import struct

_SIOCGIFADDR = 0x8915  # Linux: an interface's IPv4 address


def alamat_lokal() -> str | None:
    """A non-loopback IPv4 address of this machine, read from its network interfaces without sending
    anything (for the "Network URL" line); None when there is none or the platform cannot tell."""
    try:
        import fcntl

        names = [name for _, name in socket.if_nameindex()]
    except (ImportError, OSError, AttributeError):
        return None
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:  # never connected, never sent on
        for name in names:
            try:
                raw = fcntl.ioctl(s.fileno(), _SIOCGIFADDR, struct.pack("256s", name.encode()[:15]))
            except OSError:
                continue
            ip = socket.inet_ntoa(raw[20:24])
            if not ip.startswith("127."):
                return ip
    return None


def tanpa_panggilan_keluar() -> None:
    """Replace Streamlit's two address look-ups (see the module docstring)."""
    from streamlit import net_util

    net_util.get_external_ip = lambda: None
    net_util.get_internal_ip = alamat_lokal


def sesi_boleh_unggah(session_id: str) -> bool:
    """Whether the live session ``session_id`` may send files now (its last run said its user may import)."""
    from streamlit.runtime import Runtime

    from sinergi.signin import UNGGAH

    if not Runtime.exists():
        return False
    session = Runtime.instance().get_app_session(session_id)
    if session is None:
        return False
    try:
        return session.session_state[UNGGAH] is True
    except KeyError:
        return False


class GerbangUnggah:
    """ASGI middleware: refuses uploads (PUT/DELETE on the upload route) of sessions that may not import."""

    ROUTE = "/_stcore/upload_file/"

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope.get("type") == "http" and scope.get("method") in ("PUT", "DELETE"):
            path = scope.get("path", "")
            at = path.find(self.ROUTE)
            if at >= 0:
                session_id = path[at + len(self.ROUTE):].split("/", 1)[0]
                if not sesi_boleh_unggah(session_id):
                    from starlette.responses import PlainTextResponse

                    await PlainTextResponse("Forbidden: this session may not upload files.", 403)(scope, receive, send)
                    return
        await self.app(scope, receive, send)


def gerbang_unggah() -> None:
    """Put :class:`GerbangUnggah` first in Streamlit's middleware stack."""
    from starlette.middleware import Middleware
    from streamlit.web.server.starlette import starlette_app

    asli = starlette_app.create_streamlit_middleware
    if getattr(asli, "sinergi", False):
        return

    def middleware() -> list:
        return [Middleware(GerbangUnggah), *asli()]

    middleware.sinergi = True
    starlette_app.create_streamlit_middleware = middleware


def pasang() -> None:
    """Everything above, before the server starts."""
    tanpa_panggilan_keluar()
    gerbang_unggah()

"""Opening a page of the app in ``AppTest`` as a visitor would: the app runs once (as a first visit does), then
the page with the URL's parameters. One helper for every page test (AppTest does not exercise HTTP routes:
those are tested over HTTP)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def scan_components_once() -> None:
    """Each new ``AppTest`` scans the metadata of every installed distribution for Streamlit component
    manifests (about 0.1 s of CPU, a third of a short page test). The installed packages do not change while
    the tests run, so one scan per process serves every ``AppTest``; each gets its own copy of the list."""
    from streamlit.components.v2 import manifest_scanner

    scan, found = manifest_scanner.scan_component_manifests, []

    def once(max_workers=None):
        if not found:
            found.append(scan(max_workers))
        return list(found[0])

    manifest_scanner.scan_component_manifests = once


def open_page(page: str, query: dict | None = None, secrets: dict | None = None, timeout: float = 90, *,
              user: dict | None = None, session: dict | None = None) -> AppTest:
    """Run the app, switch to ``page`` (``"pages/x.py"``) with ``query`` in the URL and run it; fails on an
    exception shown by the page. ``user``: the identity ``st.user`` gives (from the first run on);
    ``session``: values put into the session state before the page runs."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    for k, v in (secrets or {}).items():
        at.secrets[k] = v
    if user is not None:
        at.user = user
    at.run()
    at.switch_page(page)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    for k, v in (session or {}).items():
        at.session_state[k] = v
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def param(at: AppTest, name: str):
    """One URL parameter of the page as it is now (AppTest keeps lists for some)."""
    v = at.query_params.get(name)
    return v[0] if isinstance(v, list) else v

"""Opening a page of the app in ``AppTest`` as a visitor's deep link does: one run of the app, on the page with
the URL's parameters. One helper for every page test (AppTest does not exercise HTTP routes: those are tested
over HTTP)."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

APP = str(Path(__file__).resolve().parents[1] / "app.py")
# Each registered page file and its url_path (app.py's st.Page calls): st.navigation knows a page by the hash
# of its url_path, as a browser names it by its path.
URL_PATHS = dict(re.findall(r'st\.Page\(\s*"(pages/[a-z_]+\.py)".*?url_path="([a-z_]+)"',
                            Path(APP).read_text(encoding="utf-8")))


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


def share_script_cache() -> None:
    """AppTest makes a new script cache for every run, so every run compiled app.py and its page again, with
    Streamlit's "magic" rewriting of the syntax tree (~40 ms each: a third of a short page test's CPU); a
    server keeps one cache and compiles each script once. One cache per process serves every ``AppTest``,
    keyed by the script's path, size and modification time and the magic setting (a changed file is compiled
    again); the compiled code is immutable, so sharing it changes nothing a test sees."""
    import os
    import threading

    from streamlit import config
    from streamlit.runtime.scriptrunner import script_cache

    compile_once = script_cache.ScriptCache.get_bytecode
    if getattr(compile_once, "shared", False):
        return
    shared: dict = {}
    lock = threading.Lock()

    def get_bytecode(self, script_path: str):
        path = os.path.abspath(script_path)
        st_ = os.stat(path)
        key = (path, st_.st_size, st_.st_mtime_ns, config.get_option("runner.magicEnabled"))
        with lock:
            code = shared.get(key)
        if code is None:
            code = compile_once(self, script_path)
            with lock:
                shared[key] = code
        return code

    get_bytecode.shared = True
    script_cache.ScriptCache.get_bytecode = get_bytecode


def wait_for_runs_without_polling() -> None:
    """AppTest waits for a script run by waking every millisecond to look whether it ended: a thousand wake-ups a
    second, each taking the interpreter's lock from the thread that runs the page (an eighth of the samples of
    three AppTest files were that loop). Waiting on the run's thread instead wakes once, when it ends (the
    runner emits its end just before the thread returns); the timeout and its error stay Streamlit's."""
    import time

    from streamlit.testing.v1 import local_script_runner as lsr

    polling = lsr.require_widgets_deltas
    if getattr(polling, "joined", False):
        return

    def require_widgets_deltas(runner, timeout: float = 3) -> None:
        deadline = time.monotonic() + timeout
        thread = getattr(runner, "_script_thread", None)
        if thread is None:
            return polling(runner, timeout)
        while thread.is_alive() and not runner.script_stopped() and time.monotonic() < deadline:
            thread.join(min(max(deadline - time.monotonic(), 0.0), 0.05))
        if runner.script_stopped():
            return None
        runner.request_stop()  # timed out (or the thread ended without saying so): as Streamlit's own
        runner.join()
        raise RuntimeError(f"AppTest script run timed out after {timeout}(s)")

    require_widgets_deltas.joined = True
    lsr.require_widgets_deltas = require_widgets_deltas


def open_page(page: str, query: dict | None = None, secrets: dict | None = None, timeout: float = 90, *,
              user: dict | None = None, session: dict | None = None) -> AppTest:
    """Run the app on ``page`` (``"pages/x.py"``) with ``query`` in the URL, as its link opens it in a new
    session; fails on an exception shown by the page, or if another page ran. ``user``: the identity
    ``st.user`` gives; ``session``: values put into the session state before the page runs.

    AppTest's ``switch_page`` learns the pages' url_paths from a first run (of the default page: ~45 % of
    the CPU of a short page test); the first run asks for the page by its hash instead, as a browser's
    first request for ``/<url_path>`` does."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    for k, v in (secrets or {}).items():
        at.secrets[k] = v
    if user is not None:
        at.user = user
    at._page_hash = want = calc_hash(URL_PATHS[page])
    for k, v in (query or {}).items():
        at.query_params[k] = v
    for k, v in (session or {}).items():
        at.session_state[k] = v
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at._finished_page_script_hash == want, f"{page} was asked for, another page ran"
    return at


def param(at: AppTest, name: str):
    """One URL parameter of the page as it is now (AppTest keeps lists for some)."""
    v = at.query_params.get(name)
    return v[0] if isinstance(v, list) else v

"""Start the app: ``python -m sinergi.serve [streamlit options]`` (what ``make run`` does).

Equivalent to ``streamlit run app.py [options]`` except for three things.

1. The app's own HTTP routes (``sinergi.routes``: vector tiles and published map data) are served beside
   Streamlit's: the app runs as an ``st.App`` (Streamlit on Starlette) with those routes. Options are read
   exactly as ``streamlit run`` reads them (command line flags, ``STREAMLIT_*`` variables, ``.streamlit/
   config.toml`` beside ``app.py``).
2. Streamlit decides per process, when the first browser session connects, whether the app is an old-style
   multipage app: it is when a folder named ``pages/`` sits beside the entry script, and it stays so until
   some run calls ``st.navigation``. Our pages live in ``pages/`` (the product card's layout) but are routed
   by ``st.navigation`` in ``app.py``. With plain ``streamlit run``, the first visitor after a start is
   therefore served the old directory listing as navigation, a "Page not found" dialog for links such as
   ``/ketahanan``, and a link whose path equals a file name (``/peta``) runs ``pages/peta.py`` on its own,
   without ``app.py`` (no sidebar, no styles, no database check) — for every visitor, until another path
   happens to run ``app.py``. Telling Streamlit up front that this app routes with ``st.navigation`` removes
   all of it.
3. It installs :mod:`sinergi.hardening`: no call to an outside host at start (Streamlit would ask one
   for the machine's public address), and the upload route refuses sessions that may not import.
"""

from __future__ import annotations

import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app.py"


def options(argv: list[str]) -> dict:
    """Streamlit config options from ``streamlit run``-style arguments (``--server.port 8502``), parsed by
    Streamlit's own command line definition (types, ``STREAMLIT_*`` environment variables)."""
    from streamlit.web import cli

    ctx = cli.main_run.make_context("streamlit run", [str(APP), *argv])
    flags = {k: v for k, v in ctx.params.items() if k not in ("target", "args") and v is not None and v != ()}
    return {k.replace("_", "."): v for k, v in flags.items()}


def make_app():
    """The ``st.App`` running ``app.py`` with the app's own routes."""
    import streamlit as st

    from sinergi import routes

    return st.App(str(APP), routes=routes.routes())


def main(argv: list[str] | None = None) -> int:
    from streamlit.runtime.pages_manager import PagesManager

    from sinergi import hardening

    hardening.pasang()  # no outbound call at start; uploads only from sessions that may import
    # Read by Streamlit's script runner on every run (``_mpa_v1`` when true); ``st.navigation`` sets the
    # same value, just too late for the first run of a process.
    PagesManager.uses_pages_directory = False
    config = options(sys.argv[1:] if argv is None else argv)
    # App.run takes the launcher from sys.argv[0]: app.py, as `streamlit run app.py` would (config.toml,
    # secrets and sys.path are found beside it).
    sys.argv = [str(APP)]
    make_app().run(config=config)
    return 0


if __name__ == "__main__":
    sys.exit(main())

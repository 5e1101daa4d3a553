"""Presentation mode (``?mode=presentasi``, or the sidebar toggle): whether it is on, switching it,
the map's height in it, and the CSS and script it injects.

Pages help with three calls: ``ui.map_height(normal)`` for the map's height, ``ui.presenting()`` to
skip what a presenter does not show, ``ui.stop_if_presenting()`` after the main picture.
"""

from __future__ import annotations

import streamlit as st

from sinergi.ui.styles import BASE_CSS, MAP_SIZE_JS, PRESENT_CSS, PRESENT_JS

MODE_PARAM = "mode"
PRESENT = "presentasi"
# Map height in presentation mode as drawn by the server; the presentation script then fits the map to
# the screen (tests/browser/test_presentation_browser.py checks 1280×720 and 1920×1080).
PRESENT_MAP_HEIGHT = 400
# A tall chart (e.g. the profile's percentiles) in presentation mode, below a title and two text lines.
PRESENT_CHART_HEIGHT = 500
# the agenda view being presented (None: none); leaving the mode forgets it
POS_KEY = "_agenda_pos"


def presenting() -> bool:
    """True in presentation mode: ``?mode=presentasi`` in the URL (any other value means normal)."""
    return st.query_params.get(MODE_PARAM) == PRESENT


def set_presenting(on: bool) -> None:
    if on:
        st.query_params[MODE_PARAM] = PRESENT
    else:
        st.query_params.pop(MODE_PARAM, None)
        st.session_state[POS_KEY] = None
    st.session_state["_mode"] = PRESENT if on else ""


def map_height(normal: int) -> int:
    """The map's height in CSS pixels for the current mode (``normal`` outside presentation mode)."""
    return min(normal, PRESENT_MAP_HEIGHT) if presenting() else normal


def stop_if_presenting() -> None:
    """End the page here in presentation mode (after its main picture); otherwise do nothing."""
    if presenting():
        st.stop()


def inject_css() -> None:
    """The shared CSS and the script sizing the maps to the screen; the presentation CSS, keys and map
    sizing in presentation mode (no space taken)."""
    st.html(BASE_CSS + (PRESENT_CSS if presenting() else ""))
    st.html(PRESENT_JS if presenting() else MAP_SIZE_JS, unsafe_allow_javascript=True)

"""The interface language (``?lang=en`` or the session's choice) and its texts; text made inert for
Markdown."""

from __future__ import annotations

import streamlit as st

from sinergi import i18n, memo


def lang() -> str:
    """Interface language: the URL's ``?lang=en`` first, then this session's choice, else Indonesian.

    Once the sidebar has settled it for a run (:func:`settle`), the run's value without looking again: a
    page asks ~100 times a run (every text), each look going through the URL's and the session's state."""
    settled = (memo.run_slot("lang") or {}).get("lang")
    if settled is not None:
        return settled
    value = st.query_params.get("lang") or st.session_state.get("_lang", "id")
    return value if value in i18n.LANGS else "id"


def settle(value: str) -> None:
    """The language of the rest of this run (the sidebar's, after it has put it into the URL and the
    session; a language switch's callback runs before, at the start of the next run). A new run (Streamlit
    gives each run a new ``cursors`` dict) looks again."""
    run = memo.run_slot("lang")
    if run is not None:
        run["lang"] = value


def t(key: str) -> str:
    return i18n.t(key, lang())


def md(text: object) -> str:
    """Text from users or data made inert for Markdown (see ``themes.md``)."""
    from sinergi import themes

    return themes.md(text)

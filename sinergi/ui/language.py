"""The interface language (``?lang=en`` or the session's choice) and its texts; text made inert for
Markdown."""

from __future__ import annotations

import streamlit as st

from sinergi import i18n


def lang() -> str:
    """Interface language: the URL's ``?lang=en`` first, then this session's choice, else Indonesian."""
    value = st.query_params.get("lang") or st.session_state.get("_lang", "id")
    return value if value in i18n.LANGS else "id"


def t(key: str) -> str:
    return i18n.t(key, lang())


def md(text: object) -> str:
    """Text from users or data made inert for Markdown (see ``themes.md``)."""
    from sinergi import themes

    return themes.md(text)

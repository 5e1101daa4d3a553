"""The sidebar every page shares: language switch, presentation toggle (both kept in the URL) and the
"save to agenda" form."""

from __future__ import annotations

import streamlit as st

from sinergi import agenda as ag
from sinergi import i18n
from sinergi.ui.agenda_controls import get_agenda, page_id, set_agenda
from sinergi.ui.language import lang, md, settle, t
from sinergi.ui.presentation import MODE_PARAM, PRESENT, inject_css, presenting, set_presenting


def _set_lang() -> None:
    choice = st.session_state["_lang_choice"]
    st.session_state["_lang"] = choice
    if choice == "id":
        st.query_params.pop("lang", None)
    else:
        st.query_params["lang"] = choice


def _toggle_mode() -> None:
    set_presenting(bool(st.session_state.get("_mode_toggle")))


def sidebar(page=None) -> None:
    """Language switch and presentation toggle (both kept in the URL) and the "save to agenda" form,
    shared by every page. ``page`` is the page object ``st.navigation`` returned."""
    current = lang()
    st.session_state["_lang"] = current
    # a language or mode the app does not know is dropped from the URL (so shared links stay clean)
    if st.query_params.get("lang") not in (None, *i18n.LANGS):
        del st.query_params["lang"]
    if st.query_params.get(MODE_PARAM) not in (None, PRESENT):
        del st.query_params[MODE_PARAM]
    if current != "id" and st.query_params.get("lang") != current:
        st.query_params["lang"] = current  # keep the language in the URL after page changes
    if st.session_state.get("_mode") == PRESENT and MODE_PARAM not in st.query_params:
        st.query_params[MODE_PARAM] = PRESENT  # and the mode, when the presenter changes page
    settle(current)  # the rest of the run asks ~100 times: the same answer without looking again
    inject_css()
    with st.sidebar:
        st.selectbox(
            t("language"), options=list(i18n.LANGS), index=list(i18n.LANGS).index(current),
            format_func=lambda c: {"id": "Bahasa Indonesia", "en": "English"}[c],
            key="_lang_choice", on_change=_set_lang,
        )
        st.session_state["_mode_toggle"] = presenting()
        st.toggle(t("present_mode"), key="_mode_toggle", on_change=_toggle_mode, help=t("present_help"))
        _save_form(page_id(page))


def _save_form(current_page: str) -> None:
    if current_page not in ag.PAGE_PARAMS:
        return  # e.g. the agenda page itself, or a page that does not describe its URL state yet
    with st.expander(t("ag_save"), icon=":material/bookmark_add:"):
        with st.form("sd_save_view", clear_on_submit=True, border=False):
            title = st.text_input(t("ag_title"), max_chars=ag.MAX_TITLE, key="_ag_title")
            note = st.text_area(t("ag_note"), max_chars=ag.MAX_NOTE, key="_ag_note", height=90)
            saved = st.form_submit_button(t("ag_save_button"), icon=":material/add:")
        if saved:
            try:
                view = ag.make_view(current_page, st.query_params.to_dict(), title, note)
                set_agenda(ag.add(get_agenda(), view))
            except ag.AgendaError as e:
                st.error(md(e))
            else:
                st.success(t("ag_saved").format(n=len(get_agenda().views)))
        st.page_link("pages/agenda.py", label=t("nav_agenda"), icon=":material/slideshow:")

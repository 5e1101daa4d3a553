"""The agenda's controls shared by every page: this session's agenda, the pages to switch to, opening a
view, the presenter bar (◀ n/N ▶ ✕) and a view's link. The agenda's data and validation live in
:mod:`sinergi.agenda`; the "save to agenda" form is drawn by :mod:`sinergi.ui.sidebar_panel`."""

from __future__ import annotations

import streamlit as st

from sinergi import agenda as ag
from sinergi.ui.language import lang, md, t
from sinergi.ui.presentation import MODE_PARAM, POS_KEY, PRESENT, presenting, set_presenting

DEFAULT_PAGE = "beranda"  # url_path of the default page (Streamlit reports "" for it)
AGENDA_KEY = "_agenda"
PAGES_KEY = "_pages"


def page_id(page=None) -> str:
    """The url_path of a page object from ``st.navigation`` (the default page's name for "")."""
    return (getattr(page, "url_path", "") or DEFAULT_PAGE) if page is not None else DEFAULT_PAGE


def register_pages(pages: dict) -> None:
    """Remember this run's pages by url_path (for ``st.switch_page`` when presenting an agenda)."""
    found = {}
    for section in pages.values():
        for p in section:
            found[page_id(p) if getattr(p, "_default", False) else p.url_path] = p
    st.session_state[PAGES_KEY] = found


def get_agenda() -> ag.Agenda:
    return st.session_state.get(AGENDA_KEY) or ag.Agenda(t("ag_default_name"))


def set_agenda(value: ag.Agenda) -> None:
    st.session_state[AGENDA_KEY] = value


def view_query(view: ag.View, presenting_: bool = True) -> dict[str, str]:
    """Query parameters that open ``view`` in this session's language (and presentation mode)."""
    q = dict(view.params)
    if lang() != "id":
        q["lang"] = lang()
    if presenting_:
        q[MODE_PARAM] = PRESENT
    return q


def open_view(index: int, presenting_: bool = True) -> None:
    """Go to the agenda's view ``index`` (its page with its URL state); stops the current run."""
    agenda = get_agenda()
    if not 0 <= index < len(agenda.views):
        return
    view = agenda.views[index]
    pages = st.session_state.get(PAGES_KEY, {})
    target = pages.get(view.page)
    if target is None:
        st.error(t("ag_unknown_page").format(page=view.page))
        return
    st.session_state[POS_KEY] = index if presenting_ else None
    st.session_state["_mode"] = PRESENT if presenting_ else ""
    st.switch_page(target, query_params=view_query(view, presenting_))


def presenter_bar() -> None:
    """In presentation mode: a small fixed bar with ◀ n/N ▶ while an agenda is presented, and ✕ to
    leave the mode (keys: ←/→, PageUp/PageDown, Esc). Nothing outside presentation mode."""
    if not presenting():
        return
    agenda = get_agenda()
    pos = st.session_state.get(POS_KEY)
    showing = pos is not None and 0 <= pos < len(agenda.views)
    with st.container(key="sd_presenter", horizontal=True, vertical_alignment="center", gap="small",
                      width="content"):
        if showing:
            prev = st.button("◀", key="sd_prev", disabled=pos == 0, help=t("ag_prev"))
            st.markdown(f"**{pos + 1} / {len(agenda.views)}**", help=md(agenda.views[pos].title))
            nxt = st.button("▶", key="sd_next", disabled=pos >= len(agenda.views) - 1, help=t("ag_next"))
        else:
            prev = nxt = False
        leave = st.button("✕", key="sd_exit", help=t("present_exit"))
    if leave:
        set_presenting(False)
        st.rerun()
    if prev:
        open_view(pos - 1)
    if nxt:
        open_view(pos + 1)


def agenda_json_bytes(value: ag.Agenda) -> bytes:
    return ag.to_json(value).encode("utf-8")


def link_target(view: ag.View, lang_: str | None = None) -> str:
    """The view's relative link for a Markdown link (the default page lives at the app's root)."""
    link = view.link(lang_ or lang())
    return "./" + link[len(DEFAULT_PAGE):] if view.page == DEFAULT_PAGE else link

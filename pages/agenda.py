"""Agenda presentasi: the views saved from any page (sidebar "Simpan ke agenda"), reordered, annotated,
presented one after another (buttons or ←/→ keys), exported and imported as JSON, and as a slide pack."""

import streamlit as st

from sinergi import agenda as ag
from sinergi import ui

lang = ui.lang()
info = ui.dataset_banner()
st.title(ui.t("nav_agenda"))
st.caption(ui.t("ag_intro"))
agenda = ui.get_agenda()


def _rename() -> None:
    try:
        ui.set_agenda(ag.rename(ui.get_agenda(), st.session_state["ag_name"]))
    except ag.AgendaError as e:
        st.session_state["_ag_msg"] = ("error", ui.md(e))


def _import() -> None:
    upload = st.session_state.get("ag_upload")
    if upload is None:
        return
    try:
        new = ag.from_json(upload.getvalue())
    except ag.AgendaError as e:
        st.session_state["_ag_msg"] = ("error", f"{ui.t('ag_import_failed')} {ui.md(e)}")
    else:
        ui.set_agenda(new)
        st.session_state["ag_name"] = new.name
        st.session_state["_ag_msg"] = ("success", ui.t("ag_imported").format(name=ui.md(new.name), n=len(new.views)))


st.session_state.setdefault("ag_name", agenda.name)
st.text_input(ui.t("ag_name"), key="ag_name", max_chars=ag.MAX_NAME, on_change=_rename)

top = st.columns([2, 2, 2, 3])
present = top[0].button(ui.t("ag_present"), type="primary", icon=":material/slideshow:",
                        disabled=not agenda.views, key="ag_present")
top[1].download_button(ui.t("ag_export_json"), ui.agenda_json_bytes(agenda), file_name="agenda_sinergi_desa.json",
                       mime="application/json", disabled=not agenda.views, key="ag_export", on_click="ignore",
                       icon=":material/download:")
top[2].download_button(ui.t("ag_slides"), ui.slide_pack_maker(agenda, info) if agenda.views else b"",
                       file_name="slide_agenda.pdf",
                       mime="application/pdf", disabled=not agenda.views, key="ag_slides", on_click="ignore",
                       help=ui.t("ag_slides_help"), icon=":material/picture_as_pdf:")
top[3].file_uploader(ui.t("ag_import"), type=["json"], key="ag_upload", on_change=_import, help=ui.t("ag_import_help"))
msg = st.session_state.pop("_ag_msg", None)
if msg:
    (st.error if msg[0] == "error" else st.success)(msg[1])
if present:
    ui.open_view(0)

if not agenda.views:
    st.info(ui.t("ag_empty"))
    st.stop()

for i, view in enumerate(agenda.views):
    with st.container(border=True, key=f"ag_view_{i}"):
        head, buttons = st.columns([3, 2])
        head.markdown(f"**{i + 1}. {ui.md(view.title)}** · {ui.t('ag_page')}: `{view.page}`")
        if view.note:
            head.markdown(ui.md(view.note))
        head.markdown(f"{ui.t('ag_link')}: [{ui.md(view.link(lang))}]({ui.link_target(view, lang)})")
        b = buttons.columns(5)
        if b[0].button("▲", key=f"ag_up_{i}", disabled=i == 0, help=ui.t("ag_up")):
            ui.set_agenda(ag.move(agenda, i, -1))
            st.rerun()
        if b[1].button("▼", key=f"ag_down_{i}", disabled=i == len(agenda.views) - 1, help=ui.t("ag_down")):
            ui.set_agenda(ag.move(agenda, i, +1))
            st.rerun()
        if b[2].button("↗", key=f"ag_open_{i}", help=ui.t("ag_open")):
            ui.open_view(i, presenting_=False)
        if b[3].button("▶", key=f"ag_play_{i}", help=ui.t("ag_present_here")):
            ui.open_view(i)
        if b[4].button("✕", key=f"ag_del_{i}", help=ui.t("ag_remove")):
            ui.set_agenda(ag.remove(agenda, i))
            st.rerun()

if st.button(ui.t("ag_clear"), key="ag_clear", icon=":material/delete:"):
    ui.set_agenda(ag.Agenda(agenda.name))
    st.rerun()

"""Sinergi Desa: the entry point. Registers the pages, draws what every page shares, runs the page."""

import streamlit as st

from sinergi import ui

st.set_page_config(page_title="Sinergi Desa", page_icon="🗺️", layout="wide")
st.markdown(ui.BASE_CSS, unsafe_allow_html=True)

pages = {
    ui.t("section_eksplorasi"): [
        st.Page("pages/beranda.py", title=ui.t("nav_beranda"), icon="🏠", default=True, url_path="beranda"),
    ],
    ui.t("section_tema"): [
        st.Page("pages/ketahanan_sosial.py", title=ui.t("nav_ketahanan"), icon="🛡️", url_path="ketahanan"),
        st.Page("pages/kapasitas_sdm.py", title=ui.t("nav_sdm"), icon="🎓", url_path="sdm"),
        st.Page("pages/jaringan_sosial.py", title=ui.t("nav_jaringan"), icon="🕸️", url_path="jaringan"),
        st.Page("pages/sinergi_program.py", title=ui.t("nav_sinergi"), icon="🤝", url_path="sinergi"),
    ],
    ui.t("section_wilayah"): [
        st.Page("pages/profil_desa.py", title=ui.t("nav_profil"), icon="📋", url_path="profil"),
        st.Page("pages/bandingkan.py", title=ui.t("nav_bandingkan"), icon="⚖️", url_path="bandingkan"),
    ],
}
pg = st.navigation(pages)
ui.sidebar()
if ui.ensure_database():
    pg.run()

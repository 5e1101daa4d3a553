"""Sinergi Desa: the entry point. Registers the pages, draws what every page shares, runs the page."""

import streamlit as st

from sinergi import ui

st.set_page_config(page_title="Sinergi Desa", page_icon="🗺️", layout="wide")
st.markdown(ui.BASE_CSS, unsafe_allow_html=True)

pages = {
    ui.t("section_eksplorasi"): [
        st.Page("pages/beranda.py", title=ui.t("nav_beranda"), icon="🏠", default=True, url_path="beranda"),
    ],
}
pg = st.navigation(pages)
ui.sidebar()
if ui.ensure_database():
    pg.run()

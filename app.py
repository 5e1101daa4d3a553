"""Sinergi Desa: the entry point. Registers the pages, draws what every page shares, runs the page."""

import streamlit as st

from sinergi import catalog, signin, ui
from sinergi.importers.view import baris_dataset_aktif

# Presentation mode (?mode=presentasi) starts with the sidebar collapsed; ui.sidebar injects its CSS.
st.set_page_config(page_title="Sinergi Desa", page_icon="🗺️", layout="wide",
                   initial_sidebar_state="collapsed" if ui.presenting() else "auto")

# Navigation icons: Streamlit's bundled Material Symbols (emoji need fonts a presenter's machine may lack).
# The tab icon stays an emoji: a :material/...: page_icon is fetched from an outside font host.
pages = {
    ui.t("section_eksplorasi"): [
        st.Page("pages/beranda.py", title=ui.t("nav_beranda"), icon=":material/home:", default=True, url_path="beranda"),
        st.Page("pages/peta.py", title=ui.t("nav_peta"), icon=":material/map:", url_path="peta"),
    ],
    ui.t("section_tema"): [
        st.Page("pages/ketahanan_sosial.py", title=ui.t("nav_ketahanan"), icon=":material/shield:", url_path="ketahanan"),
        st.Page("pages/kapasitas_sdm.py", title=ui.t("nav_sdm"), icon=":material/school:", url_path="sdm"),
        st.Page("pages/jaringan_sosial.py", title=ui.t("nav_jaringan"), icon=":material/hub:", url_path="jaringan"),
        st.Page("pages/sinergi_program.py", title=ui.t("nav_sinergi"), icon=":material/handshake:", url_path="sinergi"),
    ],
    ui.t("section_wilayah"): [
        st.Page("pages/profil_desa.py", title=ui.t("nav_profil"), icon=":material/assignment:", url_path="profil"),
        st.Page("pages/bandingkan.py", title=ui.t("nav_bandingkan"), icon=":material/compare_arrows:", url_path="bandingkan"),
    ],
    ui.t("section_analisis"): [
        st.Page("pages/hotspot.py", title=ui.t("nav_hotspot"), icon=":material/blur_on:", url_path="hotspot"),
        st.Page("pages/indeks_kustom.py", title=ui.t("nav_indeks"), icon=":material/tune:", url_path="indeks"),
        st.Page("pages/perubahan.py", title=ui.t("nav_perubahan"), icon=":material/trending_up:", url_path="perubahan"),
        st.Page("pages/kesenjangan.py", title=ui.t("nav_kesenjangan"), icon=":material/stairs:", url_path="kesenjangan"),
    ],
}
pages[ui.t("section_presentasi")] = [
    st.Page("pages/agenda.py", title=ui.t("nav_agenda"), icon=":material/slideshow:", url_path="agenda"),
]
pages[ui.t("section_data")] = [
    st.Page("pages/kelola_data.py", title=ui.t("nav_kelola"), icon=":material/database:", url_path="kelola"),
]
REPAIR_PAGE = "kelola"
pg = st.navigation(pages)
ui.register_pages(pages)
ui.sidebar(pg)
signin.sesi(ui.page_id(pg))  # who this session is (sign-in / sign-out with an identity provider configured)
ui.presenter_bar()
# Sign-in required, or a restricted active dataset this session may not see: nothing of it is read or named.
if not signin.gerbang_halaman(ui.page_id(pg) == REPAIR_PAGE):
    st.stop()
try:
    lihat = signin.boleh_lihat_aktif()
    # also sets the dataset's indicator catalog for this run (catalog.pakai)
    fault = ui.database_fault() if lihat else None
    # Kelola Data runs even when the active dataset cannot be read: it is where an admin repairs it.
    if fault is None or ui.page_id(pg) == REPAIR_PAGE:
        with ui.database_guard():  # damage met while the page reads: a message, not a traceback
            if fault is None and lihat:
                baris_dataset_aktif()  # which dataset, its sources and licences, on every page
            pg.run()
    else:
        ui.show_fault(fault)
finally:
    catalog.pakai(None)  # the run's catalog lives as long as the run (the thread may serve another later)

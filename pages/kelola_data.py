"""Kelola Data: the active dataset (sources, licences, contents), the datasets side by side, and — with
the admin password — switching the active dataset and importing files (validation report first)."""

import streamlit as st

from sinergi import state, ui
from sinergi.importers import view

lang = ui.lang()
fault = ui.database_fault()  # this page also runs when the active dataset cannot be read
if fault is None:
    ui.dataset_banner()
st.title(ui.t("kd_title"))
view.tampilkan_pesan()
view.dataset_aktif(lang, fault)
view.daftar_dataset(lang)
st.divider()
if not view.gerbang_admin():
    st.stop()
view.perbaikan(fault)
view.ganti_dataset()
st.divider()
qp = st.query_params
jenis = view.formulir_impor(state.choice(qp, "jenis", view.JENIS, "indikator"), lang)
state.write(qp, {"jenis": jenis}, {"jenis": "indikator"})
view.rencana_tertunda()

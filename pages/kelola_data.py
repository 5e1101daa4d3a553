"""Kelola Data: the active dataset (sources, licences, contents), the datasets side by side, and — for a
steward or admin signed in (or with the admin password when no identity provider is configured) —
switching the active dataset and importing files (validation report first), access and the audit trail."""

import streamlit as st

from sinergi import signin, state, ui
from sinergi.importers import view

lang = ui.lang()
lihat = signin.boleh_lihat_aktif()  # a restricted active dataset: nothing of it reaches this session
fault = ui.database_fault() if lihat else None  # this page also runs when the active dataset cannot be read
if fault is None and lihat:
    ui.dataset_banner()
st.title(ui.t("kd_title"))
view.tampilkan_pesan()
if lihat:
    view.dataset_aktif(lang, fault)
else:
    signin.aktif_terbatas()
view.daftar_dataset(lang)
st.divider()
if not view.gerbang_admin():
    st.stop()
view.perbaikan(fault)
view.ganti_dataset()
signin.panel_akses()
st.divider()
qp = st.query_params
jenis = view.formulir_impor(state.choice(qp, "jenis", view.JENIS, "indikator"), lang)
state.write(qp, {"jenis": jenis}, {"jenis": "indikator"})
view.rencana_tertunda()
st.divider()
signin.panel_jejak()

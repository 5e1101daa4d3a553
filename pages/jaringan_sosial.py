"""Jaringan Sosial: local institutions and ties — a map of institution density (or any network measure),
an interactive network graph of a kecamatan or kabupaten, per-village network measures. It shows whatever
the dataset has (a list of institutions, counts per village, ties, population) and says in place what it
lacks and which file fills it."""

import streamlit as st

from sinergi import catalog, charts, empty_state, explore, network, state, themes, ui
from sinergi import data as sd
from sinergi.regions import LEVEL_NAMES, LEVEL_NAMES_EN

lang = ui.lang()
info = ui.dataset_banner()
st.title(ui.t("nav_jaringan"), help=ui.t("jr_intro"))  # the intro on hover: the map starts higher
qp = st.query_params
src = f"{ui.t('source')}: {info.get('sumber', '')}"

avail = set(sd.available_indicators()["id"])
ind_ids = [i.id for i in catalog.by_tema("jaringan_sosial") if i.id in avail]
isi = empty_state.isi()
if not ind_ids:
    empty_state.kurang(["lembaga", "ikatan"])
    st.stop()
default_ind = next(i for i in ("lembaga_per_1000", "lembaga_jumlah", *ind_ids) if i in ind_ids)

c0, c1, c2, c3 = st.columns([1.7, 3, 1.3, 2], vertical_alignment="bottom")  # the controls in one row, map first
wil = ui.region_popover("jr_wil", c0, home=True)
wil_level = wil.count(".") + 1 if wil else 0
indikator = c1.selectbox(ui.t("indicator"), ind_ids, index=ind_ids.index(state.choice(qp, "ind", ind_ids, default_ind)),
                         format_func=lambda i: catalog.get(i).nama(lang), key="jr_ind")
years = sd.years(indikator)
latest = max(years)
tahun = c2.selectbox(ui.t("year"), years, index=years.index(state.choice(qp, "tahun", years, latest)), key="jr_tahun")
levels = [lv for lv in (1, 2, 3, 4) if lv > wil_level]
default_level = ui.first_level(wil, levels, max(2, wil_level + 1) if wil_level < 4 else 4)
level_names = LEVEL_NAMES_EN if lang == "en" else LEVEL_NAMES
tingkat = c3.selectbox(ui.t("map_level"), levels, index=levels.index(state.choice(qp, "tingkat", levels, default_level)),
                       format_func=lambda lv: level_names[lv].capitalize(), key="jr_tingkat")
state.write(qp, {"ind": indikator, "tahun": tahun, "tingkat": tingkat},
            {"ind": default_ind, "tahun": latest, "tingkat": default_level})
ind = catalog.get(indikator)
nama_wil = ui.t("all_regions") if not wil else sd.query("region", kode=wil).iloc[0]["nama"]

peta_ada = not empty_state.tanpa_batas(tingkat, wil)
left, right = st.columns([3, 2])
with left:
    st.subheader(f"{themes.md(ind.nama(lang))} {tahun} · {themes.md(nama_wil)}")
    if peta_ada:
        h = ui.map_height(460)
        m, view = explore.choropleth_map(indikator, tahun, tingkat, wil, lang=lang, height=h)
        explore.draw_map(m, key=f"jr_map_{indikator}_{tahun}_{tingkat}_{wil}", height=h, clicks=False,
                         legend=ui.map_legend(view.legend, f"{ind.nama(lang)} ({ind.unit(lang)})"))
    else:
        empty_state.kurang("batas")
    ui.source_note(info, ind.sumber)
    st.caption(themes.md(ind.deskripsi(lang)))
    if "lembaga_per_1000" not in avail and not isi.penduduk:  # institutions, but no density without population
        empty_state.kurang_ringkas(["penduduk"])
with right:
    inst = sd.query("region_institutions", kode=wil)
    counts_note = ""
    if inst.empty:  # no list of institutions: counts per village (e.g. PODES) give the types
        inst = sd.query("region_institution_counts", kode=wil, tahun=tahun)
        counts_note = ui.t("jr_counts_note").format(tahun=tahun)
    inst_fig = None
    if not inst.empty:
        labels = [network.jenis_label(j, lang) for j in inst["jenis"]]
        inst_fig = charts.hbars(labels, inst["n"].tolist(), f"{ui.t('count')} {ui.t('jr_institutions_unit')}", lang,
                                title=f"{ui.t('jr_institutions_by_type')} · {nama_wil}", source=src)
        st.plotly_chart(inst_fig, config={"displaylogo": False}, key="jr_inst")
        if counts_note:
            st.caption(counts_note)
    elif isi.n_lembaga or any(i.startswith("lembaga_") for i in avail):
        empty_state.tidak_ada_di("lembaga", nama_wil, tahun, [])
    else:
        empty_state.kurang("lembaga")
if peta_ada:
    ui.export_menu("jr_exp", view=view, indikator=indikator, tahun=tahun,
                   title=f"{ind.nama(lang)} {tahun} · {nama_wil}", legend_title=f"{ind.nama(lang)} ({ind.unit(lang)})",
                   source=ui.source_text(info, ind.sumber),
                   figures={ui.t("jr_institutions_by_type"): inst_fig} if inst_fig is not None else {},
                   file_stem=f"jaringan_{indikator}_{tahun}")
ui.stop_if_presenting()

# --- network graph --------------------------------------------------------------------------------
st.subheader(ui.t("jr_graph"))
if not isi.n_ikatan and not isi.n_lembaga:
    empty_state.kurang("ikatan")
elif wil_level not in (2, 3):
    st.info(ui.t("jr_pick_region"))
else:
    fig = themes.region_network_figure(wil, tahun, lang, title=f"{ui.t('jr_graph')} · {nama_wil} · {tahun}",
                                       source=f"{src} · {ui.t('jr_graph_note')}")
    if fig is None:
        empty_state.tidak_ada_di("ikatan", nama_wil, tahun, [])
    else:
        st.plotly_chart(fig, config={"displaylogo": False, "scrollZoom": True}, key="jr_graph")
        st.caption(ui.t("jr_graph_help"))
    if not isi.n_ikatan:  # institutions and their memberships only: no ties between villages or to partners
        empty_state.kurang_ringkas(["ikatan"])

# --- per-village measures -------------------------------------------------------------------------
st.subheader(f"{ui.t('jr_measures')} · {themes.md(nama_wil)} · {tahun}")
if not any(m in avail for m in network.MEASURES):
    st.info(ui.t("jr_no_measures"))
else:
    st.caption(ui.t("jr_measures_help"))
    measures = themes.network_table(sd.query("village_network_measures", tahun=tahun, induk=wil), lang)
    ui.table(measures)
    ui.download_csv(measures, ui.t("download_csv"), f"ukuran_jejaring_{wil or 'semua'}_{tahun}.csv", "jr_dl")

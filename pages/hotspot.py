"""Hotspot: Local Moran's I (LISA) and Getis-Ord Gi* for any indicator at kecamatan or village level; cluster
map, clusters that cross kabupaten/province lines, and an exportable targeting list."""

import streamlit as st
from streamlit_folium import st_folium

from sinergi import catalog, empty_state, hotspot, state, ui
from sinergi import data as sd
from sinergi.i18n import fmt_num
from sinergi.regions import LEVEL_NAMES, LEVEL_NAMES_EN

lang = ui.lang()
info = ui.dataset_banner()
st.title(ui.t("nav_hotspot"))
st.caption(ui.t("hs_intro"))
qp = st.query_params
level_names = LEVEL_NAMES_EN if lang == "en" else LEVEL_NAMES

avail = set(sd.available_indicators()["id"])  # once: each call is a cache lookup and a copy
ind_ids = [i for i in catalog.ids() if i in avail and i != "status_idm"]
if not ind_ids:
    empty_state.kurang("indikator")
    st.stop()

wil = ui.region_picker("hs_wil", max_level=2)
c = st.columns([3, 1, 2]) + st.columns([2, 1, 2])
default_ind = "iks" if "iks" in ind_ids else ind_ids[0]
indikator = c[0].selectbox(ui.t("indicator"), ind_ids, index=ind_ids.index(state.choice(qp, "ind", ind_ids, default_ind)),
                           format_func=lambda i: catalog.get(i).nama(lang), key="hs_ind")
years = sd.years(indikator)
latest = max(years)
tahun = c[1].selectbox(ui.t("year"), years, index=years.index(state.choice(qp, "tahun", years, latest)), key="hs_tahun")
levels = [3, 4]
tingkat = c[2].selectbox(ui.t("hs_level"), levels, index=levels.index(state.choice(qp, "tingkat", levels, 3)),
                         format_func=lambda lv: level_names[lv].capitalize(), key="hs_tingkat")
metode = c[3].selectbox(ui.t("hs_method"), list(hotspot.METODE),
                        index=list(hotspot.METODE).index(state.choice(qp, "metode", hotspot.METODE, "lisa")),
                        format_func=lambda m: ui.t(f"hs_m_{m}"), key="hs_metode")
alpha = c[4].selectbox(ui.t("hs_alpha"), list(hotspot.ALPHA),
                       index=list(hotspot.ALPHA).index(state.choice(qp, "alpha", hotspot.ALPHA, 0.05)),
                       format_func=lambda a: fmt_num(a, 2, lang), key="hs_alpha")
fdr = c[5].checkbox(ui.t("hs_fdr"), value=state.choice(qp, "fdr", ("1",), "") == "1", key="hs_fdr")
state.write(qp, {"ind": indikator, "tahun": tahun, "tingkat": tingkat, "metode": metode, "alpha": alpha,
                 "fdr": "1" if fdr else ""},
            {"ind": default_ind, "tahun": latest, "tingkat": 3, "metode": "lisa", "alpha": 0.05, "fdr": ""})

ind = catalog.get(indikator)
nama_wil = ui.t("all_regions") if not wil else sd.query("region", kode=wil).iloc[0]["nama"]
with st.spinner(ui.t("hs_computing")):
    res = hotspot.hotspot_view(indikator, tahun, tingkat, wil, alpha, fdr)

klaster = res.klaster[res.klaster["metode"] == metode]
n_kab = int(klaster["lintas_kab"].sum())
n_prov = int(klaster["lintas_prov"].sum())
m = st.columns(4)
m[0].metric(ui.t("hs_global"), fmt_num(res.moran_i, 3, lang),
            help=ui.t("hs_global_help").format(p=fmt_num(res.moran_p, 3, lang), perm=res.permutations))
m[1].metric(ui.t("hs_tested"), fmt_num(res.n_uji, 0, lang))
m[2].metric(ui.t("hs_n_cross_kab"), fmt_num(n_kab, 0, lang))
m[3].metric(ui.t("hs_n_cross_prov"), fmt_num(n_prov, 0, lang))
if res.catatan:
    st.warning(ui.t("hs_too_few"))

st.subheader(f"{ui.t('hs_m_' + metode)}: {ui.md(ind.nama(lang))} {tahun} · {level_names[tingkat]} · {ui.md(nama_wil)}")
left, right = st.columns([3, 1])
with left:
    h = ui.map_height(560)
    fmap, legend = hotspot.hotspot_map(indikator, tahun, tingkat, wil, alpha, fdr, metode, lang, h)
    st_folium(fmap, height=h, use_container_width=True, returned_objects=[],
              key=f"hs_map_{indikator}_{tahun}_{tingkat}_{wil}_{metode}_{alpha}_{fdr}")
with right:
    st.markdown(ui.legend_html(legend, ui.t("hs_class")), unsafe_allow_html=True)
    st.caption(ui.t("hs_lines"))
    if n_kab:
        st.warning(ui.t("hs_cross_callout").format(n=n_kab, m=n_prov))
    st.caption(ui.t("hs_method_note").format(perm=res.permutations, seed=hotspot.SEED, isolat=res.n_isolat))
ui.source_note(info, ind.sumber)

st.subheader(f"{ui.t('hs_clusters')} · {ui.md(nama_wil)} · {tahun}")
if klaster.empty:
    st.info(ui.t("hs_no_clusters"))
else:
    clusters = hotspot.cluster_table(res, metode, lang, ind.desimal + 2)
    ui.table(clusters, height=min(420, 38 + 35 * len(clusters)))
    ui.download_csv(clusters, ui.t("download_csv"), f"klaster_{metode}_{indikator}_{tahun}.csv", "hs_dl_k")

ui.stop_if_presenting()
st.subheader(f"{ui.t('hs_targets')} · {ui.md(nama_wil)} · {tahun}")
kinds = hotspot.target_kinds(metode, ind.arah)
if metode == "lisa":
    st.caption(ui.t("hs_targets_help").format(bad=hotspot.class_label(kinds[0], lang),
                                              out=hotspot.class_label(kinds[1], lang)))
else:
    st.caption(ui.t("hs_targets_help_gi").format(bad=hotspot.class_label(kinds[0], lang)))
targets = hotspot.target_table(hotspot.targets(res, metode), metode, ind, lang)
st.metric(ui.t("hs_targets"), fmt_num(len(targets), 0, lang))
ui.table(targets)
ui.download_csv(targets, ui.t("download_csv"), f"sasaran_hotspot_{indikator}_{tahun}_{wil or 'semua'}.csv", "hs_dl_t")

"""Hotspot: Local Moran's I (LISA) and Getis-Ord Gi* for any indicator at kecamatan or village level; cluster
map, clusters that cross kabupaten/province lines, and an exportable targeting list."""

import streamlit as st

from sinergi import catalog, empty_state, explore, hotspot, state, ui
from sinergi import data as sd
from sinergi.i18n import fmt_num
from sinergi.regions import LEVEL_NAMES, LEVEL_NAMES_EN

lang = ui.lang()
info = ui.dataset_banner()
st.title(ui.t("nav_hotspot"), help=ui.t("hs_intro"))  # the intro on hover: the map starts higher
qp = st.query_params
level_names = LEVEL_NAMES_EN if lang == "en" else LEVEL_NAMES

avail = set(sd.available_indicators()["id"])  # once: each call is a cache lookup and a copy
ind_ids = [i for i in catalog.ids() if i in avail and i != "status_idm"]
if not ind_ids:
    empty_state.kurang("indikator")
    st.stop()

c = st.columns([1.7, 2.6, 1.3, 1.9, 2, 1.4], vertical_alignment="bottom")  # the controls in one row, map first
wil = ui.region_popover("hs_wil", c[0], max_level=2, home=True)
default_ind = "iks" if "iks" in ind_ids else ind_ids[0]
indikator = c[1].selectbox(ui.t("indicator"), ind_ids, index=ind_ids.index(state.choice(qp, "ind", ind_ids, default_ind)),
                           format_func=lambda i: catalog.get(i).nama(lang), key="hs_ind")
years = sd.years(indikator)
latest = max(years)
tahun = c[2].selectbox(ui.t("year"), years, index=years.index(state.choice(qp, "tahun", years, latest)), key="hs_tahun")
levels = [3, 4]
default_level = ui.first_level(wil, levels, 3)
tingkat = c[3].selectbox(ui.t("hs_level"), levels,
                         index=levels.index(state.choice(qp, "tingkat", levels, default_level)),
                         format_func=lambda lv: level_names[lv].capitalize(), key="hs_tingkat")
metode = c[4].selectbox(ui.t("hs_method"), list(hotspot.METODE),
                        index=list(hotspot.METODE).index(state.choice(qp, "metode", hotspot.METODE, "lisa")),
                        format_func=lambda m: ui.t(f"hs_m_{m}"), key="hs_metode")
# the test's settings in a popover named by them (the widgets' values when set, else the URL's)
alpha_now = st.session_state.get("hs_alpha", state.choice(qp, "alpha", hotspot.ALPHA, 0.05))
fdr_now = st.session_state.get("hs_fdr", state.choice(qp, "fdr", ("1",), "") == "1")
with c[5].popover(f"α = {fmt_num(alpha_now, 2, lang)}" + (" · FDR" if fdr_now else ""), width="stretch"):
    alpha = st.selectbox(ui.t("hs_alpha"), list(hotspot.ALPHA),
                         index=list(hotspot.ALPHA).index(state.choice(qp, "alpha", hotspot.ALPHA, 0.05)),
                         format_func=lambda a: fmt_num(a, 2, lang), key="hs_alpha")
    fdr = st.checkbox(ui.t("hs_fdr"), value=state.choice(qp, "fdr", ("1",), "") == "1", key="hs_fdr")
state.write(qp, {"ind": indikator, "tahun": tahun, "tingkat": tingkat, "metode": metode, "alpha": alpha,
                 "fdr": "1" if fdr else ""},
            {"ind": default_ind, "tahun": latest, "tingkat": default_level, "metode": "lisa", "alpha": 0.05, "fdr": ""})

ind = catalog.get(indikator)
nama_wil = ui.t("all_regions") if not wil else sd.query("region", kode=wil).iloc[0]["nama"]
with st.spinner(ui.t("hs_computing")):
    res = hotspot.hotspot_view(indikator, tahun, tingkat, wil, alpha, fdr)

klaster = res.klaster[res.klaster["metode"] == metode]
n_kab = int(klaster["lintas_kab"].sum())
n_prov = int(klaster["lintas_prov"].sum())
st.subheader(f"{ui.t('hs_m_' + metode)}: {ui.md(ind.nama(lang))} {tahun} · {level_names[tingkat]} · {ui.md(nama_wil)}")
left, right = st.columns([3, 1])
with left:
    h = ui.map_height(560)
    fmap, legend = hotspot.hotspot_map(indikator, tahun, tingkat, wil, alpha, fdr, metode, lang, h)
    explore.draw_map(fmap, key=f"hs_map_{indikator}_{tahun}_{tingkat}_{wil}_{metode}_{alpha}_{fdr}", height=h,
                     clicks=False, legend=ui.map_legend(legend, ui.t("hs_class"), ui.t("hs_lines")))
with right:  # beside the map: the global statistic and what the clusters cross
    if res.catatan:
        st.warning(ui.t("hs_too_few"))
    st.metric(ui.t("hs_global"), fmt_num(res.moran_i, 3, lang),
              help=ui.t("hs_global_help").format(p=fmt_num(res.moran_p, 3, lang), perm=res.permutations))
    st.metric(ui.t("hs_tested"), fmt_num(res.n_uji, 0, lang))
    st.metric(ui.t("hs_n_cross_kab"), fmt_num(n_kab, 0, lang))
    st.metric(ui.t("hs_n_cross_prov"), fmt_num(n_prov, 0, lang))
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

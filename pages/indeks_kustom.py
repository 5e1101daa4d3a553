"""Indeks Kustom: build an index from chosen indicators, weights, normalisation and direction; map and rank
it; robustness (regions changing class when each weight moves ±10 %) next to the map; recipe in the URL."""

import streamlit as st

from sinergi import catalog, empty_state, explore, state, ui
from sinergi import custom_index as ci
from sinergi import data as sd
from sinergi.i18n import fmt_num, fmt_percent
from sinergi.regions import LEVEL_NAMES, LEVEL_NAMES_EN

lang = ui.lang()
info = ui.dataset_banner()
st.title(ui.t("nav_indeks"), help=ui.t("ci_intro"))  # the intro on hover: the map starts higher
qp = st.query_params
level_names = LEVEL_NAMES_EN if lang == "en" else LEVEL_NAMES

allowed = ci.allowed_indicators(sd.available_indicators()["id"])
if not allowed:
    empty_state.kurang("indikator")
    st.stop()
default = ci.default_recipe(allowed)
resep = ci.parse_recipe(qp.get("ind"), allowed) or default
by_id = {k.indikator: k for k in resep}

c = st.columns([1.7, 2.6, 1.3, 1.7, 2, 1.4], vertical_alignment="bottom")  # the controls in one row, map first
wil = ui.region_popover("ci_wil", c[0], home=True)
wil_level = wil.count(".") + 1 if wil else 0

# --- the recipe, in a popover named by its size (the widget's value when set, else the URL's) ------------
n_now = len(st.session_state.get("ci_ind", list(by_id)))
with c[1].popover(ui.t("ci_recipe_button").format(n=n_now), icon=":material/tune:", width="stretch"):
    chosen = st.multiselect(ui.t("ci_indicators"), allowed, default=list(by_id), max_selections=ci.MAKS_KOMPONEN,
                            format_func=lambda i: catalog.get(i).nama(lang), key="ci_ind")
    komponen = []
    for i in chosen:
        base = by_id.get(i, ci.Komponen(i, 1.0))
        row = st.columns([4, 2, 2])
        w = row[1].number_input(ui.t("ci_weight"), min_value=0.1, max_value=ci.BOBOT_MAKS, value=float(base.bobot),
                                step=0.5, key=f"ci_w_{i}")
        balik = row[2].checkbox(ui.t("ci_reverse"), value=base.balik, key=f"ci_b_{i}")
        k = ci.Komponen(i, float(w), bool(balik))
        arah = ui.t("ci_higher_better") if k.arah > 0 else ui.t("ci_lower_better")
        row[0].markdown(f"**{ui.md(catalog.get(i).nama(lang))}**  \n{arah}")
        komponen.append(k)
if not komponen:
    st.info(ui.t("ci_pick_one"))
    st.stop()

years = sorted(set.intersection(*[set(sd.years(k.indikator)) for k in komponen]))
if not years:
    st.info(ui.t("ci_no_common_year"))
    st.stop()
latest = max(years)
tahun = c[2].selectbox(ui.t("year"), years, index=years.index(state.choice(qp, "tahun", years, latest)), key="ci_tahun")
levels = [lv for lv in (2, 3, 4) if lv > wil_level]
default_level = ui.first_level(wil, levels, max(3, wil_level + 1))
tingkat = c[3].selectbox(ui.t("map_level"), levels, index=levels.index(state.choice(qp, "tingkat", levels, default_level)),
                         format_func=lambda lv: level_names[lv].capitalize(), key="ci_tingkat")
norm = c[4].selectbox(ui.t("ci_norm"), list(ci.NORM), index=list(ci.NORM).index(state.choice(qp, "norm", ci.NORM, "minmax")),
                      format_func=lambda n: ui.t(f"ci_norm_{n}"), key="ci_norm")
ks = [3, 4, 5, 6, 7]
k_cls = c[5].selectbox(ui.t("ci_k"), ks, index=ks.index(state.choice(qp, "k", ks, ci.K_DEFAULT)), key="ci_k")
state.write(qp, {"ind": ci.recipe_text(komponen), "tahun": tahun, "tingkat": tingkat, "norm": norm, "k": k_cls},
            {"ind": ci.recipe_text(default), "tahun": latest, "tingkat": default_level, "norm": "minmax",
             "k": ci.K_DEFAULT})

view = ci.index_view(komponen, norm, tahun, tingkat, wil, k_cls, lang)
nama_wil = ui.t("all_regions") if not wil else sd.query("region", kode=wil).iloc[0]["nama"]

left, right = st.columns([3, 2])
with left:
    st.subheader(f"{ui.t('ci_index')} {tahun} · {level_names[tingkat]} · {ui.md(nama_wil)}")
    h = ui.map_height(520)
    fmap = ci.index_map(komponen, norm, tahun, tingkat, wil, k_cls, lang, h)
    explore.draw_map(fmap, key=f"ci_map_{ci.recipe_text(komponen)}_{norm}_{tahun}_{tingkat}_{wil}_{k_cls}",
                     height=h, clicks=False,
                     legend=ui.map_legend(view.legend, f"{ui.t('ci_index')} ({ui.t('ci_norm_' + norm)})"))
    ui.source_note(info)
    st.caption(f"{ui.t('ci_recipe')}: `{ci.recipe_text(komponen)}` · {ui.t('ci_method_note')}")
with right:
    st.subheader(ui.t("ci_robustness"))
    st.metric(ui.t("ci_n_complete"), fmt_num(view.n_lengkap, 0, lang))
    share = view.n_stabil / view.n_lengkap if view.n_lengkap else 0.0
    st.metric(ui.t("ci_n_stable"), f"{fmt_num(view.n_stabil, 0, lang)} ({fmt_percent(share, 1, lang)})")
    st.markdown(f"**{ui.t('ci_changed')}**")
    ui.table(ci.robustness_table(view, lang))
    st.caption(ui.t("ci_robust_help"))

ui.stop_if_presenting()
st.subheader(f"{ui.t('ci_ranking')} · {ui.md(nama_wil)} · {tahun}")
ranking = ci.ranking_table(view, komponen, lang, norm)
ui.table(ranking, height=420)
ui.download_csv(ranking, ui.t("download_csv"), f"indeks_kustom_{tahun}_{wil or 'semua'}.csv", "ci_dl")

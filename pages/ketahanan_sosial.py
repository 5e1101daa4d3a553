"""Ketahanan Sosial: IKS, its dimensions and the IDM status — map, distribution, status over the years,
status transitions between two years, top and bottom N within the selected region."""

import streamlit as st

from sinergi import catalog, charts, empty_state, explore, state, themes, ui
from sinergi import data as sd
from sinergi.i18n import fmt_num
from sinergi.regions import LEVEL_NAMES, LEVEL_NAMES_EN

lang = ui.lang()
info = ui.dataset_banner()
st.title(ui.t("nav_ketahanan"), help=ui.t("ks_intro"))  # the intro on hover: the map starts higher
qp = st.query_params
src = f"{ui.t('source')}: {info.get('sumber', '')}"

avail = set(sd.available_indicators()["id"])
ind_ids = [i for i in ("iks", "iks_kesehatan", "iks_pendidikan", "iks_modal_sosial", "iks_permukiman",
                       "status_idm") if i in avail]
ind_ids += [i.id for i in catalog.by_tema("ketahanan_sosial") if i.impor and i.id in avail]  # the dataset's own
years = sd.years("iks")
if not ind_ids or not years:
    empty_state.kurang("ketahanan")
    st.stop()

c0, c1, c2, c3 = st.columns([1.7, 3, 1.3, 2], vertical_alignment="bottom")  # the controls in one row, map first
wil = ui.region_popover("ks_wil", c0, home=True)
wil_level = wil.count(".") + 1 if wil else 0
indikator = c1.selectbox(ui.t("indicator"), ind_ids, index=ind_ids.index(state.choice(qp, "ind", ind_ids, "iks")),
                         format_func=lambda i: catalog.get(i).nama(lang), key="ks_ind")
latest = max(years)
tahun = c2.selectbox(ui.t("year"), years, index=years.index(state.choice(qp, "tahun", years, latest)), key="ks_tahun")
levels = [lv for lv in (1, 2, 3, 4) if lv > wil_level]
default_level = ui.first_level(wil, levels, max(2, wil_level + 1) if wil_level < 4 else 4)
level_names = LEVEL_NAMES_EN if lang == "en" else LEVEL_NAMES
tingkat = c3.selectbox(ui.t("map_level"), levels, index=levels.index(state.choice(qp, "tingkat", levels, default_level)),
                       format_func=lambda lv: level_names[lv].capitalize(), key="ks_tingkat")
state.write(qp, {"ind": indikator, "tahun": tahun, "tingkat": tingkat},
            {"ind": "iks", "tahun": latest, "tingkat": default_level})
ind = catalog.get(indikator)
nama_wil = ui.t("all_regions") if not wil else sd.query("region", kode=wil).iloc[0]["nama"]

# --- map and distribution -------------------------------------------------------------------------
left, right = st.columns([3, 2])
with left:
    st.subheader(f"{themes.md(ind.nama(lang))} {tahun} · {themes.md(nama_wil)}")
    metode = "status" if ind.kelas_tetap else "kuantil"
    h = ui.map_height(480)
    m, view = explore.choropleth_map(indikator, tahun, tingkat, wil, metode=metode, lang=lang, height=h)
    explore.draw_map(m, key=f"ks_map_{indikator}_{tahun}_{tingkat}_{wil}", height=h, clicks=False,
                     legend=ui.map_legend(view.legend, f"{ind.nama(lang)} ({ind.unit(lang)})",
                                          ui.classes_note(ind, metode)))
    ui.source_note(info, ind.sumber)
with right:
    if indikator == "status_idm":
        counts = sd.query("status_counts", tahun=tahun, induk=wil)
        fig = charts.status_bars(counts, lang, title=f"{ui.t('villages_per_status')} {tahun}", source=src)
    else:
        fig = sd.derived(themes.distribution_chart, "region_values",
                         dict(indikator=indikator, tahun=tahun, level=4, induk=wil), ind, lang,
                         f"{ui.t('ks_distribution')} {tahun}", src)
    st.plotly_chart(fig, config={"displaylogo": False}, key="ks_dist")
    st.caption(ui.t("kelurahan_note"))
ui.export_menu("ks_exp", view=view, indikator=indikator, tahun=tahun, title=f"{ind.nama(lang)} {tahun} · {nama_wil}",
               legend_title=f"{ind.nama(lang)} ({ind.unit(lang)})", source=ui.source_text(info, ind.sumber),
               figures={ui.t("chart"): fig}, file_stem=f"ketahanan_{indikator}_{tahun}")
ui.stop_if_presenting()

# --- status over the years ------------------------------------------------------------------------
st.subheader(ui.t("tm_status_over_years"))
by_year = sd.query("status_counts_by_year", induk=wil)
st.plotly_chart(charts.status_stacked(by_year, lang, title=f"{ui.t('tm_status_over_years')} · {nama_wil}",
                                      source=src), config={"displaylogo": False},
                key="ks_stacked")

# --- transitions ----------------------------------------------------------------------------------
st.subheader(ui.t("tm_transitions"))
t1, t2 = st.columns(2)
earliest = min(years)
dari = t1.selectbox(ui.t("ks_from_year"), years, index=years.index(state.choice(qp, "dari", years, earliest)),
                    key="ks_dari")
ke = t2.selectbox(ui.t("ks_to_year"), years, index=years.index(state.choice(qp, "ke", years, latest)), key="ks_ke")
state.write(qp, {"dari": dari, "ke": ke}, {"dari": earliest, "ke": latest})
# every village's status in two years (85,000 rows nationally) summed up: remembered by the query
pairs = dict(tahun_a=dari, tahun_b=ke, induk=wil)
summary = sd.derived(themes.transition_summary, "status_pairs", pairs)
mc = st.columns(4)
mc[0].metric(ui.t("ks_up"), fmt_num(summary["naik"], 0, lang))
mc[1].metric(ui.t("ks_same"), fmt_num(summary["tetap"], 0, lang))
mc[2].metric(ui.t("ks_down"), fmt_num(summary["turun"], 0, lang))
mc[3].metric(ui.t("ks_pairs"), fmt_num(summary["n"], 0, lang))
matrix = sd.derived(themes.transition_matrix, "status_pairs", pairs)
sk, tb = st.columns([3, 2])
sk.plotly_chart(charts.transition_sankey(matrix, str(dari), str(ke), lang,
                                         title=f"{ui.t('tm_transitions')} {dari} → {ke}", source=src),
                config={"displaylogo": False}, key="ks_sankey")
table = themes.transition_table(matrix, lang)
tb.markdown(f"**{ui.t('ks_matrix')}** ({ui.t('ks_matrix_help')})")
with tb:
    ui.table(table, hide_index=False)
with tb:
    ui.download_csv(table.reset_index(), ui.t("download_csv"), f"transisi_status_{dari}_{ke}.csv", "ks_dl_matrix")

# --- top and bottom -------------------------------------------------------------------------------
st.subheader(f"{ui.t('tm_ranking')} · {level_names[tingkat]} · {themes.md(nama_wil)}")
n = st.number_input(ui.t("tm_n"), min_value=3, max_value=50, value=state.integer(qp, "n", 3, 50, 10), step=1,
                    key="ks_n")
state.write(qp, {"n": int(n)}, {"n": 10})
rank_ind = "iks" if indikator == "status_idm" else indikator
rank_meta = catalog.get(rank_ind)
top, bottom = sd.derived(themes.top_bottom, "region_values",
                         dict(indikator=rank_ind, tahun=tahun, level=tingkat, induk=wil), int(n), rank_meta.arah)
st.plotly_chart(charts.ranking_bars(top, bottom, rank_meta, lang,
                                    title=f"{rank_meta.nama(lang)} {tahun}: {ui.t('tm_top')} / {ui.t('tm_bottom')} {int(n)}",
                                    source=f"{src} · {rank_meta.sumber}"),
                config={"displaylogo": False}, key="ks_rank")
ranking = themes.ranking_table(top, bottom, rank_meta, lang)
ui.table(ranking)
ui.download_csv(ranking, ui.t("download_csv"), f"peringkat_{rank_ind}_{tahun}.csv", "ks_dl_rank")

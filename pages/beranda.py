"""Beranda (overview): what the dataset holds, IDM status distribution, a province map."""

import streamlit as st

from sinergi import catalog, charts, empty_state, explore, state, ui
from sinergi import data as sd
from sinergi.i18n import fmt_num
from sinergi.regions import LEVEL_NAMES, LEVEL_NAMES_EN

lang = ui.lang()
info = ui.dataset_banner()
st.title(ui.t("app_title"))
st.markdown(f"**{ui.t('app_subtitle')}** — {ui.md(info.get('nama', ''))}")

qp = st.query_params
avail = sd.available_indicators()
ind_ids = [i for i in catalog.ids() if i in set(avail["id"])]
years = sd.years()
latest = max(years) if years else None

counts = sd.query("region_counts")
level_names = LEVEL_NAMES_EN if lang == "en" else LEVEL_NAMES
cols = st.columns(5)
for col, row in zip(cols, counts.itertuples(index=False)):
    col.metric(level_names[int(row.level)].capitalize(), fmt_num(int(row.n), 0, lang))
cols[4].metric(ui.t("latest_year"), str(latest) if latest else "–")

if not ind_ids or latest is None:
    empty_state.kurang("indikator")
    st.stop()

default_ind = "iks" if "iks" in ind_ids else ind_ids[0]
c1, c2 = st.columns([3, 1])
indikator = c1.selectbox(
    ui.t("indicator"), ind_ids, index=ind_ids.index(state.choice(qp, "ind", ind_ids, default_ind)),
    format_func=lambda i: catalog.get(i).nama(lang), key="beranda_ind",
)
tahun = c2.selectbox(ui.t("year"), years, index=years.index(state.choice(qp, "tahun", years, latest)),
                     key="beranda_tahun")
state.write(qp, {"ind": indikator, "tahun": tahun}, {"ind": default_ind, "tahun": latest})

ind = catalog.get(indikator)
metode = "status" if ind.kelas_tetap else "kuantil"
induk, level = explore.home_view()  # one province's kabupaten (or villages), never one lone polygon
map_name = (ui.t("map_provinces") if not induk else
            ui.t("map_of").format(level=level_names[level], wilayah=sd.query("region", kode=induk).iloc[0]["nama"]))
left, right = st.columns([3, 2])
with left:
    st.subheader(f"{ui.md(map_name)}: {ui.md(ind.nama(lang))} {tahun}")
    h = ui.map_height(460)
    m, view = explore.choropleth_map(indikator, tahun, level, induk, metode=metode, lang=lang, height=h)
    explore.draw_map(m, key="beranda_map", height=h, clicks=False,
                     legend=ui.map_legend(view.legend, f"{ind.nama(lang)} ({ind.unit(lang)})",
                                          ui.classes_note(ind, metode)))
    ui.source_note(info, ind.sumber)
with right:
    status = sd.query("status_counts", tahun=tahun, induk="")
    fig = charts.status_bars(status, lang, title=f"{ui.t('villages_per_status')} {tahun}",
                             source=f"{ui.t('source')}: {info.get('sumber', '')}")
    st.plotly_chart(fig, width="stretch", config={"displaylogo": False})
    st.caption(ui.t("kelurahan_note"))
ui.export_menu("beranda_exp", view=view, indikator=indikator, tahun=tahun,
               title=f"{map_name}: {ind.nama(lang)} {tahun}", legend_title=f"{ind.nama(lang)} ({ind.unit(lang)})",
               source=ui.source_text(info, ind.sumber), figures={ui.t("villages_per_status"): fig},
               file_stem=f"beranda_{indikator}_{tahun}")

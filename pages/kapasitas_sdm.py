"""Kapasitas SDM: human-capacity indicators against social resilience; quadrants at the medians; the
"low capacity, low resilience" regions highlighted on the map and listed."""

import streamlit as st

from sinergi import catalog, charts, empty_state, explore, state, themes, ui
from sinergi import data as sd
from sinergi.i18n import fmt_num
from sinergi.regions import LEVEL_NAMES, LEVEL_NAMES_EN

lang = ui.lang()
info = ui.dataset_banner()
st.title(ui.t("nav_sdm"), help=ui.t("sdm_intro"))  # the intro on hover: the map starts higher
qp = st.query_params
src = f"{ui.t('source')}: {info.get('sumber', '')}"

avail = set(sd.available_indicators()["id"])
x_ids = [i.id for i in catalog.by_tema("kapasitas_sdm") if i.id in avail]
y_ids = [i for i in ("iks", "iks_kesehatan", "iks_pendidikan", "iks_modal_sosial", "iks_permukiman") if i in avail]
y_ids += [i.id for i in catalog.by_tema("ketahanan_sosial") if i.impor and i.id in avail]  # the dataset's own
if not x_ids or not y_ids:
    empty_state.kurang([p for p, ada in (("kapasitas", x_ids), ("ketahanan", y_ids)) if not ada])
    st.stop()

c0, c1, c2, c3, c4 = st.columns([1.7, 3, 3, 1.3, 2], vertical_alignment="bottom")  # one row, map first
wil = ui.region_popover("sdm_wil", c0, home=True)
wil_level = wil.count(".") + 1 if wil else 0
ind_x = c1.selectbox(ui.t("sdm_capacity"), x_ids, index=x_ids.index(state.choice(qp, "ind", x_ids, x_ids[0])),
                     format_func=lambda i: catalog.get(i).nama(lang), key="sdm_ind")
ind_y = c2.selectbox(ui.t("sdm_resilience"), y_ids, index=y_ids.index(state.choice(qp, "ks", y_ids, "iks")),
                     format_func=lambda i: catalog.get(i).nama(lang), key="sdm_ks")
years = sorted(set(sd.years(ind_x)) & set(sd.years(ind_y)))
if not years:
    st.info(ui.t("sdm_no_common_year"))
    st.stop()
latest = max(years)
tahun = c3.selectbox(ui.t("year"), years, index=years.index(state.choice(qp, "tahun", years, latest)), key="sdm_tahun")
levels = [lv for lv in (2, 3, 4) if lv > wil_level]
# villages within a kabupaten or kecamatan, one level down otherwise (84,000 villages nationally is too many)
default_level = ui.first_level(wil, levels, 4 if wil_level >= 2 else wil_level + 2)
level_names = LEVEL_NAMES_EN if lang == "en" else LEVEL_NAMES
tingkat = c4.selectbox(ui.t("sdm_unit"), levels, index=levels.index(state.choice(qp, "tingkat", levels, default_level)),
                       format_func=lambda lv: level_names[lv].capitalize(), key="sdm_tingkat")
peta_opts = ["kuadran", "indikator"]
ix, iy = catalog.get(ind_x), catalog.get(ind_y)

h = ui.map_height(500)
m, q, legend = themes.quadrant_map(ind_x, ind_y, tahun, tingkat, wil, lang, height=h)
low = themes.low_low_table(q, ix, iy, lang)
left, right = st.columns([3, 2])
with left:  # the quadrants' counts are in the map's legend
    # which map: beside its title, so the map starts higher
    head, pick = st.columns([1, 1], vertical_alignment="center")
    peta = pick.radio(ui.t("sdm_map_mode"), peta_opts,
                      index=peta_opts.index(state.choice(qp, "peta", peta_opts, "kuadran")),
                      format_func=lambda p: ui.t(f"sdm_map_{p}"), horizontal=True, key="sdm_peta",
                      label_visibility="collapsed")
    if peta == "kuadran":
        head.subheader(f"{ui.t('sdm_map_kuadran')} {tahun}")
        explore.draw_map(m, key=f"sdm_qmap_{ind_x}_{ind_y}_{tahun}_{tingkat}_{wil}", height=h, clicks=False,
                         legend=ui.map_legend(legend, ui.t("sdm_quadrant")))
    else:
        head.subheader(f"{ui.md(ix.nama(lang))} {tahun}")
        mi, view = explore.choropleth_map(ind_x, tahun, tingkat, wil, lang=lang, height=h)
        explore.draw_map(mi, key=f"sdm_imap_{ind_x}_{tahun}_{tingkat}_{wil}", height=h, clicks=False,
                         legend=ui.map_legend(view.legend, f"{ix.nama(lang)} ({ix.unit(lang)})"))
    ui.source_note(info, f"{ix.sumber}; {iy.sumber}")
state.write(qp, {"ind": ind_x, "ks": ind_y, "tahun": tahun, "tingkat": tingkat, "peta": peta},
            {"ind": x_ids[0], "ks": "iks", "tahun": latest, "tingkat": default_level, "peta": "kuadran"})
ui.stop_if_presenting()
with right:
    st.subheader(f"{ui.t('q_rendah_rendah')} ({fmt_num(q.counts['rendah_rendah'], 0, lang)})")
    st.caption(ui.t("sdm_list_help"))
    ui.table(low, height=460)
    ui.download_csv(low, ui.t("download_csv"), f"sdm_rendah_iks_rendah_{ind_x}_{tahun}.csv", "sdm_dl")

fig = charts.quadrant_scatter(q.table, ix, iy, q.median_x, q.median_y, lang,
                              title=f"{ix.nama(lang)} × {iy.nama(lang)} {tahun}",
                              source=f"{src} · {ui.t('sdm_median_note')}", height=560)
st.plotly_chart(fig, config={"displaylogo": False}, key="sdm_scatter")
ui.export_menu("sdm_exp", view=view if peta == "indikator" else None, indikator=ind_x, tahun=tahun,
               title=f"{ix.nama(lang)} {tahun}", legend_title=f"{ix.nama(lang)} ({ix.unit(lang)})",
               source=ui.source_text(info, ix.sumber), figures={ui.t("chart"): fig}, table_frame=low,
               file_stem=f"sdm_{ind_x}_{tahun}")

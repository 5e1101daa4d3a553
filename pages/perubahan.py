"""Perubahan: change of an indicator between two years (diverging classes), a map per year with a slider
that keeps the map view, trends of villages per IDM status, and the largest changes."""

import streamlit as st

from sinergi import catalog, change, charts, empty_state, explore, state, ui
from sinergi import data as sd
from sinergi.i18n import fmt_num
from sinergi.regions import LEVEL_NAMES, LEVEL_NAMES_EN

lang = ui.lang()
info = ui.dataset_banner()
st.title(ui.t("nav_perubahan"), help=ui.t("ch_intro"))  # the intro on hover: the map starts higher
qp = st.query_params
level_names = LEVEL_NAMES_EN if lang == "en" else LEVEL_NAMES
src = ui.source_text(info)

avail = set(sd.available_indicators()["id"])  # once: each call is a cache lookup and a copy
ind_ids = [i for i in catalog.ids() if i in avail and i != "status_idm"]
if not ind_ids:
    empty_state.kurang("indikator")
    st.stop()

c = st.columns([1.7, 3, 1.3, 1.3, 2], vertical_alignment="bottom")  # the controls in one row, map first
wil = ui.region_popover("ch_wil", c[0], home=True)
wil_level = wil.count(".") + 1 if wil else 0
default_ind = "iks" if "iks" in ind_ids else ind_ids[0]
indikator = c[1].selectbox(ui.t("indicator"), ind_ids, index=ind_ids.index(state.choice(qp, "ind", ind_ids, default_ind)),
                           format_func=lambda i: catalog.get(i).nama(lang), key="ch_ind")
years = sd.years(indikator)
earliest, latest = min(years), max(years)
dari = c[2].selectbox(ui.t("ks_from_year"), years, index=years.index(state.choice(qp, "dari", years, earliest)),
                      key="ch_dari")
ke = c[3].selectbox(ui.t("ks_to_year"), years, index=years.index(state.choice(qp, "ke", years, latest)), key="ch_ke")
levels = [lv for lv in (1, 2, 3, 4) if lv > wil_level]
default_level = ui.first_level(wil, levels, max(2, wil_level + 1) if wil_level < 4 else 4)
tingkat = c[4].selectbox(ui.t("map_level"), levels, index=levels.index(state.choice(qp, "tingkat", levels, default_level)),
                         format_func=lambda lv: level_names[lv].capitalize(), key="ch_tingkat")
state.write(qp, {"ind": indikator, "dari": dari, "ke": ke, "tingkat": tingkat},
            {"ind": default_ind, "dari": earliest, "ke": latest, "tingkat": default_level})
ind = catalog.get(indikator)
nama_wil = ui.t("all_regions") if not wil else sd.query("region", kode=wil).iloc[0]["nama"]
labels = explore.tooltip_labels(lang)

# --- change between two years -------------------------------------------------------------------------
if dari == ke:
    st.info(ui.t("ch_same_year"))
else:
    tb, cls, legend = change.change_view(indikator, dari, ke, tingkat, wil, lang=lang)
    s = change.summary(tb["delta"].to_numpy(float), cls, ind.arah)
    st.subheader(f"{ui.t('ch_change')} {ui.md(ind.nama(lang))} {dari} → {ke} · {level_names[tingkat]} · {ui.md(nama_wil)}")
    left, right = st.columns([3, 2])
    with left:
        h = ui.map_height(500)
        explore.draw_map(change.change_map(indikator, dari, ke, tingkat, wil, lang=lang, height=h),
                         key=f"ch_map_{indikator}_{dari}_{ke}_{tingkat}_{wil}", height=h, clicks=False,
                         legend=ui.map_legend(legend, f"Δ {ind.nama(lang)} {dari}→{ke}", ui.t("ch_scale_note")))
        ui.source_note(info, ind.sumber)
    with right:  # beside the map: how many changed which way, and the largest changes
        m = st.columns(2)
        m[0].metric(ui.t("ch_better"), fmt_num(s["membaik"], 0, lang))
        m[1].metric(ui.t("ch_worse"), fmt_num(s["memburuk"], 0, lang))
        m[0].metric(ui.t("ch_stable"), fmt_num(s["tetap"], 0, lang))
        m[1].metric(ui.t("ch_median"), ("+" if s["median"] > 0 else "") + fmt_num(s["median"], ind.desimal, lang))
        best, worst = change.largest_changes(tb, 10, ind.arah)
        st.subheader(ui.t("ch_largest"))
        for title, part in ((ui.t("ch_improved_most"), best), (ui.t("ch_worsened_most"), worst)):
            st.markdown(f"**{title}**")
            if part.empty:
                st.caption(ui.t("ch_none"))
            else:
                ui.table(change.top_table(part, ind, dari, ke, lang))

if dari != ke:
    ui.stop_if_presenting()  # presenting, the change map is the picture (two maps would share the screen)

# --- values per year: the slider swaps the layer, the map keeps its view --------------------------------
st.subheader(f"{ui.t('ch_year_map')}: {ui.md(ind.nama(lang))} · {level_names[tingkat]} · {ui.md(nama_wil)}")
st.caption(ui.t("ch_year_help"))
tahun = st.select_slider(ui.t("year"), options=years, value=state.choice(qp, "tahun", years, latest), key="ch_tahun")
state.write(qp, {"tahun": tahun}, {"tahun": latest})
year_colours, year_legend = change.year_layer(indikator, tingkat, wil, int(tahun), lang)
h2 = ui.map_height(500)
explore.draw_map(change.base_map(explore.map_regions(tingkat, wil), labels, h2),
                 key=f"ch_year_map_{indikator}_{tingkat}_{wil}", height=h2, clicks=False, colours_=year_colours,
                 legend=ui.map_legend(year_legend, f"{ind.nama(lang)} {tahun} ({ind.unit(lang)})"))

ui.stop_if_presenting()

# --- status trends and the full table -------------------------------------------------------------------
by_year = sd.query("status_counts_by_year", induk=wil)
st.plotly_chart(charts.status_stacked(by_year, lang, title=f"{ui.t('ch_status_trend')} · {nama_wil}", source=src),
                config={"displaylogo": False}, key="ch_status")
st.caption(ui.t("kelurahan_note"))
if dari != ke:
    with st.expander(ui.t("ch_all")):
        full = change.change_table(tb, ind, dari, ke, lang)
        ui.table(full)
        ui.download_csv(full, ui.t("download_csv"), f"perubahan_{indikator}_{dari}_{ke}_{wil or 'semua'}.csv", "ch_dl")

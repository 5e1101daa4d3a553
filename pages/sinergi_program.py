"""Sinergi Program: which ministries' programmes reach each village; programme-count map; ministry ×
ministry co-presence; the targeting list (low resilience, no or few programmes). On a dataset without
programmes (or without IKS/IDM for the list) it says what is missing and which file fills it."""

import streamlit as st

from sinergi import catalog, charts, empty_state, explore, state, themes, ui
from sinergi import data as sd
from sinergi.i18n import fmt_num
from sinergi.regions import LEVEL_NAMES, LEVEL_NAMES_EN

lang = ui.lang()
info = ui.dataset_banner()
st.title(ui.t("nav_sinergi"), help=ui.t("sp_intro"))  # the intro on hover: the map starts higher
qp = st.query_params
src = f"{ui.t('source')}: {info.get('sumber', '')}"

avail = set(sd.available_indicators()["id"])
ind_ids = [i.id for i in catalog.by_tema("sinergi_program") if i.id in avail]
prog_years = [int(y) for y in sd.query("program_years")["tahun"]]
if not prog_years and "jumlah_program" not in avail:
    empty_state.kurang("program")
    st.stop()
years_iks, years_idm = sd.years("iks"), sd.years("idm")
years = sorted(set(prog_years) | set(sd.years("jumlah_program") if "jumlah_program" in avail else [])
               | set(years_iks or years_idm))

c0, c1, c2, c3 = st.columns([1.7, 3, 1.3, 2], vertical_alignment="bottom")  # the controls in one row, map first
wil = ui.region_popover("sp_wil", c0, home=True)
wil_level = wil.count(".") + 1 if wil else 0
default_ind = ind_ids[0] if ind_ids else None
indikator = c1.selectbox(ui.t("indicator"), ind_ids, index=ind_ids.index(state.choice(qp, "ind", ind_ids, default_ind))
                         if ind_ids else None, format_func=lambda i: catalog.get(i).nama(lang), key="sp_ind")
latest = max(prog_years or years)
tahun = c2.selectbox(ui.t("year"), years, index=years.index(state.choice(qp, "tahun", years, latest)), key="sp_tahun")
levels = [lv for lv in (1, 2, 3, 4) if lv > wil_level]
default_level = ui.first_level(wil, levels, max(2, wil_level + 1) if wil_level < 4 else 4)
level_names = LEVEL_NAMES_EN if lang == "en" else LEVEL_NAMES
tingkat = c3.selectbox(ui.t("map_level"), levels, index=levels.index(state.choice(qp, "tingkat", levels, default_level)),
                       format_func=lambda lv: level_names[lv].capitalize(), key="sp_tingkat")
state.write(qp, {"ind": indikator, "tahun": tahun, "tingkat": tingkat},
            {"ind": default_ind, "tahun": latest, "tingkat": default_level})
nama_wil = ui.t("all_regions") if not wil else sd.query("region", kode=wil).iloc[0]["nama"]

tables = themes.programme_tables(tahun, wil)
pilihan = themes.resilience_choice(years_iks, years_idm, tahun)
k_ind, k_tahun = pilihan or ("iks", tahun)
base = sd.query("targeting_base", tahun=tahun, induk=wil, indikator=k_ind, tahun_ketahanan=k_tahun)
n_desa = len(base)

left, right = st.columns([3, 2])
with left:
    if indikator is None:  # a dataset with programmes but without the programme-count indicators
        st.info(ui.t("sp_no_indicator"))
    elif tahun not in sd.years(indikator):
        empty_state.tidak_ada_di("program", nama_wil, tahun, prog_years)
    elif empty_state.tanpa_batas(tingkat, wil):
        empty_state.kurang("batas")
    else:
        ind = catalog.get(indikator)
        st.subheader(f"{themes.md(ind.nama(lang))} {tahun} · {themes.md(nama_wil)}")
        h = ui.map_height(460)
        m, view = explore.choropleth_map(indikator, tahun, tingkat, wil, lang=lang, height=h)
        explore.draw_map(m, key=f"sp_map_{indikator}_{tahun}_{tingkat}_{wil}", height=h, clicks=False,
                         legend=ui.map_legend(view.legend, f"{ind.nama(lang)} ({ind.unit(lang)})"))
        ui.source_note(info, ind.sumber)
with right:
    reach = tables.reach
    reach_fig = None
    if reach.empty:
        empty_state.tidak_ada_di("program", nama_wil, tahun, prog_years)
    else:
        reach_fig = charts.hbars(reach["kementerian"].tolist(), reach["persen"].tolist(), ui.t("sp_of_villages"),
                                 lang, title=f"{ui.t('sp_reach')} {tahun} (n = {fmt_num(n_desa, 0, lang)})",
                                 source=src, decimals=1)
        st.plotly_chart(reach_fig, config={"displaylogo": False}, key="sp_reach")
if indikator is not None and tahun in sd.years(indikator) and not empty_state.tanpa_batas(tingkat, wil):
    ui.export_menu("sp_exp", view=view, indikator=indikator, tahun=tahun,
                   title=f"{ind.nama(lang)} {tahun} · {nama_wil}", legend_title=f"{ind.nama(lang)} ({ind.unit(lang)})",
                   source=ui.source_text(info, ind.sumber),
                   figures={ui.t("sp_reach"): reach_fig} if reach_fig is not None else {},
                   file_stem=f"sinergi_{indikator}_{tahun}")
ui.stop_if_presenting()

# --- co-presence ----------------------------------------------------------------------------------
st.subheader(ui.t("sp_copresence"))
st.caption(ui.t("sp_copresence_help"))
co = tables.copresence
if co.empty:
    empty_state.tidak_ada_di("program", nama_wil, tahun, prog_years)
else:
    st.plotly_chart(charts.heatmap(co, lang, title=f"{ui.t('sp_copresence')} {tahun} · {nama_wil}", source=src,
                                   z_title=ui.t("villages"), height=520),
                    config={"displaylogo": False}, key="sp_co")
    ui.download_csv(co.reset_index(names=ui.t("sp_ministry")), ui.t("download_csv"),
                    f"kehadiran_bersama_{tahun}.csv", "sp_dl_co")

# --- villages × ministries ------------------------------------------------------------------------
if len(tables.villages):
    with st.expander(ui.t("sp_village_table"), expanded=False):
        vt = tables.villages
        ui.table(vt)
        ui.download_csv(vt, ui.t("download_csv"), f"program_per_desa_{tahun}.csv", "sp_dl_vt")

# --- targeting ------------------------------------------------------------------------------------
st.subheader(f"{ui.t('sp_targeting')} · {themes.md(nama_wil)} · {tahun}")
maks = st.number_input(ui.t("sp_max_program"), min_value=0, max_value=10,
                       value=state.integer(qp, "maks", 0, 10, 1), step=1, key="sp_maks")
state.write(qp, {"maks": int(maks)}, {"maks": 1})
label = k_ind.upper()
if pilihan is None:
    empty_state.kurang("ketahanan")
elif not base["dalam_cakupan"].any():  # no programme rows this year (in this region's kabupaten)
    st.info(ui.t("sp_no_programme_year").format(tahun=tahun, tahun_ada=", ".join(map(str, prog_years))))
else:
    catatan = ("" if k_tahun == tahun else ui.t("sp_resilience_other_year" if k_tahun < tahun
                                                 else "sp_resilience_first_year").format(tahun=tahun))
    if k_ind == "idm":
        catatan += ui.t("sp_resilience_idm")
    cut = themes.quintile_cut(base)
    st.caption(ui.t("sp_resilience_used").format(ind=label, tahun_k=k_tahun, catatan=catatan) + " "
               + ui.t("sp_targeting_help").format(ind=label, cut=fmt_num(cut, 4, lang), maks=int(maks)))
    if not base["dalam_cakupan"].all():
        n_kab = base.loc[base["dalam_cakupan"], "nama_kab"].nunique()
        st.caption(ui.t("sp_coverage").format(tahun=tahun, n=fmt_num(n_kab, 0, lang)))
    target = themes.targeting(base, max_program=int(maks))
    st.metric(ui.t("sp_targeted"), fmt_num(len(target), 0, lang))
    shown = themes.targeting_table(target, lang, label=label)
    ui.table(shown)
    ui.download_csv(shown, ui.t("download_csv"), f"sasaran_{wil or 'semua'}_{tahun}.csv", "sp_dl_target")

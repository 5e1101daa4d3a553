"""Profil Desa (or any region, ``?kode=``): identity, every indicator with percentiles, trends, IDM status
and the score needed for the next one, similar regions nearby, institutions and programmes."""

import streamlit as st

from sinergi import catalog, charts, empty_state, network, profile, state, themes, ui
from sinergi import data as sd
from sinergi.i18n import fmt_num
from sinergi.regions import LEVEL_NAMES, LEVEL_NAMES_EN

lang = ui.lang()
info = ui.dataset_banner()
st.title(ui.t("nav_profil"))
qp = st.query_params
src = f"{ui.t('source')}: {info.get('sumber', '')}"
level_names = LEVEL_NAMES_EN if lang == "en" else LEVEL_NAMES

kode = ui.region_picker("pf_kode", max_level=4, param="kode")
if not kode:
    st.info(ui.t("pf_pick"))
    st.stop()
ident = profile.identity(kode)
years = sd.years()
if not years:
    empty_state.kurang("indikator")
    st.stop()
latest = max(years)
tahun = st.selectbox(ui.t("year"), years, index=years.index(state.choice(qp, "tahun", years, latest)), key="pf_tahun")
state.write(qp, {"tahun": tahun}, {"tahun": latest})

# --- identity -------------------------------------------------------------------------------------
level = int(ident["level"])
st.header(f"{themes.md(ident['nama'])} ({themes.md(network.jenis_label(ident['jenis'], lang))})")
chain = [x for x in (ident.get("nama_kec"), ident.get("nama_kab"), ident.get("nama_prov"))
         if isinstance(x, str) and x and x != ident["nama"]]
st.markdown(f"**{ui.t('code')}:** `{kode}` · **{ui.t('level')}:** {level_names[level]}"
            + (f" · {' › '.join(themes.md(c) for c in chain[::-1])}" if chain else ""))
c = st.columns(4)
c[0].metric(ui.t("pf_population"), fmt_num(ident.get("penduduk"), 0, lang))
c[1].metric(ui.t("pf_area"), fmt_num(ident.get("luas_km2"), 1, lang))
ind = profile.indicators(kode, tahun, lang)
by_id = ind.set_index("indikator") if len(ind) else None
idm = float(by_id.loc["idm", "nilai"]) if by_id is not None and "idm" in by_id.index else None
nxt = profile.next_status(idm, lang)
if nxt:
    c[2].metric(ui.t("pf_status"), nxt["status"], help=f"IDM {fmt_num(idm, 4, lang)}")
    if nxt["next"]:
        c[3].metric(ui.t("pf_next_status"), nxt["next"],
                    delta=f"+{fmt_num(nxt['gap'], 4, lang)} IDM", delta_color="off",
                    help=ui.t("pf_next_help").format(score=fmt_num(nxt["min_score"], 4, lang)))
        st.markdown(ui.t("pf_next_text").format(nama=themes.md(ident["nama"]), status=nxt["status"], next=nxt["next"],
                                                score=fmt_num(nxt["min_score"], 4, lang),
                                                gap=fmt_num(nxt["gap"], 4, lang)))
    else:
        c[3].metric(ui.t("pf_next_status"), ui.t("pf_top_status"))
else:
    c[2].metric(ui.t("pf_status"), ui.t("no_data"))
    st.caption(ui.t("kelurahan_note"))

# --- indicators with percentiles ------------------------------------------------------------------
st.subheader(f"{ui.t('pf_indicators')} {tahun}")
if ind.empty:
    st.info(ui.t("pf_no_values").format(nama=themes.md(ident["nama"]), tahun=tahun))
else:
    st.caption(ui.t("pf_percentile_help"))
    table = profile.indicator_table(ind, lang, level)
    if ui.presenting():  # one screen: the indicators in two half-height charts side by side
        half = (len(ind) + 1) // 2
        for col, part in zip(st.columns(2), (ind.iloc[:half], ind.iloc[half:])):
            col.plotly_chart(charts.percentile_dots(part, lang, title=f"{ui.t('pf_percentiles')} · {ident['nama']}",
                                                    source=src, columns=tuple(profile.percentile_columns(level)),
                                                    height=ui.PRESENT_CHART_HEIGHT), config={"displaylogo": False})
        ui.stop_if_presenting()
    tab_chart, tab_table = st.tabs([ui.t("pf_tab_chart"), ui.t("pf_tab_table")])
    with tab_chart:
        st.plotly_chart(charts.percentile_dots(ind, lang, title=f"{ui.t('pf_percentiles')} · {ident['nama']}",
                                               source=src, columns=tuple(profile.percentile_columns(level))),
                        config={"displaylogo": False}, key="pf_pct")
    with tab_table:
        ui.table(table, height=min(900, 38 + 35 * len(table)))
    ui.download_csv(table, ui.t("download_csv"), f"profil_{kode}_{tahun}.csv", "pf_dl_ind")

ui.stop_if_presenting()

# --- trends ---------------------------------------------------------------------------------------
st.subheader(ui.t("pf_trends"))
tr = profile.trend(kode, ["iks", "iks_kesehatan", "iks_pendidikan", "iks_modal_sosial", "iks_permukiman", "idm"])
t1, t2 = st.columns(2)
if tr.empty:
    t1.info(ui.t("pf_no_trend").format(nama=themes.md(ident["nama"])))
else:
    t1.plotly_chart(charts.trend_lines(tr, lang, title=f"{ui.t('pf_trend_iks')} · {ident['nama']}", source=src,
                                       y_title=ui.t("pf_index_unit")), config={"displaylogo": False}, key="pf_tr_iks")
others = [i for i in catalog.ids() if i not in ("iks", "iks_kesehatan", "iks_pendidikan", "iks_modal_sosial",
                                                  "iks_permukiman", "idm", "status_idm")
          and by_id is not None and i in by_id.index]
if others:
    pick = t2.selectbox(ui.t("pf_trend_other"), others, index=others.index(state.choice(qp, "tren", others, others[0])),
                        format_func=lambda i: catalog.get(i).nama(lang), key="pf_tren")
    state.write(qp, {"tren": pick}, {"tren": others[0]})
    oi = catalog.get(pick)
    t2.plotly_chart(charts.trend_lines(profile.trend(kode, [pick]), lang, title=f"{oi.nama(lang)} · {ident['nama']}",
                                       source=f"{src} · {oi.sumber}", y_title=oi.unit(lang)),
                    config={"displaylogo": False}, key="pf_tr_other")

# --- similar regions ------------------------------------------------------------------------------
st.subheader(ui.t("pf_similar"))
st.caption(ui.t("pf_similar_help").format(ind=", ".join(catalog.get(i).nama(lang) for i in profile.SIMILAR_BY)))
sim = profile.similar(kode, tahun)
if sim.empty:
    st.info(ui.t("pf_no_similar").format(ind=", ".join(catalog.get(i).nama(lang) for i in profile.SIMILAR_BY),
                                         tahun=tahun))
else:
    sim = sim.assign(tautan=["profil?kode=" + k for k in sim["kode"]], jarak=sim["jarak"].round(3))
    ui.table(sim[["kode", "nama", "nama_induk", "jarak", "tautan"]],
                 column_config={"kode": ui.t("code"), "nama": ui.t("name"), "nama_induk": ui.t("parent"),
                                "jarak": ui.t("pf_distance"),
                                "tautan": st.column_config.LinkColumn(ui.t("pf_open_profile"),
                                                                      display_text=ui.t("pf_open_profile"))})

# --- institutions and programmes ------------------------------------------------------------------
isi = empty_state.isi()
lembaga_nilai = any(i.startswith("lembaga_") for i in sd.available_indicators()["id"])  # counts, e.g. PODES
i1, i2 = st.columns(2)
with i1:
    st.subheader(ui.t("pf_institutions"))
    inst = sd.query("village_institutions" if level == 4 else "region_institutions", kode=kode)
    if not isi.n_lembaga and lembaga_nilai:
        st.info(ui.t("pf_counts_only"))
    elif not isi.n_lembaga:
        empty_state.kurang("lembaga")
    elif inst.empty:
        empty_state.tidak_ada_di("lembaga", ident["nama"], tahun, [])
    elif level == 4:
        shown = inst.assign(jenis=[network.jenis_label(j, lang) for j in inst["jenis"]])[
            ["nama", "jenis", "sejak", "mitra"]]
        ui.table(shown, column_config={
            "nama": ui.t("name"), "jenis": ui.t("pf_type"), "sejak": ui.t("pf_since"),
            "mitra": ui.t("pf_partners")})
    else:
        st.plotly_chart(charts.hbars([network.jenis_label(j, lang) for j in inst["jenis"]], inst["n"].tolist(),
                                     f"{ui.t('count')} {ui.t('jr_institutions_unit')}", lang,
                                     title=f"{ui.t('jr_institutions_by_type')} · {ident['nama']}", source=src),
                        config={"displaylogo": False}, key="pf_inst")
with i2:
    st.subheader(f"{ui.t('pf_programmes')} {tahun}")
    progs = sd.query("region_programs", kode=kode)
    now = progs[progs["tahun"] == tahun]
    if not isi.n_program:
        empty_state.kurang("program")
    elif now.empty:
        st.info(ui.t("pf_no_programme"))
    else:
        ui.table(now[["kementerian", "program", "n_desa"]], column_config={
            "kementerian": ui.t("sp_ministry"), "program": ui.t("pf_programme"), "n_desa": ui.t("pf_villages_reached")})
    if len(progs):
        ui.download_csv(progs, ui.t("pf_download_programmes"), f"program_{kode}.csv", "pf_dl_prog")

"""Menuju Status Berikutnya: for the IDM family, each village's next status, the minimum score it needs and
the gap; per region how many villages are close to moving up; the per-indicator plan where the data has it."""

import streamlit as st

from sinergi import catalog, charts, empty_state, gap, state, ui
from sinergi import data as sd
from sinergi.i18n import fmt_num

lang = ui.lang()
info = ui.dataset_banner()
st.title(ui.t("nav_kesenjangan"))
st.caption(ui.t("gp_intro"))
qp = st.query_params
src = ui.source_text(info)

years = sd.years("idm")
if not years:
    empty_state.kurang("idm")
    st.stop()

wil = ui.region_picker("gp_wil")
wil_level = wil.count(".") + 1 if wil else 0
latest = max(years)
c = st.columns([1, 2, 2])
tahun = c[0].selectbox(ui.t("year"), years, index=years.index(state.choice(qp, "tahun", years, latest)), key="gp_tahun")
dekat_opts = [0.005, 0.01, 0.02, 0.05, 0.1]
dekat = c[1].selectbox(ui.t("gp_threshold"), dekat_opts,
                       index=dekat_opts.index(state.choice(qp, "dekat", dekat_opts, gap.DEKAT_DEFAULT)),
                       format_func=lambda x: fmt_num(x, 3, lang), key="gp_dekat")
groups = [g for g in ("kab", "kec") if (g == "kab" and wil_level < 2) or (g == "kec" and wil_level < 3)] or ["kec"]
default_group = groups[0]
names = {"kab": ui.t("kabupaten"), "kec": ui.t("gp_kecamatan")}
per = c[2].selectbox(ui.t("gp_group_by"), groups, index=groups.index(state.choice(qp, "per", groups, default_group)),
                     format_func=lambda g: names[g], key="gp_per")
state.write(qp, {"tahun": tahun, "dekat": dekat, "per": per},
            {"tahun": latest, "dekat": gap.DEKAT_DEFAULT, "per": default_group})

g = gap.composite_view(tahun, wil)
nama_wil = ui.t("all_regions") if not wil else sd.query("region", kode=wil).iloc[0]["nama"]
has = g[g["status"].notna()]
below = has[has["status"] < 5]
n_close = int((below["selisih"] <= dekat + 1e-9).sum())
m = st.columns(3)
m[0].metric(ui.t("gp_n_villages"), fmt_num(len(has), 0, lang))
m[1].metric(ui.t("gp_n_close"), fmt_num(n_close, 0, lang))
m[2].metric(ui.t("gp_n_mandiri"), fmt_num(int((has["status"] == 5).sum()), 0, lang))
st.caption(ui.t("gp_close_help").format(x=fmt_num(dekat, 3, lang)))

by, name_col = ("kode_kab", "nama_kab") if per == "kab" else ("kode_kec", "nama_kec")
summary = gap.region_summary(g, by, name_col, dekat)
left, right = st.columns([1, 1])
with left:
    top = summary.head(15)
    st.plotly_chart(charts.hbars(gap.unique_labels(top), top["n_dekat"].tolist(), ui.t("gp_n_close"), lang,
                                 title=f"{ui.t('gp_n_close')} · {nama_wil} · {tahun}", source=src, decimals=0),
                    config={"displaylogo": False}, key="gp_bars")
with right:
    st.subheader(f"{ui.t('gp_by_region')} · {ui.md(nama_wil)} · {tahun}")
    shown = gap.summary_table(summary, names[per], lang)
    ui.table(shown, height=420)
    ui.download_csv(shown, ui.t("download_csv"), f"dekat_naik_status_{per}_{tahun}_{wil or 'semua'}.csv", "gp_dl_s")

ui.stop_if_presenting()
st.subheader(f"{ui.t('gp_by_village')} · {ui.md(nama_wil)} · {tahun}")
villages = gap.village_table_view(tahun, wil, lang)
ui.table(villages, height=420)
ui.download_csv(villages, ui.t("download_csv"), f"status_berikut_desa_{tahun}_{wil or 'semua'}.csv", "gp_dl_v")

# --- per-indicator detail from a file the user provides (analysed in memory, never stored) ---------------
st.subheader(ui.t("gp_detail"))
st.info(ui.t("gp_no_detail"))
u1, u2 = st.columns(2)
f_detail = u1.file_uploader(ui.t("gp_upload"), type=["csv"], key="gp_file")
f_dict = u2.file_uploader(ui.t("gp_upload_dict"), type=["csv"], key="gp_dict")
if f_detail is not None:
    try:
        detail = gap.cached_rumusan(f_detail.getvalue())
        ind_names, party = gap.cached_dictionary(f_dict.getvalue()) if f_dict is not None else ({}, {})
    except gap.BerkasError as e:
        st.error(ui.md(e))
        st.stop()
    if detail.attrs.get("skor_tidak_sah"):
        st.warning(ui.t("gp_invalid_scores").format(n=fmt_num(detail.attrs["skor_tidak_sah"], 0, lang)))
    d_years = sorted(detail["tahun"].unique().tolist())
    d1, d2 = st.columns(2)
    d_tahun = d1.selectbox(ui.t("year"), d_years, index=len(d_years) - 1, key="gp_detail_tahun")
    n_max = int(d2.number_input(ui.t("gp_max_steps"), min_value=1, max_value=50,
                                value=state.integer(qp, "n", 1, 50, 5), step=1, key="gp_n"))
    state.write(qp, {"n": n_max}, {"n": 5})
    st.caption(ui.t("gp_steps_help"))
    plan = gap.in_region(gap.cached_rumusan_plans(f_detail.getvalue(), int(d_tahun)), wil)
    below = plan[plan["status"].notna() & (plan["status"] < 5)]
    movable = int((below["n_langkah"].notna() & (below["n_langkah"] <= n_max)).sum())
    mc = st.columns(2)
    mc[0].metric(ui.t("gp_file_villages"), fmt_num(len(plan), 0, lang))
    mc[1].metric(ui.t("gp_n_movable").format(n=n_max), fmt_num(movable, 0, lang))
    d_by, d_name = ("kode_kab", "nama_kab") if per == "kab" and "nama_kab" in plan else ("kode_kec", "nama_kec")
    if d_name in plan:
        regions = plan.assign(kode_kab=plan["kode"].str[:5], kode_kec=plan["kode"].str[:8])
        mv = gap.movable_table(gap.movable_by_region(plan, regions, d_by, d_name, n_max),
                               names["kab" if d_by == "kode_kab" else "kec"], n_max, lang)
        ui.table(mv, height=300)
        ui.download_csv(mv, ui.t("download_csv"), f"bisa_naik_{n_max}_langkah_{d_tahun}.csv", "gp_dl_mv")
    plans_shown = gap.plans_table(plan, n_max, lang)
    ui.table(plans_shown, height=360)
    ui.download_csv(plans_shown, ui.t("download_csv"), f"rencana_langkah_{d_tahun}.csv", "gp_dl_plans")
    if len(below):
        options = plans_shown[ui.t("code")].tolist()
        label = dict(zip(options, plans_shown[ui.t("name")].astype(str)))
        pick = st.selectbox(ui.t("gp_pick_village"), options, format_func=lambda k: f"{label[k]} ({k})",
                            key="gp_pick")
        row = detail[(detail["kode"] == pick) & (detail["tahun"] == d_tahun)].iloc[0]
        rp = gap.fewest_steps(row[list(gap.INDIKATOR)].to_dict(), {d: row[d] for d in ("iks", "ike", "ikl")})
        st.markdown(ui.t("gp_plan_text").format(
            nama=ui.md(label[pick]), idm=fmt_num(rp.idm, 4, lang), status=catalog.nama_status(rp.status, lang),
            next=catalog.nama_status(rp.target, lang), n=rp.n_langkah if rp.n_langkah is not None else "–",
            after=fmt_num(rp.idm_akhir, 4, lang)))
        if not party:
            st.caption(ui.t("gp_no_party"))
        ui.table(gap.plan_table(rp, ind_names, party, lang))

"""Menuju Status Berikutnya: for the IDM family, each village's next status, the minimum score it needs and
the gap; per region how many villages are close to moving up; the per-indicator plan where the data has it."""

import streamlit as st

from sinergi import charts, gap, state, ui
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
    st.info(ui.t("no_data"))
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
villages = gap.village_table(g, lang)
ui.table(villages, height=420)
ui.download_csv(villages, ui.t("download_csv"), f"status_berikut_desa_{tahun}_{wil or 'semua'}.csv", "gp_dl_v")

st.subheader(ui.t("gp_detail"))
st.info(ui.t("gp_no_detail"))

"""Bandingkan: two to four regions of the same level side by side — themes as bars or radar (percentiles)
and a table of differences (``?kode=a,b,c``)."""

import streamlit as st

from sinergi import catalog, charts, empty_state, state, themes, ui
from sinergi import data as sd
from sinergi.regions import LEVEL_NAMES, LEVEL_NAMES_EN

lang = ui.lang()
info = ui.dataset_banner()
st.title(ui.t("nav_bandingkan"))
st.caption(ui.t("bd_intro"))
qp = st.query_params
src = f"{ui.t('source')}: {info.get('sumber', '')}"
level_names = LEVEL_NAMES_EN if lang == "en" else LEVEL_NAMES

from_url = themes.parse_codes(qp.get("kode", ""))
known = sd.query("regions_by_code", kode=from_url) if from_url else None
from_url = [k for k in from_url if known is not None and k in set(known["kode"])]
url_level = from_url[0].count(".") + 1 if from_url else 2
from_url = [k for k in from_url if k.count(".") + 1 == url_level][:4]

c1, c2 = st.columns([1, 3])
levels = [1, 2, 3, 4]
tingkat = c1.selectbox(ui.t("level"), levels, index=levels.index(state.choice(qp, "tingkat", levels, url_level)),
                       format_func=lambda lv: level_names[lv].capitalize(), key="bd_tingkat")
if tingkat != url_level:
    from_url = []
dalam = ""
if tingkat >= 3:  # villages and kecamatan are picked within a province/kabupaten to keep the list short
    with c2:
        dalam = ui.region_picker("bd_dalam", max_level=min(tingkat - 1, 3), param="dalam")
if tingkat == 4 and dalam.count(".") < 1:
    st.info(ui.t("bd_pick_parent"))
opts = sd.query("region_list", level=tingkat, induk=dalam) if (tingkat < 4 or dalam.count(".") >= 1) else None
names = dict(zip(opts["kode"], opts["nama"])) if opts is not None else {}
if from_url:
    names.update(dict(zip(known["kode"], known["nama"])))
choices = list(dict.fromkeys([*from_url, *names]))
default = from_url or list(names)[:2]
picked = st.multiselect(ui.t("bd_regions"), choices, default=[k for k in default if k in choices],
                        format_func=lambda k: f"{names.get(k, k)} ({k})", max_selections=4, key=f"bd_pick_{tingkat}")
state.write(qp, {"kode": ",".join(picked), "tingkat": tingkat}, {"tingkat": 2})

years = sd.years()
if not years:
    empty_state.kurang("indikator")
    st.stop()
latest = max(years)
d1, d2, d3 = st.columns([1, 2, 2])
tahun = d1.selectbox(ui.t("year"), years, index=years.index(state.choice(qp, "tahun", years, latest)), key="bd_tahun")
temas = [k for k in catalog.tema() if k != "idm"]
tema = d2.selectbox(ui.t("theme"), temas, index=temas.index(state.choice(qp, "tema", temas, "ketahanan_sosial")),
                    format_func=lambda k: catalog.nama_tema(k, lang), key="bd_tema")
kinds = ["batang", "radar"]
grafik = d3.radio(ui.t("bd_chart"), kinds, index=kinds.index(state.choice(qp, "grafik", kinds, "batang")),
                  format_func=lambda k: ui.t(f"bd_{k}"), horizontal=True, key="bd_grafik")
state.write(qp, {"tahun": tahun, "tema": tema, "grafik": grafik},
            {"tahun": latest, "tema": "ketahanan_sosial", "grafik": "batang"})

if len(picked) < 2:
    st.info(ui.t("bd_pick_two"))
    st.stop()

vals = sd.query("compare_values", kode=picked, tahun=tahun)
frame = themes.percentile_frame(vals, picked, names, tema, lang)
title = f"{catalog.nama_tema(tema, lang)} {tahun}: {ui.t('bd_percentile_title')}"
note = f"{src} · {ui.t('bd_percentile_note').format(level=level_names[tingkat])}"
if frame.empty:
    st.info(ui.t("bd_no_values").format(tema=catalog.nama_tema(tema, lang), tahun=tahun))
    tema_ada = {catalog.get(i).tema for i in sd.available_indicators()["id"] if catalog.exists(i)}
    if tema not in tema_ada:  # the dataset has nothing of this theme: say which file brings it
        empty_state.kurang(empty_state.PERLU_TEMA[tema])
elif grafik == "radar":
    st.plotly_chart(charts.compare_radar(frame, lang, title=title, source=note), config={"displaylogo": False},
                    key="bd_chart_radar")
else:
    st.plotly_chart(charts.compare_bars(frame, lang, title=title, source=note), config={"displaylogo": False},
                    key="bd_chart_bars")

ui.stop_if_presenting()
st.subheader(ui.t("bd_differences"))
st.caption(ui.t("bd_differences_help").format(first=ui.md(names.get(picked[0], picked[0]))))
table = themes.compare_table(vals, picked, names, lang)
ui.table(table.drop(columns="indikator"))
ui.download_csv(table, ui.t("download_csv"), f"bandingkan_{tahun}.csv", "bd_dl")

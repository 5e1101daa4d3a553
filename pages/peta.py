"""Peta: drill-down choropleth from nation to village, honest legends, click-to-profile, shareable links.

Every view value lives in the URL (sinergi/state.py ``PetaState``). Widgets show the URL's values and
their callbacks write a new state back, so a link always reproduces the view. A click on the map
selects a region (its profile appears on the right); "Masuk ke …" drills into it.
"""

from dataclasses import replace

import streamlit as st

from sinergi import catalog, charts, classify, empty_state, explore, profile, search, state, themes, ui
from sinergi import data as sd
from sinergi.i18n import fmt_num
from sinergi.regions import LEVEL_NAMES, LEVEL_NAMES_EN

MAP_HEIGHT = 600

lang = ui.lang()
info = ui.dataset_banner()
st.title(ui.t("pt_title"), help=ui.t("pt_intro"))  # the intro on hover: the map starts higher
qp = st.query_params
level_names = LEVEL_NAMES_EN if lang == "en" else LEVEL_NAMES

avail = set(sd.available_indicators()["id"])  # once: each call is a cache lookup and a copy
ind_ids = [i for i in catalog.ids() if i in avail]
if not ind_ids:
    empty_state.kurang("indikator")
    st.stop()
tiled = explore.tiled_levels()
s = state.read_peta(qp, ind_ids, sd.years, explore.region_exists, home=explore.home_view(), tiled=tiled)
state.write_peta(qp, s)
ind = catalog.get(s.ind)


def go(new: state.PetaState) -> None:
    state.write_peta(st.query_params, new)


def on_widget(field: str, current: state.PetaState) -> None:
    value = st.session_state[f"peta_{field}"]
    if value is None:  # the selected option of a segmented control clicked again: it stays
        return
    new = replace(current, **{field: value})
    if field == "tingkat":
        new = replace(new, pilih="")
    go(new)


def on_tema(current: state.PetaState) -> None:
    first = next(i for i in ind_ids if catalog.get(i).tema == st.session_state["peta_tema"])
    go(replace(current, ind=first, kelas=state.default_kelas(first)))


def on_click(current: state.PetaState) -> None:
    kode = explore.clicked_kode(st.session_state.get("peta_map"))
    if kode:
        go(state.select(current, kode))


def on_search(current: state.PetaState) -> None:
    best = search.best(search.search(st.session_state.get("peta_q", "")))
    if best:
        go(state.goto(current, best))


def widget(fn, label: str, field: str, options=None, **kw) -> None:
    """A widget (``fn``: a bound st method) showing the URL's value of ``field``; a change writes the URL."""
    key = f"peta_{field}"
    st.session_state[key] = getattr(s, field)
    args = dict(key=key, on_change=on_widget, args=(field, s), **kw)
    if options is None:
        fn(label, **args)
    else:
        fn(label, options, **args)


# --- what to map ----------------------------------------------------------------------------------
temas = [tm for tm in catalog.tema() if any(catalog.get(i).tema == tm for i in ind_ids)]
c = st.columns([2, 2.7, 1.3, 2, 2], vertical_alignment="bottom")  # the year whole at 1280 px, sidebar open
st.session_state["peta_tema"] = ind.tema
c[0].selectbox(ui.t("theme"), temas, key="peta_tema", on_change=on_tema, args=(s,),
               format_func=lambda tm: catalog.nama_tema(tm, lang))
widget(c[1].selectbox, ui.t("indicator"), "ind", [i for i in ind_ids if catalog.get(i).tema == ind.tema],
       format_func=lambda i: catalog.get(i).nama(lang))
widget(c[2].selectbox, ui.t("year"), "tahun", sd.years(s.ind))
national_only = not s.wilayah and len(state.levels_below("", tiled)) < len(state.LEVELS_BELOW[0])
widget(c[3].selectbox, ui.t("map_level"), "tingkat", list(state.levels_below(s.wilayah, tiled)),
       format_func=lambda lv: level_names[lv].capitalize(),
       help=ui.t("pt_levels_note") if national_only else None)

status = s.kelas == "status"
# How to classify: in a popover at the end of the same row, so the map starts higher on a shared screen.
with c[4].popover(ui.t("pt_classes_button"), width="stretch"):
    c = [st.container() for _ in range(4)]
widget(c[0].selectbox, ui.t("pt_classification"), "kelas", list(state.kelas_allowed(s.ind)),
       format_func=lambda m: classify.metode_label(m, ind, lang))
widget(c[1].slider, ui.t("pt_k"), "k", min_value=classify.K_MIN, max_value=classify.K_MAX,
       disabled=status)
widget(c[2].selectbox, ui.t("pt_palette"), "palet", list(classify.PALET), disabled=status,
       format_func=lambda p: classify.PALET_LABEL[p][lang == "en"])
widget(c[3].radio, ui.t("pt_scope"), "cakupan", list(state.CAKUPAN), horizontal=True,
       format_func=lambda x: ui.t(f"pt_scope_{x}"), disabled=not s.wilayah)

# --- breadcrumb and search, one row ----------------------------------------------------------------
crumb_col, search_col = st.columns([3, 2], vertical_alignment="bottom")
q = search_col.text_input(ui.t("pt_search"), key="peta_q", help=ui.t("pt_search_help"), on_change=on_search,
                          args=(s,), label_visibility="collapsed", placeholder=ui.t("pt_search"))
# Always the same containers above the map: an element appearing before it would shift the map's
# place on the page and Streamlit would mount a new map frame (flicker, zoom lost).
with st.container(key="peta_hits"):
    if q.strip():
        hits = search.search(q)
        if search.as_code(q) == "" and len(search.fold(q)) < search.MIN_CHARS:
            st.caption(ui.t("pt_search_short"))
        elif hits.empty:
            st.warning(ui.t("pt_search_none").format(q=themes.md(q.strip()[:100])))
        else:
            with st.expander(ui.t("pt_search_results"), expanded=not search.best(hits)):
                for row in hits.to_dict("records"):
                    st.button(themes.md(search.describe(row, level_names)), key=f"peta_hit_{row['kode']}", on_click=go,
                              args=(state.goto(s, row["kode"]),), type="tertiary")

crumbs = state.breadcrumb(s.wilayah)
names = explore.region_names(crumbs[1:])
with crumb_col.container(horizontal=True, vertical_alignment="center", gap="small", key="peta_crumbs"):
    for i, kode in enumerate(crumbs):
        label = themes.md(names.get(kode, kode)) if kode else ui.t("pt_indonesia")  # button labels are Markdown
        last = i == len(crumbs) - 1
        st.button(label, key=f"peta_up_{kode or 'id'}", on_click=go, args=(state.up(s, kode),), disabled=last,
                  type="secondary" if last else "tertiary")
        if not last:
            st.markdown("›")

# --- map and side panel ---------------------------------------------------------------------------
left, right = st.columns([11, 8], gap="medium")
wilayah_name = names.get(s.wilayah, ui.t("pt_indonesia")) if s.wilayah else ui.t("pt_indonesia")
map_title = ui.t("pt_map_title").format(ind=ind.nama(lang), tahun=s.tahun, level=level_names[s.tingkat],
                                        wilayah=wilayah_name)
legend_title = f"{ind.nama(lang)} ({ind.unit(lang)})"
height = ui.map_height(MAP_HEIGHT)
with left:
    st.subheader(themes.md(map_title))
    grid = s.tampilan == "kisi" and explore.grid_allowed(s.tingkat, s.wilayah)
    # the map depends on the regions only; the colours travel beside it, so another indicator, year or
    # classification recolours the same map in place (zoom and tiles kept)
    m, colours, view = explore.peta_map(s.ind, s.tahun, s.tingkat, s.wilayah, s.kelas, s.k, s.palet, lang,
                                        s.cakupan, height=height, grid=grid)
    if empty_state.tanpa_batas(s.tingkat, s.wilayah):  # e.g. IDM villages imported over kecamatan boundaries
        empty_state.kurang("batas")
    else:
        explore.draw_map(m, key="peta_map", selected=s.pilih, height=height, on_click=lambda: on_click(s),
                         colours_=colours,
                         legend=ui.map_legend(view.legend, legend_title, ui.classes_note(ind, s.kelas)))
    if grid:
        st.caption(ui.t("pt_grid_note"))
    ui.source_note(info, ind.sumber)

figures = {}
with right:
    # boundaries or one equal square per region (sinergi/gridmap.py), at the map's top; kept while presenting
    widget(st.segmented_control, ui.t("pt_view"), "tampilan", list(state.TAMPILAN), selection_mode="single",
           format_func=lambda v: ui.t(f"pt_view_{v}"), label_visibility="collapsed", help=ui.t("pt_view_help"))
    if s.tampilan == "kisi" and not grid:
        st.warning(ui.t("pt_grid_too_many").format(n=fmt_num(explore.GRID_MAX, 0, lang)), icon=":material/grid_off:")
    # the legend is on the map (official classes noted there); here, over which regions classes are cut
    if not status:
        scope = "induk" if s.cakupan == "induk" and s.wilayah else "nasional"
        st.caption(ui.t(f"pt_scope_note_{scope}").format(level=level_names[s.tingkat], nama=themes.md(wilayah_name)))
    st.divider()

    panel = explore.selection_panel(view, s.pilih, s.ind, s.tahun, lang) if s.pilih else None
    if panel is None:
        st.info(ui.t("pt_pick_hint"))
    else:
        st.subheader(f"{themes.md(panel['nama'])}")
        st.caption(" · ".join([panel["jenis"], panel["kode"], *[themes.md(x) for x in panel["chain"]]]))
        m1, m2 = st.columns(2)
        m1.metric(ui.t("value"), themes.md(panel["nilai"]), help=themes.md(ind.nama(lang)))  # unit from metadata
        m2.metric(ui.t("class"), panel["kelas_nama"], help=panel["kelas"])
        m3, m4 = st.columns(2)
        m3.metric(ui.t(f"rank_in_{s.tingkat}"), panel["rank"], help=ui.t("pt_rank_help"))
        m4.metric(ui.t("pf_in_prov"), panel["pct_provinsi"], help=ui.t("pf_percentile_help"))
        m5, _ = st.columns(2)
        m5.metric(ui.t("pf_in_nation"), panel["pct_nasional"], help=ui.t("pf_percentile_help"))
        if s.tingkat < 4:
            st.button(ui.t("pt_drill").format(nama=themes.md(panel["nama"])), key="peta_drill", type="primary",
                      on_click=go, args=(state.drill(s, s.pilih),), width="stretch")
        b1, b2 = st.columns(2)
        b2.button(ui.t("pt_clear"), key="peta_clear", on_click=go, args=(state.select(s, ""),), width="stretch")
        link = {"kode": s.pilih, "tahun": str(s.tahun), **({"lang": lang} if lang != "id" else {})}
        b1.page_link("pages/profil_desa.py", label=ui.t("pt_full_profile"), query_params=link)
        trend = profile.trend(s.pilih, [s.ind])
        if len(trend):
            trend_title = f"{ui.t('pt_trend').format(ind=ind.nama(lang))}: {panel['nama']}"  # charts escape titles
            figures[trend_title] = charts.trend_lines(trend, lang, title=trend_title, y_title=ind.unit(lang),
                                                      height=260)
            st.plotly_chart(figures[trend_title], width="stretch", config={"displaylogo": False}, key="peta_trend")
        table = profile.indicator_table(profile.indicators(s.pilih, s.tahun, lang), lang, s.tingkat)
        with st.expander(ui.t("pt_indicators_year").format(tahun=s.tahun)):
            ui.table(table, width="stretch")

# --- below the picture: export and the view's link (not shown when presenting) ---------------------
ui.stop_if_presenting()
ui.export_menu("peta_exp", view=view, indikator=s.ind, tahun=s.tahun, title=map_title, legend_title=legend_title,
               source=ui.source_text(info, ind.sumber), figures=figures,
               file_stem=f"peta_{s.ind}_{s.tahun}_{s.wilayah or 'indonesia'}_{s.tingkat}", grid=grid)
url = state.share_url(st.context.url, "peta", {k: qp[k] for k in qp})
st.iframe(explore.copy_link_html(url, ui.t("pt_copy_link"), ui.t("pt_copied"), ui.t("pt_copy_failed")), height=46)
# shown as inline code, not st.code: a code block makes the browser load and compile Streamlit's 1.5 MB
# syntax highlighter before it mounts the map frame (measured: the map drawn 0.9 s later on a first visit).
# A backtick is percent-encoded (the same URL), so the text cannot leave the code span.
with st.container(key="peta_link"):
    st.markdown(f"`{url.replace('`', '%60')}`")
st.caption(ui.t("pt_link_help"))

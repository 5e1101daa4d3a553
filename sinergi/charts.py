"""plotly chart builders: data in, Figure out (no Streamlit calls).

One visual language with the maps: the same status colours, text no smaller than 14 px.

Every public builder is memoised (:func:`_memo`): plotly validates each property it is given, so
building a page's figures costs 50–250 ms of Python on every rerun whatever the data's size, while the
same data and labels give the same figure. Returned figures are shared between sessions: read them,
never change them in place (``export.figure_image`` works on a copy).
"""

from __future__ import annotations

import copy
import functools
import re
import textwrap
from collections import defaultdict

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from sinergi import catalog, classify, memo, network, safe
from sinergi.i18n import fmt_num, fmt_percent, t

FONT = dict(family="Source Sans Pro, Segoe UI, sans-serif", size=16, color="#1b1b1b")
# Wrapping widths (characters) of a chart meant for a narrow column (a theme page's right-hand column is about
# 320 px wide at 1280 px with the sidebar open): its title, its source note and its x axis's title.
NARROW_CHARS = 30
# An upper bound of a 1 px font's character width (digits, brackets, per cent; Source Sans is narrower)
CHAR_EM = 0.62

MEMO_ENTRIES = 64  # figures kept per builder (process-wide, least recently used dropped first)


def _memo(builder):
    """``builder`` remembered by the content of its arguments (``memo.by_content``), its figures frozen
    (:func:`_frozen`)."""

    @functools.wraps(builder)
    def build(*args, **kwargs):
        return _frozen(builder(*args, **kwargs))

    return memo.by_content(lambda: MEMO_ENTRIES)(build)


def _frozen(fig: go.Figure) -> go.Figure:
    """``fig`` whose ``to_dict()`` makes its dictionary once and then returns that same dictionary.

    ``st.plotly_chart`` calls ``to_dict()`` on every rerun: a deep copy of the whole figure (3–15 ms a
    chart), the same each time for a shared, never-changed figure. Whoever reads it must not change it
    (Streamlit only serialises it; a copy, ``go.Figure(fig)``, is an ordinary figure again)."""
    made: list[dict] = []

    def to_dict() -> dict:
        if not made:
            made.append(go.Figure.to_dict(fig))
        return made[0]

    fig.to_dict = to_dict
    return fig


def _wrap(text: str, width: int = 46) -> str:
    """Escaped text broken into lines (plotly annotations do not wrap by themselves)."""
    return "<br>".join(safe.plotly(line) for line in textwrap.wrap(text, width)) if text else text


def _merge(into: dict, new: dict) -> dict:
    """``new`` merged into ``into`` as plotly's ``update_layout`` merges: nested dicts key by key, any other
    value replaced."""
    for k, v in new.items():
        if isinstance(v, dict) and isinstance(into.get(k), dict):
            _merge(into[k], v)
        else:
            into[k] = v
    return into


def _axes(layout: dict, prefix: str) -> list[str]:
    """The axes ``fig.update_xaxes``/``update_yaxes`` would change: every ``xaxis``, ``xaxis2``, … the layout
    has, else the one ``xaxis`` (plotly creates it)."""
    found = [k for k in layout if re.fullmatch(prefix + r"\d*", k)]
    return found or [prefix]


def _layout(fig: go.Figure | dict, title: str, source: str, height: int = 380, lang: str | None = None,
            note_offset: int = 58, legend_rows: int = 0, xaxis: dict | None = None, yaxis: dict | None = None,
            narrow: bool = False, note_left: int = 0, **props) -> go.Figure:
    """Shared look: fonts ≥ 14 px, white background, the source note under the plot area; with
    ``legend_rows``, the legend on top (:func:`_legend_on_top`). The builder's own settings come first:
    ``props`` of the layout (``barmode=…``), then ``xaxis``/``yaxis`` of every x/y axis (nested dicts:
    ``title=dict(text=…)``), as ``update_layout(**props)``, ``update_xaxes(**xaxis)``, ``update_yaxes(**yaxis)``
    would set them.

    The note is placed in pixels below the bottom margin's top (not as a fraction of the height), so it
    stays clear of the axis title whatever the chart's height. Titles and notes are wrapped so they fit
    a half-width column at 1280 px (plotly does not wrap text by itself); with ``narrow`` (a chart in a theme
    page's right-hand column, ~320 px at 1280 px) they and the x axis's title wrap at :data:`NARROW_CHARS`.
    The note starts at the plot's left edge, right of the y axis's labels: ``note_left`` (px, at most their
    width) moves it left by that much, under them.

    Returns a new figure: the same as applying these settings with ``update_layout``/``update_xaxes``/
    ``add_annotation`` one after the other (``tests/test_charts.py`` compares the two), built in one
    construction from the figure's dictionary, because each plotly update call re-walks and re-validates
    the layout (a chart's look took ~25 ms that way, ~5 ms this way).
    ``fig`` may also be the figure's dictionary (``{"data": [{"type": "scatter", …}, …]}``) not yet made into
    plotly objects: its traces are then validated once, by that construction, instead of once as each
    ``go.Scatter`` and again here (the same figure: ``tests/test_charts.py``).
    """
    head = _wrap(title, NARROW_CHARS if narrow else 44)
    # plotly anchors a title of several lines ~13 px higher than one of a single line: pad it down as much
    multi = 14 if "<br>" in head else 0
    extra_title = 24 * head.count("<br>") + multi
    note = _wrap(source, NARROW_CHARS if narrow else 46) if source else ""
    extra_note = 18 * note.count("<br>")
    if isinstance(fig, dict):  # traces given as plain dictionaries: validated once, by the construction below
        spec = {"data": list(fig.get("data", ())), "layout": copy.deepcopy(fig.get("layout", {}))}
    else:
        # the figure's own dictionaries, as ``fig.to_dict()`` copies them but with arrays kept as arrays (to_dict
        # encodes them for the browser, and a figure built from that encoding would keep it as a value)
        spec = {"data": copy.deepcopy(fig._data), "layout": copy.deepcopy(fig._layout)}
    layout = spec["layout"]
    # the builders never set a template: the new figure takes the same default one (already validated,
    # whereas the dictionary's copy of it would be validated again: most of the construction's time)
    layout.pop("template", None)
    _merge(layout, props)
    for prefix, settings in (("xaxis", xaxis), ("yaxis", yaxis)):
        for axis in _axes(layout, prefix) if settings else ():
            _merge(layout.setdefault(axis, {}), copy.deepcopy(settings))
    x_title = ((layout.get("xaxis") or {}).get("title") or {}).get("text")
    if narrow and x_title and len(x_title) > NARROW_CHARS:  # already escaped (_unit_title): only broken
        x_title = "<br>".join(textwrap.wrap(x_title, NARROW_CHARS))
        for axis in _axes(layout, "xaxis"):
            _merge(layout.setdefault(axis, {}), dict(title=dict(text=x_title)))
        note_offset += 18 * x_title.count("<br>")
    _merge(layout, dict(
        title=dict(text=head, font=dict(size=19), y=1, yref="container", yanchor="top",
                   pad=dict(t=12 + multi)), font=dict(FONT),
        # a longer title or note adds its lines to the figure, never takes them from the plot
        height=height + extra_title + extra_note,
        margin=dict(l=10, r=10, t=60 + extra_title, b=90 if source else 60), plot_bgcolor="white",
        paper_bgcolor="white",
        hoverlabel=dict(font=dict(size=15)),
        # plotly shrinks bar labels that do not fit; never below 14 px (legible when screen-shared)
        uniformtext=dict(minsize=14, mode="show"),
        legend=dict(font=dict(size=14)),
    ))
    # explicit sizes: st.plotly_chart's Streamlit theme would otherwise draw tick labels at 12 px
    for axis in _axes(layout, "xaxis") + _axes(layout, "yaxis"):
        _merge(layout.setdefault(axis, {}), dict(tickfont=dict(size=14), title=dict(font=dict(size=15))))
    if lang == "id":  # decimal comma, thousands dot, as i18n.fmt_num
        layout["separators"] = ",."
    if source:
        layout["margin"]["b"] = note_offset + 32 + extra_note
        layout["annotations"] = [*layout.get("annotations", []), dict(
            text=note, xref="paper", yref="paper", x=0, y=0, yanchor="top", align="left", yshift=-note_offset,
            xshift=-note_left, showarrow=False, xanchor="left", font=dict(size=14, color="#444"))]
    if legend_rows:
        _legend_on_top(layout, legend_rows)
    return go.Figure(spec)


def _label_room(fig: go.Figure, labels: list[str], size: int) -> go.Figure:
    """Room in the right margin for the labels drawn past the bars' ends (``textposition="outside"``), so the
    longest stays inside the picture however narrow the chart (plotly would otherwise cut it at the edge)."""
    longest = max((len(str(x)) for x in labels), default=0)
    fig.update_traces(cliponaxis=False)
    fig.update_layout(margin=dict(r=10 + int(np.ceil(CHAR_EM * size * longest))))
    return fig


def _legend_on_top(layout: dict, rows: int) -> None:
    """Legend in ``rows`` rows between the title and the plot: beside the plot it would squeeze a
    half-width chart at 1280 px. With more than one row, entries take half the width each (two per row),
    so the height reserved is right whatever the chart's width."""
    legend = dict(font=dict(size=14), orientation="h", y=1.01, x=0, yanchor="bottom")
    if rows > 1:
        legend.update(entrywidth=0.5, entrywidthmode="fraction")
    _merge(layout, dict(legend=legend, margin=dict(t=layout["margin"]["t"] + 26 * rows + 6)))


@_memo
def status_bars(counts: pd.DataFrame, lang: str = "id", title: str | None = None, source: str = "") -> go.Figure:
    """Bar chart of villages per IDM status. ``counts`` has ``status`` (1..5) and ``n``."""
    full = pd.DataFrame({"status": range(1, 6)}).merge(counts, on="status", how="left").fillna({"n": 0})
    total = max(int(full["n"].sum()), 1)
    names = [catalog.nama_status(s, lang) for s in full["status"]]
    # horizontal bars: the status names read on the left and each count with its share at its bar's end, so
    # nothing runs into a neighbour in a half-width column at 1280 px (upright bars' names and labels did);
    # the labels of the longest bars go inside their bar's end (in a narrow column they were cut past the edge):
    # with the axis 1.45 × the largest count, a bar of 70 % of it or more holds its label and a shorter one
    # leaves room for it past its end
    text = [f"{fmt_num(n, 0, lang)} ({fmt_percent(n / total, 1, lang)})" for n in full["n"]]
    fig = {"data": [dict(  # a dictionary: validated once, when _layout makes the figure
        type="bar", y=names, x=full["n"], orientation="h", marker_color=list(classify.STATUS_COLORS),
        marker_line_color="#333", marker_line_width=1, text=text, textfont=dict(size=15), cliponaxis=False,
        insidetextanchor="end",
        textposition=["inside" if n > 0 and n >= 0.7 * full["n"].max() else "outside" for n in full["n"]],
        hovertemplate="%{y}: %{x}<extra></extra>",
    )]}
    # the note under the status names too: in a narrow column they take ~40 % of the width
    under_names = int(0.45 * 14 * max(len(x) for x in names))
    return _layout(fig, title or t("villages_per_status", lang), source, narrow=True, note_left=under_names,
                   yaxis=dict(autorange="reversed", automargin=True),  # Sangat Tertinggal on top, Mandiri at the bottom
                   xaxis=dict(title=dict(text=t("count", lang) + " " + t("villages", lang)), gridcolor="#ddd",
                              range=[0, full["n"].max() * 1.45 + 1]))


# --------------------------------------------------------------------------------------------------
# Theme pages (issue 5). Every builder: frame in, Figure out; title, axis units and a source note.
# --------------------------------------------------------------------------------------------------

def _status_names(lang: str) -> list[str]:
    return [catalog.nama_status(s, lang) for s in range(1, 6)]


def _unit_title(ind: catalog.Indikator, lang: str) -> str:
    return _plain(f"{ind.nama(lang)} ({ind.unit(lang)})" if ind.satuan else ind.nama(lang))


@_memo
def status_stacked(by_year: pd.DataFrame, lang: str = "id", title: str = "", source: str = "",
                   height: int = 420) -> go.Figure:
    """Stacked bars of villages per IDM status for every year. ``by_year``: ``tahun, status, n``."""
    years = sorted(by_year["tahun"].unique()) if len(by_year) else []
    traces = []  # as dictionaries: validated once, when _layout makes the figure
    for s, name, col in zip(range(1, 6), _status_names(lang), classify.STATUS_COLORS):
        part = by_year[by_year["status"] == s].set_index("tahun")["n"].reindex(years, fill_value=0)
        traces.append(dict(
            type="bar", x=[str(y) for y in years], y=part.to_numpy(), name=name, marker_color=col,
            marker_line_color="#333", marker_line_width=0.6,
            hovertemplate=f"{name} %{{x}}: %{{y}}<extra></extra>",
        ))
    return _layout({"data": traces}, title or t("tm_status_over_years", lang), source, height, lang=lang,
                   barmode="stack", legend=dict(traceorder="normal", font=dict(size=15)),
                   xaxis=dict(title=dict(text=t("year", lang)), type="category"),
                   yaxis=dict(title=dict(text=f"{t('count', lang)} {t('villages', lang)}"), gridcolor="#ddd"))


@_memo
def distribution(values: pd.Series, ind: catalog.Indikator, lang: str = "id", title: str = "",
                 source: str = "", height: int = 380) -> go.Figure:
    """Histogram of one indicator over regions, with the median marked. ``values``: numbers (NaN dropped).

    For IDM-family indices the official status boundaries are drawn as dashed lines.
    """
    v = pd.to_numeric(values, errors="coerce").dropna()
    fig = go.Figure(go.Histogram(x=v, nbinsx=30, marker_color="#6baed6", marker_line_color="#08519c",
                                 marker_line_width=0.8, hovertemplate="%{x}: %{y}<extra></extra>"))
    if len(v):
        med = float(v.median())
        # the label on the side of the line with more room: right of a median in the left half, else left
        right = med <= (float(v.min()) + float(v.max())) / 2
        fig.add_vline(x=med, line_color="#1b1b1b", line_width=2,
                      annotation_text=f"{t('median', lang)} {fmt_num(med, ind.desimal, lang)}",
                      annotation_font_size=15, annotation_position="top right" if right else "top left",
                      annotation_bgcolor="rgba(255,255,255,0.85)")  # over the dashed status lines
    xaxis = {}
    if len(v):
        lo, hi = float(v.min()), float(v.max())
        pad = max(hi - lo, 1e-9) * 0.04
        lo, hi = lo - pad, hi + pad
        if ind.kelas_resmi == "idm":  # official status boundaries that fall inside the data's range
            for b in catalog.IDM_BATAS:
                if lo < b < hi:
                    fig.add_vline(x=b, line_dash="dash", line_color="#888", line_width=1)
        xaxis["range"] = [lo, hi]  # keeps the median label from stretching the axis
    xaxis["title"] = dict(text=_unit_title(ind, lang))
    return _layout(fig, title or ind.nama(lang), source, height, lang=lang, bargap=0.04, xaxis=xaxis, narrow=True,
                   yaxis=dict(title=dict(text=f"{t('count', lang)} {t('regions', lang)}"), gridcolor="#ddd"))


@_memo
def transition_sankey(matrix: pd.DataFrame, label_a: str, label_b: str, lang: str = "id", title: str = "",
                      source: str = "", height: int = 460) -> go.Figure:
    """Sankey of villages moving between IDM status classes from year A (left) to year B (right).

    ``matrix``: 5×5 counts (rows = status in A, columns = status in B), as ``themes.transition_matrix``.
    """
    names = _status_names(lang)
    labels = [f"{n} {label_a}" for n in names] + [f"{n} {label_b}" for n in names]
    src, dst, val, col = [], [], [], []
    for i, a in enumerate(matrix.index):
        for j, b in enumerate(matrix.columns):
            n = int(matrix.loc[a, b])
            if n:
                src.append(i)
                dst.append(5 + j)
                val.append(n)
                # up = blue-ish, down = red-ish, same = grey (colour-blind safe pair)
                col.append("rgba(44,123,182,0.45)" if b > a else "rgba(215,25,28,0.45)" if b < a
                           else "rgba(150,150,150,0.35)")
    colours = list(classify.STATUS_COLORS) * 2
    fig = {"data": [dict(  # a dictionary: validated once, when _layout makes the figure
        type="sankey", arrangement="fixed",
        node=dict(label=labels, color=colours, pad=14, thickness=18, line=dict(color="#333", width=0.6)),
        link=dict(source=src, target=dst, value=val, color=col),
        textfont=dict(size=15, color="#1b1b1b"),
    )]}
    return _layout(fig, title or t("tm_transitions", lang), source, height, lang=lang)


@_memo
def ranking_bars(top: pd.DataFrame, bottom: pd.DataFrame, ind: catalog.Indikator, lang: str = "id",
                 title: str = "", source: str = "", height: int | None = None) -> go.Figure:
    """Horizontal bars: the best regions (blue) above the worst (red). Frames: ``nama, nilai, peringkat``."""
    best = top.iloc[::-1]
    worst = bottom
    traces = []  # as dictionaries: validated once, when _layout makes the figure
    for part, name, colour in ((worst, t("tm_bottom", lang), "#d7191c"), (best, t("tm_top", lang), "#2c7bb6")):
        traces.append(dict(
            type="bar", y=[f"{int(r)}. {_plain(n)}" for r, n in zip(part["peringkat"], part["nama"])], x=part["nilai"],
            orientation="h", name=name, marker_color=colour,
            text=[fmt_num(v, ind.desimal, lang) for v in part["nilai"]], textposition="outside",
            textfont=dict(size=14), hovertemplate="%{y}: %{x}<extra></extra>",
        ))
    n = len(top) + len(bottom)
    labels = [fmt_num(v, ind.desimal, lang) for v in pd.concat([top["nilai"], bottom["nilai"]])]
    fig = _layout({"data": traces}, title or ind.nama(lang), source, height or max(320, 60 + 26 * n), lang=lang,
                  legend=dict(orientation="h", y=1.02, x=0, yanchor="bottom"), barmode="relative",
                  xaxis=dict(title=dict(text=_unit_title(ind, lang)), gridcolor="#ddd"),
                  yaxis=dict(type="category", automargin=True))
    return _label_room(fig, labels, 14)


@_memo
def quadrant_scatter(table: pd.DataFrame, ind_x: catalog.Indikator, ind_y: catalog.Indikator, median_x: float,
                     median_y: float, lang: str = "id", title: str = "", source: str = "",
                     height: int = 520) -> go.Figure:
    """Scatter of capacity (x) against resilience (y), dashed lines at the medians, points coloured by
    quadrant (``themes.quadrants``: columns ``nama, x, y, kuadran``). WebGL keeps 80,000 points fluid."""
    from sinergi.classify import QUADRANT_COLORS, QUADRANTS

    fig = go.Figure()
    for q in QUADRANTS:
        part = table[table["kuadran"] == q]
        fig.add_trace(go.Scattergl(
            x=part["x"], y=part["y"], mode="markers", name=t(f"q_{q}", lang),
            marker=dict(color=QUADRANT_COLORS[q], size=8 if q == "rendah_rendah" else 6,
                        line=dict(color="#333", width=0.5 if q == "rendah_rendah" else 0)),
            text=part["nama"].map(_plain), hovertemplate="%{text}<br>%{x}, %{y}<extra></extra>",
        ))
    if median_x == median_x:
        fig.add_vline(x=median_x, line_dash="dash", line_color="#333", line_width=1.5,
                      annotation_text=f"{t('median', lang)} {fmt_num(median_x, ind_x.desimal, lang)}",
                      annotation_font_size=14)
        fig.add_hline(y=median_y, line_dash="dash", line_color="#333", line_width=1.5,
                      annotation_text=f"{t('median', lang)} {fmt_num(median_y, ind_y.desimal, lang)}",
                      annotation_font_size=14, annotation_position="bottom right")
    return _layout(fig, title, source, height, lang=lang, legend_rows=2,
                   xaxis=dict(title=dict(text=_unit_title(ind_x, lang)), gridcolor="#eee"),
                   yaxis=dict(title=dict(text=_unit_title(ind_y, lang)), gridcolor="#eee"))


@_memo
def heatmap(matrix: pd.DataFrame, lang: str = "id", title: str = "", source: str = "", z_title: str = "",
            height: int = 480) -> go.Figure:
    """A labelled square matrix (e.g. ministry × ministry co-presence), counts written in the cells."""
    z = matrix.to_numpy()
    fig = go.Figure(go.Heatmap(
        z=z, x=[_plain(c) for c in matrix.columns], y=[_plain(i) for i in matrix.index], colorscale="Blues",
        text=[[fmt_num(v, 0, lang) for v in row] for row in z], texttemplate="%{text}",
        textfont=dict(size=14), colorbar=dict(title=dict(text=z_title, font=dict(size=14)),
                                              tickfont=dict(size=14)),
        hovertemplate="%{y} × %{x}: %{z}<extra></extra>",
    ))
    # angled names below the cells take about 100 px: the source note goes under them
    return _layout(fig, title, source, height, lang=lang, note_offset=120,
                   yaxis=dict(autorange="reversed", automargin=True), xaxis=dict(tickangle=-30, automargin=True))


@_memo
def hbars(labels: list[str], values: list[float], x_title: str, lang: str = "id", title: str = "",
          source: str = "", decimals: int = 0, colour: str = "#2c7bb6", height: int | None = None) -> go.Figure:
    """Simple horizontal bars, largest on top (e.g. villages reached per ministry, institutions by type)."""
    fig = {"data": [dict(  # a dictionary: validated once, when _layout makes the figure
        type="bar", y=[_plain(x) for x in labels[::-1]], x=values[::-1], orientation="h", marker_color=colour,
        text=[fmt_num(v, decimals, lang) for v in values[::-1]], textposition="outside", textfont=dict(size=14),
        hovertemplate="%{y}: %{x}<extra></extra>",
    )]}
    fig = _layout(fig, title, source, height or max(300, 90 + 34 * len(labels)), lang=lang, narrow=True,
                  xaxis=dict(title=dict(text=x_title), gridcolor="#ddd", range=[0, (max(values) if values else 1) * 1.02]),
                  yaxis=dict(type="category", automargin=True))
    return _label_room(fig, [fmt_num(v, decimals, lang) for v in values], 14)


@_memo
def trend_lines(trend: pd.DataFrame, lang: str = "id", title: str = "", source: str = "", y_title: str = "",
                height: int = 380) -> go.Figure:
    """Lines per indicator over the years. ``trend``: ``indikator, tahun, nilai``. Indicators should share
    a unit (e.g. IKS and its dimensions, 0–1)."""
    traces = []  # as dictionaries: validated once, when _layout makes the figure
    for iid, part in trend.groupby("indikator", sort=False):
        ind = catalog.get(iid)
        traces.append(dict(
            type="scatter", x=part["tahun"].astype(str), y=part["nilai"], mode="lines+markers",
            name=_plain(_short(ind.nama(lang))), line=dict(width=3 if iid in ("iks", "idm") else 2),
            marker=dict(size=8),
            text=[_plain(ind.nama(lang))] * len(part),  # names from data stay out of the template
            hovertemplate="%{text} %{x}: %{y}<extra></extra>",
        ))
    rows = (trend["indikator"].nunique() + 1) // 2
    return _layout({"data": traces}, title, source, height + 26 * rows, lang=lang, legend_rows=rows,
                   xaxis=dict(title=dict(text=t("year", lang)), type="category"),
                   yaxis=dict(title=dict(text=_plain(y_title)), gridcolor="#ddd"))


@_memo
def percentile_dots(profile: pd.DataFrame, lang: str = "id", title: str = "", source: str = "",
                    height: int | None = None,
                    columns: tuple[str, ...] = ("pct_kabupaten", "pct_provinsi", "pct_nasional")) -> go.Figure:
    """Each indicator's percentile (0–100) within kabupaten, province and nation as dots on one row.

    ``profile``: ``nama, arah, pct_kabupaten, pct_provinsi, pct_nasional`` (0..1); ``columns`` says which
    of them to draw. For indicators where higher is worse the percentile is flipped so that right is
    always better.
    """
    traces = []  # as dictionaries: validated once, when _layout makes the figure
    styles = (("pct_kabupaten", t("pf_leg_kab", lang), "#fdae61", "circle"),
              ("pct_provinsi", t("pf_leg_prov", lang), "#abd9e9", "square"),
              ("pct_nasional", t("pf_leg_nation", lang), "#2c7bb6", "diamond"))
    for col, name, colour, symbol in styles:
        if col not in columns:  # e.g. no "within the kabupaten" for a kabupaten itself
            continue
        p = profile[col].astype(float) * 100
        p = p.where(profile["arah"] > 0, 100 - p)
        traces.append(dict(
            type="scatter", x=p, y=profile["nama"].map(_plain), mode="markers", name=name,
            marker=dict(size=13, color=colour, symbol=symbol, line=dict(color="#222", width=1)),
            hovertemplate="%{y}: %{x:.0f}<extra>" + name + "</extra>",
        ))
    return _layout({"data": traces}, title, source, height or max(320, 140 + 30 * len(profile)), lang=lang,
                   legend_rows=1,
                   xaxis=dict(title=dict(text=t("pf_percentile_axis", lang)), range=[-3, 103], gridcolor="#ddd"),
                   yaxis=dict(type="category", autorange="reversed", automargin=True))


@_memo
def compare_bars(frame: pd.DataFrame, lang: str = "id", title: str = "", source: str = "",
                 height: int | None = None) -> go.Figure:
    """Grouped horizontal bars of percentiles (0–100, 100 = best) per indicator, one colour per region.

    ``frame``: ``wilayah, nama (indicator name), persentil`` (``themes.percentile_frame``). Horizontal, so
    long indicator names stay readable without angled labels."""
    fig = go.Figure()
    groups = list(frame.groupby("wilayah", sort=False))
    for (wil, part), colour in zip(groups, COMPARE_COLORS):
        fig.add_trace(go.Bar(y=part["nama"].map(_plain), x=part["persentil"], name=_plain(wil), marker_color=colour,
                             orientation="h", text=[fmt_num(v, 0, lang) for v in part["persentil"]],
                             textposition="outside", textfont=dict(size=14),
                             hovertemplate="%{y}: %{x:.0f}<extra>%{fullData.name}</extra>"))
    n_ind = frame["nama"].nunique()
    h = height or max(360, 150 + n_ind * (16 * max(len(groups), 1) + 16))
    return _layout(fig, title, source, h, lang=lang, legend_rows=(len(groups) + 1) // 2,
                   barmode="group", legend=dict(traceorder="normal"),
                   xaxis=dict(title=dict(text=t("pf_percentile_axis", lang)), range=[0, 112], gridcolor="#ddd"),
                   yaxis=dict(type="category", autorange="reversed", automargin=True))


@_memo
def compare_radar(frame: pd.DataFrame, lang: str = "id", title: str = "", source: str = "",
                  height: int = 460) -> go.Figure:
    """Radar of percentiles (0–100, 100 = best) per indicator, one polygon per region."""
    fig = go.Figure()
    for (wil, part), colour in zip(frame.groupby("wilayah", sort=False), COMPARE_COLORS):
        theta = [_plain(n) for n in part["nama"]] + [_plain(part["nama"].iloc[0])]
        r = list(part["persentil"]) + [part["persentil"].iloc[0]]
        fig.add_trace(go.Scatterpolar(r=r, theta=theta, name=_plain(wil), line=dict(color=colour, width=2.5),
                                      fill="toself", opacity=0.55,
                                      hovertemplate="%{theta}: %{r:.0f}<extra>%{fullData.name}</extra>"))
    fig.update_layout(polar=dict(radialaxis=dict(range=[0, 100], tickfont=dict(size=14)),
                                 angularaxis=dict(tickfont=dict(size=14))),
                      legend=dict(orientation="h", y=-0.08, x=0))
    return _layout(fig, title, source, height, lang=lang)


# Okabe–Ito colours: distinguishable for colour-blind viewers.
COMPARE_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7")


def _short(name: str) -> str:
    """A legend label: the abbreviation of names ending in one ("Indeks Ketahanan Sosial (IKS)" → "IKS")."""
    m = re.search(r"\(([A-Z]{2,5})\)$", name)
    return m.group(1) if m else name


def _plain(s: object) -> str:
    """Plotly renders a subset of HTML in hover and tick text: escape names that come from data."""
    return safe.plotly(s)


def network_figure(nodes: pd.DataFrame, edges: pd.DataFrame, induk: str, lang: str = "id",
                   title: str = "", source: str = "", height: int = 640) -> go.Figure:
    """An interactive network of one region.

    Parameters
    ----------
    nodes : ``id, tipe, jenis, nama, kode_desa, lon, lat, nama_desa`` for every node of the region and
        every node tied to it (lon/lat of the home village in WGS84; null for partners).
    edges : ``dari, ke, jenis, tahun`` ties touching the region.
    induk : code of the region shown (``97.01`` or ``97.01.01``); nodes homed outside it are grey.

    Node size grows with the degree in the drawing; colour by node type (partners by their type);
    ties crossing kecamatan lines are drawn red and thick. Hover text is plain text.
    """
    pos = network.layout(nodes, edges)
    kec = {r.id: network.kecamatan_of(r.kode_desa) for r in nodes.itertuples(index=False)}
    fig = go.Figure()
    groups: dict[tuple, list] = defaultdict(list)
    for a, b, jenis in zip(edges["dari"], edges["ke"], edges["jenis"]):
        if a not in pos or b not in pos:
            continue
        ka, kb = kec.get(a), kec.get(b)
        bridge = ka is not None and kb is not None and ka != kb
        groups[("bridge",) if bridge else ("tie", jenis)].append((pos[a], pos[b]))
    for key in sorted(groups, key=lambda k: (k[0] == "bridge", k)):
        xs, ys = [], []
        for (x0, y0), (x1, y1) in groups[key]:
            xs += [x0, x1, None]
            ys += [y0, y1, None]
        colour, width = network.BRIDGE_STYLE if key[0] == "bridge" else network.EDGE_STYLE.get(key[1], ("#999999", 1.0))
        name = t("net_bridge", lang) if key[0] == "bridge" else _hover_text(network.jenis_label(key[1], lang))
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color=colour, width=width),
                                 hoverinfo="skip", name=f"— {name}", legendgroup="edges"))
    deg: dict[str, int] = defaultdict(int)
    for a, b in zip(edges["dari"], edges["ke"]):
        deg[a] += 1
        deg[b] += 1
    prefix = induk + "."
    nd = nodes.copy()
    nd["luar"] = [(isinstance(k, str) and not k.startswith(prefix)) for k in nd["kode_desa"]]
    nd["grup"] = np.where(nd["luar"], "luar", np.where(nd["tipe"] == "mitra", "mitra:" + nd["jenis"], nd["tipe"]))
    order = ["desa", "lembaga", *[f"mitra:{j}" for j in network.MITRA_COLORS], "luar"]
    order += sorted(set(nd["grup"]) - set(order))
    symbols = {"desa": "circle", "lembaga": "square", "luar": "circle-open"}
    for grup in order:
        part = nd[nd["grup"] == grup]
        part = part[part["id"].isin(pos)]
        if part.empty:
            continue
        if grup.startswith("mitra:"):
            j = grup.split(":", 1)[1]
            colour, symbol, name = network.MITRA_COLORS.get(j, "#444444"), "diamond", _hover_text(network.jenis_label(j, lang))
        else:
            colour = network.TIPE_COLORS.get(grup, network.OUTSIDE_COLOR)
            symbol, name = symbols.get(grup, "circle"), t(f"net_node_{grup}", lang)
        d = np.array([deg.get(i, 0) for i in part["id"]])
        hover = [
            f"{nama}<br>{_hover_text(network.jenis_label(j, lang))}"
            + (f" · {nd_}" if isinstance(nd_, str) and tp != "desa" else "")
            + f"<br>{t('net_degree', lang)}: {fmt_num(k, 0, lang)}"
            for nama, j, tp, nd_, k in zip(part["nama"].map(_plain), part["jenis"], part["tipe"],
                                           part["nama_desa"].map(_plain), d)
        ]
        fig.add_trace(go.Scatter(
            x=[pos[i][0] for i in part["id"]], y=[pos[i][1] for i in part["id"]], mode="markers",
            marker=dict(size=7 + 3.2 * np.sqrt(d), color=colour, symbol=symbol,
                        line=dict(color="#222222", width=0.8)),
            text=hover, hovertemplate="%{text}<extra></extra>", name=name, legendgroup="nodes",
        ))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    fig = _layout(fig, title, source, height=height, lang=lang)
    fig.update_layout(legend=dict(font=dict(size=14), itemsizing="constant"), hoverlabel=dict(font_size=15))
    return fig


def _hover_text(s: object) -> str:
    """Text for plotly hover labels: plotly renders a subset of HTML there, so escape markup."""
    return safe.plotly(s) if isinstance(s, str) else ""

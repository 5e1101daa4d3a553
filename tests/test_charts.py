"""Chart builders: data in, plotly Figure out; checked for content, colours, escaping, text size, notes."""

import textwrap

import numpy as np
import pandas as pd
import pytest

from sinergi import catalog, charts, classify, themes


def _fonts_at_least_14(fig):
    assert fig.layout.font.size >= 14
    assert fig.layout.title.font.size >= 14
    for a in fig.layout.annotations:
        assert a.font.size is None or a.font.size >= 14, a.text


def _has_source(fig, text="Sumber: uji"):
    assert any(text in (a.text or "") for a in fig.layout.annotations)


def test_status_bars_still_counts_every_class():
    fig = charts.status_bars(pd.DataFrame({"status": [1, 3], "n": [2, 6]}), "id", source="Sumber: uji")
    assert list(fig.data[0].x) == [2, 0, 6, 0, 0] and fig.data[0].orientation == "h"
    assert fig.data[0].text[2] == "6 (75,0%)" and list(fig.data[0].y)[0] == "Sangat Tertinggal"
    _has_source(fig)
    _fonts_at_least_14(fig)


def test_status_stacked_one_trace_per_status_in_status_colours():
    by_year = pd.DataFrame({"tahun": [2023, 2023, 2024, 2024], "status": [1, 2, 2, 5], "n": [3, 4, 5, 1]})
    fig = charts.status_stacked(by_year, "en", source="Sumber: uji")
    assert [tr.name for tr in fig.data] == list(catalog.IDM_STATUS_EN)
    assert [tr.marker.color for tr in fig.data] == list(classify.STATUS_COLORS)
    assert list(fig.data[0].y) == [3, 0] and list(fig.data[1].y) == [4, 5] and list(fig.data[4].y) == [0, 1]
    assert fig.layout.barmode == "stack"
    assert fig.layout.separators is None  # English keeps plotly's 1,234.5
    _has_source(fig)
    _fonts_at_least_14(fig)


def test_distribution_marks_the_median_and_uses_indonesian_separators():
    ind = catalog.get("iks")
    fig = charts.distribution(pd.Series([0.45, 0.55, 0.65, np.nan]), ind, "id", source="Sumber: uji")
    texts = [a.text for a in fig.layout.annotations]
    assert any(t.startswith("Median 0,5500") for t in texts)
    assert fig.layout.separators == ",."
    lines = [s.x0 for s in fig.layout.shapes]
    assert 0.55 in lines and 0.4907 in lines and 0.5989 in lines and 0.7072 not in lines  # only in-range bounds
    assert "indeks 0–1" in fig.layout.xaxis.title.text
    _fonts_at_least_14(fig)


def test_transition_sankey_links_every_nonempty_cell():
    pairs = pd.DataFrame({"status_a": [1, 1, 2, 3, 5], "status_b": [2, 2, 2, 1, 5]})
    m = themes.transition_matrix(pairs)
    fig = charts.transition_sankey(m, "2023", "2024", "id", source="Sumber: uji")
    link = fig.data[0].link
    assert sorted(zip(link.source, link.target, link.value)) == [(0, 6, 2), (1, 6, 1), (2, 5, 1), (4, 9, 1)]
    assert fig.data[0].node.label[0] == "Sangat Tertinggal 2023" and fig.data[0].node.label[9] == "Mandiri 2024"
    down = [c for s, t_, c in zip(link.source, link.target, link.color) if (t_ - 5) < s]
    assert down == ["rgba(215,25,28,0.45)"]  # Berkembang -> Sangat Tertinggal drawn in the alarming colour
    _has_source(fig)


def test_ranking_bars_escape_names_and_list_each_region_once():
    v = pd.DataFrame({"kode": list("abc"), "nama": ["<b>A</b>", "B", "C"], "nilai": [0.9, 0.5, 0.1]})
    top, bottom = themes.top_bottom(v, 2)
    fig = charts.ranking_bars(top, bottom, catalog.get("iks"), "id", source="Sumber: uji")
    labels = [y for tr in fig.data for y in tr.y]
    assert len(labels) == 3 and len(set(labels)) == 3
    assert "1. &lt;b&gt;A&lt;/b&gt;" in labels
    assert fig.layout.barmode == "relative"


def test_quadrant_scatter_traces_and_median_lines():
    df = pd.DataFrame({"kode": list("abcd"), "nama": list("ABCD"), "x": [10, 20, 30, 40], "y": [0.3, 0.8, 0.2, 0.9]})
    q = themes.quadrants(df)
    fig = charts.quadrant_scatter(q.table, catalog.get("pendidikan_sma_pct"), catalog.get("iks"), q.median_x,
                                  q.median_y, "id", title="SDM × IKS", source="Sumber: uji")
    by_name = {tr.name: list(tr.x) for tr in fig.data}
    assert by_name["SDM rendah, IKS rendah"] == [10]
    assert by_name["SDM tinggi, IKS tinggi"] == [40]
    assert {s.x0 for s in fig.layout.shapes if s.x0 == s.x1} == {25.0}
    assert [s.y0 for s in fig.layout.shapes if s.y0 == s.y1] == [pytest.approx(0.55)]
    assert fig.data[0].marker.color == themes.QUADRANT_COLORS["rendah_rendah"]
    _has_source(fig)
    _fonts_at_least_14(fig)


def test_heatmap_keeps_the_matrix_and_escapes_labels():
    m = pd.DataFrame([[3, 1], [1, 2]], index=["Kemensos", "<i>X</i>"], columns=["Kemensos", "<i>X</i>"])
    fig = charts.heatmap(m, "id", title="Ko", source="Sumber: uji")
    assert np.array_equal(np.array(fig.data[0].z), m.to_numpy())
    assert list(fig.data[0].x) == ["Kemensos", "&lt;i&gt;X&lt;/i&gt;"]
    _has_source(fig)


def test_percentile_dots_flip_when_higher_is_worse():
    prof = pd.DataFrame({"nama": ["Baik", "Buruk"], "arah": [1, -1], "pct_kabupaten": [0.8, 0.8],
                         "pct_provinsi": [0.5, 0.5], "pct_nasional": [0.25, 0.25]})
    fig = charts.percentile_dots(prof, "id", source="Sumber: uji")
    nas = next(tr for tr in fig.data if tr.name == "Nasional")
    assert list(nas.x) == pytest.approx([25.0, 75.0])
    _fonts_at_least_14(fig)


def test_compare_charts_one_series_per_region():
    vals = pd.DataFrame({"kode": ["a", "b", "a", "b"], "indikator": ["iks", "iks", "idm", "idm"],
                         "nilai": [0.5, 0.7, 0.5, 0.6], "pct_nasional": [0.25, 1.0, 0.5, 1.0]})
    frame = themes.percentile_frame(vals, ["a", "b"], {"a": "A <b>", "b": "B"}, "ketahanan_sosial")
    bars = charts.compare_bars(frame, "id", source="Sumber: uji")
    assert [tr.name for tr in bars.data] == ["A &lt;b&gt;", "B"]
    assert list(bars.data[1].x) == [100.0, 100.0]
    radar = charts.compare_radar(frame, "id", source="Sumber: uji")
    assert list(radar.data[0].r) == [25.0, 50.0, 25.0]  # closed polygon
    assert radar.data[0].line.color == charts.COMPARE_COLORS[0]
    _has_source(bars)
    _has_source(radar)


def test_trend_lines_and_hbars():
    tr = pd.DataFrame({"indikator": ["iks", "iks", "idm"], "tahun": [2023, 2024, 2024], "nilai": [0.5, 0.6, 0.55]})
    fig = charts.trend_lines(tr, "en", title="Trend", source="Sumber: uji", y_title="index 0–1")
    assert [t.name for t in fig.data] == ["IKS", "IDM"]  # legend keeps the abbreviation of long names
    assert list(fig.data[0].x) == ["2023", "2024"]
    hb = charts.hbars(["Kemensos", "BRIN"], [50.0, 25.0], "% desa", "id", source="Sumber: uji", decimals=1)
    assert list(hb.data[0].y) == ["BRIN", "Kemensos"] and list(hb.data[0].text) == ["25,0", "50,0"]


def _build_every_figure_again(monkeypatch, layout, *more_tests) -> None:
    """Run this module's figure tests (and ``more_tests``) again with ``charts._layout`` replaced by ``layout``
    (which calls the real one), every builder's remembered figures dropped first so each is built again."""
    monkeypatch.setattr(charts, "_layout", layout)
    for name in dir(charts):
        cache = getattr(getattr(charts, name), "cache", None)
        if isinstance(cache, dict):
            cache.clear()
    tests = [f for n, f in sorted(globals().items()) if n.startswith("test_") and n != "test_the_figure_memory_is_bounded"
             and "every_builder" not in n and "as_dictionaries" not in n and callable(f)]
    for test in [*tests, *more_tests]:
        test() if test.__code__.co_argcount == 0 else test(monkeypatch)


def test_traces_given_as_dictionaries_make_the_figure_plotly_objects_make(monkeypatch):
    """Builders that hand _layout their traces as plain dictionaries (validated once, by its construction) get
    the figure they got when each trace was a plotly object (``go.Scatter``, ``go.Bar``, …) added to a
    ``go.Figure`` (validated twice): every figure the other tests of this module build is compared."""
    import json

    import plotly.graph_objects as go

    built = charts._layout
    kinds = {cls.__name__.lower(): cls for cls in (go.Scatter, go.Bar, go.Sankey)}
    compared = []

    def both(fig, *args, **kwargs):
        got = built(fig, *args, **kwargs)
        if isinstance(fig, dict):
            objects = go.Figure()
            for trace in fig["data"]:
                objects.add_trace(kinds[trace["type"]](**{k: v for k, v in trace.items() if k != "type"}))
            want = built(objects, *args, **kwargs)
            assert json.loads(got.to_json()) == json.loads(want.to_json())
            compared.extend(trace["type"] for trace in fig["data"])
        return got

    _build_every_figure_again(monkeypatch, both)
    tr = pd.DataFrame({"indikator": ["iks", "iks", "idm", "idm"], "tahun": [2023, 2024, 2023, 2024],
                       "nilai": [0.5, 0.6, 0.55, None]})
    charts.trend_lines(tr, "id", title="Tren <b>", source="Sumber: uji", y_title="indeks 0–1")
    prof = pd.DataFrame({"nama": ["Baik", "Buruk <i>"], "arah": [1, -1], "pct_kabupaten": [0.8, 0.8],
                         "pct_provinsi": [0.5, None], "pct_nasional": [0.25, 0.25]})
    charts.percentile_dots(prof, "en", source="Source", columns=("pct_provinsi", "pct_nasional"))
    assert set(compared) == set(kinds) and len(compared) >= 20


def test_long_source_notes_wrap_and_push_the_margin():
    long = "Sumber: " + "data rekaan bukan data resmi " * 6
    fig = charts.hbars(["A"], [1.0], "x", "id", source=long)
    note = next(a for a in fig.layout.annotations if a.text.startswith("Sumber"))
    assert note.text.count("<br>") >= 3
    assert all(len(line) <= 46 for line in note.text.split("<br>"))
    assert fig.layout.margin.b >= 58 + 32 + 18 * 3


def test_builders_remember_a_figure_by_the_content_of_their_arguments():
    ind = catalog.get("iks")
    a = pd.Series([0.41, 0.55, 0.62, 0.71, 0.83], name="nilai")
    first = charts.distribution(a, ind, "id", title="Sebaran", source="Sumber: uji")
    # equal data in a new object finds the same (shared) figure: no rebuild on a Streamlit rerun
    assert charts.distribution(a.copy(), ind, "id", title="Sebaran", source="Sumber: uji") is first
    # any change of content, labels or language builds another
    b = a.copy()
    b.iloc[2] = 0.63
    assert charts.distribution(b, ind, "id", title="Sebaran", source="Sumber: uji") is not first
    assert charts.distribution(a, ind, "en", title="Sebaran", source="Sumber: uji") is not first
    assert charts.distribution(a, ind, "id", title="Sebaran 2024", source="Sumber: uji") is not first
    assert charts.distribution(a, catalog.get("idm"), "id", title="Sebaran", source="Sumber: uji") is not first
    counts = pd.DataFrame({"status": [1, 3], "n": [2, 6]})
    fig = charts.status_bars(counts, "id")
    assert list(charts.status_bars(counts.astype({"n": "float64"}), "id").data[0].x) == [2, 0, 6, 0, 0]
    assert charts.status_bars(counts.copy(), "id") is fig
    assert list(charts.status_bars(pd.DataFrame({"status": [1, 3], "n": [2, 7]}), "id").data[0].x) == [2, 0, 7, 0, 0]


def test_the_figure_memory_is_bounded(monkeypatch):
    monkeypatch.setattr(charts, "MEMO_ENTRIES", 3)
    for n in range(6):
        charts.hbars(["a", "b"], [1.0, float(n)], "x", "id", title=f"t{n}")
    assert len(charts.hbars.cache) == 3


# --- the shared look built in one construction gives the figure plotly's update calls give -------------

def _layout_by_updates(fig, title, source, height=380, lang=None, note_offset=58, legend_rows=0, xaxis=None,
                       yaxis=None, narrow=False, note_left=0, **props):
    """The builder's settings and the shared look applied with plotly's own update calls one after the other
    (how the builders and ``charts._layout`` did before the figure was built in one construction): the
    oracle for the test below."""
    if props:
        fig.update_layout(**props)
    if xaxis:
        fig.update_xaxes(**xaxis)
    if yaxis:
        fig.update_yaxes(**yaxis)
    head = charts._wrap(title, charts.NARROW_CHARS if narrow else 44)
    multi = 14 if "<br>" in head else 0
    extra_title = 24 * head.count("<br>") + multi
    note = charts._wrap(source, charts.NARROW_CHARS if narrow else 46) if source else ""
    extra_note = 18 * note.count("<br>")
    x_title = fig.layout.xaxis.title.text
    if narrow and x_title and len(x_title) > charts.NARROW_CHARS:
        x_title = "<br>".join(textwrap.wrap(x_title, charts.NARROW_CHARS))
        fig.update_xaxes(title_text=x_title)
        note_offset += 18 * x_title.count("<br>")
    fig.update_layout(
        title=dict(text=head, font=dict(size=19), y=1, yref="container", yanchor="top", pad=dict(t=12 + multi)),
        font=charts.FONT, height=height + extra_title + extra_note,
        margin=dict(l=10, r=10, t=60 + extra_title, b=90 if source else 60), plot_bgcolor="white",
        paper_bgcolor="white", hoverlabel=dict(font_size=15), uniformtext=dict(minsize=14, mode="show"),
        legend=dict(font=dict(size=14)))
    fig.update_xaxes(tickfont=dict(size=14), title_font=dict(size=15))
    fig.update_yaxes(tickfont=dict(size=14), title_font=dict(size=15))
    if lang == "id":
        fig.update_layout(separators=",.")
    if source:
        fig.update_layout(margin=dict(b=note_offset + 32 + extra_note))
        fig.add_annotation(text=note, xref="paper", yref="paper", x=0, y=0, yanchor="top", align="left",
                           yshift=-note_offset, xshift=-note_left, showarrow=False, xanchor="left",
                           font=dict(size=14, color="#444"))
    if legend_rows:
        legend = dict(font=dict(size=14), orientation="h", y=1.01, x=0, yanchor="bottom")
        if legend_rows > 1:
            legend.update(entrywidth=0.5, entrywidthmode="fraction")
        fig.update_layout(legend=legend, margin=dict(t=fig.layout.margin.t + 26 * legend_rows + 6))
    return fig


def test_every_builder_s_figure_equals_the_one_plotly_update_calls_give(monkeypatch):
    import json

    import plotly.graph_objects as go

    import test_network

    built = charts._layout
    compared = []

    def both(fig, *args, **kwargs):
        want = _layout_by_updates(go.Figure(fig), *args, **kwargs)
        got = built(fig, *args, **kwargs)
        assert json.loads(got.to_json()) == json.loads(want.to_json())
        compared.append(args[0])
        return got

    _build_every_figure_again(monkeypatch, both,
                              test_network.test_network_figure_colours_types_marks_bridges_and_escapes_names)
    assert len(compared) >= 15  # every builder, several languages and sizes


def test_a_shared_figure_makes_its_dictionary_once_and_copies_are_ordinary(monkeypatch):
    import plotly.graph_objects as go
    import plotly.io

    charts.hbars.cache.clear()
    fig = charts.hbars(["Kemensos", "BRIN"], [50.0, 25.0], "% desa", "id", title="Dijangkau", source="Sumber: uji")
    made = []
    real = go.Figure.to_dict
    monkeypatch.setattr(go.Figure, "to_dict", lambda self: made.append(1) or real(self))
    first = fig.to_dict()
    assert fig.to_dict() is first and len(made) == 1  # what st.plotly_chart serialises on every rerun
    assert plotly.io.to_json(first, validate=False) == plotly.io.to_json(real(fig), validate=False)
    copy = go.Figure(fig)
    assert copy.to_dict() is not copy.to_dict()  # a copy (exports change theirs) is an ordinary figure

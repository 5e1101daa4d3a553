"""Exports for slides and reports: map PNG, chart PNG/SVG, table CSV/XLSX, regions as GeoJSON, slide packs.

Everything is rendered on the server and offline:

- maps are drawn with matplotlib (Agg) from the same data the page maps (``explore.MapView``: display
  geometries, class index per region, the legend's colours and labels), with title, legend, source and
  date; nothing is fetched (no tiles, no fonts from outside: matplotlib's bundled DejaVu Sans);
- charts are the page's own plotly figures exported by kaleido driving Debian's Chromium
  (``/usr/bin/chromium``, or ``SINERGI_CHROMIUM``) with plotly.js from the installed plotly package and
  MathJax off, so no request leaves the machine; kaleido never downloads a browser here;
- tables as CSV (UTF-8 with BOM, numbers stay numeric) and XLSX (openpyxl);
- regions with their values as GeoJSON (RFC 7946, WGS84 lon/lat, the simplified display geometry);
- a slide pack: one PDF page (16:9) per agenda view, via matplotlib's ``PdfPages``.

Functions take data and return bytes; no Streamlit calls, so each is tested by reading its output back.
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import shapely

from sinergi import classify
from sinergi.classify import Legend
from sinergi.i18n import fmt_num, t

# matplotlib's object API only (Figure + the Agg/PDF canvases), never pyplot: pyplot keeps global state,
# and exports run in Streamlit's download threads, several at once. Imported where a picture is drawn, not
# with this module: every page's export menu imports it, and matplotlib costs ~0.8 s of CPU to import, on
# the first page after a server starts, for files most visits never ask for.
if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch
    from matplotlib.path import Path as MplPath

CHROMIUM = "/usr/bin/chromium"
SLIDE_SIZE = (12.8, 7.2)  # inches: a 16:9 slide; 2560×1440 px at 200 dpi
SEA_COLOR = "#dfeaf2"  # the interactive map's sea colour (sinergi.maps.SEA_COLOR)
TEXT = "#111111"
FONT_PT = 13  # at 200 dpi this is 36 px: legible on a projected slide


class ExportError(RuntimeError):
    """An export that cannot be made here; the message is in Indonesian for the user."""


@dataclass
class MapPicture:
    """What a map picture shows. ``table`` has ``kode``, ``nama``, ``c`` (class index, -1 = no data);
    ``geo`` has ``kode`` and ``geojson`` (display geometry as GeoJSON text, WGS84 lon/lat). ``grid``: the
    geometry is the grid view's squares (``sinergi.gridmap``), drawn without the sea and said so beside the
    legend, as the page does under its map."""

    table: pd.DataFrame
    geo: pd.DataFrame
    legend: Legend
    title: str
    legend_title: str
    source: str
    subtitle: str = ""
    grid: bool = False


def today() -> str:
    """The export date (ISO 8601, unambiguous in both languages)."""
    return _dt.date.today().isoformat()


# --------------------------------------------------------------------------------------------------
# Map picture (matplotlib)
# --------------------------------------------------------------------------------------------------

def _ring_path(coords: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from matplotlib.path import Path as MplPath

    codes = np.full(len(coords), MplPath.LINETO, dtype=np.uint8)
    codes[0] = MplPath.MOVETO
    codes[-1] = MplPath.CLOSEPOLY
    return coords, codes


def polygon_paths(geoms) -> list[MplPath | None]:
    """One compound matplotlib path per geometry (polygons with holes, multipolygons); None when empty.

    Holes are separate sub-paths wound opposite to their exterior (shapely ``orient``), so matplotlib's
    nonzero fill rule leaves them empty.
    """
    from matplotlib.path import Path as MplPath

    out: list[MplPath | None] = []
    for g in geoms:
        if g is None or shapely.is_empty(g):
            out.append(None)
            continue
        verts, codes = [], []
        for poly in getattr(g, "geoms", [g]):
            if poly.geom_type != "Polygon":
                continue
            poly = shapely.geometry.polygon.orient(poly, 1.0)  # exterior CCW, holes CW
            for ring in (poly.exterior, *poly.interiors):
                v, c = _ring_path(np.asarray(ring.coords)[:, :2])
                verts.append(v)
                codes.append(c)
        out.append(MplPath(np.concatenate(verts), np.concatenate(codes)) if verts else None)
    return out


def _draw_map(ax, pic: MapPicture) -> None:
    from matplotlib.collections import PathCollection

    geoms = shapely.from_geojson(pic.geo["geojson"].fillna('{"type":"GeometryCollection","geometries":[]}'))
    cls = pd.Series(pic.table["c"].to_numpy(), index=pic.table["kode"]).reindex(pic.geo["kode"]).fillna(-1)
    paths, faces, hatch = [], [], []
    for path, c in zip(polygon_paths(geoms), cls.astype(int)):
        if path is None:
            continue
        paths.append(path)
        faces.append(pic.legend.colors[c] if 0 <= c < pic.legend.k else pic.legend.no_data_color)
        hatch.append(c < 0)
    ax.set_facecolor("white" if pic.grid else SEA_COLOR)  # squares are not land: no sea around them
    if paths:
        ax.add_collection(PathCollection(paths, facecolors=faces, edgecolors="#4a4a4a", linewidths=0.4))
        nd = [p for p, h in zip(paths, hatch) if h]
        if nd:  # "no data" is hatched grey, never mistaken for the lowest class
            ax.add_collection(PathCollection(nd, facecolors="none", edgecolors="#666666", linewidths=0,
                                             hatch="///"))
        minx, miny, maxx, maxy = shapely.total_bounds(geoms)
        padx, pady = (maxx - minx) * 0.03 or 0.1, (maxy - miny) * 0.03 or 0.1
        ax.set_xlim(minx - padx, maxx + padx)
        ax.set_ylim(miny - pady, maxy + pady)
        # lon/lat degrees: stretch y so shapes look as on the web map near this latitude
        ax.set_aspect(1.0 / max(math.cos(math.radians((miny + maxy) / 2)), 0.2))
    ax.set_xticks([])
    ax.set_yticks([])
    for s in ax.spines.values():
        s.set_edgecolor("#888888")


def _legend_handles(legend: Legend, lang: str) -> tuple[list[Patch], list[str]]:
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=c, edgecolor="#555555") for c in legend.colors]
    labels = [f"{lab}  ({fmt_num(n, 0, lang)})" for lab, n in zip(legend.labels, legend.counts)]
    handles.append(Patch(facecolor=legend.no_data_color, edgecolor="#666666", hatch="///"))
    labels.append(f"{t('no_data', lang)}  ({fmt_num(legend.n_missing, 0, lang)})")
    return handles, labels


MIN_FONT_PT = 9  # the smallest text a fitted export shrinks to: 25 px at 200 dpi, still legible on a slide
MARGIN = 0.02  # of the figure's width and height, kept clear on every side
GAP = 0.015  # between stacked blocks, of the figure's height


def _renderer(fig: Figure):
    """The Agg renderer of ``fig`` (attaching a canvas), to measure text as it will be drawn."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    return canvas.get_renderer()


def _box(artist, fig: Figure, renderer):
    """``artist``'s extent in figure fractions (x0, y0, x1, y1)."""
    bb = artist.get_window_extent(renderer).transformed(fig.transFigure.inverted())
    return bb.x0, bb.y0, bb.x1, bb.y1


def _fit(text, fig: Figure, renderer, width: float, max_lines: int, min_pt: float = MIN_FONT_PT) -> None:
    """Wrap ``text`` (a matplotlib Text) at word boundaries so it is at most ``width`` (figure fraction)
    wide, in at most ``max_lines`` lines; the font shrinks (not below ``min_pt``) when it cannot. Words
    longer than a line (links) are broken, so the text always ends inside the width."""
    import textwrap

    paragraphs = [" ".join(p.split()) for p in text.get_text().split("\n")]
    if not any(paragraphs):
        return
    size = text.get_fontsize()
    while True:
        text.set_fontsize(size)
        chars = max(len(p) for p in paragraphs)
        while True:
            lines = [line for p in paragraphs for line in (textwrap.wrap(p, max(chars, 1)) or [""])]
            text.set_text("\n".join(lines))
            x0, _, x1, _ = _box(text, fig, renderer)
            if x1 - x0 <= width or chars <= 1:
                break
            chars = max(1, min(chars - 1, int(chars * width / (x1 - x0))))
        if len(lines) <= max_lines or size <= min_pt:
            return
        size = max(min_pt, size - 1)


def _legend(fig: Figure, handles, labels, title: str, x: float, top: float, size: float):
    leg = fig.legend(handles, labels, loc="upper left", bbox_to_anchor=(x, top), frameon=False, title=title,
                     title_fontsize=size + 1, fontsize=size, alignment="left", handlelength=1.6,
                     handleheight=1.2, labelspacing=0.6, borderaxespad=0, borderpad=0)
    leg.get_title().set_fontweight("bold")
    return leg


def _fitted_legend(fig: Figure, renderer, handles, labels: list[str], title: str, x: float, top: float,
                   bottom: float):
    """The legend placed at ``x``, ``top``, fitted between ``x`` and the right margin and above ``bottom``:
    labels and title wrapped to the width, then the font made smaller until it fits (the class text is
    never cut at the picture's edge)."""
    import textwrap

    width = 1 - MARGIN - x
    size = FONT_PT
    while True:
        chars = max(len(lab) for lab in [*labels, title])
        while True:
            wrapped = ["\n".join(textwrap.wrap(lab, chars)) or lab for lab in labels]
            leg = _legend(fig, handles, wrapped, "\n".join(textwrap.wrap(title, chars)), x, top, size)
            x0, y0, x1, _ = _box(leg, fig, renderer)
            if x1 <= 1 - MARGIN or chars <= 8:
                break
            leg.remove()
            chars = max(8, min(chars - 1, int(chars * width / (x1 - x0))))
        if (x1 <= 1 - MARGIN and y0 >= bottom) or size <= MIN_FONT_PT:
            return leg
        leg.remove()
        size -= 1


def map_figure(pic: MapPicture, lang: str = "id", note: str = "", date: str | None = None,
               size: tuple[float, float] = SLIDE_SIZE) -> Figure:
    """A 16:9 figure: title (and subtitle), the map, the legend with counts, the note, source and date.

    Every text is measured as it will be drawn and wrapped (or made smaller, not below
    :data:`MIN_FONT_PT`) to stay inside the picture, whatever the length of the title, the class labels or
    the source; the map takes the space the texts leave.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, facecolor="white")
    r = _renderer(fig)
    full = 1 - 2 * MARGIN
    title = fig.text(MARGIN, 1 - MARGIN, pic.title, fontsize=FONT_PT + 9, fontweight="bold", color=TEXT,
                     va="top")
    _fit(title, fig, r, full, 2, min_pt=FONT_PT + 2)
    top = _box(title, fig, r)[1] - GAP
    if pic.subtitle:
        sub = fig.text(MARGIN, top, pic.subtitle, fontsize=FONT_PT + 2, color="#333333", va="top")
        _fit(sub, fig, r, full, 2)
        top = _box(sub, fig, r)[1] - GAP
    foot = fig.text(MARGIN, MARGIN, f"{pic.source} · {t('exported_on', lang)} {date or today()}",
                    fontsize=FONT_PT - 2, color="#333333", va="bottom")
    _fit(foot, fig, r, full, 3)
    bottom = _box(foot, fig, r)[3] + GAP
    ax = fig.add_axes((MARGIN, bottom, 0.64, max(top - bottom, 0.1)))
    _draw_map(ax, pic)
    handles, labels = _legend_handles(pic.legend, lang)
    leg = _fitted_legend(fig, r, handles, labels, pic.legend_title, 0.68, top, bottom)
    if pic.grid:  # what the squares are, first under the legend (a slide's own note follows)
        note = t("pt_grid_note", lang) + (f"\n\n{note}" if note else "")
    if note:
        below = _box(leg, fig, r)[1] - 2 * GAP
        txt = fig.text(0.68, below, note, fontsize=FONT_PT, color=TEXT, va="top")
        _fit_down(txt, fig, r, 1 - MARGIN - 0.68, bottom)
    return fig


def _fit_down(text, fig: Figure, renderer, width: float, floor: float) -> None:
    """Wrap ``text`` (top-anchored) to ``width``, then make it smaller until its bottom stays above ``floor``
    (not below :data:`MIN_FONT_PT`); a text too long even then keeps the lines that fit and ends in "…" (none fit: it is not drawn)."""
    original = text.get_text()
    while True:
        text.set_text(original)
        _fit(text, fig, renderer, width, 10**6, min_pt=text.get_fontsize())
        if _box(text, fig, renderer)[1] >= floor:
            return
        if text.get_fontsize() <= MIN_FONT_PT:
            break
        text.set_fontsize(text.get_fontsize() - 1)
    lines = text.get_text().split("\n")  # still too long at the smallest size: the lines that fit, then "…"
    while len(lines) > 1 and _box(text, fig, renderer)[1] < floor:
        lines.pop()
        text.set_text("\n".join(lines[:-1] + [lines[-1].rstrip()[:-1] + "…"]))
    if _box(text, fig, renderer)[1] < floor:  # not even one line has room (a legend down to the footer)
        text.set_visible(False)


def texts_outside(fig: Figure) -> list[str]:
    """The texts of ``fig`` (figure texts, legend titles and labels) drawn past its edges, as drawn."""
    r = _renderer(fig)
    fig.draw_without_rendering()
    out = []
    texts = list(fig.texts)
    for leg in fig.legends:
        texts += [leg.get_title(), *leg.get_texts()]
    for ax in fig.axes:
        texts += list(ax.texts)
    for txt in texts:
        if not txt.get_text() or not txt.get_visible():
            continue
        x0, y0, x1, y1 = _box(txt, fig, r)
        if x0 < -1e-6 or y0 < -1e-6 or x1 > 1 + 1e-6 or y1 > 1 + 1e-6:
            out.append(txt.get_text())
    return out


def _png(fig: Figure, dpi: int) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    return buf.getvalue()


def map_png(pic: MapPicture, lang: str = "id", dpi: int = 200, note: str = "", date: str | None = None) -> bytes:
    """The map as a PNG (16:9; 2560×1440 px at the default 200 dpi)."""
    return _png(map_figure(pic, lang, note, date), dpi)


# --------------------------------------------------------------------------------------------------
# Charts (plotly figure -> PNG/SVG through kaleido and the local Chromium)
# --------------------------------------------------------------------------------------------------

def chromium_path() -> str | None:
    path = os.environ.get("SINERGI_CHROMIUM", CHROMIUM)
    return path if os.path.exists(path) else None


def chart_export_available() -> bool:
    return chromium_path() is not None


def figure_image(fig, fmt: str = "png", width: int = 1000, height: int | None = None, scale: float = 2.0) -> bytes:
    """The plotly figure as PNG or SVG bytes, as the page draws it (its own fonts, colours, notes).

    ``width``/``height`` in CSS pixels (height defaults to the figure's own); ``scale`` multiplies the
    PNG's pixels (2 → 2000 px wide). Raises :class:`ExportError` without a local Chromium.
    """
    if fmt not in ("png", "svg"):
        raise ExportError(f"Format grafik tidak didukung: {fmt!r} (png atau svg).")
    path = chromium_path()
    if path is None:
        raise ExportError("Ekspor grafik memerlukan Chromium di server (apt-get install chromium).")
    import kaleido

    import plotly.graph_objects as go

    # a copy (the page's figure may be cached): axis labels make room for themselves, as in the app,
    # where Streamlit's theme turns this on; without it long tick labels are cut at the left edge
    fig = go.Figure(fig)
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    h = height or fig.layout.height or 450
    opts = {"format": fmt, "width": width, "height": int(h), "scale": scale if fmt == "png" else 1}
    try:
        # mathjax=False: kaleido would otherwise load MathJax from a CDN; plotly.js comes from the
        # installed plotly package (kaleido's default), so the render is offline.
        return kaleido.calc_fig_sync(fig, opts=opts, kopts={"path": path, "mathjax": False})
    except Exception as e:  # kaleido/choreographer raise many kinds; the user needs one clear message
        raise ExportError(f"Grafik tidak dapat diekspor: {e.__class__.__name__}.") from e


# --------------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------------

def table_csv(frame: pd.DataFrame) -> bytes:
    """CSV, UTF-8 with BOM (spreadsheet programs then read the accents right); numbers stay numbers.

    Text that a spreadsheet would run as a formula (``=HYPERLINK(…)``, ``+``, ``-``, ``@``, a leading tab
    or carriage return) gets an apostrophe in front, as in :func:`table_xlsx`: names come from data."""
    out = frame.copy()
    for j in range(out.shape[1]):
        col = out.iloc[:, j]
        if col.dtype == object or pd.api.types.is_string_dtype(col):
            out.isetitem(j, col.map(_csv_text))
    return out.to_csv(index=False).encode("utf-8-sig")


def _csv_text(v):
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(v):
        return "'" + v
    return v


def table_xlsx(frame: pd.DataFrame, sheet: str = "Data", title: str = "", source: str = "") -> bytes:
    """An XLSX workbook: optional title and source rows above a bold, frozen header; numbers stay numeric
    (so they sort and sum in the spreadsheet); column widths fitted to the text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = _sheet_name(sheet)
    row = 1
    if title:
        ws.cell(row=row, column=1, value=_cell(title)).font = Font(bold=True, size=13)
        row += 1
    if source:
        ws.cell(row=row, column=1, value=_cell(source)).font = Font(italic=True)
        row += 1
    if title or source:
        row += 1
    header_row = row
    for j, col in enumerate(frame.columns, start=1):
        ws.cell(row=header_row, column=j, value=_cell(str(col))).font = Font(bold=True)
    for i, rec in enumerate(frame.itertuples(index=False), start=header_row + 1):
        for j, v in enumerate(rec, start=1):
            ws.cell(row=i, column=j, value=_cell(v))
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    for j, col in enumerate(frame.columns, start=1):
        longest = max([len(str(col))] + [len(str(v)) for v in frame.iloc[:200, j - 1].tolist()])
        ws.column_dimensions[get_column_letter(j)].width = min(max(10, longest + 2), 60)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _sheet_name(name: str) -> str:
    bad = set('[]:*?/\\')
    return "".join(ch for ch in name if ch not in bad)[:31] or "Data"


def _cell(v):
    """A value openpyxl stores as itself: numbers as numbers, missing as empty, text as text.

    Text starting with ``=`` (or ``+ - @``) is prefixed with an apostrophe so a region name from data
    can never become a formula in the presenter's spreadsheet.
    """
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return None
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return None if np.isnan(v) else float(v)
    if isinstance(v, (np.bool_,)):
        return bool(v)
    if isinstance(v, str):
        return "'" + v if v[:1] in ("=", "+", "-", "@") and not _is_number(v) else v
    if isinstance(v, (int, float, bool)):
        return v
    return str(v)


def _is_number(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True


# --------------------------------------------------------------------------------------------------
# GeoJSON
# --------------------------------------------------------------------------------------------------

def regions_geojson(table: pd.DataFrame, geo: pd.DataFrame, indikator: str, tahun: int,
                    satuan: str = "") -> bytes:
    """Regions with their values as a GeoJSON FeatureCollection (RFC 7946: WGS84 lon/lat).

    ``table`` has ``kode, nama, nilai`` and optionally ``kelas``; ``geo`` has ``kode`` and ``geojson``
    (the display geometry, simplified per level). Properties: ``kode`` (dotted Kemendagri code),
    ``nama``, ``indikator``, ``tahun``, ``nilai`` (a number, null = no data), ``satuan``, ``kelas``.
    """
    props = table.set_index("kode")
    feats = []
    for kode, g in zip(geo["kode"], geo["geojson"]):
        if kode not in props.index or not isinstance(g, str):
            continue
        row = props.loc[kode]
        v = row.get("nilai")
        feats.append({
            "type": "Feature",
            "properties": {
                "kode": kode, "nama": str(row.get("nama", "")), "indikator": indikator, "tahun": int(tahun),
                "nilai": None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v),
                "satuan": satuan, "kelas": None if "kelas" not in row else str(row["kelas"]),
            },
            "geometry": json.loads(g),
        })
    return json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False).encode("utf-8")


# --------------------------------------------------------------------------------------------------
# Slide pack
# --------------------------------------------------------------------------------------------------

@dataclass
class Slide:
    """One agenda view as a slide: a map picture when the view shows a map, else title and note only."""

    title: str
    note: str
    link: str
    picture: MapPicture | None = None


def text_figure(slide: Slide, lang: str, source: str, size: tuple[float, float] = SLIDE_SIZE) -> Figure:
    """A slide of text: title, note, the view's link, source and date, each fitted inside the page."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, facecolor="white")
    r = _renderer(fig)
    width = 0.90
    foot = fig.text(0.05, 0.05, f"{source} · {t('exported_on', lang)} {today()}", fontsize=FONT_PT - 2,
                    color="#333333", va="bottom")
    _fit(foot, fig, r, width, 3)
    link = fig.text(0.05, _box(foot, fig, r)[3] + 2 * GAP, f"{t('open_view', lang)}: {slide.link}",
                    fontsize=FONT_PT, color="#1f5f8b", va="bottom")
    _fit(link, fig, r, width, 4)
    floor = _box(link, fig, r)[3] + 2 * GAP
    title = fig.text(0.05, 0.85, slide.title, fontsize=FONT_PT + 13, fontweight="bold", color=TEXT, va="top")
    _fit(title, fig, r, width, 3, min_pt=FONT_PT + 4)
    if slide.note:
        note = fig.text(0.05, min(0.62, _box(title, fig, r)[1] - 3 * GAP), slide.note, fontsize=FONT_PT + 5,
                        color=TEXT, va="top")
        _fit_down(note, fig, r, width, floor)
    return fig


def slide_pack_pdf(slides: list[Slide], lang: str = "id", source: str = "", agenda_name: str = "") -> bytes:
    """A PDF with a cover page and one 16:9 page per slide (maps as vector graphics)."""
    from matplotlib.backends.backend_pdf import PdfPages

    buf = io.BytesIO()
    with PdfPages(buf, metadata={"Title": agenda_name or "Sinergi Desa", "Creator": "Sinergi Desa"}) as pdf:
        cover = Slide(agenda_name or "Agenda", f"{len(slides)} {t('ag_views', lang)}", "")
        fig = text_figure(cover, lang, source)
        pdf.savefig(fig)
        for s in slides:
            fig = (map_figure(s.picture, lang, note=_join(s.note, s.link, lang)) if s.picture
                   else text_figure(s, lang, source))
            pdf.savefig(fig)
    return buf.getvalue()


def _join(note: str, link: str, lang: str) -> str:
    return f"{note}\n\n{t('open_view', lang)}: {link}" if note else f"{t('open_view', lang)}: {link}"


@dataclass
class MapSpec:
    """The map a view shows: indicator id, year, level (1–4), parent region ('' = all), class method,
    number of classes and palette (as ``explore.choropleth_view`` takes them); ``grid``: drawn as Peta's grid
    view (``tampilan=kisi``), one equal square per region."""

    indikator: str
    tahun: int
    level: int
    induk: str
    metode: str
    k: int = 5
    palet: str = "RdYlBu"
    grid: bool = False


MAP_PAGES = {"beranda", "peta", "ketahanan", "sdm", "jaringan", "sinergi"}
_DEFAULT_IND = {"beranda": "iks", "ketahanan": "iks", "jaringan": "lembaga_per_1000", "sinergi": "jumlah_program",
                "peta": "iks", "sdm": "pendidikan_sma_pct"}


def view_map_spec(page: str, params: Mapping[str, str], available: set[str],
                  years_of: Callable[[str], list[int]], home: tuple[str, int] = ("", 1)) -> MapSpec | None:
    """The map a saved view shows, resolved with the same defaults as the page (None: no map).

    ``available`` is the set of indicator ids with data; ``years_of(ind)`` the years with values; ``home``
    the dataset's first view (``explore.home_view``: parent, level). Mirrors the pages' rules: Beranda maps
    its first view; a page whose view names no region opens on the first view's region (theme pages: at its
    level when they offer it, else one level below; ``wil=semua`` is the whole dataset); IDM-family indices
    use the official status classes, others quantiles.
    """
    from sinergi import catalog, regions

    if page not in MAP_PAGES:
        return None
    ind = params.get("ind") or _DEFAULT_IND.get(page, "iks")
    if ind not in available or not catalog.exists(ind):
        ind = _DEFAULT_IND.get(page, "iks")
        if ind not in available:
            return None
    years = years_of(ind)
    if not years:
        return None
    tahun = int(params["tahun"]) if str(params.get("tahun", "")).isdigit() and int(params["tahun"]) in years \
        else max(years)
    key = "wilayah" if page == "peta" else "wil"
    bare = params.get(key) is None and (page != "peta" or all(params.get(k) is None for k in ("tingkat", "pilih")))
    wil = home[0] if bare else regions.try_normalize(params.get(key) or "") or ""
    wil_level = wil.count(".") + 1 if wil else 0
    if page == "beranda":
        wil, level = home
    else:
        if page == "sdm":
            default = 4 if wil_level >= 2 else wil_level + 2
        elif page == "peta":
            default = min(wil_level + 1, 4)
        else:
            default = max(2, wil_level + 1) if wil_level < 4 else 4
        if wil and wil == home[0] and wil_level < home[1] and (page != "sdm" or home[1] >= 2):
            default = home[1]  # the level the page opens on there (``ui.first_level``, Peta's home)
        raw = str(params.get("tingkat", ""))
        level = int(raw) if raw.isdigit() and wil_level < int(raw) <= 4 else default
    meta = catalog.get(ind)
    official = meta.kelas_tetap
    metode = params.get("kelas") if page == "peta" else None
    if metode not in classify.METODE or (metode == "status" and not official):
        metode = "status" if official else "kuantil"
    k = int(params["k"]) if page == "peta" and str(params.get("k", "")).isdigit() else 5
    k = k if classify.K_MIN <= k <= classify.K_MAX else 5
    palet = params.get("palet") if page == "peta" and params.get("palet") in classify.PALET else classify.DEFAULT_PALET
    grid = page == "peta" and params.get("tampilan") == "kisi"
    return MapSpec(ind, tahun, level, wil, metode, k, palet, grid)

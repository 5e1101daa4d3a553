"""folium map builders: data in, ``folium.Map`` out (no Streamlit calls).

- Leaflet, Leaflet.VectorGrid and the choropleth code (``static/sinergi/choropleth.js``) are served by the
  app itself (``static/``), never from a CDN, so maps work offline.
- A map's script names URLs, not data: the regions (a GeoJSON FeatureCollection published with
  ``sinergi.mapdata``, or the dataset's vector tiles, see :class:`Regions`) and the colours (a class index
  per region, values, ranks: :func:`colour_spec`) are fetched over HTTP and cached by the browser. The
  script that crosses Streamlit's websocket on every rerun stays a few kilobytes, whatever the map.
- Polygons are coloured in the browser from a class index per region and one colour list; the canvas
  renderer draws thousands of polygons quickly. New colours for the same regions (another indicator, year
  or classification) replace only the colours (``SD.setData``), e.g. from a streamlit-folium feature group.
- Tooltips are built with ``textContent``: no value ever reaches the page as HTML.
- Scripts that carry text (labels) are added to the page as plain text, not as Jinja templates (branca
  would evaluate ``{{ … }}`` found in a region name).
- The selected region is outlined by ``window.sdSelect(kode)`` in the map frame, so a new selection
  does not rebuild the map (see :class:`SelectionScript`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import folium
import numpy as np
import pandas as pd
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from sinergi import mapdata
from sinergi.classify import Legend
from sinergi.i18n import fmt_num

STATIC_URL = "/app/static/vendor/leaflet-1.9.3"
LEAFLET_JS = [("leaflet", f"{STATIC_URL}/leaflet.js")]
LEAFLET_CSS = [("leaflet_css", f"{STATIC_URL}/leaflet.css")]
CHOROPLETH_JS = [("sinergi_choropleth", "/app/static/sinergi/choropleth.js")]
VECTORGRID_JS = [("leaflet_vectorgrid", "/app/static/vendor/leaflet.vectorgrid-1.3.0/Leaflet.VectorGrid.min.js")]
SEA_COLOR = "#dfeaf2"
DEFAULT_TILE_ATTR = "Peta dasar"


class OfflineMap(folium.Map):
    """A folium map that loads only Leaflet and the choropleth code, from the app's own static files."""

    default_js = LEAFLET_JS + CHOROPLETH_JS
    default_css = LEAFLET_CSS


class _RawText(Element):
    """Text placed in the page as is (branca's ``Element`` would compile it as a Jinja template)."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class _DataScript(MacroElement):
    """A macro element whose rendered script is added to the page as plain text.

    ``MacroElement.render`` wraps the rendered script in ``Element(...)``, i.e. compiles megabytes of
    GeoJSON as a Jinja template on every render, and a ``{{ … }}`` inside a region name would be
    evaluated. streamlit-folium builds its script from ``_template.module.script`` directly, so both
    paths now emit the same text without compiling data.
    """

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        figure.script.add_child(_RawText(self._template.module.script(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class Regions:
    """Where a map's regions come from, in the order the colour arrays follow.

    ``kind`` is ``"geojson"`` (``geometry``: the published FeatureCollection, features carrying
    ``{kode, nama}``) or ``"tiles"`` (the dataset's vector tiles: ``tiles`` URL template, ``codes`` and
    ``names`` URLs of the codes and names by feature id, stored zooms ``zmin``..``zmax``, ``extent``
    ``[[south, west], [north, east]]`` of the whole tile set: no tile is asked for outside it). ``order`` is
    the regions' codes in that order; ``bounds`` ``[[south, west], [north, east]]`` of the view. Holding the
    object keeps a published payload servable.
    """

    def __init__(self, kind: str, order: pd.Index, bounds: list[list[float]] | None, *,
                 geometry: mapdata.Published | None = None, tiles: str = "", codes: str = "", names: str = "",
                 zmin: int = 0, zmax: int = 0, extent: list[list[float]] | None = None):
        self.kind, self.order, self.bounds = kind, pd.Index(order), bounds
        self.geometry, self.tiles, self.codes, self.names = geometry, tiles, codes, names
        self.zmin, self.zmax, self.extent = zmin, zmax, extent

    def options(self) -> dict:
        """The layer's options for ``SD.choropleth`` (URLs only)."""
        if self.kind == "tiles":
            return {"kind": "tiles", "tiles": self.tiles, "codes": self.codes, "names": self.names,
                    "zmin": self.zmin, "zmax": self.zmax, **({"extent": self.extent} if self.extent else {})}
        return {"kind": "geojson", "geometry": self.geometry.url if self.geometry else ""}


def geojson_regions(geo: pd.DataFrame) -> Regions:
    """Regions from display geometries (``kode, geojson, minx…maxy`` and ``nama`` when present), published
    as one FeatureCollection whose features carry ``{kode, nama}`` only (shared by every colouring)."""
    names = geo["nama"] if "nama" in geo else geo["kode"]
    text = feature_collection(geo[["kode", "geojson"]], pd.DataFrame({"kode": geo["kode"], "nama": names}))
    return Regions("geojson", geo["kode"], bounds(geo) if len(geo) else None, geometry=mapdata.publish(text))


# Margin (degrees) around a tile set's regions within which tiles are asked for: vertices snapped to a tile's
# grid move by half a unit (~0.003 degrees at zoom 4)
EXTENT_MARGIN = 0.05


def tile_regions(tiles: str, codes: str, names: str, zmin: int, zmax: int, order, view_bounds,
                 extent: tuple[float, float, float, float] | None = None) -> Regions:
    """Regions from a dataset's vector tiles (``order``: the codes by feature id; ``extent``: ``(minx, miny,
    maxx, maxy)`` of the tile set's regions, lon/lat: tiles beyond it, which hold nothing, are never asked for)."""
    box = None
    if extent is not None:
        m = EXTENT_MARGIN
        box = [[extent[1] - m, extent[0] - m], [extent[3] + m, extent[2] + m]]
    return Regions("tiles", order, view_bounds, tiles=tiles, codes=codes, names=names, zmin=zmin, zmax=zmax,
                   extent=box)


class Numbers:
    """Values sent as numbers and formatted in the browser as ``sinergi.i18n.fmt_num`` formats them:
    ``decimals``, ``unit`` appended (e.g. ``" %"``), ``lang``; ``names`` maps a whole value to a name
    instead (IDM status). Much smaller and quicker than a text per region at national scale."""

    def __init__(self, values, decimals: int, unit: str, lang: str, names: dict[int, str] | None = None):
        self.values, self.decimals, self.unit, self.lang, self.names = values, int(decimals), unit, lang, names


class Ranks:
    """Ranks "3 / 12" sent as two integer arrays (rank, regions ranked in the parent), formatted in the browser."""

    def __init__(self, rank, of, lang: str):
        self.rank, self.of, self.lang = rank, of, lang


def scaled_integers(x, decimals: int) -> list:
    """``x`` rounded to ``decimals`` as the integer of its digits: ``0.3456`` at 2 decimals is ``35``; None
    where missing, ``-0.0`` where a negative value rounds to zero (fmt_num prints ``-0,00``). Rounded as
    Python's formatting rounds (half to even on the exact binary value): numpy's product is used except
    within a hair of a half, where the text Python formats decides."""
    x = np.asarray(x, dtype=float)
    scaled = x * 10.0 ** decimals
    n = np.rint(scaled)
    ok = np.isfinite(x)
    near_half = ok & (np.abs(np.abs(scaled - np.trunc(scaled)) - 0.5) < 1e-6)
    for i in np.flatnonzero(near_half):
        n[i] = float(f"{x[i]:.{decimals}f}".replace(".", ""))
    out = np.where(ok, n, 0).astype(np.int64).astype(object)
    out[~ok] = None
    out[ok & (n == 0) & (x < 0)] = -0.0
    return out.tolist()


def _aligned(order: pd.Index, pos: np.ndarray, ok: np.ndarray, values, fill, texts: bool = False) -> list:
    """``values`` (one per code located at ``pos``) in ``order``'s order, ``fill`` where a region has none;
    with ``texts``, anything but a text (NaN, None) becomes None (JSON null)."""
    out = np.full(len(order), fill, dtype=object)
    out[pos[ok]] = np.asarray(values, dtype=object)[ok]
    out = out.tolist()
    return [a if isinstance(a, str) else None for a in out] if texts else out


def _ints(values) -> np.ndarray:
    """Integers (object array of Python ints) from numbers, None where NaN."""
    a = np.asarray(values, dtype=float)
    out = np.nan_to_num(a).astype(np.int64).astype(object)
    out[~np.isfinite(a)] = None
    return out


def colour_json(regions: Regions, props: pd.DataFrame, values: Numbers | None = None,
                ranks: Ranks | None = None) -> tuple[str, str]:
    """A map's colours as two JSON texts, arrays in ``regions.order``: the classes ``{"c": [...]}`` (what
    drawing needs: :func:`classes_json`) and the tooltips' details (:func:`details_json`)."""
    return classes_json(regions, props), details_json(regions, props, values, ranks)


def classes_json(regions: Regions, props: pd.DataFrame) -> str:
    """``{"c": [...]}``: the class index per region of ``regions`` (``props``: ``kode, c``; -1 no data).
    Regions that ``props`` lacks get ``c = -2`` on tiles (not drawn: the tiles hold the whole country) and
    ``-1`` (no data) in GeoJSON."""
    pos, ok = _positions(regions.order, props)
    c = np.nan_to_num(np.asarray(props["c"], dtype=float), nan=-1).astype(np.int64).astype(object)
    return json.dumps({"c": _aligned(regions.order, pos, ok, c, -2 if regions.kind == "tiles" else -1)},
                      separators=(",", ":"))


def details_json(regions: Regions, props: pd.DataFrame, values: Numbers | None = None,
                 ranks: Ranks | None = None) -> str:
    """``{"v": ..., "r": ..., "k": [...]}`` in ``regions.order``: ``props``' optional ``v`` (value text),
    ``r`` (rank text), ``k`` (class label text); ``values``/``ranks``, when given, replace ``v``/``r`` with
    numbers (one per ``props`` row; values as :func:`scaled_integers`). Built with numpy and C-encoded lists:
    a national village map's details take tens of milliseconds."""
    order = regions.order
    pos, ok = _positions(order, props)
    doc: dict = {}
    if values is not None:
        doc["v"] = {"d": values.decimals, "unit": values.unit, "lang": values.lang,
                    "int": _aligned(order, pos, ok, scaled_integers(values.values, values.decimals), None)}
        if values.names is not None:
            doc["v"]["names"] = {str(k): v for k, v in values.names.items()}
    elif "v" in props:
        doc["v"] = _aligned(order, pos, ok, props["v"], None, texts=True)
    if ranks is not None:
        doc["r"] = {"lang": ranks.lang, "rank": _aligned(order, pos, ok, _ints(ranks.rank), None),
                    "of": _aligned(order, pos, ok, _ints(ranks.of), 0)}
    elif "r" in props:
        doc["r"] = [a or "" for a in _aligned(order, pos, ok, props["r"], "", texts=True)]
    if "k" in props:
        doc["k"] = _aligned(order, pos, ok, props["k"], None, texts=True)
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def _positions(order: pd.Index, props: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Where each row of ``props`` sits in ``order`` (-1: absent) and which rows are present."""
    pos = order.get_indexer(pd.Index(props["kode"]))
    return pos, pos >= 0


class ColourSpec:
    """Colours ready for ``SD.setData``: the published classes and details (kept alive here) and the
    legend's colours."""

    def __init__(self, classes: mapdata.Published, details: mapdata.Published, legend: Legend):
        self.classes, self.details = classes, details
        self.spec = {"url": classes.url, "tip": details.url, "colors": list(legend.colors),
                     "noData": legend.no_data_color, "classLabels": list(legend.labels)}


def colour_spec(regions: Regions, props: pd.DataFrame, legend: Legend, values: Numbers | None = None,
                ranks: Callable[[], Ranks] | None = None) -> ColourSpec:
    """Publish a map's colours and pair them with the legend's colours: the classes now, the tooltips'
    details made when a browser first asks for them (a hover), outside the page's run; ``ranks`` is the
    function giving the ranks, called then too (ranking 84,000 villages within their parents is not needed
    to colour them)."""
    return ColourSpec(mapdata.publish(classes_json(regions, props)),
                      mapdata.defer(lambda: details_json(regions, props, values, ranks() if ranks else None)),
                      legend)


class ChoroplethLayer(_DataScript):
    """The map's choropleth layer (``SD.choropleth`` in ``static/sinergi/choropleth.js``) over ``regions``,
    coloured by ``colours`` when given (else later, e.g. by a :class:`SelectionScript`).

    In the map frame, ``window.sdLayer`` is the Leaflet layer, ``window.sdCount()`` the regions drawn and
    ``window.sdSelect(kode)`` outlines one region ('' clears); clicking a region outlines it at once.
    The class shown in a tooltip is ``k`` when the colours carry it, else the legend label of ``c``.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = SD.choropleth({{ this._parent.get_name() }}, {{ this.options | tojson }});
        {% if this.colours %}SD.setData({{ this.colours | tojson }});{% endif %}
        {% endmacro %}
        """
    )

    def __init__(self, regions: Regions, labels: dict, selected: str | None = None, weight: float = 0.7,
                 colours: ColourSpec | None = None, pane: str | None = None):
        super().__init__()
        self._name = "ChoroplethLayer"
        self.regions = regions  # keeps the published geometry servable while the map lives
        self.held = colours
        self.options = {**regions.options(), "labels": labels, "weight": weight, "selected": selected or "",
                        **({"pane": pane} if pane else {})}
        self.colours = colours.spec if colours is not None else None


class TileScripts(JSCSSMixin):
    """Loads Leaflet.VectorGrid (served by the app) into the frame of a map drawn from vector tiles."""

    default_js = VECTORGRID_JS
    _template = Template("{% macro script(this, kwargs) %}{% endmacro %}")

    def __init__(self):
        super().__init__()
        self._name = "TileScripts"


class OutlineLayer(MacroElement):
    """Boundary lines only (no fill, no events) drawn over the map, e.g. kabupaten/kota over clusters,
    fetched from a published GeoJSON (``geometry``, kept alive here)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        fetch({{ this.url | tojson }}).then(function (r) { return r.json(); }).then(function (fc) {
            L.geoJson(fc, {
                interactive: false,{% if this.pane %}
                pane: {{ this.pane | tojson }},{% endif %}
                style: function() { return {{ this.style | tojson }}; }
            }).addTo({{ this._parent.get_name() }});
        });
        {% endmacro %}
        """
    )

    def __init__(self, geometry: mapdata.Published, style: dict, pane: str | None = None):
        super().__init__()
        self._name = "OutlineLayer"
        self.geometry = geometry
        self.url = geometry.url
        self.style = style
        self.pane = pane  # a map pane of its own (e.g. one that lets the mouse through to the regions)


class FitBoundsNow(MacroElement):
    """Sets the map's view to ``bounds`` at once, before any layer is added, and again after every resize of
    its frame until the user moves the map (``SD.home`` in ``static/sinergi/choropleth.js``; the fit leaves
    the legend's corner free).

    folium's ``fit_bounds`` runs after the layers and animates the zoom from the placeholder view,
    so thousands of polygons were drawn twice on load; here they are drawn once, at the final view.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        SD.home({{ this._parent.get_name() }}, {{ this.bounds | tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]]):
        super().__init__()
        self._name = "FitBoundsNow"
        self.bounds = bounds


class RegionLabels(_DataScript):
    """Permanent text labels at region label points (for large regions when no base map is shown).

    Markers whose icon is a text span centred by CSS: Leaflet's permanent tooltips measure their
    width when added, and streamlit-folium adds leaflet.css asynchronously, so tooltips measured
    unstyled ended up ~175 px left of their point. Clicks pass through to the regions.

    Labels never collide: in the order given (most important first), a label is shown only when its box
    (with a small gap) lies inside the map and overlaps neither the legend nor a label already shown; placed
    again after every zoom, pan or resize, and once the fonts have loaded.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            var pts = {{ this.points | tojson }};
            var labels = pts.map(function(p) {
                var text = document.createElement("span");
                text.textContent = p[2];
                var marker = L.marker([p[1], p[0]], {
                    icon: L.divIcon({className: "sd-label", html: text, iconSize: null}),
                    interactive: false, keyboard: false
                }).addTo(map);
                return {marker: marker, span: text};
            });
            function place() {
                var size = map.getSize(), taken = [];
                var legend = map.getContainer().querySelector(".sd-map-legend");  // never under the legend
                if (legend && legend.offsetWidth) {
                    var m = map.getContainer().getBoundingClientRect(), r = legend.getBoundingClientRect();
                    taken.push([r.left - m.left, r.top - m.top, r.right - m.left, r.bottom - m.top]);
                }
                labels.forEach(function(l) {
                    var s = l.span;
                    s.style.display = "";
                    s.style.visibility = "hidden";
                    var pt = map.latLngToContainerPoint(l.marker.getLatLng());
                    var w = s.offsetWidth / 2 + 4, h = s.offsetHeight / 2 + 2;
                    var b = [pt.x - w, pt.y - h, pt.x + w, pt.y + h];
                    var fits = b[0] >= 0 && b[1] >= 0 && b[2] <= size.x && b[3] <= size.y && taken.every(
                        function(t) { return b[2] <= t[0] || b[0] >= t[2] || b[3] <= t[1] || b[1] >= t[3]; });
                    if (fits) { taken.push(b); s.style.visibility = ""; } else { s.style.display = "none"; }
                });
            }
            map.on("zoomend moveend resize", place);
            place();
            if (document.fonts && document.fonts.ready) { document.fonts.ready.then(place); }
            setTimeout(place, 250);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, points: list[tuple[float, float, str]]):
        super().__init__()
        self._name = "RegionLabels"
        self.points = points


def legend_spec(legend: Legend, title: str, no_data: str, lang: str, note: str = "") -> dict:
    """The legend drawn on the map (``SD.legend``): ``title``, a row ``[colour, label, count]`` per class,
    ``noData`` ``[label, count]``, an optional ``note``; counts formatted as the page formats numbers. Every
    text is set as text in the browser (never HTML)."""
    rows = [[str(c), str(label), fmt_num(n, 0, lang)] for c, label, n in zip(legend.colors, legend.labels,
                                                                              legend.counts)]
    return {"title": title, "rows": rows, "noData": [no_data, fmt_num(legend.n_missing, 0, lang)], "note": note}


class SelectionScript(folium.FeatureGroup):
    """An empty feature group whose script outlines one region of the choropleth already on the map and,
    with ``colours``, recolours it first; with ``legend`` (:func:`legend_spec`), draws the legend on the map.

    Meant for ``st_folium(..., feature_group_to_add=...)``: streamlit-folium evaluates a changed
    feature-group script inside the existing map frame instead of rebuilding the map, so selecting
    another region or another indicator keeps the map (its zoom, its tiles) and does not flicker.
    ``kode=''`` clears the outline. ``bounds`` (``(minx, miny, maxx, maxy)``, lon/lat) travel with the selection:
    a map drawn from vector tiles holds no whole geometry of the region, and brings it back into sight by them
    once the user has moved the map away (a GeoJSON map takes them from its own layer).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup();
        {% if this.colours %}if (window.SD) { SD.setData({{ this.colours | tojson }}); }{% endif %}
        {% if this.legend %}if (window.SD) { SD.legend({{ this.legend | tojson }}); }{% endif %}
        if (window.sdSelect) { window.sdSelect({{ this.kode | tojson }}, {{ this.bounds | tojson }}); }
        {% endmacro %}
        """
    )

    def __init__(self, kode: str = "", colours: ColourSpec | None = None, legend: dict | None = None,
                 bounds: tuple[float, float, float, float] | None = None):
        super().__init__(name="pilihan", control=False)
        self.kode = kode or ""
        # Leaflet's [[south, west], [north, east]]; null when unknown
        self.bounds = [[bounds[1], bounds[0]], [bounds[3], bounds[2]]] if kode and bounds else None
        self.held = colours
        self.colours = colours.spec if colours is not None else None
        self.legend = legend

    def render(self, **kwargs) -> None:
        # Nothing goes into the host figure: streamlit-folium reads the script from the template
        # itself, and the map object (shared from a cache) must stay unchanged.
        return None


MAP_CSS = """
<style>
/* the map fills its frame, whose height the page sets to the screen (sinergi/ui/styles.py) */
html, body { margin: 0; overflow: hidden; }
#map_div { height: 100vh !important; }
.leaflet-container { background: %s; font-family: "Source Sans Pro", "Segoe UI", sans-serif; }
/* every text on the map at 14 px or more (Leaflet's scale and attribution are 12 px) */
.leaflet-container .leaflet-control-scale, .leaflet-container .leaflet-control-attribution { font-size: 14px; }
.leaflet-control-scale-line { font-size: 14px; line-height: 1.2; }
.sd-map-legend { background: rgba(255, 255, 255, .93); border: 1px solid #888; border-radius: 6px;
                 padding: 6px 10px; font-size: 14px; line-height: 1.35; color: #111;
                 max-height: calc(100vh - 24px); overflow-y: auto;  /* on a short map it scrolls, still inside */
                 box-shadow: 0 1px 4px rgba(0, 0, 0, .25); }
.sd-map-legend .sd-lg-title { font-weight: 700; margin-bottom: 3px; max-width: 18rem; }
.sd-map-legend .sd-lg-row { white-space: nowrap; }
.sd-map-legend .sd-sw { display: inline-block; width: 14px; height: 14px; vertical-align: -2px; margin-right: 6px;
                        border: 1px solid #555; }
.sd-map-legend .sd-nd { background: #b0b0b0; opacity: .7; border-style: dashed; }
.sd-map-legend .sd-lg-n { color: #444; margin-left: 4px; }
.sd-map-legend .sd-lg-note { color: #333; margin-top: 3px; max-width: 18rem; }
/* a large map (a big screen, presentation mode) gets a larger legend */
@media (min-width: 900px) and (min-height: 640px) {
  .sd-map-legend { font-size: 16px; } .sd-map-legend .sd-sw { width: 16px; height: 16px; }
  .sd-map-legend .sd-lg-title, .sd-map-legend .sd-lg-note { max-width: 21rem; } }
.sd-tip { font-size: 15px; line-height: 1.35; }
.sd-tip b { font-size: 16px; }
.sd-label { pointer-events: none; }
.sd-label span { position: absolute; left: 0; top: 0; transform: translate(-50%%, -50%%); white-space: nowrap;
                 font-size: 15px; font-weight: 600; color: #1b1b1b;
                 /* a white halo all round: readable on every class colour, the darkest included */
                 text-shadow: -1px -1px 0 #fff, 1px -1px 0 #fff, -1px 1px 0 #fff, 1px 1px 0 #fff,
                              0 0 3px #fff, 0 0 4px #fff; }
</style>
""" % SEA_COLOR

# A "{" that opens a Jinja block ("{{", "{%", "{#") can only occur inside a JSON string here
# (structural braces are followed by '"' or '}'); \\u007b is the same character for JSON.
_JINJA_OPEN = re.compile(r"\{(?=[{%#])")


def feature_collection(geo: pd.DataFrame, props: pd.DataFrame) -> str:
    """A GeoJSON FeatureCollection string from display geometries and per-feature properties.

    ``geo`` has ``kode`` and ``geojson`` (a geometry as GeoJSON text, WGS84, already rounded);
    ``props`` has ``kode`` and the properties to attach. String assembly avoids re-parsing
    thousands of geometries. The text is safe inside a ``<script>`` and inside a Jinja template.
    """
    m = geo[["kode", "geojson"]].merge(props, on="kode", how="left")
    prop_cols = [c for c in props.columns]
    records = m[prop_cols].to_dict("records")
    parts = []
    for rec, g in zip(records, m["geojson"].tolist()):
        clean = {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in rec.items()}
        parts.append(_feature(json.dumps(clean, ensure_ascii=False, separators=(",", ":")), g))
    return _collection(parts)


def geometry_collection(geojson) -> str:
    """A GeoJSON FeatureCollection string of geometries alone (empty properties), from GeoJSON geometry
    texts (WGS84); safe inside a ``<script>`` and a Jinja template like :func:`feature_collection`."""
    return _collection([_feature("{}", g) for g in geojson])


def _feature(properties: str, geometry) -> str:
    """One Feature's text from its properties' JSON and a geometry's GeoJSON text (none: ``null``)."""
    return '{"type":"Feature","properties":' + properties + ',"geometry":' + (
        geometry if isinstance(geometry, str) and geometry else "null") + "}"


def _collection(features: list[str]) -> str:
    """Feature texts joined into a FeatureCollection, made safe inside a ``<script>`` and a Jinja template."""
    out = '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"
    # The JSON is placed inside a <script>: "<" only occurs inside strings, where \u003c is the same text.
    out = out.replace("<", "\\u003c")
    return _JINJA_OPEN.sub(r"\\u007b", out)


def bounds(geo: pd.DataFrame) -> list[list[float]]:
    """[[south, west], [north, east]] of the frame's ``minx, miny, maxx, maxy`` columns."""
    return [[float(geo["miny"].min()), float(geo["minx"].min())],
            [float(geo["maxy"].max()), float(geo["maxx"].max())]]


def base_map(
    regions: Regions,
    labels: dict[str, str],
    *,
    selected: str | None = None,
    tiles: str | None = None,
    tiles_attr: str | None = None,
    region_labels: list[tuple[float, float, str]] | None = None,
    height: int = 560,
    weight: float = 0.7,
    colours: ColourSpec | None = None,
    scale: bool = True,
) -> folium.Map:
    """A map of ``regions`` (see :func:`choropleth`), coloured by ``colours`` or, without them, later by a
    :class:`SelectionScript` carrying colours (the map then depends on the regions only); ``scale``: a scale
    bar (none where distances mean nothing, e.g. the grid view)."""
    m = OfflineMap(location=[0, 0], zoom_start=5, tiles=None, control_scale=scale, prefer_canvas=True,
                   height=height, zoom_snap=0.25)
    if tiles:
        folium.TileLayer(tiles=tiles, attr=tiles_attr or DEFAULT_TILE_ATTR, control=False).add_to(m)
    m.get_root().header.add_child(folium.Element(MAP_CSS))
    labels = {"no_data": "–", **labels}
    if regions.bounds:
        FitBoundsNow(regions.bounds).add_to(m)
    if regions.kind == "tiles":
        TileScripts().add_to(m)
    ChoroplethLayer(regions, labels, selected, weight, colours).add_to(m)
    if region_labels:
        RegionLabels(region_labels).add_to(m)
    return m


def choropleth(geo: pd.DataFrame | Regions, props: pd.DataFrame, legend: Legend, labels: dict[str, str],
               **options) -> folium.Map:
    """A choropleth of regions.

    Parameters
    ----------
    geo : ``kode, geojson, minx, miny, maxx, maxy`` (and ``nama``) per region (WGS84 lon/lat degrees),
        published as GeoJSON, or :class:`Regions` (e.g. vector tiles).
    props : ``kode, nama, c`` (class index, -1 no data), ``v`` (formatted value with unit),
        optionally ``k`` (class label; default: the legend label of ``c``) and ``r`` (rank text);
        every value is shown as plain text.
    legend : colours and labels per class (the legend itself is drawn by the page).
    labels : translated field names ``code, value, class, rank`` and optionally ``no_data``.
    options : as :func:`base_map`: ``selected`` (code of a region to outline at first draw; later:
        ``window.sdSelect``), ``tiles`` (a tile URL template ``https://…/{z}/{x}/{y}.png`` or None: no base
        map; the map stays readable with the sea colour, outlines and ``region_labels``), ``tiles_attr``,
        ``region_labels`` (``(lon, lat, text)`` per permanent label), ``height``, ``weight``.
    """
    regions = geo if isinstance(geo, Regions) else geojson_regions(geo)
    return base_map(regions, labels, colours=colour_spec(regions, props, legend), **options)

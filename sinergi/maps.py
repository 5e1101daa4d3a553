"""folium map builders: data in, ``folium.Map`` out (no Streamlit calls).

- Leaflet is served by the app itself (``static/vendor``), never from a CDN, so maps work offline.
- Polygons are coloured in the browser from a class index per feature and one colour list, instead of
  a per-feature style table built in Python; the canvas renderer draws thousands of polygons quickly.
- Tooltips are built with ``textContent``: no value ever reaches the page as HTML.
- Scripts that carry data (features, labels) are added to the page as plain text, not as Jinja
  templates: folium/branca compile every rendered script as a template on each render, which costs
  ~0.1 s per MB on every Streamlit rerun and would evaluate ``{{ … }}`` found in a region name.
- The selected region is outlined by ``window.sdSelect(kode)`` in the map frame, so a new selection
  does not rebuild the map (see :func:`selection_script`).
"""

from __future__ import annotations

import json
import re

import folium
import numpy as np
import pandas as pd
from branca.element import Element, MacroElement
from jinja2 import Template

from sinergi.classify import Legend

STATIC_URL = "/app/static/vendor/leaflet-1.9.3"
LEAFLET_JS = [("leaflet", f"{STATIC_URL}/leaflet.js")]
LEAFLET_CSS = [("leaflet_css", f"{STATIC_URL}/leaflet.css")]
SEA_COLOR = "#dfeaf2"
DEFAULT_TILE_ATTR = "Peta dasar"


class OfflineMap(folium.Map):
    """A folium map that loads only Leaflet, from the app's own static files."""

    default_js = LEAFLET_JS
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


class ChoroplethLayer(_DataScript):
    """A GeoJSON layer coloured in the browser by ``properties.c`` (class index, -1 = no data).

    In the map frame, ``window.sdLayer`` is the Leaflet layer (tests count its features) and
    ``window.sdSelect(kode)`` outlines one region ('' clears); clicking a region outlines it at once.
    The class shown in a tooltip is ``properties.k`` when present, else the legend label of ``c``.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function() {
            var colors = {{ this.colors | tojson }};
            var noData = {{ this.no_data | tojson }};
            var labels = {{ this.labels | tojson }};
            var classLabels = {{ this.class_labels | tojson }};
            var selected = {{ this.selected | tojson }};
            var weight = {{ this.weight | tojson }};
            function style(f) {
                var c = f.properties.c;
                var sel = selected !== "" && f.properties.kode === selected;
                return {
                    fillColor: c >= 0 ? colors[c] : noData,
                    fillOpacity: c >= 0 ? 0.85 : 0.55,
                    color: sel ? "#000000" : "#4a4a4a",
                    weight: sel ? 3.5 : weight,
                    dashArray: c >= 0 || sel ? null : "3 3"
                };
            }
            function className(p) {
                if (p.k !== undefined && p.k !== null) { return p.k; }
                return p.c >= 0 ? classLabels[p.c] : labels.no_data;
            }
            function tip(p) {
                var box = document.createElement("div");
                box.className = "sd-tip";
                var head = document.createElement("b");
                head.textContent = p.nama;
                box.appendChild(head);
                var rows = [[labels.code, p.kode], [labels.value, p.v], [labels["class"], className(p)]];
                if (p.r) { rows.push([labels.rank, p.r]); }
                rows.forEach(function(r) {
                    var line = document.createElement("div");
                    line.textContent = r[0] + ": " + r[1];
                    box.appendChild(line);
                });
                return box;
            }
            var layer = L.geoJson({{ this.data }}, {
                renderer: L.canvas({padding: 0.5}),
                style: style,
                onEachFeature: function(f, l) {
                    // Tooltip content is built on first hover: thousands of villages load faster.
                    l.bindTooltip(function() { return tip(f.properties); }, {sticky: true, direction: "top"});
                    l.on("mouseover", function(e) { e.target.setStyle({weight: 2.5, color: "#000000"}); });
                    l.on("mouseout", function(e) { layer.resetStyle(e.target); });
                    l.on("click", function() { select(f.properties.kode); });
                }
            }).addTo({{ this._parent.get_name() }});
            function select(kode) {
                selected = kode || "";
                layer.eachLayer(function(l) {
                    layer.resetStyle(l);
                    if (selected !== "" && l.feature.properties.kode === selected) { l.bringToFront(); }
                });
            }
            if (selected !== "") { select(selected); }
            // when the first frame with the layer was painted (Leaflet's canvas redraw is queued before
            // this): bench/map_bench.py reads it on the page's clock instead of polling
            requestAnimationFrame(function() { window.sdDrawnAt = performance.timeOrigin + performance.now(); });
            window.sdLayer = layer;
            window.sdSelect = select;
            window.sdSelected = function() { return selected; };
            return layer;
        })();
        {% endmacro %}
        """
    )

    def __init__(self, data_json: str, colors: list[str], no_data: str, labels: dict, selected: str | None,
                 weight: float, class_labels: list[str] | None = None):
        super().__init__()
        self._name = "ChoroplethLayer"
        self.data = data_json
        self.colors = colors
        self.no_data = no_data
        self.labels = labels
        self.class_labels = list(class_labels or [])
        self.selected = selected or ""
        self.weight = weight


class OutlineLayer(_DataScript):
    """Boundary lines only (no fill, no events) drawn over the map, e.g. kabupaten/kota over clusters.

    A plain-text data script like :class:`ChoroplethLayer`: ``folium.GeoJson`` re-serialised, styled
    and measured (bounds) every feature on each render, i.e. on every Streamlit rerun — half a second
    for the country's kabupaten/kota lines.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.geoJson({{ this.data }}, {
            interactive: false,{% if this.pane %}
            pane: {{ this.pane | tojson }},{% endif %}
            style: function() { return {{ this.style | tojson }}; }
        }).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, data_json: str, style: dict, pane: str | None = None):
        super().__init__()
        self._name = "OutlineLayer"
        self.data = data_json
        self.style = style
        self.pane = pane  # a map pane of its own (e.g. one that lets the mouse through to the regions)


class FitBoundsNow(MacroElement):
    """Sets the map's view to ``bounds`` at once, before any layer is added.

    folium's ``fit_bounds`` runs after the layers and animates the zoom from the placeholder view,
    so thousands of polygons were drawn twice on load; here they are drawn once, at the final view.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.fitBounds({{ this.bounds | tojson }}, {animate: false});
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
    (with a small gap) lies inside the map and overlaps no label already shown; placed again after every
    zoom, pan or resize, and once the fonts have loaded.
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


class SelectionScript(folium.FeatureGroup):
    """An empty feature group whose script outlines one region of the choropleth already on the map.

    Meant for ``st_folium(..., feature_group_to_add=...)``: streamlit-folium evaluates a changed
    feature-group script inside the existing map frame instead of rebuilding the map, so selecting
    another region keeps the map's zoom and does not flicker. ``kode=''`` clears the outline.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup();
        if (window.sdSelect) { window.sdSelect({{ this.kode | tojson }}); }
        {% endmacro %}
        """
    )

    def __init__(self, kode: str = ""):
        super().__init__(name="pilihan", control=False)
        self.kode = kode or ""

    def render(self, **kwargs) -> None:
        # Nothing goes into the host figure: streamlit-folium reads the script from the template
        # itself, and the map object (shared from a cache) must stay unchanged.
        return None


MAP_CSS = """
<style>
.leaflet-container { background: %s; font-family: "Source Sans Pro", "Segoe UI", sans-serif; }
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


def choropleth(
    geo: pd.DataFrame,
    props: pd.DataFrame,
    legend: Legend,
    labels: dict[str, str],
    *,
    selected: str | None = None,
    tiles: str | None = None,
    tiles_attr: str | None = None,
    region_labels: list[tuple[float, float, str]] | None = None,
    height: int = 560,
    weight: float = 0.7,
) -> folium.Map:
    """A choropleth of regions.

    Parameters
    ----------
    geo : ``kode, geojson, minx, miny, maxx, maxy`` per region (WGS84 lon/lat degrees).
    props : ``kode, nama, c`` (class index, -1 no data), ``v`` (formatted value with unit),
        optionally ``k`` (class label; default: the legend label of ``c``) and ``r`` (rank text);
        every value is shown as plain text.
    legend : colours and labels per class (the legend itself is drawn by the page).
    labels : translated field names ``code, value, class, rank`` and optionally ``no_data``.
    selected : code of a region to outline at first draw (later: ``window.sdSelect``).
    tiles : a tile URL template (``https://…/{z}/{x}/{y}.png``) or None: no base map; the map stays
        readable with the sea colour, outlines and ``region_labels``.
    region_labels : ``(lon, lat, text)`` per permanent label.
    """
    m = OfflineMap(location=[0, 0], zoom_start=5, tiles=None, control_scale=True, prefer_canvas=True,
                   height=height, zoom_snap=0.25)
    if tiles:
        folium.TileLayer(tiles=tiles, attr=tiles_attr or DEFAULT_TILE_ATTR, control=False).add_to(m)
    m.get_root().header.add_child(folium.Element(MAP_CSS))
    labels = {"no_data": "–", **labels}
    if len(geo):
        FitBoundsNow(bounds(geo)).add_to(m)
    data_json = feature_collection(geo, props)
    ChoroplethLayer(data_json, legend.colors, legend.no_data_color, labels, selected, weight,
                    class_labels=legend.labels).add_to(m)
    if region_labels:
        RegionLabels(region_labels).add_to(m)
    return m

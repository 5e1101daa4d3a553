"""folium map builders: data in, ``folium.Map`` out (no Streamlit calls).

- Leaflet is served by the app itself (``static/vendor``), never from a CDN, so maps work offline.
- Polygons are coloured in the browser from a class index per feature and one colour list, instead of
  a per-feature style table built in Python; the canvas renderer draws thousands of polygons quickly.
- Tooltips are built with ``textContent``: no value ever reaches the page as HTML.
"""

from __future__ import annotations

import json

import folium
import numpy as np
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from sinergi.classify import Legend

STATIC_URL = "/app/static/vendor/leaflet-1.9.3"
LEAFLET_JS = [("leaflet", f"{STATIC_URL}/leaflet.js")]
LEAFLET_CSS = [("leaflet_css", f"{STATIC_URL}/leaflet.css")]
SEA_COLOR = "#dfeaf2"


class OfflineMap(folium.Map):
    """A folium map that loads only Leaflet, from the app's own static files."""

    default_js = LEAFLET_JS
    default_css = LEAFLET_CSS


class ChoroplethLayer(MacroElement):
    """A GeoJSON layer coloured in the browser by ``properties.c`` (class index, -1 = no data)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function() {
            var colors = {{ this.colors | tojson }};
            var noData = {{ this.no_data | tojson }};
            var labels = {{ this.labels | tojson }};
            var selected = {{ this.selected | tojson }};
            function style(f) {
                var c = f.properties.c;
                var sel = f.properties.kode === selected;
                return {
                    fillColor: c >= 0 ? colors[c] : noData,
                    fillOpacity: c >= 0 ? 0.85 : 0.55,
                    color: sel ? "#000000" : "#4a4a4a",
                    weight: sel ? 3 : {{ this.weight | tojson }},
                    dashArray: c >= 0 ? null : "3 3"
                };
            }
            function tip(p) {
                var box = document.createElement("div");
                box.className = "sd-tip";
                var head = document.createElement("b");
                head.textContent = p.nama;
                box.appendChild(head);
                var rows = [[labels.code, p.kode], [labels.value, p.v], [labels["class"], p.k]];
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
                    l.bindTooltip(tip(f.properties), {sticky: true, direction: "top"});
                    l.on("mouseover", function(e) { e.target.setStyle({weight: 2.5, color: "#000000"}); });
                    l.on("mouseout", function(e) { layer.resetStyle(e.target); });
                }
            }).addTo({{ this._parent.get_name() }});
            window.sdLayer = layer;
            return layer;
        })();
        {% endmacro %}
        """
    )

    def __init__(self, data_json: str, colors: list[str], no_data: str, labels: dict, selected: str | None,
                 weight: float):
        super().__init__()
        self._name = "ChoroplethLayer"
        self.data = data_json
        self.colors = colors
        self.no_data = no_data
        self.labels = labels
        self.selected = selected or ""
        self.weight = weight


class RegionLabels(MacroElement):
    """Permanent text labels at region centroids (for large regions when no base map is shown)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var pts = {{ this.points | tojson }};
            pts.forEach(function(p) {
                var t = L.tooltip({permanent: true, direction: "center", className: "sd-label",
                                   interactive: false});
                t.setLatLng([p[1], p[0]]);
                t.setContent(document.createTextNode(p[2]));
                t.addTo({{ this._parent.get_name() }});
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, points: list[tuple[float, float, str]]):
        super().__init__()
        self._name = "RegionLabels"
        self.points = points


_CSS = """
<style>
.leaflet-container { background: %s; font-family: "Source Sans Pro", "Segoe UI", sans-serif; }
.sd-tip { font-size: 15px; line-height: 1.35; }
.sd-tip b { font-size: 16px; }
.sd-label { background: transparent; border: 0; box-shadow: none; font-size: 14px; font-weight: 600;
            color: #1b1b1b; text-shadow: 0 0 3px #fff, 0 0 3px #fff; }
.sd-label:before { display: none; }
</style>
""" % SEA_COLOR


def feature_collection(geo: pd.DataFrame, props: pd.DataFrame) -> str:
    """A GeoJSON FeatureCollection string from display geometries and per-feature properties.

    ``geo`` has ``kode`` and ``geojson`` (a geometry as GeoJSON text, WGS84, already rounded);
    ``props`` has ``kode`` and the properties to attach. String assembly avoids re-parsing
    thousands of geometries.
    """
    m = geo[["kode", "geojson"]].merge(props, on="kode", how="left")
    prop_cols = [c for c in props.columns]
    records = m[prop_cols].to_dict("records")
    parts = []
    for rec, g in zip(records, m["geojson"].tolist()):
        clean = {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in rec.items()}
        parts.append('{"type":"Feature","properties":' + json.dumps(clean, ensure_ascii=False)
                     + ',"geometry":' + g + "}")
    out = '{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}"
    # The JSON is placed inside a <script>: "<" only occurs inside strings, where \u003c is the same text.
    return out.replace("<", "\\u003c")


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
    region_labels: list[tuple[float, float, str]] | None = None,
    height: int = 560,
    weight: float = 0.7,
) -> folium.Map:
    """A choropleth of regions.

    Parameters
    ----------
    geo : ``kode, geojson, minx, miny, maxx, maxy`` per region (WGS84 lon/lat).
    props : ``kode, nama, c`` (class index, -1 no data), ``v`` (formatted value with unit), ``k``
        (class label) and optionally ``r`` (rank text); every value is shown as plain text.
    legend : colours per class (drawn by the page, or by :func:`legend_html` in exports).
    labels : translated field names ``code, value, class, rank``.
    tiles : a tile URL template or None (no base map; the map stays readable with outlines and labels).
    """
    m = OfflineMap(location=[0, 0], zoom_start=5, tiles=None, control_scale=True, prefer_canvas=True,
                   height=height, zoom_snap=0.25)
    if tiles:
        folium.TileLayer(tiles=tiles, attr="Peta dasar", control=False).add_to(m)
    m.get_root().header.add_child(folium.Element(_CSS))
    data_json = feature_collection(geo, props)
    ChoroplethLayer(data_json, legend.colors, legend.no_data_color, labels, selected, weight).add_to(m)
    if region_labels:
        RegionLabels(region_labels).add_to(m)
    if len(geo):
        m.fit_bounds(bounds(geo))
    return m

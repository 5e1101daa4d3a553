"""Map builders without Streamlit: features, colours, escaping, offline assets, selection script."""

import json
import re

import pandas as pd
import pytest
import shapely
from streamlit_folium import _get_feature_group_string, _get_map_string

from sinergi import classify, maps

NAMES = ["Alfa", "Echo <b>", "{{ 7*7 }}", 'Kutip "dua" & \'satu\'']


def _geo(n: int = 4) -> pd.DataFrame:
    rows = []
    for i in range(n):
        g = shapely.box(100 + i, -12, 101 + i, -11)
        rows.append({"kode": f"97.01.01.200{i}", "nama": NAMES[i % len(NAMES)], "geojson": shapely.to_geojson(g),
                     "minx": 100 + i, "miny": -12, "maxx": 101 + i, "maxy": -11, "lon": 100.5 + i, "lat": -11.5})
    return pd.DataFrame(rows)


def _map(values=(0.45, 0.6, float("nan"), 0.9), **kw):
    geo = _geo(len(values))
    cls, legend = classify.classify(list(values), "iks", "status")
    props = pd.DataFrame({"kode": geo["kode"], "nama": geo["nama"], "c": cls,
                          "v": [str(v) for v in values], "r": ["1 / 3"] * len(values)})
    labels = {"code": "Kode", "value": "Nilai", "class": "Kelas", "rank": "Peringkat", "no_data": "Tidak ada data"}
    return maps.choropleth(geo, props, legend, labels, **kw), legend, geo


def _embedded_features(script: str) -> dict:
    m = re.search(r"L\.geoJson\((\{\"type\":\"FeatureCollection\".*?\]\}), \{", script, re.S)
    assert m, "the layer's GeoJSON is in the script"
    return json.loads(m.group(1))


def test_feature_collection_properties_and_escaping():
    geo = _geo(4)
    props = pd.DataFrame({"kode": geo["kode"], "nama": geo["nama"], "c": [0, 1, -1, 2],
                          "v": ["a", "b", None, "d"]})
    text = maps.feature_collection(geo, props)
    assert "<" not in text  # safe inside <script>
    assert "{{" not in text and "{%" not in text  # safe inside a Jinja template
    fc = json.loads(text)
    assert len(fc["features"]) == 4
    assert [f["properties"]["nama"] for f in fc["features"]] == NAMES  # same text after decoding
    assert fc["features"][2]["properties"] == {"kode": "97.01.01.2002", "nama": "{{ 7*7 }}", "c": -1, "v": None}
    assert fc["features"][0]["geometry"]["type"] == "Polygon"


def test_region_without_geometry_is_kept_as_a_feature_without_shape():
    geo = _geo(2)
    geo["geojson"] = [geo["geojson"][0], float("nan")]  # e.g. a village whose boundary is not imported yet
    props = pd.DataFrame({"kode": geo["kode"], "nama": geo["nama"], "c": [0, 1], "v": ["a", "b"]})
    fc = json.loads(maps.feature_collection(geo, props))
    assert [f["geometry"] is None for f in fc["features"]] == [False, True]


def test_choropleth_renders_every_feature_offline_with_class_colours():
    m, legend, geo = _map()
    page = m.get_root().render()
    srcs = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert srcs and all(s.startswith("/app/static/vendor/") for s in srcs), srcs
    assert "http://" not in page and "https://" not in page  # no CDN, no tiles
    fc = _embedded_features(page)
    assert [f["properties"]["c"] for f in fc["features"]] == [0, 2, -1, 4]
    assert json.dumps(legend.colors) in page and json.dumps(legend.labels) in page
    assert "window.sdLayer = layer" in page and "window.sdSelect = select" in page


def test_region_names_are_never_markup_or_templates():
    m, _, _ = _map()
    for script in (m.get_root().render(), _get_map_string(m)):
        assert "Echo <b>" not in script and "Echo \\u003cb>" in script
        assert '"nama":"49"' not in script  # {{ 7*7 }} was not evaluated as a template
        assert "\\u007b{ 7*7 }}" in script
        assert ".innerHTML" not in script  # tooltips use textContent


def test_no_data_is_drawn_apart_from_the_lowest_class():
    m, legend, _ = _map()
    script = _get_map_string(m)
    assert json.dumps(classify.NO_DATA_COLOR) in script and classify.NO_DATA_COLOR not in legend.colors
    assert 'dashArray: c >= 0 || sel ? null : "3 3"' in script


def test_optional_tiles_and_labels():
    m, _, _ = _map()
    assert "tileLayer" not in _get_map_string(m)
    m, _, _ = _map(tiles="https://tiles.example/{z}/{x}/{y}.png", tiles_attr="© contoh",
                   region_labels=[(100.5, -11.5, "Alfa <i>")])
    script = _get_map_string(m)
    assert re.search(r'L\.tileLayer\(\s*"https://tiles\.example/\{z\}/\{x\}/\{y\}\.png"', script)
    assert '"attribution": "\\u00a9 contoh"' in script
    assert "L.divIcon" in script and "text.textContent = p[2]" in script and "Alfa \\u003ci\\u003e" in script


def test_selection_script_does_not_change_the_map():
    m, _, _ = _map()
    before = _get_map_string(m)
    group = maps.SelectionScript('97.01.01.2001"</script>')
    snippet = _get_feature_group_string(group, map=m)
    m._children.pop(group.get_name())
    assert 'window.sdSelect("97.01.01.2001\\"\\u003c/script\\u003e")' in snippet
    assert "var feature_group_feature_group_0 = L.featureGroup();" in snippet
    assert _get_map_string(m) == before  # the map script (and streamlit-folium's key) is unchanged
    assert "sdSelect(" not in m.get_root().render().split("window.sdSelect = select")[1]


@pytest.mark.parametrize("selected", ["97.01.01.2001", None])
def test_initial_selection_is_outlined(selected):
    m, _, _ = _map(selected=selected)
    assert f"var selected = {json.dumps(selected or '')};" in _get_map_string(m)

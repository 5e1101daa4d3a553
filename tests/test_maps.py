"""Map builders without Streamlit: features, colours, escaping, offline assets, selection script."""

import gzip
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import shapely
from streamlit_folium import _get_feature_group_string, _get_map_string

from sinergi import classify, mapdata, maps

ROOT = Path(__file__).resolve().parents[1]

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


def _published(script: str, key: str) -> dict:
    """The JSON a map script points at under ``key`` (``"geometry"``, ``"url"``, ``"tip"``), as the app serves it."""
    m = re.search(r'"%s": "(/api/sinergi/data/([0-9a-f]{32})\.json)"' % key, script)
    assert m, f"the script names its {key} URL"
    item = mapdata.get(m.group(2))
    assert item is not None, "the URL is servable while the map lives"
    return json.loads(gzip.decompress(item.gz))


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


def test_choropleth_renders_offline_and_sends_urls_not_data():
    m, legend, geo = _map()
    page = m.get_root().render()
    srcs = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert srcs and all(s.startswith("/app/static/") for s in srcs), srcs
    assert "/app/static/sinergi/choropleth.js" in srcs and not any("vectorgrid" in s for s in srcs)
    assert "http://" not in page and "https://" not in page  # no CDN, no tiles
    script = _get_map_string(m)
    assert "Alfa" not in script and "coordinates" not in script  # no region data in the script
    assert "SD.choropleth(" in script and "SD.setData(" in script
    fc = _published(script, "geometry")
    assert [f["properties"] for f in fc["features"]] == [{"kode": k, "nama": n} for k, n in zip(geo["kode"], geo["nama"])]
    assert _published(script, "url") == {"c": [0, 2, -1, 4]}
    tip = _published(script, "tip")
    assert tip["v"] == ["0.45", "0.6", "nan", "0.9"] and tip["r"] == ["1 / 3"] * 4
    assert json.dumps(legend.colors) in script and json.dumps(legend.labels) in script


def test_region_names_are_never_markup_or_templates():
    m, _, _ = _map()
    for script in (m.get_root().render(), _get_map_string(m)):
        assert "Echo" not in script and "7*7" not in script  # names travel in the published JSON only
    fc = _published(_get_map_string(m), "geometry")
    assert [f["properties"]["nama"] for f in fc["features"]] == NAMES  # the same text, {{ 7*7 }} not evaluated
    js = (maps_js := (ROOT / "static" / "sinergi" / "choropleth.js").read_text())
    assert ".innerHTML" not in js and "textContent" in maps_js  # tooltips use textContent


def test_no_data_is_drawn_apart_from_the_lowest_class():
    m, legend, _ = _map()
    script = _get_map_string(m)
    assert json.dumps(classify.NO_DATA_COLOR) in script and classify.NO_DATA_COLOR not in legend.colors
    js = (ROOT / "static" / "sinergi" / "choropleth.js").read_text()
    assert 'dashArray: c >= 0 || sel ? null : "3 3"' in js


def test_optional_tiles_and_labels():
    m, _, _ = _map()
    assert "tileLayer" not in _get_map_string(m)
    m, _, _ = _map(tiles="https://tiles.example/{z}/{x}/{y}.png", tiles_attr="© contoh",
                   region_labels=[(100.5, -11.5, "Alfa <i>")])
    script = _get_map_string(m)
    assert re.search(r'L\.tileLayer\(\s*"https://tiles\.example/\{z\}/\{x\}/\{y\}\.png"', script)
    assert '"attribution": "\\u00a9 contoh"' in script
    assert "L.divIcon" in script and "text.textContent = p[2]" in script and "Alfa \\u003ci\\u003e" in script


def test_selection_and_colours_script_does_not_change_the_map():
    m, legend, geo = _map()
    before = _get_map_string(m)
    regions = maps.geojson_regions(geo)
    colours = maps.colour_spec(regions, pd.DataFrame({"kode": geo["kode"], "c": [4, 3, 2, 1]}), legend)
    group = maps.SelectionScript('97.01.01.2001"</script>', colours)
    snippet = _get_feature_group_string(group, map=m)
    m._children.pop(group.get_name())
    assert 'window.sdSelect("97.01.01.2001\\"\\u003c/script\\u003e", null)' in snippet  # no bounds given
    assert "var feature_group_feature_group_0 = L.featureGroup();" in snippet
    assert "if (window.SD) { SD.setData(" in snippet and f'"url": "{colours.classes.url}"' in snippet
    assert _get_map_string(m) == before  # the map script (and streamlit-folium's key) is unchanged


def test_the_selection_carries_its_bounds_for_a_tile_map():
    m, _, _ = _map()
    group = maps.SelectionScript("97.01.01.2001", bounds=(100.0, -12.0, 101.0, -11.0))
    snippet = _get_feature_group_string(group, map=m)
    m._children.pop(group.get_name())
    assert 'window.sdSelect("97.01.01.2001", [[-12.0, 100.0], [-11.0, 101.0]])' in snippet
    assert maps.SelectionScript("", bounds=(100.0, -12.0, 101.0, -11.0)).bounds is None  # nothing selected


@pytest.mark.parametrize("selected", ["97.01.01.2001", None])
def test_initial_selection_is_outlined(selected):
    m, _, _ = _map(selected=selected)
    assert f'"selected": {json.dumps(selected or "")}' in _get_map_string(m)


def _tile_regions(order=("97.01.01.2001", "97.01.01.2002", "97.01.02.2001")) -> maps.Regions:
    return maps.tile_regions("/api/sinergi/ubin/demo/0123456789abcdef/4/{z}/{x}/{y}.pbf",
                             "/api/sinergi/ubin/demo/0123456789abcdef/4/kode.json",
                             "/api/sinergi/ubin/demo/0123456789abcdef/4/nama.json", 4, 10, list(order),
                             [[-12, 100], [-11, 103]])


def test_colours_follow_the_regions_order_and_hide_what_is_not_in_view():
    regions = _tile_regions()
    props = pd.DataFrame({"kode": ["97.01.02.2001", "97.01.01.2001"], "c": [3, float("nan")]})
    classes, details = maps.colour_json(regions, props, maps.Numbers([0.12345, 1234.5], 2, " %", "id"),
                                        maps.Ranks([2, float("nan")], [5, 5], "id"))
    assert json.loads(classes) == {"c": [-1, -2, 3]}  # no data, not in view (tiles hold every region), class 3
    d = json.loads(details)
    assert d["v"] == {"int": [123450, None, 12], "d": 2, "unit": " %", "lang": "id"}
    assert '"int":[123450,null,12]' in details  # the browser gets integers (JSON -0.0 keeps a negative zero)
    assert d["r"] == {"rank": [None, None, 2], "of": [5, 0, 5], "lang": "id"}
    geo_regions = maps.Regions("geojson", pd.Index(["97.01.01.2001", "97.01.01.2002"]), None)
    assert json.loads(maps.colour_json(geo_regions, props)[0]) == {"c": [-1, -1]}  # GeoJSON: no data, drawn
    texts = pd.DataFrame({"kode": ["97.01.01.2002"], "c": [0], "v": ['"<b>'], "r": ["1 / 2"], "k": ["Klaster"]})
    d = json.loads(maps.colour_json(regions, texts)[1])
    assert d == {"v": [None, '"<b>', None], "r": ["", "1 / 2", ""], "k": [None, "Klaster", None]}


VALUES = [0.125, 2.675, -0.0001, 1.005, 0.5, 1234567.891, -1234.5, 0.0, 0.61235, 12.3456789]


@pytest.mark.parametrize("decimals", [0, 1, 2, 4])
def test_values_are_rounded_as_the_server_formats_them(decimals):
    from sinergi.i18n import fmt_num

    import math

    tokens = maps.scaled_integers(VALUES + [float("nan")], decimals)
    assert tokens[-1] is None
    for x, tok in zip(VALUES, tokens):
        digits = fmt_num(x, decimals, "en").replace(",", "").replace(".", "")
        assert int(tok) == int(digits) and (math.copysign(1, tok) < 0) == digits.startswith("-"), (x, tok, digits)


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed: the browser's formatting is "
                    "checked in the browser tests only")
@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_browser_prints_values_as_fmt_num(lang):
    """choropleth.js's fmtDigits, run by node on the server's tokens, gives fmt_num's text."""
    import subprocess

    from sinergi.i18n import fmt_num

    js = (ROOT / "static" / "sinergi" / "choropleth.js").read_text()
    body = js[js.index("  function fmtDigits("):js.index("  function Choropleth(")]
    cases = [(tok, d) for d in (0, 1, 2, 4) for tok in maps.scaled_integers(VALUES, d)]
    script = body + f"console.log(JSON.stringify({json.dumps(cases)}.map(c => fmtDigits(c[0], c[1], "
    script += f"{json.dumps(lang)}))));"
    out = json.loads(subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True).stdout)
    assert out == [fmt_num(x, d, lang) for d in (0, 1, 2, 4) for x in VALUES]


def test_a_tile_map_loads_vectorgrid_and_names_its_urls():
    regions = _tile_regions()
    legend = classify.classify([0.5, 0.7, 0.9], "iks", "status")[1]
    m = maps.choropleth(regions, pd.DataFrame({"kode": list(regions.order), "c": [0, 1, 2]}), legend,
                        {"code": "Kode", "value": "Nilai", "class": "Kelas", "rank": "Peringkat"})
    page = m.get_root().render()
    assert "/app/static/vendor/leaflet.vectorgrid-1.3.0/Leaflet.VectorGrid.min.js" in page
    script = _get_map_string(m)
    assert '"kind": "tiles"' in script and '"zmin": 4' in script and '"zmax": 10' in script
    assert regions.tiles in script and regions.codes in script and regions.names in script
    assert "SD.home(map_div, [[-12, 100], [-11, 103]])" in script


def test_published_payloads_live_while_held_then_age_out(monkeypatch):
    a = mapdata.publish('{"x": 1}')
    assert mapdata.publish('{"x": 1}') is a and a.url.endswith(f"/{a.token}.json")
    assert json.loads(gzip.decompress(mapdata.get(a.token).gz)) == {"x": 1}
    assert mapdata.get("../../app") is None and mapdata.get("0" * 32) is None
    monkeypatch.setattr(mapdata, "RECENT_BYTES", 1)
    mapdata.clear()
    token = a.token
    del a
    import gc

    gc.collect()
    assert mapdata.get(token) is None  # nothing holds it, and the recent ones are gone


def test_tooltip_details_are_made_when_first_asked_for(monkeypatch):
    calls = []
    real = maps.details_json
    monkeypatch.setattr(maps, "details_json", lambda *a: calls.append(1) or real(*a))
    regions = _tile_regions()
    props = pd.DataFrame({"kode": list(regions.order), "c": [0, 1, 2], "v": ["a", "b", "c"]})
    spec = maps.colour_spec(regions, props, classify.classify([0.5, 0.7, 0.9], "iks", "status")[1])
    assert calls == []  # the page's run published the classes only
    item = mapdata.get(spec.details.token)
    assert json.loads(gzip.decompress(item.gz)) == {"v": ["a", "b", "c"]} and calls == [1]
    assert item.gz == mapdata.get(spec.details.token).gz and calls == [1]  # made once, the same answer after
    assert spec.spec["tip"] == item.url != spec.spec["url"]

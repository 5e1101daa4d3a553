"""The grid view on the tiny fixture: the map of equal squares (same colours, same tooltip data as the
geographic map), its limit, and Peta's map/grid toggle with its URL state through AppTest."""

import gzip
import json

import numpy as np
import shapely
from streamlit_folium import _get_map_string

from sinergi import explore, gridmap, mapdata, state
from tests.test_explore import _published, _qp, _run  # published map data; the Peta page through AppTest

VILLAGES = ["97.01.01.1003", "97.01.01.2001", "97.01.01.2002", "97.01.02.2001", "97.01.02.2002",
            "97.71.01.2001", "97.71.01.2002", "97.71.01.2003"]


def _squares(fc: dict) -> np.ndarray:
    return shapely.from_geojson(np.array([json.dumps(f["geometry"]) for f in fc["features"]]))


def test_grid_map_draws_every_region_as_one_equal_square_coloured_as_the_map(tiny_data_dir):
    m, spec, view = explore.peta_map("iks", 2024, 4, "97", "status", grid=True)
    script = _get_map_string(m)
    fc = _published(script, "geometry")
    assert [f["properties"]["kode"] for f in fc["features"]] == VILLAGES  # every village once, in code order
    assert fc["features"][4]["properties"]["nama"] == "Echo <b>"  # the tooltip's name, as data
    sq = _squares(fc)
    x0, y0 = gridmap.project(*shapely.bounds(sq)[:, :2].T)
    x1, y1 = gridmap.project(*shapely.bounds(sq)[:, 2:].T)
    assert np.allclose(x1 - x0, (x1 - x0)[0]) and np.allclose(y1 - y0, x1 - x0)  # equal squares on screen
    assert not shapely.intersects(sq[:, None], sq[None, :])[~np.eye(8, dtype=bool)].any()
    # coloured as the geographic map: the same class per region, the same legend
    geo_map, geo_spec, geo_view = explore.peta_map("iks", 2024, 4, "97", "status")
    assert spec.spec["url"] == geo_spec.spec["url"]  # the same published classes
    classes = json.loads(gzip.decompress(mapdata.get(spec.classes.token).gz))["c"]
    assert classes == view.table.set_index("kode").loc[VILLAGES, "c"].astype(int).tolist()
    assert view.legend.counts == geo_view.legend.counts
    # no name labels (a name wider than its square), no scale bar (distances on a grid mean nothing)
    geo_script = _get_map_string(geo_map)
    assert "L.divIcon" in geo_script and "L.control.scale" in geo_script
    assert "L.divIcon" not in script and "L.control.scale" not in script


def test_grid_never_uses_tiles_and_is_offered_up_to_its_limit(tiny_data_dir, monkeypatch):
    monkeypatch.setattr(explore, "TILES_FROM", 5)
    assert explore.uses_tiles(4, "97")  # the geographic map of the province's villages: vector tiles
    assert explore.map_regions(4, "97", grid=True).kind == "geojson"  # its grid: squares as GeoJSON
    assert explore.grid_allowed(4, "") and explore.grid_allowed(1, "")
    monkeypatch.setattr(explore, "GRID_MAX", 5)
    assert not explore.grid_allowed(4, "")  # 8 villages > 5
    assert explore.grid_allowed(4, "97.01")  # the kabupaten's 5
    assert not explore.grid_allowed(4, "97.02")  # no regions there: nothing to lay out


def test_grid_layout_is_cached_per_dataset_level_and_parent(tiny_data_dir):
    a = explore.grid_geometry(4, "97")
    assert explore.grid_geometry(4, "97") is a
    b = explore.grid_geometry(4, "97.01")
    assert b is not a and b["kode"].tolist() == VILLAGES[:5]


# --- the page (AppTest) -----------------------------------------------------------------------------

def _captions(at) -> list[str]:
    return [c.value for c in at.caption]


def test_toggle_switches_to_the_grid_and_back_and_the_url_keeps_it(tiny_data_dir):
    at = _run({"tingkat": "4", "wilayah": "97"})
    toggle = at.button_group(key="peta_tampilan")
    assert toggle.value == "peta" and "tampilan" not in _qp(at)
    assert toggle.options == ["Peta", "Kisi"]
    assert not any("Tampilan kisi" in c for c in _captions(at))
    toggle.set_value("kisi").run()
    assert _qp(at)["tampilan"] == "kisi" and _qp(at)["wilayah"] == "97" and _qp(at)["tingkat"] == "4"
    assert any(c.startswith("Tampilan kisi: setiap wilayah satu kotak") for c in _captions(at))
    # drilling and selecting keep the grid
    at.query_params["pilih"] = "97.01"
    at.query_params["tingkat"] = "2"
    at.run()
    at.button(key="peta_drill").click().run()
    assert _qp(at)["wilayah"] == "97.01" and _qp(at)["tampilan"] == "kisi"
    assert at.button_group(key="peta_tampilan").value == "kisi"
    at.button_group(key="peta_tampilan").set_value("peta").run()
    assert "tampilan" not in _qp(at) and _qp(at)["wilayah"] == "97.01"  # the default leaves the link short


def test_grid_from_a_link_in_english_and_bad_values(tiny_data_dir):
    at = _run({"tampilan": "kisi", "lang": "en", "tingkat": "1"})
    assert at.button_group(key="peta_tampilan").value == "kisi"
    assert any(c.startswith("Grid view: every region one square") for c in _captions(at))
    link = [m.value for m in at.markdown if m.value.startswith("`") and "/peta" in m.value][0]
    assert "tampilan=kisi" in link  # the shared link reopens the grid
    bad = _run({"tampilan": "<script>", "tingkat": "1"})
    assert bad.button_group(key="peta_tampilan").value == "peta" and "tampilan" not in _qp(bad)


def test_above_the_limit_the_geographic_map_is_drawn_with_a_note(tiny_data_dir, monkeypatch):
    monkeypatch.setattr(explore, "GRID_MAX", 5)
    at = _run({"tampilan": "kisi", "tingkat": "4", "wilayah": "97"})  # 8 villages
    assert "Tampilan kisi tersedia hingga 5 wilayah" in at.warning[0].value
    assert not any("Tampilan kisi:" in c for c in _captions(at))
    assert _qp(at)["tampilan"] == "kisi"  # kept: entering a smaller region shows the grid
    at = _run({"tampilan": "kisi", "tingkat": "4", "wilayah": "97.01"})  # 5 villages
    assert not at.warning and any("Tampilan kisi:" in c for c in _captions(at))


def test_the_grid_is_drawn_while_presenting(tiny_data_dir):
    """(That the toggle stays visible while every other widget is hidden only a browser shows:
    tests/browser/test_grid_browser.py.)"""
    at = _run({"tampilan": "kisi", "mode": "presentasi", "tingkat": "1"})
    assert at.button_group(key="peta_tampilan").value == "kisi"
    assert not any("/peta" in m.value for m in at.markdown if m.value.startswith("`"))  # presenting: no link box


def test_state_reads_and_writes_the_view_kind():
    years = {"iks": [2024]}.get
    s = state.read_peta({"tampilan": "kisi"}, ["iks"], years, lambda k: True)
    assert s.tampilan == "kisi"
    assert state.read_peta({"tampilan": "KISI"}, ["iks"], years, lambda k: True).tampilan == "peta"
    params: dict = {}
    state.write_peta(params, s)
    assert params["tampilan"] == "kisi"
    state.write_peta(params, state.drill(s, "97"))
    assert params["tampilan"] == "kisi" and params["wilayah"] == "97"
    state.write_peta(params, state.PetaState(ind="iks", tahun=2024))
    assert "tampilan" not in params


def test_a_large_grid_draws_its_squares_edge_to_edge_without_outlines(tiny_data_dir, monkeypatch):
    small = _get_map_string(explore.region_map(4, "97", "id", grid=True))
    assert '"weight": 0.7' in small  # 8 squares: outlined as the geographic map, a gap between them
    sq = _squares(_published(small, "geometry"))
    assert not shapely.touches(sq[:, None], sq[None, :]).any()
    monkeypatch.setattr(explore, "GRID_OUTLINES_MAX", 5)
    explore.st.cache_resource.clear()
    large = _get_map_string(explore.region_map(4, "97", "id", grid=True))
    assert '"weight": 0.0' in large and '"weight": 0.7' not in large
    sq = _squares(_published(large, "geometry"))
    assert shapely.touches(sq[:, None], sq[None, :]).any()  # neighbours share an edge
    assert '"weight": 0.7' in _get_map_string(explore.region_map(4, "97", "id"))  # boundaries keep theirs
    explore.st.cache_resource.clear()  # the next test lays the small grid out again

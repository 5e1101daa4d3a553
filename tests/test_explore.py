"""Map views on the tiny fixture (known answers), the profile panel, and the Peta page through AppTest."""

import json
import re
import shutil

import numpy as np
import pandas as pd
import pytest
import shapely
import shapely.affinity
from apptest import open_page
from legends import legend_lines, map_legends
from streamlit_folium import _get_map_string

from sinergi import explore, maps


@pytest.fixture(scope="module")
def tiny_data_dir(tiny_db, tmp_path_factory):
    """A data folder whose active dataset is the tiny fixture (as the demo)."""
    d = tmp_path_factory.mktemp("explore-data")
    shutil.copy(tiny_db, d / "demo.duckdb")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SINERGI_DATA_DIR", str(d))
        yield d


def test_a_whole_levels_values_by_position_equal_the_joined_query(tiny_data_dir):
    from sinergi import data as sd

    checked = 0
    for ind in ("iks", "idm", "status_idm"):
        years = sd.query("years", indikator=ind)["tahun"].tolist()
        assert years
        for tahun in years:
            for level in (1, 2, 3, 4):
                got = explore.region_values(ind, int(tahun), level, "")
                want = sd.query("region_values", indikator=ind, tahun=int(tahun), level=level, induk="")
                assert got["kode"].tolist() == want["kode"].tolist()
                np.testing.assert_array_equal(got["nilai"].to_numpy(float), want["nilai"].to_numpy(float))
                assert [f if isinstance(f, str) else None for f in got["flag"]] == \
                       [f if isinstance(f, str) else None for f in want["flag"]]
                checked += int(got["nilai"].notna().sum())
    assert checked > 50


def _row(view, kode):
    return view.table.set_index("kode").loc[kode]


# --- views ------------------------------------------------------------------------------------------

def test_status_view_of_a_kabupatens_villages(tiny_data_dir):
    v = explore.choropleth_view("iks", 2024, 4, "97.01", "status")
    assert v.table["kode"].tolist() == ["97.01.01.1003", "97.01.01.2001", "97.01.01.2002", "97.01.02.2001",
                                        "97.01.02.2002"]
    # Charlie (kelurahan) has no IKS: no data, not the lowest class
    assert v.table["c"].tolist() == [-1, 1, 2, 3, 4]
    assert v.legend.counts == [0, 1, 1, 1, 1] and v.legend.n_missing == 1
    assert _row(v, "97.01.01.1003")["kelas"] == "Tidak ada data"
    assert _row(v, "97.01.01.2002")["kelas"].startswith("Berkembang (0,5990–0,7072)")
    assert len(v.geo) == 5


def test_ranks_are_within_each_parent_and_direction_aware(tiny_data_dir):
    v = explore.choropleth_view("iks", 2024, 4, "97.01", "status")
    p = explore.tooltip_props(v, "iks", "id").set_index("kode")
    assert p.loc["97.01.01.2002", "r"] == "1 / 2"  # Bravo 0.65 beats Alfa 0.50 in kecamatan Satu
    assert p.loc["97.01.01.2001", "r"] == "2 / 2"
    assert p.loc["97.01.01.1003", "r"] == ""  # no value, no rank
    assert p.loc["97.01.02.2002", "r"] == "1 / 2"  # Echo 0.85 in kecamatan Dua
    assert p.loc["97.01.02.2002", "v"] == "0,8500"
    assert "k" not in p.columns  # class names come from the legend in the browser


def test_national_versus_parent_class_breaks(tiny_data_dir):
    nat = explore.choropleth_view("iks", 2024, 4, "97.71", "kuantil", k=3, scope="nasional")
    loc = explore.choropleth_view("iks", 2024, 4, "97.71", "kuantil", k=3, scope="induk")
    all7 = np.array([0.50, 0.65, 0.75, 0.85, 0.40, 0.92, 0.60])  # every village with an IKS in 2024
    assert nat.legend.upper == pytest.approx(list(np.quantile(all7, [1 / 3, 2 / 3, 1])))
    # within Kota Uji only three values: each is its own class
    assert loc.legend.upper == pytest.approx([0.40, 0.60, 0.92])
    # counts always describe the three villages on screen
    assert sum(nat.legend.counts) == 3 and sum(loc.legend.counts) == 3
    assert nat.table.set_index("kode")["c"].to_dict() == {"97.71.01.2001": 0, "97.71.01.2002": 2,
                                                          "97.71.01.2003": 0}
    assert loc.table.set_index("kode")["c"].to_dict() == {"97.71.01.2001": 0, "97.71.01.2002": 2,
                                                          "97.71.01.2003": 1}


def _published(script: str, key: str) -> dict:
    import gzip

    from sinergi import mapdata

    token = re.search(r'"%s": "/api/sinergi/data/([0-9a-f]{32})\.json"' % key, script).group(1)
    return json.loads(gzip.decompress(mapdata.get(token).gz))


def test_map_carries_every_region_and_labels_small_views(tiny_data_dir):
    m, v = explore.build_map("iks", 2024, 3, "", "status")
    script = _get_map_string(m)
    fc = _published(script, "geometry")  # 3 kecamatan: GeoJSON, fetched by the browser
    assert sorted(f["properties"]["kode"] for f in fc["features"]) == ["97.01.01", "97.01.02", "97.71.01"]
    assert _published(script, "url")["c"] == [int(c) for c in v.table.set_index("kode").loc[
        [f["properties"]["kode"] for f in fc["features"]], "c"]]
    assert "Peringkat di kab/kota" in script  # the rank says within what
    assert "L.divIcon" in script  # 3 regions: named on the map


def test_large_national_and_province_views_use_tiles(tiny_data_dir, monkeypatch):
    assert explore.tiled_levels() == (3, 4)
    assert not explore.uses_tiles(4, "")  # 8 villages: GeoJSON is lighter
    monkeypatch.setattr(explore, "TILES_FROM", 5)
    assert explore.uses_tiles(4, "") and explore.uses_tiles(4, "97")
    assert not explore.uses_tiles(4, "97.01")  # a kabupaten: GeoJSON
    assert not explore.uses_tiles(3, "")  # 3 kecamatan
    assert not explore.uses_tiles(2, "")  # no tiles of kabupaten
    r = explore.map_regions(4, "97")
    versi = explore.tile_sets()[4]["versi"]
    assert r.kind == "tiles" and r.tiles == f"/api/sinergi/ubin/demo/{versi}/4/{{z}}/{{x}}/{{y}}.pbf"
    assert r.codes.endswith("/4/kode.json") and r.names.endswith("/4/nama.json")
    assert list(r.order) == sorted(r.order) and len(r.order) == 8  # feature ids: codes in order
    assert r.bounds == [[-12.0, 100.0], [-10.0, 104.0]]  # the province's box
    ts, pad = explore.tile_sets()[4], maps.EXTENT_MARGIN  # tiles are asked for within the tile set's regions
    assert np.allclose(r.extent, [[ts["miny"] - pad, ts["minx"] - pad], [ts["maxy"] + pad, ts["maxx"] + pad]])
    assert r.options()["extent"] == r.extent and "extent" not in explore.map_regions(3, "").options()
    m, v = explore.build_map("iks", 2024, 4, "97.01", "status")
    assert '"kind": "geojson"' in _get_map_string(m)
    m, v = explore.build_map("iks", 2024, 4, "", "status")
    script = _get_map_string(m)
    assert '"kind": "tiles"' in script and "L.divIcon" not in script
    c = _published(script, "url")["c"]
    assert c == v.table.set_index("kode").loc[list(r.order), "c"].astype(int).tolist()
    tip = _published(script, "tip")
    assert tip["v"]["d"] == 4 and tip["r"]["rank"][list(r.order).index("97.01.01.2002")] is not None


def test_national_villages_are_offered_when_the_file_has_tiles(tiny_data_dir):
    at = _run({"tingkat": "4"})
    assert at.selectbox(key="peta_tingkat").value == 4 and len(at.selectbox(key="peta_tingkat").options) == 4
    assert _qp(at)["tingkat"] == "4"


def test_cached_map_is_reused(tiny_data_dir):
    a = explore.choropleth_map("iks", 2024, 2, "97", "status")
    b = explore.choropleth_map("iks", 2024, 2, "97", "status")
    assert a[0] is b[0]
    c = explore.choropleth_map("iks", 2024, 2, "97", "kuantil", k=3)
    assert c[0] is not a[0]


def test_tiles_from_environment(monkeypatch):
    monkeypatch.delenv(explore.ENV_TILES, raising=False)
    assert explore.tile_config() == (None, None)
    monkeypatch.setenv(explore.ENV_TILES, "javascript:alert(1)")
    assert explore.tile_config() == (None, None)
    monkeypatch.setenv(explore.ENV_TILES, "/tiles/{z}/{x}/{y}.png")
    monkeypatch.setenv(explore.ENV_TILES_ATTR, "Peta lokal")
    assert explore.tile_config() == ("/tiles/{z}/{x}/{y}.png", "Peta lokal")


def test_selection_panel_numbers(tiny_data_dir):
    v = explore.choropleth_view("iks", 2024, 4, "97.01.01", "status")
    p = explore.selection_panel(v, "97.01.01.2002", "iks", 2024, "id")
    assert p["nama"] == "Bravo" and p["jenis"] == "desa" and p["chain"] == ["Nusa Uji", "Kabupaten Uji", "Satu"]
    assert p["nilai"] == "0,6500" and p["rank"] == "1 / 2"
    # 4 of the 7 villages with an IKS have 0.65 or less: 57th percentile, in the province and nationally
    assert p["pct_provinsi"] == "57" and p["pct_nasional"] == "57"
    prov = explore.selection_panel(explore.choropleth_view("iks", 2024, 1, "", "status"), "97", "iks", 2024, "en")
    assert prov["pct_provinsi"] == "–"  # a province within its own province means nothing
    assert prov["rank"] == "1 / 1"
    assert explore.selection_panel(v, "97.01.01.2999", "iks", 2024, "id") is None


def test_clicked_kode():
    feature = {"type": "Feature", "properties": {"kode": "9701012001", "nama": "Alfa"}, "geometry": None}
    assert explore.clicked_kode({"last_active_drawing": feature}) == "97.01.01.2001"
    assert explore.clicked_kode({"last_active_drawing": None}) == ""
    assert explore.clicked_kode({"last_active_drawing": {"properties": {"kode": "<img>"}}}) == ""
    assert explore.clicked_kode({"last_active_drawing": {"properties": {"kode": 97}}}) == ""
    assert explore.clicked_kode(None) == ""


def test_copy_link_html_escapes_the_url():
    url = 'http://h/peta?x="><script>alert(1)</script>'
    page = explore.copy_link_html(url, "Salin <tautan>", "Disalin", "Gagal")
    assert "<script>alert(1)" not in page
    assert 'value="http://h/peta?x=&quot;&gt;&lt;script&gt;' in page
    assert json.dumps(url).replace("<", "\\u003c") in page
    assert "Salin &lt;tautan&gt;" in page
    assert "src=" not in page and "href=" not in page  # self-contained: works offline


# --- the page (AppTest) -----------------------------------------------------------------------------

def _run(query=None):
    return open_page("pages/peta.py", query, timeout=60)


def _qp(at) -> dict:
    return {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def _metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def _crumbs(at) -> list[tuple[str, bool]]:
    return [(b.label, b.disabled) for b in at.button if b.key and b.key.startswith("peta_up_")]


def _legend(at) -> list[str]:
    """The map's legend as the user reads it: one line of text per row."""
    (spec,) = map_legends(at)
    return legend_lines(spec)


def test_page_defaults_open_on_the_single_provinces_villages(tiny_data_dir):
    at = _run()  # the fixture holds one province with 8 villages: its villages, not one lone polygon
    assert explore.home_view() == ("97", 4)
    assert _crumbs(at) == [("Indonesia", False), ("Nusa Uji", True)]
    assert at.selectbox(key="peta_ind").value == "iks" and at.selectbox(key="peta_tingkat").value == 4
    assert at.selectbox(key="peta_kelas").value == "status"
    assert _legend(at) == ["Indeks Ketahanan Sosial (IKS) (indeks 0–1)", "Sangat Tertinggal (0,0000–0,4907) (1)",
                           "Tertinggal (0,4908–0,5989) (1)", "Berkembang (0,5990–0,7072) (2)",
                           "Maju (0,7073–0,8155) (1)", "Mandiri (0,8156–1,0000) (2)", "Tidak ada data (1)"]
    assert "Klik wilayah" in at.info[0].value  # no selection yet
    assert _qp(at) == {"ind": "iks", "tahun": "2024", "tingkat": "4", "wilayah": "97"}  # the URL says it all


def test_page_shows_indonesias_provinces_when_asked(tiny_data_dir):
    at = _run({"tingkat": "1"})
    assert _crumbs(at) == [("Indonesia", True)]
    # one province, IKS 2024 weighted by population = 0.6634 (Berkembang)
    assert _legend(at) == ["Indeks Ketahanan Sosial (IKS) (indeks 0–1)", "Sangat Tertinggal (0,0000–0,4907) (0)",
                           "Tertinggal (0,4908–0,5989) (0)", "Berkembang (0,5990–0,7072) (1)",
                           "Maju (0,7073–0,8155) (0)", "Mandiri (0,8156–1,0000) (0)", "Tidak ada data (0)"]
    assert _qp(at) == {"ind": "iks", "tahun": "2024", "tingkat": "1"}


def test_page_from_url_shows_breadcrumb_legend_and_profile(tiny_data_dir):
    at = _run({"wilayah": "9701", "tingkat": "4", "pilih": "97.01.01.2002", "kelas": "kuantil", "k": "3",
               "cakupan": "induk"})
    assert _crumbs(at) == [("Indonesia", False), ("Nusa Uji", False), ("Kabupaten Uji", True)]
    assert at.subheader[0].value.endswith("desa/kelurahan di Kabupaten Uji")
    # breaks over the kabupaten's four villages with a value (0.50, 0.65, 0.75, 0.85), Charlie has none
    assert _legend(at)[1:] == ["0,5000–0,6500 (2)", "> 0,6500–0,7500 (1)", "> 0,7500–0,8500 (1)",
                               "Tidak ada data (1)"]
    assert [s.value for s in at.subheader][1] == "Bravo"
    assert _metrics(at) == {"Nilai": "0,6500", "Kelas": "0,5000–0,6500",
                            "Peringkat di kecamatan": "1 / 2", "Persentil di provinsi": "57",
                            "Persentil nasional": "57"}
    assert at.selectbox(key="peta_kelas").value == "kuantil" and at.slider(key="peta_k").value == 3
    assert at.radio(key="peta_cakupan").value == "induk"
    assert "peta_drill" not in [b.key for b in at.button]  # a village has nothing below it
    code = _link(at)
    assert code.startswith("/peta?") and "pilih=97.01.01.2002" in code and "wilayah=97.01" in code


def _link(at) -> str | None:
    """The view's link shown under the map (inline code in the ``peta_link`` container), None when absent."""
    shown = [m.value for m in at.markdown if m.value.startswith("`") and "/peta" in m.value]
    return shown[0].strip("`") if shown else None


def test_page_in_english_with_bad_url_values(tiny_data_dir):
    at = _run({"lang": "en", "ind": "<b>", "tingkat": "7", "k": "99", "palet": "x", "pilih": "' or 1=1"})
    assert at.selectbox(key="peta_ind").value == "iks" and at.selectbox(key="peta_tingkat").value == 1
    assert _crumbs(at) == [("Indonesia", True)]
    assert at.title[0].value == "Map explorer"
    assert "Click a region" in at.info[0].value
    assert _qp(at) == {"lang": "en", "ind": "iks", "tahun": "2024", "tingkat": "1"}


def test_drill_down_and_back_up(tiny_data_dir):
    at = _run({"pilih": "97"})
    assert [s.value for s in at.subheader][1] == "Nusa Uji"
    assert _metrics(at)["Kelas"] == "Berkembang"  # the status name; the range is in the legend
    at.button(key="peta_drill").click().run()
    assert _qp(at)["wilayah"] == "97" and _qp(at)["tingkat"] == "2" and "pilih" not in _qp(at)
    assert _crumbs(at) == [("Indonesia", False), ("Nusa Uji", True)]
    at.query_params["pilih"] = "97.71"
    at.run()
    at.button(key="peta_drill").click().run()
    assert _crumbs(at)[-1] == ("Kota Uji", True)
    assert at.selectbox(key="peta_tingkat").options == ["Kecamatan", "Desa/kelurahan"]
    at.button(key="peta_up_id").click().run()
    q = _qp(at)
    assert q["tingkat"] == "1" and "wilayah" not in q and q["pilih"] == "97"  # back up, where we came from
    assert [s.value for s in at.subheader][1] == "Nusa Uji"


def test_search_goes_to_the_region_and_selects_it(tiny_data_dir):
    at = _run()
    at.text_input(key="peta_q").input("Desa  ALFA").run()
    q = _qp(at)
    assert (q["wilayah"], q["tingkat"], q["pilih"]) == ("97.01.01", "4", "97.01.01.2001")
    assert [s.value for s in at.subheader][1] == "Alfa"
    assert _crumbs(at)[-1] == ("Satu", True)
    at.text_input(key="peta_q").input("uji").run()  # two equally good answers: the user picks one
    assert _qp(at)["pilih"] == "97.01.01.2001"
    hits = [b for b in at.button if b.key and b.key.startswith("peta_hit_")]
    assert [b.key for b in hits][:2] == ["peta_hit_97.01", "peta_hit_97.71"]
    hits[1].click().run()
    q = _qp(at)
    assert (q.get("wilayah"), q["tingkat"], q["pilih"]) == ("97", "2", "97.71")
    at.text_input(key="peta_q").input("zulu").run()
    assert "zulu" in at.warning[0].value


def test_theme_and_indicator_change_keep_the_view_valid(tiny_data_dir):
    at = _run({"wilayah": "97.01", "tingkat": "3"})
    at.selectbox(key="peta_tema").set_value("kapasitas_sdm").run()
    q = _qp(at)
    assert q["ind"] == "pendidikan_sma_pct" and q["wilayah"] == "97.01"
    assert at.selectbox(key="peta_kelas").options == ["Kuantil", "Interval sama", "Natural breaks (Fisher-Jenks)"]
    at.selectbox(key="peta_kelas").set_value("jenks").run()
    assert _qp(at)["kelas"] == "jenks"
    at.selectbox(key="peta_tingkat").set_value(4).run()
    assert _qp(at)["tingkat"] == "4"
    assert "Persentil" not in " ".join(m.label for m in at.metric)  # nothing selected


# --- geometry thinned for large views -------------------------------------------------------------

def _frame(geoms, kodes):
    b = shapely.bounds(np.asarray(geoms, dtype=object))
    return pd.DataFrame({"kode": kodes, "geojson": shapely.to_geojson(np.asarray(geoms, dtype=object)),
                         "minx": b[:, 0], "miny": b[:, 1], "maxx": b[:, 2], "maxy": b[:, 3]})


def _zigzag_pair():
    """Two 15°-wide neighbours whose shared edge zigzags (amplitude 0.001°, 600 vertices)."""
    ys = np.linspace(0, 15, 601)
    xs = 15 + 0.001 * (np.arange(601) % 2)
    edge = list(zip(xs, ys))
    left = shapely.Polygon([(0, 0), *edge, (0, 15)])
    right = shapely.Polygon([(30, 0), (30, 15), *edge[::-1]])
    return left, right


def test_large_view_is_simplified_as_a_coverage():
    left, right = _zigzag_pair()
    island = shapely.box(5, 20, 5.01, 20.01)  # 0.01° square: far below 2×2 "pixels" of 0.015°
    tiny_only = shapely.box(25, 20, 25.005, 20.005)  # a region that is only a speck keeps it
    geo = _frame([shapely.MultiPolygon([left, island]), right, tiny_only], ["1", "2", "3"])
    out = explore.lighten_for_view(geo, level=2)
    g = shapely.from_geojson(out["geojson"].to_numpy())
    assert shapely.get_num_geometries(g).tolist() == [1, 1, 1]  # island gone, speck kept
    assert shapely.get_num_coordinates(g)[:2].max() < 20  # the zigzag is gone (was 600 vertices)
    assert shapely.is_valid(g).all()
    # neighbours still share their edge: no gap, no overlap
    assert shapely.area(shapely.intersection(g[0], g[1])) == pytest.approx(0, abs=1e-9)
    assert shapely.area(shapely.union(g[0], g[1])) == pytest.approx(shapely.area(g[0]) + shapely.area(g[1]))
    assert shapely.area(shapely.union(g[0], g[1])) == pytest.approx(450, rel=1e-3)


def test_large_view_fills_holes_smaller_than_its_pixels():
    # a parent built by a plain union of villages that do not fit: 300 sliver holes, and a real lake
    left, right = _zigzag_pair()
    slivers = [shapely.box(x, y, x + 0.004, y + 0.0005) for x in np.linspace(1, 13, 20) for y in np.linspace(1, 11, 15)]
    lake = shapely.Point(7, 13.2).buffer(1.0)
    holed = shapely.Polygon(left.exterior, [s.exterior for s in slivers] + [lake.exterior])
    geo = _frame([holed, right], ["1", "2"])
    assert shapely.is_valid(holed)
    out = explore.lighten_for_view(geo, level=2)
    g = shapely.from_geojson(out["geojson"].to_numpy())
    assert shapely.is_valid(g).all()
    assert len(g[0].interiors) == 1 and shapely.Polygon(g[0].interiors[0]).area == pytest.approx(lake.area, rel=0.05)
    assert len(out["geojson"][0]) < len(geo["geojson"][0]) / 10


def test_small_view_keeps_its_geometry():
    left, right = _zigzag_pair()
    small = shapely.affinity.scale(shapely.MultiPolygon([left, right]), 0.01, 0.01, origin=(0, 0))
    geo = _frame(list(small.geoms), ["1", "2"])
    assert explore.lighten_for_view(geo, level=4) is geo  # 0.3° view: a pixel is below the level tolerance


def test_view_geometry_is_cached_and_complete(tiny_data_dir):
    a = explore.view_geometry(4, "97.01")
    assert a is explore.view_geometry(4, "97.01")
    assert a["kode"].tolist() == ["97.01.01.1003", "97.01.01.2001", "97.01.01.2002", "97.01.02.2001",
                                  "97.01.02.2002"]


def test_presentation_mode_keeps_the_picture_only(tiny_data_dir):
    at = _run({"mode": "presentasi", "pilih": "97"})
    assert at.subheader[0].value.replace("\\", "") == "Indeks Ketahanan Sosial (IKS) 2024 — provinsi di Indonesia"
    assert [s.value for s in at.subheader][1] == "Nusa Uji"  # the selected region's panel stays
    assert _link(at) is None  # no link box, no export menu below the picture
    normal = _run({"pilih": "97"})
    assert _link(normal).startswith("/peta?") and "pilih=97" in _link(normal)


def test_thinning_leaves_regions_without_geometry_alone():
    left, right = _zigzag_pair()
    island = shapely.box(5, 20, 5.01, 20.01)
    geo = _frame([shapely.MultiPolygon([left, island]), right, left], ["1", "2", "3"])
    geo.loc[2, "geojson"] = None  # no boundary for region 3
    out = explore.lighten_for_view(geo, level=2)
    assert out["kode"].tolist() == ["1", "2", "3"] and not isinstance(out["geojson"][2], str)
    assert shapely.get_num_geometries(shapely.from_geojson(out["geojson"][0])) == 1


def test_names_from_data_are_shown_as_text(tiny_data_dir):
    from sinergi import themes

    at = _run()
    at.text_input(key="peta_q").input("echo").run()
    assert _qp(at)["pilih"] == "97.01.02.2002"
    assert [s.value for s in at.subheader][1] == themes.md("Echo <b>") == "Echo \\<b\\>"
    hit = next(b for b in at.button if b.key == "peta_hit_97.01.02.2002")
    assert "\\<b\\>" in hit.label  # a Markdown button label: the name's characters are escaped


def test_label_points_come_largest_first_with_short_names():
    geo = pd.DataFrame({"kode": ["1", "2", "3", "4"], "nama": ["Kota Banjar", "Kabupaten Bandung", "Kota Bandung",
                                                             "Pulau tanpa titik"],
                        "lon": [1.0, 2.0, 3.0, None], "lat": [1.0, 2.0, 3.0, None], "luas_km2": [130.0, 1760.0, 167.0, 5.0]})
    assert explore.region_label_points(geo) == [(2.0, 2.0, "Kabupaten Bandung"), (3.0, 3.0, "Kota Bandung"),
                                                (1.0, 1.0, "Banjar")]
    assert explore.region_label_points(geo.iloc[:0]) is None

"""Boundary files: GeoJSON, GeoPackage and zipped Shapefile; CRS, repairs, field and level detection."""

import zipfile

import geopandas as gpd
import numpy as np
import pytest
import shapely

from sinergi.importers import ImporGagal, boundaries
from sinergi.importers.report import Laporan

from .conftest import DESA, geojson_desa, kotak, tulis_geojson


def _baca(path, **kw):
    lap = Laporan("batas", path.name, "uji")
    return boundaries.baca_batas(path, lap, **kw), lap


def _shp_zip(tmp_path, gdf, name="desa", keep=(".shp", ".shx", ".dbf", ".prj", ".cpg")):
    folder = tmp_path / "shp"
    folder.mkdir(exist_ok=True)
    gdf.to_file(folder / f"{name}.shp")
    z = tmp_path / f"{name}.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for f in folder.iterdir():
            if f.suffix in keep:
                zf.write(f, f.name)
    return z


def _gdf_desa(crs="EPSG:4326"):
    gdf = gpd.GeoDataFrame({"KDEPUM": [k.replace(".", "") for k, *_ in DESA], "WADMKD": [n for _, n, *_ in DESA]},
                           geometry=[kotak(x, y) for *_, x, y in DESA], crs="EPSG:4326")
    return gdf.to_crs(crs)


def test_geojson_fields_and_level_are_detected(tmp_path):
    frame, lap = _baca(geojson_desa(tmp_path / "desa.geojson"))
    assert lap.tingkat == 4 and lap.format == "geojson" and lap.baris == 8
    assert frame["kode"].tolist() == [k for k, *_ in DESA]
    assert frame["nama"].tolist() == [n for _, n, *_ in DESA]
    assert set(frame["nama_3"]) == {"Satu", "Dua", "Tiga"} and set(frame["nama_1"]) == {"Nusa Uji"}
    assert lap.kolom["kode"].startswith("kode (Kemendagri)")


def test_zipped_shapefile_in_utm_is_reprojected_to_wgs84(tmp_path):
    z = _shp_zip(tmp_path, _gdf_desa("EPSG:32749"))
    frame, lap = _baca(z)
    assert lap.format == "shp" and lap.kolom["KDEPUM"].startswith("kode") and lap.kolom["WADMKD"] == "nama"
    assert frame["kode"].iloc[0] == "97.01.01.2001"
    # Back in lon/lat, the squares' corners are where they started (UTM round trip, < 1e-6 degrees).
    got = shapely.bounds(frame["geom"].to_numpy())
    want = shapely.bounds(np.array([kotak(x, y) for *_, x, y in DESA]))
    np.testing.assert_allclose(got, want, atol=1e-6)
    assert any("diproyeksikan ulang" in m.pesan and "32749" in m.pesan for m in lap.masalah)


def test_shapefile_without_prj_needs_a_crs(tmp_path):
    z = _shp_zip(tmp_path, _gdf_desa(), keep=(".shp", ".shx", ".dbf"))
    with pytest.raises(ImporGagal, match=r"CRS\) desa.zip tidak diketahui: tidak ada berkas .prj"):
        _baca(z)
    frame, _ = _baca(z, crs="EPSG:4326")
    assert len(frame) == 8


def test_zip_without_shp_or_incomplete_is_refused(tmp_path):
    z = tmp_path / "kosong.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("catatan.txt", "tidak ada peta")
    with pytest.raises(ImporGagal, match="tidak berisi berkas .shp"):
        _baca(z)
    z2 = _shp_zip(tmp_path, _gdf_desa(), keep=(".shp", ".prj"))
    with pytest.raises(ImporGagal, match="tidak lengkap: tidak ada .shx, .dbf"):
        _baca(z2)


def test_geopackage_is_read(tmp_path):
    p = tmp_path / "desa.gpkg"
    _gdf_desa("EPSG:3857").to_file(p, layer="batas_desa", driver="GPKG")
    frame, lap = _baca(p)
    assert lap.format == "gpkg" and len(frame) == 8
    assert abs(frame["geom"].iloc[0].bounds[0] - 110) < 1e-6


def test_self_intersecting_polygon_is_repaired_and_multipolygons_kept(tmp_path):
    bowtie = shapely.Polygon([(110, -8), (111, -7), (111, -8), (110, -7), (110, -8)])
    islands = shapely.MultiPolygon([kotak(1, 0), kotak(3, 0)])
    p = tulis_geojson(tmp_path / "rusak.geojson", [({"kode": "9701012001", "nama": "Dasi"}, bowtie),
                                                    ({"kode": "9701012002", "nama": "Pulau"}, islands)])
    frame, lap = _baca(p)
    assert not shapely.is_valid(bowtie)
    g = frame.set_index("kode")["geom"]
    assert shapely.is_valid(g["97.01.01.2001"]) and g["97.01.01.2001"].area == pytest.approx(0.5)
    assert g["97.01.01.2002"].geom_type == "MultiPolygon" and len(g["97.01.01.2002"].geoms) == 2
    assert lap.geometri_diperbaiki == 1
    assert any("1 poligon tidak sah" in m.pesan and "diperbaiki" in m.pesan for m in lap.masalah)


def test_features_sharing_a_code_are_merged_and_bad_codes_listed(tmp_path):
    p = tulis_geojson(tmp_path / "dup.geojson", [
        ({"kode_desa": "9701012001", "nama": "A"}, kotak(0, 0)),
        ({"kode_desa": "9701012001", "nama": "A"}, kotak(5, 0)),
        ({"kode_desa": "bukan-kode", "nama": "X"}, kotak(1, 0)),
        ({"kode_desa": "9701012002", "nama": "B"}, kotak(2, 0)),
    ])
    frame, lap = _baca(p)
    assert frame["kode"].tolist() == ["97.01.01.2001", "97.01.01.2002"]
    assert frame.set_index("kode")["geom"]["97.01.01.2001"].geom_type == "MultiPolygon"
    assert lap.duplikat == 1
    assert lap.tidak_cocok[["baris", "kode_asal", "alasan"]].values.tolist() == [[3, "bukan-kode",
                                                                                 "bukan kode Kemendagri"]]


def test_html_in_names_stays_text(tmp_path):
    evil = '<script>alert("x")</script>'
    frame, _ = _baca(geojson_desa(tmp_path / "html.geojson", {"97.01.01.2001": evil}))
    assert frame["nama"].iloc[0] == evil


def test_points_and_projected_coordinates_without_crs_are_refused(tmp_path):
    pts = tulis_geojson(tmp_path / "titik.geojson", [({"kode": "9701012001"}, shapely.Point(110, -7))])
    with pytest.raises(ImporGagal, match="bukan poligon"):
        _baca(pts)
    utm = _gdf_desa("EPSG:32749")
    z = _shp_zip(tmp_path, utm, keep=(".shp", ".shx", ".dbf"))
    with pytest.raises(ImporGagal, match="bukan derajat bujur/lintang"):
        _baca(z, crs="EPSG:4326")  # metres declared as degrees


def test_no_code_field_and_unknown_format(tmp_path):
    p = tulis_geojson(tmp_path / "tanpa_kode.geojson", [({"judul": "x"}, kotak(0, 0))])
    with pytest.raises(ImporGagal, match="Kolom kode wilayah tidak ditemukan"):
        _baca(p)
    k = tmp_path / "peta.kml"
    k.write_text("<kml/>")
    with pytest.raises(ImporGagal, match="Format batas .kml tidak dikenal"):
        _baca(k)

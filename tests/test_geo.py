"""Tests of the geometry helpers (sinergi/geo.py)."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from sinergi import demo, geo


@pytest.fixture(scope="module")
def desa_kecil():
    """Village polygons of the small demo dataset, with their kecamatan codes."""
    r = demo.generate("kecil").regions
    return r[r.level == 4]


def test_area_of_one_degree_box_at_equator():
    luas = geo.area_km2(np.array([shapely.box(0, 0, 1, 1)]))
    assert luas.shape == (1,)
    assert luas[0] == pytest.approx(12_364, rel=0.01)


def test_area_accepts_scalars_lists_and_missing():
    assert geo.area_km2(shapely.box(100, -10, 101, -9))[0] == pytest.approx(12_160, rel=0.01)
    luas = geo.area_km2([shapely.box(0, 0, 1, 1), None, shapely.Polygon(), shapely.Point(0, 0)])
    assert luas[0] > 0 and np.isnan(luas[1]) and luas[2] == 0 and luas[3] == 0


def test_area_is_additive_and_shrinks_towards_the_poles():
    kiri, kanan = shapely.box(110, -8, 110.5, -7), shapely.box(110.5, -8, 111, -7)
    a = geo.area_km2([kiri, kanan, shapely.union_all([kiri, kanan])])
    assert a[0] + a[1] == pytest.approx(a[2], rel=1e-9)
    utara, khatulistiwa = geo.area_km2([shapely.box(0, 60, 1, 61), shapely.box(0, 0, 1, 1)])
    # About cos(latitude) (the ellipsoid makes it ~1 % larger than on a sphere).
    assert utara / khatulistiwa == pytest.approx(np.cos(np.radians(60.5)), rel=0.02)


def test_display_geometry_keeps_a_valid_coverage_and_reduces_vertices(desa_kecil):
    kec = desa_kecil["kode_kec"].value_counts().index[0]
    asli = desa_kecil.loc[desa_kecil.kode_kec == kec, "geom"].to_numpy()
    assert shapely.coverage_is_valid(asli)
    for level in (4, 3, 1):
        tampil = geo.display_geometry(asli, level)
        assert tampil.shape == asli.shape
        assert shapely.is_valid(tampil).all() and not shapely.is_empty(tampil).any()
        assert shapely.coverage_is_valid(tampil)
        assert shapely.get_num_coordinates(tampil).sum() < shapely.get_num_coordinates(asli).sum()
        # Rounded to 1e-5 degrees.
        xy = shapely.get_coordinates(tampil)
        assert np.allclose(xy, np.round(xy, 5), atol=1e-9)
        # Still roughly the same shapes.
        beda = shapely.area(shapely.symmetric_difference(tampil, asli)) / shapely.area(asli)
        assert np.median(beda) < 0.1


def test_display_geometry_coarser_for_higher_levels(desa_kecil):
    asli = desa_kecil["geom"].to_numpy()
    n = [shapely.get_num_coordinates(geo.display_geometry(asli, level)).sum() for level in (4, 3, 2, 1)]
    assert n == sorted(n, reverse=True) and n[0] > n[-1]


def test_display_geometry_passes_missing_and_non_polygons_through():
    kotak = shapely.box(0, 0, 1, 1)
    hasil = geo.display_geometry(np.array([kotak, None, shapely.Point(0.123456789, 1), shapely.Polygon()],
                                          dtype=object), 1)
    assert hasil[0].equals(kotak)
    assert hasil[1] is None
    assert hasil[2].equals(shapely.Point(0.12346, 1))
    assert hasil[3].is_empty


def test_display_geometry_never_returns_empty_for_tiny_polygons():
    kecil = shapely.box(0, 0, 2e-5, 2e-5)  # collapses on the 1e-5 grid after a coarse simplification
    sisi = shapely.box(2e-5, 0, 1, 1)
    hasil = geo.display_geometry(np.array([kecil, sisi], dtype=object), 1)
    assert shapely.is_valid(hasil).all() and not shapely.is_empty(hasil).any()


def test_display_geometry_repairs_invalid_and_tolerates_overlaps():
    dasi = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)])
    tumpang = [shapely.box(0, 0, 1, 1), shapely.box(0.5, 0.5, 1.5, 1.5)]  # not a coverage
    for geoms in ([dasi, shapely.box(1, 0, 2, 1)], tumpang):
        hasil = geo.display_geometry(np.array(geoms, dtype=object), 2)
        assert shapely.is_valid(hasil).all() and not shapely.is_empty(hasil).any()
        assert geo.is_poligonal(hasil).all()


def test_make_valid_polygonal():
    dasi = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)])  # self-intersecting bow-tie
    garis = shapely.Polygon([(0, 0), (1, 0), (2, 0), (0, 0)])            # collapsed to a line
    kotak = shapely.box(0, 0, 1, 1)
    hasil = geo.make_valid_polygonal([dasi, garis, kotak, None])
    assert shapely.is_valid(hasil[:3]).all()
    assert geo.is_poligonal(hasil[:3]).all()
    assert hasil[0].area == pytest.approx(0.5)
    assert hasil[1].is_empty
    assert hasil[2] is kotak
    assert hasil[3] is None

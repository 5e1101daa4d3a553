"""Tests of the geometry helpers (sinergi/geo.py)."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from sinergi import coverage, demo, geo


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


def test_display_geometry_of_polygons_simplified_one_by_one_stays_light(desa_kecil):
    from perturb import perturb

    kec = desa_kecil["kode_kec"].value_counts().index[:3]
    asli = desa_kecil.loc[desa_kecil.kode_kec.isin(kec), "geom"].to_numpy()
    kacau = perturb(asli, seed=1)  # neighbours no longer share edges: gaps and overlaps of tens of metres
    assert not shapely.coverage_is_valid(kacau)
    for level in (4, 3):
        tampil = geo.display_geometry(kacau, level)
        assert shapely.is_valid(tampil).all() and not shapely.is_empty(tampil).any()
        # as light as the same villages with exact edges (the coverage simplifier kept a node wherever two
        # messy neighbours happened to share a vertex: several times the vertices)
        bersih = shapely.get_num_coordinates(geo.display_geometry(asli, level)).sum()
        assert shapely.get_num_coordinates(tampil).sum() <= 1.2 * bersih
        assert shapely.get_num_coordinates(shapely.coverage_simplify(kacau, geo.TOLERANSI_TAMPILAN[level])).sum() \
            > 1.5 * shapely.get_num_coordinates(tampil).sum()
        beda = shapely.area(shapely.symmetric_difference(tampil, kacau)) / shapely.area(kacau)
        assert np.median(beda) < 0.1


# --- closing the gaps between children (sinergi/coverage.py) ------------------------------------------

M = coverage.M_PER_DERAJAT


def _kotak_m(x0, y0, x1, y1, lat=-7.0, lon=110.0):
    """A box given in metres east/north of (lon, lat), in degrees."""
    k = M * np.cos(np.radians(lat))
    return shapely.box(lon + x0 / k, lat + y0 / M, lon + x1 / k, lat + y1 / M)


def test_width_is_the_largest_inscribed_circle_in_metres():
    w = coverage.lebar_m([_kotak_m(0, 0, 2000, 100), _kotak_m(0, 0, 50, 3000, lat=5.5), _kotak_m(0, 0, 1000, 1000)])
    assert w == pytest.approx([100, 50, 1000], abs=1.5)
    assert coverage.lebar_m([]).shape == (0,)


def test_remove_holes_drops_only_the_chosen_rings():
    kecil, besar = _kotak_m(100, 100, 120, 120), _kotak_m(300, 300, 700, 700)
    satu = shapely.Polygon(_kotak_m(0, 0, 1000, 1000).exterior, [kecil.exterior, besar.exterior])
    dua = shapely.MultiPolygon([satu, shapely.Polygon(_kotak_m(2000, 0, 3000, 1000).exterior, [kecil.exterior])])
    polos = _kotak_m(5000, 0, 6000, 1000)
    hasil, buang = coverage.remove_holes([satu, None, dua, polos],
                                         lambda h, owner: shapely.area(h) < shapely.area(besar) / 10)
    assert len(buang) == 3 and hasil[1] is None and hasil[3] is polos
    assert hasil[0].geom_type == "Polygon" and len(hasil[0].interiors) == 1
    assert shapely.Polygon(hasil[0].interiors[0]).equals(besar)
    assert hasil[2].geom_type == "MultiPolygon" and [len(p.interiors) for p in hasil[2].geoms] == [1, 0]
    same, none = coverage.remove_holes([satu], lambda h, owner: np.zeros(len(h), bool))
    assert same[0] is satu and len(none) == 0


def test_union_closes_narrow_gaps_and_keeps_lakes_and_enclaves():
    # a 2 x 1 km parent of five children: between them a 920 x 40 m sliver; a 300 m lake; a 60 m wide hole
    # that holds a village of another parent (an enclave); an overlap of 20 x 600 m between two children
    a = shapely.difference(_kotak_m(0, 0, 1000, 1000), _kotak_m(400, 400, 700, 700))  # the lake is in a
    b = _kotak_m(980, 0, 2000, 600)  # overlaps a by 20 m
    c = shapely.difference(_kotak_m(1040, 640, 2000, 1000), _kotak_m(1500, 800, 1560, 860))  # 40 m above b
    kiri, kanan = _kotak_m(1000, 600, 1040, 1000), _kotak_m(1960, 600, 2000, 640)  # the sliver's ends
    enklave = _kotak_m(1510, 810, 1550, 850)  # inside c's 60 m hole, of another parent
    sliver_parent = [a, b, c, kiri, kanan]
    hasil, celah = coverage.union_closing_gaps([sliver_parent], tetangga=[enklave])
    g = hasil[0]
    assert shapely.is_valid(g) and g.geom_type == "Polygon"
    holes = [shapely.Polygon(h) for h in g.interiors]
    assert sorted(round(coverage.lebar_m([h])[0], -1) for h in holes) == [60, 300]  # lake and enclave kept
    assert (celah.induk, celah.celah, celah.lubang) == (1, 1, 2)
    assert celah.luas_celah_km2 == pytest.approx(920 * 40 / 1e6, rel=0.02)  # the sliver
    assert celah.tumpang_km2 == pytest.approx(20 * 600 / 1e6, rel=0.02)  # a and b overlap 20 x 600 m
    # without the enclave's village, its 60 m hole is a gap too; with tolerance 0 nothing closes
    assert coverage.union_closing_gaps([sliver_parent])[1].celah == 2
    plain, nol = coverage.union_closing_gaps([sliver_parent], tolerance_m=0)
    assert (nol.celah, nol.lubang) == (0, 3) and plain[0].equals(shapely.union_all(sliver_parent))
    # a 150 m gap is wider than the tolerance and stays
    lebar = [_kotak_m(0, 0, 1000, 1000), _kotak_m(1150, 0, 2000, 1000), _kotak_m(1000, 0, 1150, 400),
             _kotak_m(1000, 600, 1150, 1000)]
    assert coverage.union_closing_gaps([lebar])[1].lubang == 1

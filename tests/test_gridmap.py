"""The equal-area grid view's layout (sinergi/gridmap.py): one cell per region, none shared, equal squares,
near the true places, parents as contiguous blocks, deterministic; on real boundaries where present."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from scipy.stats import spearmanr

from sinergi import gridmap

REAL = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "real"


def _country(seed: int = 7) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """600 regions in 30 parents across an archipelago-like spread (95°..141° E, 11° S..6° N): a dense
    island (half the regions in a small area, as Java) and sparse ones."""
    rng = np.random.default_rng(seed)
    lon, lat, parent = [], [], []
    for p in range(30):
        dense = p < 15
        cx = rng.uniform(105, 115) if dense else rng.uniform(95, 141)
        cy = rng.uniform(-8, -6) if dense else rng.uniform(-11, 6)
        spread = 0.3 if dense else 1.5
        for _ in range(20):
            lon.append(cx + rng.normal(0, spread))
            lat.append(cy + rng.normal(0, spread))
            parent.append(f"{p + 10}")
    return np.array(lon), np.array(lat), parent


def _cells(lay: gridmap.Layout) -> list[tuple[int, int]]:
    return list(zip(lay.col.tolist(), lay.row.tolist()))


def test_every_region_gets_exactly_one_cell_and_no_cell_is_shared():
    lon, lat, parent = _country()
    lay = gridmap.layout(lon, lat, parent)
    assert len(lay) == len(lon) == 600
    assert len(set(_cells(lay))) == 600
    assert lay.col.min() == 0 and lay.row.min() == 0  # cells counted from the south-west corner


def test_squares_are_equal_and_square_on_the_drawn_plane():
    lon, lat, parent = _country()
    lay = gridmap.layout(lon, lat, parent)
    minx, miny, maxx, maxy = gridmap.squares(lay)
    x0, y0 = gridmap.project(minx, miny)
    x1, y1 = gridmap.project(maxx, maxy)
    w, h = x1 - x0, y1 - y0
    assert np.allclose(w, lay.size) and np.allclose(h, lay.size)  # the same side everywhere, width = height
    assert np.ptp(w * h) < 1e-6 * lay.size ** 2
    boxes = shapely.box(x0, y0, x1, y1)  # squares touch at most along an edge
    assert shapely.area(shapely.union_all(boxes)) == pytest.approx(600 * lay.size ** 2, rel=1e-9)
    # with a gap the squares shrink alike and stay inside their cells
    gx0, gy0 = gridmap.project(*gridmap.squares(lay, 0.1)[:2])
    assert np.allclose(gx0 - x0, 0.1 * lay.size) and np.allclose(gy0 - y0, 0.1 * lay.size)


def test_squares_stay_near_their_regions():
    lon, lat, parent = _country()
    lay = gridmap.layout(lon, lat, parent)
    assert spearmanr(lay.col, lon)[0] > 0.9
    assert spearmanr(lay.row, lat)[0] > 0.9
    # the grid lies over the regions: a square's middle is a few cells from its region (the dense island
    # spreads out), far nearer than the same squares dealt out at random
    x, y = gridmap.project(lon, lat)

    def offsets(col, row):
        return np.hypot(lay.x0 + (col + 0.5) * lay.size - x, lay.y0 + (row + 0.5) * lay.size - y) / lay.size

    off = offsets(lay.col, lay.row)
    shuffled = np.random.default_rng(0).permutation(len(lay))
    assert np.median(off) < 5 and off.max() < 20
    assert np.median(off) < np.median(offsets(lay.col[shuffled], lay.row[shuffled])) / 3


def test_a_parents_regions_form_one_block_and_keep_their_order_inside_it():
    lon, lat, parent = _country()
    lay = gridmap.layout(lon, lat, parent)
    cells = np.array(_cells(lay))
    par = np.array(parent)
    for p in np.unique(par):
        inside = par == p
        assert gridmap.contiguous([tuple(c) for c in cells[inside]]), f"parent {p} is split"
    # within a block, west stays west and north stays north (on average over the blocks)
    rho = [spearmanr(lay.col[par == p], lon[par == p])[0] for p in np.unique(par)]
    assert np.mean(rho) > 0.7


def test_the_layout_is_deterministic():
    lon, lat, parent = _country()
    a = gridmap.layout(lon, lat, parent)
    b = gridmap.layout(lon.copy(), lat.copy(), list(parent))
    assert (a.col == b.col).all() and (a.row == b.row).all() and (a.size, a.x0, a.y0) == (b.size, b.x0, b.y0)
    other = gridmap.layout(*_country(seed=8))
    assert _cells(other) != _cells(a)  # the cells depend on the input (not one fixed pattern)


def test_a_dense_town_among_sparse_villages_is_spread_out_not_hidden():
    """A kota's 40 kelurahan within 0.05° amid 100 desa over 1°: on the map they are specks; on the grid
    each has a whole cell, together one block that touches the block of the kabupaten around it (the town
    cannot keep the middle: the kabupaten's block is one piece without a hole)."""
    rng = np.random.default_rng(3)
    lon = np.r_[rng.uniform(110, 111, 100), 110.5 + rng.uniform(-0.025, 0.025, 40)]
    lat = np.r_[rng.uniform(-8, -7, 100), -7.5 + rng.uniform(-0.025, 0.025, 40)]
    parent = ["34.01"] * 100 + ["34.71"] * 40
    lay = gridmap.layout(lon, lat, parent)
    assert len(set(_cells(lay))) == 140
    town = np.array(_cells(lay))[100:]
    assert gridmap.contiguous([tuple(c) for c in town])
    around = {tuple(c) for c in np.array(_cells(lay))[:100]}
    assert any((c[0] + dx, c[1] + dy) in around for c in town for dx, dy in gridmap.NEIGHBOURS)
    # its middle is at most the two blocks' radii (sqrt(n / pi) cells) from where the town is
    x, y = gridmap.project(110.5, -7.5)
    cx, cy = (x - lay.x0) / lay.size - 0.5, (y - lay.y0) / lay.size - 0.5
    assert np.hypot(*(town.mean(axis=0) - (cx, cy))) < np.sqrt(100 / np.pi) + np.sqrt(40 / np.pi)


@pytest.mark.parametrize("lon, lat", [
    ([], []),
    ([110.0], [-7.0]),
    ([110.0, 110.0, 110.0], [-7.0, -7.0, -7.0]),  # one point for all: still one cell each
    ([110.0, np.nan, 111.0, 112.0], [-7.0, np.nan, -7.5, -8.0]),  # a region without a point
    ([np.nan, np.nan], [np.nan, np.nan]),
])
def test_small_and_degenerate_inputs(lon, lat):
    lay = gridmap.layout(lon, lat)
    assert len(lay) == len(lon)
    assert len(set(_cells(lay))) == len(lon)
    assert np.isfinite(lay.size) and lay.size > 0
    if len(lon):
        assert gridmap.contiguous(_cells(lay))  # no parent given: one block


def test_grid_frame_gives_display_geometry_in_the_points_order():
    points = pd.DataFrame({
        "kode": ["97.01.01.2001", "97.01.01.2002", "97.01.02.2001", "97.71.01.2001"],
        "nama": ["Alfa", "Bravo", "Delta", "Foxtrot"],
        "kode_induk": ["97.01.01", "97.01.01", "97.01.02", None],
        "lon": [100.5, 101.5, 100.5, 103.5], "lat": [-11.5, -11.5, -10.5, -11.5]})
    f = gridmap.grid_frame(points)
    assert f["kode"].tolist() == points["kode"].tolist() and f["nama"].tolist() == points["nama"].tolist()
    geoms = shapely.from_geojson(f["geojson"].to_numpy())
    assert shapely.is_valid(geoms).all() and (shapely.get_num_coordinates(geoms) == 5).all()
    b = shapely.bounds(geoms)
    assert np.allclose(b, f[["minx", "miny", "maxx", "maxy"]].to_numpy(), atol=1e-6)
    assert shapely.contains_xy(geoms, f["lon"], f["lat"]).all()  # lon/lat: the square's middle
    assert not shapely.intersects(geoms[:, None], geoms[None, :])[~np.eye(4, dtype=bool)].any()
    assert (shapely.is_ccw(shapely.get_exterior_ring(geoms))).all()  # RFC 7946 orientation
    assert f["lon"].iloc[3] > f["lon"].iloc[1] > f["lon"].iloc[0]  # east stays east
    assert f["lat"].iloc[2] > f["lat"].iloc[0]  # north stays north


@pytest.mark.real_data
def test_real_provinces_kabupaten_and_kecamatan():
    """The real points of the country's 38 provinces, 514 kabupaten/kota and 7,285 kecamatan
    (cahyadsn_wilayah_boundaries, read in place)."""
    import json

    folder = REAL / "cahyadsn_wilayah_boundaries"
    if not folder.is_dir():
        pytest.skip(f"data nyata tidak ada di {REAL.resolve()} (lihat MANIFEST.md); uji berkas nyata dilewati")
    for file, n in [("adm1_provinsi", 38), ("adm2_kabupaten_kota", 514), ("adm3_kecamatan", 7285)]:
        props = [f["properties"] for f in json.loads((folder / f"{file}.geojson").read_text())["features"]]
        lon = np.array([p["lng"] for p in props])
        lat = np.array([p["lat"] for p in props])
        parent = [p["kode"].rpartition(".")[0] or None for p in props]
        lay = gridmap.layout(lon, lat, parent)
        assert len(set(_cells(lay))) == len(lay) == n
        assert spearmanr(lay.col, lon)[0] > 0.95 and spearmanr(lay.row, lat)[0] > 0.85, file
        if n == 514:  # every province's kabupaten/kota one block
            par = np.array(parent, dtype=object)
            cells = np.array(_cells(lay))
            assert all(gridmap.contiguous([tuple(c) for c in cells[par == p]]) for p in set(parent))


def test_contiguity_check():
    assert gridmap.contiguous([(0, 0), (1, 0), (1, 1)]) and gridmap.contiguous([])
    assert not gridmap.contiguous([(0, 0), (1, 1)])  # touching at a corner only
    assert not gridmap.contiguous([(0, 0), (2, 0)])

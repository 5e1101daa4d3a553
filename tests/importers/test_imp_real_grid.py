"""The grid view on real village boundaries (``<repo>/../shared/data/real``, read in place): DI Yogyakarta's
438 villages imported as an official would, then laid out as the app lays them out (queries/region_points.sql,
sinergi/gridmap.py). Skipped with a reason when the folder is absent."""

import numpy as np
import pytest
from scipy.stats import spearmanr

from sinergi import db, gridmap

pytestmark = pytest.mark.real_data


def test_diy_villages_as_equal_squares_town_kelurahan_no_longer_specks(batas_diy):
    _, path = batas_diy  # imported as an official would (once per session)
    con = db.connect_snapshot(path)
    try:
        points = db.run_query(con, "region_points", level=4, induk="34")
        luas = dict(con.execute("select kode, luas_km2 from regions where level = 4").fetchall())
    finally:
        con.close()
    assert len(points) == 438
    grid = gridmap.grid_frame(points)
    assert len(set(zip(grid["col"], grid["row"]))) == 438  # one cell each, none shared
    kota = grid["kode"].str.startswith("34.71.").to_numpy()
    assert kota.sum() == 45  # Kota Yogyakarta's kelurahan
    # on the geographic map the town is about 1 % of the province; on the grid each of its kelurahan is a
    # square as large as any desa's
    share = sum(v for k, v in luas.items() if k.startswith("34.71.")) / sum(luas.values())
    assert share < 0.02
    x0, _ = gridmap.project(grid["minx"], grid["miny"])
    x1, _ = gridmap.project(grid["maxx"], grid["maxy"])
    assert np.allclose(x1 - x0, (x1 - x0)[0])
    # near their true places: west stays west, north stays north; the town's squares around the town
    assert spearmanr(grid["col"], points["lon"])[0] > 0.95 and spearmanr(grid["row"], points["lat"])[0] > 0.95
    side = (x1 - x0)[0] / (1 - 2 * gridmap.GAP)
    tx, ty = gridmap.project(points["lon"][kota].mean(), points["lat"][kota].mean())
    gx, gy = gridmap.project(grid["lon"][kota].mean(), grid["lat"][kota].mean())
    assert np.hypot(gx - tx, gy - ty) / side < 4  # the town's block within a few squares of the town
    # every kecamatan's villages one block
    for kec, rows in grid.groupby(points["kode_induk"]):
        assert gridmap.contiguous(zip(rows["col"], rows["row"])), f"kecamatan {kec} is split"

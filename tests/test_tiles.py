"""Vector tiles built with a dataset (sinergi/tiles.py), checked by decoding them: every region is in its
tiles at every zoom, ids map back to codes, coordinates land where the regions are, neighbours keep their
shared edges, and a file without tiles still works."""

from __future__ import annotations

import math

import duckdb
import numpy as np
import pandas as pd
import pytest
import shapely

from sinergi import db, tiles


def _villages() -> pd.DataFrame:
    """A coverage of 6 x 4 villages (0.05 degree squares) in two kecamatan, and one village of 5 m x 5 m
    (far below a pixel at every stored zoom) carved out of a corner of another."""
    rows = []
    for i in range(6):
        for j in range(4):
            kec = "97.01.01" if i < 3 else "97.01.02"
            g = shapely.box(110 + 0.05 * i, -7 + 0.05 * j, 110.05 + 0.05 * i, -6.95 + 0.05 * j)
            rows.append({"kode": f"{kec}.20{i:01d}{j}", "level": 4, "geom_display": g})
    tiny = shapely.box(110.0, -7.0, 110.00005, -6.99995)
    rows[0]["geom_display"] = rows[0]["geom_display"].difference(tiny)
    rows.append({"kode": "97.01.01.2099", "level": 4, "geom_display": tiny})
    # a comb: teeth far narrower than a grid unit, which rounding folds onto themselves
    teeth = [(111 + 0.0004 * t + dx, -7 + dy) for t in range(40) for dx, dy in ((0, 0.01), (0.0002, 0.01), (0.0002, 0))]
    comb = shapely.Polygon([(111, -7.001), *teeth, (111.016, -7.001)]).buffer(0)
    rows.append({"kode": "97.01.02.2098", "level": 4, "geom_display": comb})
    # a village of the national demo whose corners round onto a spike at zoom 4 (an invalid ring there,
    # which a rectangle clip turned inside out: the whole tile filled)
    spike = shapely.Polygon([(90.37326, -24.12471), (90.38022, -24.12985), (90.35763, -24.14439),
                             (90.35562, -24.15503), (90.36126, -24.1779), (90.34161, -24.16488),
                             (90.33783, -24.13973), (90.34971, -24.13299)])
    rows.append({"kode": "97.01.02.2097", "level": 4, "geom_display": spike})
    frame = pd.DataFrame(rows)
    for kec in ("97.01.01", "97.01.02"):
        part = frame[frame["kode"].str.startswith(kec + ".")]
        frame.loc[len(frame)] = {"kode": kec, "level": 3, "geom_display": shapely.union_all(part["geom_display"])}
    return frame


def _con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:", config={"autoinstall_known_extensions": False,
                                             "autoload_known_extensions": False})
    db.load_spatial(con)
    return con


@pytest.fixture(scope="module")
def built():
    con = _con()
    frame = _villages()
    steps = []
    sets = tiles.write_tiles(con, frame, lambda f, m: steps.append((f, m)))
    yield con, frame, sets, steps
    con.close()


def _decoded(con, level: int, z: int) -> list[tuple[int, int, dict]]:
    rows = con.execute("select x, y, data from tiles where level = ? and z = ? order by x, y", [level, z]).fetchall()
    return [(x, y, tiles.decode(bytes(d))[tiles.LAYER_NAME]) for x, y, d in rows]


def _to_lonlat(z: int, x: int, y: int, extent: int, px: float, py: float) -> tuple[float, float]:
    n = 2 ** z
    lon = (x + px / extent) / n * 360.0 - 180.0
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * (y + py / extent) / n))))
    return lon, lat


def test_every_region_is_in_its_tiles_at_every_zoom(built):
    con, frame, sets, _ = built
    for level, (zmin, zmax) in tiles.TILE_LEVELS.items():
        n = int((frame["level"] == level).sum())
        assert con.execute("select count(*) from tile_features where level = ?", [level]).fetchone()[0] == n
        for z in range(zmin, zmax + 1):
            ids = {f["id"] for _x, _y, layer in _decoded(con, level, z) for f in layer["features"]}
            assert ids == set(range(n)), (level, z)
    assert {s["level"] for s in sets} == {3, 4}


def test_every_feature_stays_within_its_region(built):
    con, frame, _, _ = built
    for level, (zmin, zmax) in tiles.TILE_LEVELS.items():
        sel = frame[frame["level"] == level].sort_values("kode").reset_index(drop=True)
        bounds = shapely.bounds(np.asarray(sel["geom_display"].to_numpy(), dtype=object))
        for z in range(zmin, zmax + 1):
            for x, y, layer in _decoded(con, level, z):
                unit = 360.0 / (2 ** z) / layer["extent"] * 2  # a grid unit (snapping, one-unit squares), twice
                for f in layer["features"]:
                    pts = np.array([_to_lonlat(z, x, y, layer["extent"], px, py) for r in f["rings"] for px, py in r])
                    minx, miny, maxx, maxy = bounds[f["id"]]
                    assert pts[:, 0].min() >= minx - unit and pts[:, 0].max() <= maxx + unit, (level, z, f["id"])
                    assert pts[:, 1].min() >= miny - unit and pts[:, 1].max() <= maxy + unit, (level, z, f["id"])


def test_ids_map_back_to_codes_in_code_order(built):
    con, frame, _, _ = built
    got = con.execute("select fid, kode from tile_features where level = 4 order by fid").fetchall()
    assert [k for _f, k in got] == sorted(frame.loc[frame["level"] == 4, "kode"])
    assert [f for f, _k in got] == list(range(len(got)))


def test_tiles_hold_geometry_and_an_id_only(built):
    con, *_ = built
    data = bytes(con.execute("select data from tiles where level = 4 order by z desc limit 1").fetchone()[0])
    assert data[:2] == b"\x1f\x8b"  # stored gzip-compressed, as served
    layer = tiles.decode(data)[tiles.LAYER_NAME]
    assert all(f["type"] == 3 for f in layer["features"])  # polygons
    raw = __import__("gzip").decompress(data)
    assert b"97.01" not in raw  # no codes, no names: only ids


def test_coordinates_land_on_the_region_and_rings_follow_the_spec(built):
    con, frame, _, _ = built
    z = tiles.TILE_LEVELS[4][1]
    kode = "97.01.02.2032"  # an inner square
    fid = con.execute("select fid from tile_features where level = 4 and kode = ?", [kode]).fetchone()[0]
    want = frame.loc[frame["kode"] == kode, "geom_display"].iloc[0]
    pts = []
    for x, y, layer in _decoded(con, 4, z):
        for f in layer["features"]:
            if f["id"] != fid:
                continue
            for ring in f["rings"]:
                # MVT: a shell has a positive surveyor's area in tile coordinates (y down)
                area = sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:])) / 2
                assert area > 0
                pts += [_to_lonlat(z, x, y, layer["extent"], px, py) for px, py in ring]
    got = shapely.MultiPoint(pts).envelope
    pixel = tiles.pixel_degrees(z)
    buffer_deg = tiles.BUFFER_PX * pixel
    # clipped with a buffer per tile, so the union of its parts reaches at most a buffer beyond the region
    assert got.buffer(pixel).contains(want)
    assert want.buffer(buffer_deg + pixel).contains(got)


def test_neighbours_keep_their_shared_edge(built):
    con, _, _, _ = built
    z = tiles.TILE_LEVELS[4][1]
    fids = dict(con.execute("select kode, fid from tile_features where level = 4").fetchall())
    a, b = fids["97.01.01.2011"], fids["97.01.01.2021"]  # side by side (x 110.05-110.10 and 110.10-110.15)
    verts: dict[int, set] = {a: set(), b: set()}
    for x, y, layer in _decoded(con, 4, z):
        for f in layer["features"]:
            if f["id"] in verts:
                verts[f["id"]] |= {(x * layer["extent"] + px, y * layer["extent"] + py)
                                   for ring in f["rings"] for px, py in ring}
    shared = verts[a] & verts[b]
    assert len(shared) >= 2  # the common side's two corners are the same integer points in both


def test_a_region_below_one_grid_unit_is_still_drawn(built):
    con, frame, _, _ = built
    fid = con.execute("select fid from tile_features where level = 4 and kode = '97.01.01.2099'").fetchone()[0]
    zmin = tiles.TILE_LEVELS[4][0]
    found = [f for _x, _y, layer in _decoded(con, 4, zmin) for f in layer["features"] if f["id"] == fid]
    assert found and all(len(r) >= 4 for f in found for r in f["rings"])


def test_version_follows_the_geometry(built):
    _, frame, sets, steps = built
    v4 = next(s["versi"] for s in sets if s["level"] == 4)
    sel = frame[frame["level"] == 4].sort_values("kode")
    kode, geoms = sel["kode"].to_numpy(), np.asarray(sel["geom_display"].to_numpy(), dtype=object)
    assert tiles.version(4, kode, geoms) == v4
    moved = geoms.copy()
    moved[3] = shapely.affinity.translate(moved[3], 0.001)
    assert tiles.version(4, kode, moved) != v4
    assert steps[-1][0] == 1.0 and any("zoom" in m for _f, m in steps)  # progress reported per zoom


@pytest.fixture()
def old_file(tmp_path, monkeypatch):
    """A database file as built before tiles existed (no tile tables at all)."""
    from fixtures import tiny_dataset

    from sinergi import build

    with monkeypatch.context() as m:
        m.setattr(tiles, "write_tiles", lambda con, regions, progress=None, reuse=None: [])
        return build.write_database(tmp_path / "lama.duckdb", **tiny_dataset())


def test_the_build_writes_tiles_and_older_files_still_open(tiny_db, old_file):
    con = db.connect_snapshot(tiny_db)
    try:
        sets = con.execute("select level, n_fitur from tile_sets order by level").fetchall()
        assert sets == [(3, 3), (4, 8)]
    finally:
        con.close()
    con = db.connect_snapshot(old_file)  # a file built before tiles: an empty tile index, no error
    try:
        assert "tiles" not in {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
        assert con.execute("select count(*) from tile_sets").fetchone()[0] == 0
    finally:
        con.close()


def test_add_tiles_to_an_older_file(old_file):
    from sinergi import build

    written = build.add_tiles(old_file)
    assert [t["level"] for t in written] == [3, 4]
    con = db.connect_snapshot(old_file)
    try:
        assert con.execute("select count(*) from tile_features").fetchone()[0] == 3 + 8
        assert con.execute("select count(*) from regions").fetchone()[0] > 0  # the rest is kept
    finally:
        con.close()
    assert not list(old_file.parent.glob("*.tmp*"))  # swapped in atomically, nothing left beside it


def test_unchanged_boundaries_copy_the_tiles_of_the_file_they_replace(tiny_db, tmp_path, monkeypatch):
    """An import of indicators only rewrites the whole file: its tiles are copied, not built again."""
    from fixtures import tiny_dataset

    from sinergi import build

    built = []
    real_build = tiles.build_level
    monkeypatch.setattr(tiles, "build_level", lambda *a, **k: built.append(a[1]) or real_build(*a, **k))
    data = tiny_dataset()
    steps = []
    out = build.write_database(tmp_path / "baru.duckdb", **data, tiles_from=tiny_db,
                               progress=lambda f, m: steps.append(m))
    assert built == [] and any("tidak berubah" in m for m in steps)
    con_old, con_new = db.connect_snapshot(tiny_db), db.connect_snapshot(out)
    try:
        for q in ("select * from tile_sets order by level", "select * from tile_features order by level, fid",
                  "select level, z, x, y, md5(data) from tiles order by level, z, x, y"):
            assert con_new.execute(q).fetchall() == con_old.execute(q).fetchall()
    finally:
        con_old.close()
        con_new.close()
    moved = data["regions"].copy()
    i = moved.index[moved["kode"] == "97.01.01.2001"][0]
    moved.at[i, "geom_display"] = shapely.affinity.translate(moved.at[i, "geom_display"], 0.001)
    build.write_database(tmp_path / "lain.duckdb", **{**data, "regions": moved}, tiles_from=tiny_db)
    assert built == [4]  # the villages changed: built again; the kecamatan did not


def test_tiles_are_built_when_the_file_replaced_has_none_or_cannot_be_read(old_file, tmp_path, monkeypatch):
    """The file being replaced is only a source of tiles to copy: one built before tiles, or one that is not a
    database at all, leaves every level to be built, and the build goes on."""
    from fixtures import tiny_dataset

    from sinergi import build

    built = []
    real_build = tiles.build_level
    monkeypatch.setattr(tiles, "build_level", lambda *a, **k: built.append(a[1]) or real_build(*a, **k))
    junk = tmp_path / "rusak.duckdb"
    junk.write_bytes(b"bukan basis data\n" * 1000)
    for source in (old_file, junk):
        out = build.write_database(tmp_path / f"dari-{source.stem}.duckdb", **tiny_dataset(), tiles_from=source)
        con = db.connect_snapshot(out)
        try:
            assert con.execute("select level, n_fitur from tile_sets order by level").fetchall() == [(3, 3), (4, 8)]
        finally:
            con.close()
    assert built == [3, 4, 3, 4]

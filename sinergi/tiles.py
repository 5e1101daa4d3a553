"""Vector tiles of the kecamatan and village maps, built with the dataset and stored in its file.

A map of every village of the country (84,000 polygons) cannot travel as one GeoJSON (tens of MB). When a
dataset is built (``sinergi.build.write_database``, so also every import), each level of
:data:`TILE_LEVELS` gets a pyramid of Mapbox Vector Tiles (MVT 2.1) stored in the same DuckDB file:

- ``tile_features(level, fid, kode)``: a compact integer id per region (0 … n-1 in code order). Tiles hold
  the geometry and this id only, no names; the browser looks names and classes up by id.
- ``tiles(level, z, x, y, data)``: one gzip-compressed MVT per tile (XYZ scheme, Web Mercator), layer
  :data:`LAYER_NAME`, feature id = ``fid``; written ordered by ``level, z, x, y``.
- ``tile_sets(level, versi, zmin, zmax, extent, …)``: one row per level; ``versi`` is a hash of the
  geometry and the tiling parameters, so a tile URL that names it can be cached forever and an import
  that does not change the boundaries keeps the browsers' caches valid.

Per zoom the level's display geometry is simplified again as one coverage (``shapely.coverage_simplify``,
tolerance :data:`PIXEL_TOLERANCE` of a screen pixel), so neighbours keep sharing their edges, snapped to
the zoom's integer grid (the same grid for every tile, so shared edges stay shared), clipped per tile with a
:data:`BUFFER` margin and encoded by DuckDB's ``ST_AsMVT``. A region too small for the grid keeps a
one-unit square at its label point, so every region is in its tile at every zoom (it can still be hovered
and clicked after zooming in). A file without these tables (an older build) still works: maps then fall
back to GeoJSON.
"""

from __future__ import annotations

import gzip
import hashlib
import math
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import shapely

from sinergi import geo

# level -> (lowest zoom, highest zoom stored). A national map opens at zoom ~4-5, a province at 6-8; above
# the highest zoom the browser draws the highest zoom's tile enlarged (its grid still has 1/16 px units).
TILE_LEVELS: dict[int, tuple[int, int]] = {3: (4, 9), 4: (4, 10)}
LAYER_NAME = "w"  # one layer per tile; short, it is in every tile
EXTENT = 4096  # tile grid units per tile side at the highest zoom (16 per pixel of a 256 px tile)
EXTENT_BELOW = 1024  # below it (4 per pixel): snapping to this grid also thins what a pixel cannot show
BUFFER_PX = 4  # drawn beyond each tile edge (pixels), so outlines meet without seams
PIXEL_TOLERANCE = 0.5  # simplification tolerance per zoom, in screen pixels of a 256 px tile
MIN_GAIN = 0.05  # simplify again at the next zoom only while the last one removed this share of vertices
FORMAT = 1  # bump when the tiles' content changes for the same geometry (part of the version hash)
GZIP_LEVEL = 6

R_EARTH = 6378137.0
HALF = math.pi * R_EARTH  # half the Web Mercator world's width, metres
MAX_LAT = 85.0511287798

Progress = Callable[[float, str], None]


def _noop(_f: float, _m: str) -> None:
    pass


SCHEMA = """
create table if not exists tile_features (
    level   tinyint not null,
    fid     integer not null,
    kode    varchar not null
);
create table if not exists tiles (
    level   tinyint not null,
    z       tinyint not null,
    x       integer not null,
    y       integer not null,
    data    blob not null
);
create table if not exists tile_sets (
    level    tinyint not null,
    versi    varchar not null,
    zmin     tinyint not null,
    zmax     tinyint not null,
    extent   integer not null,
    n_fitur  integer not null,
    n_tiles  integer not null,
    bytes    bigint not null,
    minx double, miny double, maxx double, maxy double
);
"""


def extent_for(level: int, z: int) -> int:
    """Grid units per tile side at zoom ``z`` of ``level``'s pyramid."""
    return EXTENT if z == TILE_LEVELS[level][1] else EXTENT_BELOW


def buffer_units(extent: int) -> int:
    return BUFFER_PX * extent // 256


def pixel_degrees(z: int) -> float:
    """Width of one pixel of a 256 px tile at zoom ``z``, in degrees of longitude."""
    return 360.0 / (256 * 2 ** z)


def _global_units(xy: np.ndarray, z: int, extent: int) -> np.ndarray:
    """lon/lat -> the zoom's global tile grid (units of 1/extent tile; x right, y down from the top-left)."""
    n = (2 ** z) * extent
    lon = xy[:, 0]
    lat = np.clip(xy[:, 1], -MAX_LAT, MAX_LAT)
    gx = (lon + 180.0) / 360.0 * n
    gy = (1.0 - np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)) / np.pi) / 2.0 * n
    return np.column_stack([gx, gy])


def version(level: int, kode: np.ndarray, geoms: np.ndarray) -> str:
    """A hash of the tiles' input (codes, display geometry) and parameters: the URL's version."""
    h = hashlib.sha256(f"{FORMAT}|{level}|{TILE_LEVELS[level]}|{EXTENT}|{EXTENT_BELOW}|{BUFFER_PX}|{PIXEL_TOLERANCE}|"
                       f"{MIN_GAIN}".encode())
    for k, w in zip(kode, shapely.to_wkb(geoms, output_dimension=2)):
        h.update(k.encode())
        h.update(w or b"")
    return h.hexdigest()[:16]


def _snap(geoms: np.ndarray, z: int, extent: int) -> np.ndarray:
    """Geometries on the zoom's integer grid, a one-unit square where one collapses.

    Every vertex is rounded on its own and repeated vertices are dropped, so an edge two neighbours share
    becomes the same integer edge in both (GEOS's ``set_precision`` keeps every ring valid, at ten times
    the cost). Rings left with fewer than three corners are dropped (a polygon with its shell); the few
    polygons rounding made invalid are repaired."""
    parts, owner = shapely.get_parts(geoms, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    xy, ring = shapely.get_coordinates(rings, return_index=True)
    xy = np.rint(_global_units(xy, z, extent))
    repeat = np.r_[False, (xy[1:] == xy[:-1]).all(axis=1) & (ring[1:] == ring[:-1])]
    xy, ring = xy[~repeat], ring[~repeat]
    ok = np.bincount(ring, minlength=len(rings)) >= 4
    shell = np.r_[True, ring_part[1:] != ring_part[:-1]]  # get_rings gives each polygon's shell first
    part_ok = np.zeros(len(parts), dtype=bool)
    part_ok[ring_part[shell & ok]] = True
    ok &= part_ok[ring_part]
    out = np.full(len(geoms), None, dtype=object)
    if ok.any():
        sel = ok[ring]
        _, ring_new = np.unique(ring[sel], return_inverse=True)
        new_rings = shapely.linearrings(xy[sel], indices=ring_new)
        kept_part = ring_part[ok]
        _, part_new = np.unique(kept_part, return_inverse=True)
        polys = shapely.polygons(new_rings, indices=part_new)
        kept_owner = owner[np.unique(kept_part)]
        _, owner_new = np.unique(kept_owner, return_inverse=True)
        out[np.unique(kept_owner)] = shapely.multipolygons(polys, indices=owner_new)
    # a ring that rounding folded onto itself (two corners of a narrow part on one grid point) makes an
    # invalid polygon, which GEOS's rectangle clip can turn inside out (the whole tile filled): repaired
    bad = ~shapely.is_missing(out) & ~shapely.is_valid(out)
    if bad.any():
        out[bad] = geo.make_valid_polygonal(out[bad])
    lost = shapely.is_missing(out) | ~(shapely.area(out) > 0)
    if lost.any():
        p = np.floor(_global_units(shapely.get_coordinates(shapely.point_on_surface(geoms[lost])), z, extent))
        out[lost] = shapely.box(p[:, 0], p[:, 1], p[:, 0] + 1, p[:, 1] + 1)
    return out


def _tile_pairs(geoms: np.ndarray, extent: int) -> pd.DataFrame:
    """(fid, x, y) for every tile whose buffered square a geometry's bounds touch (grid units)."""
    b = shapely.bounds(geoms)
    buf = buffer_units(extent)
    x0 = np.floor((b[:, 0] - buf) / extent).astype(np.int64)
    x1 = np.floor((b[:, 2] + buf) / extent).astype(np.int64)
    y0 = np.floor((b[:, 1] - buf) / extent).astype(np.int64)
    y1 = np.floor((b[:, 3] + buf) / extent).astype(np.int64)
    nx, ny = x1 - x0 + 1, y1 - y0 + 1
    n = nx * ny
    fid = np.repeat(np.arange(len(geoms)), n)
    k = np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)
    return pd.DataFrame({"x": (x0[fid] + k % nx[fid]).astype(np.int32),
                         "y": (y0[fid] + k // nx[fid]).astype(np.int32), "fid": fid.astype(np.int32)})


def _clip_to_tiles(snapped: np.ndarray, pairs: pd.DataFrame, extent: int) -> pd.DataFrame:
    """Per (tile, feature): the feature clipped to the buffered tile, in tile-local units, as WKB."""
    pairs = pairs.sort_values(["x", "y", "fid"], kind="stable").reset_index(drop=True)
    tx, ty, fid = pairs["x"].to_numpy(), pairs["y"].to_numpy(), pairs["fid"].to_numpy()
    out = np.empty(len(pairs), dtype=object)
    starts = np.flatnonzero(np.r_[True, (tx[1:] != tx[:-1]) | (ty[1:] != ty[:-1])])
    ends = np.r_[starts[1:], len(pairs)]
    buf = buffer_units(extent)
    for s, e in zip(starts, ends):
        ox, oy = float(tx[s]) * extent, float(ty[s]) * extent
        part = _clip(snapped[fid[s:e]], (ox - buf, oy - buf, ox + extent + buf, oy + extent + buf))
        out[s:e] = shapely.transform(part, lambda c, ox=ox, oy=oy: c - (ox, oy))
    keep = ~shapely.is_empty(out) & (shapely.area(out) > 0)
    out = out[keep]
    # MVT: exterior rings have a positive surveyor's area in tile coordinates (y down)
    out = shapely.orient_polygons(_polygonal(out), exterior_cw=False)
    return pd.DataFrame({"x": tx[keep], "y": ty[keep], "fid": fid[keep], "wkb": shapely.to_wkb(out)})


def _clip(geoms: np.ndarray, rect: tuple[float, float, float, float]) -> np.ndarray:
    """``geoms`` clipped to ``rect``; a ring that rounding folded onto itself can make GEOS's rectangle clip
    refuse the whole batch: those geometries are repaired (``make_valid``) and clipped one by one."""
    try:
        return shapely.clip_by_rect(geoms, *rect)
    except shapely.errors.GEOSException:
        out = np.empty(len(geoms), dtype=object)
        for i, g in enumerate(geoms):
            try:
                out[i] = shapely.clip_by_rect(g, *rect)
            except shapely.errors.GEOSException:
                out[i] = shapely.clip_by_rect(shapely.make_valid(g), *rect)
        return out


def _polygonal(geoms: np.ndarray) -> np.ndarray:
    """Polygonal parts only (a rectangle clip can leave a line where a polygon touches the edge)."""
    bad = ~geo.is_poligonal(geoms)
    if bad.any():
        for i in np.flatnonzero(bad):
            parts = shapely.get_parts(geoms[i])
            parts = parts[geo.is_poligonal(parts)]
            geoms[i] = shapely.multipolygons(parts) if len(parts) else shapely.Polygon()
    return geoms


def _encode(con: duckdb.DuckDBPyConnection, level: int, z: int, clipped: pd.DataFrame, extent: int) -> pd.DataFrame:
    """One MVT per tile with DuckDB's ``ST_AsMVT`` (geometry already in tile units), gzip-compressed."""
    con.register("clipped_df", clipped)
    try:
        rows = con.execute(
            f"""select x, y, ST_AsMVT({{'fid': fid, 'geom': ST_GeomFromWKB(wkb)}}, '{LAYER_NAME}', {int(extent)},
                                       'geom', 'fid') as mvt
                from clipped_df group by x, y order by x, y"""
        ).fetchall()
    finally:
        con.unregister("clipped_df")
    return pd.DataFrame({
        "level": np.int8(level), "z": np.int8(z), "x": [r[0] for r in rows], "y": [r[1] for r in rows],
        "data": [gzip.compress(bytes(r[2]), GZIP_LEVEL, mtime=0) for r in rows],
    })


def build_level(con: duckdb.DuckDBPyConnection, level: int, kode: np.ndarray, geoms: np.ndarray,
                progress: Progress = _noop) -> tuple[pd.DataFrame, dict]:
    """Every tile of one level: (frame ``level, z, x, y, data``, the level's ``tile_sets`` row).

    ``kode`` in code order, ``geoms`` their display geometries (WGS84, one coverage). ``con`` is any
    DuckDB connection with the spatial extension (used for encoding only).
    """
    zmin, zmax = TILE_LEVELS[level]
    frames = []
    cur = geoms
    zooms = list(range(zmax, zmin - 1, -1))
    gain = 1.0
    for i, z in enumerate(zooms):
        progress(i / len(zooms), f"Menyusun ubin peta tingkat {level}, zoom {z}")
        tol = PIXEL_TOLERANCE * pixel_degrees(z)
        # coarser than the display geometry: simplify again (from the previous zoom's result), while that
        # still removes vertices; the coarser grid of the lower zooms thins the rest
        if tol > 1.5 * geo.TOLERANSI_TAMPILAN[level] and gain >= MIN_GAIN:
            before = shapely.get_num_coordinates(cur).sum()
            try:
                cur = shapely.coverage_simplify(cur, tol, simplify_boundary=True)
            except shapely.errors.GEOSException:  # not a clean coverage: each on its own
                cur = shapely.simplify(cur, tol, preserve_topology=True)
            gain = 1.0 - shapely.get_num_coordinates(cur).sum() / max(before, 1)
        extent = extent_for(level, z)
        snapped = _snap(cur, z, extent)
        frames.append(_encode(con, level, z, _clip_to_tiles(snapped, _tile_pairs(snapped, extent), extent), extent))
    tiles = pd.concat(frames, ignore_index=True).sort_values(["z", "x", "y"], kind="stable")
    b = shapely.total_bounds(geoms)
    meta = {"level": level, "versi": version(level, kode, geoms), "zmin": zmin, "zmax": zmax, "extent": EXTENT,
            "n_fitur": len(kode), "n_tiles": len(tiles), "bytes": int(tiles["data"].map(len).sum()),
            "minx": float(b[0]), "miny": float(b[1]), "maxx": float(b[2]), "maxy": float(b[3])}
    return tiles, meta


SET_COLUMNS = ("level", "versi", "zmin", "zmax", "extent", "n_fitur", "n_tiles", "bytes", "minx", "miny", "maxx", "maxy")


def _attach_old(con: duckdb.DuckDBPyConnection, path: Path | None) -> bool:
    """Attach the database file ``path`` (the one being replaced) to ``con`` as ``tiles_lama``, read only, for
    :func:`_reusable` and :func:`_copy_level`; False when there is none or it cannot be read (then every level
    is built). Once per build: opening it as a snapshot for each level cost a new DuckDB instance each time."""
    if path is None or not Path(path).is_file():
        return False
    try:  # ATTACH takes a literal; the path is the dataset file being replaced, never user input
        con.execute(f"ATTACH '{str(Path(path).resolve()).replace(chr(39), chr(39) * 2)}' AS tiles_lama (READ_ONLY)")
    except duckdb.Error:
        return False
    return True


def _reusable(con: duckdb.DuckDBPyConnection, level: int, versi: str) -> dict | None:
    """The ``tile_sets`` row of ``level`` in the attached old file when it has this very version."""
    try:
        row = con.execute(f"select {', '.join(SET_COLUMNS)} from tiles_lama.tile_sets where level = ? "
                          "and versi = ?", [level, versi]).fetchone()
    except duckdb.Error:  # e.g. a file built before tiles
        return None
    return dict(zip(SET_COLUMNS, row)) if row else None


def _copy_level(con: duckdb.DuckDBPyConnection, level: int) -> None:
    """The level's tile rows copied from the attached old file (same version: same content)."""
    con.execute("insert into tile_features select level, fid, kode from tiles_lama.tile_features "
                "where level = ? order by fid", [level])
    con.execute("insert into tiles select level, z, x, y, data from tiles_lama.tiles where level = ? "
                "order by z, x, y", [level])


def write_tiles(con: duckdb.DuckDBPyConnection, regions: pd.DataFrame, progress: Progress | None = None,
                reuse: Path | None = None) -> list[dict]:
    """Build and insert the tiles of every :data:`TILE_LEVELS` level into the open database ``con``.

    ``regions`` has ``kode, level`` and ``geom_display`` (shapely geometries, WGS84). Regions without a
    display geometry get no id and no tile. Creates the tables when missing; replaces a level's rows.
    ``reuse``: a database file (the one being replaced) whose tiles of a level are copied when their version
    (:func:`version`: the same codes, geometry and parameters) is this one, e.g. after an import of
    indicators only. Returns the ``tile_sets`` rows written (a level without regions writes none).
    """
    progress = progress or _noop
    con.execute(SCHEMA)
    levels = [lv for lv in TILE_LEVELS if (regions["level"] == lv).any()]
    old = _attach_old(con, reuse) if levels else False
    try:
        return _write_levels(con, regions, levels, progress, old)
    finally:
        if old:
            con.execute("DETACH tiles_lama")


def _write_levels(con: duckdb.DuckDBPyConnection, regions: pd.DataFrame, levels: list[int], progress: Progress,
                  old: bool) -> list[dict]:
    """:func:`write_tiles` of each level; ``old``: the file being replaced is attached (``tiles_lama``)."""
    written = []
    for i, level in enumerate(levels):
        sel = regions[(regions["level"] == level)].sort_values("kode")
        geoms = np.asarray(sel["geom_display"].to_numpy(), dtype=object)
        ok = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
        kode, geoms = sel["kode"].to_numpy()[ok], geoms[ok]
        for table in ("tile_features", "tiles", "tile_sets"):
            con.execute(f"delete from {table} where level = ?", [level])
        if not len(kode):
            continue

        def sub(f: float, m: str, i=i) -> None:
            progress((i + f) / len(levels), m)

        t0 = time.perf_counter()
        same = _reusable(con, level, version(level, kode, geoms)) if old else None
        if same is not None:
            progress(i / len(levels), f"Ubin peta tingkat {level} tidak berubah: disalin")
            _copy_level(con, level)
            con.execute(f"insert into tile_sets values ({', '.join('?' * len(SET_COLUMNS))})",
                        [same[k] for k in SET_COLUMNS])
            written.append({**same, "detik": time.perf_counter() - t0, "disalin": True})
            continue
        tiles, meta = build_level(con, level, kode, geoms, sub)
        meta["detik"] = time.perf_counter() - t0
        feats = pd.DataFrame({"level": np.int8(level), "fid": np.arange(len(kode), dtype=np.int32), "kode": kode})
        con.register("tile_features_df", feats)
        con.execute("insert into tile_features select level, fid, kode from tile_features_df order by fid")
        con.unregister("tile_features_df")
        con.register("tiles_df", tiles)
        con.execute("insert into tiles select level, z, x, y, data from tiles_df order by z, x, y")
        con.unregister("tiles_df")
        con.execute(f"insert into tile_sets values ({', '.join('?' * len(SET_COLUMNS))})",
                    [meta[k] for k in SET_COLUMNS])
        written.append(meta)
    progress(1.0, "Ubin peta selesai")
    return written


# --------------------------------------------------------------------------------------------------
# Reading a tile back (tests, benchmarks): a minimal decoder of the protobuf wire format
# --------------------------------------------------------------------------------------------------

def _varint(buf: bytes, i: int) -> tuple[int, int]:
    shift = result = 0
    while True:
        b = buf[i]
        i += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, i
        shift += 7


def _fields(buf: bytes):
    """(field number, wire type, value) of one protobuf message; length-delimited values as bytes."""
    i = 0
    while i < len(buf):
        key, i = _varint(buf, i)
        field, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(buf, i)
        elif wire == 2:
            n, i = _varint(buf, i)
            value, i = buf[i:i + n], i + n
        elif wire == 5:
            value, i = buf[i:i + 4], i + 4
        elif wire == 1:
            value, i = buf[i:i + 8], i + 8
        else:
            raise ValueError(f"unsupported wire type {wire}")
        yield field, wire, value


def _packed(buf: bytes) -> list[int]:
    out, i = [], 0
    while i < len(buf):
        v, i = _varint(buf, i)
        out.append(v)
    return out


def _rings(cmds: list[int]) -> list[list[tuple[int, int]]]:
    rings: list[list[tuple[int, int]]] = []
    x = y = 0
    i = 0
    while i < len(cmds):
        cid, count = cmds[i] & 7, cmds[i] >> 3
        i += 1
        if cid in (1, 2):
            for _ in range(count):
                dx, dy = cmds[i], cmds[i + 1]
                i += 2
                x += (dx >> 1) ^ -(dx & 1)
                y += (dy >> 1) ^ -(dy & 1)
                if cid == 1:
                    rings.append([])
                rings[-1].append((x, y))
        elif cid == 7:
            rings[-1].append(rings[-1][0])
    return rings


def decode(data: bytes) -> dict[str, dict]:
    """A tile (gzip-compressed or not) as ``{layer: {"extent": n, "features": [{"id", "type", "rings"}]}}``;
    rings are lists of (x, y) tile units, closed."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    layers = {}
    for field, _w, value in _fields(data):
        if field != 3:
            continue
        name, extent, feats = "", 4096, []
        for f, _w2, v in _fields(value):
            if f == 1:
                name = v.decode()
            elif f == 5:
                extent = v
            elif f == 2:
                feat = {"id": None, "type": 0, "rings": []}
                for ff, _w3, vv in _fields(v):
                    if ff == 1:
                        feat["id"] = vv
                    elif ff == 3:
                        feat["type"] = vv
                    elif ff == 4:
                        feat["rings"] = _rings(_packed(vv))
                feats.append(feat)
        layers[name] = {"extent": extent, "features": feats}
    return layers

"""Polygons that no longer fit together, as most real boundary files: each jittered, simplified and
quantised on its own (used by the importer tests and ``bench/geom_bench.py``).

A tiling (villages that share exact edges) becomes what a file simplified village by village looks
like: every polygon's vertices move with its own random jitter and it is simplified with its own
tolerance, so two neighbours no longer share their edge and leave gaps and overlaps of a few tens of
metres between them.
"""

from __future__ import annotations

import numpy as np
import shapely

from sinergi import geo

M_PER_DERAJAT = 111_320.0


def perturb(geoms, seed: int = 0, step_m: float = 80.0, jitter_m: float = 15.0,
            simplify_m: tuple[float, float] = (5.0, 15.0), grid: float = 1e-4) -> np.ndarray:
    """Each (Multi)Polygon of ``geoms`` (WGS84 degrees) on its own: edges densified to ``step_m``, every
    vertex moved by up to ``jitter_m`` metres (uniform, independently per polygon, so a vertex two
    polygons share moves differently in each), simplified (Douglas–Peucker) with a tolerance drawn per
    polygon from ``simplify_m``, then rounded to ``grid`` degrees (``1e-4``: a 10 000-step quantisation,
    ~11 m) and repaired. Each boundary stays within ``jitter_m + max(simplify_m) + grid`` of where it
    was, so gaps and overlaps between neighbours are at most about twice that wide. None stays None.
    """
    arr = np.asarray(geoms, dtype=object)
    out = np.full(len(arr), None, dtype=object)
    ada = np.flatnonzero(~shapely.is_missing(arr))
    rng = np.random.default_rng(seed)
    lat = shapely.get_y(shapely.centroid(arr[ada]))
    per_deg_x = M_PER_DERAJAT * np.cos(np.radians(lat))
    dense = shapely.segmentize(arr[ada], step_m / M_PER_DERAJAT) if step_m else arr[ada]
    parts, part_owner = shapely.get_parts(dense, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    xy, ring_of = shapely.get_coordinates(rings, return_index=True)
    owner = part_owner[ring_part[ring_of]]
    jitter = rng.uniform(-jitter_m, jitter_m, size=xy.shape)
    last = np.r_[ring_of[1:] != ring_of[:-1], True]  # a ring's closing point moves with its first one
    first = np.r_[True, ring_of[1:] != ring_of[:-1]]
    jitter[last] = jitter[first]
    xy = xy + jitter / np.column_stack([per_deg_x[owner], np.full(len(xy), M_PER_DERAJAT)])
    parts = shapely.polygons(shapely.linearrings(xy, indices=ring_of), indices=ring_part)
    moved = shapely.multipolygons(parts, indices=part_owner)
    tol = rng.uniform(*simplify_m, size=len(ada)) / M_PER_DERAJAT
    moved = shapely.simplify(moved, tol, preserve_topology=True)
    moved = shapely.set_precision(geo.make_valid_polygonal(moved), grid)
    # as read from a file: without the grid's precision model, which later unions would snap to
    out[ada] = shapely.from_wkb(shapely.to_wkb(geo.make_valid_polygonal(moved)))
    return out

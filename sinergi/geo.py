"""Geometry helpers shared by the demo generator and the boundary importer.

All geometries are shapely 2 geometries in WGS84 longitude/latitude degrees (EPSG:4326), and
every function takes and returns numpy arrays of geometries (object dtype), so it works the same
for a handful of provinces and for 84,000 villages. Missing geometries (None) pass through.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import shapely
from pyproj import Transformer

# Equal-area projection for areas: WGS 84 / NSIDC EASE-Grid 2.0 Global (cylindrical equal-area on
# the WGS84 ellipsoid). It ships with PROJ's database, needs no network, and meridians and parallels
# stay straight lines, so lon/lat boxes keep their exact area.
CRS_LUAS = "EPSG:6933"

# Coverage-simplification tolerance per level, in degrees (1 provinsi, 2 kabupaten/kota,
# 3 kecamatan, 4 desa/kelurahan). Roughly the side of the largest triangle that may be removed.
TOLERANSI_TAMPILAN: dict[int, float] = {1: 0.01, 2: 0.004, 3: 0.0015, 4: 0.0006}

# Display geometries are rounded to this grid (degrees): 1e-5° is about 1.1 m.
GRID_TAMPILAN = 1e-5

# Share of a coverage's boundary length in edges that neighbours do not share exactly above which
# display_geometry simplifies polygon by polygon (a clean coverage has none; files simplified polygon
# by polygon have most of their inner edges so).
MAKS_TEPI_TIDAK_COCOK = 0.05

_POLIGONAL = (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON)


@lru_cache(maxsize=1)
def _ke_luas_sama() -> Transformer:
    return Transformer.from_crs("EPSG:4326", CRS_LUAS, always_xy=True)


def _as_array(geoms) -> np.ndarray:
    """An object array of geometries (a single geometry becomes a 1-element array)."""
    if isinstance(geoms, shapely.Geometry) or geoms is None:
        geoms = [geoms]
    if isinstance(geoms, np.ndarray) and geoms.dtype == object:
        return geoms
    arr = np.empty(len(geoms), dtype=object)
    arr[:] = list(geoms)
    return arr


def is_poligonal(geoms) -> np.ndarray:
    """True where the geometry is a (Multi)Polygon (missing geometries give False)."""
    return np.isin(shapely.get_type_id(_as_array(geoms)), [int(t) for t in _POLIGONAL])


def area_km2(geoms) -> np.ndarray:
    """Area in km² of WGS84 lon/lat geometries, measured on the equal-area projection ``CRS_LUAS``.

    Returns a float array (NaN for missing geometries, 0 for empty or non-areal ones).
    Edges are taken as straight in lon/lat, which is exact for meridians and parallels and
    negligible for village-sized edges.
    """
    arr = _as_array(geoms)
    transformer = _ke_luas_sama()

    def proyeksi(xy: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.area(shapely.transform(arr, proyeksi)) / 1e6


def make_valid_polygonal(geoms) -> np.ndarray:
    """Repair geometries and keep only their polygonal part (a Polygon or MultiPolygon).

    Valid polygonal geometries are returned unchanged; parts that collapse to lines or points are
    dropped, so a geometry with no area left becomes an empty Polygon. None stays None.
    """
    arr = _as_array(geoms).copy()
    ada = ~shapely.is_missing(arr)
    perlu = ada & ~(shapely.is_valid(arr) & is_poligonal(arr))
    if perlu.any():
        arr[perlu] = shapely.make_valid(arr[perlu], method="structure", keep_collapsed=False)
        for i in np.flatnonzero(perlu & ~is_poligonal(arr)):
            bagian = shapely.get_parts(arr[i])
            bagian = bagian[is_poligonal(bagian)] if len(bagian) else bagian
            arr[i] = shapely.union_all(bagian) if len(bagian) else shapely.Polygon()
            if not is_poligonal([arr[i]])[0]:  # e.g. an empty union is a GeometryCollection
                arr[i] = shapely.Polygon()
    return arr


def _tepi_bersama(geoms: np.ndarray) -> bool:
    """Whether polygons form a coverage, up to ``MAKS_TEPI_TIDAK_COCOK`` of their boundary length."""
    if len(geoms) < 2:
        return True
    try:
        salah = float(shapely.length(shapely.coverage_invalid_edges(geoms)).sum())
    except shapely.errors.GEOSException:  # too broken to check: not a coverage
        return False
    return salah <= MAKS_TEPI_TIDAK_COCOK * float(shapely.length(geoms).sum())


def display_geometry(geoms, level: int, tolerance: float | None = None) -> np.ndarray:
    """Simplified, rounded geometries for maps, for one administrative level.

    ``geoms`` should form a polygonal coverage (neighbours share exactly matching edges, no
    overlaps), e.g. all villages, or all villages of one province. The coverage is simplified as a
    whole with ``shapely.coverage_simplify`` (tolerance in degrees, ``TOLERANSI_TAMPILAN[level]``
    unless given), so neighbours still share their edges, and coordinates are then rounded to
    ``GRID_TAMPILAN`` (1e-5°). Every result is valid and non-empty where the input was: a geometry
    that the simplification would break falls back to its rounded unsimplified form (and, failing
    that, to its repaired polygonal form, see ``make_valid_polygonal``). When the input is not a
    coverage (more than ``MAKS_TEPI_TIDAK_COCOK`` of its boundary length in edges that neighbours do
    not share exactly: a file simplified polygon by polygon, or parents built from one) or so broken
    that GEOS refuses the coverage simplification, each geometry is simplified on its own
    (topology-preserving Douglas–Peucker); the coverage simplifier would keep a node at every vertex
    two such neighbours happen to share, and several times the vertices. Invalid input is repaired
    first. Non-polygonal geometries are only rounded; None stays None.
    """
    arr = _as_array(geoms)
    tol = TOLERANSI_TAMPILAN[int(level)] if tolerance is None else float(tolerance)
    ada = ~shapely.is_missing(arr) & ~shapely.is_empty(arr)
    poli = ada & is_poligonal(arr)
    tidak_sah = ada & ~shapely.is_valid(arr)
    if tidak_sah.any():  # repair invalid input first (GEOS cannot round or simplify it)
        arr = arr.copy()
        arr[tidak_sah & poli] = make_valid_polygonal(arr[tidak_sah & poli])
        arr[tidak_sah & ~poli] = shapely.make_valid(arr[tidak_sah & ~poli])
    out = arr.copy()
    if poli.any():
        simplified = None
        if _tepi_bersama(arr[poli]):
            try:
                simplified = shapely.coverage_simplify(arr[poli], tol, simplify_boundary=True)
            except shapely.errors.GEOSException:
                pass
        out[poli] = simplified if simplified is not None else shapely.simplify(arr[poli], tol, preserve_topology=True)
    out[ada] = shapely.set_precision(out[ada], GRID_TAMPILAN)

    rusak = ada & (shapely.is_empty(out) | ~shapely.is_valid(out) | (poli & ~is_poligonal(out)))
    if rusak.any():
        out[rusak] = shapely.set_precision(arr[rusak], GRID_TAMPILAN)
        rusak &= shapely.is_empty(out) | ~shapely.is_valid(out) | (poli & ~is_poligonal(out))
        out[rusak] = make_valid_polygonal(arr[rusak])
    return out

"""Parents built from children that do not fit exactly: gaps closed at the union, holes dropped for a view.

Most real boundary files are simplified or quantised polygon by polygon, so neighbours do not share
exact edges: between two villages there are slivers (gaps) of a few metres to a few tens of metres, and
elsewhere they overlap. The union of such villages (a kecamatan, kabupaten or province built from them)
keeps every gap as a hole: hundreds of thousands of holes in a country's provinces, each drawn as an
outline. :func:`union_closing_gaps` builds the unions and closes the holes narrower than a stated
tolerance (:data:`TOLERANSI_CELAH_M`, metres, measured as the diameter of the hole's largest inscribed
circle in a local metric frame) and the long thin slivers up to :data:`SLIVER_LEBAR_M` wide; wider or
round holes (lakes, an enclave kota inside a kabupaten) and holes holding another region stay. Overlaps between children vanish in the union; their area is reported.

:func:`remove_holes` drops chosen interior rings from polygons (used for both the gaps above and the
holes too small for a map view to show, see ``sinergi.explore.lighten_for_view``).

Geometries are shapely 2 geometries in WGS84 longitude/latitude degrees (EPSG:4326), in numpy object
arrays, as in :mod:`sinergi.geo`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields

import numpy as np
import shapely

from sinergi import geo

# Gaps between children narrower than this (metres) are closed when a parent is built from them.
TOLERANSI_CELAH_M = 100.0
# ... and so are slivers: holes narrower than SLIVER_LEBAR_M that are long rather than round (area at least
# SLIVER_MEMANJANG times their width squared; a disc has 0.79, a square 1). Kecamatan files simplified one
# polygon at a time leave such slits between neighbours: Kabupaten Bogor built from its 40 real kecamatan kept
# 62 holes 100-600 m wide, drawn as white slashes across the map. Round holes (a pond, a village square) and
# anything holding a region (an enclave) stay.
SLIVER_LEBAR_M = 1000.0
SLIVER_MEMANJANG = 2.0

# Metres per degree of latitude (and of longitude at the equator) on the WGS84 ellipsoid's mean radius.
M_PER_DERAJAT = 111_320.0


@dataclass
class CelahDitutup:
    """What :func:`union_closing_gaps` did to a set of parents (areas in km², in local metric frames)."""

    induk: int = 0  # parents built
    celah: int = 0  # gaps closed: holes of a union narrower than the tolerance
    luas_celah_km2: float = 0.0
    lubang: int = 0  # holes kept: wider than the tolerance, or holding another region (lakes, enclaves)
    tumpang_km2: float = 0.0  # area where children overlapped, counted once in the union

    def __add__(self, other: CelahDitutup) -> CelahDitutup:
        return CelahDitutup(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})


def _skala_m(geoms: np.ndarray) -> np.ndarray:
    """Square metres per square degree for each geometry, at the latitude of its bounding box's centre."""
    b = shapely.bounds(geoms)
    lat = (b[:, 1] + b[:, 3]) / 2
    return M_PER_DERAJAT ** 2 * np.cos(np.radians(lat))


def ke_meter_lokal(geoms: np.ndarray) -> np.ndarray:
    """Each geometry in its own local metric frame: metres east and north of its bounding box's centre
    (equirectangular at that latitude; exact enough for the width of a gap, < 0.1 % over 10 km)."""
    geoms = np.asarray(geoms, dtype=object)
    xy, owner = shapely.get_coordinates(geoms, return_index=True)
    b = shapely.bounds(geoms)
    lon, lat = (b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2
    out = np.empty_like(xy)
    out[:, 0] = (xy[:, 0] - lon[owner]) * M_PER_DERAJAT * np.cos(np.radians(lat[owner]))
    out[:, 1] = (xy[:, 1] - lat[owner]) * M_PER_DERAJAT
    return shapely.set_coordinates(geoms.copy(), out)


def lebar_m(geoms: np.ndarray) -> np.ndarray:
    """Width in metres of each polygon: the diameter of its largest inscribed circle (to within 1 m)."""
    geoms = np.asarray(geoms, dtype=object)
    if not len(geoms):
        return np.zeros(0)
    return 2 * shapely.length(shapely.maximum_inscribed_circle(ke_meter_lokal(geoms), 0.5))


def remove_holes(geoms, buang: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Drop interior rings chosen by ``buang(holes, owner)`` from (Multi)Polygons.

    ``holes`` are every interior ring as a Polygon, ``owner`` the index in ``geoms`` of the geometry each
    belongs to; ``buang`` returns True for the holes to drop (filled). Returns ``(new geometries, the
    dropped holes)``; geometries that lose no hole are returned as they were (None stays None).
    """
    arr = np.asarray(geoms, dtype=object).copy()
    ada = np.flatnonzero(~shapely.is_missing(arr))
    parts, local = shapely.get_parts(arr[ada], return_index=True)
    part_owner = ada[local]
    n_holes = shapely.get_num_interior_rings(parts)
    with_holes = np.flatnonzero(n_holes > 0)
    if not len(with_holes):
        return arr, np.empty(0, dtype=object)
    rings, ring_local = shapely.get_rings(parts[with_holes], return_index=True)
    ring_part = with_holes[ring_local]
    shell = np.r_[True, ring_part[1:] != ring_part[:-1]]  # each part's exterior ring comes first
    holes = shapely.polygons(rings[~shell])
    drop = np.asarray(buang(holes, part_owner[ring_part[~shell]]), dtype=bool)
    if not drop.any():
        return arr, np.empty(0, dtype=object)
    keep = shell.copy()
    keep[~shell] = ~drop
    changed = np.unique(ring_part[~shell][drop])
    sel = keep & np.isin(ring_part, changed)
    parts = parts.copy()
    parts[changed] = shapely.polygons(rings[sel], indices=np.searchsorted(changed, ring_part[sel]))
    for i in np.unique(part_owner[changed]):
        own = parts[part_owner == i]
        arr[i] = own[0] if len(own) == 1 and shapely.get_type_id(arr[i]) == 3 else shapely.multipolygons(own)
    return arr, holes[drop]


def union_closing_gaps(groups: list[np.ndarray], tolerance_m: float = TOLERANSI_CELAH_M,
                       tetangga=None) -> tuple[np.ndarray, CelahDitutup]:
    """The union of each group of child geometries (one group per parent), gaps between children closed.

    A hole of a union is a gap between its children and is filled when it is narrower than
    ``tolerance_m`` (see :func:`lebar_m`) and holds no region: ``tetangga`` are the geometries of every
    region at the children's level (other parents' children too; the groups' own children are always
    counted), and a hole holding one of their representative points (``point_on_surface``) stays, so an
    enclave is never swallowed whatever its size. Wider holes stay (lakes, an enclave kota). Returns
    the valid polygonal unions (see :func:`sinergi.geo.make_valid_polygonal`) and what was closed.
    ``tolerance_m=0`` closes nothing (plain unions).
    """
    unions = np.empty(len(groups), dtype=object)
    luas_anak = np.zeros(len(groups))  # square degrees
    for i, g in enumerate(groups):
        g = np.asarray(g, dtype=object)
        g = g[~shapely.is_missing(g)]
        unions[i] = shapely.union_all(g) if len(g) else None
        luas_anak[i] = float(shapely.area(g).sum())
    ada = ~shapely.is_missing(unions)
    unions[ada] = geo.make_valid_polygonal(unions[ada])
    skala = np.zeros(len(groups))
    skala[ada] = _skala_m(unions[ada])
    hasil = CelahDitutup(induk=int(ada.sum()))
    luas_gabungan = np.where(ada, shapely.area(np.where(ada, unions, shapely.Polygon())), 0.0)
    hasil.tumpang_km2 = float((np.maximum(luas_anak - luas_gabungan, 0) * skala).sum() / 1e6)
    n_lubang = int(shapely.get_num_interior_rings(shapely.get_parts(unions[ada])).sum()) if ada.any() else 0
    if tolerance_m <= 0 or not n_lubang:
        hasil.lubang = n_lubang
        return unions, hasil

    def sempit(holes: np.ndarray, owner: np.ndarray) -> np.ndarray:
        lebar = lebar_m(holes)
        narrow = lebar < tolerance_m
        tipis = (lebar < SLIVER_LEBAR_M) & (lebar > 0)
        if tipis.any():  # slivers: long and thin (area in m² from the hole's local metric frame)
            luas = shapely.area(ke_meter_lokal(holes[tipis]))
            narrow[np.flatnonzero(tipis)[luas >= SLIVER_MEMANJANG * lebar[tipis] ** 2]] = True
        if narrow.any():
            own = [np.asarray(g, dtype=object) for g in groups]
            wilayah = np.concatenate(own + ([np.asarray(tetangga, dtype=object)] if tetangga is not None else []))
            wilayah = wilayah[~shapely.is_missing(wilayah) & ~shapely.is_empty(wilayah)]
            titik = shapely.point_on_surface(wilayah)
            idx = np.flatnonzero(narrow)
            hit = shapely.STRtree(titik).query(holes[idx], predicate="contains")
            narrow[idx[np.unique(hit[0])]] = False
        return narrow

    unions, ditutup = remove_holes(unions, sempit)
    hasil.celah = len(ditutup)
    hasil.luas_celah_km2 = float((shapely.area(ditutup) * _skala_m(ditutup)).sum() / 1e6) if len(ditutup) else 0.0
    hasil.lubang = n_lubang - hasil.celah
    return unions, hasil

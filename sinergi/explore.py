"""From a view (indicator, year, level, parent, classification) to what a page draws.

``choropleth_view`` joins values to display geometries, classifies, ranks within the parent and
formats the tooltip fields; the result feeds :func:`sinergi.maps.choropleth`. Streamlit appears
here only for caching and in :func:`draw_map`, the one place a map becomes a widget, so the same
functions serve pages, exports, benchmarks and tests.
"""

from __future__ import annotations

import html
import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import folium
import numpy as np
import pandas as pd
import shapely
import streamlit as st

from sinergi import auth, catalog, classify, coverage, gridmap, mapdata, mapframe, maps, profile, regions
from sinergi import data as sd
from sinergi.i18n import fmt_num, t

# A map is ~1000 px across; geometry finer than half a pixel of the whole view is not drawn
# (see lighten_for_view), which still looks right after zooming in twice.
VIEW_PIXELS = 2000

# A view of at least this many villages or kecamatan (of the country or a province) is drawn from the
# dataset's vector tiles; as GeoJSON, 2,000 villages are ~1 MB in the browser, the 8,500 of the largest
# province 4.6 MB and the country's 84,000 tens of MB.
TILES_FROM = 2000

# Permanent name labels are offered when a view has at most this many regions (the country's 514
# kabupaten/kota); the map shows only those that fit without overlapping, largest regions first, and
# places them again at every zoom (maps.RegionLabels).
MAX_LABELS = 600

# The equal-area grid view (sinergi/gridmap.py) draws every region as one square, sent as GeoJSON like a
# small geographic view: offered up to this many regions (any province's villages, the country's
# kecamatan); the country's 84,000 villages would be squares of a pixel or two on a shared screen.
GRID_MAX = 10_000
# A grid of more squares than this draws them edge to edge without outlines: on a square of a few pixels a
# grey outline greys its colour and a gap becomes stripes (a hover or a selection still outlines one).
GRID_OUTLINES_MAX = 1000

# Optional base map: a tile URL template (``https://…/{z}/{x}/{y}.png``) and its attribution, from
# the environment. None by default: the app must work offline, and the map is readable without it.
ENV_TILES = "SINERGI_TILES"
ENV_TILES_ATTR = "SINERGI_TILES_ATTR"


@dataclass
class MapView:
    """One map view's values and classes. ``geo`` (the display geometry as stored, for exports) is read
    when first asked for: a national village map itself is drawn from vector tiles and never needs it.
    Likewise the ranks within each parent: ``base`` is the table without them, ``table`` adds them when
    first asked for (a selection's panel, a table, an export, the first hover's tooltips), so a recolour of
    84,000 villages does not rank them all before the map can change colour."""

    base: pd.DataFrame  # kode, nama, kode_induk, nilai, c, kelas ... one row per region
    legend: classify.Legend
    level: int = 0
    induk: str = ""
    stored_geo: pd.DataFrame | None = None
    arah: int = 1  # the indicator's direction (1: higher is better), for the ranks
    ranked: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def table(self) -> pd.DataFrame:
        """``base`` with ``rank`` (1 = best within the region's parent, direction-aware; none without a
        value) and ``n_induk`` (regions of the parent with a value); made once (do not mutate)."""
        if self.ranked is None:
            table = self.base.copy()
            parent = table["kode_induk"].fillna("")
            table["rank"] = rank_within(table["nilai"], parent, self.arah)
            table["n_induk"] = table.groupby(parent)["nilai"].transform("count")
            self.ranked = table
        return self.ranked

    def ranks(self, lang: str) -> maps.Ranks:
        tb = self.table
        return maps.Ranks(tb["rank"].to_numpy(dtype=float), tb["n_induk"].to_numpy(dtype=float), lang)

    @property
    def geo(self) -> pd.DataFrame:
        if self.stored_geo is None:
            self.stored_geo = sd.query("region_geometry", level=self.level, induk=self.induk)
        return self.stored_geo


def rank_within(values: pd.Series, groups: pd.Series, arah: int) -> pd.Series:
    """Rank 1 = best within each group (direction-aware); NaN values get no rank."""
    return values.groupby(groups).rank(ascending=arah < 0, method="min")


def choropleth_view(indikator: str, tahun: int, level: int, induk: str = "", metode: str = "kuantil",
                    k: int = 5, palet: str = classify.DEFAULT_PALET, lang: str = "id",
                    scope: str = "nasional") -> MapView:
    """Values, classes, ranks and geometry for one map view.

    ``scope='nasional'`` computes class breaks over every region of the level in the dataset;
    ``scope='induk'`` over the regions shown (within ``induk``). Legend counts always describe the
    regions shown. Ranks are within each region's parent (1 = best, direction-aware).
    """
    ind = catalog.get(indikator)
    vals = region_values(indikator, tahun, level, induk)
    base = vals
    # Official status classes have fixed bounds: the whole country's values change nothing.
    if scope == "nasional" and induk and metode != "status":
        base = region_values(indikator, tahun, level, "")
    cls_all, legend = classify.classify(base["nilai"].to_numpy(dtype=float), indikator, metode, k, palet, lang)
    table = vals.copy()
    cls = pd.Series(cls_all, index=base["kode"]).reindex(table["kode"]).to_numpy()
    if scope == "nasional" and induk:  # legend counts describe what is on screen
        legend.counts = [int((cls == i).sum()) for i in range(legend.k)]
        legend.n_missing = int((cls < 0).sum())
    table["c"] = cls.astype(int)
    labels = np.array([*legend.labels, t("no_data", lang)], dtype=object)  # a national village view: 85,000 rows
    table["kelas"] = labels[np.where(cls < 0, legend.k, cls).astype(int)]
    return MapView(base=table, legend=legend, level=level, induk=induk, arah=ind.arah)


def region_values(indikator: str, tahun: int, level: int, induk: str) -> pd.DataFrame:
    """``kode, nama, jenis, kode_induk, penduduk, nilai, flag`` of the ``level`` regions within ``induk`` (the
    rows of ``queries/region_values.sql``): the regions kept once per dataset, the values of each indicator
    and year queried alone (a national village view: 84,000 values, not 84,000 names and codes each time)."""
    regions_ = _region_attributes(sd.dataset_key(), level, induk)
    if induk == "":  # the whole level (a national map): values by position, no codes joined or sorted
        values = sd.query("region_values_urut", indikator=indikator, tahun=tahun, level=level)
        pos = values["urut"].to_numpy()
        # a position beyond the regions: the dataset changed between the two questions, ask again as one
        if len(pos) and not (pos.min() >= 0 and pos.max() < len(regions_)):
            return sd.query("region_values", indikator=indikator, tahun=tahun, level=level, induk=induk)
        nilai = np.full(len(regions_), np.nan)
        nilai[pos] = values["nilai"].to_numpy(dtype=float)
        flag = np.full(len(regions_), None, dtype=object)
        flag[pos] = values["flag"].to_numpy(dtype=object)
    else:
        values = sd.query("region_values_only", indikator=indikator, tahun=tahun, level=level, induk=induk)
        if len(values) != len(regions_):  # the dataset changed between the two questions: ask again as one
            return sd.query("region_values", indikator=indikator, tahun=tahun, level=level, induk=induk)
        nilai, flag = values["nilai"].to_numpy(), values["flag"].to_numpy()
    out = regions_.copy()
    out["nilai"] = nilai
    out["flag"] = flag
    return out


@st.cache_resource(max_entries=32, show_spinner=False)
def _region_attributes(key: tuple, level: int, induk: str) -> pd.DataFrame:
    return sd.query("region_attributes", level=level, induk=induk)


def lighten_for_view(geo: pd.DataFrame, level: int, pixels: int = VIEW_PIXELS) -> pd.DataFrame:
    """Display geometries thinned for a view much larger than its level's usual extent.

    ``geo``: ``kode, geojson`` (WGS84) and ``minx, miny, maxx, maxy``, all regions of one view (a
    coverage). One "pixel" is the view's larger side (degrees) / ``pixels``. Polygon parts smaller
    than 2 × 2 pixels are left out (every region keeps its largest part): the thousands of small
    islands of a national map were most of its bytes and would be single dots. When a pixel is well
    above the level's build-time tolerance (``geo.TOLERANSI_TAMPILAN``), the view is simplified again
    as one coverage with that tolerance, so neighbours still share edges. Drilling down gives back the
    full display detail. Holes smaller than 2 × 2 pixels are filled too (a parent built from villages
    that do not fit exactly can hold hundreds of thousands of slivers, each an outlined ring).
    Returns ``geo`` itself when nothing changes.
    """
    from sinergi import geo as geo_mod

    if len(geo) == 0:
        return geo
    extent = max(float(geo["maxx"].max() - geo["minx"].min()), float(geo["maxy"].max() - geo["miny"].min()))
    if not extent > 0:  # no geometry at all (NaN bounds) or a single point
        return geo
    pixel = extent / pixels
    text = geo["geojson"].to_numpy()
    rows = np.flatnonzero([isinstance(x, str) and x != "" for x in text])  # regions without geometry stay so
    geoms = np.full(len(geo), None, dtype=object)
    geoms[rows] = shapely.from_geojson(text[rows])
    parts, local = shapely.get_parts(geoms[rows], return_index=True)
    owner = rows[local]
    area = shapely.area(parts)
    keep = area >= 4 * pixel * pixel
    keep[pd.Series(area).groupby(owner).idxmax().to_numpy()] = True
    changed = np.unique(owner[~keep])
    if len(changed):
        sel = keep & np.isin(owner, changed)  # each changed region still has its largest part
        geoms[changed] = shapely.multipolygons(parts[sel], indices=np.searchsorted(changed, owner[sel]))
    # holes smaller than 2 × 2 pixels (slivers between children a parent was built from, small lakes)
    geoms, holes = coverage.remove_holes(geoms, lambda h, _owner: shapely.area(h) < 4 * pixel * pixel)
    simplify = pixel > 1.5 * geo_mod.TOLERANSI_TAMPILAN[int(level)]
    if simplify:
        geoms = geo_mod.display_geometry(geoms, level, tolerance=pixel)
    if not (len(changed) or len(holes) or simplify):
        return geo
    out = geo.copy()
    out["geojson"] = [shapely.to_geojson(g) if g is not None else t_ for g, t_ in zip(geoms, text)]
    return out


def view_geometry(level: int, induk: str) -> pd.DataFrame:
    """Display geometry of the ``level`` regions within ``induk`` ('' = Indonesia), thinned for the
    view (:func:`lighten_for_view`); cached per dataset, shared by every indicator (do not mutate)."""
    return _view_geometry(sd.dataset_key(), level, induk)


@st.cache_resource(max_entries=64, show_spinner=False)
def _view_geometry(key: tuple, level: int, induk: str) -> pd.DataFrame:
    return lighten_for_view(sd.query("region_geometry", level=level, induk=induk), level)


def tile_sets() -> dict[int, dict]:
    """The active dataset's vector tile sets by level (``sinergi.tiles``); {} for a file built before them."""
    return {int(r["level"]): r for r in sd.query("tile_sets").to_dict("records")}


def tiled_levels() -> tuple[int, ...]:
    """Levels the active dataset can draw from vector tiles (any scope)."""
    return tuple(sorted(tile_sets()))


def uses_tiles(level: int, induk: str) -> bool:
    """Whether the ``level`` regions within ``induk`` are drawn from vector tiles: villages and kecamatan of
    the whole country or of a province, when the dataset has their tiles and the view has at least
    :data:`TILES_FROM` of them. Smaller views are GeoJSON: exact, and light enough (a kabupaten's villages,
    a province's kecamatan, a dataset of one province's villages)."""
    if level not in tile_sets() or (induk and regions.level(induk) != 1):
        return False
    counts = _tiled_counts(sd.dataset_key(), level)
    return counts.get(induk, 0) >= TILES_FROM


@st.cache_resource(max_entries=8, show_spinner=False)
def _tiled_counts(key: tuple, level: int) -> dict[str, int]:
    """Tiled regions of ``level`` per province code, and in all under ''."""
    kode = sd.query("tile_features", level=level)["kode"]
    counts = kode.str.split(".", n=1).str[0].value_counts().to_dict()
    return {"": int(len(kode)), **{str(k): int(v) for k, v in counts.items()}}


def region_count(level: int, induk: str) -> int:
    """How many ``level`` regions lie within ``induk`` ('' = Indonesia)."""
    return len(_region_attributes(sd.dataset_key(), level, induk))


def grid_allowed(level: int, induk: str) -> bool:
    """Whether the grid view is offered for the ``level`` regions within ``induk`` (at most :data:`GRID_MAX`)."""
    return 0 < region_count(level, induk) <= GRID_MAX


def grid_geometry(level: int, induk: str) -> pd.DataFrame:
    """The grid view of the ``level`` regions within ``induk``: one equal square per region near its true
    place (:func:`sinergi.gridmap.grid_frame`), laid out once per dataset build, level and parent (do not
    mutate)."""
    return _grid_geometry(sd.dataset_key(), level, induk)


@st.cache_resource(max_entries=32, show_spinner=False)
def _grid_geometry(key: tuple, level: int, induk: str) -> pd.DataFrame:
    points = sd.query("region_points", level=level, induk=induk)
    return gridmap.grid_frame(points, gridmap.GAP if len(points) <= GRID_OUTLINES_MAX else 0.0)


def map_regions(level: int, induk: str, grid: bool = False) -> maps.Regions:
    """Where the map of the ``level`` regions within ``induk`` gets its regions: the dataset's vector tiles
    (:func:`uses_tiles`) or the view's GeoJSON (:func:`view_geometry`), or with ``grid`` the squares of the
    grid view (:func:`grid_geometry`), published once per dataset and shared by every indicator (do not
    mutate)."""
    key = sd.dataset_key()
    return _map_regions(key, level, induk, uses_tiles(level, induk) and not grid, grid, mapdata.owner()[1])


@st.cache_resource(max_entries=64, show_spinner=False)
def _map_regions(key: tuple, level: int, induk: str, tiled: bool, grid: bool = False,
                 restricted: bool = False) -> maps.Regions:  # restricted: its tile URLs carry a key
    if grid:
        return maps.geojson_regions(_grid_geometry(key, level, induk))
    if not tiled:
        return maps.geojson_regions(_view_geometry(key, level, induk))
    ts = tile_sets()[level]
    order = sd.query("tile_features", level=level)["kode"]
    box = (ts["minx"], ts["miny"], ts["maxx"], ts["maxy"])
    extent = tuple(float(v) for v in box) if all(pd.notna(v) for v in box) else None  # no bounds: every tile
    if induk:
        b = sd.query("region_bounds", kode=induk)
        if len(b) and b["minx"].notna().iloc[0]:
            box = tuple(float(b[c].iloc[0]) for c in ("minx", "miny", "maxx", "maxy"))
    dataset = Path(key[0]).stem
    versi = ts["versi"]
    if mapdata.owner() == (dataset, True):  # a restricted dataset: its tile URLs carry a key (routes check it)
        versi = f"{versi}-{mapdata.capability(auth.url_secret(), dataset, versi)}"
    return maps.tile_regions(mapdata.tile_url(dataset, versi, level), mapdata.codes_url(dataset, versi, level),
                             mapdata.names_url(dataset, versi, level), int(ts["zmin"]), int(ts["zmax"]), order,
                             [[box[1], box[0]], [box[3], box[2]]], extent)


def tooltip_props(view: MapView, indikator: str, lang: str) -> pd.DataFrame:
    """Per-region tooltip fields: ``kode, nama, c`` (class index), ``v`` (value with unit), ``r`` (rank
    within the parent, ``"3 / 12"``). The class name comes from the legend in the browser, which keeps
    the label text out of every feature (a province of villages is ~150 kB lighter)."""
    ind = catalog.get(indikator)
    tb = view.table
    rank = [
        "" if np.isnan(r) else f"{fmt_num(int(r), 0, lang)} / {fmt_num(int(n), 0, lang)}"
        for r, n in zip(tb["rank"].to_numpy(dtype=float), tb["n_induk"].to_numpy())
    ]
    return pd.DataFrame({
        "kode": tb["kode"], "nama": tb["nama"], "c": tb["c"],
        "v": [catalog.format_value(x, ind, lang) for x in tb["nilai"].to_numpy(dtype=float)],
        "r": rank,
    })


def value_numbers(view: MapView, indikator: str, lang: str) -> maps.Numbers:
    """The view's values as numbers formatted in the browser exactly as :func:`catalog.format_value`."""
    ind = catalog.get(indikator)
    names = {i: catalog.nama_status(i, lang) for i in range(1, 6)} if ind.id == "status_idm" else None
    unit = f" {ind.unit(lang)}" if ind.satuan and not ind.satuan.startswith("indeks") else ""
    return maps.Numbers(view.base["nilai"].to_numpy(dtype=float), ind.desimal, unit, lang, names)


def colours(view: MapView, indikator: str, lang: str, regions: maps.Regions) -> maps.ColourSpec:
    """The view's colours for its map (class per region, values and ranks as numbers), published."""
    return maps.colour_spec(regions, view.base[["kode", "c"]], view.legend, value_numbers(view, indikator, lang),
                            lambda: view.ranks(lang))


def tooltip_labels(lang: str, level: int | None = None) -> dict[str, str]:
    """Field names for tooltips; with ``level`` the rank says within what it is (e.g. "in the province")."""
    rank = t(f"rank_in_{level}", lang) if level in (1, 2, 3, 4) else t("rank", lang)
    return {"code": t("code", lang), "value": t("value", lang), "class": t("class", lang), "rank": rank,
            "no_data": t("no_data", lang)}


def tile_config() -> tuple[str | None, str | None]:
    """(tile URL template, attribution) of the optional base map, or (None, None)."""
    url = os.environ.get(ENV_TILES, "").strip()
    if not url.startswith(("http://", "https://", "/")):
        return None, None
    return url, os.environ.get(ENV_TILES_ATTR, "").strip() or None


def region_label_points(geo: pd.DataFrame) -> list[tuple[float, float, str]] | None:
    """(lon, lat, name) per region for permanent labels, largest region first (the map places labels in
    this order and leaves out those that would overlap), names without a prefix the level already says
    (``regions.short_names``); None when there are too many regions."""
    if not 0 < len(geo) <= MAX_LABELS:
        return None
    g = geo[geo["lon"].notna() & geo["lat"].notna()]
    if "luas_km2" in g.columns:
        g = g.sort_values("luas_km2", ascending=False, kind="stable", na_position="last")
    names = regions.short_names([str(n) for n in g["nama"]])
    return [(float(x), float(y), n) for x, y, n in zip(g["lon"], g["lat"], names)]


def build_map(indikator: str, tahun: int, level: int, induk: str = "", metode: str = "kuantil", k: int = 5,
              palet: str = classify.DEFAULT_PALET, lang: str = "id", scope: str = "nasional",
              selected: str = "", labels_on: bool = True, height: int = 560,
              tiles: str | None = None, tiles_attr: str | None = None) -> tuple[folium.Map, MapView]:
    """Query, classify and build one map (uncached; pages use :func:`choropleth_map`)."""
    view = choropleth_view(indikator, tahun, level, induk, metode, k, palet, lang, scope)
    m = region_map(level, induk, lang, labels_on, height, tiles, tiles_attr, selected,
                   colours(view, indikator, lang, map_regions(level, induk)))
    return m, view


def region_map(level: int, induk: str, lang: str, labels_on: bool = True, height: int = 560,
               tiles: str | None = None, tiles_attr: str | None = None, selected: str = "",
               colours_: maps.ColourSpec | None = None, grid: bool = False) -> folium.Map:
    """The map of the ``level`` regions within ``induk`` (uncached), coloured by ``colours_`` or later; with
    ``grid`` the grid view's squares, without a base map, scale bar or name labels (the squares are not where
    the land is, and a name wider than its square would seem to name its neighbours: the tooltip names each)."""
    regions_ = map_regions(level, induk, grid)
    labels = None
    if labels_on and not grid and regions_.kind == "geojson" and len(regions_.order) <= MAX_LABELS:
        labels = region_label_points(view_geometry(level, induk))
    weight = 0.7
    if grid:
        tiles = tiles_attr = None
        weight = 0.7 if len(regions_.order) <= GRID_OUTLINES_MAX else 0.0
    return maps.base_map(regions_, tooltip_labels(lang, level), selected=selected or None, region_labels=labels,
                         height=height, tiles=tiles, tiles_attr=tiles_attr, colours=colours_, scale=not grid,
                         weight=weight)


@st.cache_resource(max_entries=48, show_spinner=False)
def _cached_region_map(key: tuple, level: int, induk: str, lang: str, labels_on: bool, height: int,
                       tiles: tuple[str | None, str | None], grid: bool = False) -> folium.Map:
    return region_map(level, induk, lang, labels_on, height, tiles[0], tiles[1], grid=grid)


def peta_map(indikator: str, tahun: int, level: int, induk: str = "", metode: str = "kuantil", k: int = 5,
             palet: str = classify.DEFAULT_PALET, lang: str = "id", scope: str = "nasional",
             labels_on: bool = True, height: int = 560,
             grid: bool = False) -> tuple[folium.Map, maps.ColourSpec, MapView]:
    """(map of the regions, their colours, the view) for :func:`draw_map`: the map depends on the regions
    only, so another indicator, year or classification recolours the same map in the browser (its zoom and
    tiles stay); both cached per dataset and parameters (do not mutate). ``grid``: the grid view's squares
    (:func:`grid_geometry`) instead of the boundaries, coloured the same way."""
    key = sd.dataset_key()
    m = _cached_region_map(key, level, induk, lang, labels_on, height, tile_config(), grid)
    spec, view = _cached_colours(key, indikator, tahun, level, induk, metode, k, palet, lang, scope, grid)
    return m, spec, view


@st.cache_resource(max_entries=48, show_spinner=False)
def _cached_colours(key: tuple, indikator: str, tahun: int, level: int, induk: str, metode: str, k: int,
                    palet: str, lang: str, scope: str, grid: bool = False) -> tuple[maps.ColourSpec, MapView]:
    view = choropleth_view(indikator, tahun, level, induk, metode, k, palet, lang, scope)
    regions_ = _map_regions(key, level, induk, uses_tiles(level, induk) and not grid, grid)
    return colours(view, indikator, lang, regions_), view


@st.cache_resource(max_entries=48, show_spinner=False)
def _cached_map(key: tuple, indikator: str, tahun: int, level: int, induk: str, metode: str, k: int,
                palet: str, lang: str, scope: str, selected: str, labels_on: bool, height: int,
                tiles: tuple[str | None, str | None]):
    return build_map(indikator, tahun, level, induk, metode, k, palet, lang, scope, selected, labels_on, height,
                     tiles[0], tiles[1])


def choropleth_map(indikator: str, tahun: int, level: int, induk: str = "", metode: str = "kuantil", k: int = 5,
                   palet: str = classify.DEFAULT_PALET, lang: str = "id", scope: str = "nasional",
                   selected: str = "", labels_on: bool = True, height: int = 560) -> tuple[folium.Map, MapView]:
    """The built folium map and its view, cached per dataset and parameters (do not mutate).

    Pass ``selected=''`` and outline the selection with :func:`draw_map` instead: the map (and its
    cache entry) then stays the same while the user clicks through regions.
    """
    return _cached_map(sd.dataset_key(), indikator, tahun, level, induk, metode, k, palet, lang, scope,
                       selected, labels_on, height, tile_config())


# A single-province dataset opens on that province's villages when it has at most this many (DIY 438, Bali
# 716), otherwise on its kabupaten/kota (Jawa Barat: 5,957 villages, 27 kabupaten/kota).
HOME_VILLAGES = 1000


def home_view() -> tuple[str, int]:
    """The first view of the active dataset as (parent code, level drawn): the provinces of Indonesia when
    it holds several; one province's villages (at most :data:`HOME_VILLAGES`) or its kabupaten/kota; one
    kabupaten's villages. Never a map of one lone polygon."""
    counts = sd.query("region_counts")
    n = {int(lv): int(c) for lv, c in zip(counts["level"], counts["n"])}
    if n.get(1, 0) != 1:
        return "", 1
    prov = sd.query("region_list", level=1, induk="")["kode"].iloc[0]
    if n.get(2, 0) == 1:  # one kabupaten: its villages, or its kecamatan when the villages have no boundary
        kab = sd.query("region_list", level=2, induk=prov)["kode"].iloc[0]
        return kab, next((lv for lv in (4, 3) if _drawable(lv, kab)), 4)
    if 0 < n.get(4, 0) <= HOME_VILLAGES and _drawable(4, prov):
        return prov, 4
    return prov, 2


def _drawable(level: int, induk: str) -> bool:
    """Whether some region of ``level`` within ``induk`` has a boundary to draw."""
    return int(sd.query("region_geometry_count", level=level, induk=induk)["n_geom"].iloc[0]) > 0


def region_exists(kode: str) -> bool:
    """Whether a dotted region code is in the active dataset."""
    return bool(kode) and len(sd.query("region", kode=kode)) > 0


def region_names(kodes: list[str]) -> dict[str, str]:
    """{kode: nama} for the given codes (unknown codes are left out)."""
    if not kodes:
        return {}
    df = sd.query("regions_by_code", kode=list(kodes))
    return dict(zip(df["kode"], df["nama"]))


def percent_text(p: float | None, lang: str) -> str:
    """A 0..1 share as a whole percentile (``73``), '–' when missing."""
    return "–" if p is None or p != p else fmt_num(100 * float(p), 0, lang)


def _class_name(legend: classify.Legend, c: int, lang: str) -> str:
    if c < 0 or c >= legend.k:
        return t("no_data", lang)
    return legend.names[c] if legend.names else legend.labels[c]


def selection_panel(view: MapView, kode: str, indikator: str, tahun: int, lang: str) -> dict | None:
    """What the profile panel shows for the selected region of a map view, as display text.

    Keys: ``kode, nama, jenis, level, chain`` (ancestor names, province first), ``nilai`` (value with
    unit), ``kelas`` (class label as in the legend), ``kelas_nama`` (the class's name where classes have
    names, e.g. "Berkembang", else its range), ``rank`` (``"3 / 12"`` within the parent),
    ``pct_provinsi`` and ``pct_nasional`` (percentile 0–100 among regions of the same level; '–'
    where it does not apply, e.g. a province within its own province). None for an unknown code.
    """
    ident = profile.identity(kode)
    if ident is None:
        return None
    level = int(ident["level"])
    row = view.table[view.table["kode"] == kode]
    ind = catalog.get(indikator)
    nilai = float(row["nilai"].iloc[0]) if len(row) and row["nilai"].notna().iloc[0] else float("nan")
    rank = ""
    if len(row) and row["rank"].notna().iloc[0]:
        rank = f"{fmt_num(int(row['rank'].iloc[0]), 0, lang)} / {fmt_num(int(row['n_induk'].iloc[0]), 0, lang)}"
    pct = {"pct_provinsi": None, "pct_nasional": None}
    prof = profile.year_values(kode, tahun)  # the same read of the region's rows as its Profil Desa page
    mine = prof[prof["indikator"] == indikator]
    for col in pct:
        if len(mine) and col in profile.percentile_columns(level):
            pct[col] = mine[col].iloc[0]
    chain = [ident.get(c) for c in ("nama_prov", "nama_kab", "nama_kec")]
    return {
        "kode": kode, "nama": str(ident["nama"]), "jenis": str(ident["jenis"]), "level": level,
        "chain": [c for c in chain if isinstance(c, str) and c and c != ident["nama"]],
        "nilai": catalog.format_value(nilai, ind, lang),
        "kelas": str(row["kelas"].iloc[0]) if len(row) else t("no_data", lang),
        "kelas_nama": _class_name(view.legend, int(row["c"].iloc[0]) if len(row) else -1, lang),
        "rank": rank or "–",
        "pct_provinsi": percent_text(pct["pct_provinsi"], lang),
        "pct_nasional": percent_text(pct["pct_nasional"], lang),
    }


# streamlit-folium adds the selection's feature group to the (cached, shared) map while it renders;
# the lock keeps two sessions from seeing each other's group, and the group is removed right after.
_DRAW_LOCK = threading.Lock()


def draw_map(m: folium.Map, key: str, selected: str = "", height: int = 560,
             on_click: Callable[[], None] | None = None, colours_: maps.ColourSpec | None = None,
             legend: dict | None = None, clicks: bool = True) -> dict | None:
    """Show a cached map with ``st_folium``, outline ``selected``, draw ``legend`` on it and report clicks.

    Only ``last_active_drawing`` (the clicked region's feature, ``{properties: {kode}}``) comes back, so
    panning and zooming never rerun the app; with ``clicks=False`` nothing comes back (a click never reruns
    the page). The map script is identical across reruns, so streamlit-folium keeps the same map frame (no
    flicker, zoom kept); the selection, ``colours_`` (a map from :func:`peta_map`) and the legend
    (``maps.legend_spec``) travel as a feature-group script that it evaluates in place. ``on_click`` runs
    (as a widget callback) after a click; read the clicked code with ``clicked_kode(st.session_state[key])``.
    ``height`` is the frame's first height: the page then sizes it to the screen (``sinergi/ui/styles.py``).
    """
    group = maps.SelectionScript(selected, colours_, legend, region_bounds(selected) if selected else None)
    with _DRAW_LOCK:
        try:  # st_folium's arguments, the map's own part rendered once per (cached) map: sinergi/mapframe.py
            return mapframe.frame(m, key=key, height=height, returned_objects=["last_active_drawing"] if clicks else [],
                                  feature_group=group, on_change=on_click)
        finally:
            m._children.pop(group.get_name(), None)


def region_bounds(kode: str) -> tuple[float, float, float, float] | None:
    """A region's bounding box (lon/lat: minx, miny, maxx, maxy), None when unknown or without geometry."""
    b = sd.query("region_bounds", kode=kode)
    if not len(b) or b[["minx", "miny", "maxx", "maxy"]].isna().any(axis=None):
        return None
    return tuple(float(b[c].iloc[0]) for c in ("minx", "miny", "maxx", "maxy"))


def clicked_kode(value: object) -> str:
    """The region code in a ``st_folium`` return value (``last_active_drawing``), '' when none/invalid."""
    if not isinstance(value, dict):
        return ""
    feature = value.get("last_active_drawing")
    if not isinstance(feature, dict):
        return ""
    props = feature.get("properties")
    raw = props.get("kode") if isinstance(props, dict) else None
    if not isinstance(raw, str):
        return ""
    return regions.try_normalize(raw) or ""


def copy_link_html(url: str, label: str, done: str, failed: str) -> str:
    """A small self-contained page with a button that copies ``url`` to the clipboard (for ``st.iframe``).

    Works offline (no asset). Uses the Clipboard API and falls back to selecting a text field and
    ``execCommand('copy')`` where the API is unavailable (plain-http addresses other than localhost).
    Every text is escaped: the URL is JSON inside the script and HTML-escaped in the field.
    """
    js_url = json.dumps(url).replace("<", "\\u003c")
    js_done = json.dumps(done).replace("<", "\\u003c")
    js_failed = json.dumps(failed).replace("<", "\\u003c")
    return f"""<!doctype html><html><head><meta charset="utf-8"><style>
body {{ margin: 0; font-family: "Source Sans Pro", "Segoe UI", sans-serif; font-size: 16px; }}
button {{ font-size: 16px; padding: .35rem .9rem; border: 1px solid #1f5f8b; border-radius: .4rem;
          background: #fff; color: #1f5f8b; cursor: pointer; }}
button:hover {{ background: #1f5f8b; color: #fff; }}
#sd-status {{ margin-left: .6rem; color: #1b5e20; font-size: 15px; }}
#sd-url {{ position: absolute; left: -9999px; }}
</style></head><body>
<button id="sd-copy" type="button">{html.escape(label)}</button><span id="sd-status" role="status"></span>
<input id="sd-url" readonly value="{html.escape(url, quote=True)}" aria-hidden="true">
<script>
(function() {{
  var url = {js_url};
  var status = document.getElementById("sd-status");
  function fallback() {{
    var f = document.getElementById("sd-url");
    f.select();
    var ok = false;
    try {{ ok = document.execCommand("copy"); }} catch (e) {{ ok = false; }}
    status.textContent = ok ? {js_done} : {js_failed};
  }}
  document.getElementById("sd-copy").addEventListener("click", function() {{
    if (navigator.clipboard && window.isSecureContext) {{
      navigator.clipboard.writeText(url).then(function() {{ status.textContent = {js_done}; }}, fallback);
    }} else {{
      fallback();
    }}
  }});
}})();
</script></body></html>"""

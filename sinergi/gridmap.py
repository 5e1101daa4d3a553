"""An equal-area grid view of regions: every region one equal square, placed near its true position.

A geographic map hides small regions (a town's kelurahan are specks beside a mountain desa); on a grid
map every region of the drawn level is one square of the same size, so each gets the same weight on
screen. :func:`layout` turns region points (lon/lat, parent code) into integer grid cells;
:func:`squares` gives those cells back as lon/lat boxes, so the same choropleth code draws, colours,
labels and clicks them as it does boundaries.

The layout works in the Web Mercator plane (the plane Leaflet draws in), so the squares are exactly
equal and square on screen; within Indonesia (11° S to 6° N) their areas on the ground differ by less
than 4 %. Steps, all deterministic (ties broken by position in the input):

1. **Cell size** from the count and the points' spread: the side at which the points fall into
   :data:`FILL` × n distinct cells, so sparse areas keep their place and dense ones (Java, towns) spread
   over the sea or the countryside around them.
2. **One block per parent**: the children of a parent are grown into one contiguous block of cells from
   the middle outwards, each joining the block at the free cell nearest its own (scaled) position; then
   neighbouring cells swap while that brings regions nearer their positions.
3. **Blocks on the grid**: block by block from the middle of the map outwards, each at the free place
   nearest its parent's true position where it overlaps no block placed before.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

EARTH_RADIUS = 6378137.0  # Web Mercator (EPSG:3857) sphere, metres
# Share of the regions that get a cell of their own when the points are put on the grid as they are:
# lower spreads the grid out (more room between blocks, less displacement), higher packs it tighter.
FILL = 0.6
# Swap passes over neighbouring cells of a block (each pass only improves; usually 2-3 suffice).
SWAP_PASSES = 6


def project(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 lon/lat degrees to Web Mercator metres."""
    lon = np.asarray(lon, dtype=float)
    lat = np.clip(np.asarray(lat, dtype=float), -85.0, 85.0)
    return np.radians(lon) * EARTH_RADIUS, np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)) * EARTH_RADIUS


def unproject(x, y) -> tuple[np.ndarray, np.ndarray]:
    """Web Mercator metres to WGS84 lon/lat degrees."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    return np.degrees(x / EARTH_RADIUS), np.degrees(2 * np.arctan(np.exp(y / EARTH_RADIUS)) - np.pi / 2)


@dataclass(frozen=True)
class Layout:
    """Grid cells of regions: region ``i`` sits in column ``col[i]`` (west to east) and row ``row[i]``
    (south to north); cell (c, r) covers ``x0 + c·size`` to ``x0 + (c+1)·size`` and likewise in y, in
    Web Mercator metres."""

    col: np.ndarray
    row: np.ndarray
    size: float
    x0: float
    y0: float

    def __len__(self) -> int:
        return len(self.col)


def cell_size(x: np.ndarray, y: np.ndarray, fill: float = FILL) -> float:
    """The side (plane units) at which the points fall into about ``fill`` × n distinct cells."""
    n = len(x)
    ext = max(float(np.ptp(x)), float(np.ptp(y)))
    if n < 2 or not ext > 0:
        return 1.0 if not ext > 0 else ext
    want = max(1, int(round(fill * n)))

    def occupied(s: float) -> int:
        cells = np.floor(x / s).astype(np.int64) * 4_000_003 + np.floor(y / s).astype(np.int64)
        return len(np.unique(cells))

    lo, hi = ext / (4 * n), ext  # many cells at lo (each point alone), one or two at hi
    for _ in range(40):
        mid = np.sqrt(lo * hi)
        if occupied(mid) > want:
            lo = mid
        else:
            hi = mid
        if hi / lo < 1.01:
            break
    return float(np.sqrt(lo * hi))


NEIGHBOURS = ((1, 0), (-1, 0), (0, 1), (0, -1))


def grow_block(px: np.ndarray, py: np.ndarray) -> np.ndarray:
    """Cells (m × 2 integers, relative) of one contiguous block for ``m`` points at ``px, py`` (in cell
    units, around 0): points from the middle outwards, each at the free cell touching the block nearest
    to it, then neighbour swaps (:func:`improve`)."""
    m = len(px)
    cells = np.zeros((m, 2), dtype=np.int64)
    if m == 0:
        return cells
    order = np.lexsort((np.arange(m), px * px + py * py))
    taken: dict[tuple[int, int], int] = {}
    frontier: set[tuple[int, int]] = set()
    for k, i in enumerate(order):
        if k == 0:
            best = (int(round(px[i])), int(round(py[i])))
        else:
            best = min(frontier, key=lambda c: ((c[0] - px[i]) ** 2 + (c[1] - py[i]) ** 2, c[1], c[0]))
            frontier.discard(best)
        taken[best] = i
        cells[i] = best
        for dx, dy in NEIGHBOURS:
            nb = (best[0] + dx, best[1] + dy)
            if nb not in taken:
                frontier.add(nb)
    improve(cells, px, py, taken)
    return cells


def contiguous(cells) -> bool:
    """Whether grid cells (pairs of integers) form one block, each reachable from any other through cells
    sharing an edge (what :func:`grow_block` makes of a parent's regions)."""
    rest = {(int(c[0]), int(c[1])) for c in cells}
    if not rest:
        return True
    start = next(iter(rest))
    seen, todo = {start}, [start]
    while todo:
        c = todo.pop()
        for dx, dy in NEIGHBOURS:
            nb = (c[0] + dx, c[1] + dy)
            if nb in rest and nb not in seen:
                seen.add(nb)
                todo.append(nb)
    return len(seen) == len(rest)


def improve(cells: np.ndarray, px: np.ndarray, py: np.ndarray, taken: dict[tuple[int, int], int]) -> None:
    """Swap the regions of neighbouring cells while that brings the two nearer their points (in place)."""
    def cost(i: int, c: tuple[int, int]) -> float:
        return (c[0] - px[i]) ** 2 + (c[1] - py[i]) ** 2

    for _ in range(SWAP_PASSES):
        swapped = False
        for c in sorted(taken, key=lambda c: (c[1], c[0])):
            for nb in ((c[0] + 1, c[1]), (c[0], c[1] + 1)):
                j = taken.get(nb)
                if j is None:
                    continue
                i = taken[c]
                if cost(i, nb) + cost(j, c) < cost(i, c) + cost(j, nb) - 1e-9:
                    taken[c], taken[nb] = j, i
                    cells[i], cells[j] = nb, c
                    swapped = True
        if not swapped:
            break


class _Occupancy:
    """Which cells of the grid are taken: a boolean array that grows as blocks land further out."""

    def __init__(self, lo: tuple[int, int], hi: tuple[int, int]):
        self.ox, self.oy = lo
        self.grid = np.zeros((hi[0] - lo[0] + 1, hi[1] - lo[1] + 1), dtype=bool)

    def cover(self, lo: tuple[int, int], hi: tuple[int, int]) -> None:
        """Make the array cover cells ``lo`` to ``hi`` (inclusive)."""
        x0, y0 = min(lo[0], self.ox), min(lo[1], self.oy)
        x1 = max(hi[0], self.ox + self.grid.shape[0] - 1)
        y1 = max(hi[1], self.oy + self.grid.shape[1] - 1)
        if (x0, y0) == (self.ox, self.oy) and (x1 - x0 + 1, y1 - y0 + 1) == self.grid.shape:
            return
        pad = max(8, (x1 - x0) // 4, (y1 - y0) // 4)  # room to spare: few re-allocations
        x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
        grid = np.zeros((x1 - x0 + 1, y1 - y0 + 1), dtype=bool)
        sx, sy = self.ox - x0, self.oy - y0
        grid[sx:sx + self.grid.shape[0], sy:sy + self.grid.shape[1]] = self.grid
        self.grid, self.ox, self.oy = grid, x0, y0

    def place(self, block: np.ndarray, target: tuple[float, float]) -> tuple[int, int]:
        """The offset (integer) nearest ``target`` at which every cell of ``block`` is free; marks them."""
        tx, ty = int(round(target[0])), int(round(target[1]))
        bx0, by0 = (int(v) for v in block.min(axis=0))
        bx1, by1 = (int(v) for v in block.max(axis=0))
        self.cover((tx + bx0, ty + by0), (tx + bx1, ty + by1))
        xs, ys = block[:, 0] + tx - self.ox, block[:, 1] + ty - self.oy
        if not self.grid[xs, ys].any():  # free where it belongs (the nearest whole offset)
            self.grid[xs, ys] = True
            return tx, ty
        cells = block.tolist()
        r = 2
        while True:
            # offsets tx-r..tx+r, ty-r..ty+r; a cell (dx, dy) of the block lands at offset + (dx, dy)
            self.cover((tx - r + bx0, ty - r + by0), (tx + r + bx1, ty + r + by1))
            fits = np.ones((2 * r + 1, 2 * r + 1), dtype=bool)
            for dx, dy in cells:
                x = tx - r + dx - self.ox
                y = ty - r + dy - self.oy
                fits &= ~self.grid[x:x + 2 * r + 1, y:y + 2 * r + 1]
            if fits.any():
                ix, iy = np.nonzero(fits)
                ox, oy = ix + tx - r, iy + ty - r
                d = (ox - target[0]) ** 2 + (oy - target[1]) ** 2
                # the nearest; within r - 1 of the target it is the nearest of all (a nearer one would be inside)
                best = np.lexsort((ox, oy, d))[0]
                if d[best] <= (r - 1) ** 2:
                    off = (int(ox[best]), int(oy[best]))
                    self.grid[block[:, 0] + off[0] - self.ox, block[:, 1] + off[1] - self.oy] = True
                    return off
            r *= 2


def layout(lon, lat, parent=None, fill: float = FILL) -> Layout:
    """Grid cells for regions at ``lon, lat`` (degrees; e.g. their points on surface) whose parents are
    ``parent`` (codes; None: all in one block). Regions without a position sit at their block's middle;
    a block without any at the middle of the map."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    n = len(lon)
    if n == 0:
        return Layout(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), 1.0, 0.0, 0.0)
    x, y = project(lon, lat)
    ok = np.isfinite(x) & np.isfinite(y)
    if not ok.any():
        x, y, ok = np.zeros(n), np.zeros(n), np.ones(n, dtype=bool)
    s = cell_size(x[ok], y[ok], fill)
    gx = np.where(ok, x / s, np.nan)
    gy = np.where(ok, y / s, np.nan)
    centre = (float(np.nanmean(gx)), float(np.nanmean(gy)))

    keys = np.asarray(["" if p is None or p != p else str(p) for p in parent], dtype=object) if parent is not None \
        else np.full(n, "", dtype=object)
    _, group = np.unique(keys.astype(str), return_inverse=True)
    members = np.split(np.argsort(group, kind="stable"), np.cumsum(np.bincount(group))[:-1])

    blocks = []
    for idx in members:
        bx, by = gx[idx], gy[idx]
        known = np.isfinite(bx)
        mid = (float(bx[known].mean()), float(by[known].mean())) if known.any() else centre
        rx = np.where(known, bx - mid[0], 0.0)
        ry = np.where(known, by - mid[1], 0.0)
        m = len(idx)
        rms = float(np.sqrt(np.mean(rx * rx + ry * ry)))
        if m > 1 and rms > 0:  # spread as a disc of m cells: the block's own shape
            scale = np.sqrt(m / (2 * np.pi)) / rms
            rx, ry = rx * scale, ry * scale
        cells = grow_block(rx, ry)
        cells_mid = cells.mean(axis=0)
        # the block's cells around its target: its middle cell where its parent's points are
        blocks.append((idx, cells, (mid[0] - cells_mid[0], mid[1] - cells_mid[1])))

    # middle outwards (the first ones keep their place, later ones move out), big blocks first at a tie
    dist = [(b[2][0] + b[1][:, 0].mean() - centre[0]) ** 2 + (b[2][1] + b[1][:, 1].mean() - centre[1]) ** 2
            for b in blocks]
    order = sorted(range(len(blocks)), key=lambda k: (dist[k], -len(blocks[k][0]), k))
    targets = np.array([b[2] for b in blocks])
    occ = _Occupancy((int(np.floor(targets[:, 0].min())) - 4, int(np.floor(targets[:, 1].min())) - 4),
                     (int(np.ceil(targets[:, 0].max())) + 4, int(np.ceil(targets[:, 1].max())) + 4))
    col = np.zeros(n, dtype=np.int64)
    row = np.zeros(n, dtype=np.int64)
    for k in order:
        idx, cells, target = blocks[k]
        off = occ.place(cells, target)
        col[idx] = cells[:, 0] + off[0]
        row[idx] = cells[:, 1] + off[1]
    c0, r0 = int(col.min()), int(row.min())
    # cell c covers (c - 0.5)·s .. (c + 0.5)·s in the plane: the grid lies over the true geography
    return Layout(col - c0, row - r0, s, (c0 - 0.5) * s, (r0 - 0.5) * s)


def squares(lay: Layout, gap: float = 0.0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each region's square as lon/lat bounds ``(minx, miny, maxx, maxy)``, inset by ``gap`` (a share of
    the side) on every edge: equal squares on screen."""
    inset = lay.size * gap
    x0 = lay.x0 + lay.col * lay.size + inset
    y0 = lay.y0 + lay.row * lay.size + inset
    x1 = x0 + lay.size - 2 * inset
    y1 = y0 + lay.size - 2 * inset
    minx, miny = unproject(x0, y0)
    maxx, maxy = unproject(x1, y1)
    return minx, miny, maxx, maxy


def square_geojson(minx, miny, maxx, maxy, decimals: int = 6) -> list[str]:
    """GeoJSON Polygon texts of lon/lat boxes (counter-clockwise, RFC 7946)."""
    out = []
    f = f"{{:.{decimals}f}}"
    for a, b, c, d in zip(minx, miny, maxx, maxy):
        a, b, c, d = f.format(a), f.format(b), f.format(c), f.format(d)
        out.append('{"type":"Polygon","coordinates":[[[' + a + "," + b + "],[" + c + "," + b + "],[" + c + "," + d
                   + "],[" + a + "," + d + "],[" + a + "," + b + "]]]}")
    return out


# Squares are drawn this much (a share of the side, on every edge) inside their cells: tiles apart.
GAP = 0.06


def grid_frame(points: pd.DataFrame, gap: float = GAP) -> pd.DataFrame:
    """The grid view of regions as display geometry: ``points`` has ``kode, nama, kode_induk, lon, lat``
    (one row per region); returns ``kode, nama, geojson`` (the region's square), ``minx, miny, maxx, maxy``
    and ``lon, lat`` (the square's middle), ``col, row`` (its cell), rows in ``points``' order: what
    ``sinergi.maps.geojson_regions`` publishes for a map."""
    lay = layout(points["lon"].to_numpy(dtype=float), points["lat"].to_numpy(dtype=float),
                 points["kode_induk"].to_numpy(dtype=object) if "kode_induk" in points else None)
    minx, miny, maxx, maxy = squares(lay, gap)
    mid_lon, mid_lat = unproject(lay.x0 + (lay.col + 0.5) * lay.size, lay.y0 + (lay.row + 0.5) * lay.size)
    return pd.DataFrame({
        "kode": points["kode"].to_numpy(), "nama": points["nama"].to_numpy(),
        "geojson": square_geojson(minx, miny, maxx, maxy),
        "minx": minx, "miny": miny, "maxx": maxx, "maxy": maxy, "lon": mid_lon, "lat": mid_lat,
        "col": lay.col, "row": lay.row,
    })

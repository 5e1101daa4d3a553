-- The vector tile sets of the dataset (sinergi/tiles.py), one per tiled level; none in a file built before tiles.
-- params: none   returns: level, versi, zmin, zmax, n_fitur, minx, miny, maxx, maxy
-- example: {}
select level, versi, zmin, zmax, n_fitur, minx, miny, maxx, maxy
from tile_sets
order by level

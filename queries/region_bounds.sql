-- Bounding box of one region's display geometry (WGS84), e.g. to fit a map of its villages.
-- params: $kode   returns: minx, miny, maxx, maxy
-- example: {"kode": "97"}
select ST_XMin(geom_display) as minx, ST_YMin(geom_display) as miny,
       ST_XMax(geom_display) as maxx, ST_YMax(geom_display) as maxy
from regions
where kode = $kode

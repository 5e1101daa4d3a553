-- Display geometry (simplified per level, WGS84, GeoJSON text) and bounding box of regions.
-- params: $level, $induk ('' = all)   returns: kode, nama, geojson, minx, miny, maxx, maxy, lon, lat, luas_km2
-- example: {"level": 4, "induk": "97.01"}
select kode, nama, ST_AsGeoJSON(geom_display) as geojson,
       ST_XMin(geom_display) as minx, ST_YMin(geom_display) as miny,
       ST_XMax(geom_display) as maxx, ST_YMax(geom_display) as maxy,
       lon, lat, luas_km2
from regions
where level = $level
  and ($induk = '' or starts_with(kode, $induk || '.'))
order by kode

-- Geometries of the regions of a level (within a parent) as WKB, for spatial weights (contiguity).
-- $penuh = true takes the full geometry as built or imported, false the display geometry (simplified
-- per level with shared edges kept, so neighbours still touch). WGS84 lon/lat.
-- params: $level, $induk ('' = all), $penuh (boolean)   returns: kode, wkb
-- example: {"level": 4, "induk": "97.01", "penuh": false}
select kode, case when $penuh then ST_AsWKB(geom) else ST_AsWKB(geom_display) end as wkb
from regions
where level = $level
  and ($induk = '' or starts_with(kode, $induk || '.'))
order by kode

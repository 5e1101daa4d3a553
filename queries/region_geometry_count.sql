-- How many regions of a level (within a region) there are and how many have a geometry: a map of a level
-- without any is not drawn empty; the page says which file brings boundaries (sinergi/empty_state.py).
-- params: $level, $induk ('' = all)   returns: n, n_geom
-- example: {"level": 4, "induk": "97.01"}
select count(*) as n, count(geom_display) as n_geom
from regions
where level = $level
  and ($induk = '' or starts_with(kode, $induk || '.'))

-- Each region's point on surface (WGS84) and parent, for the equal-area grid view (sinergi/gridmap.py).
-- params: $level, $induk ('' = all)   returns: kode, nama, kode_induk, lon, lat
-- example: {"level": 4, "induk": "97.01"}
select kode, nama, kode_induk, lon, lat
from regions
where level = $level
  and ($induk = '' or starts_with(kode, $induk || '.'))
order by kode

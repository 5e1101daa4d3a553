-- The regions of a level, optionally within a parent, in code order: what a map view shows besides values
-- (rows in the same order as region_values_only returns them).
-- params: $level, $induk ('' = all)   returns: kode, nama, jenis, kode_induk, penduduk
-- example: {"level": 4, "induk": ""}
select kode, nama, jenis, kode_induk, penduduk
from regions
where level = $level
  and ($induk = '' or starts_with(kode, $induk || '.'))
order by kode

-- Regions of one level, optionally only those inside a parent region (for region pickers).
-- params: $level (1..4), $induk ('' = every region of the level)   returns: kode, nama, jenis
-- example: {"level": 3, "induk": "97.01"}
select kode, nama, jenis
from regions
where level = $level
  and ($induk = '' or starts_with(kode, $induk || '.'))
order by kode

-- One indicator's value for every region of a level in a year, optionally within a parent: values only, in
-- code order (the rows of region_attributes), null where a region has none: the values of a parent's regions
-- without their names and codes again for every indicator and year (a whole level: region_values_urut.sql).
-- params: $indikator, $tahun, $level, $induk ('' = all)   returns: nilai, flag
-- example: {"indikator": "iks", "tahun": 2024, "level": 4, "induk": ""}
select v.nilai, v.flag
from regions r
left join nilai_indikator v
  on v.kode = r.kode and v.indikator = $indikator and v.tahun = $tahun
where r.level = $level
  and ($induk = '' or starts_with(r.kode, $induk || '.'))
order by r.kode

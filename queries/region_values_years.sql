-- One indicator's values for every region of a level (within a parent) in every year that has them,
-- so one set of class breaks can serve all years (a year slider keeps its legend).
-- params: $indikator, $level, $induk ('' = all)   returns: kode, tahun, nilai
-- example: {"indikator": "iks", "level": 4, "induk": "97.01"}
select v.kode, v.tahun, v.nilai
from nilai_indikator v
join regions r on r.kode = v.kode
where r.level = $level
  and v.indikator = $indikator
  and v.nilai is not null
  and ($induk = '' or starts_with(r.kode, $induk || '.'))
order by v.tahun, v.kode

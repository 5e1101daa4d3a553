-- Years that have values for an indicator (all indicators when $indikator is '').
-- Read from indikator_tahun (values per indicator and year, written at build time), not from nilai.
-- params: $indikator   returns: tahun
-- example: {"indikator": ""}
select distinct tahun
from indikator_tahun
where ($indikator = '' or indikator = $indikator)
  and n > 0
order by tahun

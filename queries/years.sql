-- Years that have values for an indicator (all indicators when $indikator is '').
-- params: $indikator   returns: tahun
-- example: {"indikator": ""}
select distinct tahun
from nilai
where ($indikator = '' or indikator = $indikator)
  and nilai is not null
order by tahun

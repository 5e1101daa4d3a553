-- Villages per official IDM status for every year, within a region ('' = the whole dataset).
-- params: $induk   returns: tahun, status (1..5), n
-- example: {"induk": "97.01"}
select v.tahun, cast(v.nilai as integer) as status, count(*) as n
from nilai_indikator v
join regions r on r.kode = v.kode
where r.level = 4
  and v.indikator = 'status_idm'
  and v.nilai is not null
  and ($induk = '' or starts_with(r.kode, $induk || '.'))
group by 1, 2
order by 1, 2

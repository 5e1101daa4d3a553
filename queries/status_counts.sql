-- Villages per official IDM status in a year, within a region ('' = the whole dataset).
-- params: $tahun, $induk   returns: status (1..5), n
-- example: {"tahun": 2024, "induk": ""}
select cast(v.nilai as integer) as status, count(*) as n
from nilai_indikator v
join regions r on r.kode = v.kode
where r.level = 4
  and v.indikator = 'status_idm'
  and v.tahun = $tahun
  and v.nilai is not null
  and ($induk = '' or starts_with(r.kode, $induk || '.'))
group by 1
order by 1

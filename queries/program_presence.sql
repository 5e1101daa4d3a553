-- Which ministries' programmes reach each village of a region in a year (one row per village and ministry).
-- params: $tahun, $induk ('' = all)   returns: kode_desa, nama, kementerian, n_program, program
-- example: {"tahun": 2024, "induk": "97.01"}
select p.kode_desa, r.nama, p.kementerian, count(*) as n_program,
       string_agg(p.program, '; ' order by p.program) as program
from program p
join regions r on r.kode = p.kode_desa
where p.tahun = $tahun
  and ($induk = '' or starts_with(p.kode_desa, $induk || '.'))
group by p.kode_desa, r.nama, p.kementerian
order by p.kode_desa, p.kementerian

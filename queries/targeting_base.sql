-- Every desa/kelurahan of a region in a year with its IKS, IDM status and the programmes reaching it:
-- the input of the targeting list (low resilience, few programmes).
-- params: $tahun, $induk ('' = all)   returns: kode, nama, jenis, nama_kec, nama_kab, iks, status, n_program, n_kementerian, kementerian
-- example: {"tahun": 2024, "induk": ""}
-- Programmes are counted per ministry first and listed with list_sort: an ordered string_agg(distinct …)
-- over every village of the country cost about twice as much (bench/query_bench.py).
with per_kementerian as (
    select kode_desa, kementerian, count(*) as n
    from program
    where tahun = $tahun
      and ($induk = '' or starts_with(kode_desa, $induk || '.'))
    group by kode_desa, kementerian
),
prog as (
    select kode_desa, cast(sum(n) as bigint) as n_program, count(*) as n_kementerian,
           array_to_string(list_sort(list(kementerian)), ', ') as kementerian
    from per_kementerian
    group by kode_desa
)
select r.kode, r.nama, r.jenis, c.nama as nama_kec, k.nama as nama_kab,
       i.nilai as iks, cast(s.nilai as integer) as status,
       coalesce(p.n_program, 0) as n_program, coalesce(p.n_kementerian, 0) as n_kementerian,
       coalesce(p.kementerian, '') as kementerian
from regions r
left join regions c on c.kode = r.kode_kec
left join regions k on k.kode = r.kode_kab
left join nilai_indikator i on i.kode = r.kode and i.indikator = 'iks' and i.tahun = $tahun
left join nilai_indikator s on s.kode = r.kode and s.indikator = 'status_idm' and s.tahun = $tahun
left join prog p on p.kode_desa = r.kode
where r.level = 4
  and ($induk = '' or starts_with(r.kode, $induk || '.'))
order by r.kode

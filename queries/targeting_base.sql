-- Every desa/kelurahan of a region in a year with its resilience value, IDM status and the programmes
-- reaching it: the input of the targeting list (low resilience, few programmes).
-- The resilience indicator ($indikator: 'iks', or 'idm' when the dataset has no IKS) and its year
-- ($tahun_ketahanan: the latest year up to $tahun that has it) are chosen by sinergi/themes.py.
-- dalam_cakupan: the village's kabupaten/kota has programme rows that year (a programme table rarely covers
-- the whole country; villages outside it have no programme count, not zero).
-- params: $tahun, $induk ('' = all), $indikator, $tahun_ketahanan   returns: kode, nama, jenis, nama_kec, nama_kab, ketahanan, status, n_program, n_kementerian, kementerian, dalam_cakupan
-- example: {"tahun": 2024, "induk": "", "indikator": "iks", "tahun_ketahanan": 2024}
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
),
cakupan as (
    select distinct d.kode_kab
    from program p
    join regions d on d.kode = p.kode_desa
    where p.tahun = $tahun
)
select r.kode, r.nama, r.jenis, c.nama as nama_kec, k.nama as nama_kab,
       i.nilai as ketahanan, cast(s.nilai as integer) as status,
       coalesce(p.n_program, 0) as n_program, coalesce(p.n_kementerian, 0) as n_kementerian,
       coalesce(p.kementerian, '') as kementerian,
       r.kode_kab in (select kode_kab from cakupan) as dalam_cakupan
from regions r
left join regions c on c.kode = r.kode_kec
left join regions k on k.kode = r.kode_kab
left join nilai_indikator i on i.kode = r.kode and i.indikator = $indikator and i.tahun = $tahun_ketahanan
left join nilai_indikator s on s.kode = r.kode and s.indikator = 'status_idm' and s.tahun = $tahun_ketahanan
left join prog p on p.kode_desa = r.kode
where r.level = 4
  and ($induk = '' or starts_with(r.kode, $induk || '.'))
order by r.kode

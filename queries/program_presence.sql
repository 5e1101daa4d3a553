-- Which ministries' programmes reach each village of a region in a year (one row per village and ministry).
-- params: $tahun, $induk ('' = all)   returns: kode_desa, nama, kementerian, n_program, program
-- example: {"tahun": 2024, "induk": "97.01"}
-- Grouped on program alone, then named; the list is sorted with list_sort, cheaper at national scale
-- than an ordered string_agg (bench/query_bench.py).
with per_desa as (
    select kode_desa, kementerian, count(*) as n_program, array_to_string(list_sort(list(program)), '; ') as program
    from program
    where tahun = $tahun
      and ($induk = '' or starts_with(kode_desa, $induk || '.'))
    group by kode_desa, kementerian
)
select p.kode_desa, r.nama, p.kementerian, p.n_program, p.program
from per_desa p
join regions r on r.kode = p.kode_desa
order by p.kode_desa, p.kementerian

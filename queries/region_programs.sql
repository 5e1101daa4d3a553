-- Programmes reaching a region (or one village) per year: ministry, programme, villages reached.
-- params: $kode   returns: tahun, kementerian, program, n_desa
-- example: {"kode": "97.01.01.2001"}
select tahun, kementerian, program, count(distinct kode_desa) as n_desa
from program
where kode_desa = $kode or starts_with(kode_desa, $kode || '.')
group by tahun, kementerian, program
order by tahun desc, kementerian, program

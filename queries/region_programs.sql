-- Programmes reaching a region (or one village) per year: ministry, programme, villages reached.
-- params: $kode   returns: tahun, kementerian, program, n_desa
-- example: {"kode": "97.01.01.2001"}
select tahun, kementerian, program, count(distinct kode_desa) as n_desa
from program
-- The range (codes from $kode up to $kode followed by '/', the character after '.') holds every code the
-- condition after it accepts and lets DuckDB skip row groups by their min/max where the table is in code
-- order (the demo's is): a village's programmes then read one row group, not all 875,000 rows nationally.
where kode_desa >= $kode and kode_desa < $kode || '/'
  and (kode_desa = $kode or starts_with(kode_desa, $kode || '.'))
group by tahun, kementerian, program
order by tahun desc, kementerian, program

-- Ties that touch a node homed in a region (village or institution), started in or before a year.
-- params: $induk (region code), $tahun   returns: dari, ke, jenis, tahun
-- example: {"induk": "97.01.01", "tahun": 2024}
with dalam as (
    select id from simpul where starts_with(kode_desa, $induk || '.') or kode_desa = $induk
)
select i.dari, i.ke, i.jenis, i.tahun
from ikatan i
where (i.dari in (select id from dalam) or i.ke in (select id from dalam))
  and (i.tahun is null or i.tahun <= $tahun)
order by i.dari, i.ke

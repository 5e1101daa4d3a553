-- Local institutions of a region (or one village) counted by type.
-- params: $kode ('' = the whole dataset)   returns: jenis, n
-- example: {"kode": "97.01"}
-- The range on kode_desa (as in region_programs) lets DuckDB skip row groups where simpul is in code order.
select jenis, count(*) as n
from simpul
where tipe = 'lembaga'
  and ($kode = '' or kode_desa >= $kode and kode_desa < $kode || '/'
                   and (kode_desa = $kode or starts_with(kode_desa, $kode || '.')))
group by jenis
order by n desc, jenis

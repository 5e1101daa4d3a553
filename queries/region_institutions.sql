-- Local institutions of a region (or one village) counted by type.
-- params: $kode ('' = the whole dataset)   returns: jenis, n
-- example: {"kode": "97.01"}
select jenis, count(*) as n
from simpul
where tipe = 'lembaga'
  and ($kode = '' or kode_desa = $kode or starts_with(kode_desa, $kode || '.'))
group by jenis
order by n desc, jenis

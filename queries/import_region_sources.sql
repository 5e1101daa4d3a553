-- Where each imported region's geometry and name came from (empty for generated datasets).
-- params: none   returns: kode, geom_asal, nama_asal
-- example: {}
select kode, geom_asal, nama_asal
from wilayah_impor
order by kode

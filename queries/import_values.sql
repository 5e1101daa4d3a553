-- Imported values as read, before aggregation (table nilai_impor): what the next import rebuilds from.
-- params: none   returns: kode, tahun, indikator, nilai
-- example: {}
select kode, tahun, indikator, nilai
from nilai_impor
order by kode, indikator, tahun

-- Observed village values of a dataset not built by the importer (no nilai_impor rows): level 4, flag null.
-- params: none   returns: kode, tahun, indikator, nilai
-- example: {}
select v.kode, v.tahun, v.indikator, v.nilai
from nilai v
join regions r on r.kode = v.kode
where r.level = 4 and v.flag is null and v.nilai is not null
order by v.kode, v.indikator, v.tahun

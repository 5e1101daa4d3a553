-- Every value of one region: all indicators and years, with the percentiles among regions of the same level.
-- One read of the region's rows (contiguous: nilai is sorted by kode) for a profile's indicators of the chosen
-- year and its trends, instead of one query each (sinergi/profile.py).
-- params: $kode   returns: indikator, tahun, nilai, flag, pct_nasional, pct_provinsi, pct_kabupaten
-- example: {"kode": "97.01.01.2001"}
select indikator, tahun, nilai, flag, pct_nasional, pct_provinsi, pct_kabupaten
from nilai
where kode = $kode
order by indikator, tahun

-- Every indicator of one region in one year, with its percentiles among regions of the same level.
-- params: $kode, $tahun   returns: indikator, nilai, flag, pct_nasional, pct_provinsi, pct_kabupaten
-- example: {"kode": "97.01.01.2001", "tahun": 2024}
select indikator, nilai, flag, pct_nasional, pct_provinsi, pct_kabupaten
from nilai
where kode = $kode and tahun = $tahun
order by indikator

-- Every indicator of several regions (a list of codes) in one year, with national and provincial percentiles.
-- params: $kode (list of codes), $tahun   returns: kode, indikator, nilai, pct_nasional, pct_provinsi
-- example: {"kode": ["97.01", "97.71"], "tahun": 2024}
select kode, indikator, nilai, pct_nasional, pct_provinsi
from nilai
where list_contains($kode, kode) and tahun = $tahun
order by kode, indikator

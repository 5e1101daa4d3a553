-- Every indicator of several regions (a list of codes) in one year, with national and provincial percentiles.
-- params: $kode (list of codes), $tahun   returns: kode, indikator, nilai, pct_nasional, pct_provinsi
-- example: {"kode": ["97.01", "97.71"], "tahun": 2024}
select kode, indikator, nilai, pct_nasional, pct_provinsi
from nilai
-- A semi-join, not list_contains(): DuckDB then skips the row groups of other regions (nilai is ordered by kode).
where kode in (select unnest($kode)) and tahun = $tahun
order by kode, indikator

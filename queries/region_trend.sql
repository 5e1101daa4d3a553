-- Values of one region over the years, for the given indicators (a list).
-- params: $kode, $indikator (list of ids)   returns: indikator, tahun, nilai
-- example: {"kode": "97.01.01.2001", "indikator": ["iks", "idm"]}
select indikator, tahun, nilai
from nilai
where kode = $kode and list_contains($indikator, indikator)
order by indikator, tahun

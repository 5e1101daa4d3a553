-- Local institutions of a region counted by type from the lembaga_<jenis> values (imported counts per
-- village, or counted from an imported list; sinergi/importers/derived.py), for datasets without a list.
-- A region's value is the sum of its villages; the whole dataset ('') sums the provinces.
-- params: $kode ('' = the whole dataset), $tahun   returns: jenis, n
-- example: {"kode": "", "tahun": 2024}
select substr(v.indikator, 9) as jenis, sum(v.nilai) as n
from nilai_indikator v
join regions r on r.kode = v.kode
where v.indikator like 'lembaga\_%' escape '\'
  and v.indikator not in ('lembaga_jumlah', 'lembaga_per_1000')
  and v.tahun = $tahun
  and v.nilai > 0
  and (($kode = '' and r.level = 1) or v.kode = $kode)
group by v.indikator
order by n desc, jenis

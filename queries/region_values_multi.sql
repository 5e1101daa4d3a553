-- Several indicators (a list of ids) for every region of a level in a year, within a parent, in long form:
-- one row per region and indicator; a missing value is kept as a row with nilai null.
-- params: $indikator (list of ids), $tahun, $level, $induk ('' = all)   returns: kode, nama, kode_induk, nama_induk, indikator, nilai
-- example: {"indikator": ["iks", "pendidikan_sma_pct"], "tahun": 2024, "level": 4, "induk": ""}
select r.kode, r.nama, r.kode_induk, p.nama as nama_induk, u.indikator, v.nilai
from regions r
cross join (select unnest($indikator) as indikator) u
left join regions p on p.kode = r.kode_induk
left join nilai_indikator v on v.kode = r.kode and v.indikator = u.indikator and v.tahun = $tahun
where r.level = $level
  and ($induk = '' or starts_with(r.kode, $induk || '.'))
order by r.kode, u.indikator

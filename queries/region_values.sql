-- One indicator's value for every region of a level in a year, optionally within a parent region.
-- Regions without a value are returned with nilai null (drawn as "no data", never dropped).
-- params: $indikator, $tahun, $level, $induk ('' = all)   returns: kode, nama, jenis, kode_induk, penduduk, nilai, flag
-- example: {"indikator": "iks", "tahun": 2024, "level": 3, "induk": ""}
select r.kode, r.nama, r.jenis, r.kode_induk, r.penduduk, v.nilai, v.flag
from regions r
left join nilai_indikator v
  on v.kode = r.kode and v.indikator = $indikator and v.tahun = $tahun
where r.level = $level
  and ($induk = '' or starts_with(r.kode, $induk || '.'))
order by r.kode

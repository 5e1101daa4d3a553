-- Two indicators side by side for every region of a level in a year (within a parent), for scatter plots.
-- Regions lacking either value are kept with nulls (the caller counts them as "no data").
-- params: $ind_x, $ind_y, $tahun, $level, $induk ('' = all)   returns: kode, nama, jenis, kode_induk, nama_induk, x, y
-- example: {"ind_x": "pendidikan_sma_pct", "ind_y": "iks", "tahun": 2024, "level": 4, "induk": "97"}
select r.kode, r.nama, r.jenis, r.kode_induk, p.nama as nama_induk, vx.nilai as x, vy.nilai as y
from regions r
left join regions p on p.kode = r.kode_induk
left join nilai_indikator vx on vx.kode = r.kode and vx.indikator = $ind_x and vx.tahun = $tahun
left join nilai_indikator vy on vy.kode = r.kode and vy.indikator = $ind_y and vy.tahun = $tahun
where r.level = $level
  and ($induk = '' or starts_with(r.kode, $induk || '.'))
order by r.kode

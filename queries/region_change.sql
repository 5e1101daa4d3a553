-- One indicator's value in two years for every region of a level (within a parent), for change maps.
-- A region missing in a year has a null value there (it gets no change, never a made-up one).
-- params: $indikator, $tahun_a, $tahun_b, $level, $induk ('' = all)   returns: kode, nama, kode_induk, nama_induk, nilai_a, nilai_b
-- example: {"indikator": "iks", "tahun_a": 2023, "tahun_b": 2024, "level": 4, "induk": ""}
select r.kode, r.nama, r.kode_induk, p.nama as nama_induk, a.nilai as nilai_a, b.nilai as nilai_b
from regions r
left join regions p on p.kode = r.kode_induk
left join nilai_indikator a on a.kode = r.kode and a.indikator = $indikator and a.tahun = $tahun_a
left join nilai_indikator b on b.kode = r.kode and b.indikator = $indikator and b.tahun = $tahun_b
where r.level = $level
  and ($induk = '' or starts_with(r.kode, $induk || '.'))
order by r.kode

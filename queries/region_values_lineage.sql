-- One indicator's value for every region of a level in a year (within a parent), with the codes and names
-- of the region's kecamatan, kabupaten/kota and province (for lists that cross administrative lines).
-- Regions without a value are kept with nilai null.
-- params: $indikator, $tahun, $level, $induk ('' = all)   returns: kode, nama, jenis, kode_kec, nama_kec, kode_kab, nama_kab, kode_prov, nama_prov, nilai
-- example: {"indikator": "iks", "tahun": 2024, "level": 4, "induk": "97"}
select r.kode, r.nama, r.jenis,
       r.kode_kec, c.nama as nama_kec, r.kode_kab, k.nama as nama_kab, r.kode_prov, p.nama as nama_prov,
       v.nilai
from regions r
left join regions c on c.kode = r.kode_kec
left join regions k on k.kode = r.kode_kab
left join regions p on p.kode = r.kode_prov
left join nilai_indikator v on v.kode = r.kode and v.indikator = $indikator and v.tahun = $tahun
where r.level = $level
  and ($induk = '' or starts_with(r.kode, $induk || '.'))
order by r.kode

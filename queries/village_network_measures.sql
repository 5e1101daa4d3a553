-- Network measures of every desa/kelurahan of a region in a year (built from simpul/ikatan at build
-- time, see sinergi/network.py), with institution density and partner count, one row per village.
-- params: $tahun, $induk (region code, '' = all)   returns: kode, nama, nama_kec, derajat, jenis_mitra, penghubung, lembaga_per_1000, jumlah_mitra
-- example: {"tahun": 2024, "induk": "97.01"}
select r.kode, r.nama, c.nama as nama_kec,
       max(v.nilai) filter (where v.indikator = 'jejaring_derajat') as derajat,
       max(v.nilai) filter (where v.indikator = 'jejaring_jenis_mitra') as jenis_mitra,
       max(v.nilai) filter (where v.indikator = 'jejaring_penghubung') as penghubung,
       max(v.nilai) filter (where v.indikator = 'lembaga_per_1000') as lembaga_per_1000,
       max(v.nilai) filter (where v.indikator = 'jumlah_mitra') as jumlah_mitra
from regions r
left join regions c on c.kode = r.kode_kec
left join nilai_indikator v on v.kode = r.kode and v.tahun = $tahun
     and v.indikator in ('jejaring_derajat', 'jejaring_jenis_mitra', 'jejaring_penghubung',
                         'lembaga_per_1000', 'jumlah_mitra')
where r.level = 4
  and ($induk = '' or starts_with(r.kode, $induk || '.'))
group by r.kode, r.nama, c.nama
order by r.kode

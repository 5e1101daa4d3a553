-- One region's identity and its ancestors' names.
-- params: $kode   returns: kode, level, nama, jenis, kode_induk, kode_prov, kode_kab, kode_kec, luas_km2, penduduk, lon, lat, nama_prov, nama_kab, nama_kec
-- example: {"kode": "97.01.01.2001"}
select r.kode, r.level, r.nama, r.jenis, r.kode_induk, r.kode_prov, r.kode_kab, r.kode_kec,
       r.luas_km2, r.penduduk, r.lon, r.lat,
       p.nama as nama_prov, k.nama as nama_kab, c.nama as nama_kec
from regions r
left join regions p on p.kode = r.kode_prov and p.level = 1
left join regions k on k.kode = r.kode_kab and k.level = 2
left join regions c on c.kode = r.kode_kec and c.level = 3
where r.kode = $kode

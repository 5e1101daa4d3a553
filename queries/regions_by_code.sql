-- Identity of several regions given by code (a list), with the name of each one's parent.
-- params: $kode (list of dotted codes)   returns: kode, level, nama, jenis, kode_induk, nama_induk, penduduk
-- example: {"kode": ["97.01", "97.71"]}
select r.kode, r.level, r.nama, r.jenis, r.kode_induk, p.nama as nama_induk, r.penduduk
from regions r
left join regions p on p.kode = r.kode_induk
where list_contains($kode, r.kode)
order by r.kode

-- Regions found by a search text: by exact code, or by name ignoring case, spaces, dots and the
-- prefix words "Desa", "Kel.", "Kec.", "Kab.", "Kota", "Prov." (the same folding as sinergi/search.py; the
-- names are folded once, at build time: table nama_lipat).
-- params: $kode (dotted code, '' = none), $nama (folded name, '' = none), $penuh (folded name with its
--         prefix words, '' = none), $jenis (jenis a prefix word asked for, '' = none), $n (max rows)
-- returns: kode, level, nama, jenis, kode_induk, nama_induk, nama_kab, nama_prov, jenis_cocok (of the
--          asked jenis), skor (0 code, 1 full name, 2 name, 3 name starts with, 4 contains); ordered by
--          jenis_cocok first, then skor
-- example: {"kode": "", "nama": "alfa", "penuh": "desaalfa", "jenis": "desa", "n": 10}
with hit as (
    select r.kode, r.level, r.nama, r.jenis, r.kode_induk, r.kode_kab, r.kode_prov,
           case when r.kode = $kode then 0
                when f.penuh_lipat = $penuh then 1
                when f.nama_lipat = $nama then 2
                when starts_with(f.nama_lipat, $nama) then 3
                else 4 end as skor
    from nama_lipat f
    join regions r on r.kode = f.kode
    where ($kode <> '' and f.kode = $kode)
       or ($nama <> '' and contains(f.nama_lipat, $nama))
)
select h.kode, h.level, h.nama, h.jenis, h.kode_induk, p.nama as nama_induk,
       case when h.level > 2 then k.nama end as nama_kab,
       case when h.level > 1 then v.nama end as nama_prov,
       h.jenis = $jenis as jenis_cocok, h.skor
from hit h
left join regions p on p.kode = h.kode_induk
left join regions k on k.kode = h.kode_kab
left join regions v on v.kode = h.kode_prov
order by jenis_cocok desc, h.skor, h.level, h.nama, h.kode
limit $n

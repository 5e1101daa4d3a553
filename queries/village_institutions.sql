-- One village's local institutions with the outside partners tied to each (partners as text).
-- params: $kode (a village code)   returns: id, nama, jenis, sejak, mitra
-- example: {"kode": "97.01.01.2001"}
with l as (
    select id, nama, jenis from simpul where tipe = 'lembaga' and kode_desa = $kode
),
tie as (
    select dari as a, ke as b, tahun from ikatan
    union all
    select ke, dari, tahun from ikatan
)
select l.id, l.nama, l.jenis,
       min(t.tahun) filter (where s.tipe = 'desa') as sejak,
       coalesce(string_agg(m.nama, '; ' order by m.nama) filter (where m.tipe = 'mitra'), '') as mitra
from l
left join tie t on t.a = l.id
left join simpul s on s.id = t.b
left join simpul m on m.id = t.b and m.tipe = 'mitra'
group by l.id, l.nama, l.jenis
order by l.jenis, l.nama

-- One village's local institutions with the outside partners tied to each (partners as text).
-- params: $kode (a village code)   returns: id, nama, jenis, sejak, mitra
-- example: {"kode": "97.01.01.2001"}
-- Only the ties of this village's institutions are read (not every tie in both directions).
with l as (
    select id, nama, jenis from simpul where tipe = 'lembaga' and kode_desa = $kode
),
tie as (
    select dari as a, ke as b, tahun from ikatan where dari in (select id from l)
    union all
    select ke, dari, tahun from ikatan where ke in (select id from l)
)
select l.id, l.nama, l.jenis,
       min(t.tahun) filter (where s.tipe = 'desa') as sejak,
       coalesce(string_agg(s.nama, '; ' order by s.nama) filter (where s.tipe = 'mitra'), '') as mitra
from l
left join tie t on t.a = l.id
left join simpul s on s.id = t.b
group by l.id, l.nama, l.jenis
order by l.jenis, l.nama, l.id  -- id: two institutions may share a name

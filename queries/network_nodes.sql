-- Nodes homed in a region plus every node tied to them by a tie started in or before a year, with the
-- home village's centroid (WGS84 lon/lat; null for partners) and name.
-- params: $induk (region code), $tahun   returns: id, tipe, jenis, nama, kode_desa, nama_desa, lon, lat
-- example: {"induk": "97.01.01", "tahun": 2024}
-- The wanted ids are collected first, so only those simpul rows are joined to their village.
with dalam as (
    select id from simpul where starts_with(kode_desa, $induk || '.') or kode_desa = $induk
),
terikat as (
    select i.ke as id from ikatan i
    where i.dari in (select id from dalam) and (i.tahun is null or i.tahun <= $tahun)
    union
    select i.dari from ikatan i
    where i.ke in (select id from dalam) and (i.tahun is null or i.tahun <= $tahun)
),
pilih as (
    select id from dalam
    union
    select id from terikat
)
select s.id, s.tipe, s.jenis, s.nama, s.kode_desa, r.nama as nama_desa, r.lon, r.lat
from simpul s
join pilih p on p.id = s.id
left join regions r on r.kode = s.kode_desa
order by s.id

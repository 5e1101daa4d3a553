-- Regions most like a given one: same level, within its kabupaten (villages, kecamatan) or province
-- (kabupaten) or the nation (provinces), closest on the given indicators after standardising each
-- one over those candidates (z-scores); distance = root mean squared z difference over shared indicators.
-- params: $kode, $tahun, $indikator (list of ids), $n   returns: kode, nama, nama_induk, jarak, n_indikator
-- example: {"kode": "97.01.01.2001", "tahun": 2024, "indikator": ["iks", "pendidikan_sma_pct"], "n": 5}
with target as (
    select kode, level, kode_prov, kode_kab from regions where kode = $kode
),
calon as (
    select r.kode, r.nama, r.kode_induk
    from regions r, target t
    where r.level = t.level
      and case when t.level >= 3 then r.kode_kab = t.kode_kab
               when t.level = 2 then r.kode_prov = t.kode_prov
               else true end
),
v as (
    select n.kode, n.indikator, n.nilai,
           (n.nilai - avg(n.nilai) over w) / nullif(stddev_samp(n.nilai) over w, 0) as z
    from nilai n
    join calon c on c.kode = n.kode
    where n.tahun = $tahun and list_contains($indikator, n.indikator) and n.nilai is not null
    window w as (partition by n.indikator)
),
jarak as (
    select v.kode, sqrt(avg((v.z - t.z) * (v.z - t.z))) as jarak, count(*) as n_indikator
    from v
    join v t on t.indikator = v.indikator and t.kode = $kode
    where v.kode <> $kode and v.z is not null and t.z is not null
    group by v.kode
)
select j.kode, c.nama, p.nama as nama_induk, j.jarak, j.n_indikator
from jarak j
join calon c on c.kode = j.kode
left join regions p on p.kode = c.kode_induk
order by j.n_indikator desc, j.jarak, j.kode
limit $n

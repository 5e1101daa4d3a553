-- Number of regions per level (1 provinsi .. 4 desa/kelurahan), with desa and kelurahan apart.
-- params: none   returns: level, n, n_desa, n_kelurahan
-- example: {}
select level,
       count(*) as n,
       count(*) filter (where jenis = 'desa') as n_desa,
       count(*) filter (where jenis = 'kelurahan') as n_kelurahan
from regions
group by level
order by level

-- What the active dataset holds besides indicator values: programme rows, institutions, partners, ties
-- other than memberships, villages and villages with population, regions with a geometry. Pages say what
-- is missing (and which file would fill it) from these counts (sinergi/empty_state.py).
-- params: none   returns: n_program, n_lembaga, n_mitra, n_ikatan, n_desa, n_desa_penduduk, n_geom
-- example: {}
select (select count(*) from program) as n_program,
       (select count(*) from simpul where tipe = 'lembaga') as n_lembaga,
       (select count(*) from simpul where tipe = 'mitra') as n_mitra,
       (select count(*) from ikatan where jenis <> 'anggota') as n_ikatan,
       (select count(*) from regions where level = 4) as n_desa,
       (select count(*) from regions where level = 4 and penduduk is not null) as n_desa_penduduk,
       (select count(*) from regions where geom is not null) as n_geom

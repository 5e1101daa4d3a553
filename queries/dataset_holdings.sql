-- What a dataset holds beside regions and values, for `python -m sinergi status`: programme rows, the villages
-- and ministries they reach and their years; local institutions and outside partners; ties; vector tile sets.
-- params: none   returns: program_baris, program_desa, program_kementerian, program_tahun_min, program_tahun_max, lembaga, mitra, ikatan, tile_sets
-- example: {}
select (select count(*) from program) as program_baris,
       (select count(distinct kode_desa) from program) as program_desa,
       (select count(distinct kementerian) from program) as program_kementerian,
       (select min(tahun) from program) as program_tahun_min,
       (select max(tahun) from program) as program_tahun_max,
       (select count(*) from simpul where tipe = 'lembaga') as lembaga,
       (select count(*) from simpul where tipe = 'mitra') as mitra,
       (select count(*) from ikatan) as ikatan,
       (select count(*) from tile_sets) as tile_sets

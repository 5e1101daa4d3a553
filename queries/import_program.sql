-- All programme rows, carried over unchanged when an import rebuilds the dataset.
-- params: none   returns: kode_desa, tahun, kementerian, program, anggaran, penerima
-- example: {}
select kode_desa, tahun, kementerian, program, anggaran, penerima
from program

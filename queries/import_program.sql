-- All programme rows, carried over unchanged when an import rebuilds the dataset.
-- params: none   returns: kode_desa, tahun, kementerian, program
-- example: {}
select kode_desa, tahun, kementerian, program
from program

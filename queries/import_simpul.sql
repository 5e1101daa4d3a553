-- All network nodes, carried over unchanged when an import rebuilds the dataset.
-- params: none   returns: id, tipe, jenis, nama, kode_desa
-- example: {}
select id, tipe, jenis, nama, kode_desa
from simpul

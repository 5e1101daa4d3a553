-- Metadata of the dataset in this database file.
-- params: none   returns: id, nama, sumber, lisensi, tahun, dibangun_pada, demo, catatan
-- example: {}
select id, nama, sumber, lisensi, tahun, dibangun_pada, demo, catatan
from dataset

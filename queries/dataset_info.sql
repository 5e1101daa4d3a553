-- Metadata of the dataset in this database file.
-- params: none   returns: id, nama, sumber, lisensi, tahun, dibangun_pada, demo, catatan
select id, nama, sumber, lisensi, tahun, dibangun_pada, demo, catatan
from dataset

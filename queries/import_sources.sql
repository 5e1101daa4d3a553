-- Files imported into this dataset, in order (empty for generated datasets).
-- params: none   returns: urut, jenis, berkas, format, tingkat, baris, cocok, tahun, sumber, lisensi, diimpor_pada
-- example: {}
select urut, jenis, berkas, format, tingkat, baris, cocok, tahun, sumber, lisensi, diimpor_pada
from sumber_impor
order by urut

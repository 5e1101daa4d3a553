-- The dataset's indicator catalog rows (built-in and described by the dataset's owner), in catalog order.
-- Read once per dataset file by sinergi/data.py (catalog.dari_tabel); older files get the added columns as nulls.
-- params: none   returns: id, nama_id, nama_en, tema, satuan, arah, min_valid, max_valid, agregasi, sumber, deskripsi_id, deskripsi_en, kelas_resmi, impor, urut, satuan_en, lisensi, desimal, kelas_batas, tema_nama_id, tema_nama_en
-- example: {}
select id, nama_id, nama_en, tema, satuan, arah, min_valid, max_valid, agregasi, sumber, deskripsi_id,
       deskripsi_en, kelas_resmi, impor, urut, satuan_en, lisensi, desimal, kelas_batas, tema_nama_id, tema_nama_en
from indicators
order by urut nulls last, id

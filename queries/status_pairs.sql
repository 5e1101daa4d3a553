-- Each village's official IDM status (1..5) in two years, within a region (for status transitions).
-- A village missing in a year has a null status there.
-- params: $tahun_a, $tahun_b, $induk ('' = all)   returns: kode, nama, status_a, status_b
-- example: {"tahun_a": 2023, "tahun_b": 2024, "induk": ""}
select r.kode, r.nama,
       cast(a.nilai as integer) as status_a,
       cast(b.nilai as integer) as status_b
from regions r
left join nilai_indikator a on a.kode = r.kode and a.indikator = 'status_idm' and a.tahun = $tahun_a
left join nilai_indikator b on b.kode = r.kode and b.indikator = 'status_idm' and b.tahun = $tahun_b
where r.level = 4
  and ($induk = '' or starts_with(r.kode, $induk || '.'))
  and (a.nilai is not null or b.nilai is not null)
order by r.kode

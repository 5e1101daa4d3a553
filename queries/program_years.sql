-- Years with programme rows, with how many rows and villages (the years Sinergi Program offers).
-- params: none   returns: tahun, n, n_desa
-- example: {}
select tahun, count(*) as n, count(distinct kode_desa) as n_desa
from program
group by tahun
order by tahun

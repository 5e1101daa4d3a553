-- Indicators of the catalog that have values in this dataset, with their years.
-- params: none   returns: id, tema, tahun_min, tahun_max, n
-- example: {}
select i.id, i.tema, min(v.tahun) as tahun_min, max(v.tahun) as tahun_max, count(*) as n
from indicators i
join nilai v on v.indikator = i.id
where v.nilai is not null
group by i.id, i.tema
order by i.tema, i.id

-- Indicators of the catalog that have values in this dataset, with their years.
-- Read from indikator_tahun (values per indicator and year, written at build time), not from nilai.
-- params: none   returns: id, tema, tahun_min, tahun_max, n
-- example: {}
select i.id, i.tema, min(v.tahun) as tahun_min, max(v.tahun) as tahun_max, cast(sum(v.n) as bigint) as n
from indicators i
join indikator_tahun v on v.indikator = i.id
where v.n > 0
group by i.id, i.tema
order by i.tema, i.id

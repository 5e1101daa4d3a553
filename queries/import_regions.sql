-- Every region with its geometries as WKB: the base an import rebuilds a dataset from (sinergi/importers).
-- params: none   returns: kode, level, nama, kode_induk, kode_prov, kode_kab, kode_kec, jenis, luas_km2, penduduk, lon, lat, geom_wkb, geom_display_wkb
-- example: {}
select kode, level, nama, kode_induk, kode_prov, kode_kab, kode_kec, jenis, luas_km2, penduduk, lon, lat,
       ST_AsWKB(geom) as geom_wkb, ST_AsWKB(geom_display) as geom_display_wkb
from regions
order by level, kode

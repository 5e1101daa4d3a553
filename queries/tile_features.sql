-- The region codes of one tiled level in feature-id order (the order of a map's colour arrays).
-- params: $level   returns: fid, kode
-- example: {"level": 4}
select fid, kode
from tile_features
where level = $level
order by fid

-- One indicator's value for every region of a level in a year that has one, as the region's position in its
-- level (urut: 0, 1, … in code order, the rows of region_attributes with induk ''): a national map's values
-- as one block of numbers, put in place by position (sinergi/explore.py region_values), no codes joined.
-- params: $indikator, $tahun, $level   returns: urut, nilai, flag
-- example: {"indikator": "iks", "tahun": 2024, "level": 4}
select urut, nilai, flag
from nilai_urut
where indikator = $indikator and tahun = $tahun and level = $level
order by urut

-- All network ties, carried over unchanged when an import rebuilds the dataset.
-- params: none   returns: dari, ke, jenis, tahun
-- example: {}
select dari, ke, jenis, tahun
from ikatan

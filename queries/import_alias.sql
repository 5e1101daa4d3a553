-- The dataset's own ministry/agency aliases, carried over unchanged when an import rebuilds the dataset.
-- params: none   returns: alias, nama
-- example: {}
select alias, nama
from alias_kementerian

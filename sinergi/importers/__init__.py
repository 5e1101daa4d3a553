"""Importing real public data into a dataset: boundaries and indicator tables.

An import is always two steps, so nothing changes before the user has seen what will happen:

1. ``siapkan_batas`` / ``siapkan_indikator`` (``sinergi.importers.plan``) read the file, read the
   current dataset (if any), validate and merge in memory, and return a :class:`~.plan.Rencana`
   holding a :class:`~.report.Laporan` (the validation report, messages in Indonesian).
2. ``terapkan`` (``sinergi.importers.apply``) builds the new database file aside and swaps it in
   atomically; a failure or a cancelled import leaves the previous file untouched.

Modules: ``files`` (size limits, CSV/XLSX reading, numbers with comma decimals), ``codes`` (code
columns, Kemendagri normalisation, BPS crosswalk, code lists), ``boundaries`` (GeoJSON, GPKG, zipped
Shapefile), ``tables`` (wide and long indicator tables), ``idm`` (the IDM national table and the IDM
per-indicator detail), ``report``, ``plan``, ``apply``, ``access`` (admin password), ``view``
(Streamlit rendering of a report, for the Kelola Data page). Programmes, institutions, ties and population
(issue 14): ``kinds`` (the four kinds, their command line), ``tabular`` (the steps they share), ``programs``,
``network_import``, ``population``, ``derived`` (values derived from them when a plan is applied) and ``form``
(their Kelola Data options).
"""

from __future__ import annotations


class ImporGagal(Exception):
    """An import cannot go on; the message (in Indonesian) says why and what to do."""

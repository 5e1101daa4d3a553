"""Sinergi Desa: logic behind the dashboard pages (data access, catalog, maps, charts, importers)."""

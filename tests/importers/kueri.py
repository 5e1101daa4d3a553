"""Reading a dataset file in the importer tests: a query's rows, one indicator's values by region."""

from __future__ import annotations

from pathlib import Path

from sinergi import db


def q(path: Path, sql: str) -> list[tuple]:
    con = db.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def nilai(path: Path, indikator: str, tahun: int = 2024) -> dict[str, float]:
    """{kode: value} of ``indikator`` in ``tahun`` at every level (our own test ids, not user input)."""
    return dict(q(path, f"select kode, nilai from nilai where indikator = '{indikator}' and tahun = {tahun}"))

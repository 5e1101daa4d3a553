"""Finding a region by what a user types: a name or a code, at any level.

Tolerant of case, extra spaces, dots and the prefix words officials write in front of names
("Desa", "Kel.", "Kec.", "Kab.", "Kota", "Prov."): those words are dropped for matching but still
prefer regions of that kind ("Kota Uji" before "Kabupaten Uji"). A dotted or 10-digit Kemendagri code
finds that region exactly. The database side folds names the same way (queries/search_regions.sql).
"""

from __future__ import annotations

import re

import pandas as pd

from sinergi import data as sd
from sinergi import regions

MIN_CHARS = 2  # a single letter would match thousands of villages

# prefix word (lower case, without the dot) -> the ``regions.jenis`` it asks for
PREFIX_JENIS: dict[str, str] = {
    "desa": "desa", "ds": "desa", "kelurahan": "kelurahan", "kel": "kelurahan",
    "kecamatan": "kecamatan", "kec": "kecamatan", "kabupaten": "kabupaten", "kab": "kabupaten",
    "kota": "kota", "provinsi": "provinsi", "prov": "provinsi", "propinsi": "provinsi",
}
_FIRST_WORD = re.compile(r"^\s*([a-z]+)\b\.?", re.IGNORECASE)
_SPACE_DOT = re.compile(r"[\s.]+")


def fold(text: str) -> str:
    """Name as compared: lower case, prefix words dropped, no spaces or dots.

    >>> fold("  KAB.  Tanjung   Lemora "), fold("Desa Suka Maju"), fold("sukamaju")
    ('tanjunglemora', 'sukamaju', 'sukamaju')
    """
    return _SPACE_DOT.sub("", regions.clean_name(text))


def fold_full(text: str) -> str:
    """Name as compared with its prefix words kept (``"Kota Uji"`` → ``"kotauji"``)."""
    return _SPACE_DOT.sub("", str(text).lower())


def asked_jenis(text: str) -> str:
    """The kind of region a leading prefix word asks for ('' when none): ``"Kel. Alfa"`` → ``"kelurahan"``."""
    m = _FIRST_WORD.match(str(text))
    return PREFIX_JENIS.get(m.group(1).lower(), "") if m else ""


def as_code(text: str) -> str:
    """The dotted code when the text is a region code (dotted or undotted), else ''."""
    s = str(text).strip()
    if not s or not re.fullmatch(r"[\d.\s]+", s):
        return ""
    return regions.try_normalize(s) or ""


def search(text: str, n: int = 10) -> pd.DataFrame:
    """Regions matching ``text`` best first: ``kode, level, nama, jenis, kode_induk, nama_induk,
    nama_kab, nama_prov, jenis_cocok, skor`` (0 exact code, 1 exact full name, 2 exact name, 3 name
    starts with the text, 4 name contains it; regions of the kind a prefix word asks for first).
    Empty for a text too short to search."""
    text = str(text or "")[:100]
    kode = as_code(text)
    nama = "" if kode else fold(text)
    if not kode and len(nama) < MIN_CHARS:
        return sd.query("search_regions", kode="", nama="", penuh="", jenis="", n=0)
    return sd.query("search_regions", kode=kode, nama=nama, penuh=fold_full(text) if nama else "",
                    jenis=asked_jenis(text), n=int(n))


def best(hits: pd.DataFrame) -> str:
    """The code of the one clearly best result ('' when none or when several are equally good).

    Results come ordered by (asked jenis first, skor); the first is clearly best when it is the
    only one or strictly better than the second on that order.
    """
    if hits is None or hits.empty:
        return ""
    if len(hits) == 1:
        return str(hits["kode"].iloc[0])

    def order(r) -> tuple[int, int]:
        return (0 if bool(r["jenis_cocok"]) else 1, int(r["skor"]))

    a, b = hits.iloc[0], hits.iloc[1]
    return str(a["kode"]) if order(a) < order(b) else ""


def describe(row: dict | pd.Series, level_names: dict[int, str]) -> str:
    """A result as one line of plain text: ``Alfa (desa, 97.01.01.2001) — Satu, Kabupaten Uji``."""
    where = [x for x in (row.get("nama_induk"), row.get("nama_kab"), row.get("nama_prov"))
             if isinstance(x, str) and x]
    where = list(dict.fromkeys(where))  # the parent of a kecamatan is its kabupaten: name it once
    kind = row.get("jenis") or level_names.get(int(row["level"]), "")
    text = f"{row['nama']} ({kind}, {row['kode']})"
    return text + (" — " + ", ".join(where) if where else "")

"""Region codes: parsing, normalisation and hierarchy helpers.

Canonical form is the dotted Kemendagri code: ``32`` (provinsi), ``32.01`` (kabupaten/kota),
``32.01.01`` (kecamatan), ``32.01.01.2001`` (desa/kelurahan). The undotted forms (2, 4, 6 or 10
digits, as IDM publishes them) are accepted everywhere and normalised.

BPS codes (``3201010001``: kecamatan 3 digits + desa 3 digits) are a *different numbering* below the
kabupaten; they are only converted through a crosswalk (see the importers), never by reshaping digits.
"""

from __future__ import annotations

import re

LEVEL_NAMES = {1: "provinsi", 2: "kabupaten/kota", 3: "kecamatan", 4: "desa/kelurahan"}
LEVEL_NAMES_EN = {1: "province", 2: "regency/city", 3: "district", 4: "village"}
# digits per level, undotted
_DIGITS = {1: 2, 2: 4, 3: 6, 4: 10}
_DOTTED = re.compile(r"^(\d{2})(?:\.(\d{2})(?:\.(\d{2})(?:\.(\d{4}))?)?)?$")
_UNDOTTED = re.compile(r"^\d{2}(?:\d{2}(?:\d{2}(?:\d{4})?)?)?$")
_CANONICAL = re.compile(r"[0-9]{2}(?:\.[0-9]{2}(?:\.[0-9]{2}(?:\.[0-9]{4})?)?)?\Z")  # the output form, as is


# Prefixes that the map's level already says (a kabupaten/kota map): dropped from labels when no two names
# would become equal ("Kabupaten Bandung" and "Kota Bandung" keep theirs).
_LABEL_PREFIX = re.compile(r"^(?:kabupaten|kab\.|kota administrasi|kota adm\.|kota)\s+", re.IGNORECASE)


def short_names(names: list[str]) -> list[str]:
    """Map label texts: "Kabupaten"/"Kota" prefixes dropped where that leaves every name distinct.

    >>> short_names(["Kabupaten Bogor", "Kota Bandung", "Kabupaten Bandung", "Kota Banjar"])
    ['Bogor', 'Kota Bandung', 'Kabupaten Bandung', 'Banjar']
    """
    short = [_LABEL_PREFIX.sub("", n) or n for n in names]
    seen: dict[str, int] = {}
    for s in short:
        seen[s.casefold()] = seen.get(s.casefold(), 0) + 1
    taken = {n.casefold() for n in names}
    return [s if seen[s.casefold()] == 1 and (s == n or s.casefold() not in taken) else n
            for n, s in zip(names, short)]


class KodeTidakValid(ValueError):
    """Raised for a string that is not a Kemendagri region code; the message is in Indonesian."""


def normalize(kode: object) -> str:
    """Return the dotted Kemendagri code for a dotted or undotted code.

    Tolerates surrounding spaces, spaces or dashes inside (``32 01 01 2001``), and numbers read as
    floats from spreadsheets (``3201012001.0``). Raises :class:`KodeTidakValid` otherwise.

    >>> normalize("3201012001"), normalize(" 32.01.01.2001 "), normalize("32.1")
    ('32.01.01.2001', '32.01.01.2001', '32.01')
    """
    if isinstance(kode, str) and _CANONICAL.match(kode):  # already dotted and padded: the usual case
        return kode
    if kode is None:
        raise KodeTidakValid("Kode wilayah kosong.")
    if isinstance(kode, float):
        if kode != kode:
            raise KodeTidakValid("Kode wilayah kosong.")
        kode = f"{kode:.0f}"
    s = str(kode).strip()
    if s.endswith(".0") and s[:-2].isdigit():
        s = s[:-2]
    s = re.sub(r"[\s\-_/]+", ".", s) if not s.isdigit() else s
    if not s:
        raise KodeTidakValid("Kode wilayah kosong.")
    if s.isdigit():
        if not _UNDOTTED.match(s):
            raise KodeTidakValid(
                f"Kode wilayah {s!r} tidak dikenal: harus 2, 4, 6 atau 10 digit (Kemendagri)."
            )
        parts = [s[0:2], s[2:4], s[4:6], s[6:10]]
        return ".".join(p for p in parts if p)
    parts = s.split(".")
    widths = [2, 2, 2, 4]
    if len(parts) > 4 or not all(p.isdigit() for p in parts):
        raise KodeTidakValid(f"Kode wilayah {s!r} tidak dikenal: contoh yang benar 32.01.01.2001.")
    fixed = []
    for p, w in zip(parts, widths):
        if len(p) > w:
            raise KodeTidakValid(f"Kode wilayah {s!r} tidak dikenal: contoh yang benar 32.01.01.2001.")
        fixed.append(p.zfill(w))
    out = ".".join(fixed)
    if not _DOTTED.match(out):
        raise KodeTidakValid(f"Kode wilayah {s!r} tidak dikenal.")
    return out


def try_normalize(kode: object) -> str | None:
    """Like :func:`normalize` but returns None for an invalid code."""
    try:
        return normalize(kode)
    except KodeTidakValid:
        return None


def level(kode: str) -> int:
    """Level 1..4 of a (normalised or not) code."""
    return normalize(kode).count(".") + 1


def undotted(kode: str) -> str:
    """The 2/4/6/10-digit form, as IDM and Kemendesa publish it."""
    return normalize(kode).replace(".", "")


def parent(kode: str) -> str | None:
    """Parent code, or None for a province."""
    k = normalize(kode)
    return k.rsplit(".", 1)[0] if "." in k else None


def ancestors(kode: str) -> dict[str, str | None]:
    """``{'kode_prov', 'kode_kab', 'kode_kec'}`` including the code itself at its own level."""
    k = normalize(kode)
    parts = k.split(".")
    return {
        "kode_prov": parts[0],
        "kode_kab": ".".join(parts[:2]) if len(parts) >= 2 else None,
        "kode_kec": ".".join(parts[:3]) if len(parts) >= 3 else None,
    }


def is_kelurahan(kode: str) -> bool:
    """In Kemendagri village codes the 4-digit segment starts with 1 for a kelurahan, 2 for a desa."""
    k = normalize(kode)
    return k.count(".") == 3 and k.rsplit(".", 1)[1].startswith("1")


def jenis_desa(kode: str) -> str:
    """'desa', 'kelurahan' or 'lainnya' for a village code (special units start with 3+)."""
    seg = normalize(kode).rsplit(".", 1)[1]
    return {"1": "kelurahan", "2": "desa"}.get(seg[0], "lainnya")


_PREFIX = re.compile(
    r"^(?:(?:desa|kelurahan|kel|ds|kecamatan|kec|kabupaten|kab|kota|provinsi|prov|propinsi)\b\.?\s*)+",
    re.IGNORECASE,
)


def clean_name(nama: str) -> str:
    """Name folded for search: lower case, single spaces, without 'Desa', 'Kel.', 'Kab.' … prefixes.

    >>> clean_name("  KAB.  Tanjung   Lemora ")
    'tanjung lemora'
    """
    s = re.sub(r"\s+", " ", str(nama)).strip()
    s = _PREFIX.sub("", s)
    return s.lower().strip()

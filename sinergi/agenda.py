"""Agenda of prepared views: a named, ordered list of views (page + its URL state + title + note).

Pure data and validation, no Streamlit: the agenda page and the shared sidebar keep an :class:`Agenda`
in ``st.session_state``; presenting a view means opening its page with its query parameters.

The JSON file a presenter exports and imports looks like::

    {"format": "sinergi-agenda", "versi": 1, "nama": "Rapat koordinasi",
     "tampilan": [{"halaman": "ketahanan", "parameter": {"ind": "iks", "tahun": "2024"},
                   "judul": "IKS 2024", "catatan": "Mulai dari peta provinsi"}]}

An imported file is untrusted: it is checked for size, shape, known pages, known parameter names and
plausible values (region codes, catalog indicator ids, years…) and text lengths; anything else is refused
with a message in Indonesian, and the agenda in the session is left unchanged. Values that pass are
still validated again by each page when it reads its URL (``sinergi.state``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from sinergi import catalog, classify, regions, state

FORMAT = "sinergi-agenda"
VERSION = 1
MAX_BYTES = 64 * 1024  # an agenda is a small text file; anything bigger is not one of ours
MAX_VIEWS = 50
MAX_NAME = 120
MAX_TITLE = 120
MAX_NOTE = 1000
MAX_PARAMS = 20
MAX_VALUE = 200

# Parameters that belong to the presenter's session, not to a view: never stored in an agenda.
SESSION_PARAMS = frozenset({"lang", "mode"})

# Pages that can be saved as a view (``url_path`` in app.py) and the URL parameters each one reads.
# A page added to the app adds its line here (its parameter names as the page reads them).
PAGE_PARAMS: dict[str, frozenset[str]] = {
    "beranda": frozenset({"ind", "tahun"}),
    "peta": frozenset({"ind", "tahun", "tingkat", "wilayah", "kelas", "palet", "k", "cakupan", "pilih", "tampilan"}),
    "ketahanan": frozenset({"wil", "ind", "tahun", "tingkat", "dari", "ke", "n"}),
    "sdm": frozenset({"wil", "ind", "ks", "tahun", "tingkat", "peta"}),
    "jaringan": frozenset({"wil", "ind", "tahun", "tingkat"}),
    "sinergi": frozenset({"wil", "ind", "tahun", "tingkat", "maks"}),
    "profil": frozenset({"kode", "tahun", "tren"}),
    "bandingkan": frozenset({"kode", "tingkat", "dalam", "tahun", "tema", "grafik"}),
    # analysis pages (issue 7)
    "hotspot": frozenset({"wil", "ind", "tahun", "tingkat", "metode", "alpha", "fdr"}),
    "indeks": frozenset({"wil", "ind", "tahun", "tingkat", "norm", "k"}),
    "perubahan": frozenset({"wil", "ind", "dari", "ke", "tingkat", "tahun"}),
    "kesenjangan": frozenset({"wil", "tahun", "dekat", "per", "n"}),
}

_GENERIC = re.compile(r"^[\w.,:\- ]*$")


class AgendaError(ValueError):
    """An agenda file or an edit that cannot be accepted; the message is in Indonesian for the user."""


@dataclass
class View:
    """One prepared view: ``page`` is a url_path from :data:`PAGE_PARAMS`, ``params`` its query
    parameters as text (region codes dotted, e.g. ``{"wil": "97.01", "tahun": "2024"}``)."""

    page: str
    params: dict[str, str]
    title: str
    note: str = ""

    def link(self, lang: str = "id", presenting: bool = False) -> str:
        """The view's plain relative link (``ketahanan?ind=iks&tahun=2024``), with the session's language
        and presentation mode when asked; open it in any browser to see the same view."""
        q = dict(self.params)
        if lang != "id":
            q["lang"] = lang
        if presenting:
            q["mode"] = "presentasi"
        return self.page + ("?" + urlencode(q) if q else "")


@dataclass
class Agenda:
    name: str = "Agenda"
    views: list[View] = field(default_factory=list)


# --------------------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------------------

def _int_range(lo: int, hi: int) -> Callable[[str], bool]:
    def ok(v: str) -> bool:
        return v.isdigit() and lo <= int(v) <= hi
    return ok


def _region(v: str) -> bool:
    return v == "" or regions.try_normalize(v) == v


def _region_or_all(v: str) -> bool:
    """A region, or the whole dataset asked for by name (``wil=semua``: a page that would open on one region)."""
    return v == state.NATIONAL or _region(v)


def _regions(v: str) -> bool:
    parts = v.split(",")
    return 1 <= len(parts) <= 4 and all(p and regions.try_normalize(p) == p for p in parts)


def _indicator(v: str) -> bool:
    return catalog.exists(v)


def _indicator_or_recipe(v: str) -> bool:
    """One indicator id, or a custom-index recipe ``id:weight[:balik],…`` (the Indeks Kustom page's ``ind``)."""
    if _indicator(v):
        return True
    from sinergi import custom_index

    rec = custom_index.parse_recipe(v, catalog.ids())
    return bool(rec) and custom_index.recipe_text(rec) == v


VALUE_RULES: dict[str, Callable[[str], bool]] = {
    "ind": _indicator_or_recipe, "ks": _indicator, "tren": _indicator,
    "wil": _region_or_all, "dalam": _region, "wilayah": _region, "pilih": _region,
    "kode": _regions,
    "tahun": _int_range(1990, 2100), "dari": _int_range(1990, 2100), "ke": _int_range(1990, 2100),
    "tingkat": _int_range(1, 4), "n": _int_range(1, 100), "maks": _int_range(0, 20), "k": _int_range(2, 9),
    "tema": lambda v: v in catalog.tema(),
    "grafik": lambda v: v in ("batang", "radar"),
    "peta": lambda v: v in ("kuadran", "indikator"),
    "kelas": lambda v: v in classify.METODE,
    "palet": lambda v: v in classify.PALET,
    "cakupan": lambda v: v in ("nasional", "induk"),
    "tampilan": lambda v: v in ("peta", "kisi"),
    # analysis pages (issue 7)
    "metode": lambda v: v in ("lisa", "gi"),
    "alpha": lambda v: v in ("0.1", "0.05", "0.01"),
    "fdr": lambda v: v == "1",
    "norm": lambda v: v in ("minmax", "persentil", "z"),
    "dekat": lambda v: v in ("0.005", "0.01", "0.02", "0.05", "0.1"),
    "per": lambda v: v in ("kab", "kec"),
}


def clean_params(page: str, params: Mapping[str, object]) -> dict[str, str]:
    """The parameters of ``params`` worth keeping for ``page``: known names with acceptable values.

    Used when saving the current view (the URL may hold leftovers from another page); session
    parameters (language, mode) are dropped. Region codes are kept in the dotted form the pages write.
    """
    known = PAGE_PARAMS.get(page, frozenset())
    out: dict[str, str] = {}
    for name, raw in params.items():
        value = raw[-1] if isinstance(raw, list) and raw else raw
        text = str(value).strip() if value is not None else ""
        if name in known and name not in SESSION_PARAMS and _value_ok(name, text):
            out[name] = text
    return out


def _value_ok(name: str, value: str) -> bool:
    if len(value) > MAX_VALUE or not _GENERIC.match(value):
        return False
    rule = VALUE_RULES.get(name)
    return rule(value) if rule else True


# --------------------------------------------------------------------------------------------------
# Editing (each returns a new Agenda; the one in the session is replaced, never half-changed)
# --------------------------------------------------------------------------------------------------

def make_view(page: str, params: Mapping[str, object], title: str, note: str = "") -> View:
    """A view of the current page, validated like an imported one (raises :class:`AgendaError`)."""
    view = View(page, clean_params(page, params), title.strip(), note.strip())
    _check_view(view, 1)
    return view


def add(agenda: Agenda, view: View) -> Agenda:
    if len(agenda.views) >= MAX_VIEWS:
        raise AgendaError(f"Agenda sudah berisi {MAX_VIEWS} tampilan (batas).")
    return Agenda(agenda.name, [*agenda.views, view])


def move(agenda: Agenda, index: int, step: int) -> Agenda:
    """Move view ``index`` by ``step`` places (−1 up, +1 down); outside the list nothing changes."""
    j = index + step
    views = list(agenda.views)
    if not (0 <= index < len(views) and 0 <= j < len(views)):
        return Agenda(agenda.name, views)
    views[index], views[j] = views[j], views[index]
    return Agenda(agenda.name, views)


def remove(agenda: Agenda, index: int) -> Agenda:
    return Agenda(agenda.name, [v for i, v in enumerate(agenda.views) if i != index])


def rename(agenda: Agenda, name: str) -> Agenda:
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise AgendaError(f"Nama agenda harus diisi, paling banyak {MAX_NAME} karakter.")
    return Agenda(name, list(agenda.views))


# --------------------------------------------------------------------------------------------------
# JSON
# --------------------------------------------------------------------------------------------------

def to_dict(agenda: Agenda) -> dict:
    return {"format": FORMAT, "versi": VERSION, "nama": agenda.name,
            "tampilan": [{"halaman": v.page, "parameter": dict(v.params), "judul": v.title, "catatan": v.note}
                         for v in agenda.views]}


def to_json(agenda: Agenda) -> str:
    """The agenda as a small UTF-8 JSON text (what the export button downloads)."""
    return json.dumps(to_dict(agenda), ensure_ascii=False, indent=1)


def from_json(data: bytes | str) -> Agenda:
    """Parse and validate an agenda file; raises :class:`AgendaError` with the first problem found."""
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if len(raw) > MAX_BYTES:
        raise AgendaError(f"Berkas agenda terlalu besar ({len(raw) // 1024} KB; batas {MAX_BYTES // 1024} KB).")
    if not raw.strip():
        raise AgendaError("Berkas agenda kosong.")
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise AgendaError(f"Berkas agenda bukan JSON yang sah ({e.__class__.__name__}).") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise AgendaError(f"Berkas ini bukan agenda Sinergi Desa (\"format\" harus \"{FORMAT}\").")
    if doc.get("versi") != VERSION:
        raise AgendaError(f"Versi agenda {doc.get('versi')!r} tidak didukung (harus {VERSION}).")
    extra = set(doc) - {"format", "versi", "nama", "tampilan"}
    if extra:
        raise AgendaError(f"Kunci tidak dikenal di agenda: {', '.join(sorted(map(str, extra)))}.")
    name = doc.get("nama", "Agenda")
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
        raise AgendaError(f"\"nama\" agenda harus teks 1–{MAX_NAME} karakter.")
    items = doc.get("tampilan")
    if not isinstance(items, list):
        raise AgendaError("\"tampilan\" harus berupa daftar.")
    if len(items) > MAX_VIEWS:
        raise AgendaError(f"Agenda berisi {len(items)} tampilan; batasnya {MAX_VIEWS}.")
    views = [_view_from(item, i) for i, item in enumerate(items, start=1)]
    return Agenda(name.strip(), views)


def _view_from(item: object, n: int) -> View:
    if not isinstance(item, dict):
        raise AgendaError(f"Tampilan {n}: harus berupa objek.")
    extra = set(item) - {"halaman", "parameter", "judul", "catatan"}
    if extra:
        raise AgendaError(f"Tampilan {n}: kunci tidak dikenal {', '.join(sorted(map(str, extra)))}.")
    page, params = item.get("halaman"), item.get("parameter", {})
    title, note = item.get("judul", ""), item.get("catatan", "")
    if not isinstance(params, dict):
        raise AgendaError(f"Tampilan {n}: \"parameter\" harus berupa objek.")
    if not all(isinstance(x, str) for x in (page, title, note)):
        raise AgendaError(f"Tampilan {n}: \"halaman\", \"judul\" dan \"catatan\" harus teks.")
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in params.items()):
        raise AgendaError(f"Tampilan {n}: nilai parameter harus teks.")
    view = View(page, dict(params), title.strip(), note.strip())
    _check_view(view, n)
    return view


def _check_view(view: View, n: int) -> None:
    if view.page not in PAGE_PARAMS:
        raise AgendaError(f"Tampilan {n}: halaman {view.page[:40]!r} tidak dikenal.")
    if not view.title or len(view.title) > MAX_TITLE:
        raise AgendaError(f"Tampilan {n}: judul harus diisi, paling banyak {MAX_TITLE} karakter.")
    if len(view.note) > MAX_NOTE:
        raise AgendaError(f"Tampilan {n}: catatan paling banyak {MAX_NOTE} karakter.")
    if len(view.params) > MAX_PARAMS:
        raise AgendaError(f"Tampilan {n}: terlalu banyak parameter.")
    known = PAGE_PARAMS[view.page]
    for name, value in view.params.items():
        if name not in known:
            raise AgendaError(f"Tampilan {n}: parameter {name[:30]!r} tidak dikenal untuk halaman {view.page}.")
        if not _value_ok(name, value):
            raise AgendaError(f"Tampilan {n}: nilai {value[:40]!r} tidak sah untuk parameter {name}.")

"""View state <-> URL query parameters (``st.query_params``), validated.

Every value read from the URL is checked against an allow-list or a range; anything else falls back
to the default, so a hand-edited or malicious link can only select views that exist.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, MutableMapping
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from sinergi import regions


# The URL's word for the whole dataset (``wil=semua``) on a page that opens on one region when the URL names none
# (a one-province dataset: ``sinergi.ui.regions_picker``): a link to the national view stays national. Not a
# region code, so whatever reads the parameter as a code (``kode``) sees ''.
NATIONAL = "semua"


def choice(params: MutableMapping, name: str, allowed: Iterable, default):
    """The parameter if it is one of ``allowed`` (compared as text), else ``default``."""
    raw = params.get(name)
    for a in allowed:
        if raw is not None and str(a) == str(raw):
            return a
    return default


def integer(params: MutableMapping, name: str, lo: int, hi: int, default: int) -> int:
    raw = params.get(name)
    try:
        v = int(str(raw))
    except (TypeError, ValueError):
        return default
    return v if lo <= v <= hi else default


def kode(params: MutableMapping, name: str, default: str = "") -> str:
    """A region code from the URL, normalised to dotted form; '' when absent or invalid."""
    raw = params.get(name)
    if not raw:
        return default
    k = regions.try_normalize(raw)
    return k if k else default


def write(params: MutableMapping, values: dict, defaults: dict | None = None) -> None:
    """Write ``values`` into the URL, dropping those equal to their default; only changed keys are set
    (setting a query parameter to its current value would still trigger work in the browser)."""
    defaults = defaults or {}
    for key, val in values.items():
        text = "" if val is None else str(val)
        if key in defaults and str(defaults[key]) == text or text == "":
            if key in params:
                del params[key]
        elif params.get(key) != text:
            params[key] = text


# --------------------------------------------------------------------------------------------------
# The map explorer's view (pages/peta.py): one frozen value, read from and written to the URL.
# --------------------------------------------------------------------------------------------------

# URL keys of the map view. Region codes are dotted Kemendagri codes ('' = Indonesia / nothing).
PETA_KEYS = ("ind", "tahun", "tingkat", "wilayah", "kelas", "palet", "k", "cakupan", "pilih", "tampilan")
CAKUPAN = ("nasional", "induk")  # class breaks over the whole country, or over the regions shown
# How the regions are drawn: their boundaries (a geographic map) or one equal square each (sinergi/gridmap.py)
TAMPILAN = ("peta", "kisi")

# Levels a map may show below a parent of a given level (0 = Indonesia): every lower level. The
# kecamatan and villages of the whole country (7,300 / 84,000 polygons) are drawn from the dataset's
# vector tiles (sinergi/tiles.py); as GeoJSON they would be tens of megabytes in the browser, so a
# dataset file without their tiles (an older build) offers them only within a province (NEED_TILES).
# (A dataset small enough for GeoJSON, e.g. one province, still has its tiles and so every level.)
LEVELS_BELOW: dict[int, tuple[int, ...]] = {0: (1, 2, 3, 4), 1: (2, 3, 4), 2: (3, 4), 3: (4,)}
NEED_TILES: dict[int, tuple[int, ...]] = {0: (3, 4)}


@dataclass(frozen=True)
class PetaState:
    """What the map explorer shows.

    ``tingkat`` is the level drawn (1 provinsi … 4 desa/kelurahan), ``wilayah`` the parent region
    whose ``tingkat``-level regions are drawn ('' = Indonesia), ``pilih`` the selected region (one of
    those drawn, or ''), ``kelas`` the classification method, ``cakupan`` where class breaks come from,
    ``tampilan`` how the regions are drawn (:data:`TAMPILAN`: boundaries or equal squares).
    """

    ind: str
    tahun: int
    tingkat: int = 1
    wilayah: str = ""
    kelas: str = "kuantil"
    palet: str = "RdYlBu"
    k: int = 5
    cakupan: str = "nasional"
    pilih: str = ""
    tampilan: str = "peta"

    def params(self) -> dict[str, str]:
        return {key: str(getattr(self, key)) for key in PETA_KEYS}


def wilayah_level(kode_: str) -> int:
    """Level of a parent code, 0 for Indonesia ('')."""
    return regions.level(kode_) if kode_ else 0


def levels_below(wilayah: str, tiled: Iterable[int] = ()) -> tuple[int, ...]:
    """Levels that may be drawn inside ``wilayah`` (see :data:`LEVELS_BELOW`); ``tiled``: the levels the
    dataset has vector tiles of (without them, no kecamatan or village map of the whole country)."""
    lv = wilayah_level(wilayah)
    tiled = set(tiled)
    return tuple(t for t in LEVELS_BELOW.get(lv, ()) if t not in NEED_TILES.get(lv, ()) or t in tiled)


def default_kelas(indikator: str) -> str:
    """Official classes (IDM status for the IDM family, the owner's class breaks for an imported indicator
    that has them), quantiles otherwise."""
    from sinergi import catalog

    ind = catalog.get(indikator)
    return "status" if ind.kelas_tetap else "kuantil"


def kelas_allowed(indikator: str) -> tuple[str, ...]:
    from sinergi import classify

    return tuple(m for m in classify.METODE if m != "status" or default_kelas(indikator) == "status")


def peta_defaults(indikator: str, tahun: int) -> PetaState:
    return PetaState(ind=indikator, tahun=tahun, kelas=default_kelas(indikator))


def read_peta(params: MutableMapping, indicators: list[str], years_of: Callable[[str], list[int]],
              exists: Callable[[str], bool], default_ind: str = "iks",
              home: tuple[str, int] = ("", 1), tiled: Iterable[int] = ()) -> PetaState:
    """The map view from URL parameters, every value validated; anything unknown falls back.

    ``indicators`` are the ids that have data, ``years_of(ind)`` the years with values of one indicator
    (ascending), ``exists(kode)`` tells whether a region code is in the dataset, ``tiled`` the levels with
    vector tiles (:func:`levels_below`). A parent that does
    not exist falls back to its nearest existing ancestor; a level that may not be drawn there to the
    first one that may; a selection outside the drawn regions is dropped. A URL naming neither parent, level
    nor selection opens on ``home`` (parent, level): the dataset's own first view (``explore.home_view``).
    """
    from sinergi import classify

    if not indicators:
        raise ValueError("Tidak ada indikator dengan data.")
    ind = choice(params, "ind", indicators, default_ind if default_ind in indicators else indicators[0])
    years = years_of(ind) or [0]
    tahun = choice(params, "tahun", years, years[-1])
    first_visit = all(params.get(key) is None for key in ("wilayah", "tingkat", "pilih"))
    wilayah = kode(params, "wilayah") if not first_visit else home[0]
    while wilayah and (wilayah_level(wilayah) > 3 or not exists(wilayah)):
        wilayah = regions.parent(wilayah) or ""
    allowed = levels_below(wilayah, tiled)
    tingkat = choice(params, "tingkat", allowed, home[1] if first_visit and home[1] in allowed else allowed[0])
    pilih = kode(params, "pilih")
    inside = pilih and regions.level(pilih) == tingkat and (not wilayah or pilih.startswith(wilayah + "."))
    pilih = pilih if inside and exists(pilih) else ""
    return PetaState(
        ind=ind, tahun=tahun, tingkat=tingkat, wilayah=wilayah,
        kelas=choice(params, "kelas", kelas_allowed(ind), default_kelas(ind)),
        palet=choice(params, "palet", list(classify.PALET), classify.DEFAULT_PALET),
        k=integer(params, "k", classify.K_MIN, classify.K_MAX, 5),
        cakupan=choice(params, "cakupan", CAKUPAN, "nasional"),
        pilih=pilih,
        tampilan=choice(params, "tampilan", TAMPILAN, TAMPILAN[0]),
    )


def write_peta(params: MutableMapping, s: PetaState) -> None:
    """Write the view into the URL. Indicator, year and level are always written, so a shared link
    keeps showing the same year when newer data arrives; other values equal to their defaults are
    left out (short links)."""
    d = peta_defaults(s.ind, s.tahun).params()
    for always in ("ind", "tahun", "tingkat"):
        d.pop(always)
    write(params, s.params(), d)


def drill(s: PetaState, kode_: str) -> PetaState:
    """Into region ``kode_`` (a province, kabupaten/kota or kecamatan): its children are drawn."""
    k = regions.normalize(kode_)
    lv = regions.level(k)
    if lv >= 4:
        return replace(s, pilih=k)
    return replace(s, wilayah=k, tingkat=lv + 1, pilih="")


def up(s: PetaState, ancestor: str) -> PetaState:
    """Back up to ``ancestor`` ('' = Indonesia), one of the breadcrumb's regions. The region we came
    from (the ancestor's child on the current path) stays selected, so the user sees where they were."""
    target = regions.normalize(ancestor) if ancestor else ""
    lv = wilayah_level(target)
    came_from = ".".join(s.wilayah.split(".")[: lv + 1]) if s.wilayah else ""
    tingkat = lv + 1
    pilih = came_from if came_from and regions.level(came_from) == tingkat else ""
    return replace(s, wilayah=target, tingkat=tingkat, pilih=pilih)


def goto(s: PetaState, kode_: str) -> PetaState:
    """Show region ``kode_`` among its siblings (its parent's children) and select it."""
    k = regions.normalize(kode_)
    return replace(s, wilayah=regions.parent(k) or "", tingkat=regions.level(k), pilih=k)


def select(s: PetaState, kode_: str) -> PetaState:
    """Select one of the drawn regions ('' clears); a code outside the drawn regions is ignored."""
    k = regions.try_normalize(kode_) if kode_ else ""
    if k and (regions.level(k) != s.tingkat or (s.wilayah and not k.startswith(s.wilayah + "."))):
        return s
    return replace(s, pilih=k or "")


def breadcrumb(wilayah: str) -> list[str]:
    """Codes from Indonesia ('') down to ``wilayah``: ``['', '32', '32.01', '32.01.05']``."""
    if not wilayah:
        return [""]
    parts = wilayah.split(".")
    return [""] + [".".join(parts[:n]) for n in range(1, len(parts) + 1)]


def share_url(base: str | None, page: str, params: dict[str, str]) -> str:
    """The link of a page view: ``<base>/<page>?<params>``, relative when the base is unknown.

    ``base`` is the app's URL as the browser sees it (``st.context.url``). Streamlit removes the page's
    own path from it only in some cases (not when the first visit of a fresh server was a deep link),
    so a trailing ``/<page>`` is removed here.
    """
    query = urlencode([(k, v) for k, v in params.items() if v not in ("", None)])
    root = (base or "").split("?", 1)[0].rstrip("/")
    if root.endswith("/" + page):
        root = root[: -len(page) - 1]
    return f"{root}/{page}" + (f"?{query}" if query else "")

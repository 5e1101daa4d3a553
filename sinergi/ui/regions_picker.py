"""The cascaded region picker (provinsi → kabupaten/kota → kecamatan → desa), kept in the URL."""

from __future__ import annotations

import streamlit as st

from sinergi import data as sd
from sinergi.ui.language import lang, md, t


def _chain(kode: str) -> list[str]:
    """A code and its ancestors, province first: ``97.01.02`` → ``97``, ``97.01``, ``97.01.02``."""
    parts = kode.split(".") if kode else []
    return [".".join(parts[:n]) for n in range(1, len(parts) + 1)]


def first_region(home: bool) -> str:
    """The region a picker opens on when the URL names none: with ``home``, the one the dataset's first view
    is drawn in (``explore.home_view``: its province, or its kabupaten, when it holds only one), else ''."""
    if not home:
        return ""
    from sinergi import explore

    return explore.home_view()[0]


def first_level(wil: str, levels, default: int) -> int:
    """The map level a page opens on within ``wil``: the dataset's own first level (``explore.home_view``:
    e.g. a small province's villages) when ``wil`` is the region its first view is drawn in and the page offers
    that level, else the page's ``default``."""
    from sinergi import explore

    home, level = explore.home_view()
    return level if wil and wil == home and level in levels else default


def _current(param: str, first: str) -> str:
    """The region the URL names: ``first`` when it names none, '' for :data:`sinergi.state.NATIONAL` (or a bad code)."""
    from sinergi import state

    return first if st.query_params.get(param) is None else state.kode(st.query_params, param)


def _picked(box: str, parent: str, param: str, first: str = "") -> None:
    """A box's callback: the URL names the new choice before the page runs again (so a label drawn above
    the picker, e.g. :func:`region_popover`'s, already shows it). The whole dataset is written as
    :data:`sinergi.state.NATIONAL` where a bare URL would open on a region (``first``)."""
    from sinergi.state import NATIONAL

    value = st.session_state.get(box) or parent
    if value or first:
        st.query_params[param] = value or NATIONAL
    else:
        st.query_params.pop(param, None)


def region_picker(key: str, max_level: int = 3, param: str = "wil", container=None, stacked: bool = False,
                  home: bool = False) -> str:
    """Cascaded selectboxes provinsi → kabupaten/kota → kecamatan (→ desa/kelurahan with ``max_level=4``),
    side by side (one above the other with ``stacked``).

    The chosen region (dotted Kemendagri code, '' = the whole dataset) is read from and written to the
    URL parameter ``param``; a code from the URL that does not exist falls back level by level to its
    nearest existing ancestor. Each child box is keyed by its parent, so changing the province never
    leaves a stale kabupaten selected. (Added for the theme pages, issue 5.)

    With ``home`` a URL naming no region opens on the dataset's first region (:func:`first_region`: a map page
    on a one-province dataset opens in that province, as Peta does); "Semua" is then written as
    :data:`sinergi.state.NATIONAL`.
    """
    from sinergi import regions, state

    qp = st.query_params
    first = first_region(home)
    chain = _chain(_current(param, first))
    names = {**regions.LEVEL_NAMES_EN} if lang() == "en" else {**regions.LEVEL_NAMES}
    cols = [container or st] * max_level if stacked else (container or st).columns(max_level)
    chosen, parent = "", ""
    for level in range(1, max_level + 1):
        opts = sd.query("region_list", level=level, induk=parent)
        if opts.empty:
            break
        codes = [""] + opts["kode"].tolist()
        label_of = dict(zip(opts["kode"], opts["nama"]))
        default = chain[level - 1] if len(chain) >= level and chain[level - 1] in label_of else ""
        box = f"{key}_l{level}_{parent or 'root'}"
        value = cols[level - 1].selectbox(
            names[level].capitalize(), codes, index=codes.index(default),
            format_func=lambda c, m=label_of: m.get(c, t("all_regions")) if c else t("all_regions"),
            key=box, on_change=_picked, args=(box, parent, param, first),
        )
        if not value:
            break
        chosen = parent = value
    state.write(qp, {param: chosen or (state.NATIONAL if first else "")}, {param: ""})
    return chosen


def region_popover(key: str, container=None, max_level: int = 3, param: str = "wil", home: bool = False) -> str:
    """:func:`region_picker` in a popover (one button in a row of controls, so the map starts higher) named
    by the chosen region (the nearest existing one of the URL's code)."""
    chain = _chain(_current(param, first_region(home)))[:max_level]
    found = sd.query("regions_by_code", kode=chain) if chain else None
    known = dict(zip(found["kode"], found["nama"])) if found is not None else {}
    shown = next((known[c] for c in reversed(chain) if c in known), "")
    with (container or st).popover(md(shown) if shown else t("all_regions"), icon=":material/location_on:",
                                   help=t("section_wilayah"), width="stretch"):
        return region_picker(key, max_level, param, stacked=True, home=home)

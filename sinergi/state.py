"""View state <-> URL query parameters (``st.query_params``), validated.

Every value read from the URL is checked against an allow-list or a range; anything else falls back
to the default, so a hand-edited or malicious link can only select views that exist.
"""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping

from sinergi import regions


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

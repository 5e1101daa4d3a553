"""Interface texts in Bahasa Indonesia (default) and English, and numbers written the way each language
writes them.

The texts live in ``sinergi/locales/id.toml`` and ``sinergi/locales/en.toml``, one ``key = "text"`` line
per text: TOML rather than gettext ``.po`` because a translator edits a plain text file with comments and
the app reads it as it is (Python's own ``tomllib``; no ``.mo`` to compile at install time), and every
text keeps the short key the code asks for. A new text goes into both files (``tests/test_i18n.py`` checks
that the keys and the ``{fields}`` match). Each file is read once per process.

Numbers are written per language by :func:`fmt_num`.
"""

from __future__ import annotations

import functools
import math
import tomllib
from pathlib import Path

LANGS = ("id", "en")
# The texts are not written in this module any more: a new key goes into BOTH locales/id.toml and
# locales/en.toml (same key, same {fields}).
LOCALES = Path(__file__).with_name("locales")  # <lang>.toml: the interface texts of each language


def _language(lang: str | None) -> str:
    """English when asked for, Indonesian otherwise (an unknown or missing language falls back to it)."""
    return "en" if lang == "en" else "id"


@functools.cache
def messages(lang: str) -> dict[str, str]:
    """Every interface text of ``lang`` (``"id"`` or ``"en"``) by key, read once from its locale file."""
    with open(LOCALES / f"{lang}.toml", "rb") as f:
        return tomllib.load(f)


def t(key: str, lang: str = "id") -> str:
    """The text for ``key`` in ``lang``; the key itself when missing (visible in tests)."""
    text = messages(_language(lang)).get(key)
    if text is None:  # both files hold the same keys (tests/test_i18n.py); Indonesian first otherwise
        text = messages("id").get(key, key)
    return text


@functools.cache
def _pairs() -> dict[str, tuple[str, str]]:
    ids, ens = messages("id"), messages("en")
    return {key: (text, ens.get(key, text)) for key, text in ids.items()}


def __getattr__(name: str):
    # ``TEXTS`` (key -> (Indonesian, English)), as it was when the texts were written in this module
    if name == "TEXTS":
        return _pairs()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def fmt_num(x: float | int | None, decimals: int = 2, lang: str = "id") -> str:
    """Format a number: ``1.234,5`` in Indonesian, ``1,234.5`` in English; '–' for missing.

    >>> fmt_num(1234.5, 1), fmt_num(1234.5, 1, "en"), fmt_num(None)
    ('1.234,5', '1,234.5', '–')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    s = f"{x:,.{decimals}f}"
    if lang == "en":
        return s
    return s.replace(",", "\0").replace(".", ",").replace("\0", ".")


def _decimals(values, cap: int = 4) -> int:
    """Fewest decimals (≤ ``cap``) that show every value exactly as stored (values already rounded)."""
    import numpy as np

    v = np.asarray(values, dtype=float)
    with np.errstate(invalid="ignore"):  # inf - inf: not within 1e-9, as with round()
        for d in range(cap + 1):
            # np.round and round() differ only at halves, which are never within 1e-9 of a d-decimal value
            if bool(np.all(np.abs(np.round(v, d) - v) < 1e-9)):
                return d
    return cap


# Integer columns that are identifiers or years, not quantities: never given thousands separators.
_NOT_QUANTITY = ("tahun", "year", "sejak", "since", "kode", "code", "peringkat", "rank")


def _formatted(values, decimals: int, lang: str):
    """``fmt_num`` of every value of a float array, as an object array; each distinct value (bit for bit,
    so 0.0 and -0.0 stay apart) is formatted once: a column of 85,000 counts has a handful of them."""
    import numpy as np

    bits = np.ascontiguousarray(values, dtype=float).view(np.int64)
    uniq, inverse = np.unique(bits, return_inverse=True)
    texts = np.array([fmt_num(None if math.isnan(x) else x, decimals, lang) for x in uniq.view(float).tolist()],
                     dtype=object)
    return texts[inverse.reshape(-1)]


def display_frame(frame, lang: str = "id"):
    """A copy of ``frame`` whose numeric columns are text formatted with :func:`fmt_num` for ``lang``,
    and a ``column_config`` that right-aligns them (for ``st.dataframe``; display only — downloads
    keep the numeric frame). Decimals per column are the fewest that show the stored values.

    Tables of every village of the country pass through here on every rerun, so the work is done per
    distinct value with numpy (not per cell): the text is the same as formatting each cell."""
    import numpy as np
    import pandas as pd
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    shown = frame.copy()
    config: dict = {}
    for col in frame.columns:
        s = frame[col]
        if not is_numeric_dtype(s) or is_bool_dtype(s):
            continue
        name = str(col).lower()
        values = s.to_numpy(dtype=float, na_value=np.nan)
        finite = np.unique(values[~np.isnan(values)])
        with np.errstate(invalid="ignore"):  # inf is not an integer, as float.is_integer() says
            whole = bool(np.all(np.mod(finite, 1) == 0))
        if any(k in name for k in _NOT_QUANTITY) and whole:
            continue
        dec = _decimals(finite)
        shown[col] = pd.Series(_formatted(values, dec, lang), index=s.index, dtype=object)
        config[col] = {"alignment": "right"}
    return shown, config

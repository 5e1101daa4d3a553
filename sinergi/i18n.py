"""Interface texts in Bahasa Indonesia (default) and English, and numbers written the way each language
writes them.

The texts live in ``sinergi/locales/id.toml`` and ``sinergi/locales/en.toml``, one ``key = "text"`` line
per text: TOML rather than gettext ``.po`` because a translator edits a plain text file with comments and
the app reads it as it is (Python's own ``tomllib``; no ``.mo`` to compile at install time), and every
text keeps the short key the code asks for. A new text goes into both files (``tests/test_i18n.py`` checks
that the keys and the ``{fields}`` match). Each file is read once per process.

Numbers and percentages follow the Unicode CLDR locale data that Babel ships (``id_ID``: ``1.234,5``;
``en``: ``1,234.5``; both ``12,3%``/``12.3%``): separators, minus and infinity signs and grouping come
from there, not from this module. Dates are shown in ISO 8601 (``2026-05-12``, the export date), the same
in both languages, so there is no date format here.
"""

from __future__ import annotations

import copy
import decimal
import functools
import math
import tomllib
from collections.abc import Callable
from pathlib import Path

LANGS = ("id", "en")
# The texts are not written in this module any more: a new key goes into BOTH locales/id.toml and
# locales/en.toml (same key, same {fields}).
LOCALES = Path(__file__).with_name("locales")  # <lang>.toml: the interface texts of each language
BABEL_LOCALE = {"id": "id_ID", "en": "en"}  # the CLDR locale whose number formats each language uses


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


# --------------------------------------------------------------------------------------------------
# Numbers and percentages (Babel's CLDR locale data)
# --------------------------------------------------------------------------------------------------

def _exact():
    """A decimal context in which a float's exact value is rounded half to even at the last shown
    decimal, as Python's own float formatting does: enough digits (a float's exact decimal form has at
    most 767) that nothing is rounded before that."""
    return decimal.localcontext(prec=1200, rounding=decimal.ROUND_HALF_EVEN)


def _with_decimals(pattern, decimals: int):
    fixed = copy.copy(pattern)
    fixed.frac_prec = (decimals, decimals)
    return fixed


def _by_babel(pattern, loc, exact: bool) -> Callable[[float], str]:
    """Babel writing a float with ``pattern``: its exact value when ``exact``, else (Babel's own way) its
    shortest decimal form."""
    def write(x: float) -> str:
        with _exact():
            return pattern.apply(decimal.Decimal(x) if exact else x, loc)
    return write


@functools.cache
def number_format(lang: str, decimals: int) -> Callable[[float], str]:
    """The function that writes a float with ``decimals`` decimals in ``lang``'s CLDR number format.

    Where the locale groups digits by three with a plain minus sign (Indonesian and English both do),
    Python's correctly rounded float formatting gives the digits and the locale gives every symbol: the
    same text as Babel's own formatting of the exact value (tests/test_i18n.py compares them), more than
    ten times faster, which counts for tables that format thousands of values on every rerun. Any other
    locale is written by Babel itself."""
    from babel import Locale, numbers

    loc = Locale.parse(BABEL_LOCALE[lang])
    pattern = _with_decimals(loc.decimal_formats[None], decimals)
    minus, infinity = numbers.get_minus_sign_symbol(loc), numbers.get_infinity_symbol(loc)
    if not (pattern.grouping == (3, 3) and pattern.prefix == ("", "-") and pattern.suffix == ("", "")
            and pattern.scale == 0 and pattern.exp_prec is None):
        return _by_babel(pattern, loc, exact=True)

    group, point = numbers.get_group_symbol(loc), numbers.get_decimal_symbol(loc)
    spec = f"_.{decimals}f"  # 1_234_567.89

    def grouped(x: float) -> str:
        if math.isinf(x):
            return f"{minus}{infinity}" if x < 0 else infinity
        text = format(x, spec).replace(".", point).replace("_", group)
        return text if minus == "-" else text.replace("-", minus)
    return grouped


def _missing(x) -> bool:
    """None, NaN of any float type, or pandas' NA (whose comparisons are NA, which has no truth value)."""
    if x is None:
        return True
    try:
        return bool(x != x)
    except TypeError:
        return True


def fmt_num(x: float | int | None, decimals: int = 2, lang: str = "id") -> str:
    """Format a number: ``1.234,5`` in Indonesian, ``1,234.5`` in English; '–' for missing.

    >>> fmt_num(1234.5, 1), fmt_num(1234.5, 1, "en"), fmt_num(None)
    ('1.234,5', '1,234.5', '–')
    """
    if _missing(x):
        return "–"
    return number_format(_language(lang), decimals)(float(x))


@functools.cache
def _percent_format(lang: str, decimals: int) -> Callable[[float], str]:
    from babel import Locale

    loc = Locale.parse(BABEL_LOCALE[lang])
    return _by_babel(_with_decimals(loc.percent_formats[None], decimals), loc, exact=False)


def fmt_percent(share: float | None, decimals: int = 0, lang: str = "id") -> str:
    """A 0..1 share as a percentage in ``lang``'s CLDR percent format (``12,3%``, ``12.3%``); '–' when
    missing. Babel scales the share's shortest decimal form by 100, so ``n / total`` is written as
    ``100 * n / total`` would be.

    >>> fmt_percent(0.123, 1), fmt_percent(0.123, 1, "en"), fmt_percent(6 / 8, 0)
    ('12,3%', '12.3%', '75%')
    """
    if _missing(share):
        return "–"
    return _percent_format(_language(lang), decimals)(float(share))


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
    write = number_format(_language(lang), decimals)
    texts = np.array(["–" if math.isnan(x) else write(x) for x in uniq.view(float).tolist()], dtype=object)
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

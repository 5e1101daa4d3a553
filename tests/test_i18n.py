"""Interface texts per language (sinergi/locales/*.toml) and numbers per language (Babel's CLDR data).

The number table below was written by running the hand-written formatting this module had before it used
Babel (``f"{x:,.{d}f}"`` with the separators swapped for Indonesian): the texts must stay as they were.
"""

from __future__ import annotations

import decimal
import random
import string
import tomllib

import numpy as np
import pandas as pd
import pytest
from babel.numbers import format_decimal

from sinergi import i18n
from sinergi.i18n import fmt_num, fmt_percent, t


def _file(lang: str) -> dict[str, str]:
    with open(i18n.LOCALES / f"{lang}.toml", "rb") as f:
        return tomllib.load(f)


ID, EN = _file("id"), _file("en")


# --- texts -------------------------------------------------------------------------------------------

def test_one_file_per_language():
    assert sorted(p.stem for p in i18n.LOCALES.glob("*.toml")) == sorted(i18n.LANGS)


def test_every_key_exists_in_both_languages():
    assert sorted(ID.keys() - EN.keys()) == [], "keys only in id.toml"
    assert sorted(EN.keys() - ID.keys()) == [], "keys only in en.toml"
    assert len(ID) > 400  # the files hold the interface, not a stub


def test_no_text_is_empty():
    empty = [(lang, key) for lang, texts in (("id", ID), ("en", EN)) for key, text in texts.items()
             if not isinstance(text, str) or not text.strip()]
    assert empty == []


def _fields(text: str) -> list[tuple[str, str, str]]:
    """The ``{name:spec!conv}`` fields ``str.format`` fills in (``{}`` has the name ''); raises on a stray brace."""
    return sorted((name, spec or "", conv or "") for _, name, spec, conv in string.Formatter().parse(text)
                  if name is not None)


def test_every_placeholder_matches_between_languages():
    differ = {key: (_fields(ID[key]), _fields(EN[key])) for key in ID.keys() & EN.keys()
              if _fields(ID[key]) != _fields(EN[key])}
    assert differ == {}
    assert _fields(ID["table_capped"]) == [("shown", "", ""), ("total", "", ""), ("total", "", "")]
    assert _fields(EN["kd_applied"]) == [("", "", ""), ("", "", "")]


def test_a_placeholder_mismatch_is_seen():
    assert _fields("{n} desa") != _fields("{count} villages")
    assert _fields("{} ({})") != _fields("{}")
    with pytest.raises(ValueError):
        _fields("a stray { brace")


def test_t_picks_the_language_and_falls_back():
    assert t("app_subtitle", "en") == EN["app_subtitle"] != ID["app_subtitle"]
    assert t("app_subtitle", "id") == t("app_subtitle") == ID["app_subtitle"]
    for other in ("fr", "", None, "EN"):  # anything but "en" is Indonesian, as before
        assert t("app_subtitle", other) == ID["app_subtitle"]
    assert t("no_such_key", "en") == t("no_such_key") == "no_such_key"  # the key itself, visible in tests


def test_every_text_is_what_t_returns():
    assert all(t(key, "id") == ID[key] and t(key, "en") == EN[key] for key in ID)
    assert i18n.TEXTS["no_data"] == (ID["no_data"], EN["no_data"]) and len(i18n.TEXTS) == len(ID)


def test_texts_are_read_once_per_process(monkeypatch):
    reads = []
    real_load = tomllib.load
    monkeypatch.setattr(i18n.tomllib, "load", lambda f: reads.append(f.name) or real_load(f))
    i18n.messages.cache_clear()
    try:
        for _ in range(50):
            t("app_title", "id"), t("legend", "en"), t("no_such_key", "en")
        assert sorted(str(r).rsplit("/", 1)[-1] for r in reads) == ["en.toml", "id.toml"]
    finally:
        i18n.messages.cache_clear()


# --- numbers: the same text as before Babel ------------------------------------------------------------

# (value, decimals, Indonesian, English), from the formatting of before
BEFORE = [
    (0, 0, '0', '0'),
    (0, 1, '0,0', '0.0'),
    (0, 2, '0,00', '0.00'),
    (0, 4, '0,0000', '0.0000'),
    (-0.0, 0, '-0', '-0'),
    (-0.0, 1, '-0,0', '-0.0'),
    (-0.0, 2, '-0,00', '-0.00'),
    (-0.0, 4, '-0,0000', '-0.0000'),
    (0.5, 0, '0', '0'),
    (0.5, 1, '0,5', '0.5'),
    (0.5, 2, '0,50', '0.50'),
    (0.5, 4, '0,5000', '0.5000'),
    (-0.5, 0, '-0', '-0'),
    (-0.5, 1, '-0,5', '-0.5'),
    (-0.5, 2, '-0,50', '-0.50'),
    (-0.5, 4, '-0,5000', '-0.5000'),
    (1.5, 0, '2', '2'),
    (1.5, 1, '1,5', '1.5'),
    (1.5, 2, '1,50', '1.50'),
    (1.5, 4, '1,5000', '1.5000'),
    (2.5, 0, '2', '2'),
    (2.5, 1, '2,5', '2.5'),
    (2.5, 2, '2,50', '2.50'),
    (2.5, 4, '2,5000', '2.5000'),
    (-2.5, 0, '-2', '-2'),
    (-2.5, 1, '-2,5', '-2.5'),
    (-2.5, 2, '-2,50', '-2.50'),
    (-2.5, 4, '-2,5000', '-2.5000'),
    (0.125, 0, '0', '0'),
    (0.125, 1, '0,1', '0.1'),
    (0.125, 2, '0,12', '0.12'),
    (0.125, 4, '0,1250', '0.1250'),
    (0.375, 0, '0', '0'),
    (0.375, 1, '0,4', '0.4'),
    (0.375, 2, '0,38', '0.38'),
    (0.375, 4, '0,3750', '0.3750'),
    (2.675, 0, '3', '3'),
    (2.675, 1, '2,7', '2.7'),
    (2.675, 2, '2,67', '2.67'),
    (2.675, 4, '2,6750', '2.6750'),
    (1.005, 0, '1', '1'),
    (1.005, 1, '1,0', '1.0'),
    (1.005, 2, '1,00', '1.00'),
    (1.005, 4, '1,0050', '1.0050'),
    (0.15, 0, '0', '0'),
    (0.15, 1, '0,1', '0.1'),
    (0.15, 2, '0,15', '0.15'),
    (0.15, 4, '0,1500', '0.1500'),
    (0.05, 0, '0', '0'),
    (0.05, 1, '0,1', '0.1'),
    (0.05, 2, '0,05', '0.05'),
    (0.05, 4, '0,0500', '0.0500'),
    (0.045, 0, '0', '0'),
    (0.045, 1, '0,0', '0.0'),
    (0.045, 2, '0,04', '0.04'),
    (0.045, 4, '0,0450', '0.0450'),
    (1234.5, 0, '1.234', '1,234'),
    (1234.5, 1, '1.234,5', '1,234.5'),
    (1234.5, 2, '1.234,50', '1,234.50'),
    (1234.5, 4, '1.234,5000', '1,234.5000'),
    (-1234.5, 0, '-1.234', '-1,234'),
    (-1234.5, 1, '-1.234,5', '-1,234.5'),
    (-1234.5, 2, '-1.234,50', '-1,234.50'),
    (-1234.5, 4, '-1.234,5000', '-1,234.5000'),
    (1234567.891, 0, '1.234.568', '1,234,568'),
    (1234567.891, 1, '1.234.567,9', '1,234,567.9'),
    (1234567.891, 2, '1.234.567,89', '1,234,567.89'),
    (1234567.891, 4, '1.234.567,8910', '1,234,567.8910'),
    (-1234567.891, 0, '-1.234.568', '-1,234,568'),
    (-1234567.891, 1, '-1.234.567,9', '-1,234,567.9'),
    (-1234567.891, 2, '-1.234.567,89', '-1,234,567.89'),
    (-1234567.891, 4, '-1.234.567,8910', '-1,234,567.8910'),
    (999.9995, 0, '1.000', '1,000'),
    (999.9995, 1, '1.000,0', '1,000.0'),
    (999.9995, 2, '1.000,00', '1,000.00'),
    (999.9995, 4, '999,9995', '999.9995'),
    (999999.5, 0, '1.000.000', '1,000,000'),
    (999999.5, 1, '999.999,5', '999,999.5'),
    (999999.5, 2, '999.999,50', '999,999.50'),
    (999999.5, 4, '999.999,5000', '999,999.5000'),
    (0.0049, 0, '0', '0'),
    (0.0049, 1, '0,0', '0.0'),
    (0.0049, 2, '0,00', '0.00'),
    (0.0049, 4, '0,0049', '0.0049'),
    (-0.001, 0, '-0', '-0'),
    (-0.001, 1, '-0,0', '-0.0'),
    (-0.001, 2, '-0,00', '-0.00'),
    (-0.001, 4, '-0,0010', '-0.0010'),
    (1e-07, 0, '0', '0'),
    (1e-07, 1, '0,0', '0.0'),
    (1e-07, 2, '0,00', '0.00'),
    (1e-07, 4, '0,0000', '0.0000'),
    (3.14159265, 0, '3', '3'),
    (3.14159265, 1, '3,1', '3.1'),
    (3.14159265, 2, '3,14', '3.14'),
    (3.14159265, 4, '3,1416', '3.1416'),
    (0.1 + 0.2, 0, '0', '0'),
    (0.1 + 0.2, 1, '0,3', '0.3'),
    (0.1 + 0.2, 2, '0,30', '0.30'),
    (0.1 + 0.2, 4, '0,3000', '0.3000'),
    (84000, 0, '84.000', '84,000'),
    (84000, 1, '84.000,0', '84,000.0'),
    (84000, 2, '84.000,00', '84,000.00'),
    (84000, 4, '84.000,0000', '84,000.0000'),
    (-84000, 0, '-84.000', '-84,000'),
    (-84000, 1, '-84.000,0', '-84,000.0'),
    (-84000, 2, '-84.000,00', '-84,000.00'),
    (-84000, 4, '-84.000,0000', '-84,000.0000'),
    (7, 0, '7', '7'),
    (7, 1, '7,0', '7.0'),
    (7, 2, '7,00', '7.00'),
    (7, 4, '7,0000', '7.0000'),
    (10**15, 0, '1.000.000.000.000.000', '1,000,000,000,000,000'),
    (10**15, 1, '1.000.000.000.000.000,0', '1,000,000,000,000,000.0'),
    (10**15, 2, '1.000.000.000.000.000,00', '1,000,000,000,000,000.00'),
    (10**15, 4, '1.000.000.000.000.000,0000', '1,000,000,000,000,000.0000'),
    (123456789012.345, 0, '123.456.789.012', '123,456,789,012'),
    (123456789012.345, 1, '123.456.789.012,3', '123,456,789,012.3'),
    (123456789012.345, 2, '123.456.789.012,35', '123,456,789,012.35'),
    (123456789012.345, 4, '123.456.789.012,3450', '123,456,789,012.3450'),
    (1e21, 0, '1.000.000.000.000.000.000.000', '1,000,000,000,000,000,000,000'),
    (1e21, 1, '1.000.000.000.000.000.000.000,0', '1,000,000,000,000,000,000,000.0'),
    (1e21, 2, '1.000.000.000.000.000.000.000,00', '1,000,000,000,000,000,000,000.00'),
    (1e21, 4, '1.000.000.000.000.000.000.000,0000', '1,000,000,000,000,000,000,000.0000'),
    (np.int64(12345), 0, '12.345', '12,345'),
    (np.int64(12345), 1, '12.345,0', '12,345.0'),
    (np.int64(12345), 2, '12.345,00', '12,345.00'),
    (np.int64(12345), 4, '12.345,0000', '12,345.0000'),
    (np.float64(0.4907), 0, '0', '0'),
    (np.float64(0.4907), 1, '0,5', '0.5'),
    (np.float64(0.4907), 2, '0,49', '0.49'),
    (np.float64(0.4907), 4, '0,4907', '0.4907'),
    (np.float32(0.1), 0, '0', '0'),
    (np.float32(0.1), 1, '0,1', '0.1'),
    (np.float32(0.1), 2, '0,10', '0.10'),
    (np.float32(0.1), 4, '0,1000', '0.1000'),
    (True, 0, '1', '1'),
    (True, 1, '1,0', '1.0'),
    (True, 2, '1,00', '1.00'),
    (True, 4, '1,0000', '1.0000'),
]


@pytest.mark.parametrize("x, decimals, id_text, en_text", BEFORE)
def test_numbers_are_written_as_before(x, decimals, id_text, en_text):
    assert fmt_num(x, decimals, "id") == id_text
    assert fmt_num(x, decimals, "en") == en_text
    assert fmt_num(x, decimals, "fr") == fmt_num(x, decimals, None) == id_text  # Indonesian otherwise


def test_the_largest_float_keeps_all_its_digits():
    x = 1.7976931348623157e308
    assert fmt_num(x, 0, "en").replace(",", "") == f"{x:.0f}"
    assert fmt_num(-x, 2, "id") == "-" + fmt_num(x, 0, "id") + ",00"


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, np.float32("nan"), pd.NA])
def test_missing_numbers_are_a_dash(missing):
    # before: NaN of float32 gave "nan" and pandas' NA gave "<NA>"; missing is missing
    assert fmt_num(missing, 2, "id") == fmt_num(missing, 0, "en") == "–"
    assert fmt_percent(missing, 1, "id") == "–"


def test_infinity_is_the_locale_sign():
    # before: "inf" and "-inf" (Python's spelling); CLDR writes ∞ in both languages
    assert fmt_num(float("inf"), 2, "id") == fmt_num(np.inf, 0, "en") == "∞"
    assert fmt_num(float("-inf"), 2, "id") == "-∞"


def _babel(x: float, decimals: int, locale: str) -> str:
    """Babel's own formatting of the exact value of ``x``, rounded half to even as Python rounds floats."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    with decimal.localcontext(prec=1200, rounding=decimal.ROUND_HALF_EVEN):
        return format_decimal(decimal.Decimal(x), pattern, locale=locale)


def test_numbers_are_babels_own_formatting():
    rng = random.Random(13)
    values = [row[0] for row in BEFORE] + [
        rng.choice([-1, 1]) * rng.uniform(0, 10 ** rng.randint(0, 15)) for _ in range(800)]
    values += [round(v, rng.randint(0, 4)) for v in values[-400:]]  # values stored rounded, as the data are
    for x in values:
        for decimals in (0, 1, 2, 4):
            got = (fmt_num(x, decimals, "id"), fmt_num(x, decimals, "en"))
            assert got == (_babel(float(x), decimals, "id_ID"), _babel(float(x), decimals, "en")), (x, decimals)


def test_a_locale_not_grouped_by_three_is_written_by_babel(monkeypatch):
    monkeypatch.setitem(i18n.BABEL_LOCALE, "en", "en_IN")  # Indian English groups 12,34,567
    i18n.number_format.cache_clear()
    try:
        assert fmt_num(1234567.891, 2, "en") == "12,34,567.89" and fmt_num(-0.5, 0, "en") == "-0"
    finally:
        monkeypatch.undo()
        i18n.number_format.cache_clear()
    assert fmt_num(1234567.891, 2, "en") == "1,234,567.89"


# --- percentages -------------------------------------------------------------------------------------

@pytest.mark.parametrize("share, decimals, id_text, en_text", [
    (6 / 8, 1, "75,0%", "75.0%"), (0.0285, 1, "2,8%", "2.8%"), (1 / 80, 1, "1,2%", "1.2%"), (0, 0, "0%", "0%"),
    (1, 1, "100,0%", "100.0%"), (12.345, 0, "1.234%", "1,234%"), (-0.5, 0, "-50%", "-50%"),
])
def test_percentages(share, decimals, id_text, en_text):
    assert (fmt_percent(share, decimals, "id"), fmt_percent(share, decimals, "en")) == (id_text, en_text)


def test_a_share_of_counts_is_written_as_before():
    """Charts and pages wrote ``fmt_num(100 * n / total, 1) + "%"``; ``fmt_percent(n / total, 1)`` gives the
    same text, ties (1/80 = 1,25 %) included."""
    rng = random.Random(5)
    pairs = [(n, total) for total in range(1, 121) for n in range(total + 1)]
    pairs += [(rng.randint(0, total), total) for total in (rng.randint(1, 90_000) for _ in range(1000))]
    for n, total in pairs:
        for lang in ("id", "en"):
            assert fmt_percent(n / total, 1, lang) == fmt_num(100 * n / total, 1, lang) + "%", (n, total, lang)

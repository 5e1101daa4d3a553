"""Interface texts per language (sinergi/locales/*.toml)."""

from __future__ import annotations

import string
import tomllib

import pytest

from sinergi import i18n
from sinergi.i18n import t


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

"""streamlit-folium's per-rerun string steps, remembered: same answers as the originals, bounded memory."""

import hashlib
import textwrap

import streamlit_folium as sf

from sinergi import mapframe


def _script(n: int, tag: str = "a") -> str:
    body = "".join(f"        var layer_{tag}{i:06x} = L.polygon([[{i}, 1], [2, 3]]);\n" for i in range(n))
    return "\n    <script>\n" + body + "    </script>\n"


def test_the_app_uses_the_remembering_versions_inside_streamlit_folium():
    from sinergi import ui  # noqa: F401  (installs on import)

    assert sf.dedent.__name__ == "fast_dedent"
    assert sf.generate_js_hash.__name__ == "fast_js_hash"
    # streamlit_folium still calls these names (a newer release could rename them: then this fails)
    import inspect

    src = inspect.getsource(sf._get_map_string) + inspect.getsource(sf.st_folium)
    assert "dedent(leaflet)" in src and "generate_js_hash(" in src


def test_answers_equal_the_originals_and_are_remembered():
    mapframe.clear()
    calls = []

    def dedent(text):
        calls.append("d")
        return textwrap.dedent(text)

    def js_hash(js, key=None, return_on_hover=False):
        calls.append("h")
        return hashlib.sha256((js + str(key) + str(return_on_hover)).encode()).hexdigest()

    fast_dedent, fast_hash = mapframe.remembering(dedent, js_hash)
    big = _script(3000)
    assert len(big) > mapframe.MIN_CHARS
    assert fast_dedent(big) == textwrap.dedent(big)
    assert fast_dedent(str(big)) == textwrap.dedent(big)  # a new equal string: remembered
    assert calls == ["d"]
    other = _script(3000, "b")
    assert fast_dedent(other) == textwrap.dedent(other) and calls == ["d", "d"]
    h1 = fast_hash(big, "k1")
    assert fast_hash(big, "k1") == h1 and calls.count("h") == 1
    assert fast_hash(big, "k2") != h1  # the key is part of the answer
    assert fast_hash(big, "k1", True) != h1
    small = "   x\n   y"
    assert fast_dedent(small) == "x\ny" and fast_dedent(small) == "x\ny"
    assert calls.count("d") == 4  # small strings are not remembered


def test_the_remembered_scripts_stay_within_the_budget(monkeypatch):
    mapframe.clear()
    monkeypatch.setattr(mapframe, "BUDGET_CHARS", 3 * len(_script(3000)))
    fast_dedent, _ = mapframe.remembering(textwrap.dedent, sf.generate_js_hash)
    for tag in "abcdef":
        fast_dedent(_script(3000, tag))
    assert mapframe._size <= mapframe.BUDGET_CHARS
    assert 1 <= len(mapframe._answers) <= 3
    mapframe.clear()


def test_a_hash_collision_recomputes_instead_of_answering_for_another_script(monkeypatch):
    mapframe.clear()
    calls = []

    def dedent(text):
        calls.append(text[:20])
        return textwrap.dedent(text)

    fast_dedent, _ = mapframe.remembering(dedent, sf.generate_js_hash)
    a, b = _script(3000, "a"), _script(3000, "b")
    assert len(a) == len(b)
    monkeypatch.setattr("builtins.hash", lambda s: 42)  # every script collides
    assert fast_dedent(a) == textwrap.dedent(a)
    assert fast_dedent(b) == textwrap.dedent(b)  # same key, other input: computed, not a's answer
    assert fast_dedent(b) == textwrap.dedent(b) and len(calls) == 2
    mapframe.clear()

"""Two pure string steps of streamlit-folium, remembered across reruns.

``st_folium`` turns the map into its script on every Streamlit rerun, even when the map object is the
same cached one: it ``textwrap.dedent``s the whole script and hashes a normalised copy of it for the
component key. Both are pure functions of the script text, and with thousands of polygons inline the
script is megabytes long: measured on the national hotspot page (7,261 kecamatan, 3 MB of script),
``dedent`` took 128 ms and the hash 51 ms of a 460 ms rerun. :func:`install` replaces the two names
inside the ``streamlit_folium`` module with versions that remember their answers by their input (found by
its hash, confirmed by comparing it whole: an identical answer by construction), within a character
budget. Small strings are passed through.

Pinned to streamlit-folium 0.27.4 (``requirements.txt``); ``tests/test_mapframe.py`` checks that the
module still has both names and that the answers equal the originals'.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

MIN_CHARS = 50_000  # shorter scripts are dedented and hashed in well under a millisecond: not remembered
BUDGET_CHARS = 64_000_000  # characters remembered (inputs and answers), least recently used first

_lock = threading.Lock()
_answers: OrderedDict[tuple, tuple[str, str]] = OrderedDict()
_size = 0
_installed = False


def _remember(key: tuple, text: str, compute) -> str:
    """The answer for ``text`` under ``key`` (which holds ``hash(text)``), computed once.

    Python's string hash is quick (a few ms for 3 MB, against ~30 ms to encode and digest it); the
    remembered input is compared in full on a hit, so a hash collision recomputes instead of answering
    for another script."""
    global _size
    with _lock:
        hit = _answers.get(key)
        if hit is not None and hit[0] == text:
            _answers.move_to_end(key)
            return hit[1]
    answer = compute()
    with _lock:
        old = _answers.pop(key, None)
        if old is not None:
            _size -= len(old[0]) + len(old[1])
        _answers[key] = (text, answer)
        _size += len(text) + len(answer)
        while _size > BUDGET_CHARS and len(_answers) > 1:
            _, (t, a) = _answers.popitem(last=False)
            _size -= len(t) + len(a)
    return answer


def remembering(dedent, js_hash):
    """The two replacements, built on the original functions (exposed for tests)."""

    def fast_dedent(text: str) -> str:
        if len(text) < MIN_CHARS:
            return dedent(text)
        return _remember(("dedent", len(text), hash(text)), text, lambda: dedent(text))

    def fast_js_hash(js_string: str, key: str | None = None, return_on_hover: bool = False) -> str:
        if len(js_string) < MIN_CHARS:
            return js_hash(js_string, key, return_on_hover)
        return _remember(("hash", len(js_string), hash(js_string), str(key), bool(return_on_hover)), js_string,
                         lambda: js_hash(js_string, key, return_on_hover))

    return fast_dedent, fast_js_hash


def install() -> None:
    """Put the remembering versions into ``streamlit_folium`` (once per process)."""
    global _installed
    if _installed:
        return
    import streamlit_folium as sf

    sf.dedent, sf.generate_js_hash = remembering(sf.dedent, sf.generate_js_hash)
    _installed = True


def clear() -> None:
    global _size
    with _lock:
        _answers.clear()
        _size = 0

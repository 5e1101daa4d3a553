"""Two pure string steps of streamlit-folium, remembered across reruns.

``st_folium`` turns the map into its script on every Streamlit rerun, even when the map object is the
same cached one: it ``textwrap.dedent``s the whole script and hashes a normalised copy of it for the
component key. Both are pure functions of the script text, and with thousands of polygons inline the
script is megabytes long: measured on the national hotspot page (7,261 kecamatan, 3 MB of script),
``dedent`` took 128 ms and the hash 51 ms of a 460 ms rerun. :func:`install` replaces the two names
inside the ``streamlit_folium`` module with versions that remember their answers by a digest of their
input (an identical answer, by construction), within a byte budget. Small strings are passed through.

Pinned to streamlit-folium 0.27.4 (``requirements.txt``); ``tests/test_mapframe.py`` checks that the
module still has both names and that the answers equal the originals'.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

MIN_CHARS = 50_000  # below this the work costs less than the digest
BUDGET_CHARS = 64_000_000  # characters of remembered answers (dedented scripts), least recently used first

_lock = threading.Lock()
_answers: OrderedDict[tuple, str] = OrderedDict()
_size = 0
_installed = False


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).digest()


def _remember(key: tuple, compute, weight) -> str:
    global _size
    with _lock:
        hit = _answers.get(key)
        if hit is not None:
            _answers.move_to_end(key)
            return hit
    answer = compute()
    with _lock:
        if key not in _answers:
            _answers[key] = answer
            _size += weight(answer)
            while _size > BUDGET_CHARS and len(_answers) > 1:
                _, old = _answers.popitem(last=False)
                _size -= weight(old)
    return answer


def remembering(dedent, js_hash):
    """The two replacements, built on the original functions (exposed for tests)."""

    def fast_dedent(text: str) -> str:
        if len(text) < MIN_CHARS:
            return dedent(text)
        return _remember(("dedent", _digest(text)), lambda: dedent(text), len)

    def fast_js_hash(js_string: str, key: str | None = None, return_on_hover: bool = False) -> str:
        if len(js_string) < MIN_CHARS:
            return js_hash(js_string, key, return_on_hover)
        return _remember(("hash", _digest(js_string), str(key), bool(return_on_hover)),
                         lambda: js_hash(js_string, key, return_on_hover), lambda _: 64)

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

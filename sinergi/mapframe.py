"""streamlit-folium's per-rerun work on a cached map, done once per map.

``st_folium`` turns the map into its script on every Streamlit rerun, even when the map object is the
same cached one: it ``textwrap.dedent``s the whole script and hashes a normalised copy of it for the
component key. Both are pure functions of the script text, and with thousands of polygons inline the
script is megabytes long: measured on the national hotspot page (7,261 kecamatan, 3 MB of script),
``dedent`` took 128 ms and the hash 51 ms of a 460 ms rerun. :func:`install` replaces the two names
inside the ``streamlit_folium`` module with versions that remember their answers by their input (found by
its hash, confirmed by comparing it whole: an identical answer by construction), within a character
budget. Small strings are passed through.

Beyond those two steps, ``st_folium`` renders the whole map through folium's templates on every rerun
(the figure, its header, every element's script, and the link lists walked over the map's tree): 40–80 ms
per map of a page even when nothing changed, because maps are shared, cached objects that never change
once built. :func:`frame` gives the component exactly the arguments ``st_folium`` would, computing the
map's own part (script, header, HTML, bounds, links, the component's key) once per map object and keeping
it on the map itself, so it lives and dies with the cached map (whose cache key holds the dataset's build:
a new build makes new maps). Only the feature group that travels beside the map (selection, colours,
legend) is rendered on every run.

Pinned to streamlit-folium 0.27.4 (``requirements.txt``); ``tests/test_mapframe.py`` checks that the
module still has the names used here and that the answers, and the component's arguments from
:func:`frame`, equal the originals'.
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


# Attribute of a folium map holding its part of the component's arguments (and the component's key per key).
_FRAME_ATTR = "_sinergi_frame"


def _walk(fig):
    """``st_folium``'s walk over a map's tree for the JS/CSS it links (the same order)."""
    import branca
    import folium.elements
    import folium.plugins

    if isinstance(fig, branca.colormap.ColorMap):
        yield fig
    if isinstance(fig, folium.plugins.DualMap):
        yield from _walk(fig.m1)
        yield from _walk(fig.m2)
    if isinstance(fig, folium.elements.JSCSSMixin):
        yield fig
    if hasattr(fig, "_children"):
        for child in fig._children.values():
            yield from _walk(child)


def _links(elements) -> tuple[list[str], list[str]]:
    import branca

    css, js = [], []
    for elem in elements:
        if isinstance(elem, branca.colormap.ColorMap):
            js.insert(0, "https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js")
            js.insert(0, "https://d3js.org/d3.v4.min.js")
        css.extend([href for _, href in getattr(elem, "default_css", [])])
        js.extend([src for _, src in getattr(elem, "default_js", [])])
    return css, js


def _map_part(m) -> dict:
    """What ``st_folium`` derives from the map ``m`` alone (a ``folium.Map``), in its order of steps."""
    import streamlit_folium as sf

    m.get_root().render()
    m.render()
    html = sf._get_html(m)
    header = sf._get_header(m)
    leaflet = sf._get_map_string(m)
    try:
        (s, w), (n, e) = m.get_bounds()
        bounds = {"_southWest": {"lat": s, "lng": w}, "_northEast": {"lat": n, "lng": e}}
    except AttributeError:
        bounds = {"_southWest": {"lat": None, "lng": None}, "_northEast": {"lat": None, "lng": None}}
    css, js = _links(_walk(m))
    return {"script": leaflet, "header": header, "html": html, "id": sf.get_full_id(m), "bounds": bounds,
            "zoom": m.options.get("zoom") if hasattr(m, "options") else {}, "css": css, "js": js, "hash": {}}


def _part_of(m) -> dict:
    """The map's part as ``st_folium`` would give it now. Rendering a folium map changes it the first time
    (its elements take the ids streamlit-folium gives them and its figure's header gains what its render
    adds), so ``st_folium``'s first answer for a new map differs from its second; from the second on it is
    always the same. Hence: the first frame is computed and not kept, the second is kept for good."""
    state = m.__dict__.setdefault(_FRAME_ATTR, {})
    part = state.get("stable")
    if part is None:
        part = _map_part(m)
        if state.get("rendered"):
            state["stable"] = part
        state["rendered"] = True
    return part


def frame(m, *, key: str | None, height: int, returned_objects: list[str], feature_group,
          on_change=None):
    """``st_folium(m, key=key, height=height, use_container_width=True, returned_objects=returned_objects,
    feature_group_to_add=feature_group, on_change=on_change)`` for a map that never changes once built
    (a cached, shared ``folium.Map``): the map's part is computed at its first frame and kept on it; the
    feature group is rendered every time (it is added to ``m``: the caller removes it, under its lock).
    """
    import streamlit as st
    import streamlit_folium as sf

    part = _part_of(m)
    hash_key = part["hash"].get(key)
    if hash_key is None:
        hash_key = part["hash"][key] = sf.generate_js_hash(part["script"], key, False)
    _defaults = {
        "last_clicked": None, "last_object_clicked": None, "last_object_clicked_count": None,
        "last_object_clicked_tooltip": None, "last_object_clicked_popup": None, "all_drawings": None,
        "last_active_drawing": None, "bounds": part["bounds"], "zoom": part["zoom"],
        "last_circle_radius": None, "last_circle_polygon": None, "selected_layers": None,
        "selected_tags": None, "last_geocoder_result": None,
    }
    defaults = {k: v for k, v in _defaults.items() if returned_objects is None or k in returned_objects}
    group_string = sf._get_feature_group_string(feature_group, map=m, idx=0)
    css, js = _links(_walk(feature_group))
    css_links = list(dict.fromkeys(part["css"] + css))
    js_links = list(dict.fromkeys(part["js"] + js))

    def _on_change():
        if key is not None:
            st.session_state[key] = st.session_state.get(hash_key, {})
        if on_change is not None:
            on_change()

    return sf._component_func(
        script=part["script"], header=part["header"], html=part["html"], id=part["id"], key=hash_key,
        height=height, width=None, returned_objects=returned_objects, default=defaults, zoom=None, center=None,
        feature_group=group_string, return_on_hover=False, layer_control=None, pixelated=False,
        css_links=css_links, js_links=js_links, on_change=_on_change, wrap_longitude=False)


def clear() -> None:
    global _size
    with _lock:
        _answers.clear()
        _size = 0

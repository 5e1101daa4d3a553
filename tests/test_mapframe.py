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


# --- the component's arguments for a cached map, the map's part computed once ---------------------

def _test_map():
    import pandas as pd
    import shapely

    from sinergi import classify, maps

    rows = [{"kode": f"97.01.01.200{i}", "nama": f"Desa {i} <b>", "geojson": shapely.to_geojson(
        shapely.box(100 + i, -12, 101 + i, -11)), "minx": 100 + i, "miny": -12, "maxx": 101 + i, "maxy": -11,
        "lon": 100.5 + i, "lat": -11.5} for i in range(3)]
    geo = pd.DataFrame(rows)
    regions = maps.geojson_regions(geo)
    cls, legend = classify.classify([0.4, 0.6, 0.9], "iks", "status")
    props = pd.DataFrame({"kode": geo["kode"], "nama": geo["nama"], "c": cls, "v": ["a", "b", "c"]})
    colours = maps.colour_spec(regions, props, legend)
    m = maps.base_map(regions, {"code": "Kode", "value": "Nilai", "class": "Kelas"}, tiles="/tiles/{z}/{x}/{y}.png",
                      region_labels=[(100.5, -11.5, "Desa 0")])
    return m, colours, legend


def _component_args(monkeypatch, draw) -> dict:
    got = {}
    monkeypatch.setattr(sf, "_component_func", lambda **kw: got.update(kw) or {"ok": 1})
    assert draw() == {"ok": 1}
    on_change = got.pop("on_change")
    assert callable(on_change)
    return got


def test_frame_gives_the_component_exactly_what_st_folium_gives(monkeypatch):
    from sinergi import maps

    m, colours, legend = _test_map()
    spec = {"colors": list(legend.colors), "labels": list(legend.labels)}
    monkeypatch.setattr(sf, "_component_func", lambda **kw: None)
    for _ in range(2):  # a new map's first two frames differ (next test): compare from the steady state on
        sf.st_folium(m, key="peta_map", height=480)
    for kode, cs, lg, key, clicks in [("", None, None, "peta_map", True), ("97.01.01.2001", colours, spec, "peta_map", True),
                                      ("", colours, spec, "ks_map_iks", False), ("97.01.01.2002", None, spec, "peta_map", True)]:
        returned = ["last_active_drawing"] if clicks else []

        def original():
            group = maps.SelectionScript(kode, cs, lg)
            try:
                return sf.st_folium(m, key=key, height=480, use_container_width=True, returned_objects=returned,
                                    feature_group_to_add=group)
            finally:
                m._children.pop(group.get_name(), None)

        def ours():
            group = maps.SelectionScript(kode, cs, lg)
            try:
                return mapframe.frame(m, key=key, height=480, returned_objects=returned, feature_group=group)
            finally:
                m._children.pop(group.get_name(), None)

        want = _component_args(monkeypatch, original)
        assert _component_args(monkeypatch, ours) == want
        assert _component_args(monkeypatch, ours) == want  # remembered: the same
        assert "SD.choropleth(" in want["script"] and kode in want["feature_group"]


def test_a_new_maps_first_two_frames_are_st_folium_s_first_two(monkeypatch):
    """Rendering a folium map changes it the first time, so st_folium's first answer for a new map differs
    from its second (and from the second on they are equal): frame() gives the same sequence."""
    from sinergi import maps

    m1, _, _ = _test_map()
    m2, _, _ = _test_map()

    def calls(m, draw):
        out = []
        for _ in range(3):
            group = maps.SelectionScript("", None, None)
            try:
                out.append(_component_args(monkeypatch, lambda: draw(m, group)))
            finally:
                m._children.pop(group.get_name(), None)
        return out

    want = calls(m1, lambda m, g: sf.st_folium(m, key="k", height=400, use_container_width=True,
                                                  returned_objects=[], feature_group_to_add=g))
    got = calls(m2, lambda m, g: mapframe.frame(m, key="k", height=400, returned_objects=[], feature_group=g))
    assert want[0]["header"] != want[1]["header"] and want[1] == want[2]
    strip = lambda a: {k: v for k, v in a.items() if k not in ("key",)}  # noqa: E731
    for w, g in zip(want, got):  # the maps' random ids differ before the first render: compare the rest
        assert strip(g).keys() == strip(w).keys()
        assert len(g["header"]) == len(w["header"]) and g["script"] == w["script"]
    assert got[1] == got[2] and got[0]["header"] != got[1]["header"]


def test_the_map_is_rendered_once_per_key_and_the_group_every_time(monkeypatch):
    from sinergi import maps

    m, colours, _ = _test_map()
    renders = []
    real = sf._get_map_string
    monkeypatch.setattr(sf, "_get_map_string", lambda fig: renders.append(fig) or real(fig))
    monkeypatch.setattr(sf, "_component_func", lambda **kw: kw["feature_group"])
    groups = []
    for kode in ("", "97.01.01.2000", "97.01.01.2001", ""):
        group = maps.SelectionScript(kode, colours)
        try:
            groups.append(mapframe.frame(m, key="k", height=400, returned_objects=[], feature_group=group))
        finally:
            m._children.pop(group.get_name(), None)
    assert renders == [m, m]  # the first two frames of a new map (see above), then never again
    assert '"97.01.01.2000"' in groups[1] and '"97.01.01.2001"' in groups[2] and groups[0] == groups[3]
    group = maps.SelectionScript("", colours)
    try:
        other_key = mapframe.frame(m, key="other", height=400, returned_objects=[], feature_group=group)
    finally:
        m._children.pop(group.get_name(), None)
    assert renders == [m, m] and other_key == groups[0]  # another component key: the same map part
    other, _, _ = _test_map()  # a new map (a new build's cache entry): its own part, never the old map's
    group = maps.SelectionScript("", colours)
    mapframe.frame(other, key="k", height=400, returned_objects=[], feature_group=group)
    assert renders == [m, m, other]

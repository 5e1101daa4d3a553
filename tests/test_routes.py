"""The app's own HTTP routes (sinergi/routes.py) over HTTP, against a server started like the browser tests
start theirs (``python -m sinergi.serve``): vector tiles, the codes and names of a tiled level, published
map data. Content types, gzip, immutable caching of versioned URLs, 404 for anything unknown, and no way to
name a file through them."""

from __future__ import annotations

import gzip
import http.client
import json
import shutil
from urllib.parse import urlparse

import pytest

from sinergi import db, mapdata, routes, tiles
from tests.browser.conftest import Server


@pytest.fixture(scope="module")
def served(tiny_db, tmp_path_factory):
    d = tmp_path_factory.mktemp("routes-data")
    shutil.copy(tiny_db, d / "demo.duckdb")
    (d / "secret.txt").write_text("jangan dibaca")
    con = db.connect_snapshot(d / "demo.duckdb")
    try:
        sets = {lv: (v, a, b) for lv, v, a, b in con.execute("select level, versi, zmin, zmax from tile_sets").fetchall()}
        some = con.execute("select level, z, x, y from tiles where level = 4 order by z desc limit 1").fetchone()
        codes = [k for (k,) in con.execute("select kode from tile_features where level = 4 order by fid").fetchall()]
    finally:
        con.close()
    s = Server(d)
    yield s, sets, some, codes
    s.stop()


def get(server, path: str, gzip_ok: bool = True) -> tuple[int, dict, bytes]:
    """A raw GET (no client-side decompression, exact path bytes)."""
    u = urlparse(server.url)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    try:
        c.request("GET", path, headers={"Accept-Encoding": "gzip" if gzip_ok else "identity"})
        r = c.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        c.close()


def test_a_tile_is_gzip_mvt_cached_forever(served):
    server, sets, (level, z, x, y), codes = served
    versi = sets[4][0]
    status, h, body = get(server, f"/api/sinergi/ubin/demo/{versi}/{level}/{z}/{x}/{y}.pbf")
    assert status == 200
    assert h["content-type"] == "application/vnd.mapbox-vector-tile"
    assert h["content-encoding"] == "gzip" and body[:2] == b"\x1f\x8b"
    assert h["cache-control"] == "public, max-age=31536000, immutable"
    layer = tiles.decode(body)[tiles.LAYER_NAME]
    assert layer["features"] and all(0 <= f["id"] < len(codes) for f in layer["features"])
    status, h, plain = get(server, f"/api/sinergi/ubin/demo/{versi}/{level}/{z}/{x}/{y}.pbf", gzip_ok=False)
    assert status == 200 and "content-encoding" not in h and plain == gzip.decompress(body)


def test_an_empty_place_in_the_pyramid_is_an_empty_tile(served):
    server, sets, _, _ = served
    status, h, body = get(server, f"/api/sinergi/ubin/demo/{sets[4][0]}/4/{sets[4][1]}/0/0.pbf")  # mid-Atlantic
    assert status == 200 and body == b"" and h["cache-control"].endswith("immutable")


def test_codes_and_names_of_a_tiled_level(served):
    server, sets, _, codes = served
    status, h, body = get(server, f"/api/sinergi/ubin/demo/{sets[4][0]}/4/kode.json")
    assert status == 200 and h["content-type"] == "application/json" and h["content-encoding"] == "gzip"
    assert h["cache-control"] == mapdata.CACHE_FOREVER
    doc = json.loads(gzip.decompress(body))
    rebuilt = [f"{p}.{doc['akhir'][j]}" for p, n, j0 in zip(doc["induk"], doc["n"],
                                                           [sum(doc["n"][:i]) for i in range(len(doc["n"]))])
               for j in range(j0, j0 + n)]
    assert rebuilt == codes
    status, _, body = get(server, f"/api/sinergi/ubin/demo/{sets[4][0]}/4/nama.json")
    names = json.loads(gzip.decompress(body))["nama"]
    assert len(names) == len(codes) and names[codes.index("97.01.02.2002")] == "Echo <b>"  # text, as stored


@pytest.mark.parametrize("path", [
    "/api/sinergi/ubin/demo/0123456789abcdef/4/10/816/526.pbf",  # another (older) version
    "/api/sinergi/ubin/tidakada/{v4}/4/10/816/526.pbf",  # no such dataset
    "/api/sinergi/ubin/demo/{v4}/4/11/1632/1052.pbf",  # above the stored zooms
    "/api/sinergi/ubin/demo/{v4}/4/3/6/4.pbf",  # below them
    "/api/sinergi/ubin/demo/{v4}/4/10/1024/0.pbf",  # x beyond the zoom's grid
    "/api/sinergi/ubin/demo/{v4}/2/4/12/8.pbf",  # a level without tiles
    "/api/sinergi/ubin/demo/{v3}/4/4/12/8.pbf",  # the version of another level
    "/api/sinergi/ubin/demo/{v4}/4/kode.js",
    "/api/sinergi/data/0123456789abcdef0123456789abcdef.json",  # nothing published under it
])
def test_unknown_things_are_404(served, path):
    server, sets, _, _ = served
    status, h, body = get(server, path.format(v4=sets[4][0], v3=sets[3][0]))
    assert status == 404 and h.get("cache-control") != mapdata.CACHE_FOREVER


@pytest.mark.parametrize("path", [
    "/api/sinergi/ubin/..%2F..%2Fapp/{v4}/4/4/12/8.pbf",
    "/api/sinergi/ubin/%2e%2e/{v4}/4/4/12/8.pbf",
    "/api/sinergi/ubin/demo.duckdb/{v4}/4/4/12/8.pbf",
    "/api/sinergi/ubin/secret.txt/{v4}/4/kode.json",
    "/api/sinergi/ubin/../../../etc/passwd",
    "/api/sinergi/ubin/demo/..%2F..%2F..%2Fsecret.txt/4/kode.json",
    "/api/sinergi/ubin/DEMO/{v4}/4/4/12/8.pbf",
    "/api/sinergi/ubin/demo%0a/{v4}/4/kode.json",
    "/api/sinergi/data/..%2F..%2Fapp.py.json",
    "/api/sinergi/data/%2e%2e%2fsecret.txt.json",
])
def test_no_path_can_be_named(served, path):
    server, sets, _, _ = served
    status, _, body = get(server, path.format(v4=sets[4][0]))
    assert status in (400, 404)
    assert b"jangan" not in body and b"import" not in body and b"DUCK" not in body


def test_the_app_itself_still_answers(served):
    server, *_ = served
    status, _, body = get(server, "/_stcore/health")
    assert status == 200
    status, _, body = get(server, "/app/static/vendor/leaflet.vectorgrid-1.3.0/Leaflet.VectorGrid.min.js")
    assert status == 200 and b"VectorGrid" in (gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body)


def test_published_data_is_served_and_a_busy_server_says_so(monkeypatch):
    """In-process (the server's own store): a payload published by a page, and the concurrency gate."""
    import threading

    from starlette.requests import Request

    def call(handler, **params):
        return handler(Request({"type": "http", "method": "GET", "path": "/", "query_string": b"",
                                "headers": [(b"accept-encoding", b"gzip")], "path_params": params}))

    item = mapdata.publish('{"c": [0, 1, -1]}')
    r = call(routes.published, token=item.token)
    assert r.status_code == 200 and json.loads(gzip.decompress(r.body)) == {"c": [0, 1, -1]}
    assert r.headers["cache-control"] == mapdata.CACHE_FOREVER and r.headers["content-encoding"] == "gzip"
    gate = threading.BoundedSemaphore(1)
    monkeypatch.setattr(routes, "_gate", gate)
    monkeypatch.setattr(routes, "WAIT_S", 0.01)
    gate.acquire()  # every slot taken by other readers
    try:
        r = call(routes.tile, dataset="demo", versi="0123456789abcdef", level=4, z=4, x=12, y=8)
        assert r.status_code == 503 and r.headers["retry-after"] == "1"
    finally:
        gate.release()


def _request(cookies: str = "", **params):
    from starlette.requests import Request

    headers = [(b"accept-encoding", b"gzip")] + ([(b"cookie", cookies.encode())] if cookies else [])
    return Request({"type": "http", "method": "GET", "path": "/", "query_string": b"", "headers": headers,
                    "path_params": params})


@pytest.fixture()
def restricted_folder(tiny_db, tmp_path, monkeypatch):
    """A data folder whose dataset ``bansos`` is restricted (the access file), with the tiles of the fixture."""
    shutil.copy(tiny_db, tmp_path / "bansos.duckdb")
    shutil.copy(tiny_db, tmp_path / "demo.duckdb")
    (tmp_path / "akses.json").write_text(json.dumps({"terbatas": ["bansos"]}))
    monkeypatch.setenv("SINERGI_DATA_DIR", str(tmp_path))
    con = db.connect_snapshot(tmp_path / "bansos.duckdb")
    try:
        level, versi, z, x, y = con.execute("select s.level, s.versi, t.z, t.x, t.y from tile_sets s join tiles t "
                                            "using (level) where level = 4 limit 1").fetchone()
    finally:
        con.close()
    return level, versi, z, x, y


def test_a_restricted_datasets_tiles_need_the_key_its_pages_are_given(restricted_folder):
    from sinergi import auth

    level, versi, z, x, y = restricted_folder
    key = mapdata.capability(auth.url_secret(), "bansos", versi)
    for v in (versi, f"{versi}-{'0' * 32}", f"{versi}-{mapdata.capability(auth.url_secret(), 'demo', versi)}"):
        assert routes.tile(_request(dataset="bansos", versi=v, level=level, z=z, x=x, y=y)).status_code == 404, v
        assert routes.codes(_request(dataset="bansos", versi=v, level=level)).status_code == 404
    r = routes.tile(_request(dataset="bansos", versi=f"{versi}-{key}", level=level, z=z, x=x, y=y))
    assert r.status_code == 200 and r.headers["cache-control"] == mapdata.CACHE_PRIVATE  # never a shared cache
    r = routes.names(_request(dataset="bansos", versi=f"{versi}-{key}", level=level))
    assert r.status_code == 200 and r.headers["cache-control"] == mapdata.CACHE_PRIVATE
    # an unrestricted dataset: plain URLs, public caching; a key there is no URL of ours
    r = routes.tile(_request(dataset="demo", versi=versi, level=level, z=z, x=x, y=y))
    assert r.status_code == 200 and r.headers["cache-control"] == mapdata.CACHE_FOREVER
    assert routes.tile(_request(dataset="demo", versi=f"{versi}-{key}", level=level, z=z, x=x, y=y)).status_code == 404


def test_with_sign_in_a_restricted_datasets_data_reaches_only_who_may_see_it(restricted_folder, monkeypatch):
    from sinergi import auth

    level, versi, z, x, y = restricted_folder
    rules = auth.aturan_dari({"auth": {"client_id": "x"}}, {"terbatas": ["bansos"]})
    monkeypatch.setattr(auth, "aturan", lambda: rules)
    key = mapdata.capability(auth.url_secret(), "bansos", versi)
    # the right key but nobody signed in (no identity cookie): nothing
    assert routes.tile(_request(dataset="bansos", versi=f"{versi}-{key}", level=level, z=z, x=x, y=y)).status_code == 404
    signed_in = auth.Pengguna(sub="u1", nama="Steward", peran="steward", cara="oidc")
    monkeypatch.setattr(auth, "user_from_cookies", lambda cookies, rules=None: signed_in)
    r = routes.tile(_request("_streamlit_user=x", dataset="bansos", versi=f"{versi}-{key}", level=level, z=z, x=x, y=y))
    assert r.status_code == 200
    # a page's published data of the restricted dataset: a random URL (not derivable from the content), kept
    # private, and refused to a request that may not see the dataset
    mapdata.set_owner("bansos", True)
    try:
        a, b = mapdata.publish('{"c": [1]}'), mapdata.publish('{"c": [1]}')
    finally:
        mapdata.set_owner("", False)
    assert a.token != b.token and a.restricted and a.owner == "bansos"
    r = routes.published(_request(token=a.token))
    assert r.status_code == 200 and r.headers["cache-control"] == mapdata.CACHE_PRIVATE
    monkeypatch.setattr(auth, "user_from_cookies", lambda cookies, rules=None: auth.ANONIM)
    assert routes.published(_request(token=a.token)).status_code == 404
    public = mapdata.publish('{"c": [1]}')  # the same text published for a public dataset: its own, public URL
    assert public.token not in (a.token, b.token) and routes.published(_request(token=public.token)).status_code == 200

"""HTTP routes the app serves beside Streamlit's own (``sinergi.serve`` mounts them with ``st.App``).

- ``/api/sinergi/ubin/<dataset>/<versi>/<level>/<z>/<x>/<y>.pbf``: one vector tile (``sinergi.tiles``) of a
  dataset file in the data folder. ``versi`` is the tile set's version stored in the file, so the URL names
  one content and is cached by browsers forever; an older or unknown version, dataset, level or zoom is a
  404. A tile inside the pyramid with nothing in it is an empty (valid) tile.
- ``/api/sinergi/ubin/<dataset>/<versi>/<level>/kode.json``: the level's codes in feature-id order, as runs
  under their parents (``{"induk": [...], "n": [...], "akhir": [...]}``: ``n[i]`` codes
  ``induk[i] + "." + akhir[j]``), for clicks and selection; ``…/nama.json``: their names (``{"nama": [...]}``),
  for tooltips.
- ``/api/sinergi/data/<token>.json``: a payload a page published (``sinergi.mapdata``).

Every answer is gzip-compressed (decompressed for the rare client that does not accept gzip) and carries
``Cache-Control: public, max-age=31536000, immutable``. Handlers are plain functions: Starlette runs them in
its thread pool, so reading DuckDB never blocks the event loop, and at most :data:`CONCURRENT` of them read a
database at once. Parameters are checked against patterns before anything touches the file system: a
dataset is a name (``db.dataset_path``), never a path.
"""

from __future__ import annotations

import gzip
import hmac
import json
import re
import threading
from collections import OrderedDict
from pathlib import Path

import duckdb
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sinergi import auth, db, mapdata

CONCURRENT = 4  # handlers reading a database at once; the others wait (up to WAIT_S) in their threads
WAIT_S = 20.0
OPEN_FILES = 4  # dataset files kept open for tiles
TILE_TYPE = "application/vnd.mapbox-vector-tile"
_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")
_VERSI = re.compile(r"[0-9a-f]{16}")

_gate = threading.BoundedSemaphore(CONCURRENT)


class TileFile:
    """One dataset file's tiles, read through a snapshot connection (the file as it was when opened)."""

    def __init__(self, path: Path):
        self.con = db.connect_snapshot(path)
        rows = self.con.execute("select level, versi, zmin, zmax from tile_sets").fetchall()
        self.sets = {int(lv): (str(v), int(a), int(b)) for lv, v, a, b in rows}
        self._json: dict[tuple, bytes] = {}
        self._lock = threading.Lock()

    def check(self, versi: str, level: int, z: int | None = None) -> bool:
        """Whether the file has this version of ``level`` (and ``z`` within its zooms)."""
        found = self.sets.get(level)
        if found is None or found[0] != versi:
            return False
        return z is None or found[1] <= z <= found[2]

    def tile(self, level: int, z: int, x: int, y: int) -> bytes:
        """The gzip MVT at (z, x, y); b'' where the pyramid has no tile (nothing there)."""
        cur = self.con.cursor()
        try:
            row = cur.execute("select data from tiles where level = ? and z = ? and x = ? and y = ?",
                              [level, z, x, y]).fetchone()
        finally:
            cur.close()
        return bytes(row[0]) if row else b""

    def codes(self, level: int) -> bytes:
        """Gzip JSON of the level's codes in id order, as runs under their parents (remembered)."""
        def make() -> dict:
            induk, n, akhir = [], [], []
            for (kode,) in self._rows("select kode from tile_features where level = ? order by fid", level):
                head, _, tail = kode.rpartition(".")
                if not induk or induk[-1] != head:
                    induk.append(head)
                    n.append(0)
                n[-1] += 1
                akhir.append(tail)
            return {"induk": induk, "n": n, "akhir": akhir}
        return self._remember(("kode", level), make)

    def names(self, level: int) -> bytes:
        """Gzip JSON ``{"nama": [...]}`` of the level's names in id order (remembered)."""
        return self._remember(("nama", level), lambda: {"nama": [n for (n,) in self._rows(
            "select coalesce(r.nama, f.kode) from tile_features f left join regions r on r.kode = f.kode "
            "where f.level = ? order by f.fid", level)]})

    def _rows(self, sql: str, level: int) -> list[tuple]:
        cur = self.con.cursor()
        try:
            return cur.execute(sql, [level]).fetchall()
        finally:
            cur.close()

    def _remember(self, key: tuple, make) -> bytes:
        with self._lock:
            if key in self._json:
                return self._json[key]
        text = json.dumps(make(), ensure_ascii=False, separators=(",", ":"))
        body = gzip.compress(text.encode("utf-8"), 6, mtime=0)
        with self._lock:
            self._json[key] = body
        return body


_files: OrderedDict[tuple, TileFile] = OrderedDict()
_files_lock = threading.Lock()


def tile_file(dataset: str) -> TileFile | None:
    """The open tiles of ``dataset``'s current file, None when there is no such readable file."""
    try:
        path = db.dataset_path(dataset)
        st = path.stat()
    except (db.DataError, OSError):
        return None
    key = (str(path), st.st_mtime_ns, st.st_size)
    with _files_lock:
        found = _files.get(key)
        if found is not None:
            _files.move_to_end(key)
            return found
    try:
        opened = TileFile(path)
    except (db.DataError, duckdb.Error):  # a damaged or foreign file: no tiles, the pages say what is wrong
        return None
    with _files_lock:
        opened = _files.setdefault(key, opened)
        while len(_files) > OPEN_FILES:
            _files.popitem(last=False)  # closed when the last reader lets go of it
    return opened


def _answer(request: Request, body: bytes, media_type: str, private: bool = False) -> Response:
    """``body`` (gzip, or empty) with immutable caching, decompressed when the client does not take gzip;
    ``private``: a restricted dataset's data, never kept by a shared cache."""
    headers = {"Cache-Control": mapdata.CACHE_PRIVATE if private else mapdata.CACHE_FOREVER,
               "Vary": "Accept-Encoding", "X-Content-Type-Options": "nosniff"}
    if body:
        if "gzip" in request.headers.get("accept-encoding", "").lower():
            headers["Content-Encoding"] = "gzip"
        else:
            body = gzip.decompress(body)
    return Response(body, media_type=media_type, headers=headers)


def _not_found() -> Response:
    return Response("Tidak ditemukan.", status_code=404, media_type="text/plain; charset=utf-8",
                    headers={"Cache-Control": "no-store"})


def _busy() -> Response:
    return Response("Server sibuk; coba lagi.", status_code=503, media_type="text/plain; charset=utf-8",
                    headers={"Cache-Control": "no-store", "Retry-After": "1"})


def _may_see(request: Request, dataset: str) -> bool:
    """Whether this request may receive anything of ``dataset`` (``auth.may_view``, the user from Streamlit's
    signed identity cookie). Without sign-in configured nobody is identified here: a restricted dataset's
    data is then served only through URLs handed to pages that may show it (keys and random tokens)."""
    rules = auth.aturan()
    return not rules.oidc or auth.may_view(dataset, auth.user_from_cookies(request.cookies, rules), rules)


def _restricted(dataset: str) -> bool:
    try:
        return dataset in auth.aturan().terbatas
    except auth.AturanSalah:  # an invalid access configuration: nothing is served as if it were public
        return True


def _tile_params(request: Request) -> tuple[str, str, int, bool] | None:
    """(dataset, tile version, level, restricted) of a tile route's URL; None when malformed, or when the
    dataset is restricted and the URL lacks its key or the request may not see it."""
    p = request.path_params
    dataset, versi, level = str(p.get("dataset", "")), str(p.get("versi", "")), p.get("level")
    versi, _, key = versi.partition("-")
    if not (_NAME.fullmatch(dataset) and _VERSI.fullmatch(versi) and isinstance(level, int)):
        return None
    restricted = _restricted(dataset)
    if restricted:
        expected = mapdata.capability(auth.url_secret(), dataset, versi)
        if not (mapdata.KEY.fullmatch(key) and hmac.compare_digest(key, expected) and _may_see(request, dataset)):
            return None
    elif key:
        return None
    return dataset, versi, level, restricted


def _from_tiles(dataset: str, versi: str, level: int, z: int | None, read) -> Response | bytes:
    """``read(tile_file)`` for this dataset's tiles of ``level`` at this version (and zoom), behind the gate;
    a 404 when any of them is unknown, a 503 when the readers are busy for too long."""
    if not _gate.acquire(timeout=WAIT_S):
        return _busy()
    try:
        tf = tile_file(dataset)
        if tf is None or not tf.check(versi, level, z):
            return _not_found()
        return read(tf)
    finally:
        _gate.release()


def tile(request: Request) -> Response:
    """One vector tile (plain ``def``: runs in the thread pool)."""
    params = _tile_params(request)
    z, x, y = (request.path_params.get(k) for k in ("z", "x", "y"))
    if params is None or not all(isinstance(v, int) for v in (z, x, y)) or not (
            0 <= z <= 22 and 0 <= x < 2 ** z and 0 <= y < 2 ** z):
        return _not_found()
    dataset, versi, level, private = params
    body = _from_tiles(dataset, versi, level, z, lambda tf: tf.tile(level, z, x, y))
    return body if isinstance(body, Response) else _answer(request, body, TILE_TYPE, private)


def _level_json(request: Request, what: str) -> Response:
    """Codes or names of a tiled level (plain ``def``)."""
    params = _tile_params(request)
    if params is None:
        return _not_found()
    dataset, versi, level, private = params
    body = _from_tiles(dataset, versi, level, None,
                       lambda tf: tf.codes(level) if what == "kode" else tf.names(level))
    return body if isinstance(body, Response) else _answer(request, body, "application/json", private)


def codes(request: Request) -> Response:
    return _level_json(request, "kode")


def names(request: Request) -> Response:
    return _level_json(request, "nama")


def published(request: Request) -> Response:
    """A payload published by a page (``sinergi.mapdata``); held in memory, no database."""
    item = mapdata.get(str(request.path_params.get("token", "")))
    if item is None or (item.restricted and not _may_see(request, item.owner)):
        return _not_found()
    return _answer(request, item.gz, "application/json", item.restricted)


def routes() -> list[Route]:
    """The app's own routes, for ``st.App(..., routes=routes())``."""
    base = f"{mapdata.TILE_PREFIX}/{{dataset}}/{{versi}}/{{level:int}}"
    return [
        Route(f"{base}/{{z:int}}/{{x:int}}/{{y:int}}.pbf", tile, methods=["GET"]),
        Route(f"{base}/kode.json", codes, methods=["GET"]),
        Route(f"{base}/nama.json", names, methods=["GET"]),
        Route(f"{mapdata.DATA_PREFIX}/{{token}}.json", published, methods=["GET"]),
        # anything else under the prefix is not found (not Streamlit's page, which answers any other path)
        Route(f"{mapdata.PREFIX}/{{rest:path}}", lambda request: _not_found()),
    ]

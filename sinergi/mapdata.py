"""Map data the browser fetches over HTTP, instead of receiving it inside the map's script.

A map's script travels through Streamlit's websocket on every rerun of the page; with the geometry and
the per-region values inline that was megabytes per rerun. Here a page *publishes* the data once
(:func:`publish`) and puts only the returned URL into the script; ``sinergi.routes`` serves it,
gzip-compressed, with immutable caching: the URL is a hash of the content, so it never names other data.

A published payload stays servable while anything holds the :class:`Published` object (the cached map that
points at it) and, for a while after, among the most recent ones (:data:`RECENT_BYTES`). The URL scheme of
the app's own map routes is also defined here, for the routes and the code that writes map scripts.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import secrets
import threading
import weakref
from collections import OrderedDict

PREFIX = "/api/sinergi"  # not under Streamlit's reserved prefixes (/_stcore/, /media/, /component/, /static/)
DATA_PREFIX = f"{PREFIX}/data"
TILE_PREFIX = f"{PREFIX}/ubin"
TOKEN = re.compile(r"[0-9a-f]{32}")
RECENT_BYTES = 96 * 1024 * 1024  # compressed payloads kept after nothing else holds them
CACHE_FOREVER = "public, max-age=31536000, immutable"
CACHE_PRIVATE = "private, max-age=31536000, immutable"  # a restricted dataset's data: never in a shared cache
GZIP_LEVEL = 1
KEY = re.compile(r"[0-9a-f]{32}")

# The dataset whose data this thread's script run publishes (set when the run pins its dataset,
# ``sinergi.data.dataset_key``): a restricted dataset's payloads get random URLs (not a hash of their
# content) and are served only to whoever may see that dataset (``sinergi.routes``).
_run = threading.local()


def set_owner(dataset: str, restricted: bool) -> None:
    """Say which dataset this thread publishes for from now on, and whether it is restricted."""
    _run.owner = (dataset, bool(restricted))


def owner() -> tuple[str, bool]:
    return getattr(_run, "owner", ("", False))


def capability(secret: bytes, dataset: str, versi: str) -> str:
    """The key a restricted dataset's tile URLs carry (``<versi>-<key>``): an HMAC of the dataset and its
    tile version with the server's secret, so the URLs cannot be guessed, only handed to a page that may
    show the dataset."""
    import hmac

    return hmac.new(secret, f"{dataset}|{versi}".encode(), hashlib.sha256).hexdigest()[:32]


class Published:
    """One published payload: ``url`` (``/api/sinergi/data/<token>.json``) and its gzip body (``gz``), made
    on first use when the payload was published as a function (:func:`defer`)."""

    __slots__ = ("token", "_gz", "_make", "_lock", "owner", "restricted", "__weakref__")

    def __init__(self, token: str, gz: bytes | None = None, make=None):
        self.token, self._gz, self._make, self._lock = token, gz, make, threading.Lock()
        self.owner, self.restricted = owner()

    @property
    def url(self) -> str:
        return f"{DATA_PREFIX}/{self.token}.json"

    @property
    def gz(self) -> bytes:
        if self._gz is None:
            with self._lock:
                if self._gz is None:
                    self._gz = gzip.compress(self._make().encode("utf-8"), GZIP_LEVEL, mtime=0)
                    self._make = None
        return self._gz


_lock = threading.Lock()
_live: weakref.WeakValueDictionary[str, Published] = weakref.WeakValueDictionary()
_recent: OrderedDict[str, tuple[Published, int]] = OrderedDict()
_recent_bytes = 0


def publish(text: str) -> Published:
    """Make ``text`` (JSON) fetchable at the returned object's ``url``; the same text gives the same URL."""
    raw = text.encode("utf-8")
    if owner()[1]:  # a restricted dataset: a URL nobody can derive from the data
        return _register(Published(secrets.token_hex(16), gzip.compress(raw, GZIP_LEVEL, mtime=0)))
    token = hashlib.sha256(raw).hexdigest()[:32]
    with _lock:
        found = _live.get(token)
        if found is not None:
            _remember(found)
            return found
    # level 1: a national village map's colours compress four times faster than at 6, ~15 % larger
    return _register(Published(token, gzip.compress(raw, GZIP_LEVEL, mtime=0)))


def defer(make) -> Published:
    """Publish the JSON text ``make()`` returns, made when the URL is first asked for (in the route's
    thread, not in the page's run): e.g. tooltip details that only a hover needs. The URL is new (random) and
    always answers the same text."""
    return _register(Published(secrets.token_hex(16), make=make))


def _register(item: Published) -> Published:
    with _lock:
        item = _live.setdefault(item.token, item)
        _remember(item)
    return item


def _remember(item: Published) -> None:
    """Keep ``item`` among the recent payloads (caller holds the lock); a payload not made yet counts as
    nothing (whatever holds it keeps it)."""
    global _recent_bytes
    if item.token in _recent:
        _recent.move_to_end(item.token)
        return
    size = len(item._gz) if item._gz is not None else 0
    _recent[item.token] = (item, size)
    _recent_bytes += size
    while _recent_bytes > RECENT_BYTES and len(_recent) > 1:
        _, (_old, old_size) = _recent.popitem(last=False)
        _recent_bytes -= old_size


def get(token: str) -> Published | None:
    """The payload published under ``token``, None when unknown or no longer kept."""
    if not TOKEN.fullmatch(token):
        return None
    with _lock:
        return _live.get(token)


def tile_url(dataset: str, versi: str, level: int) -> str:
    """URL template (``{z}/{x}/{y}``) of a dataset's tiles of one level, at one tile version."""
    return f"{TILE_PREFIX}/{dataset}/{versi}/{int(level)}/{{z}}/{{x}}/{{y}}.pbf"


def codes_url(dataset: str, versi: str, level: int) -> str:
    """URL of the codes of a tiled level, in feature-id order (``sinergi.routes.codes``)."""
    return f"{TILE_PREFIX}/{dataset}/{versi}/{int(level)}/kode.json"


def names_url(dataset: str, versi: str, level: int) -> str:
    """URL of the names of a tiled level, in feature-id order."""
    return f"{TILE_PREFIX}/{dataset}/{versi}/{int(level)}/nama.json"


def clear() -> None:
    """Forget every recent payload (tests)."""
    global _recent_bytes
    with _lock:
        _recent.clear()
        _recent_bytes = 0

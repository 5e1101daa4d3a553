"""Results remembered by the content of their arguments, process-wide and bounded.

For pure functions whose inputs are frames that Streamlit's caches hand out as fresh copies on every
rerun (so identity says nothing) and whose work costs more than hashing their inputs: plotly figures
(``sinergi/charts.py``: plotly validates every property it is given, 50–250 ms a page). Not for displayed
tables: hashing a 75,000-row frame of strings costs most of what formatting it does. Keys are digests of
the arguments' content: frames and series by value with their columns, index and dtypes, containers
element-wise, dataclasses by field, anything else by type and ``repr``. Results are shared between
sessions: never change one in place.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable

import numpy as np
import pandas as pd


def _feed(h, value: object) -> None:
    """Add ``value`` to the digest ``h``: frames and series by their content, containers element-wise."""
    if isinstance(value, pd.DataFrame):
        h.update(b"DF" + repr((list(value.columns), [str(d) for d in value.dtypes], value.shape)).encode())
        if len(value):
            h.update(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
    elif isinstance(value, pd.Series):
        h.update(b"SR" + repr((value.name, str(value.dtype), len(value))).encode())
        if len(value):
            h.update(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
    elif isinstance(value, np.ndarray):
        h.update(b"NP" + repr((value.dtype.str, value.shape)).encode())
        h.update(np.ascontiguousarray(value).tobytes() if value.dtype != object else repr(value.tolist()).encode())
    elif isinstance(value, (list, tuple)):
        h.update(b"L" + str(len(value)).encode())
        for v in value:
            _feed(h, v)
    elif isinstance(value, dict):
        h.update(b"D" + str(len(value)).encode())
        for k, v in value.items():
            _feed(h, k)
            _feed(h, v)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        h.update(b"DC" + type(value).__qualname__.encode())
        _feed(h, [getattr(value, f.name) for f in dataclasses.fields(value)])
    else:
        h.update(b"V" + type(value).__qualname__.encode() + repr(value).encode())
    h.update(b"|")


def content_key(*args, **kwargs) -> bytes:
    """A 20-byte digest of the arguments' content (equal content, equal key)."""
    h = hashlib.blake2b(digest_size=20)
    _feed(h, args)
    _feed(h, sorted(kwargs.items()))
    return h.digest()


def by_content(entries: Callable[[], int]):
    """Decorator: remember ``fn``'s results by :func:`content_key`, at most ``entries()`` of them (least
    recently used dropped first). ``wrapper.cache`` is the store (for tests)."""

    def decorate(fn):
        cache: OrderedDict[bytes, object] = OrderedDict()
        lock = threading.Lock()

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            key = content_key(*args, **kwargs)
            with lock:
                if key in cache:
                    cache.move_to_end(key)
                    return cache[key]
            result = fn(*args, **kwargs)
            with lock:
                cache[key] = result
                while len(cache) > entries():
                    cache.popitem(last=False)
            return result

        wrapper.cache = cache
        return wrapper

    return decorate

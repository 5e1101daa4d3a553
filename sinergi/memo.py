"""Results remembered by the content of their arguments, process-wide and bounded.

For pure functions whose inputs are frames that Streamlit's caches hand out as fresh copies on every
rerun (so identity says nothing) and whose work costs more than hashing their inputs: plotly figures
(``sinergi/charts.py``: plotly validates every property it is given, 50–250 ms a page). Not for displayed
tables: hashing a 75,000-row frame of strings costs most of what formatting it does. Keys are digests of
the arguments' content: frames and series by value with their columns, index and dtypes, containers
element-wise, dataclasses by field, anything else by type and ``repr``. Results are shared between
sessions: never change one in place.

Also the two stores the app's other memos are built on: :class:`Recent` (bounded, least recently used
dropped first, process-wide) and :func:`run_slot` (values kept for one Streamlit script run).
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
from streamlit.runtime.scriptrunner import get_script_run_ctx


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


class Recent:
    """At most ``entries()`` values by key (read at every store, so a setting can change it), the least
    recently used dropped first; shared by threads. ``items`` is the store (for tests)."""

    def __init__(self, entries: Callable[[], int]):
        self.items: OrderedDict = OrderedDict()
        self._entries = entries
        self._lock = threading.Lock()

    def get(self, key, make: Callable[[], object]):
        """The value kept under ``key``, else ``make()``'s, kept (made outside the lock: two threads asking
        at once may both make it; the later one is kept)."""
        with self._lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        value = make()
        with self._lock:
            self.items[key] = value
            while len(self.items) > self._entries():
                self.items.popitem(last=False)
        return value


def by_content(entries: Callable[[], int]):
    """Decorator: remember ``fn``'s results by :func:`content_key`, at most ``entries()`` of them (least
    recently used dropped first). ``wrapper.cache`` is the store (for tests)."""

    def decorate(fn):
        store = Recent(entries)

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            return store.get(content_key(*args, **kwargs), lambda: fn(*args, **kwargs))

        wrapper.cache = store.items
        return wrapper

    return decorate


def run_slot(name: str) -> dict | None:
    """This Streamlit script run's own dict named ``name`` (empty at the run's start), None outside a run.

    Kept on the run's context beside its ``cursors`` dict, which Streamlit replaces at the start of every
    run (``ScriptRunContext.reset``): a slot found beside an earlier run's dict is that run's, and a new
    one is made."""
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return None
    held = getattr(ctx, "_sinergi_run", None)
    if held is None or held[0] is not ctx.cursors:
        held = (ctx.cursors, {})
        ctx._sinergi_run = held
    return held[1].setdefault(name, {})

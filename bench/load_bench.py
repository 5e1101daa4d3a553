"""Load benchmark: many officials on the Peta page at once, in real browsers, against one server.

    .venv/bin/python bench/load_bench.py [--db FILE] [--sessions 20] [--ramp 60] [--seconds 60] [--seed 1] [--json OUT]

Starts a Streamlit server of the app (``tests/browser/conftest.py``'s ``Server``: a free local port,
``SINERGI_DATA_DIR`` a temp dir holding the chosen database, linked read-only, never copied or written),
opens the app once (Beranda, then Peta: "first view"), then drives ``--sessions`` concurrent Playwright
contexts in Debian's ``/usr/bin/chromium`` (every non-local request blocked) for ``--seconds``. Each
session does what an official does on the map explorer: switches theme, indicator, year and map level,
clicks a region on the map, drills in ("Masuk ke …"), climbs the breadcrumb, and now and then opens
Ketahanan Sosial or the region's Profil and comes back through the navigation. The order is drawn per
session from a seeded RNG (``--seed``), so sessions ask different questions and the caches cannot answer
everything. Without ``--db`` the demo dataset is built into the temp dir (~10 s).

Measured, per action: *latency* = from the interaction (the click that triggers the rerun) until the
rerun has finished and its result is visible (the new map's polygons drawn, the selection outlined, the
page's heading shown); *rerun* = how long the script ran: from the run's ``new_session`` to its
``script_finished`` message on the app's websocket, as the browser received them (≈ server time).
Errors: ``stException`` elements, ``pageerror`` events, console errors, local
responses ≥ 500, failed local requests, requests leaving the machine, websocket closes and connection
banners (``data-test-connection-state`` leaving ``CONNECTED``), actions that time out. Server memory:
RSS of the Streamlit process and its children (/proc) idle, after the first view, every 0.5 s under load
(peak, end) and after the sessions closed; server CPU time. The browsers run on the same machine, so
the numbers include their contention. The output is Markdown, ready to paste into ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from sinergi.i18n import t  # noqa: E402
from sinergi.state import levels_below  # noqa: E402
from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS, LOCAL_HOSTS, Server  # noqa: E402

VIEWPORT = {"width": 1280, "height": 900}
# Every session's browser context. With "prefers-reduced-motion" Streamlit draws no spinner and skeleton
# animations: with 20 pages in one software-rendered Chromium those took most of its compositor's CPU
# (measured: 13 s of 6 sessions' 50 s → 1.6 s), time taken from the server on a shared machine.
CONTEXT = {"viewport": VIEWPORT, "reduced_motion": "reduce"}
SAMPLE_S = 0.5

# Runs in the top frame of every page before the app's own scripts: records every time the connection
# state Streamlit 1.67 puts on its root element (``data-test-connection-state``: CONNECTED, CONNECTING,
# DISCONNECTED_FOREVER, …, the "Connection error" banner's source) leaves CONNECTED.
OBSERVER_JS = """
(() => {
  if (window.top !== window || window.__sdLoad) { return; }
  const sd = window.__sdLoad = {conn: null, lost: []};
  function check() {
    const app = document.querySelector('[data-testid="stApp"]');
    const c = app && app.getAttribute('data-test-connection-state');
    if (c && c !== sd.conn) {
      if (sd.conn === 'CONNECTED') { sd.lost.push(c); }
      sd.conn = c;
    }
  }
  new MutationObserver(check).observe(document, {subtree: true, childList: true, attributes: true,
      attributeFilter: ['data-test-connection-state']});
  check();
})();
"""

# Script runs are read from the app's websocket: every ForwardMsg is one binary frame; a run begins
# with ``new_session`` and ends with ``script_finished``. (Streamlit 1.67 also shows the run on stApp's
# ``data-test-script-state`` attribute, running → notRunning; polling or observing it can miss a short
# run whose running state is never rendered, and our first version timed out that way under load.)
# Frames above this size are element deltas (a map is megabytes): not parsed.
SMALL_FRAME = 16 * 1024
FINISHED_OK = (ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY,
               ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)

# In the map frame: points inside region number ``idx`` of the choropleth, within the visible rows
# [top, bottom] of the frame, hit-tested with Leaflet's own canvas test (a bounds' centre may lie in the
# sea or in a neighbour) and where the frame's topmost element is the map's canvas (not a zoom button,
# the scale bar or the attribution), with 4 px of the region around them (a click on a one-pixel sliver
# of a small island was missed when the frame settled a little). Returns [kode, [[x, y], …]] (centre
# first, at most 12) or null.
PICK_JS = """
([idx, top, bottom]) => {
  const map = window.map, layers = window.sdLayer.getLayers();
  const layer = layers[idx % layers.length];
  const size = map.getSize(), b = layer.getBounds();
  const nw = map.latLngToContainerPoint(b.getNorthWest()), se = map.latLngToContainerPoint(b.getSouthEast());
  const x0 = Math.max(nw.x, 5), x1 = Math.min(se.x, size.x - 5);
  const y0 = Math.max(nw.y, top + 5), y1 = Math.min(se.y, bottom - 5, size.y - 5);
  if (!(x1 > x0 && y1 > y0)) { return null; }
  const n = 15, pts = [], out = [];
  for (let i = 0; i < n; i++) { for (let j = 0; j < n; j++) {
    pts.push([x0 + (x1 - x0) * (i + 0.5) / n, y0 + (y1 - y0) * (j + 0.5) / n,
              Math.abs(i - (n - 1) / 2) + Math.abs(j - (n - 1) / 2)]);
  } }
  pts.sort((p, q) => p[2] - q[2]);
  const box = map.getContainer().getBoundingClientRect();
  const inside = (x, y) => {
    const el = document.elementFromPoint(box.left + x, box.top + y);
    return el !== null && el.tagName === 'CANVAS' && layer._containsPoint(map.containerPointToLayerPoint([x, y]));
  };
  for (const [x, y] of pts) {
    // well inside, as a person clicks: a few pixels' shift (the frame settling) still hits the region
    if (inside(x, y) && inside(x - 4, y) && inside(x + 4, y) && inside(x, y - 4) && inside(x, y + 4)) {
      out.push([x + box.left, y + box.top]);
      if (out.length === 12) { break; }
    }
  }
  return out.length ? [layer.feature.properties.kode, out] : null;
}
"""

# In the page: whether the topmost element at (x, y) is the map's frame (not Streamlit's header, a
# toast or a popover over it).
ON_MAP_JS = """([x, y]) => { const el = document.elementFromPoint(x, y);
  return el !== null && el.tagName === 'IFRAME' && el.title === 'streamlit_folium.st_folium'; }"""

# Leaflet layers drawn before an action are marked, so "the new map has drawn" means a layer without it.
MARK_JS = "() => { if (window.sdLayer) { window.sdLayer.__sdOld = true; } }"
NEW_LAYER_JS = "() => (window.sdLayer && !window.sdLayer.__sdOld) ? window.sdLayer.getLayers().length : 0"
# streamlit-folium keys its component by a hash of the map's script, and Streamlit puts the key on the
# element's container (class ``st-key-<hash>``): the same key after a rerun means the very same map,
# which the browser rightly does not draw again (e.g. two indicators with equal classes and values).
MAP_KEYS_JS = """() => [...document.querySelectorAll('iframe[title="streamlit_folium.st_folium"]')].map(f => {
  for (let e = f; e; e = e.parentElement) {
    for (const c of (e.classList || [])) { if (c.startsWith('st-key-')) { return c; } }
  }
  return '';
})"""
SETTLED_JS = """() => { const a = document.querySelector('[data-testid="stApp"]');
  return a !== null && a.getAttribute('data-test-script-state') === 'notRunning'; }"""

# On a deep link Streamlit's frontend first asks for /<page>/_stcore/health and /host-config, gets
# 404, then uses the root ones: browser-logged "Failed to load resource" errors that are not ours.
PROBE_404 = re.compile(r"/[^/?#]+/_stcore/(health|host-config)(\?|$)")

CLICK_GRACE_S = 10.0  # a map click that has started no rerun by then is repeated once (see select_region)


# --------------------------------------------------------------------------------------------------
# The server's memory and CPU, from /proc
# --------------------------------------------------------------------------------------------------

def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (Linux /proc)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*"):
            with contextlib.suppress(OSError):  # the task ended meanwhile
                todo.extend(int(c) for c in (task / "children").read_text().split())
    return out


def browser_pids(server_pid: int) -> list[int]:
    """This benchmark's own descendants but the server's tree: the Playwright driver and Chromium."""
    skip = {os.getpid(), *process_tree(server_pid)}
    return [p for p in process_tree(os.getpid()) if p not in skip]


def rss_mb(pid: int | list[int]) -> float:
    """Resident memory of ``pid`` and its descendants (or of the listed pids), MB (VmRSS; shared pages
    counted per process)."""
    total = 0
    for p in process_tree(pid) if isinstance(pid, int) else pid:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def cpu_seconds(pid: int | list[int]) -> float:
    """User + system CPU time of ``pid`` and its living descendants (or of the listed pids), with what
    their children that ended had used (each ended process counts once, at the parent that reaped it)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in process_tree(pid) if isinstance(pid, int) else pid:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    return total / tick


class MemorySampler(threading.Thread):
    """Samples the server's RSS every ``SAMPLE_S`` seconds in the background, labelled by phase (and the
    browsers' RSS, in ``browser_peak``, for the machine's picture)."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.phase = "idle"
        self.samples: list[tuple[float, str, float]] = []
        self.browser_peak = 0.0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            self.samples.append((time.monotonic(), self.phase, rss_mb(self.pid)))
            if self.phase == "load":
                self.browser_peak = max(self.browser_peak, rss_mb(browser_pids(self.pid)))
            self._done.wait(SAMPLE_S)

    def stop(self) -> None:
        self._done.set()
        self.join()

    def of(self, phase: str) -> list[float]:
        return [mb for _, ph, mb in self.samples if ph == phase]


# --------------------------------------------------------------------------------------------------
# What a session records
# --------------------------------------------------------------------------------------------------

@dataclass
class Action:
    session: int
    kind: str
    ok: bool
    latency_s: float  # interaction -> result visible
    rerun_s: float | None  # the script run: its new_session → script_finished messages, as received
    note: str = ""


@dataclass
class Problem:
    session: int
    kind: str
    text: str


@dataclass
class LoadResult:
    sessions: int
    seconds: float
    actions: list[Action] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored: dict[str, int] = field(default_factory=dict)  # benign browser messages, counted
    wall_s: float = 0.0
    ramp_s: float = 0.0
    load_average: tuple[float, float] = (0.0, 0.0)  # the machine's, at the start and end of the load
    nice: int = 0  # the browsers' CPU priority below the server's
    chromium: str = ""

    def failed(self) -> list[Action]:
        return [a for a in self.actions if not a.ok]


class ActionFailed(Exception):
    """An action that could not complete (its result never became visible in time)."""


class Skip(Exception):
    """The drawn action does not apply to this view (no other option, no clickable region): none is
    recorded and the session draws another. A limit of the driver, not a fault of the app."""


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


class Session:
    """One official in one browser context: a seeded sequence of map-explorer actions."""

    def __init__(self, index: int, context, base_url: str, rng: random.Random, result: LoadResult,
                 timeout_s: float):
        self.i = index
        self.ctx = context
        self.base = base_url
        self.rng = rng
        self.result = result
        self.timeout_ms = timeout_s * 1000
        self.page = None
        self.closing = False
        self.exceptions_seen: set[str] = set()
        self.on_other_page = False
        self.runs_started = 0  # new_session messages received
        self.run_began = 0.0
        self.finished_run = 0  # number (runs_started at the time) of the last run that finished well
        self.last_run_s: float | None = None
        self.keys_before: list[str] = []  # the map components' keys before the action
        self.note = ""  # what the last action's result looked like, when worth saying (e.g. "same map")

    # --- recording ------------------------------------------------------------------------------
    def problem(self, kind: str, text: str) -> None:
        self.result.problems.append(Problem(self.i, kind, text.strip()[:500]))

    def ignore(self, what: str) -> None:
        self.result.ignored[what] = self.result.ignored.get(what, 0) + 1

    async def _guard(self, route) -> None:
        url = route.request.url
        host = urlparse(url).hostname or ""
        if host in LOCAL_HOSTS or url.startswith(("data:", "blob:", "about:")):
            await route.continue_()
        else:
            self.problem("external request", url)
            await route.abort()

    def _console(self, msg) -> None:
        if msg.type != "error":
            return
        where = (msg.location or {}).get("url", "")
        if "404" in msg.text and PROBE_404.search(where):
            self.ignore("404 of Streamlit's path-prefixed health/host-config probe")
        else:
            self.problem("console error", f"{msg.text} ({where})")

    def _response(self, response) -> None:
        if response.status >= 500:
            self.problem("HTTP ≥ 500", f"{response.status} {response.url}")

    def _request_failed(self, request) -> None:
        failure = request.failure or ""
        host = urlparse(request.url).hostname or ""
        if host in LOCAL_HOSTS and "ERR_ABORTED" not in failure and not self.closing:
            self.problem("request failed", f"{failure} {request.url}")

    def _websocket(self, ws) -> None:
        if "_stcore/stream" not in ws.url:
            return
        ws.on("framereceived", self._frame)
        ws.on("close", lambda _ws: None if self.closing else self.problem("websocket closed", ws.url))
        ws.on("socketerror", lambda err: self.problem("websocket error", str(err)))

    def _frame(self, payload: str | bytes) -> None:
        if isinstance(payload, str) or len(payload) > SMALL_FRAME:
            return
        msg = ForwardMsg()
        try:
            msg.ParseFromString(payload)
        except Exception:  # not a ForwardMsg: nothing to count
            return
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.runs_started += 1
            self.run_began = time.monotonic()
        elif kind == "script_finished":
            if msg.script_finished in FINISHED_OK:
                self.finished_run = self.runs_started
                self.last_run_s = time.monotonic() - self.run_began
            elif msg.script_finished == ForwardMsg.ScriptFinishedStatus.FINISHED_WITH_COMPILE_ERROR:
                self.problem("script compile error", f"run {self.runs_started}")

    async def start(self) -> None:
        await self.ctx.route("**/*", self._guard)
        await self.ctx.add_init_script(OBSERVER_JS)
        self.page = await self.ctx.new_page()
        self.page.on("pageerror", lambda e: self.problem("pageerror", str(e)))
        self.page.on("console", self._console)
        self.page.on("response", self._response)
        self.page.on("requestfailed", self._request_failed)
        self.page.on("websocket", self._websocket)

    async def check_page(self) -> None:
        """Streamlit exceptions on the page and connection losses so far (each reported once)."""
        for text in await self.page.locator('[data-testid="stException"]').all_inner_texts():
            if text not in self.exceptions_seen:
                self.exceptions_seen.add(text)
                self.problem("stException", text)
        lost = await self.page.evaluate("() => window.__sdLoad ? window.__sdLoad.lost.splice(0) : []")
        for state in lost:
            self.problem("connection lost", f"connection state became {state}")

    # --- waiting --------------------------------------------------------------------------------
    async def wait_rerun(self, before: int, deadline: float) -> float | None:
        """Until a run that began after run number ``before`` has finished; how long it ran (from its
        ``new_session`` to its ``script_finished`` message, as received: about the server's time)."""
        while self.finished_run <= before:
            self._left(deadline)
            await asyncio.sleep(0.02)
        ran = self.last_run_s
        # and the browser has rendered that run (its elements are in the page, stale ones gone)
        await self.page.wait_for_function(SETTLED_JS, timeout=self._left(deadline), polling=50)
        return ran

    def _left(self, deadline: float) -> float:
        left = (deadline - time.monotonic()) * 1000
        if left <= 0:
            raise ActionFailed("timed out")
        return left

    async def map_keys(self) -> list[str]:
        return await self.page.evaluate(MAP_KEYS_JS)

    def map_frames(self) -> list:
        return [f for f in self.page.frames if "st_folium" in f.url or "streamlit_folium" in f.url]

    async def mark_maps(self) -> None:
        for fr in self.map_frames():
            with contextlib.suppress(Exception):  # a frame going away
                await fr.evaluate(MARK_JS)

    async def wait_new_map(self, deadline: float):
        """The map frame whose (new) choropleth layer has drawn its polygons."""
        while True:
            for fr in self.map_frames():
                try:
                    if await fr.evaluate(NEW_LAYER_JS):
                        return fr
                except Exception:  # the frame may be loading or replaced between polls
                    pass
            if time.monotonic() > deadline:
                raise ActionFailed("the new map never drew its polygons")
            await asyncio.sleep(0.05)

    async def current_map(self, deadline: float):
        while True:
            for fr in self.map_frames():
                try:
                    if await fr.evaluate("() => window.sdLayer ? window.sdLayer.getLayers().length : 0"):
                        return fr
                except Exception:
                    pass
            if time.monotonic() > deadline:
                raise ActionFailed("no map drawn")
            await asyncio.sleep(0.05)

    async def state(self) -> dict[str, str]:
        return query_of(await self.page.evaluate("() => location.href"))

    # --- one measured action ----------------------------------------------------------------------
    async def measure(self, kind: str, prepare, trigger, visible) -> Action | None:
        """``prepare()`` (not timed: open a list, find a point) returns what ``trigger(arg)`` needs;
        the time runs from ``trigger`` until the rerun has finished and ``visible(arg, deadline)``.
        None when the action does not apply here (:class:`Skip`)."""
        deadline = time.monotonic() + self.timeout_ms / 1000
        rerun = None
        t0 = time.monotonic()
        try:
            try:
                arg = await prepare()
            except Skip:
                return None
            await self.mark_maps()
            self.keys_before = await self.map_keys()
            self.note = ""
            before = self.runs_started
            t0 = time.monotonic()
            restarted = await trigger(arg)  # a trigger that had to act twice says when the second began
            if restarted is not None:
                t0 = restarted
            rerun = await self.wait_rerun(before, deadline)
            await visible(arg, deadline)
            action = Action(self.i, kind, True, time.monotonic() - t0, rerun, self.note)
        except Exception as e:  # a timeout, a missing element, a closed page: the action failed
            text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            action = Action(self.i, kind, False, time.monotonic() - t0, rerun, text[:300])
            self.problem("action failed", f"{kind}: {text[:300]}")
        self.result.actions.append(action)
        try:
            await self.check_page()
        except Exception as e:
            self.problem("page check failed", str(e).splitlines()[0] if str(e) else type(e).__name__)
        return action

    async def _none(self):
        return None

    async def _map_drawn(self, _arg, deadline: float) -> None:
        """A new map has drawn (after loading a page or coming back to the map explorer)."""
        await self.wait_new_map(deadline)

    async def _map_updated(self, _arg, deadline: float) -> None:
        """The map of the new view has drawn, or the view's map is exactly the one already shown."""
        keys = await self.map_keys()
        if keys and keys == self.keys_before:
            self.note = "same map"
            return
        await self.wait_new_map(deadline)

    # --- actions ----------------------------------------------------------------------------------
    async def open(self, path: str = "/peta") -> Action | None:
        async def trigger(_):
            # "commit": the page's own load event (every script and frame) is not what the user waits for
            await self.page.goto(self.base + path, timeout=self.timeout_ms, wait_until="commit")
        return await self.measure("open", self._none, trigger, self._map_drawn)

    async def pick_option(self, kind: str, label: str) -> Action | None:
        """Open the combobox ``label`` and choose another of its options at random."""
        box = self.page.get_by_role("combobox", name=label, exact=True)

        async def prepare():
            current = await box.input_value()
            options = self.page.get_by_role("option")
            for _attempt in range(5):  # a click landing while the widget re-renders may not open it
                await box.click()
                try:
                    await options.first.wait_for(timeout=3000)
                    break
                except Exception:
                    await self.page.keyboard.press("Escape")
            else:
                raise ActionFailed(f"the list of {label!r} never opened")
            texts = [x for x in await options.all_inner_texts() if x.strip() != current.strip()]
            if not texts:
                await self.page.keyboard.press("Escape")
                raise Skip(label)
            return self.rng.choice(texts)

        async def trigger(text):
            await self.page.get_by_role("option", name=text, exact=True).click()

        return await self.measure(kind, prepare, trigger, self._map_updated)

    async def select_region(self, current: str) -> Action | None:
        """Click a region (not the selected one) on the map; its profile panel appears.

        A click that starts no rerun within :data:`CLICK_GRACE_S` is made once more at a freshly
        computed point (the page may have moved under the pointer while it loaded) and the time runs
        from the second click; the action's note says so, and whether the map itself saw the first
        click, so a click the app ignored is not hidden."""
        async def pick():
            frame = await self.current_map(time.monotonic() + self.timeout_ms / 1000)
            element = await frame.frame_element()
            await element.scroll_into_view_if_needed()
            box = await element.bounding_box()
            top, bottom = max(0.0, -box["y"]), min(box["height"], VIEWPORT["height"] - box["y"])
            n = await frame.evaluate("() => window.sdLayer.getLayers().length")
            for idx in self.rng.sample(range(n), min(n, 8)):
                hit = await frame.evaluate(PICK_JS, [idx, top, bottom])
                if not hit or hit[0] == current:
                    continue
                for x, y in hit[1]:
                    if await self.page.evaluate(ON_MAP_JS, [box["x"] + x, box["y"] + y]):
                        return frame, hit[0], box["x"] + x, box["y"] + y
            raise Skip("no clickable region found on the map")

        state = {}

        async def trigger(arg):
            before = self.runs_started
            await self.page.mouse.click(arg[2], arg[3])
            grace = time.monotonic() + CLICK_GRACE_S
            while self.runs_started == before and time.monotonic() < grace:
                await asyncio.sleep(0.05)
            if self.runs_started != before:
                return None
            seen = await arg[0].evaluate("() => window.sdSelected ? window.sdSelected() : ''") == arg[1]
            again = await pick()
            state["arg"] = again
            self.note = f"clicked again (the map {'saw' if seen else 'did not see'} the first click)"
            t0 = time.monotonic()
            await self.page.mouse.click(again[2], again[3])
            return t0

        async def visible(arg, deadline):
            frame, kode = state.get("arg", arg)[:2]
            while await frame.evaluate("() => window.sdSelected ? window.sdSelected() : ''") != kode:
                self._left(deadline)
                await asyncio.sleep(0.05)
            link = self.page.get_by_role("link", name=t("pt_full_profile"), exact=True)
            await link.wait_for(timeout=self._left(deadline))

        return await self.measure("select", pick, trigger, visible)

    async def click(self, kind: str, locator, visible) -> Action | None:
        async def trigger(_):
            await locator.click(timeout=self.timeout_ms)
        return await self.measure(kind, self._none, trigger, visible)

    async def heading(self, text: str, deadline: float) -> None:
        await self.page.get_by_role("heading", level=1, name=text, exact=True).wait_for(timeout=self._left(deadline))

    async def step(self) -> Action | None:
        """One action, drawn from those that make sense in the current view."""
        page = self.page
        nav = page.locator('[data-testid="stSidebarNav"]')
        if self.on_other_page:
            self.on_other_page = False
            return await self.click("back_to_peta", nav.get_by_role("link", name=t("nav_peta"), exact=True),
                                    self._map_drawn)
        s = await self.state()
        pilih, wilayah, tingkat = s.get("pilih", ""), s.get("wilayah", ""), int(s.get("tingkat", "1") or 1)
        choices: list[tuple[str, float]] = [("indicator", 3), ("theme", 1), ("year", 3), ("select", 4),
                                            ("page", 1)]
        if len(levels_below(wilayah)) > 1:
            choices.append(("level", 1))
        if pilih and tingkat < 4:
            choices.append(("drill", 4))
        if wilayah:
            choices.append(("up", 2))
        kinds, weights = zip(*choices, strict=True)
        kind = self.rng.choices(kinds, weights)[0]
        if kind == "indicator":
            return await self.pick_option("indicator", t("indicator"))
        if kind == "theme":
            return await self.pick_option("theme", t("theme"))
        if kind == "year":
            return await self.pick_option("year", t("year"))
        if kind == "level":
            return await self.pick_option("level", t("map_level"))
        if kind == "select":
            return await self.select_region(pilih)
        if kind == "drill":
            drill = page.get_by_role("button", name=re.compile("^" + re.escape(t("pt_drill").split("{")[0])))
            return await self.click("drill", drill, self._map_updated)
        if kind == "up":
            crumbs = page.locator(".st-key-peta_crumbs button:not([disabled])")
            n = await crumbs.count()
            return await self.click("up", crumbs.nth(self.rng.randrange(n)) if n else crumbs, self._map_updated)
        self.on_other_page = True
        if pilih and self.rng.random() < 0.5:
            return await self.click("page_profil", page.get_by_role("link", name=t("pt_full_profile"), exact=True),
                                    lambda _a, d: self.heading(t("nav_profil"), d))

        async def ketahanan(_a, deadline):
            await self.heading(t("nav_ketahanan"), deadline)
            await self.wait_new_map(deadline)

        return await self.click("page_ketahanan", nav.get_by_role("link", name=t("nav_ketahanan"), exact=True),
                                ketahanan)

    async def run(self, until: float, delay_s: float, min_actions: int = 0) -> None:
        """Act until ``until`` (monotonic seconds) and at least ``min_actions`` actions (the open included)."""
        await asyncio.sleep(delay_s)
        await self.start()
        healthy = (await self.open()).ok
        done = 1
        while time.monotonic() < until or done < min_actions:
            if not healthy and not await self.recover():
                # the page never became usable: start again from a fresh view of the map explorer
                self.on_other_page = False
                healthy = (await self.open()).ok
                done += 1
                if not healthy and not await self.recover():
                    break
                continue
            action = await self.step()
            healthy = action is None or action.ok
            done += action is not None

    async def recover(self) -> bool:
        """After a failed action (recorded already): wait once more, as a user would, for the page to
        settle with a map drawn, instead of reloading it (a reload under load only adds load). True
        when it did; the next action then starts from there."""
        deadline = time.monotonic() + self.timeout_ms / 1000
        try:
            await self.page.wait_for_function(SETTLED_JS, timeout=self._left(deadline), polling=200)
            await self.current_map(deadline)
            peta = self.page.get_by_role("heading", level=1, name=t("pt_title"), exact=True)
            self.on_other_page = await peta.count() == 0
            return True
        except Exception:  # still not usable
            return False

    async def close(self) -> None:
        self.closing = True
        await self.ctx.close()


# --------------------------------------------------------------------------------------------------
# Driving sessions
# --------------------------------------------------------------------------------------------------

async def drive(browser, base_url: str, sessions: int, seconds: float, seed: int = 1, timeout_s: float = 60.0,
                ramp_s: float = 0.0, result: LoadResult | None = None, min_actions: int = 0) -> LoadResult:
    """``sessions`` concurrent contexts of ``browser`` doing seeded Peta actions (and each at least
    ``min_actions``, so a short test covers the same ground on a slow machine); the contexts are closed
    before returning. Session ``i`` opens the app ``i * ramp_s / sessions`` seconds in (officials
    arrive over ``ramp_s``), and all act until ``ramp_s + seconds``: the last ``seconds`` with all
    sessions on."""
    result = result or LoadResult(sessions, seconds)
    result.chromium = browser.version
    result.ramp_s = ramp_s
    t0 = time.monotonic()
    until = t0 + ramp_s + seconds
    runners = []
    for i in range(sessions):
        ctx = await browser.new_context(**CONTEXT)
        runners.append(Session(i, ctx, base_url, random.Random(f"{seed}-{i}"), result, timeout_s))
    await asyncio.gather(*(s.run(until, i * ramp_s / sessions, min_actions) for i, s in enumerate(runners)))
    result.wall_s = time.monotonic() - t0
    for s in runners:
        await s.close()
    return result


async def launch(playwright, nice: int = 0, workdir: Path | None = None):
    """Chromium with the tests' flags, at ``nice`` below the server's CPU priority and never above it.

    The browsers stand in for officials' own machines, so on a shared machine the server should not
    wait behind them. Run as root, Chromium raises its own display and compositor threads to nice -8
    (it holds CAP_SYS_NICE), ahead of the server; a small wrapper written to ``workdir`` starts it
    without that capability (``setpriv``) and at nice ``nice``, with every process it starts."""
    prefix = []
    if os.geteuid() == 0 and shutil.which("setpriv"):
        prefix += ["setpriv", "--bounding-set", "-sys_nice", "--inh-caps", "-sys_nice", "--"]
    if nice > 0:
        prefix += ["nice", "-n", str(int(nice))]
    executable = CHROMIUM
    if prefix:
        if workdir is None:
            raise ValueError("launch(): a workdir is needed for the Chromium wrapper")
        wrapper = workdir / "chromium-wrapper"
        wrapper.write_text(f'#!/bin/sh\nexec {" ".join(prefix)} {CHROMIUM} "$@"\n', encoding="utf-8")
        wrapper.chmod(0o755)
        executable = str(wrapper)
    return await playwright.chromium.launch(executable_path=executable, headless=True, args=LAUNCH_ARGS)


async def first_view(browser, base_url: str, result: LoadResult, timeout_s: float = 60.0) -> list[Action]:
    """One visitor opens the app's address, then the map explorer, and leaves. Problems go to
    ``result``; the two actions are returned, not added to it.

    Opening the root first matters on a fresh server: until the entry script has run once, Streamlit
    1.67 serves a deep link such as ``/peta`` straight from ``pages/peta.py`` (the old ``pages/``
    folder navigation, without app.py's sidebar), so sessions that all started with ``/peta`` would
    not be using the app as configured."""
    visitor = Session(-1, await browser.new_context(**CONTEXT), base_url, random.Random(0), result,
                      timeout_s)
    await visitor.start()
    opened = [await visitor.open(path) for path in ("/", "/peta")]
    await visitor.close()
    del result.actions[-len(opened):]
    return opened


async def run_sessions(base_url: str, sessions: int, seconds: float, seed: int = 1, timeout_s: float = 60.0,
                       min_actions: int = 0) -> LoadResult:
    """Launch Chromium, make the :func:`first_view` and :func:`drive` the sessions against a running
    server (used by the browser test)."""
    from playwright.async_api import async_playwright

    with tempfile.TemporaryDirectory(prefix="sinergi-load-") as work:
        async with async_playwright() as p:
            return await _run_sessions(p, Path(work), base_url, sessions, seconds, seed, timeout_s, min_actions)


async def _run_sessions(p, work: Path, base_url: str, sessions: int, seconds: float, seed: int, timeout_s: float,
                        min_actions: int) -> LoadResult:
    browser = await launch(p, workdir=work)
    try:
        result = LoadResult(sessions, seconds)
        for action in await first_view(browser, base_url, result, timeout_s):
            if not action.ok:
                result.actions.append(action)
        return await drive(browser, base_url, sessions, seconds, seed, timeout_s, result=result,
                           min_actions=min_actions)
    finally:
        await browser.close()


# --------------------------------------------------------------------------------------------------
# The benchmark
# --------------------------------------------------------------------------------------------------

def prepare_data_dir(db_file: Path | None, tmp: Path) -> tuple[Path, Path]:
    """A data dir for the server with ``db_file`` linked in (and named in ``active``), or a freshly
    built demo; returns (dir, database file)."""
    d = tmp / "data"
    d.mkdir()
    if db_file is None:
        out = d / "demo.duckdb"
        built = subprocess.run([sys.executable, "-m", "sinergi", "build-demo", "--out", str(out)], cwd=ROOT,
                               capture_output=True, text=True)
        if built.returncode:
            raise RuntimeError(f"build-demo failed: {built.stderr[-2000:]}")
        return d, out
    db_file = db_file.resolve()
    name = db_file.stem if re.fullmatch(r"[a-z][a-z0-9_]*", db_file.stem) else "bench"
    (d / f"{name}.duckdb").symlink_to(db_file)  # opened read-only by the app; never written
    if name != "demo":
        (d / "active").write_text(name, encoding="utf-8")
    return d, db_file


def describe_dataset(path: Path) -> str:
    from sinergi import db

    con = db.connect(path)
    try:
        n = dict(con.execute("select level, count(*) from regions group by level").fetchall())
        years = con.execute("select min(tahun), max(tahun), count(distinct indikator) from nilai").fetchone()
    finally:
        con.close()
    levels = " / ".join(f"{n.get(lv, 0):,}" for lv in (1, 2, 3, 4))
    return (f"`{path.name}`: {levels} provinsi / kabupaten-kota / kecamatan / desa, {years[2]} indicators, "
            f"{years[0]}–{years[1]}")


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except OSError:
        mem_kb = 0
    from importlib.metadata import version

    import duckdb
    import streamlit

    return (f"{model or platform.processor()}, {os.cpu_count()} cores, {mem_kb / 1024 / 1024:.1f} GB RAM, "
            f"{platform.system()} {platform.release()}; Python {platform.python_version()}, "
            f"Streamlit {streamlit.__version__}, DuckDB {duckdb.__version__}, Playwright {version('playwright')}")


def stats_ms(values: list[float]) -> tuple[str, str, str]:
    if not values:
        return "–", "–", "–"
    a = np.asarray(values) * 1000
    return f"{np.percentile(a, 50):,.0f}", f"{np.percentile(a, 95):,.0f}", f"{a.max():,.0f}"


def action_table(result: LoadResult) -> str:
    rows = ["| action | count | failed | latency p50 ms | p95 ms | max ms | rerun p50 ms | p95 ms | max ms |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    kinds = sorted({a.kind for a in result.actions}, key=lambda k: (k != "open", k))
    for kind in [*kinds, "all"]:
        acts = [a for a in result.actions if kind in ("all", a.kind)]
        ok = [a for a in acts if a.ok]
        lat = stats_ms([a.latency_s for a in ok])
        run = stats_ms([a.rerun_s for a in ok if a.rerun_s is not None])
        name = f"**{kind}**" if kind == "all" else kind
        rows.append(f"| {name} | {len(acts)} | {len(acts) - len(ok)} | {' | '.join(lat)} | {' | '.join(run)} |")
    return "\n".join(rows)


def summary(result: LoadResult, memory: dict[str, float], cpu: dict[str, float], dataset: str) -> str:
    per_session = [sum(1 for a in result.actions if a.session == i) for i in range(result.sessions)]
    lines = [
        (f"### Load: {result.sessions} browser sessions on /peta, opening over {result.ramp_s:g} s, then "
         f"{result.seconds:g} s all together"),
        "",
        f"- Dataset: {dataset}",
        (f"- Machine: {machine()}; Chromium {result.chromium} on the same machine"
         + (f", at nice {result.nice} (below the server)" if result.nice else "") + " (its CPU use weighs in)"),
        (f"- Machine load average (1 min): {result.load_average[0]:.1f} when the load began, "
         f"{result.load_average[1]:.1f} at its end"),
        (f"- Actions: {len(result.actions)} in {result.wall_s:.0f} s "
         f"({len(result.actions) / max(result.wall_s, 1e-9):.1f}/s), "
         f"per session {min(per_session)}–{max(per_session)}"),
        ("- latency = interaction → result visible (map polygons drawn, selection outlined, heading shown); "
         "rerun = the script run, from its `new_session` to its `script_finished` message as the browser "
         "received them (≈ server time)"),
        "",
        action_table(result),
        "",
        "| memory (RSS; server = the Streamlit process and its children) | MB |",
        "|---|---:|",
    ]
    lines += [f"| {k} | {v:,.0f} |" for k, v in memory.items()]
    lines += ["", "| CPU time | seconds |", "|---|---:|"]
    lines += [f"| {k} | {v:,.1f} |" for k, v in cpu.items()]
    again = [a for a in result.actions if a.note.startswith("clicked again")]
    if again:
        lines += ["", f"({len(again)} map clicks started no rerun within {CLICK_GRACE_S:g} s and were made again: "
                  + "; ".join(sorted({a.note for a in again})) + ".)"]
    same = sum(1 for a in result.actions if a.note == "same map")
    if same:
        lines += ["", f"({same} actions led to exactly the map already shown, which is not drawn again.)"]
    lines += ["", f"**Errors: {len(result.problems)}**" + ("" if result.problems else " (none)")]
    for p in result.problems:
        lines.append(f"- session {p.session}, {p.kind}: {p.text}")
    for what, n in result.ignored.items():
        lines.append(f"- not counted: {n} × {what}")
    return "\n".join(lines)


async def bench(args, server: Server, sampler: MemorySampler) -> tuple[LoadResult, dict, dict]:
    from playwright.async_api import async_playwright

    memory: dict[str, float] = {}
    cpu: dict[str, float] = {}
    pid = server.proc.pid
    await asyncio.sleep(2)
    memory["server: idle after start"] = rss_mb(pid)
    cpu["server: start-up"] = cpu_seconds(pid)
    result = LoadResult(args.sessions, args.seconds, nice=args.nice)
    async with async_playwright() as p:
        browser = await launch(p, args.nice, Path(args.workdir))
        try:
            sampler.phase = "first view"
            for path, a in zip(("/", "/peta"), await first_view(browser, server.url, result, args.timeout),
                               strict=True):
                print(f"first view {path}: {a.latency_s:.2f} s{'' if a.ok else ' FAILED ' + a.note}", flush=True)
            memory["server: after the first view (Beranda, Peta)"] = rss_mb(pid)
            c0 = cpu_seconds(pid)
            cpu["server: first view"] = c0 - cpu["server: start-up"]
            b0 = cpu_seconds(browser_pids(pid))
            sampler.phase = "load"
            load_avg = os.getloadavg()[0]
            print(f"load: {args.sessions} sessions, {args.ramp:g} s ramp + {args.seconds:g} s …", flush=True)
            await drive(browser, server.url, args.sessions, args.seconds, args.seed, args.timeout,
                        ramp_s=args.ramp, result=result)
            load = sampler.of("load")
            memory["server: under load, peak (0.5 s samples)"] = max(load) if load else float("nan")
            memory["server: under load, end"] = load[-1] if load else float("nan")
            wall = f"{result.wall_s:.0f} s wall × {os.cpu_count()} cores"
            cpu[f"server: under load ({wall})"] = cpu_seconds(pid) - c0
            cpu[f"browsers: under load (Chromium + Playwright driver, {wall})"] = cpu_seconds(browser_pids(pid)) - b0
            result.load_average = (load_avg, os.getloadavg()[0])
        finally:
            await browser.close()
    sampler.phase = "closed"
    await asyncio.sleep(args.after_close)
    memory[f"server: {args.after_close:g} s after the sessions closed"] = rss_mb(pid)
    memory["browsers: under load, peak (not the server; the machine's picture)"] = sampler.browser_peak
    return result, memory, cpu


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, help="database file (read-only; default: build the demo into a temp dir)")
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--ramp", type=float, default=60.0,
                    help="seconds over which the sessions open the app (then --seconds with all of them)")
    ap.add_argument("--timeout", type=float, default=90.0, help="seconds before an action counts as failed")
    ap.add_argument("--nice", type=int, default=10,
                    help="CPU priority of the browsers below the server's (nice value; 0 = same)")
    ap.add_argument("--after-close", type=float, default=10.0, help="seconds to wait before the last memory sample")
    ap.add_argument("--json", type=Path, help="also write every action, problem and number here")
    args = ap.parse_args()
    if not os.path.exists(CHROMIUM):
        print(f"{CHROMIUM} is missing (apt-get install chromium)", file=sys.stderr)
        return 2
    if args.db is not None and not args.db.exists():
        print(f"{args.db} does not exist", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="sinergi-load-"))
    try:
        args.workdir = str(tmp)
        data_dir, db_file = prepare_data_dir(args.db, tmp)
        dataset = describe_dataset(db_file)
        server = Server(data_dir)
        sampler = MemorySampler(server.proc.pid)
        sampler.start()
        try:
            result, memory, cpu = asyncio.run(bench(args, server, sampler))
        finally:
            try:
                sampler.stop()
            finally:
                server.stop()
        print()
        print(summary(result, memory, cpu, dataset))
        if args.json:
            args.json.write_text(json.dumps({
                "dataset": dataset, "machine": machine(), "memory_mb": memory, "cpu_s": cpu,
                "samples": [{"t": t_, "phase": ph, "rss_mb": mb} for t_, ph, mb in sampler.samples],
                **asdict(result)}, indent=1, ensure_ascii=False), encoding="utf-8")
        return 1 if result.problems else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())

"""Protocol-level load: hundreds of sessions speaking Streamlit's websocket protocol, no browsers.

    .venv/bin/python bench/ws_load.py [--db FILE] [--replicas 1] [--direct] [--sessions 50] [--ramp 30]
                                      [--seconds 120] [--think 5 15] [--seed 1] [--json OUT]
    .venv/bin/python bench/ws_load.py --url http://127.0.0.1:8500 --db FILE ...   (a deployment already running)
    faults: [--kill-at S [--kill r1] [--restart-after S]] [--publish-at S]
            [--data-tmpfs MB --import-at S --import-file CSV]

Without ``--url`` it starts what it measures (``sinergi.cluster.Cluster``): ``--replicas`` app processes on
free loopback ports sharing a temporary data folder that holds ``--db`` (linked, never written; without
``--db`` the demo is built there), and HAProxy in front of them (``--direct``: one replica, no balancer).

Each session is what a browser tab does, at the protocol level: it loads the page (``GET /``, which also
gives it the balancer's replica cookie), opens the ``/_stcore/stream`` websocket and sends a
``BackMsg.rerun_script`` with the page and its query string, then reads ``ForwardMsg`` frames until the
run's ``script_finished``. It keeps the URL's query string as the app rewrites it (``page_info_changed``),
claims the large elements it has received as cached (``cached_message_hashes``, as the browser does, so
the server sends references instead of repeating them) and then, after a think time drawn from
``--think``, does one of: change a widget (a select box or radio button of the page: its new value as a
``WidgetState``, as the browser sends it), drill into a child region on the map explorer or climb back up
(``wilayah``/``tingkat`` in the query string, as the breadcrumb and "Masuk ke …" links do), open a
region's profile (``/profil?kode=…``) or change page (the navigation's page hash). Sessions start spread
over ``--ramp`` seconds and stop at ``--seconds``.

A session whose websocket closes reconnects through the same address as the browser does (the balancer
sends it to a live replica, which makes a new session) and runs its page again from its URL: the action
that was running counts as failed, the time from the loss to the first finished run is its recovery.

Per action: latency from sending the message to the run's ``script_finished`` (the whole page's
elements received), p50/p95/p99/max. Errors: exceptions shown by the app (``st.exception`` elements),
error alerts, runs that end in a compile error, actions without an answer within ``--timeout``, lost
connections, failed page loads. Server: every replica's RSS (sampled each second) and CPU time, the
balancer's CPU, this client's CPU, the machine's load average. The output is Markdown.

Faults: ``--kill-at`` SIGKILLs a replica (default ``r1``) mid-run (``--restart-after`` starts it again);
``--publish-at`` publishes a second build of the dataset (a copy of ``--db`` whose ``dataset.nama`` ends
in "(terbitan 2)") by an atomic rename over the served file, then checks that every run sent after it
shows the new build on every replica, that no session goes back to the old one, and that no run mixes
the two (the dataset line and Beranda's counts of one run belong to one build); ``--data-tmpfs`` puts the
data folder on a tmpfs of that many MB (root) and ``--import-at`` starts ``python -m sinergi import
indicators CSV`` there and fills the disk while it runs.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402
import websockets  # noqa: E402
import load_bench  # noqa: E402
from load_bench import cpu_seconds, describe_dataset, prepare_data_dir, rss_mb  # noqa: E402
from streamlit.proto.Alert_pb2 import Alert  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402

from sinergi.cluster import COOKIE, Cluster, free_port  # noqa: E402

FINISHED = ForwardMsg.ScriptFinishedStatus
BANNER = re.compile(r"^\*\*(?:Dataset aktif|Active dataset):\*\* (.*?) \(`")
# Pages a session opens first, and changes to, with their weights (url path → weight).
START_PAGES = {"peta": 5, "": 3, "ketahanan": 2}
NAV_PAGES = {"peta": 4, "": 2, "ketahanan": 2, "sdm": 1, "profil": 1}
ACTIONS = {"widget": 40, "drill": 20, "up": 8, "profile": 12, "page": 20}
# Widgets a session leaves alone: the sidebar's language and presentation switches, the agenda form.
SKIP_KEYS = re.compile(r"^(_|FormSubmitter|sd_)")
CACHE_RUNS = 4  # claimed as cached: large elements received in the last runs (the browser keeps a few runs')


def log(msg: str) -> None:
    print(f"[ws_load {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------------
# The region tree, for drilling and profiles
# --------------------------------------------------------------------------------------------------

class Regions:
    def __init__(self, db_file: Path):
        from sinergi import db

        con = db.connect_snapshot(db_file)
        try:
            rows = con.execute("select kode, level from regions order by kode").fetchall()
        finally:
            con.close()
        self.children: dict[str, list[str]] = defaultdict(list)
        self.level: dict[str, int] = {}
        for kode, level in rows:
            self.level[kode] = int(level)
            self.children[kode.rsplit(".", 1)[0] if "." in kode else ""].append(kode)
        self.villages = [k for k, lv in self.level.items() if lv == 4]


# --------------------------------------------------------------------------------------------------
# One run of the app's script over the protocol
# --------------------------------------------------------------------------------------------------

def _code(e: websockets.ConnectionClosed) -> int:
    """The close code received (1006: the connection dropped without one)."""
    return e.rcvd.code if e.rcvd is not None else 1006


class ConnectionLost(Exception):
    """The websocket closed, or the run did not finish in time (the session then connects again)."""


@dataclass
class Run:
    ok: bool
    seconds: float
    errors: list[tuple[str, str]] = field(default_factory=list)
    banner: str = ""
    metrics: tuple = ()


@dataclass
class Widget:
    id: str
    kind: str  # selectbox, radio
    options: list[str]
    key: str


@dataclass
class Action:
    session: int
    kind: str
    ok: bool
    latency_s: float
    started: float  # since the load began
    replica: str
    note: str = ""
    cpu_s: float | None = None  # the replica's CPU during the action, when it ran alone (--cpu-per-action)


@dataclass
class Problem(load_bench.Problem):
    at: float  # since the load began
    replica: str = ""


@dataclass
class Stats:
    actions: list[Action] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # session, s until the websocket was open again, s until the page had run there, from, to
    recoveries: list[tuple[int, float, float, str, str]] = field(default_factory=list)
    builds: list[tuple[float, str, str, int]] = field(default_factory=list)  # sent at, replica, banner, session
    mixed: list[str] = field(default_factory=list)
    metrics: dict = field(default_factory=dict)  # (dataset line, query) → Beranda's counts, as first seen
    connected: int = 0
    peak_connected: int = 0
    t0: float = 0.0
    # --cpu-per-action: the one replica's pid, and the actions in flight (an action that overlapped another
    # has no CPU of its own)
    cpu_pid: int | None = None
    in_flight: dict = field(default_factory=dict)

    def now(self) -> float:
        return time.monotonic() - self.t0


class Client:
    """One browser tab's conversation with the app: the page load, the websocket, the script runs."""

    def __init__(self, base: str, timeout: float, name: str = "direct"):
        self.base = base.rstrip("/")
        self.name = name  # the replica's name when there is no balancer cookie
        u = urlparse(self.base)
        self.host, self.port = u.hostname, u.port or 80
        self.timeout = timeout
        self.cookie = ""  # the balancer's replica cookie, as a browser keeps it
        self.ws = None
        self.pages: dict[str, str] = {}  # url path → page script hash (from the navigation message)
        self.page = ""  # url path of the current page
        self.query = ""
        self.widgets: dict[str, Widget] = {}
        self.cached: list[set[str]] = []  # hashes of cacheable elements, per recent run

    @property
    def replica(self) -> str:
        return self.cookie.split("=", 1)[1] if "=" in self.cookie else self.name

    def _take_cookie(self, headers) -> None:
        for value in headers:
            name, _, rest = value.partition("=")
            if name.strip() == COOKIE:
                self.cookie = f"{COOKIE}={rest.split(';', 1)[0]}"

    async def load_page(self) -> None:
        """``GET /`` as the browser's first request (the balancer sets its cookie on the answer)."""
        reader, writer = await asyncio.wait_for(asyncio.open_connection(self.host, self.port), self.timeout)
        try:
            req = (f"GET /{self.page} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nConnection: close\r\n"
                   + (f"Cookie: {self.cookie}\r\n" if self.cookie else "") + "\r\n")
            writer.write(req.encode())
            await writer.drain()
            data = await asyncio.wait_for(reader.read(), self.timeout)
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()
        head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        status = int(head[0].split()[1]) if head and len(head[0].split()) > 1 else 0
        if status != 200:
            raise ConnectionLost(f"GET / answered {status}")
        self._take_cookie([h.split(":", 1)[1].strip() for h in head[1:] if h.lower().startswith("set-cookie:")])

    async def connect(self, load: bool = True) -> None:
        """Open the websocket, after loading the page (``load``) as a new tab does; a reconnecting tab
        opens only the websocket."""
        if load:
            await self.load_page()
        ws_url = f"ws://{self.host}:{self.port}/_stcore/stream"
        headers = {"Cookie": self.cookie} if self.cookie else {}
        self.ws = await asyncio.wait_for(websockets.connect(
            ws_url, subprotocols=["streamlit"], additional_headers=headers, max_size=None,
            open_timeout=self.timeout, ping_interval=None, compression=None), self.timeout)
        self._take_cookie(self.ws.response.headers.get_all("Set-Cookie"))

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), 5)
            self.ws = None

    async def run(self, page: str | None = None, query: str | None = None,
                  widget: WidgetState | None = None, fresh: bool = False) -> Run:
        """Ask for a script run (``page``: url path, ``query``: query string; both default to the current
        ones; ``widget``: a changed widget) and read until it has finished."""
        if self.ws is None:
            raise ConnectionLost("not connected")
        page = self.page if page is None else page
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query if query is None else query
        if page in self.pages and not fresh:
            cs.page_script_hash = self.pages[page]
        else:
            cs.page_name = page
        if widget is not None:
            cs.widget_states.widgets.append(widget)
        cs.cached_message_hashes.extend(sorted(set().union(*self.cached)) if self.cached else [])
        t0 = time.monotonic()
        try:
            await self.ws.send(msg.SerializeToString())
        except websockets.ConnectionClosed as e:
            raise ConnectionLost(f"websocket closed ({_code(e)})") from None
        self.page, self.query = page, cs.query_string
        run = Run(False, 0.0)
        widgets: dict[str, Widget] = {}
        metrics: list[str] = []
        seen: set[str] = set()
        deadline = t0 + self.timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise ConnectionLost(f"timeout: no script_finished within {self.timeout:.0f} s")
            try:
                data = await asyncio.wait_for(self.ws.recv(), left)
            except asyncio.TimeoutError:
                continue
            except websockets.ConnectionClosed as e:
                raise ConnectionLost(f"websocket closed ({_code(e)})") from None
            fm = ForwardMsg()
            fm.ParseFromString(data)
            kind = fm.WhichOneof("type")
            if fm.metadata.cacheable and fm.hash:
                seen.add(fm.hash)
            if kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                el = fm.delta.new_element
                ek = el.WhichOneof("type")
                if ek == "exception":
                    run.errors.append(("exception", f"{el.exception.type}: {el.exception.message}"[:300]))
                elif ek == "alert" and el.alert.format == Alert.Format.ERROR:
                    run.errors.append(("error alert", el.alert.body[:300]))
                elif ek == "markdown":
                    m = BANNER.match(el.markdown.body)
                    if m:
                        run.banner = re.sub(r"\\(.)", r"\1", m.group(1))  # the name as written, not escaped
                elif ek == "metric":
                    metrics.append(f"{el.metric.label}={el.metric.body}")
                elif ek in ("selectbox", "radio"):
                    w = getattr(el, ek)
                    key = w.id.split("-", 2)[2] if w.id.count("-") >= 2 else w.id
                    if not w.disabled and not SKIP_KEYS.match(key) and len(w.options) > 1:
                        widgets[w.id] = Widget(w.id, ek, list(w.options), key)
            elif kind == "page_info_changed":
                self.query = fm.page_info_changed.query_string
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in fm.navigation.app_pages}
                current = [p for p, h in self.pages.items() if h == fm.navigation.page_script_hash]
                if current:
                    self.page = current[0]
            elif kind == "script_finished":
                status = fm.script_finished
                if status == FINISHED.FINISHED_WITH_COMPILE_ERROR:
                    run.errors.append(("compile error", "script compile error"))
                    break
                if status in (FINISHED.FINISHED_SUCCESSFULLY, FINISHED.FINISHED_FRAGMENT_RUN_SUCCESSFULLY):
                    run.ok = not run.errors
                    break
                # FINISHED_EARLY_FOR_RERUN: the app asked for another run (st.rerun, a page switch): wait
                metrics.clear()
        run.seconds = time.monotonic() - t0
        run.metrics = tuple(metrics)
        self.widgets = widgets
        self.cached = (self.cached + [seen])[-CACHE_RUNS:]
        return run


# --------------------------------------------------------------------------------------------------
# A session: an official clicking through the app
# --------------------------------------------------------------------------------------------------

class Session:
    def __init__(self, i: int, base: str, rng: random.Random, regions: Regions, stats: Stats, args):
        self.i, self.rng, self.regions, self.stats, self.args = i, rng, regions, stats, args
        self.client = Client(base, args.timeout, "r1" if args.direct else "direct")
        self.connected = False
        self.last_banner = ""
        self.old_banner_seen_after_new = 0

    def problem(self, kind: str, text: str, replica: str | None = None) -> None:
        self.stats.problems.append(Problem(self.i, kind, text[:300], self.stats.now(),
                                           self.client.replica if replica is None else replica))

    def _set_connected(self, on: bool) -> None:
        if on != self.connected:
            self.connected = on
            self.stats.connected += 1 if on else -1
            self.stats.peak_connected = max(self.stats.peak_connected, self.stats.connected)

    def _qs(self) -> dict[str, str]:
        return dict(parse_qsl(self.client.query, keep_blank_values=True))

    async def act(self, kind: str, **run_args) -> bool:
        started = self.stats.now()
        replica = self.client.replica
        token = object()
        if self.stats.cpu_pid is not None:
            for other in self.stats.in_flight:
                self.stats.in_flight[other] = None  # overlapped: neither has CPU of its own
            self.stats.in_flight[token] = None if self.stats.in_flight else cpu_seconds(self.stats.cpu_pid)
        try:
            run = await self.client.run(**run_args)
        except ConnectionLost as e:
            self.stats.in_flight.pop(token, None)
            self.stats.actions.append(Action(self.i, kind, False, self.stats.now() - started, started, replica,
                                             str(e)))
            self.problem("timeout" if str(e).startswith("timeout") else "connection lost", f"{kind}: {e}", replica)
            self._set_connected(False)
            await self.reconnect(replica)
            return False
        for what, text in run.errors:
            self.problem(what, f"{kind} on /{self.client.page}?{self.client.query}: {text}")
        cpu0 = self.stats.in_flight.pop(token, None)
        cpu = cpu_seconds(self.stats.cpu_pid) - cpu0 if cpu0 is not None else None
        self.stats.actions.append(Action(self.i, kind, run.ok, run.seconds, started, self.client.replica, cpu_s=cpu))
        if run.banner:
            self.stats.builds.append((started, self.client.replica, run.banner, self.i))
            if run.metrics and self.client.page == "":
                self.check_consistent(run)
        return run.ok

    def check_consistent(self, run: Run) -> None:
        """One run, one build: Beranda's counts must be those every run with the same dataset line showed."""
        key = (run.banner, self.client.query)
        known = self.stats.metrics.setdefault(key, run.metrics)
        if known != run.metrics:
            self.stats.mixed.append(f"session {self.i}: {run.banner!r} with counts {run.metrics} "
                                    f"(earlier runs: {known})")

    async def reconnect(self, lost_from: str) -> None:
        """As the browser: Streamlit's front end opens the websocket again by itself (the balancer picks a
        live replica, which makes a new session), and the visitor's next click runs the page there from its
        URL; the visitor clicks again at once here."""
        t_lost = time.monotonic()
        await self.client.close()
        delay, last = 0.25, ""
        while time.monotonic() - t_lost < self.args.timeout and self.stats.now() < self.args.seconds + 30:
            try:
                await self.client.connect(load=False)
                opened = time.monotonic() - t_lost
                run = await self.client.run()
            except (ConnectionLost, OSError, asyncio.TimeoutError, websockets.InvalidHandshake,
                    websockets.ConnectionClosed) as e:
                await self.client.close()
                await asyncio.sleep(delay)
                delay = min(delay * 2, 4.0)
                last = str(e)
                continue
            self._set_connected(True)
            took = time.monotonic() - t_lost
            self.stats.recoveries.append((self.i, opened, took, lost_from, self.client.replica))
            self.stats.actions.append(Action(self.i, "reconnect", run.ok, took, self.stats.now() - took,
                                             self.client.replica))
            for what, text in run.errors:
                self.problem(what, f"reconnect: {text}")
            return
        self.problem("not recovered", f"no replica answered within {self.args.timeout:.0f} s ({last})")

    async def open(self) -> None:
        page = self.rng.choices(list(START_PAGES), weights=list(START_PAGES.values()))[0]
        self.client.page = page
        started = self.stats.now()
        try:
            await self.client.connect()
        except (ConnectionLost, OSError, asyncio.TimeoutError, websockets.InvalidHandshake) as e:
            self.stats.actions.append(Action(self.i, "open", False, self.stats.now() - started, started, "?"))
            self.problem("connect failed", str(e))
            return
        self._set_connected(True)
        await self.act(f"open /{page}", page=page, query="", fresh=True)

    async def step(self) -> None:
        kind = self.rng.choices(list(ACTIONS), weights=list(ACTIONS.values()))[0]
        page = self.client.page
        if kind == "widget" and self.client.widgets:
            w = self.rng.choice(list(self.client.widgets.values()))
            value = self.rng.choice(w.options)
            ws = WidgetState(id=w.id, string_value=value)
            await self.act(f"widget {w.key.removeprefix(page + '_') if page else w.key}", widget=ws)
        elif kind in ("drill", "up") and page == "peta":
            qs = self._qs()
            here = qs.get("wilayah", "")
            if kind == "drill":
                kids = [k for k in self.regions.children.get(here, []) if self.regions.level[k] <= 3]
                if not kids:  # a kecamatan's villages: select one (its profile panel opens)
                    villages = self.regions.children.get(here, [])
                    if not villages:
                        return
                    qs["pilih"] = self.rng.choice(villages)
                    await self.act("select", query=urlencode(qs))
                    return
                child = self.rng.choice(kids)
                qs.update(wilayah=child, tingkat=str(self.regions.level[child] + 1))
                kind = f"drill to level {self.regions.level[child] + 1}"
            else:
                if not here:
                    return
                parent = here.rsplit(".", 1)[0] if "." in here else ""
                qs["wilayah"] = parent
                qs["tingkat"] = str(self.regions.level.get(parent, 0) + 1)
                kind = f"up to level {qs['tingkat']}"
            qs.pop("pilih", None)
            await self.act(kind, query=urlencode({k: v for k, v in qs.items() if v != ""}))
        elif kind == "profile":
            kode = self._qs().get("pilih") or self.rng.choice(self.regions.villages)
            await self.act("profile", page="profil", query=urlencode({"kode": kode}))
        else:
            target = self.rng.choices(list(NAV_PAGES), weights=list(NAV_PAGES.values()))[0]
            await self.act(f"page /{target}", page=target, query="")

    async def live(self, start_at: float, end_at: float) -> None:
        await asyncio.sleep(max(0.0, start_at - self.stats.now()))
        await self.open()
        lo, hi = self.args.think
        while self.stats.now() < end_at:
            await asyncio.sleep(self.rng.uniform(lo, hi))
            if self.stats.now() >= end_at:
                break
            if not self.connected:
                await self.reconnect(self.client.replica)
                continue
            try:
                await self.step()
            except Exception as e:  # a bug of this driver, not of the app: say so and carry on
                self.problem("driver", f"{type(e).__name__}: {e}")
        self._set_connected(False)
        await self.client.close()


# --------------------------------------------------------------------------------------------------
# Servers, faults, numbers
# --------------------------------------------------------------------------------------------------

class Sampler(threading.Thread):
    """Every second: each replica's RSS (its process tree) labelled by phase, and its CPU time so far (kept
    from its last sample when it has died)."""

    def __init__(self, pids: dict[str, int]):
        super().__init__(daemon=True)
        self.pids = pids
        self.phase = "idle"
        self.samples: dict[str, list[tuple[str, float]]] = defaultdict(list)
        self.load: list[float] = []
        self.cpu: dict[str, list[float]] = defaultdict(list)  # CPU seconds of each process it was
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            for name, pid in list(self.pids.items()):
                mb = rss_mb(pid)
                self.samples[name].append((self.phase, mb))
                if mb > 0:
                    cpu = self.cpu[f"{name}:{pid}"]
                    cpu.append(cpu_seconds(pid))
            if self.phase == "load":
                self.load.append(os.getloadavg()[0])
            self._done.wait(1.0)

    def stop(self) -> None:
        self._done.set()
        self.join()

    def of(self, name: str, phase: str) -> list[float]:
        return [mb for ph, mb in self.samples[name] if ph == phase and mb > 0]

    def cpu_used(self, name: str, start: dict[str, float]) -> float:
        """CPU seconds replica ``name`` used since ``start`` (its processes' last samples; a restarted
        replica's new process counted from zero)."""
        total = 0.0
        for key, values in self.cpu.items():
            n, pid = key.split(":")
            if n == name and values:
                total += values[-1] - start.get(key, 0.0)
        return total


def make_variant(src: Path, dest: Path) -> str:
    """A second build of ``src`` at ``dest``: the same data, its dataset called "<nama> (terbitan 2)"."""
    from sinergi import db

    shutil.copy(src, dest)
    con = db.connect(dest, read_only=False)
    try:
        con.execute("update dataset set nama = nama || ' (terbitan 2)'")
        con.execute("checkpoint")
        return con.execute("select nama from dataset").fetchone()[0]
    finally:
        con.close()


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) if values else float("nan")


def ms(v: float) -> str:
    return "–" if v != v else f"{v * 1000:,.0f}"


def report(args, stats: Stats, window: tuple[float, float], servers: dict, extra: list[str],
           killed: tuple[str, float] | None = None) -> tuple[str, dict]:
    """Markdown tables and the numbers behind them. With ``killed`` (replica, when), the connections that
    replica lost when it was killed are counted apart from the errors: they are the fault itself."""
    acts = stats.actions
    ok = [a for a in acts if a.ok]
    lo, hi = window
    in_window = [a for a in ok if lo <= a.started <= hi]
    rate = len(in_window) / (hi - lo) if hi > lo else float("nan")
    lines = [f"Sessions: {args.sessions} started over {args.ramp:.0f} s, load {args.seconds:.0f} s, think "
             f"{args.think[0]:g}–{args.think[1]:g} s; held: {stats.peak_connected} at most at once; "
             f"actions: {len(acts)} ({len(acts) - len(ok)} failed); finished runs per second after the ramp: "
             f"**{rate:.2f}** ({len(in_window)} in {hi - lo:.0f} s)", ""]
    lines += ["| action | n | failed | p50 ms | p95 ms | p99 ms | max ms |", "|---|---:|---:|---:|---:|---:|---:|"]
    kinds = Counter(a.kind.split()[0] for a in acts)
    summary = {}
    for kind in sorted(kinds, key=lambda k: -kinds[k]) + ["all"]:
        sel = [a for a in acts if kind == "all" or a.kind.split()[0] == kind]
        lat = [a.latency_s for a in sel if a.ok]
        failed = sum(not a.ok for a in sel)
        summary[kind] = {"n": len(sel), "failed": failed, "p50": pct(lat, 50), "p95": pct(lat, 95),
                         "p99": pct(lat, 99), "max": max(lat) if lat else float("nan")}
        s = summary[kind]
        lines.append(f"| {'**all**' if kind == 'all' else kind} | {len(sel)} | {failed} | {ms(s['p50'])} | "
                     f"{ms(s['p95'])} | {ms(s['p99'])} | {ms(s['max'])} |")
    cut = [p for p in stats.problems if killed and p.replica == killed[0] and p.kind == "connection lost"
           and 0 <= p.at - killed[1] <= 5]
    errors = [p for p in stats.problems if p not in cut]
    by_kind = Counter(p.kind for p in errors)
    lines += ["", f"Errors: **{len(errors)}**" + (f" ({dict(by_kind)})" if by_kind else "")
              + (f"; connections cut by killing {killed[0]}: {len(cut)}" if killed else "")]
    for p in errors[:12]:
        lines.append(f"- {p.at:.1f} s, session {p.session}, {p.kind}: {p.text}")
    if stats.mixed:
        lines.append(f"- runs mixing two builds: {len(stats.mixed)}; first: {stats.mixed[0]}")
    alone = [a for a in ok if a.cpu_s is not None]
    if alone:
        lines += ["", f"Replica CPU per action, of the {len(alone)} actions that ran alone (no other action in "
                  "flight; /proc ticks of 10 ms):", "",
                  "| action | n | CPU ms mean | p50 | p95 | max | CPU s in all |", "|---|---:|---:|---:|---:|---:|---:|"]
        by = defaultdict(list)
        for a in alone:
            by[a.kind].append(a.cpu_s)
        for kind in sorted(by, key=lambda k: -sum(by[k])) + ["all"]:
            v = [a.cpu_s for a in alone] if kind == "all" else by[kind]
            summary.setdefault("cpu", {})[kind] = {"n": len(v), "mean": float(np.mean(v)), "p50": pct(v, 50),
                                                   "p95": pct(v, 95), "sum": float(sum(v))}
            lines.append(f"| {'**all**' if kind == 'all' else kind} | {len(v)} | {ms(float(np.mean(v)))} | "
                         f"{ms(pct(v, 50))} | {ms(pct(v, 95))} | {ms(max(v))} | {sum(v):.1f} |")
    lines += [""] + extra + [""] + servers.get("lines", [])
    return "\n".join(lines), {"rate": rate, "actions": summary, "errors": len(errors), "cut": len(cut),
                              "problems": [asdict(p) for p in stats.problems[:200]],
                              "mixed": stats.mixed[:50], "peak_connected": stats.peak_connected,
                              "recoveries": stats.recoveries}


async def warm_up(urls: dict[str, str], timeout: float) -> list[str]:
    """Each replica's first views, straight to it, before the load: the first run of a process imports the
    app's modules and opens the dataset, the first map of a view is built once per process. Reported apart."""
    out = []
    for name, url in urls.items():
        c = Client(url, timeout, name)
        await c.connect()
        took = []
        for page in [*START_PAGES, "profil"]:
            run = await c.run(page=page, query="", fresh=True)
            took.append(f"/{page} {run.seconds:.1f} s{'' if run.ok else ' (' + str(run.errors)[:80] + ')'}")
        await c.close()
        out.append(f"{name}: {', '.join(took)}")
    return ["First views per replica, before the load: " + "; ".join(out) + "."]


async def load(args, base: str, regions: Regions, stats: Stats, faults) -> None:
    rng = random.Random(args.seed)
    sessions = [Session(i, base, random.Random(rng.random()), regions, stats, args) for i in range(args.sessions)]
    stats.t0 = time.monotonic()
    tasks = [asyncio.create_task(s.live(args.ramp * i / max(1, args.sessions), args.seconds))
             for i, s in enumerate(sessions)]
    fault_task = asyncio.create_task(faults(stats))
    await asyncio.wait_for(asyncio.gather(*tasks), args.seconds + args.timeout + 120)
    fault_task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await fault_task


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, help="dataset file (default: the demo, built into a temp folder)")
    ap.add_argument("--url", help="an app or balancer already running (no server numbers, no faults)")
    ap.add_argument("--replicas", type=int, default=1)
    ap.add_argument("--direct", action="store_true", help="one replica without the balancer")
    ap.add_argument("--sessions", type=int, default=50)
    ap.add_argument("--ramp", type=float, default=30.0)
    ap.add_argument("--seconds", type=float, default=120.0)
    ap.add_argument("--think", type=float, nargs=2, default=(5.0, 15.0), metavar=("MIN", "MAX"))
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--nice", type=int, default=5, help="this client's CPU priority below the servers'")
    ap.add_argument("--kill-at", type=float)
    ap.add_argument("--kill", default="r1")
    ap.add_argument("--restart-after", type=float)
    ap.add_argument("--publish-at", type=float)
    ap.add_argument("--data-tmpfs", type=int, metavar="MB")
    ap.add_argument("--import-at", type=float)
    ap.add_argument("--import-file", type=Path)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (data, logs) and say where")
    ap.add_argument("--cpu-per-action", action="store_true",
                    help="one replica: its CPU time during each action that ran alone, per kind of action")
    args = ap.parse_args()
    if args.direct and args.replicas != 1:
        ap.error("--direct runs one replica")
    if args.cpu_per_action and (args.url or args.replicas != 1):
        ap.error("--cpu-per-action measures the one replica this script starts")
    if (args.import_at is None) != (args.import_file is None):
        ap.error("--import-at and --import-file go together")

    tmp = Path(tempfile.mkdtemp(prefix="ws-load-"))
    mounted = None
    cluster = None
    try:
        if args.url:
            base, pids, data_dir = args.url, {}, None
            db_file = args.db or ROOT / "data" / "demo.duckdb"
        else:
            if args.data_tmpfs:
                mounted = tmp / "tmpfs"
                mounted.mkdir()
                subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={args.data_tmpfs}m", "tmpfs", str(mounted)],
                               check=True)
                data_dir, db_file = prepare_data_dir(args.db, mounted)
                link = next(data_dir.glob("*.duckdb"))
                if link.is_symlink():  # on the small disk itself, so the import fills it
                    link.unlink()
                    shutil.copy(db_file, link)
            else:
                data_dir, db_file = prepare_data_dir(args.db, tmp)
            cluster = Cluster(replicas=args.replicas, port=None if args.direct else free_port(), first_port=0,
                              data_dir=data_dir, run_dir=tmp / "run", restart=False)
            log(f"starting {args.replicas} replica(s){'' if args.direct else ' behind HAProxy'} on {db_file}")
            cluster.start(timeout=600)
            base = cluster.nodes[0].url if args.direct else cluster.url
            pids = {r.name: r.proc.pid for r in cluster.nodes}
        regions = Regions(db_file)
        variant_name = None
        if args.publish_at is not None:
            staged = data_dir / f".terbit-{db_file.stem}.tmp"
            variant_name = make_variant(db_file, staged)
            log(f"second build staged: {variant_name!r}")
        warm = []
        if cluster is not None:
            log("first views on every replica")
            warm = asyncio.run(warm_up({r.name: r.url for r in cluster.nodes}, args.timeout))
        os.nice(args.nice)
        sampler = Sampler(pids)
        sampler.start()
        time.sleep(2)
        cpu0 = {f"{n}:{p}": cpu_seconds(p) for n, p in pids.items()}
        bal_pid = cluster.balancer.pid if cluster and cluster.balancer else None
        bal0 = cpu_seconds(bal_pid) if bal_pid else 0.0
        me0 = time.process_time()
        load0 = os.getloadavg()
        events: dict = {}

        async def faults(stats: Stats) -> None:
            plan = sorted([(t, k) for t, k in ((args.kill_at, "kill"), (args.publish_at, "publish"),
                                                (args.import_at, "import")) if t is not None])
            for at, what in plan:
                await asyncio.sleep(max(0.0, at - stats.now()))
                if what == "kill":
                    node = next(r for r in cluster.nodes if r.name == args.kill)
                    events["kill_at"] = stats.now()
                    node.stop(signal.SIGKILL)
                    log(f"killed replica {node.name} at {events['kill_at']:.1f} s")
                    if cluster.balancer is not None:
                        while stats.now() - events["kill_at"] < 30:
                            with contextlib.suppress(OSError, IndexError):
                                if cluster.server_states().get(node.name) != "UP":
                                    events["marked_down_after"] = stats.now() - events["kill_at"]
                                    break
                            await asyncio.sleep(0.1)
                    if args.restart_after is not None:
                        await asyncio.sleep(max(0.0, events["kill_at"] + args.restart_after - stats.now()))
                        node.start()
                        pids[node.name] = node.proc.pid
                        events["restarted_at"] = stats.now()
                        log(f"restarted replica {node.name}")
                elif what == "publish":
                    target = data_dir / db_file.name if (data_dir / db_file.name).exists() else next(
                        data_dir.glob("*.duckdb"))
                    os.replace(data_dir / f".terbit-{db_file.stem}.tmp", target)
                    events["publish_at"] = stats.now()
                    log(f"published {variant_name!r} at {events['publish_at']:.1f} s")
                elif what == "import":
                    env = dict(os.environ, SINERGI_DATA_DIR=str(data_dir))
                    events["import_at"] = stats.now()
                    proc = await asyncio.create_subprocess_exec(
                        sys.executable, "-m", "sinergi", "import", "indicators", str(args.import_file),
                        "--dataset", "impor", "--yes", cwd=ROOT, env=env,
                        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
                    await asyncio.sleep(0.5)
                    st = os.statvfs(data_dir)
                    filler = data_dir / ".isi-disk"
                    with open(filler, "wb") as f:  # the disk fills up while the import runs
                        with contextlib.suppress(OSError):
                            os.posix_fallocate(f.fileno(), 0, max(0, st.f_bavail * st.f_frsize - 256 * 1024))
                    out, err = await proc.communicate()
                    events["import_rc"] = proc.returncode
                    events["import_message"] = (err.decode(errors="replace").strip().splitlines() or [""])[-1]
                    events["import_left"] = sorted(n for n in os.listdir(data_dir) if n.startswith(".impor"))
                    log(f"import ended with exit code {proc.returncode}: {events['import_message'][:200]}")

        stats = Stats(cpu_pid=pids["r1"] if args.cpu_per_action else None)
        sampler.phase = "load"
        asyncio.run(load(args, base, regions, stats, faults))
        sampler.phase = "after"
        time.sleep(2)
        sampler.stop()
        cpu = {n: sampler.cpu_used(n, cpu0) for n in pids}
        wall = stats.now()
        lines = ["| replica | sessions (runs) | RSS idle MB | RSS peak MB | RSS end MB | CPU s | CPU % of a core |",
                 "|---|---:|---:|---:|---:|---:|---:|"]
        runs_on = Counter(a.replica for a in stats.actions)
        for n in pids or sorted(runs_on):
            idle, lo = sampler.of(n, "idle"), sampler.of(n, "load")
            sess = len({a.session for a in stats.actions if a.replica == n})
            lines.append(f"| {n} | {sess} ({runs_on.get(n, 0)}) | {idle[0] if idle else 0:,.0f} | "
                         f"{max(lo) if lo else 0:,.0f} | {lo[-1] if lo else 0:,.0f} | {cpu.get(n, 0):,.1f} | "
                         f"{100 * cpu.get(n, 0) / wall:,.0f} |")
        machine = [f"Balancer CPU: {cpu_seconds(bal_pid) - bal0:.1f} s" if bal_pid else "No balancer.",
                   f"This client's CPU: {time.process_time() - me0:.1f} s in {wall:.0f} s; load average "
                   f"{load0[0]:.1f} before, {np.mean(sampler.load) if sampler.load else 0:.1f} mean during, "
                   f"{os.getloadavg()[0]:.1f} after ({os.cpu_count()} cores)."]
        servers = {"lines": lines + [""] + machine}
        shape = ("a deployment already running" if args.url else "one replica, no balancer" if args.direct
                 else f"{args.replicas} replica(s) behind HAProxy")
        extra = [f"Target: {base} ({shape}); dataset {describe_dataset(db_file)}."]
        if "kill_at" in events:
            killed = args.kill
            lost = [a for a in stats.actions if a.replica == killed and not a.ok and a.started >= events["kill_at"] - 60]
            opened = [r[1] for r in stats.recoveries if r[3] == killed]
            rec = [r[2] for r in stats.recoveries if r[3] == killed]
            extra.append(f"Replica {killed} killed at {events['kill_at']:.1f} s; the balancer marked it down after "
                         f"{events.get('marked_down_after', float('nan')):.1f} s; failed actions: {len(lost)}; "
                         f"sessions recovered on another replica: {len(rec)}; websocket open again after p50 "
                         f"{pct(opened, 50):.1f} s (max {max(opened) if opened else float('nan'):.1f} s), the page "
                         f"run there after p50 {pct(rec, 50):.1f} s (max {max(rec) if rec else float('nan'):.1f} s)"
                         + (f"; restarted at {events['restarted_at']:.1f} s" if "restarted_at" in events else ""))
        if "publish_at" in events:
            at = events["publish_at"]
            after = [b for b in stats.builds if b[0] > at]
            stale = [b for b in after if b[2] != variant_name]
            first_new = {}
            for t, rep, banner, _s in sorted(stats.builds):
                if banner == variant_name and rep not in first_new:
                    first_new[rep] = t - at
            back = 0
            last: dict[int, str] = {}
            for t, _rep, banner, s in sorted(stats.builds, key=lambda b: b[0]):
                if last.get(s) == variant_name and banner != variant_name:
                    back += 1
                last[s] = banner
            extra.append(f"New build published at {at:.1f} s: runs sent after it {len(after)}, of which showing the "
                         f"old build {len(stale)}; sessions going back to the old build: {back}; runs mixing "
                         f"builds: {len(stats.mixed)}; first run with the new build per replica, s after the "
                         f"publication: {', '.join(f'{k} {v:.1f}' for k, v in sorted(first_new.items())) or 'none'}")
        if "import_at" in events:
            extra.append(f"Import at {events['import_at']:.1f} s with the data folder's disk filled: exit code "
                         f"{events['import_rc']}, message: {events['import_message']!r}; files left: "
                         f"{events['import_left'] or 'none'}")
        window = (args.ramp, args.seconds)
        killed = (args.kill, events["kill_at"]) if "kill_at" in events else None
        text, data = report(args, stats, window, servers, warm + extra, killed)
        print(text)
        if args.json:
            data.update(args={k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
                        events=events, cpu=cpu, wall=wall,
                        rss={n: {"idle": sampler.of(n, "idle"), "load_peak": max(sampler.of(n, "load") or [0])}
                             for n in pids})
            args.json.write_text(json.dumps(data, indent=1, default=str), encoding="utf-8")
        return 0 if data["errors"] == 0 else 1
    finally:
        if cluster is not None:
            cluster.stop()
        if mounted is not None:
            subprocess.run(["umount", "-l", str(mounted)], check=False)
        if args.keep:
            log(f"kept {tmp} (replica and balancer logs in {tmp / 'run'})")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

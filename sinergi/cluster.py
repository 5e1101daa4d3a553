"""Several app processes behind HAProxy: what ``make serve-cluster N=3`` runs (docs/deployment.md).

    python -m sinergi.cluster run [--replicas 3] [--port 8500] [--first-port 8601] [--data DIR] [--run-dir DIR]
    python -m sinergi.cluster replicas [--replicas 2] [--address 0.0.0.0] [--first-port 8601] [--data DIR]
                                       [--sync-from DIR]
    python -m sinergi.cluster config --server HOST:PORT [--server HOST:PORT ...] [--port 8500] [--bind ADDR]

One Streamlit process runs every session's script under one interpreter, so it uses about one core
however big the machine. ``run`` starts N replicas (``python -m sinergi.serve`` on ports ``first-port``…,
loopback only) and HAProxy in front of them on ``--port``, all sharing one data folder, and keeps them
running: a replica that exits is started again (after 2 s, then backing off to 30 s while it keeps
failing). ``replicas`` is the same without the balancer, for each app host of several (``--sync-from``:
copy the datasets the admin's host publishes into this host's data folder, ``sinergi.sync``); ``config``
prints the balancer's configuration for replicas on other hosts.

What the balancer does (:func:`haproxy_config`): a session's websocket, its file uploads and its
downloads must reach the process that holds the session, so the first response sets a cookie naming the
replica (``SINERGI_REPLIKA``) and later requests follow it; new sessions go to the replica with the fewest
open connections. Every replica's ``/_stcore/health`` is asked every 2 s (every second while failing), with
5 s to answer: three failures in a row take it out of rotation, two successes put it back. The sessions
open on a replica marked down are not cut: a busy replica (a national map for many sessions at once) can
answer a health check late while its sessions are fine, and a dead one's connections close by themselves.
A request for a replica that is down or refuses the connection is sent to another one at once
(``option redispatch 1``): the browser's front end reconnects by itself, gets a new session there, and its
next click runs the page from its URL.

Messages go to stderr; the run folder holds the HAProxy configuration, its admin socket and every
process's log.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COOKIE = "SINERGI_REPLIKA"
# An open websocket (one browser session) may stay idle this long before the balancer closes it;
# Streamlit's server pings its clients every 30 s, so a live session is never idle that long.
TUNNEL_TIMEOUT = "2h"
HAPROXY = "haproxy"
INSTALL_HINT = ("HAProxy tidak terpasang. Pasang paket Debian-nya: sudo apt-get install haproxy "
                "(HAProxy is not installed: sudo apt-get install haproxy)")


def log(msg: str) -> None:
    print(f"[cluster {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def haproxy_path() -> str | None:
    """The haproxy program (PATH, then Debian's /usr/sbin, which is not on a normal user's PATH)."""
    return shutil.which(HAPROXY) or next((p for p in ("/usr/sbin/haproxy",) if os.access(p, os.X_OK)), None)


def haproxy_config(servers: list[tuple[str, str, int]], port: int, bind: str = "127.0.0.1",
                   admin_socket: Path | None = None, stats_port: int | None = None, maxconn: int = 4096) -> str:
    """An HAProxy configuration for ``servers`` (name, host, port): sticky sessions by cookie, health
    checks on ``/_stcore/health``, failed replicas out of rotation, websockets kept open (module docstring)."""
    lines = [
        "# Sinergi Desa: N app replicas behind one address (written by python -m sinergi.cluster).",
        "global",
        f"    maxconn {maxconn}             # open connections; a browser session holds one or two",
        "    log stderr format short local0 notice   # replicas going DOWN/UP, to the balancer's stderr",
    ]
    if admin_socket is not None:
        lines.append(f"    stats socket {admin_socket} mode 600 level admin")
    lines += [
        "",
        "defaults",
        "    mode http",
        "    log global",
        "    option redispatch 1        # a request for a dead replica goes to a live one at once",
        "    retries 3",
        "    timeout connect 3s",
        "    timeout client 60s",
        "    timeout server 120s        # a script run with a national village map may take a while",
        f"    timeout tunnel {TUNNEL_TIMEOUT}          # an open websocket: one browser session",
        "    timeout client-fin 5s",
        "    timeout http-request 10s",
        "    timeout check 5s           # a replica busy with script runs answers its health check late",
        "",
        "frontend sinergi",
        f"    bind {bind}:{port}",
        "    default_backend replicas",
        "",
        "backend replicas",
        "    balance leastconn          # a new session goes to the replica with the fewest open ones",
        f"    cookie {COOKIE} insert indirect nocache httponly   # a session stays on its replica",
        "    option httpchk GET /_stcore/health",
        "    http-check expect string ok",
        "    default-server check inter 2s fastinter 1s downinter 2s fall 3 rise 2",
    ]
    lines += [f"    server {name} {host}:{p} cookie {name}" for name, host, p in servers]
    if stats_port is not None:
        lines += ["", "listen stats", f"    bind 127.0.0.1:{stats_port}", "    stats enable", "    stats uri /",
                  "    stats refresh 2s"]
    return "\n".join(lines) + "\n"


def check_config(text: str) -> str | None:
    """HAProxy's own check of a configuration (``haproxy -c``): None when valid, else its words."""
    exe = haproxy_path()
    if exe is None:
        return INSTALL_HINT
    with tempfile.NamedTemporaryFile("w", suffix=".cfg", delete=False) as f:
        f.write(text)
    try:
        r = subprocess.run([exe, "-c", "-f", f.name], capture_output=True, text=True, timeout=30)
    finally:
        os.unlink(f.name)
    return None if r.returncode == 0 else (r.stdout + r.stderr).strip()


def local_maxconn(wanted: int = 4096) -> int:
    """``wanted`` connections, or fewer when this process may not open enough files for them: HAProxy
    needs two descriptors per connection and refuses to start when it cannot raise its limit."""
    import resource

    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    return wanted if hard == resource.RLIM_INFINITY else max(64, min(wanted, (hard - 200) // 2))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=timeout) as r:
            return r.status == 200 and r.read().strip() == b"ok"
    except OSError:
        return False


@dataclass
class Replica:
    """One ``python -m sinergi.serve`` process."""

    name: str
    port: int
    address: str
    log_path: Path
    env: dict
    proc: subprocess.Popen | None = None
    started: float = 0.0
    failures: int = 0  # exits in a row without having become healthy in between
    next_start: float = 0.0

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.address in ("0.0.0.0", "") else self.address
        return f"http://{host}:{self.port}"

    def start(self) -> None:
        logf = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sinergi.serve", "--server.port", str(self.port), "--server.address",
             self.address, "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=self.env, stdout=logf, stderr=subprocess.STDOUT, start_new_session=True)
        logf.close()
        self.started = time.monotonic()

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, sig: int = signal.SIGTERM, wait: float = 15.0) -> None:
        if not self.alive():
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, sig)  # the replica and anything it started
        try:
            self.proc.wait(wait)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)


@dataclass
class Cluster:
    """N replicas (and, with ``port``, HAProxy in front of them) sharing one data folder."""

    replicas: int = 3
    port: int | None = 8500  # the balancer's; None: replicas only
    first_port: int = 8601  # 0: free ports
    address: str = "127.0.0.1"
    data_dir: Path | None = None
    run_dir: Path | None = None
    restart: bool = True
    bind: str = "127.0.0.1"
    stats_port: int | None = None
    sync_from: Path | None = None  # another host's data folder to copy published datasets from
    sync_every: float = 2.0
    nodes: list[Replica] = field(default_factory=list)
    balancer: subprocess.Popen | None = None

    def __post_init__(self) -> None:
        self.run_dir = Path(self.run_dir or tempfile.mkdtemp(prefix="sinergi-cluster-"))
        self.run_dir.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        if self.data_dir is not None:
            env["SINERGI_DATA_DIR"] = str(Path(self.data_dir).resolve())
        for i in range(self.replicas):
            port = self.first_port + i if self.first_port else free_port()
            self.nodes.append(Replica(f"r{i + 1}", port, self.address, self.run_dir / f"replica-{port}.log", env))

    # --- the pieces ---------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://{'127.0.0.1' if self.bind in ('0.0.0.0', '') else self.bind}:{self.port}"

    @property
    def admin_socket(self) -> Path:
        return self.run_dir / "haproxy.sock"

    def config(self) -> str:
        host = "127.0.0.1" if self.address in ("0.0.0.0", "") else self.address
        return haproxy_config([(r.name, host, r.port) for r in self.nodes], self.port, self.bind,
                              self.admin_socket, self.stats_port, maxconn=local_maxconn())

    def prepare_data(self) -> None:
        """Build the demo dataset once, before the replicas start, when the data folder has no active
        dataset yet (otherwise each replica's first visitor would wait for its own build)."""
        from sinergi import build, db

        if self.data_dir is not None:
            os.environ["SINERGI_DATA_DIR"] = str(Path(self.data_dir).resolve())
        if db.active_dataset() == "demo" and not db.dataset_path("demo").exists():
            log("membangun dataset demo sekali untuk semua replika (building the demo dataset once)")
            build.ensure_demo()

    def start(self, timeout: float = 180.0) -> None:
        if self.port is not None and haproxy_path() is None:
            raise SystemExit(INSTALL_HINT)
        if self.sync_from is not None:  # the admin host's datasets first, then the replicas
            from sinergi import sync

            for line in sync.sinkron_sekali(self.sync_from, self.data_dir):
                log(f"sinkron: {line}")
        self.prepare_data()
        for r in self.nodes:
            r.start()
        deadline = time.monotonic() + timeout
        for r in self.nodes:
            while not healthy(r.url):
                if not r.alive():
                    raise RuntimeError(f"replika {r.name} berhenti saat mulai; lihat {r.log_path}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"replika {r.name} tidak siap dalam {timeout:.0f} s; lihat {r.log_path}")
                time.sleep(0.3)
            log(f"replika {r.name} siap di {r.url} (pid {r.proc.pid})")
        if self.port is not None:
            self.start_balancer()
            while not healthy(self.url):
                if self.balancer.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"HAProxy tidak jalan; lihat {self.run_dir / 'haproxy.log'}")
                time.sleep(0.2)
            log(f"penyeimbang beban (HAProxy) siap di {self.url} untuk {len(self.nodes)} replika")

    def start_balancer(self) -> None:
        cfg = self.run_dir / "haproxy.cfg"
        cfg.write_text(self.config(), encoding="utf-8")
        self.admin_socket.unlink(missing_ok=True)
        logf = open(self.run_dir / "haproxy.log", "ab")
        self.balancer = subprocess.Popen([haproxy_path(), "-db", "-f", str(cfg)], stdout=logf,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        logf.close()

    def stop(self) -> None:
        if self.balancer is not None and self.balancer.poll() is None:
            self.balancer.terminate()
            try:
                self.balancer.wait(10)
            except subprocess.TimeoutExpired:
                self.balancer.kill()
                self.balancer.wait(10)
        for r in self.nodes:
            r.stop()

    def __enter__(self) -> Cluster:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- watching -----------------------------------------------------------------------------------
    def server_states(self) -> dict[str, str]:
        """The balancer's view of each replica (``UP``, ``DOWN``, ``MAINT``, …), from its admin socket."""
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(5)
            s.connect(str(self.admin_socket))
            s.sendall(b"show stat\n")
            chunks = []
            while chunk := s.recv(65536):
                chunks.append(chunk)
        rows = b"".join(chunks).decode().splitlines()
        head = rows[0].lstrip("# ").split(",")
        out = {}
        for row in rows[1:]:
            cols = dict(zip(head, row.split(",")))
            if cols.get("pxname") == "replicas" and cols.get("svname") not in ("BACKEND", "FRONTEND", None):
                out[cols["svname"]] = cols["status"].split()[0]
        return out

    def supervise_once(self) -> None:
        """Start again a replica that exited (backing off while it keeps failing); note one that recovered."""
        now = time.monotonic()
        for r in self.nodes:
            if r.alive():
                if r.failures and now - r.started > 30 and healthy(r.url, 1.0):
                    r.failures = 0
                continue
            if r.next_start == 0.0:
                code = r.proc.returncode if r.proc is not None else None
                r.failures += 1
                r.next_start = now + min(2.0 * 2 ** (r.failures - 1), 30.0)
                log(f"replika {r.name} berhenti (kode {code}); dimulai lagi dalam {r.next_start - now:.0f} s")
            elif now >= r.next_start:
                r.next_start = 0.0
                r.start()
                log(f"replika {r.name} dimulai lagi (pid {r.proc.pid})")

    def serve_forever(self) -> None:
        stop = False

        def on_signal(_sig, _frame):
            nonlocal stop
            stop = True

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        if self.sync_from is not None:
            threading.Thread(target=self._sync_loop, args=(lambda: stop,), daemon=True).start()
        try:
            while not stop:
                if self.balancer is not None and self.balancer.poll() is not None:
                    log("HAProxy berhenti; klaster dihentikan (the balancer exited)")
                    break
                if self.restart:
                    self.supervise_once()
                time.sleep(1.0)
        finally:
            log("menghentikan replika dan penyeimbang beban")
            self.stop()


    def _sync_loop(self, stopped) -> None:
        from sinergi import folders, sync

        while not stopped():
            try:
                for line in sync.sinkron_sekali(self.sync_from, self.data_dir):
                    log(f"sinkron: {line}")
            except folders.FolderSibuk:
                pass  # a local write runs: next round
            except OSError as e:
                log(f"sinkron gagal ({e}); dicoba lagi")
            time.sleep(self.sync_every)


def _server(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise argparse.ArgumentTypeError(f"bukan HOST:PORT: {text!r}")
    return host.strip("[]"), int(port)


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m sinergi.cluster", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd")

    def common(p, replicas: int, address: str) -> None:
        p.add_argument("--replicas", "-n", type=int, default=replicas, help="berapa proses aplikasi")
        p.add_argument("--first-port", type=int, default=8601, help="port replika pertama (berikutnya +1)")
        p.add_argument("--address", default=address, help="alamat yang didengar replika")
        p.add_argument("--data", type=Path, help="folder data bersama (bawaan: SINERGI_DATA_DIR atau data/)")
        p.add_argument("--run-dir", type=Path, help="folder konfigurasi dan log (bawaan: folder sementara)")
        p.add_argument("--no-restart", action="store_true", help="jangan memulai lagi replika yang berhenti")

    run = sub.add_parser("run", help="replika + HAProxy di mesin ini")
    common(run, 3, "127.0.0.1")
    run.add_argument("--port", type=int, default=8500, help="port penyeimbang beban")
    run.add_argument("--bind", default="127.0.0.1", help="alamat penyeimbang beban (0.0.0.0: semua)")
    run.add_argument("--stats-port", type=int, help="halaman statistik HAProxy di 127.0.0.1:PORT")
    reps = sub.add_parser("replicas", help="hanya replika (satu host aplikasi dari beberapa)")
    common(reps, 2, "0.0.0.0")
    reps.add_argument("--sync-from", type=Path, help="folder data host admin: salin dataset yang diterbitkannya")
    cfg = sub.add_parser("config", help="cetak haproxy.cfg untuk replika di host lain")
    cfg.add_argument("--server", type=_server, action="append", required=True, metavar="HOST:PORT")
    cfg.add_argument("--port", type=int, default=8500)
    cfg.add_argument("--bind", default="0.0.0.0")
    cfg.add_argument("--stats-port", type=int)
    return ap


def main(argv: list[str] | None = None) -> int:
    ap = parser()
    args = ap.parse_args(argv)

    if args.cmd == "config":
        text = haproxy_config([(f"r{i + 1}", h, p) for i, (h, p) in enumerate(args.server)], args.port,
                              args.bind, stats_port=args.stats_port)
        print(text, end="")
        return 0
    if args.cmd not in ("run", "replicas"):
        ap.print_help()
        return 2
    cluster = Cluster(replicas=args.replicas, port=args.port if args.cmd == "run" else None,
                      first_port=args.first_port, address=args.address, data_dir=args.data,
                      run_dir=args.run_dir, restart=not args.no_restart,
                      bind=getattr(args, "bind", "127.0.0.1"), stats_port=getattr(args, "stats_port", None),
                      sync_from=getattr(args, "sync_from", None))
    try:
        cluster.start()
    except (RuntimeError, OSError) as e:
        log(f"gagal: {e}")
        cluster.stop()
        return 1
    except BaseException:
        cluster.stop()
        raise
    log(f"log dan konfigurasi di {cluster.run_dir}; Ctrl+C menghentikan semuanya")
    cluster.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())

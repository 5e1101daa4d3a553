"""Several app processes behind HAProxy (sinergi/cluster.py, docs/deployment.md): the balancer's
configuration, and two real replicas behind a real HAProxy on loopback, talked to over Streamlit's own
websocket protocol (bench/ws_load.py's client): sessions are spread and stay on their replica, a dataset
published into the shared folder is served by both at their next run, and when one replica is killed its
sessions reconnect to the other and carry on from their URL while the balancer takes it out of rotation.

HAProxy is Debian's ``haproxy`` package; without it these tests are skipped with that reason (CI installs
it, see .ci/run, and sets SINERGI_REQUIRE_HAPROXY so a missing one fails there)."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from sinergi import cluster  # noqa: E402
from test_publish import variant  # noqa: E402

SERVERS = [("r1", "127.0.0.1", 8601), ("r2", "10.0.0.12", 8601)]


def _need_haproxy() -> None:
    if cluster.haproxy_path() is None:
        if os.environ.get("SINERGI_REQUIRE_HAPROXY"):
            pytest.fail("haproxy is missing (apt-get install haproxy)")
        pytest.skip("haproxy is not installed: apt-get install haproxy to run the cluster tests")


def test_the_configuration_is_sticky_checks_health_and_redispatches():
    text = cluster.haproxy_config(SERVERS, 8500, "0.0.0.0")
    lines = [ln.split("#")[0].strip() for ln in text.splitlines()]
    assert "bind 0.0.0.0:8500" in lines
    assert f"cookie {cluster.COOKIE} insert indirect nocache httponly" in lines
    assert "option httpchk GET /_stcore/health" in lines and "http-check expect string ok" in lines
    assert "option redispatch 1" in lines
    assert "server r1 127.0.0.1:8601 cookie r1" in lines and "server r2 10.0.0.12:8601 cookie r2" in lines
    assert any(ln.startswith("timeout tunnel") for ln in lines)  # websockets are long-lived
    assert not any("stats socket" in ln for ln in lines)  # only when asked for


def test_haproxy_accepts_the_configuration():
    _need_haproxy()
    sock = Path("/tmp") / f"sinergi-test-{os.getpid()}.sock"
    assert cluster.check_config(cluster.haproxy_config(SERVERS, 8500, admin_socket=sock, stats_port=8404)) is None
    assert cluster.check_config("frontend x\n    bind :notaport\n") is not None  # the check can fail


def test_the_config_command_prints_one_server_per_host_port(capsys):
    assert cluster.main(["config", "--server", "10.0.0.11:8601", "--server", "10.0.0.12:8602", "--port", "80"]) == 0
    out = capsys.readouterr().out
    assert "server r1 10.0.0.11:8601 cookie r1" in out and "server r2 10.0.0.12:8602 cookie r2" in out
    assert "bind 0.0.0.0:80" in out
    with pytest.raises(SystemExit):
        cluster.main(["config", "--server", "no-port"])


@pytest.mark.parametrize("module", ["cluster", "sync"])
def test_the_commands_the_guides_show_parse(module):
    """``python -m sinergi.cluster …`` and ``python -m sinergi.sync …`` in the README and the guides: a line
    in a code block parses with the module's own parser (up to a shell redirection), a command written
    inline names a subcommand that exists."""
    import importlib
    import re
    import shlex

    from test_docs import FENCED, INLINE

    pattern = re.compile(rf"python3? -m sinergi\.{module}\b(.*)$")
    ap = importlib.import_module(f"sinergi.{module}").parser()
    checked = 0
    for inline, (where, text) in [(False, x) for x in FENCED] + [(True, x) for x in INLINE]:
        m = pattern.search(text)
        if not m:
            continue
        words = shlex.split(m.group(1), comments=True)
        words = words[:next((i for i, w in enumerate(words) if w in (">", "|", "&&", ";")), len(words))]
        try:
            ap.parse_args(words)
        except SystemExit:  # inline, a command may be named without its required arguments
            named = not words or module == "cluster" and words[0] in ("run", "replicas", "config")
            if not (inline and named):
                pytest.fail(f"{where}: `python -m sinergi.{module} {' '.join(words)}` does not parse")
        checked += 1
    assert checked, f"no python -m sinergi.{module} command in the guides"


def test_without_haproxy_the_cluster_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(cluster, "haproxy_path", lambda: None)
    c = cluster.Cluster(replicas=1, port=cluster.free_port(), first_port=0, run_dir=tmp_path)
    with pytest.raises(SystemExit) as e:
        c.start()
    assert "apt-get install haproxy" in str(e.value)
    assert all(r.proc is None for r in c.nodes)  # nothing was started


# --- two replicas behind HAProxy -------------------------------------------------------------------

@pytest.fixture(scope="module")
def two(tiny_db, tmp_path_factory):
    _need_haproxy()
    data = tmp_path_factory.mktemp("cluster-data")
    shutil.copy(tiny_db, data / "demo.duckdb")
    c = cluster.Cluster(replicas=2, port=cluster.free_port(), first_port=0, data_dir=data,
                        run_dir=tmp_path_factory.mktemp("cluster-run"), restart=False)
    with c:
        yield c, data


def _client(c: cluster.Cluster):
    import ws_load

    return ws_load.Client(c.url, timeout=90)


async def _open(c: cluster.Cluster, page: str, query: str = ""):
    cl = _client(c)
    cl.page = page
    await cl.connect()
    run = await cl.run(page=page, query=query, fresh=True)
    assert run.ok, run.errors
    return cl, run


@pytest.mark.slow
def test_two_replicas_share_sessions_publications_and_failures(two, tmp_path):
    import ws_load

    c, data = two
    assert c.server_states() == {"r1": "UP", "r2": "UP"}

    async def scenario():
        # two sessions: the balancer sends them to different replicas (fewest connections), and each one's
        # runs stay on its replica
        a, run_a = await _open(c, "profil", "kode=97.01.01.2001")
        b, run_b = await _open(c, "")
        assert {a.replica, b.replica} == {"r1", "r2"}
        assert run_a.banner == run_b.banner == "Dataset uji"
        first_a = a.replica
        again = await a.run()
        assert again.ok and a.replica == first_a and a.query == "kode=97.01.01.2001"

        # the admin publishes a new build into the shared folder (what an import does): both replicas
        # serve it at their sessions' next run, without a restart
        variant(data / "demo.duckdb", data / ".baru.tmp", "Dataset uji terbitan 2")
        os.replace(data / ".baru.tmp", data / "demo.duckdb")
        for s in (a, b):
            run = await s.run()
            assert run.ok and run.banner == "Dataset uji terbitan 2", (s.replica, run)

        # the replica holding session a dies: a's next action fails, it reconnects through the same
        # address, lands on the other replica and runs its page again from its URL
        dead = next(r for r in c.nodes if r.name == first_a)
        dead.stop(signal.SIGKILL)
        with pytest.raises(ws_load.ConnectionLost):
            await a.run()
        await a.close()
        t0 = time.monotonic()
        await a.connect()
        run = await a.run(fresh=True)
        recovered_in = time.monotonic() - t0
        assert run.ok, run.errors
        assert a.replica != first_a and a.page == "profil" and a.query == "kode=97.01.01.2001"
        assert run.banner == "Dataset uji terbitan 2"
        assert recovered_in < 60
        # b, on the living replica, never noticed
        run = await b.run()
        assert run.ok and b.replica != first_a
        # a new visitor goes to the living replica too
        fresh, _ = await _open(c, "peta")
        assert fresh.replica != first_a
        for s in (a, b, fresh):
            await s.close()
        return first_a

    dead_name = asyncio.run(scenario())
    deadline = time.monotonic() + 30
    while c.server_states().get(dead_name) == "UP" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert c.server_states()[dead_name] == "DOWN"  # out of rotation
    assert "is DOWN" in (c.run_dir / "haproxy.log").read_text()


def _lines(proc, wanted: str) -> list[str]:
    """Lines of ``proc``'s stderr read until one containing ``wanted`` (kept in ``proc.lines``)."""
    while not any(wanted in line for line in proc.lines):
        line = proc.stderr.readline()
        assert line, "".join(proc.lines)
        proc.lines.append(line)
    return [line for line in proc.lines if wanted in line]


def _free_ports_from(n: int, besides: int) -> int:
    """A port that is free now with the ``n - 1`` after it (and none of them ``besides``): the command gives its
    replicas consecutive ports from ``--first-port``; a port after a free one may be another process's (a
    server of the other test worker: replica r2 once found its port taken and stopped)."""
    for _ in range(100):
        first, held = cluster.free_port(), []
        try:
            for p in range(first, first + n):
                if p == besides:
                    raise OSError(f"port {p} is the balancer's")
                s = socket.socket()
                held.append(s)
                s.bind(("127.0.0.1", p))
            return first
        except OSError:
            continue
        finally:
            for s in held:
                s.close()
    raise AssertionError(f"no {n} consecutive free ports found")


@pytest.mark.slow
def test_make_serve_cluster_starts_the_balancer_and_replicas(tiny_db, tmp_path):
    """The command ``make serve-cluster`` runs, end to end: up, answering through the balancer, a killed
    replica started again, and every process gone after SIGTERM."""
    _need_haproxy()
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(tiny_db, data / "demo.duckdb")
    port = cluster.free_port()
    first = _free_ports_from(2, besides=port)
    proc = subprocess.Popen([sys.executable, "-m", "sinergi.cluster", "run", "-n", "2", "--port", str(port),
                             "--first-port", str(first), "--data", str(data), "--run-dir", str(tmp_path / "run")],
                            cwd=ROOT, stderr=subprocess.PIPE, text=True)
    proc.lines = []
    try:
        deadline = time.monotonic() + 180
        while not cluster.healthy(f"http://127.0.0.1:{port}") and time.monotonic() < deadline:
            assert proc.poll() is None, proc.stderr.read()
            time.sleep(0.5)
        assert cluster.healthy(f"http://127.0.0.1:{port}")
        assert cluster.healthy(f"http://127.0.0.1:{first}") and cluster.healthy(f"http://127.0.0.1:{first + 1}")
        # the supervisor starts a replica that died again
        started = (tmp_path / "run" / f"replica-{first}.log").read_text().count("You can now view")
        pid = next(int(line.rsplit("pid ", 1)[1].strip().rstrip(")")) for line in _lines(proc, "replika r1 siap"))
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 120
        while (tmp_path / "run" / f"replica-{first}.log").read_text().count("You can now view") == started:
            assert time.monotonic() < deadline, "the killed replica was not started again"
            time.sleep(0.5)
        while not cluster.healthy(f"http://127.0.0.1:{first}") and time.monotonic() < deadline:
            time.sleep(0.5)
        assert cluster.healthy(f"http://127.0.0.1:{first}")
    finally:
        proc.send_signal(signal.SIGTERM)
        err = "".join(proc.lines) + proc.stderr.read()  # to its end: the supervisor has exited
        proc.wait(60)
    assert proc.returncode == 0, err
    assert not cluster.healthy(f"http://127.0.0.1:{port}", 1) and not cluster.healthy(f"http://127.0.0.1:{first}", 1)
    assert "penyeimbang beban (HAProxy) siap" in err and "replika r1 dimulai lagi" in err

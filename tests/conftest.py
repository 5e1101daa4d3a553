import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from apptest import scan_components_once, share_script_cache, wait_for_runs_without_polling  # noqa: E402
from shared_folder import viewed  # noqa: E402

scan_components_once()
share_script_cache()
wait_for_runs_without_polling()


# A worker that dies of a signal (a segmentation fault) is reported by pytest-xdist only as "node down: Not
# properly terminated". Each worker writes Python's fault report (every thread's stack) to a file of its own, and
# the controller prints that file when a worker goes down, so a crash in CI says where it happened.
def _crash_log(controller_pid: int, worker: str) -> Path:
    import tempfile

    return Path(tempfile.gettempdir()) / f"sinergi-tests-{controller_pid}-{worker}.crash"


@pytest.hookimpl(trylast=True)  # after pytest's own faulthandler set-up, which writes to the worker's stderr
def pytest_configure(config):
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        import faulthandler

        config._sinergi_crash_file = open(_crash_log(os.getppid(), worker), "w")  # noqa: SIM115 - open for the run
        faulthandler.enable(config._sinergi_crash_file, all_threads=True)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    path = _crash_log(os.getpid(), node.gateway.id)
    report = path.read_text(errors="replace") if path.exists() else ""
    if error and report.strip():
        sys.stderr.write(f"\n[{node.gateway.id}] its fault report:\n{report[-6000:]}\n")
    path.unlink(missing_ok=True)

# The app servers the tests start (browser tests, the cluster, the load test) inherit this: no watching of the
# source files. Streamlit's watcher walks every loaded module for each new session, ~0.25 s of CPU per page
# load (3.3-3.6 s → 1.0-1.1 s of server CPU for 10 page loads), and no test edits the app while it runs.
os.environ.setdefault("STREAMLIT_SERVER_FILE_WATCHER_TYPE", "none")


@pytest.fixture(scope="session")
def tiny_db(tmp_path_factory):
    """Path of a database built from tests/fixtures.py."""
    from fixtures import tiny_dataset

    from sinergi import build

    path = tmp_path_factory.mktemp("db") / "uji.duckdb"
    build.write_database(path, **tiny_dataset())
    return path


@pytest.fixture(scope="session")
def tiny_con(tiny_db):
    from sinergi import db

    con = db.connect(tiny_db)
    yield con
    con.close()


@pytest.fixture(scope="session")
def shared_tiny_dir(tiny_db, tmp_path_factory):
    """One data folder whose active dataset (``demo``) is the tiny fixture, shared by every test that only
    reads it: the same file (same path and mtime) keeps Streamlit's caches, keyed by the dataset file, warm
    from one test to the next. A test that writes into its data folder makes its own copy instead."""
    d = tmp_path_factory.mktemp("shared-data")
    shutil.copy(tiny_db, d / "demo.duckdb")
    return d


@pytest.fixture()
def tiny_data_dir(shared_tiny_dir, monkeypatch):
    """The shared tiny data folder as this test's ``SINERGI_DATA_DIR``; fails the test if it wrote there."""
    with viewed(shared_tiny_dir, monkeypatch) as d:
        yield d

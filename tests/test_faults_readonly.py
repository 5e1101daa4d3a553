"""A data folder the app may not write to: viewing still works (every page), changes refuse up front with
a clear message and change nothing, and without a database the message says why none can be built.

Made real, not simulated: tests run as root in CI, and root writes wherever the permission bits say no,
so the app and the CLI run here in a subprocess as the unprivileged user ``nobody`` (``setpriv``) over a
folder owned by root; as an ordinary user they run as themselves over a folder chmod'ed read-only. DuckDB
needs no more than that for viewing: the file is attached read-only from an in-memory database
(``sinergi.db.connect_snapshot``), which writes nothing beside it (no ``.wal``, no lock file).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import rusak

ROOT = Path(__file__).resolve().parents[1]
NOBODY = 65534
SETPRIV = "/usr/bin/setpriv"
PAGES = sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))


class Pembaca:
    """Runs commands as a user who may read but not write the data folder ``data``."""

    def __init__(self, base: Path, data: Path, prefix: list[str], home: Path):
        self.base, self.data, self.prefix, self.home = base, data, prefix, home

    def run(self, *argv: str, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
        e = dict(os.environ, SINERGI_DATA_DIR=str(self.data), HOME=str(self.home),
                 MPLCONFIGDIR=str(self.home / "mpl"))
        e.pop("SINERGI_ADMIN_PASSWORD", None)  # read-only unless a test gives one
        e.update(env or {})
        return subprocess.run([*self.prefix, *argv], cwd=ROOT, env=e, capture_output=True, text=True,
                              timeout=timeout, check=False)

    def cli(self, *argv: str, **kw) -> subprocess.CompletedProcess:
        return self.run(sys.executable, "-m", "sinergi", *argv, **kw)

    def pages(self, pages: list[str], langs: tuple[str, ...] = ("id",), password: str | None = None,
              login: bool = False) -> dict:
        """Each page run by AppTest in the subprocess, in each language (one process for all: its start and
        the app's first run are most of the cost), opened by its address as ``apptest.open_page`` does (one
        run; ``app.py``: the address without a page): per language, per page, its exceptions, errors,
        warnings, titles, captions, markdown and widget keys."""
        code = f"""
import json
import sys
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash
sys.path.insert(0, "tests")
from apptest import URL_PATHS, scan_components_once, share_script_cache, wait_for_runs_without_polling
scan_components_once()
share_script_cache()
wait_for_runs_without_polling()
out = {{}}
for lang in {list(langs)!r}:
    out[lang] = {{}}
    for page in {pages!r}:
        at = AppTest.from_file("app.py", default_timeout=120)
        if lang == "en":
            at.query_params["lang"] = "en"
        if page != "app.py":
            at._page_hash = calc_hash(URL_PATHS[page])
        at.run()
        assert page == "app.py" or at._finished_page_script_hash == at._page_hash, page + ": another page ran"
        if {login!r}:
            at.text_input(key="kd_password").input({password!r})
            next(b for b in at.button if b.label in ("Masuk", "Sign in")).click()
            at.run()
        out[lang][page] = {{"exception": [e.message for e in at.exception], "error": [e.value for e in at.error],
                           "warning": [w.value for w in at.warning], "title": [t.value for t in at.title],
                           "markdown": [m.value for m in at.markdown], "caption": [c.value for c in at.caption],
                           "metric": len(at.metric), "uploader": len(at.file_uploader),
                           "buttons": {{b.key: b.disabled for b in at.button if b.key}}}}
print("HASIL" + json.dumps(out))
"""
        env = {"SINERGI_ADMIN_PASSWORD": password} if password else None
        r = self.run(sys.executable, "-c", code, env=env)
        line = next((ln for ln in r.stdout.splitlines() if ln.startswith("HASIL")), None)
        assert line, r.stderr[-3000:]
        return json.loads(line[len("HASIL"):])

    def snapshot(self) -> dict[str, str]:
        return {p.name: (rusak.sha(p) if os.access(p, os.R_OK) else str(p.stat().st_mtime_ns))
                if p.is_file() else "dir" for p in sorted(self.data.iterdir())}


@pytest.fixture(scope="module")
def sebagai():
    """The command prefix that runs a command as a user who may not write a root-owned folder (``nobody``
    under root, this user otherwise), once that user was seen to run this checkout's Python (once per
    module: the same for every test); skipped with the reason when neither is possible."""
    if os.geteuid() == 0:
        if not os.path.exists(SETPRIV):
            pytest.skip(f"running as root without {SETPRIV}: cannot run the app as a user who may not write")
        prefix = [SETPRIV, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    else:
        prefix = []
    home = Path(tempfile.mkdtemp(prefix="sinergi-hanya-baca-"))
    home.chmod(0o755)
    if prefix:
        os.chown(home, NOBODY, NOBODY)
    probe = subprocess.run([*prefix, sys.executable, "-c", "import sinergi.db, streamlit"], cwd=ROOT,
                           env=dict(os.environ, HOME=str(home), MPLCONFIGDIR=str(home / "mpl")),
                           capture_output=True, text=True, timeout=600, check=False)
    shutil.rmtree(home, ignore_errors=True)
    if probe.returncode != 0:
        pytest.skip(f"the unprivileged user cannot run this checkout's Python: {probe.stderr[-300:]}")
    return prefix


@pytest.fixture()
def pembaca(sebagai):
    """A read-only data folder (outside pytest's private tmp, so another user can reach it) and the way
    to run commands as a user who cannot write it."""
    base = Path(tempfile.mkdtemp(prefix="sinergi-hanya-baca-"))
    base.chmod(0o755)
    data, home = base / "data", base / "home"
    data.mkdir()
    home.mkdir()
    if sebagai:
        os.chown(home, NOBODY, NOBODY)
    yield Pembaca(base, data, sebagai, home)
    for d in (data, base):
        d.chmod(stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
    shutil.rmtree(base, ignore_errors=True)


def _kunci(p: Pembaca) -> None:
    """Make the data folder read-only (for everyone but root) and prove the user cannot write to it."""
    p.data.chmod(0o555)
    r = p.run(sys.executable, "-c", f"open({str(p.data / 'coba')!r}, 'w')")
    if r.returncode == 0:
        (p.data / "coba").unlink()
        pytest.skip("this user can write to a read-only folder (capabilities): the test would prove nothing")


def test_every_page_views_from_a_read_only_folder(pembaca, tiny_db):
    shutil.copy(tiny_db, pembaca.data / "demo.duckdb")
    (pembaca.data / ".demo.duckdb.baru-0123abcd").write_bytes(b"x")  # a leftover it cannot remove
    _kunci(pembaca)
    before = pembaca.snapshot()
    seen = pembaca.pages(["app.py", *PAGES])["id"]
    for page, s in seen.items():
        assert s["exception"] == [] and s["error"] == [], page
        assert any("DATA DEMO" in m for m in s["markdown"]), page  # the dataset is shown
    assert seen["app.py"]["metric"] > 0  # the overview's numbers
    assert pembaca.snapshot() == before  # nothing written, nothing removed


def test_the_cli_views_and_refuses_changes_up_front(pembaca, tiny_db):
    shutil.copy(tiny_db, pembaca.data / "demo.duckdb")
    shutil.copy(tiny_db, pembaca.data / "kedua.duckdb")
    rusak.sampah(tiny_db, pembaca.data / "rusak.duckdb")
    shutil.copy(tiny_db, pembaca.data / "rahasia.duckdb")
    (pembaca.data / "rahasia.duckdb").chmod(0o600 if os.geteuid() == 0 else 0)  # root's own, or nobody's
    _kunci(pembaca)
    before = pembaca.snapshot()
    r = pembaca.cli("status")
    assert r.returncode == 0 and "Dataset demo (aktif)" in r.stdout
    r = pembaca.cli("datasets")
    assert r.returncode == 0 and " * demo" in r.stdout and "   kedua" in r.stdout
    assert "aplikasi tidak diizinkan membaca berkas rahasia.duckdb" in r.stdout
    r = pembaca.cli("use", "rahasia")
    assert r.returncode == 2 and "tidak diizinkan membaca berkas rahasia.duckdb" in r.stderr
    r = pembaca.cli("use", "kedua")
    assert r.returncode == 2 and f"Folder data {pembaca.data} tidak dapat ditulis" in r.stderr
    assert "izin tulis" in r.stderr
    # refused before the file is read: a file that does not even exist gets the folder's message
    r = pembaca.cli("import", "indicators", str(pembaca.base / "tidak-ada.csv"), "--dataset", "kedua", "--yes")
    assert r.returncode == 2 and "tidak dapat ditulis" in r.stderr and "Data lama tidak berubah" in r.stderr
    assert "tidak-ada.csv" not in r.stdout + r.stderr
    r = pembaca.cli("build-demo", "--size", "kecil")
    assert r.returncode == 2 and "tidak dapat ditulis" in r.stderr
    r = pembaca.cli("set-aside", "rusak")
    assert r.returncode == 2 and "tidak dapat ditulis" in r.stderr
    assert pembaca.snapshot() == before


def test_kelola_data_says_why_nothing_can_change(pembaca, tiny_db):
    shutil.copy(tiny_db, pembaca.data / "demo.duckdb")
    shutil.copy(tiny_db, pembaca.data / "kedua.duckdb")
    _kunci(pembaca)
    before = pembaca.snapshot()
    seen = pembaca.pages(["pages/kelola_data.py"], langs=("id", "en"), password="rahasia", login=True)
    for lang, folder_msg in (("id", "tidak dapat ditulis"), ("en", "is not writable")):
        s = seen[lang]["pages/kelola_data.py"]
        assert s["exception"] == []
        assert any(folder_msg in e for e in s["error"])  # the import section: the reason, no form
        assert s["uploader"] == 0 and "kd_check" not in s["buttons"]
        assert any(folder_msg in w for w in s["warning"])  # switching: the reason, and a disabled button
        assert s["buttons"]["kd_activate"] is True
    assert pembaca.snapshot() == before


def test_no_database_and_no_write_access(pembaca):
    _kunci(pembaca)
    seen = pembaca.pages(["app.py", "pages/peta.py", "pages/kelola_data.py"], langs=("id", "en"))
    for lang, text in (("id", "Basis data tidak dapat dibuka: folder data tidak dapat ditulis"),
                       ("en", "The database cannot be opened: the data folder is not writable")):
        assert len(seen[lang]) == 3
        for page, s in seen[lang].items():
            assert s["exception"] == [] and any(text in e for e in s["error"]), page
    r = pembaca.cli("status")
    assert r.returncode == 1 and "Dataset 'demo' tidak ada" in r.stderr and "build-demo" in r.stderr
    r = pembaca.cli("build-demo", "--size", "kecil")
    assert r.returncode == 2 and "tidak dapat ditulis" in r.stderr
    assert list(pembaca.data.iterdir()) == []  # no demo half-built

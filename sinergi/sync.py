"""Datasets published from one data folder to the local data folder of another host.

    python -m sinergi.sync SOURCE [--every 2] [--once]      (into SINERGI_DATA_DIR or data/)

On one host every replica reads the same data folder, and a new dataset is an atomic rename there: the
next script run of every replica sees it. Across hosts, replicas read a folder on their own disk and this
copies into it what the admin's host publishes (SOURCE: that host's data folder, mounted read-only, e.g.
over NFS). A replica never reads a file over the network that another host may replace under it, and
never sees a half-copied file:

- each ``SOURCE/<name>.duckdb`` whose identity (inode, size, modification time) differs from the one last
  copied is copied beside the local file (``.<name>.duckdb.baru-<hex>``, the importer's temporary name, so
  an interrupted copy is removed like an interrupted import), flushed to disk, and read through completely
  (``db.check_contents``: every block's checksum) before it is renamed over the local file;
- a source file being replaced while it is copied is copied as it was when opened (a rename never
  changes an open file); one that is damaged, or was written in place and is still growing, fails the
  check and is tried again at the next round, while the local replicas keep the previous build;
- ``SOURCE/active`` is followed once the dataset it names has arrived;
- copies happen under the local folder's write lock (``folders.kunci_folder``), so they never overlap a
  local import or build; a dataset removed at the source stays here.

The delay between a publication and every replica serving it is the round (``--every``) plus the copy
and the check (a few seconds for the national file on a local network); docs/deployment.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
import uuid
from pathlib import Path

from sinergi import db, folders

MANIFEST = ".sinkron.json"  # name → identity of the source file last copied


def _identity(s: os.stat_result) -> str:
    return f"{s.st_ino}:{s.st_size}:{s.st_mtime_ns}"


def _read_manifest(folder: Path) -> dict[str, str]:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _copy(src: Path, dest: Path) -> str:
    """Copy ``src`` to ``dest`` from one open file (one build, whatever happens to the name meanwhile),
    flushed to disk; returns the identity of what was copied."""
    with open(src, "rb") as fin:
        ident = _identity(os.fstat(fin.fileno()))
        with open(dest, "wb") as fout:
            shutil.copyfileobj(fin, fout, 16 * 2**20)
            fout.flush()
            os.fsync(fout.fileno())
    return ident


def sinkron_sekali(sumber: Path | str, tujuan: Path | str | None = None) -> list[str]:
    """One round: copy every changed dataset of ``sumber`` into ``tujuan`` (default: the data folder) and
    follow its ``active``. Returns what happened, one line each (Indonesian); raises nothing for a file
    that cannot be copied yet (said in the lines), :class:`folders.FolderSibuk` when a local write runs."""
    sumber, tujuan = Path(sumber), Path(tujuan) if tujuan else db.data_dir()
    done: list[str] = []
    with folders.kunci_folder(tujuan):
        folders.hapus_sisa(tujuan)
        manifest = _read_manifest(tujuan)
        for src in sorted(sumber.glob("*.duckdb")):
            name = src.stem
            if not nama_sah(name):
                continue
            local = tujuan / src.name
            try:
                ident = _identity(src.stat())
            except OSError:
                continue
            if manifest.get(name) == ident and local.exists():
                continue
            tmp = tujuan / f".{src.name}.baru-{uuid.uuid4().hex[:8]}"
            try:
                copied = _copy(src, tmp)
                db.check_contents(tmp)
                os.replace(tmp, local)
            except (OSError, db.DataError) as e:
                done.append(f"{name}: belum disalin ({e}); dicoba lagi pada putaran berikutnya")
                continue
            finally:
                tmp.unlink(missing_ok=True)
            manifest[name] = copied
            _write_atomic(tujuan / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True))
            done.append(f"{name}: disalin ({local.stat().st_size / 2**20:,.0f} MB)")
        try:
            aktif = (sumber / "active").read_text(encoding="utf-8").strip()
        except OSError:
            aktif = None
        if aktif and nama_sah(aktif) and (tujuan / f"{aktif}.duckdb").exists():
            try:
                here = (tujuan / "active").read_text(encoding="utf-8").strip()
            except OSError:
                here = None
            if here != aktif:
                _write_atomic(tujuan / "active", aktif + "\n")
                done.append(f"dataset aktif: {aktif}")
    return done


def nama_sah(name: str) -> bool:
    """A dataset name the app accepts (``data/<name>.duckdb``)."""
    try:
        db.dataset_path(name)
    except db.DataError:
        return False
    return True


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m sinergi.sync", description=__doc__.split("\n\n")[0])
    ap.add_argument("sumber", type=Path, help="folder data host admin (mis. dipasang lewat NFS, hanya-baca)")
    ap.add_argument("--every", type=float, default=2.0, help="detik antarputaran")
    ap.add_argument("--once", action="store_true", help="satu putaran saja")
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if not args.sumber.is_dir():
        print(f"Folder sumber tidak ada: {args.sumber}", file=sys.stderr)
        return 2
    while True:
        try:
            for line in sinkron_sekali(args.sumber):
                print(f"[sync {time.strftime('%H:%M:%S')}] {line}", file=sys.stderr, flush=True)
        except folders.FolderSibuk:
            pass  # a local import or build is writing: next round
        if args.once:
            return 0
        time.sleep(args.every)


if __name__ == "__main__":
    sys.exit(main())

"""The data folder's write side: its lock, leftovers of interrupted writes, writability, and setting
damaged files aside.

Writing into the data folder (an import, the demo build, setting a damaged file aside, switching the
active dataset) holds an advisory lock on the folder itself (:func:`kunci_folder`). The kernel drops it
when its holder dies, even by SIGKILL, so the next writer is never blocked by a dead one, and a temporary
file found while nobody holds the lock is certainly a leftover of an interrupted write
(:func:`bersihkan_sisa` removes those).
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sinergi import db


class FolderSibuk(RuntimeError):
    """Another import or build is writing into the data folder right now."""


@contextmanager
def kunci_folder(folder: Path | str, tunggu: bool = False) -> Iterator[None]:
    """Hold the data folder's write lock: ``flock`` on the directory itself (no lock file to leave behind).

    Without ``tunggu`` a held lock raises :class:`FolderSibuk` at once; with it, this waits. Two holders
    conflict even inside one process (each call opens its own descriptor), so threads of the app exclude
    each other as separate processes do.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if tunggu else fcntl.LOCK_NB))
        except BlockingIOError:
            raise FolderSibuk(f"Penulisan lain sedang berjalan di {folder}.") from None
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


# Temporary files of an interrupted write: write_database's ``<file>.tmp<pid>-<hex>`` and the importer's
# ``.<name>.duckdb.baru-<hex>`` (sinergi/importers/apply.py), each possibly with DuckDB's ``.wal`` and the
# ``.spill`` folder DuckDB spills to while building (sinergi/build.py).
_SISA = re.compile(r"^(?:\.[a-z][a-z0-9_]*\.duckdb\.baru-[0-9a-f]{8}(?:\.tmp\d+-[0-9a-f]{8})?"
                   r"|[a-z][a-z0-9_]*\.duckdb\.tmp\d+-[0-9a-f]{8})(?:\.wal|\.spill)?$")
# sinergi.datasets.gunakan writes ``.active.<pid>`` and renames it; not under the lock, so only a dead
# writer's one is stale.
_SISA_AKTIF = re.compile(r"^\.active\.(\d+)$")


def sisa(folder: Path | str | None = None) -> list[Path]:
    """Temporary files of interrupted writes in ``folder`` (default: the data folder), whatever their state."""
    folder = Path(folder) if folder else db.data_dir()
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    return [folder / n for n in names if _SISA.match(n) or _SISA_AKTIF.match(n)]


def _hidup(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process: alive
        return True
    return True


def hapus_sisa(folder: Path) -> list[Path]:
    """Remove the leftovers in ``folder``; the caller holds the folder's lock, so no writer owns them."""
    gone = []
    for p in sisa(folder):
        m = _SISA_AKTIF.match(p.name)
        if m and _hidup(int(m.group(1))):
            continue
        try:
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p)
            else:
                p.unlink()
        except OSError:  # a read-only folder: nothing can be removed, and nothing is harmed by them
            continue
        gone.append(p)
    return gone


def bersihkan_sisa(folder: Path | str | None = None) -> list[Path]:
    """Remove what interrupted writes left in the data folder and return it — only when no write is
    running (the folder's lock is free); otherwise nothing. Called at the app's start and at every
    import and demo build."""
    folder = Path(folder) if folder else db.data_dir()
    if not folder.is_dir():
        return []
    try:
        with kunci_folder(folder):
            return hapus_sisa(folder)
    except (FolderSibuk, OSError):
        return []


def bisa_ditulis(folder: Path | str | None = None) -> bool:
    """Whether this process can create files in ``folder`` (default: the data folder; created when
    missing). Tried with an unnamed temporary file, not guessed from permission bits: root may write
    where the bits say no, and a read-only mount refuses everyone."""
    folder = Path(folder) if folder else db.data_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError:
        return False
    return True


def pastikan_bisa_ditulis(folder: Path | str | None = None) -> None:
    """Raise :class:`db.DataError` (``tulis``) when :func:`bisa_ditulis` says no; nothing is changed."""
    folder = Path(folder) if folder else db.data_dir()
    if not bisa_ditulis(folder):
        raise db.gangguan("tulis", folder=folder)


def sisihkan(path: Path | str) -> Path:
    """Move a damaged dataset file (or whatever stands in its place) aside as ``<name>.rusak-<UTC time>``
    and return the new path; its ``.wal`` goes along. Never deletes: what was there can still be examined
    or recovered. The name ends in neither ``.duckdb`` nor a temporary-file pattern, so it is listed as no
    dataset and never cleaned up. The caller holds the folder's lock."""
    path = Path(path)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    dest = path.with_name(f"{path.name}.rusak-{stamp}")
    n = 1
    while os.path.lexists(dest):
        n += 1
        dest = path.with_name(f"{path.name}.rusak-{stamp}-{n}")
    os.rename(path, dest)
    wal = Path(f"{path}.wal")
    if wal.exists():
        os.rename(wal, Path(f"{dest}.wal"))
    return dest


# What the OS says when a write does not fit: the disk (or the user's quota) is full, or the file is larger
# than the process may write (RLIMIT_FSIZE). DuckDB passes on the OS's words (strerror, C locale).
_PENUH_ERRNO = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
_PENUH_TEKS = ("No space left on device", "Disk quota exceeded", "File too large")


def disk_penuh(e: BaseException) -> bool:
    """Whether ``e`` (an ``OSError`` or a DuckDB error) says a write did not fit on the disk."""
    if isinstance(e, OSError) and e.errno in _PENUH_ERRNO:
        return True
    return any(t in str(e) for t in _PENUH_TEKS)


"""The audit trail: every check, import (started, applied, failed, cancelled), dataset switch and access
change, with who, when, which file (name, size, SHA-256), which dataset, the outcome and the validation
summary. Shown on Kelola Data and by ``python -m sinergi audit``.

Storage: one JSON object per line in ``<data folder>/audit.jsonl``, appended, never rewritten. Each record
is one ``write`` on a descriptor opened with ``O_APPEND``, under an exclusive ``flock`` on the audit file
itself, and ``fsync``-ed before the action it announces goes on: a process killed right after (even by
SIGKILL) leaves its record on disk, and several app replicas sharing the data folder append whole lines
without interleaving. Its own lock, not the data folder's: that one is held for the minutes an import
takes, and a check or a switch must not wait for it. A writer killed in the middle of a line leaves a torn
line; the next writer starts on a new line and readers skip it and count it (:func:`baca`).

Why not SQLite or DuckDB: a second database engine (or a second writer of DuckDB files, which take one
writer at a time) for a log that is only ever appended and read whole; a text file survives any engine
version, is read by ``tail`` and ``jq``, and is copied to a log collector as it is.

A record that cannot be written stops the action it announces (:class:`AuditGagal`): nothing changes
unrecorded.
"""

from __future__ import annotations

import collections
import datetime as dt
import fcntl
import hashlib
import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from sinergi import db
from sinergi.auth import Pengguna

BERKAS = "audit.jsonl"
BATAS_BARIS = 32 * 1024  # bytes of one record at most (messages are shortened to fit)
# What happened (peristiwa) and how it ended (hasil). Every event may also end ``tidak_berhak``: refused
# because the user's role (re-checked at the action) does not allow it; then nothing was done.
PERISTIWA = ("periksa", "impor", "ganti", "sisihkan", "bangun_demo", "akses")
HASIL = ("siap", "galat", "dimulai", "berhasil", "gagal", "dibatalkan", "tidak_berhak")
SELESAI = ("berhasil", "gagal", "dibatalkan")  # an import's last record


class AuditGagal(RuntimeError):
    """The audit record could not be written; the action it would announce must not happen."""


def path(folder: Path | str | None = None) -> Path:
    return Path(folder or db.data_dir()) / BERKAS


def info_berkas(p: Path | str, nama: str | None = None) -> dict:
    """A file as the trail names it: its (user's) name, size in bytes and SHA-256."""
    h = hashlib.sha256()
    size = 0
    with open(p, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
            size += len(block)
    return {"nama": nama or Path(p).name, "ukuran": size, "sha256": h.hexdigest()}


def _pendek(text: object, n: int = 300) -> str:
    s = str(text)
    return s if len(s) <= n else s[: n - 1] + "…"


def _baris(rec: dict) -> bytes:
    line = json.dumps(rec, ensure_ascii=False, separators=(",", ":"), default=str)
    if len(line.encode()) > BATAS_BARIS:  # long messages of a report: keep the numbers, shorten the words
        if "pesan" in rec:
            rec["pesan"] = _pendek(rec["pesan"], 2000)
        r = rec.get("ringkasan")
        if isinstance(r, dict):
            rec["ringkasan"] = {k: (_pendek(v, 200) if not isinstance(v, (int, float, bool)) else v)
                                for k, v in r.items()}
        line = json.dumps(rec, ensure_ascii=False, separators=(",", ":"), default=str)
        if len(line.encode()) > BATAS_BARIS:
            rec.pop("ringkasan", None)
            rec["pesan"] = _pendek(rec.get("pesan", ""), 1000)
            line = json.dumps(rec, ensure_ascii=False, separators=(",", ":"), default=str)
    return (line + "\n").encode("utf-8")


def _tambahkan(p: Path, data: bytes) -> None:
    """Append one whole line under the file's lock and make it durable before returning."""
    baru = not p.exists()
    fd = os.open(p, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o640)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # held for one write and one fsync: never long
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":  # a torn line of a killed writer stays on its own
            data = b"\n" + data
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)  # releases the lock
    if baru:  # the new file's name must survive a crash too
        dfd = os.open(p.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


def catat(peristiwa: str, hasil: str, oleh: Pengguna, *, dataset: str | None = None, berkas: dict | None = None,
          ringkasan: dict | None = None, pesan: str | None = None, impor: str | None = None,
          folder: Path | str | None = None) -> dict:
    """Append one record and return it. Raises :class:`AuditGagal` (Indonesian message) when it cannot be
    written; the caller then does not do what it was about to."""
    if peristiwa not in PERISTIWA or hasil not in HASIL:
        raise ValueError(f"unknown audit event {peristiwa!r}/{hasil!r}")
    rec = {"waktu": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
           "peristiwa": peristiwa, "hasil": hasil, "oleh": oleh.untuk_jejak(), "dataset": dataset,
           "berkas": berkas, "ringkasan": ringkasan, "pesan": pesan, "impor": impor,
           "proses": {"pid": os.getpid(), "host": socket.gethostname()}}
    rec = {k: v for k, v in rec.items() if v is not None}
    p = path(folder)
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        _tambahkan(p, _baris(rec))
    except OSError as e:
        raise AuditGagal(f"Jejak audit tidak dapat ditulis ke {p}: {e.strerror or e}.") from e
    return rec


# --- reading ------------------------------------------------------------------------------------------


@dataclass
class Jejak:
    entri: list[dict]  # oldest first
    rusak: int = 0  # lines that are not a record (torn by a killed writer, or edited by hand)


def baca(folder: Path | str | None = None, terakhir: int | None = None) -> Jejak:
    """The records (the last ``terakhir`` lines only, when given); an absent file is an empty trail."""
    p = path(folder)
    try:
        with open(p, "rb") as f:
            lines = collections.deque(f, maxlen=terakhir) if terakhir else list(f)
    except FileNotFoundError:
        return Jejak([])
    out, rusak = [], 0
    for line in lines:
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except (UnicodeDecodeError, json.JSONDecodeError):
            rusak += 1
            continue
        if isinstance(rec, dict) and "peristiwa" in rec:
            out.append(rec)
        else:
            rusak += 1
    return Jejak(out, rusak)


def _hidup(proses: dict) -> bool:
    """Whether the process that wrote a record still runs (on this host; elsewhere: unknown → True)."""
    if proses.get("host") != socket.gethostname():
        return True
    try:
        os.kill(int(proses.get("pid", 0)), 0)
    except ProcessLookupError:
        return False
    except (OSError, ValueError):
        return True
    return True


def terputus(entri: list[dict]) -> dict[str, str]:
    """Imports that started and have no last record: ``impor`` id → ``berjalan`` (its process still runs)
    or ``terputus`` (it died: killed, or the machine stopped). Nothing changed for those."""
    started = {r["impor"]: r for r in entri if r.get("peristiwa") == "impor" and r.get("hasil") == "dimulai"
               and r.get("impor")}
    for r in entri:
        if r.get("peristiwa") == "impor" and r.get("hasil") in SELESAI:
            started.pop(r.get("impor"), None)
    return {k: ("berjalan" if _hidup(r.get("proses") or {}) else "terputus") for k, r in started.items()}


def _ukuran(n: object) -> str:
    if not isinstance(n, int):
        return ""
    from sinergi.i18n import fmt_num

    return f"{fmt_num(n / 1024, 1, 'id')} KB" if n >= 1024 else f"{n} B"


def ringkas(rec: dict) -> str:
    """The record's summary in one line: the report's numbers, or the message."""
    r = rec.get("ringkasan") or {}
    parts = []
    if r:
        parts.append(f"{r.get('baris', '?')} baris, {r.get('cocok', 0)} cocok, {r.get('baru', 0)} baru, "
                     f"{r.get('tidak_cocok', 0)} tidak cocok")
        if r.get("galat"):
            parts.append(f"{len(r['galat'])} galat: {_pendek(r['galat'][0], 120)}")
        if r.get("peringatan"):
            parts.append(f"{r['peringatan']} peringatan")
    if rec.get("pesan"):
        parts.append(_pendek(rec["pesan"], 200))
    return "; ".join(parts)


def baris_tabel(entri: list[dict]) -> list[dict]:
    """One flat row per record (newest first) for a table: plain text cells, never Markdown."""
    status = terputus(entri)
    rows = []
    for r in reversed(entri):
        who = r.get("oleh") or {}
        f = r.get("berkas") or {}
        hasil = r.get("hasil", "")
        if r.get("peristiwa") == "impor" and hasil == "dimulai" and r.get("impor") in status:
            hasil = f"dimulai ({status[r['impor']]})"
        rows.append({"waktu": r.get("waktu", ""), "peristiwa": r.get("peristiwa", ""), "hasil": hasil,
                     "dataset": r.get("dataset", ""), "oleh": who.get("nama") or who.get("sub") or "",
                     "sub": who.get("sub", ""), "cara": who.get("cara", ""), "peran": who.get("peran") or "",
                     "berkas": f.get("nama", ""), "ukuran": _ukuran(f.get("ukuran")),
                     "sha256": f.get("sha256", ""), "ringkasan": ringkas(r), "impor": r.get("impor", "")})
    return rows


def teks(j: Jejak) -> str:
    """The trail for the command line (Indonesian), newest last as in the file."""
    if not j.entri:
        lines = ["Jejak audit kosong."]
    else:
        lines = []
        for row in reversed(baris_tabel(j.entri)):
            who = f"{row['oleh']} [{row['cara']}{', ' + row['peran'] if row['peran'] else ''}]"
            line = f"{row['waktu']}  {row['peristiwa']:<11} {row['hasil']:<22} {row['dataset'] or '-':<12} {who}"
            if row["berkas"]:
                line += f"\n    berkas: {row['berkas']} ({row['ukuran']}) sha256 {row['sha256']}"
            if row["ringkasan"]:
                line += f"\n    {row['ringkasan']}"
            lines.append(line)
    if j.rusak:
        lines.append(f"({j.rusak} baris bukan catatan: terpotong oleh proses yang dihentikan, atau diubah tangan)")
    return "\n".join(lines)

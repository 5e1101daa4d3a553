"""Every data-changing action, each with its role check and its audit records.

The Kelola Data page and the command line change data only through these functions. Each one takes the
user *as of now* (the page computes it again at the click, from the identity token, the configuration
and the data folder's access file; the command line is :func:`sinergi.auth.baris_perintah`) and
refuses, with a ``tidak_berhak`` record, when the role does not allow the action or the dataset is
restricted beyond it. An import is recorded when checked, when it starts (``dimulai``, on disk before
the first byte of the new file is written) and when it ends (``berhasil``, ``gagal`` or
``dibatalkan``), all under one id; an import killed half-way keeps its ``dimulai`` and no end, which
``python -m sinergi audit`` reports as interrupted (and its files are leftovers, the data unchanged).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

from sinergi import audit, auth, build, datasets, db
from sinergi.importers import ImporGagal, apply
from sinergi.importers.plan import Rencana


class TidakBerhak(PermissionError):
    """The user's role (checked at the action) does not allow it; nothing was done (Indonesian message)."""


def _izinkan(oleh: auth.Pengguna, perlu: str, peristiwa: str, dataset: str | None, **kw) -> None:
    """Refuse (recorded) unless ``oleh`` holds ``perlu`` and may see ``dataset``."""
    alasan = None
    if not auth.boleh(oleh, perlu):
        alasan = (f"Peran {oleh.peran or 'tanpa peran'} tidak cukup: perlu {perlu}."
                  if oleh.masuk else "Belum masuk (atau sesi sudah berakhir): masuk dulu.")
    elif dataset and not auth.may_view(dataset, oleh):
        alasan = "Dataset ini terbatas dan peran Anda tidak mencakupnya."
    if alasan:
        try:
            audit.catat(peristiwa, "tidak_berhak", oleh, dataset=dataset, pesan=alasan, **kw)
        except audit.AuditGagal:
            pass  # refused all the same
        raise TidakBerhak(alasan)


def _catat_gagal(peristiwa: str, oleh: auth.Pengguna, e: BaseException, **kw) -> None:
    """The failure of an action, recorded as well as can be: when even that cannot be written (the very
    fault may be an unwritable data folder), the action's own error is what the caller sees."""
    try:
        audit.catat(peristiwa, "gagal", oleh, pesan=str(e) or type(e).__name__, **kw)
    except audit.AuditGagal:
        pass


def id_impor() -> str:
    return uuid.uuid4().hex[:16]


# --- imports -----------------------------------------------------------------------------------------


def periksa(oleh: auth.Pengguna, dataset: str, berkas: dict, buat: Callable[[], Rencana]) -> Rencana:
    """Check a file: ``buat`` makes the plan (reads and validates, writes nothing); the check is recorded
    with the file (``berkas``: :func:`sinergi.audit.info_berkas`) and the report's summary."""
    impor = id_impor()
    _izinkan(oleh, auth.IMPOR, "periksa", dataset, berkas=berkas, impor=impor)
    r = buat()
    r.jejak = {"impor": impor, "berkas": berkas}
    audit.catat("periksa", "siap" if r.boleh_diterapkan else "galat", oleh, dataset=r.dataset, berkas=berkas,
                ringkasan=r.laporan.ringkasan_jejak(), impor=impor)
    return r


def _dasar(r: Rencana) -> dict:
    j = getattr(r, "jejak", None) or {}
    return {"dataset": r.dataset, "berkas": j.get("berkas"), "impor": j.get("impor") or id_impor()}


def terapkan(r: Rencana, oleh: auth.Pengguna, progress: apply.Progress | None = None, aktifkan: bool = False,
             terbatas: bool = False) -> Path:
    """Apply a checked plan (``sinergi.importers.apply.terapkan``) with its records; ``terbatas`` marks the
    dataset restricted before its file is written. Raises :class:`TidakBerhak`, :class:`ImporGagal`
    (also when the start cannot be recorded: then nothing was written) or :class:`db.DataError`."""
    base = _dasar(r)
    _izinkan(oleh, auth.IMPOR, "impor", r.dataset, berkas=base["berkas"], impor=base["impor"])
    try:
        if terbatas:
            _tandai(oleh, r.dataset, True)
        audit.catat("impor", "dimulai", oleh, ringkasan=r.laporan.ringkasan_jejak(), **base)
    except (audit.AuditGagal, db.DataError) as e:
        raise ImporGagal(f"{e} Impor tidak dimulai.") from None
    try:
        path = apply.terapkan(r, progress=progress, aktifkan=aktifkan)
    except BaseException as e:  # an error, a refusal, Ctrl-C: the end is recorded, the old data stays
        _catat_gagal("impor", oleh, e, **base)
        raise
    audit.catat("impor", "berhasil", oleh, pesan=f"ditulis ke {path.name}", **base)
    if aktifkan:
        audit.catat("ganti", "berhasil", oleh, dataset=r.dataset, impor=base["impor"], pesan="diaktifkan setelah impor")
    return path


def batal(r: Rencana, oleh: auth.Pengguna) -> None:
    """A checked import the user cancelled (nothing was written): recorded."""
    audit.catat("impor", "dibatalkan", oleh, **_dasar(r))


# --- the datasets ------------------------------------------------------------------------------------


def _lakukan(peristiwa: str, perlu: str, nama: str, oleh: auth.Pengguna, buat: Callable[[], object],
             pesan: Callable[[object], str]):
    """Check the role, do ``buat()``, record how it ended (``pesan`` of its result), return the result."""
    _izinkan(oleh, perlu, peristiwa, nama)
    try:
        out = buat()
    except BaseException as e:  # an error, or Ctrl-C on the command line: recorded, then raised
        _catat_gagal(peristiwa, oleh, e, dataset=nama)
        raise
    audit.catat(peristiwa, "berhasil", oleh, dataset=nama, pesan=pesan(out))
    return out


def ganti(nama: str, oleh: auth.Pengguna) -> datasets.InfoDataset:
    """Make ``nama`` the active dataset (``datasets.gunakan``), recorded; a failure is recorded and raised."""
    dari = db.active_dataset()
    return _lakukan("ganti", auth.GANTI, nama, oleh, lambda: datasets.gunakan(nama), lambda _: f"sebelumnya {dari}")


def sisihkan(nama: str, oleh: auth.Pengguna) -> Path:
    """Set dataset ``nama``'s damaged file aside (``datasets.sisihkan``), recorded."""
    return _lakukan("sisihkan", auth.KELOLA, nama, oleh, lambda: datasets.sisihkan(nama),
                    lambda aside: f"disimpan sebagai {aside.name}")


def bangun_demo(oleh: auth.Pengguna, **kwargs) -> tuple[Path, Path | None]:
    """Rebuild the demo dataset (``build.rebuild_demo``), recorded; ``kwargs`` go to it."""
    return _lakukan("bangun_demo", auth.KELOLA, "demo", oleh, lambda: build.rebuild_demo(**kwargs),
                    lambda r: f"ditulis ke {r[0]}" + (f"; berkas rusak disimpan sebagai {r[1].name}" if r[1] else ""))


# --- access ------------------------------------------------------------------------------------------


def _tandai(oleh: auth.Pengguna, nama: str, terbatas: bool) -> None:
    auth.tandai_terbatas(nama, terbatas)
    audit.catat("akses", "berhasil", oleh, dataset=nama, pesan="ditandai terbatas" if terbatas else "tidak lagi terbatas")


def tandai_terbatas(nama: str, terbatas: bool, oleh: auth.Pengguna) -> None:
    """Mark dataset ``nama`` restricted (or lift the app's mark), recorded; admins only."""
    _izinkan(oleh, auth.KELOLA, "akses", nama)
    _tandai(oleh, nama, terbatas)


def beri_peran(siapa: str, peran: str | None, oleh: auth.Pengguna) -> None:
    """Grant ``peran`` to ``siapa`` in the app (``None``: take the grant away), recorded; admins only, and
    never to themselves (an admin cannot lock themselves out or raise their own role)."""
    _izinkan(oleh, auth.KELOLA, "akses", None)
    key = siapa.strip().lower() if "@" in siapa else siapa.strip()
    if oleh.cara == "oidc" and key in (oleh.sub, oleh.email.lower()):
        raise auth.AturanSalah("Peran sendiri tidak dapat diubah di sini.")
    auth.beri_peran(siapa, peran)
    audit.catat("akses", "berhasil", oleh, pesan=f"peran {key}: {peran or 'dicabut'}")

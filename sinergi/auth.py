"""Who is using the app and what they may do: roles, restricted datasets, session lifetime.

Sign-in is OpenID Connect through Streamlit's own ``st.login`` (an ``[auth]`` section in the secrets: any
provider, configured, never coded). Without ``[auth]`` the app runs as before: anyone views, the admin
password (``sinergi.importers.access``) opens the data-changing controls for one session.

Roles, lowest first (:data:`PERAN`): ``viewer`` sees restricted datasets (when ``restricted_role`` allows),
``steward`` also imports and switches the active dataset, ``admin`` also manages datasets (marks them
restricted, sets damaged files aside, rebuilds the demo) and grants roles. A signed-in user's role is the
highest of: the ID-token claim(s) in ``[access] role_claim`` mapped by ``[access.claim_roles]`` (a value
equal to a role name counts as that role), the allow-list ``[access.users]`` (e-mail or subject → role) and
the roles admins granted in the app (kept in the data folder, :data:`BERKAS_AKSES`). Anyone else signed
in gets ``[access] default_role`` (none unless configured: signing in with some account of a public
provider must not open restricted data).

A dataset is restricted when ``[access] restricted`` lists it or an admin marked it in the app
(:func:`ubah_akses`). :func:`may_view` is the one question every place that shows data asks, the pages as
well as HTTP routes (``user_from_cookies`` reads the same signed cookie Streamlit reads).

This module reads configuration and the data folder; it draws nothing (``sinergi.signin`` does).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sinergi import db

PERAN = ("viewer", "steward", "admin")
# What each role may do beyond viewing (checked by name, so a page asks for a capability, not a role).
IMPOR, GANTI, KELOLA = "steward", "steward", "admin"
SEKSI = "access"  # the secrets section of these rules ([auth] is Streamlit's own)
BERKAS_AKSES = "akses.json"  # in the data folder: datasets marked restricted and roles granted in the app
SESI_JAM = 8.0  # a sign-in lasts this long (hours from the token's iat), unless [access] session_hours says


@dataclass(frozen=True)
class Pengguna:
    """Someone using the app: from the identity token, the admin password, the command line, or nobody."""

    sub: str = ""  # the token's subject; "admin-password" / "command line" for those
    nama: str = ""  # display name
    email: str = ""
    peran: str | None = None  # viewer | steward | admin | None (no role)
    cara: str = "anonim"  # oidc | admin-password | command line | anonim
    kedaluwarsa: bool = False  # an identity was presented but its session had ended

    @property
    def masuk(self) -> bool:
        """Signed in (by the identity provider, the admin password or as the command line)."""
        return self.cara != "anonim"

    def untuk_jejak(self) -> dict:
        """Who, as the audit trail records it."""
        return {"sub": self.sub or "anonim", "nama": self.nama or self.sub or "anonim", "cara": self.cara,
                "peran": self.peran}


ANONIM = Pengguna()
SANDI_ADMIN = Pengguna("admin-password", "admin-password", peran="admin", cara="admin-password")


def baris_perintah() -> Pengguna:
    """The command line: a local operator with the data folder in hand (the OS account is kept as the name)."""
    import getpass

    try:
        akun = getpass.getuser()
    except (KeyError, OSError):
        akun = str(os.getuid())
    return Pengguna("command line", f"command line ({akun})", peran="admin", cara="command line")


def tingkat(peran: str | None) -> int:
    """0 for no role, then 1, 2, 3 along :data:`PERAN`."""
    return PERAN.index(peran) + 1 if peran in PERAN else 0


def boleh(pengguna: Pengguna | None, perlu: str) -> bool:
    """Whether ``pengguna``'s role is at least ``perlu``."""
    return pengguna is not None and tingkat(pengguna.peran) >= tingkat(perlu) > 0


# --- the rules ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Aturan:
    """The access rules in force: configuration (secrets) plus what admins set in the data folder."""

    oidc: bool = False  # an [auth] section is configured: sign-in by the identity provider
    klaim: tuple[str, ...] = ("groups", "roles")
    peta_klaim: Mapping[str, str] = field(default_factory=dict)  # claim value -> role
    daftar: Mapping[str, str] = field(default_factory=dict)  # e-mail (lower case) or subject -> role (config)
    diberikan: Mapping[str, str] = field(default_factory=dict)  # the same, granted in the app (data folder)
    peran_bawaan: str | None = None  # the role of any other signed-in user
    terbatas_konfigurasi: frozenset[str] = frozenset()
    terbatas_aplikasi: frozenset[str] = frozenset()
    peran_terbatas: str = "viewer"  # the least role that sees restricted datasets
    wajib_masuk: bool = False  # every page needs a signed-in user with a role
    sesi_detik: float = SESI_JAM * 3600
    provider: str | None = None  # a named provider ([auth.NAME]) for st.login; None: the [auth] default

    @property
    def terbatas(self) -> frozenset[str]:
        return self.terbatas_konfigurasi | self.terbatas_aplikasi


class AturanSalah(ValueError):
    """The [access] configuration says something that cannot be meant (an unknown role, a bad number)."""


def _peran_sah(value: object, where: str, kosong_boleh: bool = False) -> str | None:
    text = str(value or "").strip().lower()
    if not text or text in ("none", "tidak"):
        if kosong_boleh:
            return None
        raise AturanSalah(f"[{SEKSI}] {where}: peran kosong; pilih salah satu dari {', '.join(PERAN)}.")
    if text not in PERAN:
        raise AturanSalah(f"[{SEKSI}] {where}: peran {value!r} tidak dikenal; pilih salah satu dari {', '.join(PERAN)}.")
    return text


def _kunci_daftar(k: str) -> str:
    return k.strip().lower() if "@" in k else k.strip()


def aturan_dari(secrets: Mapping | None, akses: Mapping | None = None) -> Aturan:
    """The rules from a secrets mapping (``[auth]``, ``[access]``) and the data folder's :data:`BERKAS_AKSES`
    content. Raises :class:`AturanSalah` for a configuration that names an unknown role."""
    secrets = secrets or {}
    akses = akses or {}
    conf = secrets.get(SEKSI) or {}
    klaim = conf.get("role_claim", ("groups", "roles"))
    klaim = (klaim,) if isinstance(klaim, str) else tuple(str(k) for k in klaim)
    peta = {str(k): _peran_sah(v, f"claim_roles.{k}") for k, v in dict(conf.get("claim_roles") or {}).items()}
    daftar = {_kunci_daftar(str(k)): _peran_sah(v, f"users.{k}") for k, v in dict(conf.get("users") or {}).items()}
    diberikan = {}
    for k, v in dict(akses.get("peran") or {}).items():
        if str(v) in PERAN:  # a hand-edited file with a wrong role grants nothing
            diberikan[_kunci_daftar(str(k))] = str(v)
    try:
        jam = float(conf.get("session_hours", SESI_JAM))
    except (TypeError, ValueError):
        raise AturanSalah(f"[{SEKSI}] session_hours harus berupa angka jam.") from None
    if not jam > 0:
        raise AturanSalah(f"[{SEKSI}] session_hours harus lebih dari 0.")
    return Aturan(
        oidc=bool(secrets.get("auth")),
        klaim=klaim,
        peta_klaim=peta,
        daftar=daftar,
        diberikan=diberikan,
        peran_bawaan=_peran_sah(conf.get("default_role"), "default_role", kosong_boleh=True),
        terbatas_konfigurasi=frozenset(str(x) for x in conf.get("restricted") or ()),
        terbatas_aplikasi=frozenset(str(x) for x in akses.get("terbatas") or () if isinstance(x, str)),
        peran_terbatas=_peran_sah(conf.get("restricted_role", "viewer"), "restricted_role"),
        wajib_masuk=bool(conf.get("require_sign_in", False)) and bool(secrets.get("auth")),
        sesi_detik=jam * 3600,
        provider=str(conf["provider"]) if conf.get("provider") else None,
    )


def _secrets() -> Mapping:
    """Streamlit's secrets (``.streamlit/secrets.toml``, or what a test set); empty when there are none."""
    import streamlit as st

    try:
        if st.secrets.load_if_toml_exists():
            return st.secrets.to_dict()
    except Exception:  # noqa: BLE001 - an unreadable secrets file: no configuration, as Streamlit itself does
        pass
    return {}


def aturan() -> Aturan:
    """The rules in force now (read on every call: a change of the data folder's file counts at once)."""
    return aturan_dari(_secrets(), baca_akses())


# --- roles from the identity token --------------------------------------------------------------------


def _nilai_klaim(info: Mapping, nama: str) -> list[str]:
    """A claim's values: a list, or a string of values separated by spaces or commas; ``a.b`` reaches into
    nested claims (Keycloak's ``realm_access.roles``)."""
    value: object = info
    for part in nama.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    if isinstance(value, str):
        return [v for v in value.replace(",", " ").split() if v]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if isinstance(v, (str, int))]
    return []


def peran_dari(info: Mapping, rules: Aturan) -> str | None:
    """The role of a signed-in identity (the claims Streamlit keeps from the ID token)."""
    found: list[str | None] = []
    for nama in rules.klaim:
        for v in _nilai_klaim(info, nama):
            for key in (v, v.lstrip("/")):  # Keycloak may send group paths ("/sinergi-admin")
                found.append(rules.peta_klaim.get(key) or (key.lower() if key.lower() in PERAN else None))
    keys = [str(info.get("sub") or "")]
    email = str(info.get("email") or "").strip().lower()
    if email and info.get("email_verified") is not False:  # an address the provider did not verify names nobody
        keys.append(email)
    for k in keys:
        if k:
            found += [rules.daftar.get(k), rules.diberikan.get(k)]
    best = max(found, key=tingkat, default=None)
    return best if tingkat(best) else rules.peran_bawaan


def sesi_habis(info: Mapping, rules: Aturan, now: float | None = None) -> bool:
    """Whether a sign-in is older than the session lifetime (from the token's ``iat``, else ``auth_time``).
    Without either the age cannot be told: expired (closed, not open)."""
    now = time.time() if now is None else now
    for k in ("iat", "auth_time"):
        v = info.get(k)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return now - float(v) > rules.sesi_detik
    return True


def pengguna_dari(info: Mapping | None, rules: Aturan, now: float | None = None) -> Pengguna:
    """The user an identity (``st.user`` as a dict, or a decoded cookie) stands for under ``rules``."""
    if not rules.oidc or not info or info.get("is_logged_in") is not True:
        return ANONIM
    sub = str(info.get("sub") or "")
    nama = str(info.get("name") or info.get("preferred_username") or info.get("email") or sub)
    if not sub or sesi_habis(info, rules, now):
        return Pengguna(sub, nama, kedaluwarsa=True)
    return Pengguna(sub, nama, str(info.get("email") or ""), peran_dari(info, rules), "oidc")


# --- restricted datasets ------------------------------------------------------------------------------


def may_view(dataset: str, user: Pengguna | None, rules: Aturan | None = None) -> bool:
    """Whether ``user`` may receive anything of ``dataset``: its name, values, geometry, exports, tiles.

    An unrestricted dataset: everyone. A restricted one: only a signed-in user (identity provider, admin
    password, command line) whose role is at least ``restricted_role``. Ask this before anything of a
    dataset leaves the server, pages and HTTP routes alike (with :func:`user_from_cookies` there)."""
    if user is not None and user.masuk and user.peran == PERAN[-1]:
        return True  # the highest role sees every dataset (and the command line needs no configuration)
    rules = rules or aturan()
    if dataset not in rules.terbatas:
        return True
    return user is not None and user.masuk and boleh(user, rules.peran_terbatas)


def may_view_active(user: Pengguna | None, rules: Aturan | None = None) -> bool:
    """:func:`may_view` for the active dataset."""
    return may_view(db.active_dataset(), user, rules)


def url_secret() -> bytes:
    """The server's secret for keys in URLs (a restricted dataset's tile URLs, ``sinergi.mapdata.capability``):
    Streamlit's cookie secret (``server.cookieSecret``; set the same on every replica behind a balancer)."""
    from streamlit.web.server.server_util import get_cookie_secret

    return get_cookie_secret().encode("utf-8")


def user_from_cookies(cookies: Mapping[str, str], rules: Aturan | None = None) -> Pengguna:
    """The user of an HTTP request to this server, from Streamlit's signed identity cookie (the one
    ``st.user`` is read from; split cookies joined). A missing, tampered, foreign-origin or expired cookie
    gives :data:`ANONIM` (or an expired user). For routes served beside the app (tiles, GeoJSON)."""
    rules = rules or aturan()
    if not rules.oidc:
        return ANONIM
    from streamlit.auth_util import get_cookie_with_chunks, get_origin_from_redirect_uri
    from streamlit.web.server.server_util import get_cookie_secret
    from streamlit.web.server.starlette.starlette_app_utils import decode_signed_value

    name = "_streamlit_user"
    secret = get_cookie_secret()

    def one(n: str) -> bytes | None:
        value = cookies.get(n)
        return decode_signed_value(secret, n, value.encode("latin-1")) if value else None

    raw = get_cookie_with_chunks(one, name)
    if not raw:
        return ANONIM
    try:
        info = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return ANONIM
    if not isinstance(info, dict) or info.get("origin") != get_origin_from_redirect_uri():
        return ANONIM
    return pengguna_dari(info, rules)


# --- the data folder's access file --------------------------------------------------------------------


def path_akses(folder: Path | str | None = None) -> Path:
    return Path(folder or db.data_dir()) / BERKAS_AKSES


_cache: dict[str, tuple[tuple, dict]] = {}


def baca_akses(folder: Path | str | None = None) -> dict:
    """The data folder's access file (``{"terbatas": [...], "peran": {who: role}}``); empty when absent.

    A file that cannot be read or parsed restricts nothing it cannot show, so it fails closed for what
    matters: it raises :class:`AturanSalah` rather than open restricted datasets."""
    p = path_akses(folder)
    try:
        st_ = p.stat()
    except FileNotFoundError:
        return {}
    except OSError as e:
        raise AturanSalah(f"Berkas akses {p} tidak dapat dibaca: {e.strerror or e}.") from e
    key = (st_.st_mtime_ns, st_.st_size, st_.st_ino)
    hit = _cache.get(str(p))
    if hit and hit[0] == key:
        return hit[1]
    try:
        value = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise AturanSalah(f"Berkas akses {p} rusak atau tidak terbaca ({e}); perbaiki atau pulihkan isinya.") from e
    if not isinstance(value, dict):
        raise AturanSalah(f"Berkas akses {p} bukan objek JSON.")
    _cache[str(p)] = (key, value)
    return value


@contextlib.contextmanager
def _kunci(folder: Path) -> Iterator[None]:
    """The access file's own lock (a hidden lock file beside it): changes are read-modify-write, never
    interleaved; a running import (which holds the data folder's lock for minutes) does not block them."""
    fd = os.open(folder / ".akses.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o640)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def ubah_akses(ubah: Callable[[dict], None], folder: Path | str | None = None) -> dict:
    """Change the data folder's access file with ``ubah`` (given the current content, changes it in place)
    under its lock, written to a temporary file and renamed over the old one (readers see old or new,
    never half). Returns the new content. Raises :class:`db.DataError` (``tulis``) in a read-only folder."""
    folder = Path(folder or db.data_dir())
    p = path_akses(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with _kunci(folder):
            value = dict(baca_akses(folder))
            ubah(value)
            value["v"] = 1
            tmp = folder / ".akses.json.baru"  # one name: only the lock holder writes it
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(value, f, ensure_ascii=False, indent=1, sort_keys=True)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, p)
            dfd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
    except OSError as e:
        raise db.gangguan("tulis", folder=folder, detail=e.strerror or str(e)) from e
    return value


def tandai_terbatas(dataset: str, terbatas: bool = True, folder: Path | str | None = None) -> dict:
    """Mark ``dataset`` restricted (or no longer restricted by the app; a restriction in the configuration
    stays). The name need not exist yet: an import can be restricted before its first file is written."""
    if not db.nama_sah(dataset):
        raise db.DataError(f"Nama dataset tidak sah: {dataset!r}.")

    def ubah(v: dict) -> None:
        names = set(v.get("terbatas") or ())
        (names.add if terbatas else names.discard)(dataset)
        v["terbatas"] = sorted(names)

    return ubah_akses(ubah, folder)


def beri_peran(siapa: str, peran: str | None, folder: Path | str | None = None) -> dict:
    """Grant ``peran`` to ``siapa`` (an e-mail address or a token subject) in the app, or take the grant
    away (``None``). Roles from the identity provider or the configuration are not changed here."""
    key = _kunci_daftar(siapa)
    if not key or len(key) > 320 or any(ord(c) < 32 for c in key):
        raise AturanSalah(f"Pengguna tidak sah: {siapa!r}.")
    if peran is not None and peran not in PERAN:
        raise AturanSalah(f"Peran {peran!r} tidak dikenal; pilih salah satu dari {', '.join(PERAN)}.")

    def ubah(v: dict) -> None:
        roles = dict(v.get("peran") or {})
        if peran is None:
            roles.pop(key, None)
        else:
            roles[key] = peran
        v["peran"] = dict(sorted(roles.items()))

    return ubah_akses(ubah, folder)

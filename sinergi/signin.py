"""The Streamlit side of sign-in: who this session is, the sign-in and sign-out buttons, the gates of pages
and of data-changing controls, and the Kelola Data panels for the audit trail and access.

With an ``[auth]`` section in the secrets the identity comes from Streamlit's ``st.user`` (OpenID Connect,
``st.login`` / ``st.logout``); the role and the session's age are worked out by :mod:`sinergi.auth` on
every call, so a role taken away, a dataset newly restricted or a session that ran out counts at the next
click, not at the next page load. Without ``[auth]`` the admin password opens the controls for one
session, as before; the session keeps an HMAC of the password it was opened with, so changing the
password closes every open admin session.

Streamlit's sign-in cookie is signed with ``cookie_secret``: a tampered cookie is not read at all
(anonymous), an expired one (older than ``[access] session_hours``) is treated as signed out, and both
lead to the sign-in button, never to restricted data.
"""

from __future__ import annotations

import hashlib
import hmac

import pandas as pd
import streamlit as st

from sinergi import audit, auth, db, i18n
from sinergi.importers import access
from sinergi.themes import md

_ADMIN = "kd_admin"  # session: the password's HMAC, set by the Kelola Data password form
_PESAN = "sd_akses_pesan"  # a message of the access panel shown after its rerun
# Session state the upload route reads (sinergi.hardening): whether this session may send files now: on a
# page whose uploads are everyone's (an agenda file, the table the gap page compares), or when its user may
# import (Kelola Data's form).
UNGGAH = "_sd_boleh_unggah"
UNGGAH_UMUM = ("agenda", "kesenjangan")
JEJAK_TAMPIL = 200  # audit records shown on Kelola Data (all of them: python -m sinergi audit)


def _t(key: str) -> str:
    """A text in the interface language (as ``sinergi.ui.lang`` chooses it: the URL, then the session)."""
    lg = st.query_params.get("lang") or st.session_state.get("_lang", "id")
    return i18n.t(key, lg if lg in i18n.LANGS else "id")


def tanda_sandi(sandi: str) -> str:
    """What a password session keeps: an HMAC of the password (never the password)."""
    return hmac.new(b"sinergi-desa/sesi-admin", sandi.encode("utf-8"), hashlib.sha256).hexdigest()


def aturan() -> auth.Aturan | None:
    """The access rules, or None (with the reason shown) when the configuration is invalid: then nothing
    restricted is shown and no control opens."""
    try:
        return auth.aturan()
    except auth.AturanSalah as e:
        st.error(_t("auth_config_error").format(md(e)))
        return None


def pengguna(rules: auth.Aturan | None = None) -> auth.Pengguna:
    """This session's user, worked out now (identity token, configuration, access file, session age)."""
    rules = rules or auth.aturan()
    if rules.oidc:
        return auth.pengguna_dari(st.user.to_dict(), rules)
    sandi = access.sandi_admin()
    token = st.session_state.get(_ADMIN)
    if sandi and isinstance(token, str) and hmac.compare_digest(token, tanda_sandi(sandi)):
        return auth.SANDI_ADMIN
    return auth.ANONIM


def oidc() -> bool:
    try:
        return auth.aturan().oidc
    except auth.AturanSalah:
        return False


def boleh(perlu: str) -> bool:
    """Whether this session's user, as of now, holds role ``perlu``."""
    try:
        return auth.boleh(pengguna(), perlu)
    except auth.AturanSalah:
        return False


def boleh_lihat_aktif() -> bool:
    """Whether this session may receive anything of the active dataset (False on an invalid configuration)."""
    try:
        rules = auth.aturan()
        return auth.may_view_active(pengguna(rules), rules)
    except auth.AturanSalah:
        return False


def _label_peran(peran: str | None) -> str:
    return _t(f"auth_role_{peran}") if peran in auth.PERAN else _t("auth_no_role")


def tombol_masuk(key: str, utama: bool = True) -> None:
    """The sign-in button (identity provider from ``[access] provider``, else the ``[auth]`` default)."""
    if st.button(_t("auth_sign_in"), key=key, type="primary" if utama else "secondary", icon=":material/login:"):
        rules = aturan()
        st.login(rules.provider if rules else None)


# --- every run ---------------------------------------------------------------------------------------


def sesi(halaman: str = "") -> auth.Pengguna | None:
    """Run by ``app.py`` on every run of page ``halaman``: works out the user, tells the upload route whether
    this session may send files (:data:`UNGGAH`), and (with ``[auth]``) shows who is signed in with sign-out,
    or the sign-in button."""
    rules = aturan()
    if rules is None:
        st.session_state[UNGGAH] = False
        return None
    user = pengguna(rules)
    st.session_state[UNGGAH] = halaman in UNGGAH_UMUM or auth.boleh(user, auth.IMPOR)
    if rules.oidc:
        with st.sidebar:
            if user.masuk:
                st.caption(_t("auth_signed_in_as").format(nama=md(user.nama), peran=_label_peran(user.peran)))
                if st.button(_t("auth_sign_out"), key="sd_keluar", icon=":material/logout:"):
                    st.session_state[UNGGAH] = False
                    st.logout()
            else:
                if user.kedaluwarsa:
                    st.warning(_t("auth_expired"))
                tombol_masuk("sd_masuk_sidebar", utama=False)
    return user


def gerbang_halaman(halaman_kelola: bool = False) -> bool:
    """Whether the page may run for this session: sign-in required by ``[access] require_sign_in``, or
    the active dataset restricted beyond this user (Kelola Data still runs then: it shows no detail of the
    active dataset). Says why and offers sign-in otherwise."""
    rules = aturan()
    if rules is None:
        return False
    user = pengguna(rules)
    if rules.wajib_masuk and not (user.masuk and user.peran):
        _minta_masuk(user, "auth_required")
        return False
    if not halaman_kelola and not auth.may_view_active(user, rules):
        _minta_masuk(user, "auth_restricted_active")
        return False
    return True


def _minta_masuk(user: auth.Pengguna, key: str) -> None:
    st.title(_t("app_title"))
    if user.kedaluwarsa:
        st.warning(_t("auth_expired"))
    st.info(_t(key))
    if oidc():
        tombol_masuk("sd_masuk_halaman")
    else:
        st.caption(_t("auth_password_hint"))


def tutup_bila_tidak_boleh() -> None:
    """Stop a page (run with or without ``app.py``) whose data this session may not receive."""
    if not gerbang_halaman():
        st.stop()


def aktif_terbatas() -> None:
    """Kelola Data's active-dataset section for a session that may not see it: said, nothing named."""
    st.subheader(_t("kd_active"))
    st.info(_t("auth_restricted_active"))


def gerbang(perlu: str = auth.IMPOR) -> bool:
    """Kelola Data's gate with ``[auth]``: who is signed in, or the sign-in button; True when the role
    holds ``perlu``. (Without ``[auth]`` the password form in ``sinergi.importers.view`` is the gate.)"""
    rules = aturan()
    if rules is None:
        return False
    user = pengguna(rules)
    if not user.masuk:
        if user.kedaluwarsa:
            st.warning(_t("auth_expired"))
        st.info(_t("auth_kd_sign_in"))
        tombol_masuk("sd_masuk_kelola")
        return False
    if not auth.boleh(user, perlu):
        st.info(_t("auth_kd_need_role").format(peran=_label_peran(user.peran)))
        return False
    st.caption(_t("auth_signed_in_as").format(nama=md(user.nama), peran=_label_peran(user.peran)))
    return True


# --- Kelola Data panels -------------------------------------------------------------------------------


def boleh_lihat(ids: list[str]) -> list[str]:
    """The dataset names among ``ids`` this session may see (none on an invalid configuration)."""
    try:
        rules = auth.aturan()
    except auth.AturanSalah:
        return []
    user = pengguna(rules)
    return [i for i in ids if auth.may_view(i, user, rules)]


def terbatas() -> frozenset[str]:
    try:
        return auth.aturan().terbatas
    except auth.AturanSalah:
        return frozenset()


def panel_jejak() -> None:
    """The audit trail, newest first, for stewards and admins; records of datasets the user may not see
    are left out. Cells are plain text (``st.dataframe``)."""
    if not boleh(auth.IMPOR):
        return
    st.subheader(_t("audit_title"))
    j = audit.baca(terakhir=JEJAK_TAMPIL)
    rows = audit.baris_tabel(j.entri)
    seen = set(boleh_lihat(sorted({r["dataset"] for r in rows if r["dataset"]})))
    rows = [r for r in rows if not r["dataset"] or r["dataset"] in seen]
    st.caption(_t("audit_caption").format(n=JEJAK_TAMPIL))
    if j.rusak:
        st.warning(_t("audit_torn").format(n=j.rusak))
    if not rows:
        st.info(_t("audit_empty"))
        return
    cols = ["waktu", "peristiwa", "hasil", "dataset", "oleh", "cara", "peran", "berkas", "ukuran", "sha256",
            "ringkasan"]
    st.dataframe(pd.DataFrame(rows)[cols], hide_index=True, width="stretch", key="sd_jejak",
                 column_config={c: _t(f"audit_col_{c}") for c in cols})


def panel_akses() -> None:
    """For admins: datasets marked restricted (the configuration's marks cannot be lifted here) and roles
    granted in the app. Every change goes through :mod:`sinergi.tindakan` (role re-checked, recorded)."""
    from sinergi import tindakan

    if not boleh(auth.KELOLA):
        return
    rules = auth.aturan()
    folder = db.data_dir()
    ids = sorted(p.stem for p in folder.glob("*.duckdb") if db.nama_sah(p.stem)) if folder.is_dir() else []
    st.subheader(_t("access_title"))
    kind, text = st.session_state.pop(_PESAN, (None, None))
    if kind:
        (st.success if kind == "success" else st.warning)(text)
    with st.form("sd_akses_terbatas", border=False):
        pilih = st.multiselect(_t("access_restricted"), ids, default=sorted(rules.terbatas & set(ids)),
                               help=_t("access_restricted_help"), key="sd_terbatas")
        simpan = st.form_submit_button(_t("access_save"), icon=":material/lock:")
    if simpan:
        try:
            for name in ids:
                now, want = name in rules.terbatas_aplikasi, name in pilih
                if want and name not in rules.terbatas:
                    tindakan.tandai_terbatas(name, True, pengguna())
                elif now and not want:
                    tindakan.tandai_terbatas(name, False, pengguna())
        except (tindakan.TidakBerhak, auth.AturanSalah, audit.AuditGagal, db.DataError) as e:
            st.error(md(e))
        else:
            kept = (rules.terbatas_konfigurasi & set(ids)) - set(pilih)
            st.session_state[_PESAN] = ("warning", _t("access_config_kept")) if kept else \
                ("success", _t("access_saved"))
            st.rerun()
    if not rules.oidc:
        return  # roles are for signed-in users: without [auth] only the admin password opens anything
    granted = pd.DataFrame(sorted(rules.diberikan.items()), columns=["siapa", "peran"])
    st.caption(_t("access_granted_roles"))
    if len(granted):
        st.dataframe(granted, hide_index=True, width="stretch", key="sd_peran_tabel",
                     column_config={"siapa": _t("access_role_who"), "peran": _t("access_role")})
    with st.form("sd_akses_peran", border=False, clear_on_submit=True):
        c1, c2 = st.columns([3, 1])
        siapa = c1.text_input(_t("access_role_who"), key="sd_peran_siapa", max_chars=320)
        peran = c2.selectbox(_t("access_role"), ["", *auth.PERAN], key="sd_peran_pilih",
                             format_func=lambda p: _t("access_revoke") if not p else _label_peran(p))
        kirim = st.form_submit_button(_t("access_grant"), icon=":material/person_add:")
    if kirim and siapa.strip():
        try:
            tindakan.beri_peran(siapa, peran or None, pengguna())
        except (tindakan.TidakBerhak, auth.AturanSalah, audit.AuditGagal, db.DataError) as e:
            st.error(md(e))
        else:
            st.session_state[_PESAN] = ("success", _t("access_saved"))
            st.rerun()

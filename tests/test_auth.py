"""Roles, restricted datasets, session lifetime and the signed identity cookie (sinergi.auth), and the two
server changes of sinergi.hardening (no address look-up outside, the upload gate)."""

from __future__ import annotations

import json
import time

import pytest

from sinergi import auth

OIDC = {"auth": {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "k" * 32,
                 "client_id": "x", "client_secret": "y", "server_metadata_url": "http://127.0.0.1:1/.well-known"}}


def rules(access: dict | None = None, akses: dict | None = None, **extra) -> auth.Aturan:
    return auth.aturan_dari({**OIDC, "access": access or {}, **extra}, akses)


def info(**claims) -> dict:
    return {"is_logged_in": True, "sub": "u-1", "name": "Ani", "iat": time.time(), **claims}


# --- roles --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("claims, conf, expected", [
    ({"groups": ["sinergi-admin"]}, {"claim_roles": {"sinergi-admin": "admin"}}, "admin"),
    ({"groups": ["/sinergi-steward"]}, {"claim_roles": {"sinergi-steward": "steward"}}, "steward"),  # Keycloak path
    ({"roles": "viewer other"}, {}, "viewer"),  # a role name as the value, a space-separated string
    ({"groups": ["a", "b"]}, {"claim_roles": {"a": "viewer", "b": "steward"}}, "steward"),  # the highest wins
    ({"realm_access": {"roles": ["admin"]}}, {"role_claim": "realm_access.roles"}, "admin"),  # nested
    ({"groups": ["admin"]}, {"role_claim": "roles"}, None),  # another claim than configured: nothing
    ({"email": "ani@kemensos.go.id"}, {"users": {"ANI@kemensos.go.id": "steward"}}, "steward"),
    ({"email": "ani@kemensos.go.id", "email_verified": False}, {"users": {"ani@kemensos.go.id": "admin"}}, None),
    ({}, {"users": {"u-1": "viewer"}}, "viewer"),  # by subject
    ({}, {"default_role": "viewer"}, "viewer"),
    ({}, {}, None),  # signed in with some account: no role unless configured
    ({"groups": ["sinergi-viewer"]}, {"claim_roles": {"sinergi-viewer": "viewer"}, "default_role": "steward"},
     "viewer"),  # the default is only for users without any role, even when it is higher
])
def test_role_from_claims_and_allow_list(claims, conf, expected):
    assert auth.pengguna_dari(info(**claims), rules(conf)).peran == expected


def test_roles_granted_in_the_app_add_to_the_others():
    r = rules({"claim_roles": {"g": "viewer"}}, akses={"peran": {"ani@x.go.id": "admin", "zz": "raja"}})
    assert auth.pengguna_dari(info(groups=["g"], email="Ani@x.go.id"), r).peran == "admin"
    assert "zz" not in r.diberikan  # a hand-edited unknown role grants nothing


@pytest.mark.parametrize("conf", [{"claim_roles": {"g": "superuser"}}, {"users": {"a@b": ""}},
                                  {"default_role": "root"}, {"restricted_role": "nobody"},
                                  {"session_hours": "lama"}, {"session_hours": 0}])
def test_a_configuration_naming_no_role_is_refused(conf):
    with pytest.raises(auth.AturanSalah):
        rules(conf)


def test_without_auth_nobody_is_signed_in_by_a_token():
    r = auth.aturan_dari({"access": {"require_sign_in": True}})
    assert not r.oidc and not r.wajib_masuk  # sign-in cannot be required without a provider to sign in with
    assert auth.pengguna_dari(info(groups=["admin"]), r) == auth.ANONIM


def test_capabilities_follow_the_role_order():
    assert [auth.tingkat(p) for p in (None, "viewer", "steward", "admin", "raja")] == [0, 1, 2, 3, 0]
    steward = auth.Pengguna("s", "S", peran="steward", cara="oidc")
    assert auth.boleh(steward, auth.IMPOR) and auth.boleh(steward, auth.GANTI) and not auth.boleh(steward, auth.KELOLA)
    assert not auth.boleh(auth.ANONIM, "viewer") and not auth.boleh(None, "viewer")


# --- sessions ------------------------------------------------------------------------------------------


def test_a_session_ends_after_session_hours_and_without_a_time_it_is_over():
    r = rules({"session_hours": 2, "default_role": "viewer"})
    now = time.time()
    assert auth.pengguna_dari(info(iat=now - 3600), r, now).peran == "viewer"
    old = auth.pengguna_dari(info(iat=now - 3 * 3600), r, now)
    assert old.kedaluwarsa and not old.masuk and old.peran is None
    assert not auth.pengguna_dari({**info(auth_time=now - 60), "iat": None}, r, now).kedaluwarsa
    no_time = {k: v for k, v in info().items() if k != "iat"}
    assert auth.pengguna_dari(no_time, r, now).kedaluwarsa
    assert auth.pengguna_dari({**info(), "is_logged_in": False}, r) == auth.ANONIM
    assert auth.pengguna_dari({**info(), "is_logged_in": "true"}, r) == auth.ANONIM  # only the real flag


# --- restricted datasets ---------------------------------------------------------------------------------


def test_restricted_datasets_only_for_signed_in_users_whose_role_allows_it():
    r = rules({"restricted": ["bansos"], "restricted_role": "steward"}, akses={"terbatas": ["pkh"]})
    viewer = auth.Pengguna("v", "V", peran="viewer", cara="oidc")
    steward = auth.Pengguna("s", "S", peran="steward", cara="oidc")
    assert r.terbatas == {"bansos", "pkh"}
    for name in ("bansos", "pkh"):
        assert not auth.may_view(name, auth.ANONIM, r) and not auth.may_view(name, None, r)
        assert not auth.may_view(name, viewer, r) and auth.may_view(name, steward, r)
        assert auth.may_view(name, auth.SANDI_ADMIN, r) and auth.may_view(name, auth.baris_perintah(), r)
    assert auth.may_view("demo", auth.ANONIM, r)
    expired = auth.Pengguna("s", "S", kedaluwarsa=True)
    assert not auth.may_view("bansos", expired, r)


def test_the_access_file_marks_and_grants_and_a_broken_one_fails_closed(tmp_path):
    auth.tandai_terbatas("bansos", folder=tmp_path)
    auth.tandai_terbatas("pkh", folder=tmp_path)
    auth.tandai_terbatas("pkh", False, folder=tmp_path)
    auth.beri_peran("Ani@X.go.id", "steward", folder=tmp_path)
    auth.beri_peran("sub-9", "viewer", folder=tmp_path)
    auth.beri_peran("sub-9", None, folder=tmp_path)
    content = json.loads((tmp_path / "akses.json").read_text())
    assert content["terbatas"] == ["bansos"] and content["peran"] == {"ani@x.go.id": "steward"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [".akses.lock", "akses.json"]  # no temporary file left
    with pytest.raises(Exception, match="tidak sah"):
        auth.tandai_terbatas("../etc", folder=tmp_path)
    with pytest.raises(auth.AturanSalah):
        auth.beri_peran("x", "raja", folder=tmp_path)
    (tmp_path / "akses.json").write_text("{rusak", encoding="utf-8")
    with pytest.raises(auth.AturanSalah, match="rusak"):
        auth.baca_akses(tmp_path)


def test_an_access_file_that_cannot_be_written_says_so_and_changes_nothing(tmp_path):
    from sinergi import db

    (tmp_path / ".akses.json.baru").mkdir()  # the temporary file cannot be created (works as root too)
    with pytest.raises(db.DataError) as e:
        auth.tandai_terbatas("bansos", folder=tmp_path)
    assert e.value.jenis == "tulis" and not (tmp_path / "akses.json").exists()


# --- the identity cookie (for HTTP routes served beside the app) ---------------------------------------


@pytest.fixture()
def cookie_config(monkeypatch):
    import streamlit.auth_util as au
    import streamlit.web.server.server_util as su

    monkeypatch.setattr(su, "get_cookie_secret", lambda: OIDC["auth"]["cookie_secret"])
    monkeypatch.setattr(au, "get_origin_from_redirect_uri", lambda: "http://127.0.0.1:8501")


def _cookie(payload: dict, secret: str = OIDC["auth"]["cookie_secret"]) -> str:
    from streamlit.web.server.starlette.starlette_app_utils import create_signed_value

    return create_signed_value(secret, "_streamlit_user", json.dumps(payload)).decode()


def test_user_from_cookies_reads_streamlits_signed_cookie(cookie_config):
    r = rules({"claim_roles": {"sinergi-steward": "steward"}})
    payload = {**info(groups=["sinergi-steward"]), "origin": "http://127.0.0.1:8501", "provider": "default"}
    user = auth.user_from_cookies({"_streamlit_user": _cookie(payload)}, r)
    assert (user.sub, user.nama, user.peran, user.cara) == ("u-1", "Ani", "steward", "oidc")


@pytest.mark.parametrize("case", ["tampered", "other secret", "other origin", "expired", "none", "garbage"])
def test_user_from_cookies_refuses_what_is_not_a_valid_current_sign_in(cookie_config, case):
    r = rules({"claim_roles": {"sinergi-steward": "steward"}})
    payload = {**info(groups=["sinergi-steward"]), "origin": "http://127.0.0.1:8501"}
    value = _cookie(payload)
    if case == "tampered":  # a changed claim with the old signature
        head, _, sig = value.rpartition(".")
        forged = _cookie({**payload, "groups": ["sinergi-admin"]}).rpartition(".")[0]
        value = f"{forged}.{sig}"
        assert value != _cookie({**payload, "groups": ["sinergi-admin"]})
    elif case == "other secret":
        value = _cookie(payload, "another-secret-of-32-characters!")
    elif case == "other origin":
        value = _cookie({**payload, "origin": "http://evil.example"})
    elif case == "expired":
        value = _cookie({**payload, "iat": time.time() - 9 * 3600})
    elif case == "garbage":
        value = "x.y.z"
    cookies = {} if case == "none" else {"_streamlit_user": value}
    user = auth.user_from_cookies(cookies, r)
    assert not user.masuk and user.peran is None
    assert user.kedaluwarsa == (case == "expired")
    assert not auth.may_view("bansos", user, rules({"restricted": ["bansos"], "default_role": "viewer"}))


def test_user_from_cookies_joins_split_cookies(cookie_config):
    """Streamlit splits a large identity cookie into ``_streamlit_user_1…``; the route reads it whole."""
    from streamlit.auth_util import set_cookie_with_chunks
    from streamlit.web.server.starlette.starlette_app_utils import create_signed_value

    secret = OIDC["auth"]["cookie_secret"]
    import hashlib

    groups = [hashlib.sha256(str(i).encode()).hexdigest()[:20] for i in range(300)]  # incompressible
    payload = {**info(groups=["admin", *groups]), "origin": "http://127.0.0.1:8501"}
    jar: dict[str, str] = {}
    set_cookie_with_chunks(lambda n, v: jar.__setitem__(n, create_signed_value(secret, n, v).decode()),
                           lambda n, v: create_signed_value(secret, n, v), "_streamlit_user", payload,
                           cookie_attr_size=60)
    assert len(jar) > 2
    assert auth.user_from_cookies(jar, rules()).peran == "admin"


# --- hardening: no outbound look-up, the upload gate ----------------------------------------------------


def test_streamlits_address_lookups_are_replaced_by_local_ones(monkeypatch):
    import ipaddress

    from streamlit import net_util

    from sinergi import hardening

    monkeypatch.setattr(net_util, "get_external_ip", net_util.get_external_ip)
    monkeypatch.setattr(net_util, "get_internal_ip", net_util.get_internal_ip)
    hardening.tanpa_panggilan_keluar()
    assert net_util.get_external_ip() is None
    ip = net_util.get_internal_ip()
    assert ip is None or not ipaddress.ip_address(ip).is_loopback


def test_the_upload_gate_refuses_unknown_sessions():
    import asyncio

    from sinergi import hardening

    seen = []

    async def app(scope, receive, send):
        seen.append(scope["path"])

    sent = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b""}

    gate = hardening.GerbangUnggah(app)
    for method, path in [("PUT", "/_stcore/upload_file/no-such-session/f1"),
                         ("DELETE", "/base/_stcore/upload_file/no-such-session/f1")]:
        asyncio.run(gate({"type": "http", "method": method, "path": path, "headers": []}, receive, send))
    assert seen == [] and [m["status"] for m in sent if m["type"] == "http.response.start"] == [403, 403]
    asyncio.run(gate({"type": "http", "method": "GET", "path": "/_stcore/health", "headers": []}, receive, send))
    assert seen == ["/_stcore/health"]  # everything else passes untouched


def test_the_gate_is_installed_once_and_first():
    from streamlit.web.server.starlette import starlette_app

    from sinergi import hardening

    original = starlette_app.create_streamlit_middleware
    try:
        hardening.gerbang_unggah()
        hardening.gerbang_unggah()
        stack = starlette_app.create_streamlit_middleware()
        assert stack[0].cls is hardening.GerbangUnggah
        assert sum(m.cls is hardening.GerbangUnggah for m in stack) == 1
    finally:
        starlette_app.create_streamlit_middleware = original

"""Sign-in in Chromium against a real OpenID Connect provider on loopback (tests/browser/oidc.py): roles
from the ID token's ``groups`` claim, a steward's import in the audit trail, a viewer kept from the import
form and the upload route, a restricted dataset that never reaches those who may not see it (every page
for a visitor, a page of each kind for those signed in without the role; every byte over the websocket),
sign-out, and tampered or expired session cookies."""

from __future__ import annotations

import json
import time

import pytest

from tests.browser import oidc
from tests.browser.conftest import Server, _need_browser, choose_file, go_in_app, guarded_page, kept_page, visit

ZETA_COORDS = ("123.4567", "124.4567")  # the restricted dataset's geometry (tests/fixtures.py)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The app with ``[auth]`` pointing at the provider: uji (imported, active) and bansos (restricted to
    stewards and admins), each test leaving the active dataset as it found it."""
    _need_browser()
    from fixtures import tiny_restricted_dataset
    from importers.conftest import geojson_desa

    from sinergi import auth, build
    from sinergi.importers import apply, plan

    base = tmp_path_factory.mktemp("signin-browser")
    d = base / "data"
    d.mkdir()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SINERGI_DATA_DIR", str(d))
        mp.delenv("SINERGI_ADMIN_PASSWORD", raising=False)
        apply.terapkan(plan.siapkan_batas(geojson_desa(base / "desa.geojson"), "uji"))
    build.write_database(d / "bansos.duckdb", **tiny_restricted_dataset())
    auth.tandai_terbatas("bansos", folder=d)
    (d / "active").write_text("uji\n", encoding="utf-8")
    port = oidc.free_port()
    with oidc.provider() as issuer:
        secrets = oidc.secrets_toml(base / "secrets.toml", port, issuer, access='restricted_role = "steward"')
        server = Server(d, ("--secrets.files", str(secrets)), port=port, env={"SINERGI_ADMIN_PASSWORD": ""})
        try:
            yield server, d, issuer
        finally:
            server.stop()


def _frames(page) -> list[bytes]:
    """Every websocket message the page receives from now on (raw bytes, as the browser got them)."""
    got: list[bytes] = []

    def on_ws(ws):
        ws.on("framereceived", lambda payload: got.append(payload if isinstance(payload, bytes) else payload.encode()))

    page.on("websocket", on_ws)
    return got


def _session_id(frames: list[bytes]) -> str:
    """The page's current Streamlit session (every script run starts with a new_session message naming it;
    the last one is the live page's, earlier ones may be of pages left since)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    found = None
    for raw in frames:
        msg = ForwardMsg()
        try:
            msg.ParseFromString(raw)
        except Exception:  # noqa: BLE001 - not every frame is one whole message
            continue
        if msg.HasField("new_session") and msg.new_session.initialize.session_id:
            found = msg.new_session.initialize.session_id
    assert found, "no session id among the frames"
    return found


def sign_in(page, server, sub: str, path: str = "/kelola") -> None:
    page.goto(server.url + path)
    button = page.get_by_role("button", name="Masuk").first
    button.wait_for(timeout=120000)  # a server's first run imports every library: slow on a busy machine
    button.click()
    page.get_by_role("button", name=sub).click(timeout=60000)  # the provider's page: one of its predefined users
    page.get_by_text("Masuk sebagai").first.wait_for(timeout=60000)  # back at the app's home page, signed in
    if path != "/":
        visit(page, server.url + path)
        page.get_by_text("Masuk sebagai").first.wait_for(timeout=60000)


def _put_upload(page, server, session_id: str) -> int:
    xsrf = next(c["value"] for c in page.context.cookies() if c["name"] == "_streamlit_xsrf")
    r = page.request.put(f"{server.url}/_stcore/upload_file/{session_id}/uji-berkas",
                         multipart={"file": {"name": "x.csv", "mimeType": "text/csv", "buffer": b"kode,iks\n"}},
                         headers={"X-Xsrftoken": xsrf})
    return r.status


def test_a_steward_signs_in_imports_and_is_named_in_the_trail(app, page, tmp_path):
    from sinergi import audit

    server, data, _ = app
    sign_in(page, server, "steward-1")
    assert "Sari Steward" in page.get_by_text("Masuk sebagai").first.inner_text()
    assert "pengelola data" in page.get_by_text("Masuk sebagai").first.inner_text()
    page.get_by_role("button", name="Periksa berkas").wait_for(timeout=30000)
    upload = tmp_path / "ike.csv"
    upload.write_text("kode;ike_2024\n9701012001;0,4\n9701012002;0,9\n", encoding="utf-8")
    choose_file(page, upload, server, key="kd_file_indikator")
    assert page.get_by_role("textbox", name="Dataset tujuan").input_value() == "uji"  # the active dataset
    page.get_by_role("button", name="Periksa berkas").click()
    page.get_by_text("Laporan validasi: ike.csv").wait_for(timeout=60000)
    page.get_by_role("button", name="Terapkan impor").click()
    page.get_by_text("Impor diterapkan ke dataset uji").wait_for(timeout=120000)
    page.get_by_text("Jejak audit").first.wait_for(timeout=30000)  # a rerun may briefly keep the old one too
    recs = [r for r in audit.baca(data).entri if r.get("berkas", {}).get("nama") == "ike.csv"]
    assert [(r["peristiwa"], r["hasil"]) for r in recs] == [("periksa", "siap"), ("impor", "dimulai"),
                                                           ("impor", "berhasil")]
    assert {(r["oleh"]["sub"], r["oleh"]["nama"], r["oleh"]["cara"], r["oleh"]["peran"]) for r in recs} == \
        {("steward-1", "Sari Steward", "oidc", "steward")}
    assert page.external == [], f"requests left the machine: {page.external}"


def test_a_viewer_reaches_neither_the_import_form_nor_the_upload_route(app, page, browser):
    server, _, _ = app
    frames = _frames(page)
    sign_in(page, server, "viewer-1")
    page.get_by_text("Peran Anda: pembaca").wait_for(timeout=30000)
    assert page.locator("input[type=file]").count() == 0
    assert page.get_by_role("button", name="Periksa berkas").count() == 0
    assert _put_upload(page, server, _session_id(frames)) == 403  # its live session may not send files
    for query in ("?jenis=batas", "?jenis=indikator&kd_target=uji"):
        page.goto(server.url + "/kelola" + query)
        page.get_by_text("Peran Anda: pembaca").wait_for(timeout=30000)
        assert page.locator("input[type=file]").count() == 0
    steward = guarded_page(browser)
    try:  # the same request from a steward's session is taken: the route itself works
        frames = _frames(steward)
        sign_in(steward, server, "steward-1")
        steward.get_by_role("button", name="Periksa berkas").wait_for(timeout=30000)
        assert _put_upload(steward, server, _session_id(frames)) == 204
        assert steward.external == []
    finally:
        steward.context.close()
    assert page.external == []


PAGES = ["/", "/peta", "/peta?wilayah=97.01&tingkat=4", "/ketahanan", "/sdm", "/jaringan", "/sinergi",
         "/profil?kode=97.01.01.2001", "/bandingkan?kode=97.01,97.71", "/hotspot", "/indeks", "/perubahan",
         "/kesenjangan", "/agenda", "/kelola", "/kelola?jenis=batas"]


# For a visitor signed in without the role: a page of each kind (the overview, a village map and a village's
# profile by their addresses, Kelola Data and its import form). app.py asks one gate (signin.gerbang_halaman)
# for every page before the page runs, and Kelola Data, which runs past it, has its own: what differs from
# the visitor who is not signed in, who tours every page, is who the gates are given, not which page asks.
SIGNED_IN_PAGES = ["/", "/peta?wilayah=97.01&tingkat=4", "/profil?kode=97.01.01.2001", "/kelola",
                   "/kelola?jenis=batas"]


def _tour(page, server, paths: list[str]) -> None:
    """Every page of ``paths``: one with a query opened by its address in the running app (loaded when nothing
    runs yet), the others from the sidebar's links (each page's script runs as on a fresh load, in the same
    session: its bytes reach ``_frames``)."""
    for path in paths:
        if "?" in path or path == paths[0]:
            visit(page, server.url + path)
        else:
            go_in_app(page, path.lstrip("/"))
        page.get_by_text("terbatas").first.wait_for(timeout=60000)
        page.wait_for_timeout(300)


def test_a_restricted_dataset_never_reaches_those_who_may_not_see_it(app, warm_context):
    server, data, _ = app
    (data / "active").write_text("bansos\n", encoding="utf-8")
    try:
        for who in (None, "tamu-1", "viewer-1"):  # a visitor, signed in without a role, a viewer
            with kept_page(warm_context) as page:  # a new visitor each: no cookie of the one before
                frames = _frames(page)
                if who:
                    sign_in(page, server, who, "/")
                _tour(page, server, SIGNED_IN_PAGES if who else PAGES)
                blob = b"".join(frames)
                assert b"Zeta" not in blob and b"bansos" not in blob, who
                assert not any(c.encode() in blob for c in ZETA_COORDS), who
                assert page.get_by_text("Dataset aktif terbatas").count() >= 1
                assert page.external == []
        with kept_page(warm_context) as page:  # a steward: the same bytes carry the dataset (the check can fail)
            frames = _frames(page)
            sign_in(page, server, "steward-1", "/")
            visit(page, server.url + "/profil?kode=97.01.01.2001")
            deadline = time.monotonic() + 60
            while b"Zeta" not in b"".join(frames) and time.monotonic() < deadline:
                page.wait_for_timeout(200)
            assert b"Zeta" in b"".join(frames) and page.get_by_text("Dataset aktif terbatas").count() == 0
    finally:
        (data / "active").write_text("uji\n", encoding="utf-8")


def _cookie(page, name: str) -> dict | None:
    return next((c for c in page.context.cookies() if c["name"] == name), None)


def test_sign_out_then_tampered_and_expired_cookies_lead_to_sign_in(app, page):
    from streamlit.web.server.starlette.starlette_app_utils import create_signed_value

    server, _, _ = app
    sign_in(page, server, "admin-1")
    page.get_by_role("button", name="Periksa berkas").wait_for(timeout=30000)
    good = _cookie(page, "_streamlit_user")
    page.get_by_role("button", name="Keluar").click()
    page.get_by_role("button", name="End session").click()  # the provider's end-session page
    page.wait_for_url(server.url + "/**", timeout=30000)
    page.get_by_role("button", name="Masuk").first.wait_for(timeout=30000)
    assert _cookie(page, "_streamlit_user") is None and page.get_by_text("Masuk sebagai").count() == 0

    def visit_with(value: str) -> None:
        page.context.add_cookies([{**good, "value": value}])
        page.goto(server.url + "/kelola")
        page.get_by_text("Masuk dengan akun instansi Anda").wait_for(timeout=30000)
        assert page.locator("input[type=file]").count() == 0 and page.get_by_text("Masuk sebagai").count() == 0

    payload, _, sig = good["value"].rpartition(".")
    visit_with(f"{payload[:-3]}{'AAA' if payload[-3:] != 'AAA' else 'BBB'}.{sig}")  # tampered: not read at all
    claims = {"sub": "admin-1", "name": "Adi Admin", "email": "adi@kemensos.go.id", "email_verified": True,
              "groups": ["sinergi-admin"], "iat": int(time.time()) - 9 * 3600,
              "origin": server.url, "is_logged_in": True, "provider": "default"}
    old = create_signed_value(oidc.COOKIE_SECRET, "_streamlit_user", json.dumps(claims)).decode()
    visit_with(old)  # validly signed, but the sign-in is 9 hours old (session_hours: 8)
    assert page.get_by_text("Sesi Anda sudah berakhir").count() >= 1
    fresh = create_signed_value(oidc.COOKIE_SECRET, "_streamlit_user",
                                json.dumps({**claims, "iat": int(time.time())})).decode()
    page.context.add_cookies([{**good, "value": fresh}])  # the same cookie within its time opens the page
    page.goto(server.url + "/kelola")
    page.get_by_role("button", name="Periksa berkas").wait_for(timeout=30000)
    assert page.external == []


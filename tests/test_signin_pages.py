"""Sign-in, roles, restricted datasets and the audit trail in the pages (AppTest, ``st.user`` as Streamlit
sets it from the identity token; the real provider and browser are in tests/browser/test_signin_browser.py).
"""

from __future__ import annotations

import json
import shutil
import time

import pytest
from fixtures import ZETA, tiny_restricted_dataset
from google.protobuf.json_format import MessageToDict
from apptest import open_page
from shared_folder import viewed
from test_all_pages import REGISTERED

from sinergi import audit, auth, build, db

KELOLA = "pages/kelola_data.py"
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "c" * 40, "client_id": "sinergi",
        "client_secret": "s", "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
ACCESS = {"role_claim": "groups", "claim_roles": {"sinergi-steward": "steward", "sinergi-admin": "admin",
                                                  "sinergi-viewer": "viewer"}}
CSV = b"kode;nama;iks_2024\n9701012001;Alfa;0,5\n9701012002;Bravo;0,65\n"
WRITES = {"kd_check", "kd_apply", "kd_activate", "kd_cancel", "kd_rebuild_demo"}
ZETA_COORD = ("123.4567", "124.4567")  # where the restricted dataset's geometry would show


def user(groups=(), sub="sub-1", name="Sari Steward", email="sari@x.go.id", age_s=60.0, **extra) -> dict:
    return {"is_logged_in": True, "sub": sub, "name": name, "email": email, "email_verified": True,
            "groups": list(groups), "iat": int(time.time() - age_s), **extra}


STEWARD = user(["sinergi-steward"])
VIEWER = user(["sinergi-viewer"], sub="sub-2", name="Vino Viewer", email="vino@x.go.id")
ADMIN = user(["sinergi-admin"], sub="sub-3", name="Adi Admin", email="adi@x.go.id")
NOROLE = user([], sub="sub-4", name="Nobody", email="nobody@gmail.com")
ANON = {"is_logged_in": False}


@pytest.fixture(scope="session")
def dbs(tmp_path_factory):
    """The tiny dataset as an imported one (uji: imports may go into it) and the restricted one (bansos)."""
    from importers.conftest import geojson_desa

    from sinergi.importers import apply, plan

    base = tmp_path_factory.mktemp("signin")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SINERGI_DATA_DIR", str(base))
        apply.terapkan(plan.siapkan_batas(geojson_desa(base / "desa.geojson"), "uji"))
    build.write_database(base / "bansos.duckdb", **tiny_restricted_dataset())
    return base


@pytest.fixture()
def folder(tmp_path, dbs, monkeypatch):
    """uji (the tiny dataset, active) and bansos (restricted, names with "Zeta") in a fresh data folder."""
    d = tmp_path / "data"
    d.mkdir()
    shutil.copy(dbs / "uji.duckdb", d / "uji.duckdb")
    zeta_db = dbs / "bansos.duckdb"
    shutil.copy(zeta_db, d / "bansos.duckdb")
    (d / "active").write_text("uji\n", encoding="utf-8")
    monkeypatch.setenv("SINERGI_DATA_DIR", str(d))
    monkeypatch.delenv("SINERGI_ADMIN_PASSWORD", raising=False)
    auth.tandai_terbatas("bansos", folder=d)
    return d


def _run(page: str, who: dict | None, query: dict | None = None, access: dict | None = None, oidc: bool = True):
    secrets = {"auth": AUTH, "access": {**ACCESS, **(access or {})}} if oidc else None
    return open_page(page, query, secrets, timeout=180, user=who if who is not None else {})


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def _arrow_text(proto) -> list[str]:
    """Tables travel as Arrow bytes: decoded, so a name inside a table is found like any other text."""
    import pyarrow as pa

    out = []
    for _field, value in proto.ListFields():
        scalar = isinstance(value, (bytes, str, bool, int, float)) or hasattr(value, "ListFields")
        values = [value] if scalar else list(value)
        for v in values:
            if isinstance(v, bytes) and v:
                try:
                    out.append(pa.ipc.open_stream(v).read_all().to_pandas().to_csv())
                except (pa.ArrowInvalid, OSError):
                    pass
            elif hasattr(v, "ListFields"):
                out += _arrow_text(v)
    return out


def everything_sent(at) -> str:
    """All the page sent to the browser in its last run: every element's fields as JSON, tables decoded."""
    parts = []
    for node in _walk(at._tree):
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(json.dumps(MessageToDict(proto), ensure_ascii=False))
            parts += _arrow_text(proto)
    return "\n".join(parts)


def _texts(at) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
                     + [w.value for w in at.warning] + [e.value for e in at.error] + [s.value for s in at.success])


def _no_write_controls(at) -> None:
    assert not {b.key for b in at.button} & WRITES
    assert len(at.file_uploader) == 0 and not any(s.key == "kd_pilih" for s in at.selectbox)


# --- who may change data ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who, says", [(VIEWER, "Peran Anda: pembaca"), (NOROLE, "Peran Anda: tanpa peran"),
                                       (ANON, "Masuk dengan akun instansi Anda")])
@pytest.mark.parametrize("query", [{}, {"jenis": "batas"}, {"jenis": "indikator", "kd_file_batas": "x"}])
def test_without_the_steward_role_there_is_no_import_form(folder, who, says, query):
    at = _run(KELOLA, who, query)
    _no_write_controls(at)
    assert says in _texts(at)
    assert any(b.key == "sd_masuk_kelola" for b in at.button) == (who is ANON)
    assert at.session_state[auth_flag()] is False  # the upload route refuses this session too


def auth_flag() -> str:
    from sinergi.signin import UNGGAH

    return UNGGAH



def test_a_steward_checks_and_applies_and_the_trail_names_them(folder):
    at = _run(KELOLA, STEWARD)
    assert "Masuk sebagai **Sari Steward** · peran: pengelola data" in _texts(at)
    assert at.session_state[auth_flag()] is True
    at.file_uploader(key="kd_file_indikator").set_value(("iks.csv", CSV, "text/csv"))
    at.text_input(key="kd_target").input("uji")
    at.run()
    before = (folder / "uji.duckdb").read_bytes()
    at.button(key="kd_check").click().run()
    assert (folder / "uji.duckdb").read_bytes() == before  # checked, not applied
    at.button(key="kd_apply").click().run()
    assert not at.exception and (folder / "uji.duckdb").read_bytes() != before
    assert any("Impor diterapkan ke dataset uji" in s.value for s in at.success)
    recs = audit.baca(folder).entri
    assert [(r["peristiwa"], r["hasil"]) for r in recs] == [("periksa", "siap"), ("impor", "dimulai"), ("impor", "berhasil")]
    assert {r["oleh"]["sub"] for r in recs} == {"sub-1"} and recs[0]["berkas"]["nama"] == "iks.csv"
    trail = next(d.value for d in at.dataframe if "sha256" in d.value.columns)
    assert trail["oleh"].tolist()[:3] == ["Sari Steward"] * 3 and trail["hasil"].tolist()[0] == "berhasil"
    assert not any(b.key == "sd_terbatas" for b in at.multiselect)  # access is for admins


def test_the_role_is_checked_again_at_the_click(folder):
    """A steward by an in-app grant checks a file; the grant is taken away; the click on "apply" applies
    nothing (the role is worked out again on that run), and the controls are gone."""
    auth.beri_peran("nobody@gmail.com", "steward", folder=folder)
    at = _run(KELOLA, NOROLE)
    at.file_uploader(key="kd_file_indikator").set_value(("iks.csv", CSV, "text/csv"))
    at.text_input(key="kd_target").input("uji")
    at.run()
    at.button(key="kd_check").click().run()
    assert any(b.key == "kd_apply" for b in at.button)
    before = (folder / "uji.duckdb").read_bytes()
    auth.beri_peran("nobody@gmail.com", None, folder=folder)
    at.button(key="kd_apply").click().run()
    assert (folder / "uji.duckdb").read_bytes() == before
    _no_write_controls(at)
    assert [(r["peristiwa"], r["hasil"]) for r in audit.baca(folder).entri] == [("periksa", "siap")]


def test_an_expired_session_leads_to_sign_in_not_to_data(folder):
    old = user(["sinergi-admin"], age_s=9 * 3600)  # session_hours is 8 by default
    at = _run(KELOLA, old)
    _no_write_controls(at)
    assert "Sesi Anda sudah berakhir" in _texts(at) and any(b.key == "sd_masuk_kelola" for b in at.button)
    (folder / "active").write_text("bansos\n", encoding="utf-8")
    at = _run("pages/beranda.py", old)
    sent = everything_sent(at)
    assert "Sesi Anda sudah berakhir" in sent and ZETA not in sent
    at = _run("pages/beranda.py", user(["sinergi-admin"], age_s=7 * 3600))  # within the session: shown
    assert ZETA in everything_sent(at)


def test_require_sign_in_shows_only_the_sign_in(folder):
    at = _run("pages/beranda.py", ANON, access={"require_sign_in": True})
    sent = everything_sent(at)
    assert "hanya untuk pengguna yang masuk" in sent and "Data impor" not in sent and "Dasbor Desa" not in sent
    assert any(b.key == "sd_masuk_halaman" for b in at.button) and len(at.dataframe) == 0
    at = _run("pages/beranda.py", NOROLE, access={"require_sign_in": True})  # signed in, no role: the same
    assert "hanya untuk pengguna yang masuk" in everything_sent(at)
    at = _run("pages/beranda.py", VIEWER, access={"require_sign_in": True})
    sent = everything_sent(at)
    assert "hanya untuk pengguna yang masuk" not in sent and "Data impor" in sent and "Dasbor Desa" in sent


# --- restricted datasets -----------------------------------------------------------------------------------

VIEWS = {"pages/peta.py": {"wilayah": "97.01", "tingkat": "4"}, "pages/profil_desa.py": {"kode": "97.01.01.2001"},
         "pages/bandingkan.py": {"kode": "97.01,97.71"}, "pages/kelola_data.py": {"jenis": "batas"}}


RESTRICTED = "hanya pengguna yang masuk dengan peran yang berhak dapat melihatnya"


@pytest.fixture(scope="module")
def _bansos_aktif(dbs, tmp_path_factory):
    """The data folder of ``folder`` with the restricted dataset bansos active, made once per module."""
    d = tmp_path_factory.mktemp("bansos-aktif")
    shutil.copy(dbs / "uji.duckdb", d / "uji.duckdb")
    shutil.copy(dbs / "bansos.duckdb", d / "bansos.duckdb")
    (d / "active").write_text("bansos\n", encoding="utf-8")
    auth.tandai_terbatas("bansos", folder=d)
    return d


@pytest.fixture()
def bansos_aktif(_bansos_aktif, monkeypatch):
    """``folder`` with bansos made active, for tests that only view it: one folder shared by them (Streamlit's
    caches, keyed by the dataset file, stay warm); fails the test if it wrote there."""
    monkeypatch.delenv("SINERGI_ADMIN_PASSWORD", raising=False)
    with viewed(_bansos_aktif, monkeypatch) as d:
        yield d


@pytest.mark.parametrize("page", REGISTERED)
def test_a_restricted_active_dataset_reaches_nobody_without_the_role(bansos_aktif, page):
    """Every page, for a visitor, a signed-in user without a role and a viewer when restricted_role is
    steward: not the dataset's name, its region names, source or coordinates, in any element of the page
    (AppTest leaves the sidebar out of its tree: the browser test reads every byte sent, sidebar included)."""
    for who in (ANON, NOROLE, VIEWER):
        at = _run(page, who, VIEWS.get(page), access={"restricted_role": "steward"})
        sent = everything_sent(at)
        assert ZETA not in sent and "bansos" not in sent and not any(c in sent for c in ZETA_COORD), (page, who)
        assert RESTRICTED in sent
        assert len(at.file_uploader) == 0
    at = _run(page, STEWARD, VIEWS.get(page), access={"restricted_role": "steward"})
    assert RESTRICTED not in everything_sent(at)  # the role that may: the page as usual


def test_the_page_shows_the_restricted_dataset_to_a_role_that_may(folder):
    (folder / "active").write_text("bansos\n", encoding="utf-8")
    at = _run("pages/peta.py", VIEWER, VIEWS["pages/peta.py"])
    sent = everything_sent(at)
    assert f"{ZETA} Nusa Uji" in sent and ZETA_COORD[0] in sent  # the sweep above would see a leak


def test_a_restricted_dataset_is_not_listed_or_offered_to_those_who_may_not_see_it(folder):
    at = _run(KELOLA, STEWARD, access={"restricted_role": "admin"})
    table = next(d.value for d in at.dataframe if "aktif" in d.value.columns)
    assert table["id"].tolist() == ["uji"]
    assert at.selectbox(key="kd_pilih").options == ["uji — Data impor: uji"]
    assert ZETA not in everything_sent(at) and "bansos" not in everything_sent(at)
    at = _run(KELOLA, ADMIN, access={"restricted_role": "admin"})
    table = next(d.value for d in at.dataframe if "aktif" in d.value.columns)
    assert table["id"].tolist() == ["bansos", "uji"] and table["terbatas"].tolist() == ["🔒", ""]


def test_an_admin_marks_datasets_restricted_and_grants_roles(folder):
    at = _run(KELOLA, ADMIN)
    ms = at.multiselect(key="sd_terbatas")
    assert ms.value == ["bansos"]
    ms.set_value(["uji"])
    next(b for b in at.button if b.label == "Simpan").click().run()
    assert auth.baca_akses(folder)["terbatas"] == ["uji"]
    assert any("Akses disimpan" in s.value for s in at.success)
    at.text_input(key="sd_peran_siapa").input("Vino@X.go.id")
    at.selectbox(key="sd_peran_pilih").set_value("steward")
    next(b for b in at.button if b.label == "Simpan peran").click().run()
    assert auth.baca_akses(folder)["peran"] == {"vino@x.go.id": "steward"}
    recs = [r for r in audit.baca(folder).entri if r["peristiwa"] == "akses"]
    assert [r["oleh"]["sub"] for r in recs] == ["sub-3"] * 3  # marked uji, lifted bansos, granted a role
    at = _run(KELOLA, STEWARD)
    assert not any(m.key == "sd_terbatas" for m in at.multiselect)


# --- without [auth]: the admin password, as before ---------------------------------------------------------


def test_without_auth_no_sign_in_button_and_a_changed_password_closes_the_session(folder, monkeypatch):
    monkeypatch.setenv("SINERGI_ADMIN_PASSWORD", "rahasia")
    at = _run(KELOLA, None, oidc=False)
    assert not any(b.key and b.key.startswith("sd_masuk") for b in at.button)
    at.text_input(key="kd_password").input("rahasia")
    next(b for b in at.button if b.label == "Masuk").click().run()
    assert any(b.key == "kd_activate" for b in at.button)
    assert at.session_state["kd_admin"] != "rahasia" and len(at.session_state["kd_admin"]) == 64  # an HMAC
    at.selectbox(key="kd_pilih").set_value("bansos").run()
    monkeypatch.setenv("SINERGI_ADMIN_PASSWORD", "baru")
    at.button(key="kd_activate").click().run()
    assert db.active_dataset() == "uji"
    _no_write_controls(at)
    assert audit.baca(folder).entri == []  # nothing was attempted on the data


def test_without_auth_the_password_admin_is_recorded_as_such(folder, monkeypatch):
    monkeypatch.setenv("SINERGI_ADMIN_PASSWORD", "rahasia")
    at = _run(KELOLA, None, oidc=False)
    at.text_input(key="kd_password").input("rahasia")
    next(b for b in at.button if b.label == "Masuk").click().run()
    at.selectbox(key="kd_pilih").set_value("bansos").run()
    at.button(key="kd_activate").click().run()
    assert db.active_dataset() == "bansos"
    (rec,) = audit.baca(folder).entri
    assert (rec["peristiwa"], rec["hasil"], rec["dataset"]) == ("ganti", "berhasil", "bansos")
    assert rec["oleh"] == {"sub": "admin-password", "nama": "admin-password", "cara": "admin-password",
                           "peran": "admin"}

"""Attacks through data, uploads, the URL and widgets, seen by AppTest (issue 8, part 4).

- Every registered page on the hostile dataset (tests/hostile.py), in views that show names at every
  level: no exception, and every payload reaches Markdown, HTML, plotly and map documents only escaped
  (tests/inert.py classifies each field by how the browser reads it). The browser half is
  tests/browser/test_attacks_browser.py.
- Uploads and user-given text: the Kelola Data report (names and HTML in numeric columns, unmatched codes
  with closest names, hostile column and file names), the gap page's detail file and indicator dictionary,
  agenda JSON import, titles typed into the sidebar form, the presenter bar, the search box.
- Every page × every URL parameter it reads (``agenda.PAGE_PARAMS`` plus ``mode`` and ``lang``) with
  hostile values: no exception, nothing raw in the page, the URL holds valid values or the untouched
  input, and no file in the data folder changes.
- Path traversal in upload file names, and the admin gate.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import uuid
from pathlib import Path

import pytest
from apptest import open_page
from hostile import IMPORTED_INDICATOR, IMPORTED_THEME, PAYLOADS, ROGUE_JENIS, write_hostile_database
from inert import problems
from legends import map_legends
from shared_folder import listing
from streamlit.testing.v1 import AppTest

from sinergi import agenda as ag
from sinergi import db

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
REGISTERED = re.findall(r'st\.Page\(\s*"(pages/[a-z_]+\.py)"', (ROOT / "app.py").read_text(encoding="utf-8"))
URL_PATH = dict(re.findall(r'st\.Page\(\s*"(pages/[a-z_]+\.py)".*?url_path="([a-z_]+)"',
                           (ROOT / "app.py").read_text(encoding="utf-8")))


def _fingerprint(folder: Path) -> list[tuple[str, int, int]]:
    """``shared_folder.listing`` of the data folder's files (name, size, modification time: any write changes
    them) but the server log and the audit trail, which records every check by design (hashing the files'
    contents after each of the 88 tests cost ~2 s of CPU)."""
    return [f for f in listing(folder)
            if (folder / f[0]).is_file() and not f[0].endswith(".log") and f[0] != "audit.jsonl"]


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("serangan")
    write_hostile_database(d / "serangan.duckdb")
    return d / "serangan.duckdb"


@pytest.fixture(scope="module")
def hostile_folder(hostile_db, tmp_path_factory) -> Path:
    """One data folder for the module (the tests only read it, and each asserts so where it matters):
    Streamlit's caches, keyed by the dataset file, stay warm from one test to the next."""
    d = tmp_path_factory.mktemp("serangan-data")
    shutil.copy(hostile_db, d / "serangan.duckdb")
    (d / "active").write_text("serangan\n", encoding="utf-8")
    return d


@pytest.fixture()
def hostile_dir(hostile_folder, monkeypatch) -> Path:
    before = _fingerprint(hostile_folder)
    monkeypatch.setenv("SINERGI_DATA_DIR", str(hostile_folder))
    monkeypatch.delenv("SINERGI_ADMIN_PASSWORD", raising=False)
    yield hostile_folder
    assert _fingerprint(hostile_folder) == before, "a test changed the shared hostile data folder"


def _run(page: str, query: dict | None = None, *, secrets: dict | None = None, session: dict | None = None):
    return open_page(page, query, secrets, timeout=180, session=session)


def _session(at, key: str):
    try:
        return at.session_state[key]
    except KeyError:
        return None


def _clean(at) -> None:
    found = problems(at)
    assert not found, "\n".join(found[:15])


# --------------------------------------------------------------------------------------------------
# 1. The hostile dataset on every page
# --------------------------------------------------------------------------------------------------

IMP = IMPORTED_INDICATOR  # the indicator described by the dataset's owner: every text of it hostile
VIEWS = {
    "pages/beranda.py": [{}, {"ind": IMP}],
    "pages/peta.py": [{}, {"wilayah": "97.01", "tingkat": "3", "pilih": "97.01.01"},
                      {"wilayah": "97.01.01", "tingkat": "4", "pilih": "97.01.01.2008"},
                      {"ind": IMP, "wilayah": "97.01", "tingkat": "3", "pilih": "97.01.01", "kelas": "status"}],
    "pages/ketahanan_sosial.py": [{"wil": "97.01.01", "tingkat": "4"}],
    "pages/kapasitas_sdm.py": [{"wil": "97.01.01", "tingkat": "4"}, {"wil": "97.01", "peta": "indikator"}],
    "pages/jaringan_sosial.py": [{"wil": "97.01"}, {"wil": "97.01.01"}],
    "pages/sinergi_program.py": [{"wil": "97.01", "maks": "10"}],
    "pages/profil_desa.py": [{"kode": "97.01.01.2008"}, {"kode": "97.01"}, {"kode": "97.01.01.2008", "tren": IMP}],
    "pages/bandingkan.py": [{"kode": "97.01,97.02,97.03,97.71"}, {"kode": "97.01,97.71", "grafik": "radar"},
                            {"kode": "97.01,97.71", "tema": IMPORTED_THEME}],
    "pages/hotspot.py": [{"wil": "97.01", "tingkat": "4"}, {"tingkat": "4", "metode": "gi"}, {"ind": IMP}],
    "pages/indeks_kustom.py": [{"wil": "97.01"}, {"wil": "97.01", "ind": f"{IMP}:2,iks:1"}],
    "pages/perubahan.py": [{"wil": "97.01", "tingkat": "4"}, {"ind": IMP}],
    "pages/kesenjangan.py": [{}, {"wil": "97.01", "per": "kec"}],
    "pages/agenda.py": [{}],
    "pages/kelola_data.py": [{}],
}
CASES = [(p, q) for p in REGISTERED for q in VIEWS.get(p, [{}])]


def test_every_registered_page_is_visited():
    assert set(VIEWS) == set(REGISTERED)


@pytest.mark.parametrize(("page", "query"), CASES, ids=[f"{p[6:-3]}-{i}" for i, (p, _q) in enumerate(CASES)])
def test_hostile_names_reach_pages_only_escaped(hostile_dir, page, query):
    before = _fingerprint(hostile_dir)
    at = _run(page, query)
    _clean(at)
    assert _fingerprint(hostile_dir) == before


def test_unknown_region_type_is_escaped_in_the_profile(hostile_dir):
    con = db.connect(hostile_dir / "serangan.duckdb")
    kode = con.execute("select kode from regions where jenis = $j", {"j": ROGUE_JENIS}).fetchone()[0]
    con.close()
    at = _run("pages/profil_desa.py", {"kode": kode})
    _clean(at)
    assert "jenis \\<b\\>P16" in at.header[0].value


def test_the_imported_indicator_is_shown_with_its_texts_escaped(hostile_dir):
    """The views above do show the owner-described indicator (not a fallback to a built-in one)."""
    at = _run("pages/peta.py", {"ind": IMP, "wilayah": "97.01", "tingkat": "3", "pilih": "97.01.01"})
    _clean(at)
    assert at.selectbox(key="peta_ind").value == IMP and at.selectbox(key="peta_tema").value == IMPORTED_THEME
    (legend,) = map_legends(at)  # on the map, its texts set as text (inert JSON here: checked by _clean)
    assert legend["title"].startswith("Indikator <script>alert(1)")
    assert any("Indikator \\<script\\>" in h.value for h in at.subheader)
    at = _run("pages/bandingkan.py", {"kode": "97.01,97.71", "tema": IMPORTED_THEME})
    _clean(at)
    assert at.selectbox(key="bd_tema").value == IMPORTED_THEME


# --------------------------------------------------------------------------------------------------
# 2. Uploads and text the user gives
# --------------------------------------------------------------------------------------------------

def _csv_field(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def test_gap_page_shows_uploaded_names_and_dictionary_as_text(hostile_dir):
    from sinergi import gap

    head = ["kode_desa", "tahun", "nama_desa", "nama_kec", "nama_kab", *gap.INDIKATOR]
    lines = [",".join(head)]
    for i, n in enumerate((2, 6, 7, 9, 13)):
        lines.append(",".join([f"970101{2001 + i}", "2024", _csv_field(PAYLOADS[n]), _csv_field(PAYLOADS[1]),
                               _csv_field(PAYLOADS[5])] + ["2"] * len(gap.INDIKATOR)))
    detail = "\n".join(lines).encode()
    dictionary = "\n".join(
        ["kolom,indikator,pelaksana_pusat,pelaksana_kab"]
        + [f"{c},{_csv_field(PAYLOADS[(i % 15) + 1])},{_csv_field(PAYLOADS[8])},v" for i, c in enumerate(gap.INDIKATOR)]
    ).encode()
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page("pages/kesenjangan.py")
    at.run()
    at.file_uploader(key="gp_file").set_value(("rumusan.csv", detail, "text/csv"))
    at.file_uploader(key="gp_dict").set_value(("kamus.csv", dictionary, "text/csv"))
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    _clean(at)
    plan = at.dataframe[-1].value  # the chosen village's plan: names and parties from the dictionary
    assert any(PAYLOADS[8] in str(v) for v in plan.iloc[:, -1]), "parties shown as given"
    assert set(plan.iloc[:, 1]) <= {PAYLOADS[(i % 15) + 1] for i in range(len(gap.INDIKATOR))}
    from sinergi.safe import md

    # the plan's sentence names the chosen village, escaped
    assert any(md(PAYLOADS[n]) in m.value for n in (2, 6, 7, 9, 13) for m in at.markdown)


def test_gap_page_refuses_a_file_with_a_clear_message(hostile_dir):
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page("pages/kesenjangan.py")
    at.run()
    at.file_uploader(key="gp_file").set_value(("x.csv", f"{PAYLOADS[5]},{PAYLOADS[2]}\n1,2\n".encode(), "text/csv"))
    at.run()
    assert not at.exception
    assert any("Kolom wajib tidak ada" in e.value for e in at.error)
    _clean(at)


def _admin(monkeypatch, at_page="pages/kelola_data.py"):
    monkeypatch.setenv("SINERGI_ADMIN_PASSWORD", "rahasia")
    at = _run(at_page)
    at.text_input(key="kd_password").input("rahasia")
    next(b for b in at.button if b.label == "Masuk").click()
    at.run()
    assert not at.exception
    return at


def _check(at) -> None:
    """Run the import form as filled in, then press "Periksa" (check, never apply) and run again."""
    at.run()
    at.button(key="kd_check").click()
    at.run()


def test_import_report_shows_hostile_names_numbers_and_columns_as_text(hostile_dir, monkeypatch):
    at = _admin(monkeypatch)
    before = _fingerprint(hostile_dir)
    escape = f"../../../tmp/sinergi-evil-{uuid.uuid4().hex}.csv"
    out = io.StringIO()
    w = csv.writer(out, quoting=csv.QUOTE_ALL)
    w.writerows([
        ["kode", "nama", "iks_2024", "idm_2024", PAYLOADS[10]],
        ["9701012001", PAYLOADS[2], "0.5", PAYLOADS[8], "x"],  # HTML in a number column
        ["9701012999", f"Rolalu Lestari {PAYLOADS[1]}", "0.4", "0.5", "x"],  # unmatched: closest names are hostile
        ["9701019998", PAYLOADS[6], "0.4", PAYLOADS[13], "x"],
    ])
    content = out.getvalue().encode()
    at.file_uploader(key="kd_file_indikator").set_value((escape, content, "text/csv"))
    at.text_input(key="kd_target").input("serangan")
    _check(at)
    assert not at.exception, [e.message for e in at.exception]
    _clean(at)
    frames = [d.value for d in at.dataframe]
    unmatched = next(f for f in frames if "kode_asal" in f.columns)
    assert any(PAYLOADS[1] in str(v) for v in unmatched.astype(str).to_numpy().ravel())
    text_in_numbers = next(f for f in frames if "contoh" in f.columns)  # text found in number columns, quoted
    assert "<b>P08</b>" in " ".join(text_in_numbers["contoh"].astype(str))
    assert not Path("/tmp", Path(escape).name).exists()  # the file name never became a path
    assert _fingerprint(hostile_dir) == before  # checked, not applied


def test_boundary_upload_with_hostile_names_and_traversal_file_name(hostile_dir, monkeypatch):
    at = _admin(monkeypatch)
    gj = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"kode": "97.01.01.2001", "nama": PAYLOADS[n]},
         "geometry": {"type": "Polygon", "coordinates": [[[100, -12], [101, -12], [101, -11], [100, -12]]]}}
        for n in (1, 5)]}
    at.radio(key="kd_jenis").set_value("batas")
    at.run()
    name = f"..\\..\\{PAYLOADS[2]}.geojson"  # (Streamlit itself refuses a NUL in an upload's name)
    at.file_uploader(key="kd_file_batas").set_value((name, json.dumps(gj).encode(), "application/geo+json"))
    at.text_input(key="kd_target").input("serangan")
    _check(at)
    assert not at.exception, [e.message for e in at.exception]
    _clean(at)
    assert any("P02" in h.value for h in at.subheader)  # the report names the file (escaped: _clean)


AGENDA = {"format": "sinergi-agenda", "versi": 1, "nama": f"Rapat {PAYLOADS[5]} {PAYLOADS[7]}",
          "tampilan": [{"halaman": "peta", "parameter": {"tingkat": "2"}, "judul": f"Judul {PAYLOADS[1]} {PAYLOADS[6]}",
                        "catatan": f"Catatan {PAYLOADS[2]}\n{PAYLOADS[9]} {PAYLOADS[13]}"}]}


def test_agenda_import_titles_and_notes_stay_text(hostile_dir):
    at = _run("pages/agenda.py")
    at.file_uploader(key="ag_upload").set_value(("agenda.json", json.dumps(AGENDA).encode(), "application/json"))
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.success and "Rapat \\[klikP05\\]" in at.success[0].value
    _clean(at)
    shown = "\n".join(m.value for m in at.markdown)
    assert "Judul \\<script\\>" in shown and "Catatan \\<img" in shown
    # presenting it: the bar's help holds the title, escaped
    at.button(key="ag_present").click()
    at.run()
    _clean(at)


@pytest.mark.parametrize("bad", [
    {**AGENDA, "tampilan": [{**AGENDA["tampilan"][0], "halaman": PAYLOADS[5]}]},
    {**AGENDA, "tampilan": [{**AGENDA["tampilan"][0], "parameter": {"tingkat": PAYLOADS[2]}}]},
    {**AGENDA, "tampilan": [{**AGENDA["tampilan"][0], "parameter": {PAYLOADS[8]: "1"}}]},
])
def test_agenda_import_refusals_quote_the_file_escaped(hostile_dir, bad):
    at = _run("pages/agenda.py")
    at.file_uploader(key="ag_upload").set_value(("agenda.json", json.dumps(bad).encode(), "application/json"))
    at.run()
    assert not at.exception
    assert at.error and "tidak diimpor" in at.error[0].value
    agenda = _session(at, "_agenda")
    assert agenda is None or not agenda.views  # nothing was imported
    _clean(at)


def test_titles_typed_in_the_sidebar_and_the_search_box_stay_text(hostile_dir):
    at = _run("pages/ketahanan_sosial.py", {"wil": "97.01.01", "tingkat": "4"})
    at.sidebar.text_input(key="_ag_title").input(f"Judul {PAYLOADS[1]} {PAYLOADS[6]}")
    at.sidebar.text_area(key="_ag_note").input(f"{PAYLOADS[5]}\n{PAYLOADS[7]}")
    next(b for b in at.sidebar.button if b.label == "Simpan tampilan ini").click()
    at.run()
    assert not at.exception
    agenda = at.session_state["_agenda"]
    assert len(agenda.views) == 1
    at = _run("pages/peta.py", {"wilayah": "97.01.01", "tingkat": "4"})
    for q in (PAYLOADS[2], PAYLOADS[5], "Lestari", "' or 1=1 --", "x" * 10_000, "\x00\x1b[2J", "97.01.01.2008"):
        at.text_input(key="peta_q").input(q)
        at.run()
        assert not at.exception, (q, [e.message for e in at.exception])
        _clean(at)
    at = _run("pages/agenda.py", session={"_agenda": agenda})
    _clean(at)
    assert any("Judul \\<script\\>" in m.value for m in at.markdown)


# --------------------------------------------------------------------------------------------------
# 3. Every URL parameter of every page, hostile values
# --------------------------------------------------------------------------------------------------

HOSTILE_VALUES = [
    "' or 1=1 --", "97'); drop table regions; --", PAYLOADS[1], PAYLOADS[5], PAYLOADS[9], "../../etc/passwd",
    "9" * 100_000, "97.01\x00\x01\x1b[31m", "\u202e97.01\ufeff𝔘ꦱ", "-1", "99999999999999999999", "NaN",
    "inf", "1e309", "97.01,97.02,97.03,97.71,97.01.01,97.01.02",
]
PARAM_PAGES = [p for p in REGISTERED if URL_PATH.get(p) in ag.PAGE_PARAMS]


def test_every_page_with_url_state_is_swept():
    assert {URL_PATH[p] for p in PARAM_PAGES} == set(ag.PAGE_PARAMS)


@pytest.fixture(scope="module")
def tiny_copy(tiny_db, tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("url-sweep")
    shutil.copy(tiny_db, d / "demo.duckdb")
    return d


@pytest.mark.parametrize("page", PARAM_PAGES, ids=[URL_PATH[p] for p in PARAM_PAGES])
def test_hostile_url_parameters_fall_back_or_stay_data(tiny_copy, monkeypatch, page):
    """Each parameter the page reads, plus ``mode`` and ``lang``, gets each hostile value in turn (values
    rotated over the parameters, so every pair is met); a last run repeats every parameter."""
    monkeypatch.setenv("SINERGI_DATA_DIR", str(tiny_copy))
    names = sorted(ag.PAGE_PARAMS[URL_PATH[page]] | {"mode", "lang"})
    before = _fingerprint(tiny_copy)
    runs = [{n: HOSTILE_VALUES[(i + r) % len(HOSTILE_VALUES)] for i, n in enumerate(names)}
            for r in range(len(HOSTILE_VALUES))]
    runs.append({n: ["97.01", PAYLOADS[2]] for n in names})  # repeated parameters
    for query in runs:
        at = _run(page, query)
        _clean(at)
        for k, v in at.query_params.items():
            value = v[-1] if isinstance(v, list) else v
            given = query.get(k)
            untouched = value == (given[-1] if isinstance(given, list) else given)
            assert untouched or k in ("lang", "mode") or ag._value_ok(k, value), (k, value[:80])
        assert not any(b.key == "sd_exit" for b in at.button), "a hostile mode value presented the page"
        assert at.title and at.title[0].value, "the page still shows its title"
    assert _fingerprint(tiny_copy) == before


# --------------------------------------------------------------------------------------------------
# 4. Path traversal
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["../x", "..", "/tmp/x", "x/../../y", "demo\x00", "Demo", "a b", "x\\..\\y", ""])
def test_dataset_names_cannot_leave_the_data_folder(hostile_dir, name):
    from sinergi import datasets

    if name:  # '' means "the active one" to dataset_path
        with pytest.raises(db.DataError):
            db.dataset_path(name)
    with pytest.raises(db.DataError):
        datasets.gunakan(name)
    assert db.active_dataset() == "serangan"


def test_import_target_name_with_traversal_is_refused_and_writes_nothing(hostile_dir, monkeypatch):
    at = _admin(monkeypatch)
    before = _fingerprint(hostile_dir)
    outside = hostile_dir.parent / f"keluar-{uuid.uuid4().hex}"
    at.file_uploader(key="kd_file_indikator").set_value(("iks.csv", b"kode;iks_2024\n9701012001;0,5\n", "text/csv"))
    at.text_input(key="kd_target").input(f"../{outside.name}")
    _check(at)
    assert not at.exception
    assert any("tidak sah" in e.value for e in at.error)
    assert not any(b.key == "kd_apply" for b in at.button)
    assert not list(hostile_dir.parent.glob(f"{outside.name}*"))
    assert _fingerprint(hostile_dir) == before


# --------------------------------------------------------------------------------------------------
# 5. The admin gate
# --------------------------------------------------------------------------------------------------

WRITES = ("kd_activate", "kd_check", "kd_apply")


def _no_write_controls(at) -> None:
    keys = {b.key for b in at.button}
    assert not keys & set(WRITES), keys & set(WRITES)
    assert len(at.file_uploader) == 0
    assert not any(s.key == "kd_pilih" for s in at.selectbox)


@pytest.mark.parametrize("configured", [None, "", "rahasia"])
def test_no_data_changing_control_without_the_password(hostile_dir, monkeypatch, configured):
    """No password configured (read-only), an empty one (also read-only), or one configured but not given:
    no control that writes is drawn, even for a session that claims to be logged in without a password or
    holds a checked plan."""
    if configured is not None:
        monkeypatch.setenv("SINERGI_ADMIN_PASSWORD", configured)
    before = _fingerprint(hostile_dir)
    forged = {} if configured == "rahasia" else {"kd_admin": True}
    at = _run("pages/kelola_data.py", session={**forged, "kd_rencana": object()})
    _no_write_controls(at)
    assert _fingerprint(hostile_dir) == before


@pytest.mark.parametrize("wrong", ["", " ", "RAHASIA", "rahasia ", "rahasi", "' or 1=1 --", "rahasia\x00", "x" * 10_000])
def test_a_wrong_password_opens_nothing(hostile_dir, monkeypatch, wrong):
    monkeypatch.setenv("SINERGI_ADMIN_PASSWORD", "rahasia")
    at = _run("pages/kelola_data.py")
    at.text_input(key="kd_password").input(wrong)
    next(b for b in at.button if b.label == "Masuk").click()
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Kata sandi salah."]
    _no_write_controls(at)
    assert not _session(at, "kd_admin")


def test_the_right_password_opens_the_controls(hostile_dir, monkeypatch):
    at = _admin(monkeypatch)  # the gate is not simply closed for everyone
    assert {"kd_activate", "kd_check"} <= {b.key for b in at.button} and len(at.file_uploader)


@pytest.mark.parametrize("name", ["../../../tmp/evil.csv", "..\\..\\x.csv", "/etc/passwd", "C:\\x\\y.csv",
                                  "a\x00b.csv", "x.c\x00sv", "..", "", ".csv", "x." + "c" * 300])
def test_uploads_are_saved_under_a_fixed_name_inside_the_temp_folder(tmp_path, name):
    from sinergi.importers import view

    class Upload:  # what st.file_uploader hands the page: a name and the bytes
        def __init__(self, name):
            self.name = name

        def getvalue(self):
            return b"kode;iks_2024\n"

    inside = tmp_path / "unggah"
    inside.mkdir()
    p = view._simpan(Upload(name), inside, "berkas")
    assert p.parent == inside and p.stem == "berkas" and p.exists()
    assert [f.name for f in tmp_path.rglob("*") if f.is_file()] == [p.name]


def test_hostile_text_in_the_import_options_changes_nothing_and_stays_text(hostile_dir, monkeypatch):
    """Every text field of the import form (column names, CRS, column map, source, licence) given payloads
    and SQL: the check reports, nothing is written, nothing raw reaches the page."""
    at = _admin(monkeypatch)
    before = _fingerprint(hostile_dir)
    at.file_uploader(key="kd_file_indikator").set_value(("iks.csv", b"kode;iks_2024\n9701012001;0,5\n", "text/csv"))
    at.text_input(key="kd_target").input("serangan")
    at.text_input(key="kd_code_col").input(PAYLOADS[2])
    at.text_input(key="kd_name_col").input("nama'); drop table regions; --")
    at.text_area(key="kd_map").input(f"{PAYLOADS[5]}={PAYLOADS[1]}\niks_2024=iks'); delete from nilai; --")
    at.text_input(key="kd_source").input(PAYLOADS[6])
    at.text_input(key="kd_licence").input(PAYLOADS[7])
    _check(at)
    assert not at.exception, [e.message for e in at.exception]
    _clean(at)
    assert at.error, "an unknown code column is an error the user reads"
    assert not any(b.key == "kd_apply" for b in at.button)
    assert _fingerprint(hostile_dir) == before


def test_agenda_name_typed_with_payloads_stays_text(hostile_dir):
    at = _run("pages/agenda.py")
    at.text_input(key="ag_name").input(f"Rapat {PAYLOADS[2]} {PAYLOADS[7]}")
    at.run()
    assert not at.exception
    _clean(at)
    assert at.session_state["_agenda"].name == f"Rapat {PAYLOADS[2]} {PAYLOADS[7]}"  # kept as typed
    at.text_input(key="ag_name").input("x" * 500)  # too long: refused with a message, name unchanged
    at.run()
    assert not at.exception
    _clean(at)

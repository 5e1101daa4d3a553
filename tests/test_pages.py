"""AppTest: every page runs without an exception and shows what the user should see."""

from pathlib import Path

from streamlit.testing.v1 import AppTest
from apptest import open_page

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")


def _run(query=None, page=None):
    if page:
        return open_page(page, query, timeout=60)
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _markdown(at):
    return "\n".join(m.value for m in at.markdown)


def test_beranda_shows_demo_label_counts_and_status(tiny_data_dir):
    at = _run()
    assert "DATA DEMO" in _markdown(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Provinsi"] == "1"
    assert metrics["Desa/kelurahan"] == "8"
    assert metrics["Tahun terbaru"] == "2024"
    assert at.selectbox(key="beranda_ind").value == "iks"


def test_beranda_reads_state_from_url_and_english(tiny_data_dir):
    at = _run({"ind": "pendidikan_sma_pct", "tahun": "2024", "lang": "en"})
    assert at.selectbox(key="beranda_ind").value == "pendidikan_sma_pct"
    assert "DEMO DATA" in _markdown(at)
    assert {m.label for m in at.metric} >= {"Province", "Latest year"}


def test_beranda_ignores_bad_url_values(tiny_data_dir):
    at = _run({"ind": "<script>alert(1)</script>", "tahun": "1800", "lang": "xx"})
    assert at.selectbox(key="beranda_ind").value == "iks"
    assert at.selectbox(key="beranda_tahun").value == 2024


def test_changing_indicator_writes_the_url(tiny_data_dir):
    at = _run()
    at.selectbox(key="beranda_ind").set_value("idm").run()
    assert not at.exception
    assert at.query_params["ind"] == ["idm"] or at.query_params["ind"] == "idm"


def test_the_sidebar_language_switch_changes_every_text_of_the_next_run(tiny_data_dir):
    """The language is settled once a run (sinergi/ui/language.py): a switch shows in the very next run
    (never the language the run before settled), and a rerun keeps it."""
    at = _run()
    assert "DATA DEMO" in _markdown(at) and "Tahun terbaru" in {m.label for m in at.metric}
    at.selectbox(key="_lang_choice").set_value("en").run()
    assert not at.exception
    assert "DEMO DATA" in _markdown(at) and "Latest year" in {m.label for m in at.metric}
    at.run()
    assert "DEMO DATA" in _markdown(at) and "Latest year" in {m.label for m in at.metric}

"""Presentation mode through AppTest (``?mode=presentasi``, the sidebar toggle, leaving it), and the
completeness of the interface texts in both languages."""

import re
from pathlib import Path

import pytest
from apptest import open_page as _open
from apptest import param as _param
from legends import legend_lines, map_legends

from sinergi import i18n, ui

ROOT = Path(__file__).resolve().parents[1]


def _html(at) -> str:
    return "\n".join(str(getattr(e, "proto", "")) for e in at.get("html"))


def _keys(at) -> set[str]:
    return {w.key for w in at.selectbox} | {w.key for w in at.button} | {w.key for w in at.number_input}


def test_presentation_mode_keeps_only_the_main_picture(tiny_data_dir):
    normal = _open("pages/ketahanan_sosial.py", {"wil": "97.71"})
    assert {"ks_dari", "ks_ke", "ks_n"} <= _keys(normal)  # transitions and ranking below the map
    assert "sd_exit" not in _keys(normal)
    assert normal.get("download_button")

    at = _open("pages/ketahanan_sosial.py", {"wil": "97.71", "mode": "presentasi"})
    keys = _keys(at)
    assert not {"ks_dari", "ks_ke", "ks_n"} & keys  # the page ends after its map and chart
    assert "sd_exit" in keys  # the only control: leave the mode (Esc)
    assert not at.get("download_button")  # no export menu, no table downloads while presenting
    assert at.selectbox(key="ks_wil_l2_97").value == "97.71"  # the view's state is still read from the URL
    assert any("Indeks Ketahanan Sosial \\(IKS\\) 2024" in s.value for s in at.subheader)  # name Markdown-escaped
    assert legend_lines(map_legends(at)[0])[0] == "Indeks Ketahanan Sosial (IKS) (indeks 0–1)"  # legend (on the map) …
    assert any('class="sd-source"' in m.value for m in at.markdown)  # … and source stay
    css = _html(at)
    assert 'data-testid=\\"stSidebar\\"' in css or 'data-testid="stSidebar"' in css  # chrome hidden by CSS
    assert "ArrowRight" in css and "fitMap" in css  # keys and the map fitting script


def test_unknown_mode_value_means_normal(tiny_data_dir):
    at = _open("pages/jaringan_sosial.py", {"mode": "<script>"})
    assert "sd_exit" not in _keys(at)
    assert "fitMap" not in _html(at)


def test_toggle_enters_and_the_exit_button_leaves_presentation_mode(tiny_data_dir):
    at = _open("pages/sinergi_program.py", {"tahun": "2023"})
    at.sidebar.toggle(key="_mode_toggle").set_value(True).run()
    assert not at.exception
    assert _param(at, "mode") == "presentasi" and _param(at, "tahun") == "2023"
    assert "sd_exit" in _keys(at) and "sp_maks" not in _keys(at)
    at.button(key="sd_exit").click().run()
    assert _param(at, "mode") is None and _param(at, "tahun") == "2023"
    assert "sp_maks" in _keys(at)


def test_presentation_in_english(tiny_data_dir):
    at = _open("pages/jaringan_sosial.py", {"wil": "97.01.01", "mode": "presentasi", "lang": "en"})
    assert [t.value for t in at.title] == ["Social networks"]
    assert not at.dataframe  # the per-village measures are not part of the picture
    assert at.button(key="sd_exit").help == "Leave presentation mode (Esc)"
    assert map_legends(at)[0]["noData"][0] == "No data"


def test_compare_page_ends_after_its_chart_in_presentation_mode(tiny_data_dir):
    at = _open("pages/bandingkan.py", {"kode": "97.01,97.71", "mode": "presentasi"})
    assert at.get("plotly_chart") and not at.dataframe


def test_presentation_map_height_is_smaller_than_the_normal_one():
    assert ui.PRESENT_MAP_HEIGHT <= 460  # fits 1280×720 with title, legend and source; the script grows it


# --- texts in both languages -------------------------------------------------------------------------

_LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z0-9_]+)["']\s*[,)]""")


@pytest.mark.parametrize("path", sorted([*ROOT.glob("pages/*.py"), *ROOT.glob("sinergi/**/*.py")]),
                         ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_text_key_used_in_code_exists(path):
    """Every ``t("key")`` / ``ui.t("key")`` with a literal key names an entry of TEXTS (a missing key would
    show the key itself to the user, in both languages)."""
    used = set(_LITERAL_KEY.findall(path.read_text(encoding="utf-8")))
    missing = sorted(k for k in used if k not in i18n.TEXTS)
    assert not missing, f"{path.name}: {missing}"


@pytest.mark.parametrize("x, decimals, lang, expected", [
    (1234.5, 1, "id", "1.234,5"), (1234.5, 1, "en", "1,234.5"), (0.4907, 4, "id", "0,4907"),
    (84000, 0, "id", "84.000"), (84000, 0, "en", "84,000"), (None, 2, "en", "–"),
])
def test_numbers_per_language(x, decimals, lang, expected):
    assert i18n.fmt_num(x, decimals, lang) == expected


def test_units_in_both_languages():
    from sinergi import catalog

    assert catalog.get("iks").unit("id") == "indeks 0–1" and catalog.get("iks").unit("en") == "index 0–1"
    assert catalog.get("nakes_per_1000").unit("en") == "per 1,000"
    assert catalog.get("pendidikan_sma_pct").unit("en") == "%"
    neutral = {"%", ""}  # units that read the same in both languages
    for ind in catalog.INDIKATOR:  # every other unit has an English form
        assert ind.satuan in neutral or ind.satuan in catalog.SATUAN_EN, f"{ind.id}: {ind.satuan!r}"


def test_profile_shows_its_percentiles_in_two_charts_when_presenting(tiny_data_dir):
    at = _open("pages/profil_desa.py", {"kode": "97.01.01.2001", "mode": "presentasi"})
    charts = at.get("plotly_chart")
    assert len(charts) == 2  # the indicators split over two half-height charts, no trends below
    assert not at.get("tabs") and "pf_tren" not in _keys(at)


def test_a_real_datasets_source_line_never_names_a_demo_pattern():
    from sinergi import ui

    real = {"sumber": "DPMD Kab. Bogor", "lisensi": "CC-BY", "demo": False}
    demo = {"sumber": "Generator demo", "demo": True}
    assert "Demo:" not in ui.source_text(real, "Demo: pola BPS Podes/Susenas")
    assert ui.source_text(real, "Kemendesa PDTT, IDM").endswith("Kemendesa PDTT, IDM")
    assert ui.source_text(demo, "Demo: pola BPS Podes/Susenas").endswith("Demo: pola BPS Podes/Susenas")

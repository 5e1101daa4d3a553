"""Agenda of prepared views: editing, JSON round trip, validation of imported files, and the agenda page
(save from the sidebar, reorder, present with next/previous) through AppTest on the tiny fixture."""

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from apptest import open_page as _open
from apptest import param as _param

from sinergi import agenda as ag

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")


def _agenda() -> ag.Agenda:
    a = ag.Agenda("Rapat koordinasi")
    a = ag.add(a, ag.make_view("ketahanan", {"ind": "iks", "tahun": "2024", "wil": "97.71"}, "IKS di kota"))
    a = ag.add(a, ag.make_view("beranda", {"ind": "idm"}, "Gambaran umum", "Mulai dari sini"))
    a = ag.add(a, ag.make_view("bandingkan", {"kode": "97.01,97.71", "grafik": "radar"}, "Dua wilayah"))
    return a


# --- editing ----------------------------------------------------------------------------------------

def test_make_view_keeps_only_the_pages_known_parameters():
    v = ag.make_view("ketahanan", {"ind": "iks", "tahun": ["2023", "2024"], "lang": "en", "mode": "presentasi",
                                   "kode": "97.01", "tingkat": "9", "wil": "97.71"}, "  Judul  ")
    # lang/mode belong to the session; kode is not a ketahanan parameter; tingkat 9 is not a level
    assert v.params == {"ind": "iks", "tahun": "2024", "wil": "97.71"}
    assert v.title == "Judul"


def test_make_view_needs_a_title_and_a_known_page():
    with pytest.raises(ag.AgendaError, match="judul"):
        ag.make_view("ketahanan", {}, "   ")
    with pytest.raises(ag.AgendaError, match="tidak dikenal"):
        ag.make_view("rahasia", {}, "x")
    with pytest.raises(ag.AgendaError, match="catatan"):
        ag.make_view("beranda", {}, "x", "n" * (ag.MAX_NOTE + 1))


def test_move_and_remove_reorder_views():
    a = _agenda()
    titles = lambda x: [v.title for v in x.views]  # noqa: E731
    assert titles(ag.move(a, 0, +1)) == ["Gambaran umum", "IKS di kota", "Dua wilayah"]
    assert titles(ag.move(a, 2, -1)) == ["IKS di kota", "Dua wilayah", "Gambaran umum"]
    assert titles(ag.move(a, 0, -1)) == titles(a)  # nothing above the first view
    assert titles(ag.move(a, 2, +1)) == titles(a)
    assert titles(ag.remove(a, 1)) == ["IKS di kota", "Dua wilayah"]
    assert titles(a) == ["IKS di kota", "Gambaran umum", "Dua wilayah"]  # edits never change the original


def test_agenda_has_a_size_limit():
    a = ag.Agenda("x", [ag.View("beranda", {}, f"v{i}") for i in range(ag.MAX_VIEWS)])
    with pytest.raises(ag.AgendaError, match="batas"):
        ag.add(a, ag.View("beranda", {}, "satu lagi"))


def test_plain_link_of_a_view():
    v = ag.View("ketahanan", {"ind": "iks", "wil": "97.71"}, "x")
    assert v.link() == "ketahanan?ind=iks&wil=97.71"
    assert v.link("en", presenting=True) == "ketahanan?ind=iks&wil=97.71&lang=en&mode=presentasi"
    assert ag.View("beranda", {}, "x").link() == "beranda"


# --- JSON ---------------------------------------------------------------------------------------------

def test_json_round_trip():
    a = _agenda()
    text = ag.to_json(a)
    doc = json.loads(text)
    assert doc["format"] == "sinergi-agenda" and doc["versi"] == 1 and len(doc["tampilan"]) == 3
    assert doc["tampilan"][1] == {"halaman": "beranda", "parameter": {"ind": "idm"}, "judul": "Gambaran umum",
                                  "catatan": "Mulai dari sini"}
    back = ag.from_json(text.encode("utf-8"))
    assert back == a


def _doc(**changes) -> dict:
    doc = ag.to_dict(_agenda())
    doc.update(changes)
    return doc


def _view(**changes) -> dict:
    v = {"halaman": "ketahanan", "parameter": {"ind": "iks"}, "judul": "x", "catatan": ""}
    v.update(changes)
    return v


@pytest.mark.parametrize("payload, message", [
    (b"", "kosong"),
    (b"{not json", "bukan JSON"),
    (json.dumps([1, 2]).encode(), "bukan agenda"),
    (json.dumps(_doc(format="lain")).encode(), "bukan agenda"),
    (json.dumps(_doc(versi=2)).encode(), "Versi"),
    (json.dumps(_doc(rahasia=1)).encode(), "Kunci tidak dikenal"),
    (json.dumps(_doc(nama="")).encode(), "nama"),
    (json.dumps(_doc(tampilan="x")).encode(), "daftar"),
    (json.dumps(_doc(tampilan=[_view()] * (ag.MAX_VIEWS + 1))).encode(), "batasnya"),
    (json.dumps(_doc(tampilan=[_view(halaman="../../etc/passwd")])).encode(), "tidak dikenal"),
    (json.dumps(_doc(tampilan=[_view(parameter={"sql": "drop table"})])).encode(), "parameter 'sql'"),
    (json.dumps(_doc(tampilan=[_view(parameter={"ind": "<script>alert(1)</script>"})])).encode(), "tidak sah"),
    (json.dumps(_doc(tampilan=[_view(parameter={"ind": "bukan_indikator"})])).encode(), "tidak sah"),
    (json.dumps(_doc(tampilan=[_view(parameter={"wil": "32.01.x"})])).encode(), "tidak sah"),
    (json.dumps(_doc(tampilan=[_view(parameter={"tahun": 2024})])).encode(), "harus teks"),
    (json.dumps(_doc(tampilan=[_view(judul="j" * (ag.MAX_TITLE + 1))])).encode(), "judul"),
    (json.dumps(_doc(tampilan=[_view(judul=None)])).encode(), "harus teks"),
    (json.dumps(_doc(tampilan=[_view(warna="merah")])).encode(), "kunci tidak dikenal"),
    (b"{" + b" " * (ag.MAX_BYTES + 1) + b"}", "terlalu besar"),
])
def test_import_refuses_bad_files_with_a_clear_message(payload, message):
    with pytest.raises(ag.AgendaError, match=message):
        ag.from_json(payload)


def test_import_accepts_a_bom_and_keeps_text_as_text():
    doc = _doc(tampilan=[_view(judul="<b>Judul</b> & catatan", catatan="**tebal**")])
    a = ag.from_json(b"\xef\xbb\xbf" + json.dumps(doc, ensure_ascii=False).encode("utf-8"))
    assert a.views[0].title == "<b>Judul</b> & catatan" and a.views[0].note == "**tebal**"


# --- pages (AppTest) ---------------------------------------------------------------------------------


def test_save_the_current_view_from_the_sidebar(tiny_data_dir):
    at = _open("pages/ketahanan_sosial.py", {"wil": "97.71", "tahun": "2023", "tingkat": "4", "mode": "x"})
    at.sidebar.text_input(key="_ag_title").input("Kota 2023")
    at.sidebar.text_area(key="_ag_note").input("<b>note</b>")
    next(b for b in at.sidebar.button if b.label == "Simpan tampilan ini").click().run()
    assert not at.exception
    saved = at.session_state["_agenda"]
    assert len(saved.views) == 1
    v = saved.views[0]
    assert v.page == "ketahanan" and v.title == "Kota 2023" and v.note == "<b>note</b>"
    assert v.params["wil"] == "97.71" and v.params["tahun"] == "2023" and v.params["tingkat"] == "4"
    assert "mode" not in v.params
    assert any("berisi 1 tampilan" in s.value for s in at.sidebar.success)


def test_saving_without_a_title_changes_nothing(tiny_data_dir):
    at = _open("pages/jaringan_sosial.py")
    next(b for b in at.sidebar.button if b.label == "Simpan tampilan ini").click().run()
    assert "_agenda" not in at.session_state or not at.session_state["_agenda"].views
    assert any("judul" in e.value for e in at.sidebar.error)


def test_agenda_page_lists_reorders_and_presents(tiny_data_dir):
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["_agenda"] = _agenda()
    at.run()
    at.switch_page("pages/agenda.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    shown = "\n".join(m.value for m in at.markdown)
    assert "1\\. IKS di kota" in shown or "1. IKS di kota" in shown
    assert "(ketahanan?ind=iks&tahun=2024&wil=97.71)" in shown  # the view's plain link
    assert "(./?ind=idm)" in shown  # the default page lives at the root
    at.button(key="ag_down_1").click().run()  # Gambaran umum ↓: IKS, Dua wilayah, Gambaran umum
    assert [v.title for v in at.session_state["_agenda"].views] == ["IKS di kota", "Dua wilayah", "Gambaran umum"]
    at.button(key="ag_up_1").click().run()
    assert [v.title for v in at.session_state["_agenda"].views] == ["Dua wilayah", "IKS di kota", "Gambaran umum"]
    at.button(key="ag_del_0").click().run()
    assert [v.title for v in at.session_state["_agenda"].views] == ["IKS di kota", "Gambaran umum"]
    extra = ag.make_view("sinergi", {"tahun": "2023", "wil": "97.01"}, "Program 2023")
    at.session_state["_agenda"] = ag.move(ag.add(at.session_state["_agenda"], extra), 2, -1)
    assert [v.title for v in at.session_state["_agenda"].views] == ["IKS di kota", "Program 2023", "Gambaran umum"]

    at.button(key="ag_present").click().run()  # opens view 1 in presentation mode
    assert not at.exception, [e.message for e in at.exception]
    assert _param(at, "mode") == "presentasi" and _param(at, "wil") == "97.71"
    assert at.selectbox(key="ks_wil_l2_97").value == "97.71"
    assert at.button(key="sd_prev").disabled and not at.button(key="sd_next").disabled
    assert any(m.value == "**1 / 3**" for m in at.markdown)

    # AppTest reruns the page it last opened itself, so follow st.switch_page as the browser does
    at.switch_page("pages/ketahanan_sosial.py")
    at.run()
    at.button(key="sd_next").click().run()  # → view 2: Sinergi Program 2023 in the kabupaten
    assert not at.exception, [e.message for e in at.exception]
    assert _param(at, "tahun") == "2023" and _param(at, "wil") == "97.01" and _param(at, "mode") == "presentasi"
    assert at.selectbox(key="sp_tahun").value == 2023
    assert any(m.value == "**2 / 3**" for m in at.markdown)

    at.switch_page("pages/sinergi_program.py")
    at.run()
    at.button(key="sd_prev").click().run()  # ← back to view 1
    assert _param(at, "wil") == "97.71" and any(m.value == "**1 / 3**" for m in at.markdown)

    at.switch_page("pages/ketahanan_sosial.py")
    at.run()
    at.button(key="sd_exit").click().run()  # leave presentation mode, stay on the view
    assert _param(at, "mode") is None and _param(at, "wil") == "97.71"
    assert not [b for b in at.button if b.key in ("sd_prev", "sd_next", "sd_exit")]
    assert at.number_input(key="ks_n")  # the whole page is back


def test_empty_agenda_says_how_to_fill_it(tiny_data_dir):
    at = _open("pages/agenda.py", {"lang": "en"})
    assert any("The agenda is empty" in i.value for i in at.info)
    assert at.button(key="ag_present").disabled


def test_page_specific_values_custom_index_recipe():
    v = ag.make_view("indeks", {"ind": "iks:2,pendidikan_sma_pct:1:balik", "norm": "minmax"}, "Indeks")
    assert v.params["ind"] == "iks:2,pendidikan_sma_pct:1:balik"
    # a recipe naming an unknown indicator is refused
    doc = ag.to_dict(ag.Agenda("x", [ag.View("indeks", {"ind": "iks:2,rahasia:1"}, "x")]))
    with pytest.raises(ag.AgendaError, match="tidak sah"):
        ag.from_json(json.dumps(doc))


def test_a_saved_view_keeps_the_national_view_and_the_grid():
    # 'semua' is how a page that opens on one region names the whole dataset; the grid is Peta's view
    assert ag.clean_params("ketahanan", {"wil": "semua", "tingkat": "2"}) == {"wil": "semua", "tingkat": "2"}
    assert ag.clean_params("peta", {"tampilan": "kisi", "tingkat": "4"}) == {"tampilan": "kisi", "tingkat": "4"}
    assert ag.clean_params("peta", {"tampilan": "<b>"}) == {}
    assert ag.clean_params("ketahanan", {"wil": "semuanya"}) == {}

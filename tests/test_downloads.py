"""Downloads are made when clicked, never sent with the page: for a file given as bytes Streamlit 1.67
keeps it in memory per session and the browser fetches all of it after each rerun just to check it,
and under load those fetches failed (404) once a newer rerun had dropped the file (bench/load_bench.py).
A deferred download has a file id and no URL."""


import pytest
from apptest import open_page



def _downloads(page: str, query: dict) -> list:
    at = open_page(page, query, timeout=90)
    return [e.proto for e in at.get("download_button")]


@pytest.mark.parametrize("page, query", [
    ("pages/peta.py", {"ind": "iks", "tahun": "2024", "tingkat": "4", "wilayah": "97.01.01", "pilih": "97.01.01.2002"}),
    ("pages/ketahanan_sosial.py", {"wil": "97.71"}),
    ("pages/profil_desa.py", {"kode": "97.01.01.2001"}),
])
def test_every_download_of_a_page_is_made_when_clicked(tiny_data_dir, page, query):
    buttons = _downloads(page, query)
    labels = [b.label for b in buttons]
    assert any("CSV" in label for label in labels), labels  # the tables' CSV buttons are among them
    eager = [b.label for b in buttons if b.url or not b.deferred_file_id]
    assert eager == [], f"sent with the page: {eager}"

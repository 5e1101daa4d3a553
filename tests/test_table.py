"""ui.table: numbers in the interface's language, and long tables capped on screen with a note."""

from streamlit.testing.v1 import AppTest


def _script(n_rows, max_rows, lang):
    import pandas as pd
    import streamlit as st

    from sinergi import ui

    if lang == "en":
        st.query_params["lang"] = "en"
    frame = pd.DataFrame({"kode": [f"97.01.01.{2001 + i}" for i in range(n_rows)],
                          "nilai": [1000.5 + i for i in range(n_rows)]})
    ui.table(frame, max_rows=max_rows)
    st.session_state["rows_given"] = len(frame)  # the caller's frame is left whole


def test_a_long_table_shows_its_first_rows_and_says_how_many_there_are():
    at = AppTest.from_function(_script, args=(12_345, 5_000, "id")).run()
    assert not at.exception
    shown = at.dataframe[0].value
    assert len(shown) == 5_000
    assert shown["kode"].iloc[0] == "97.01.01.2001" and shown["nilai"].iloc[0] == "1.000,5"
    assert "5.000 baris pertama dari 12.345" in at.caption[0].value
    assert at.session_state["rows_given"] == 12_345


def test_a_short_table_is_shown_whole_without_a_note():
    at = AppTest.from_function(_script, args=(40, 5_000, "id")).run()
    assert len(at.dataframe[0].value) == 40
    assert len(at.caption) == 0


def test_the_note_in_english():
    at = AppTest.from_function(_script, args=(30, 10, "en")).run()
    assert len(at.dataframe[0].value) == 10
    assert "first 10 of 30 rows" in at.caption[0].value

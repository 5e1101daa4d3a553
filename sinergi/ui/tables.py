"""Tables on screen (numbers in the interface language, at most :data:`TABLE_ROWS` rows) and their
CSV/XLSX downloads."""

from __future__ import annotations

import streamlit as st

from sinergi import i18n, safe
from sinergi.ui.language import lang, t
from sinergi.ui.presentation import presenting

TABLE_ROWS = 5_000  # rows a displayed table shows at most; downloads hold every row


def table(frame, max_rows: int | None = None, **kwargs) -> None:
    """``st.dataframe`` with numbers written the way the interface language writes them (1.234,5 or
    1,234.5). Display only: downloads take the numeric frame.

    At most ``max_rows`` (default :data:`TABLE_ROWS`) rows are shown, with a note saying how many there
    are: a national list of 85,000 villages cost ~0.3 s of formatting and serialising on every rerun and
    several MB to every browser, and no one reads it on screen (its downloads have every row)."""
    limit = TABLE_ROWS if max_rows is None else max_rows
    total = len(frame)
    if total > limit:
        frame = frame.head(limit)
    lg = lang()
    shown, config = i18n.display_frame(frame, lg)
    kwargs.setdefault("hide_index", True)
    for col, given in (kwargs.pop("column_config", None) or {}).items():
        # a plain label keeps the right alignment of a formatted number column
        config[col] = {**config[col], "label": given} if isinstance(given, str) and col in config else given
    st.dataframe(shown, column_config=config, **kwargs)
    if total > limit:
        st.caption(t("table_capped").format(shown=i18n.fmt_num(limit, 0, lg), total=i18n.fmt_num(total, 0, lg)))


def download_csv(frame, label: str, file_name: str, key: str) -> None:
    """CSV and XLSX downloads of a table (numbers stay numeric; CSV in UTF-8 with BOM so spreadsheet
    programs read the accents right). Both files are made only when clicked (a national village table's
    CSV took about a quarter of a second of every rerun)."""
    from sinergi import export

    if presenting():
        return
    stem = safe.file_part(file_name.rsplit(".", 1)[0])  # callers may build it from names
    with st.container(horizontal=True, gap="small"):
        # Made when clicked, like every download here: for a file given as bytes, Streamlit 1.67 stores it
        # in memory and the browser fetches all of it on each rerun just to check it (bench/load_bench.py
        # saw those fetches 404 once a faster rerun had dropped the file).
        st.download_button(f"⬇ {label}", lambda: export.table_csv(frame), file_name=f"{stem}.csv",
                           mime="text/csv", key=key, on_click="ignore")
        st.download_button(f"⬇ {t('download_xlsx')}", lambda: export.table_xlsx(frame, sheet=stem),
                           file_name=f"{stem}.xlsx", key=f"{key}_xlsx", on_click="ignore",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

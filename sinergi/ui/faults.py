"""The data's faults on screen: why the active dataset cannot be shown (building the demo on the first
run), the fault's message with its repair path, and the guard that ends a page with that message
instead of a traceback."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import streamlit as st

from sinergi import build, catalog, db, folders
from sinergi import data as sd
from sinergi.ui.language import lang, md, t
from sinergi.ui.presentation import presenting


def database_fault() -> db.DataError | None:
    """Why the active dataset cannot be shown (None when it can).

    On the first run the demo database is built with a progress bar — after checking that the data
    folder is writable, so a read-only folder is said at once instead of after half a minute of
    generating. Leftovers of interrupted writes are removed once per process (:func:`_clean_once`).
    """
    _clean_once(str(db.data_dir()))
    path = None
    try:
        path = db.dataset_path()
        if not path.exists() and not os.path.lexists(path) and db.active_dataset() == "demo":
            if not folders.bisa_ditulis(path.parent):
                return db.gangguan("tulis", path, folder=path.parent)
            bar = st.progress(0.0, text=t("building_db"))

            def progress(f: float, msg: str) -> None:
                bar.progress(min(max(f, 0.0), 1.0), text=f"{t('building_db')} {msg}")

            try:
                build.ensure_demo(progress=progress)
            except OSError as e:
                return db.gangguan("tulis", path, folder=path.parent, detail=e.strerror or str(e))
            finally:
                bar.empty()
        sd.database()
        seen = db.seen_damaged(path)  # a page already met damage in this very file: say so up front
        if seen is not None:
            return seen
        sd.dataset_info()  # the first read of every page (banner, sidebar line)
        sd.pakai_katalog()  # the dataset's indicator catalog for this run (catalog.aktif)
    except db.DataError as e:
        catalog.pakai(catalog.BAWAAN)  # this run (Kelola Data, the repair page) names built-ins only
        return e
    except (duckdb.IOException, duckdb.FatalException) as e:
        catalog.pakai(catalog.BAWAAN)
        return db.mark_damaged(path, e)
    return None


@st.cache_resource(max_entries=16, show_spinner=False)
def _clean_once(folder: str) -> tuple[str, ...]:
    """Remove what interrupted imports or builds left in ``folder`` when the app starts (once per
    process and folder; only while no write holds the folder's lock). Returns what was removed."""
    return tuple(str(p) for p in folders.bersihkan_sisa(folder))


def show_fault(fault: db.DataError, link: bool = True) -> None:
    """A fault of the data in the user's language: what is wrong, how to repair it, DuckDB's own words
    as a technical detail, and (``link``) a link to Kelola Data, where an admin repairs it. Names from
    the file system are escaped."""
    from sinergi import datasets

    lg = lang()
    if fault.jenis == "tulis" and fault.dataset == "demo":  # no database, and none can be built
        text = f"{t('db_error')}: {t('db_not_writable')} ({md(fault.folder)})."
    elif fault.jenis in db.JENIS_GANGGUAN:
        text = t(f"fault_{fault.jenis}").format(dataset=md(fault.dataset), berkas=md(fault.berkas),
                                                folder=md(fault.folder))
    else:
        text = f"{t('db_error')}: {md(str(fault))}"
    text = f"{text}\n\n{datasets.perbaikan(fault, lg)}"
    if presenting():  # presentation mode hides alerts and captions: the fault must not leave a blank screen
        st.markdown(f"**{text}**")
        return
    st.error(text, icon=":material/error:")
    if fault.detail:
        st.caption(f"{t('fault_detail')}: {md(fault.detail)}")
    if link:
        st.page_link("pages/kelola_data.py", label=t("fault_open_kelola"), icon=":material/database:")


@contextmanager
def database_guard() -> Iterator[None]:
    """Run a page inside this: a fault met only while the page reads (a damaged block behind a readable
    catalog, the file gone since the start of the run) ends the page with the fault's message and the
    repair path, not a traceback, and the app keeps serving."""
    try:
        yield
    except db.DataError as e:
        st.error(t("fault_page_damaged"))
        show_fault(e)
    except (duckdb.IOException, duckdb.FatalException) as e:
        st.error(t("fault_page_damaged"))
        try:
            path = db.dataset_path()
        except db.DataError as f:
            show_fault(f)
        else:
            show_fault(db.mark_damaged(path, e))

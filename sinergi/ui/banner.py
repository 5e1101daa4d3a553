"""What labels the data on a page: the demo banner (and the dataset's metadata), the source and licence
note, the map legend (drawn on the map: :func:`map_legend`)."""

from __future__ import annotations

import html

import streamlit as st

from sinergi import data as sd
from sinergi import maps, safe
from sinergi.ui.faults import database_fault, show_fault
from sinergi.ui.language import lang, t


def dataset_banner() -> dict:
    """Show the demo label (demo data only) and return the dataset's metadata.

    Every page calls this first. When the active dataset cannot be read, it shows why and how to repair
    it and ends the page: ``app.py`` says so before a page runs, this keeps a page run on its own (as
    ``AppTest.switch_page`` runs pages: without ``app.py``) from ending in a traceback.
    """
    from sinergi import signin

    signin.tutup_bila_tidak_boleh()  # a restricted active dataset, or sign-in required: stop before reading
    fault = database_fault()
    if fault is not None:
        show_fault(fault)
        st.stop()
    info = sd.dataset_info()
    if info.get("demo"):
        st.markdown(f'<div class="sd-banner" role="status">{html.escape(t("demo_banner"))}</div>',
                    unsafe_allow_html=True)
    return info


def source_text(info: dict, extra: str = "") -> str:
    """"Sumber: … · Lisensi: … · extra" as plain text (for notes, exports and slides)."""
    parts = [f"{t('source')}: {info.get('sumber', '–')}"]
    if info.get("lisensi"):
        parts.append(f"{t('licence')}: {info['lisensi']}")
    if extra and not (extra.startswith(DEMO_SOURCE) and not info.get("demo")):
        parts.append(extra)  # a built-in indicator's demo pattern is no source of a real dataset's values
    return " · ".join(parts)


DEMO_SOURCE = "Demo:"  # how the catalog names the pattern the demo generator follows (sinergi/catalog.py)


def source_note(info: dict, extra: str = "") -> None:
    """A note naming the dataset's source and licence (escaped; kept visible in presentation mode)."""
    st.markdown(f'<div class="sd-source">{safe.html_text(source_text(info, extra))}</div>', unsafe_allow_html=True)


def map_legend(legend, title: str, note: str = "") -> dict:
    """The legend drawn on the map (``explore.draw_map(..., legend=...)``): a swatch, range and count per
    class, then "no data", and an optional ``note`` (e.g. that the classes are the official ones)."""
    return maps.legend_spec(legend, title, t("no_data"), lang(), note)


def classes_note(ind, metode: str) -> str:
    """The note a legend of official classes carries (the IDM status, or the data owner's classes); '' for
    classes computed from the data."""
    if metode != "status":
        return ""
    return t("pt_status_fixed") if ind.kelas_resmi == "idm" or ind.id == "status_idm" else t("pt_classes_fixed")

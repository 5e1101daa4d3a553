"""What labels the data on a page: the demo banner (and the dataset's metadata), the source and licence
note, the map legend."""

from __future__ import annotations

import html

import streamlit as st

from sinergi import data as sd
from sinergi import i18n, safe
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


def legend_html(legend, title: str) -> str:
    """Legend as escaped HTML: a swatch, range and count per class, then "no data"."""
    rows = [f"<div><b>{safe.html_text(title)}</b></div>"]
    for col, label, n in zip(legend.colors, legend.labels, legend.counts):
        rows.append(
            f'<div><span class="sw" style="background:{html.escape(col)}"></span>'
            f"{safe.html_text(label)} <span style='color:#444'>({i18n.fmt_num(n, 0, lang())})</span></div>"
        )
    rows.append(
        f'<div><span class="sw nd"></span>{html.escape(t("no_data"))} '
        f"<span style='color:#444'>({i18n.fmt_num(legend.n_missing, 0, lang())})</span></div>"
    )
    return '<div class="sd-legend">' + "".join(rows) + "</div>"

"""Shared page furniture: language, the dataset banner, the first-run build, common CSS.

Kept small: it draws what every page shows; page-specific logic lives in the pages' own modules.
"""

from __future__ import annotations

import html

import streamlit as st

from sinergi import build, db, i18n
from sinergi import data as sd

BASE_CSS = """
<style>
html, body, [class*="css"] { font-size: 16px; }
.sd-banner { background: #fff3cd; border: 2px solid #e0a800; color: #4a3b00; padding: .5rem .9rem;
             border-radius: .4rem; font-weight: 700; font-size: 1rem; margin-bottom: .6rem; }
.sd-source { color: #444; font-size: .9rem; }
.sd-legend { font-size: 15px; line-height: 1.5; }
.sd-legend .sw { display: inline-block; width: 1.1em; height: 1.1em; vertical-align: -0.15em;
                 margin-right: .45em; border: 1px solid #555; }
.sd-legend .nd { background: #b0b0b0; opacity: .7; border-style: dashed; }
</style>
"""


def lang() -> str:
    """Interface language: the URL's ``?lang=en`` first, then this session's choice, else Indonesian."""
    value = st.query_params.get("lang") or st.session_state.get("_lang", "id")
    return value if value in i18n.LANGS else "id"


def _set_lang() -> None:
    choice = st.session_state["_lang_choice"]
    st.session_state["_lang"] = choice
    if choice == "id":
        st.query_params.pop("lang", None)
    else:
        st.query_params["lang"] = choice


def sidebar() -> None:
    """Language switch (kept in the URL) shared by every page."""
    current = lang()
    st.session_state["_lang"] = current
    if current != "id" and st.query_params.get("lang") != current:
        st.query_params["lang"] = current  # keep the language in the URL after page changes
    with st.sidebar:
        st.selectbox(
            t("language"), options=list(i18n.LANGS), index=list(i18n.LANGS).index(current),
            format_func=lambda c: {"id": "Bahasa Indonesia", "en": "English"}[c],
            key="_lang_choice", on_change=_set_lang,
        )


def t(key: str) -> str:
    return i18n.t(key, lang())


def ensure_database() -> bool:
    """Make sure the active database exists; build the demo with a progress bar on first run.

    Returns False (after showing a clear message) when the data cannot be opened.
    """
    path = db.dataset_path()
    if not path.exists() and db.active_dataset() == "demo":
        bar = st.progress(0.0, text=t("building_db"))

        def progress(f: float, msg: str) -> None:
            bar.progress(min(max(f, 0.0), 1.0), text=f"{t('building_db')} {msg}")

        try:
            build.ensure_demo(progress=progress)
        except OSError as e:
            bar.empty()
            st.error(f"{t('db_error')}: folder data tidak dapat ditulis ({e.strerror}).")
            return False
        bar.empty()
    try:
        sd.database()
    except db.DataError as e:
        st.error(f"{t('db_error')}: {e}")
        return False
    return True


def dataset_banner() -> dict:
    """Show the demo label (demo data only) and return the dataset's metadata."""
    info = sd.dataset_info()
    if info.get("demo"):
        st.markdown(f'<div class="sd-banner" role="status">{html.escape(t("demo_banner"))}</div>',
                    unsafe_allow_html=True)
    return info


def source_note(info: dict, extra: str = "") -> None:
    """A caption naming the dataset's source and licence."""
    parts = [f"{t('source')}: {info.get('sumber', '–')}"]
    if info.get("lisensi"):
        parts.append(f"{t('licence')}: {info['lisensi']}")
    if extra:
        parts.append(extra)
    st.caption(" · ".join(parts))


def legend_html(legend, title: str) -> str:
    """Legend as escaped HTML: a swatch, range and count per class, then "no data"."""
    rows = [f"<div><b>{html.escape(title)}</b></div>"]
    for col, label, n in zip(legend.colors, legend.labels, legend.counts):
        rows.append(
            f'<div><span class="sw" style="background:{html.escape(col)}"></span>'
            f"{html.escape(label)} <span style='color:#555'>({i18n.fmt_num(n, 0, lang())})</span></div>"
        )
    rows.append(
        f'<div><span class="sw nd"></span>{html.escape(t("no_data"))} '
        f"<span style='color:#555'>({i18n.fmt_num(legend.n_missing, 0, lang())})</span></div>"
    )
    return '<div class="sd-legend">' + "".join(rows) + "</div>"


def region_picker(key: str, max_level: int = 3, param: str = "wil", container=None) -> str:
    """Cascaded selectboxes provinsi → kabupaten/kota → kecamatan (→ desa/kelurahan with ``max_level=4``).

    The chosen region (dotted Kemendagri code, '' = the whole dataset) is read from and written to the
    URL parameter ``param``; a code from the URL that does not exist falls back level by level to its
    nearest existing ancestor. Each child box is keyed by its parent, so changing the province never
    leaves a stale kabupaten selected. (Added for the theme pages, issue 5.)
    """
    from sinergi import regions, state

    qp = st.query_params
    wanted = state.kode(qp, param)
    chain = []
    if wanted:
        parts = wanted.split(".")
        chain = [".".join(parts[:n]) for n in range(1, len(parts) + 1)]
    names = {**regions.LEVEL_NAMES_EN} if lang() == "en" else {**regions.LEVEL_NAMES}
    cols = (container or st).columns(max_level)
    chosen, parent = "", ""
    for level in range(1, max_level + 1):
        opts = sd.query("region_list", level=level, induk=parent)
        if opts.empty:
            break
        codes = [""] + opts["kode"].tolist()
        label_of = dict(zip(opts["kode"], opts["nama"]))
        default = chain[level - 1] if len(chain) >= level and chain[level - 1] in label_of else ""
        value = cols[level - 1].selectbox(
            names[level].capitalize(), codes, index=codes.index(default),
            format_func=lambda c, m=label_of: m.get(c, t("all_regions")) if c else t("all_regions"),
            key=f"{key}_l{level}_{parent or 'root'}",
        )
        if not value:
            break
        chosen = parent = value
    state.write(qp, {param: chosen}, {param: ""})
    return chosen


def download_csv(frame, label: str, file_name: str, key: str) -> None:
    """A CSV download button (UTF-8 with BOM so spreadsheet programs read the accents right)."""
    st.download_button(f"⬇ {label}", frame.to_csv(index=False).encode("utf-8-sig"), file_name=file_name,
                       mime="text/csv", key=key)

"""The cascaded region picker (provinsi → kabupaten/kota → kecamatan → desa), kept in the URL."""

from __future__ import annotations

import streamlit as st

from sinergi import data as sd
from sinergi.ui.language import lang, t


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

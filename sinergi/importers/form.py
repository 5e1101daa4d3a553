"""Kelola Data's options for the programme, institution, tie and population imports
(``sinergi.importers.kinds``); ``sinergi.importers.view`` draws the rest of the form and the report."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from sinergi import catalog, ui
from sinergi.importers import ImporGagal, files, kinds, plan
from sinergi.importers.report import GALAT, Laporan

TIPE = ["csv", "txt", "tsv", "xlsx"]


def opsi(jenis: str, c1, c2) -> dict:
    """The widgets of kind ``jenis`` in the form's two option columns; returns the plan's options."""
    out: dict = {}
    th = c2.number_input(ui.t("kd_year"), min_value=0, max_value=2100, value=0, step=1, key=f"kd_year_{jenis}")
    out["tahun"] = int(th) or None
    if jenis != "ikatan":
        out["tambah"] = c2.checkbox(ui.t("kd_add_regions"), key=f"kd_add_{jenis}")
    if jenis == "program":
        out["peta_kolom"] = st.text_area(ui.t("kd_map_program"), key="kd_map_program",
                                         help=ui.t("kd_map_program_help"))
        out["alias"] = c1.file_uploader(ui.t("kd_aliases"), type=TIPE, key="kd_aliases")
    elif jenis == "lembaga":
        out["peta_kolom"] = st.text_area(ui.t("kd_map_lembaga"), key="kd_map_lembaga", help=ui.t("kd_map_lembaga_help"))
        pilihan = ["", *catalog.JENIS_LEMBAGA]
        out["jenis"] = c1.selectbox(ui.t("kd_type"), pilihan, key="kd_type",
                                    format_func=lambda j: ui.t("kd_auto") if not j else catalog.NAMA_LEMBAGA[j][0]) or None
    elif jenis == "penduduk":
        out["kolom"] = c1.text_input(ui.t("kd_pop_col"), key="kd_pop_col").strip() or None
    return out


def _baris(text: str) -> list[str]:
    return (text or "").replace(",", "\n").splitlines()


def siapkan(jenis: str, path: Path, target: str, nama_berkas: str, extra: dict, pilihan: dict,
            folder: Path) -> plan.Rencana:
    """The plan of an upload of kind ``jenis`` (the alias table upload saved beside it, size-checked)."""
    pilihan = dict(pilihan)
    try:
        if "peta_kolom" in pilihan:
            contoh = "KOLOM=K/L:PROGRAM" if jenis == "program" else "KOLOM=JENIS"
            pilihan["peta_kolom"] = kinds.pasangan(_baris(pilihan["peta_kolom"]) if jenis == "lembaga"
                                                   else (pilihan["peta_kolom"] or "").splitlines(), contoh)
        up = pilihan.pop("alias", None)
        if up is not None:
            if up.size > files.BATAS_UKURAN_MB * files.MB:
                raise ImporGagal(files.pesan_terlalu_besar(up.name, up.size))
            p = folder / f"alias{Path(up.name).suffix.lower() if Path(up.name).suffix.lower() in ('.csv', '.xlsx') else ''}"
            p.write_bytes(up.getvalue())
            pilihan["alias"] = p
    except ImporGagal as e:
        lap = Laporan(jenis, nama_berkas, target)
        lap.tambah(GALAT, str(e))
        return plan.Rencana(lap, target, None)
    return kinds.siapkan(jenis, path, target, nama_berkas=nama_berkas, **extra, **pilihan)

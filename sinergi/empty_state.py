"""What a page says when the active dataset lacks something: what is missing, what it would enable, which
file fills it (the expected columns with a two-line sample, the command) and a link to Kelola Data with
that kind of import chosen — never an empty chart or a bare "Tidak ada data".

A need is one of :data:`CONTOH`'s keys: ``program``, ``lembaga``, ``ikatan``, ``penduduk`` (the import
kinds of ``sinergi.importers.kinds``), ``batas`` (boundaries) or ``indikator``, ``ketahanan``, ``idm``,
``kapasitas`` (indicator tables). :func:`isi` says what the dataset has (cached per dataset file, like every query).
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from sinergi import data as sd
from sinergi import ui

_TABEL_IDM = ("kode,iks_2024,idm_2024\n"
              "3201012001,0.7029,0.6176\n"
              "3201012002,0.5771,0.6146")
# need -> (Kelola Data kind, command, sample: header and two rows). Samples are data, the same in both languages.
CONTOH: dict[str, tuple[str, str, str]] = {
    "program": ("program", "python -m sinergi import programs program.csv --dataset NAMA",
                "kode_desa,tahun,kementerian,program,anggaran,penerima\n"
                "32.01.01.2001,2025,Kemensos,Program Keluarga Harapan,150000000,42\n"
                "32.01.01.2002,2025,Kemendesa PDTT,Dana Desa,884000000,"),
    "lembaga": ("lembaga", "python -m sinergi import institutions lembaga.csv --dataset NAMA",
                "kode_desa,jenis,nama_lembaga,sejak\n"
                "32.01.01.2001,bumdes,BUMDes Maju Bersama,2019\n"
                "32.01.01.2001,posyandu,Posyandu Melati,2010"),
    "ikatan": ("ikatan", "python -m sinergi import ties ikatan.csv --dataset NAMA",
               "dari,ke,jenis,tahun,jenis_mitra\n"
               "32.01.01.2001,32.01.01.2002,kerja_sama_antardesa,2023,\n"
               "32.01.01.2001,IPB University,pendampingan,2024,perguruan_tinggi"),
    "penduduk": ("penduduk", "python -m sinergi import population penduduk.csv --dataset NAMA",
                 "kode,tahun,penduduk\n"
                 "3201012001,2024,8512\n"
                 "3201012002,2024,6230"),
    "ketahanan": ("indikator", "python -m sinergi import indicators idm2024_desa.csv --dataset NAMA", _TABEL_IDM),
    "idm": ("indikator", "python -m sinergi import indicators idm2024_desa.csv --dataset NAMA", _TABEL_IDM),
    "indikator": ("indikator", "python -m sinergi import indicators indikator.csv --dataset NAMA", _TABEL_IDM),
    "batas": ("batas", "python -m sinergi import boundaries desa.geojson --dataset NAMA",
              '{"type": "Feature", "properties": {"kode": "32.01.11.2001", "nama": "Cidokom"},\n'
              ' "geometry": {"type": "Polygon", "coordinates": [[[106.69, -6.39], [106.70, -6.39], …]]}}'),
    "kapasitas": ("indikator", "python -m sinergi import indicators sdm.csv --dataset NAMA",
                  "kode,tahun,pendidikan_sma_pct,nakes_per_1000\n"
                  "3201012001,2024,38.5,2.1\n"
                  "3201012002,2024,31.0,1.4"),
}
# A theme's indicators come from this kind of file.
PERLU_TEMA = {"ketahanan_sosial": "ketahanan", "kapasitas_sdm": "kapasitas", "jaringan_sosial": "lembaga",
              "sinergi_program": "program", "idm": "idm"}


@dataclass(frozen=True)
class Isi:
    """What the active dataset holds besides indicator values (``queries/dataset_contents.sql``)."""

    n_program: int
    n_lembaga: int  # institutions in a list (simpul)
    n_mitra: int
    n_ikatan: int  # ties other than an institution's membership of its village
    n_desa: int
    n_desa_penduduk: int
    n_geom: int

    @property
    def penduduk(self) -> bool:
        return self.n_desa_penduduk > 0


def isi() -> Isi:
    row = sd.query("dataset_contents").iloc[0]
    return Isi(*(int(row[f]) for f in Isi.__dataclass_fields__))


def tanpa_batas(level: int, induk: str) -> bool:
    """True when the regions of ``level`` under ``induk`` exist but none has a boundary (a map would be empty)."""
    row = sd.query("region_geometry_count", level=level, induk=induk).iloc[0]
    return int(row["n"]) > 0 and int(row["n_geom"]) == 0


def kurang(perlu: str | list[str]) -> None:
    """One box per missing thing: what is missing and why it matters, the expected columns (two-line
    sample), the command, and a link to Kelola Data with that kind of import chosen."""
    for p in [perlu] if isinstance(perlu, str) else perlu:
        jenis, perintah, contoh = CONTOH[p]
        teks = f"**{ui.t(f'es_{p}')}** {ui.t(f'es_{p}_body')}"
        if ui.presenting():  # alerts and captions are hidden in presentation mode: say it in plain text
            st.markdown(teks)
            continue
        with st.container(border=True):
            st.info(teks, icon=":material/info:")
            st.caption(ui.t("es_columns"))
            st.code(contoh, language="text")
            st.caption(ui.t("es_command"))
            st.code(perintah, language="bash")
            st.page_link("pages/kelola_data.py", label=ui.t("es_open_kelola"), icon=":material/upload_file:",
                         query_params={"jenis": jenis})


def kurang_ringkas(perlu: list[str]) -> None:
    """The things a page could also show with more data, folded away under "what this dataset lacks"."""
    if not perlu:
        return
    if ui.presenting():
        kurang(perlu)
        return
    with st.expander(f"{ui.t('es_lacks')}: {', '.join(ui.t(f'es_{p}').rstrip('.') for p in perlu)}"):
        kurang(perlu)


def tidak_ada_di(apa: str, wilayah: str, tahun: int, tahun_ada: list[int]) -> None:
    """No ``apa`` (es_apa_<apa>: program, lembaga, ikatan, nilai) in this region and year, though the dataset
    has some: say so, with the years that have them."""
    kata = ui.t(f"es_apa_{apa}")
    teks = ui.t("es_region_none").format(apa=kata, wilayah=ui.md(wilayah), tahun=tahun)
    if tahun_ada:
        teks += " " + ui.t("es_years_with").format(apa=kata, tahun=", ".join(map(str, tahun_ada)))
    if ui.presenting():
        st.markdown(teks)
    else:
        st.info(teks, icon=":material/info:")

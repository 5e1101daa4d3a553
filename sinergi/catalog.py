"""The indicator catalog: the one registry of what can be mapped, charted and imported.

Every indicator id used anywhere (queries, pages, importers, demo generator) must be listed here.
Pages may let the user choose an indicator only from this list, so an indicator id that reaches SQL
is always one of ours (it is still bound as a parameter, never pasted).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from sinergi.i18n import fmt_num, t

# Official IDM status classes (Kemendesa PDTT, Permendesa PDTT No. 2/2016 and the IDM updates):
# Sangat Tertinggal <= 0.4907 < Tertinggal <= 0.5989 < Berkembang <= 0.7072 < Maju <= 0.8155 < Mandiri.
IDM_BATAS: tuple[float, ...] = (0.4907, 0.5989, 0.7072, 0.8155)
IDM_STATUS: tuple[str, ...] = ("Sangat Tertinggal", "Tertinggal", "Berkembang", "Maju", "Mandiri")
IDM_STATUS_EN: tuple[str, ...] = ("Very underdeveloped", "Underdeveloped", "Developing", "Advanced", "Independent")

TEMA: dict[str, tuple[str, str]] = {
    "ketahanan_sosial": ("Ketahanan Sosial", "Social resilience"),
    "kapasitas_sdm": ("Kapasitas SDM", "Human capacity"),
    "jaringan_sosial": ("Jaringan Sosial", "Social networks"),
    "sinergi_program": ("Sinergi Program", "Programme synergy"),
    "idm": ("Indeks Desa Membangun (IDM)", "Village Development Index (IDM)"),
}

AGREGASI = ("wmean_pop", "sum", "share", "mean")

SUMBER_IDM = "Kemendesa PDTT, Indeks Desa Membangun"

# Units are stored in Indonesian; their English forms for ``Indikator.unit("en")`` (issue 6).
SATUAN_EN: dict[str, str] = {
    "indeks 0–1": "index 0–1", "kelas 1–5": "class 1–5", "orang": "people", "per 1.000": "per 1,000",
    "ikatan": "ties", "mitra": "partners", "jenis": "types", "program": "programmes", "K/L": "ministries/agencies",
    "lembaga": "institutions", "jiwa": "people", "Rp": "IDR",
}

# Local institution types (``simpul.jenis`` of ``tipe = 'lembaga'``) with an Indonesian and English name: an
# imported list or PODES-style counts of these become the ``lembaga_<jenis>`` indicators below.
JENIS_LEMBAGA: tuple[str, ...] = (
    "karang_taruna", "pkk", "lks", "bumdes", "koperasi", "kelompok_tani", "posyandu", "majelis_taklim",
)
NAMA_LEMBAGA: dict[str, tuple[str, str]] = {
    "karang_taruna": ("Karang Taruna", "Karang Taruna (youth organisations)"),
    "pkk": ("PKK", "PKK (family welfare groups)"),
    "lks": ("Lembaga kesejahteraan sosial (LKS)", "Social welfare institutions (LKS)"),
    "bumdes": ("BUMDes", "Village enterprises (BUMDes)"),
    "koperasi": ("Koperasi", "Cooperatives"),
    "kelompok_tani": ("Kelompok tani", "Farmer groups"),
    "posyandu": ("Posyandu", "Posyandu (community health posts)"),
    "majelis_taklim": ("Majelis taklim", "Religious study groups (majelis taklim)"),
}
SUMBER_LEMBAGA = "Dihitung dari data lembaga yang diimpor (daftar atau jumlah per desa)"
# Tag of indicators that only imported data brings (programme budgets, institution counts, population): the
# demo generator does not make them (tests/test_demo.py), imports do (sinergi/importers/derived.py, population.py).
TURUNAN_IMPOR = ("impor",)


@dataclass(frozen=True)
class Indikator:
    """One indicator. ``arah`` is +1 when higher is better, -1 when higher is worse.

    ``min_valid``/``max_valid`` is the valid range of a *village* value (checked on import); sums up
    the hierarchy may exceed it.
    """

    id: str
    nama_id: str
    nama_en: str
    tema: str
    satuan: str
    arah: int
    min_valid: float | None
    max_valid: float | None
    agregasi: str
    sumber: str
    deskripsi_id: str
    deskripsi_en: str
    kelas_resmi: str | None = None  # "idm" for the IDM family
    desimal: int = 2
    tags: tuple[str, ...] = field(default_factory=tuple)

    def nama(self, lang: str = "id") -> str:
        return self.nama_en if lang == "en" else self.nama_id

    def deskripsi(self, lang: str = "id") -> str:
        return self.deskripsi_en if lang == "en" else self.deskripsi_id

    def unit(self, lang: str = "id") -> str:
        """The unit in the interface language (stored in Indonesian; see :data:`SATUAN_EN`)."""
        return SATUAN_EN.get(self.satuan, self.satuan) if lang == "en" else self.satuan


def _idx(id_, nama_id, nama_en, tema, des_id, des_en, kelas="idm", sumber=SUMBER_IDM):
    return Indikator(id_, nama_id, nama_en, tema, "indeks 0–1", +1, 0.0, 1.0, "wmean_pop", sumber,
                     des_id, des_en, kelas, 4)


INDIKATOR: tuple[Indikator, ...] = (
    # --- IDM composite -------------------------------------------------------------------------
    _idx("idm", "Indeks Desa Membangun (IDM)", "Village Development Index (IDM)", "idm",
         "Rata-rata IKS, IKE dan IKL; dasar status desa.", "Mean of IKS, IKE and IKL; basis of the village status."),
    Indikator("status_idm", "Status IDM", "IDM status", "idm", "kelas 1–5", +1, 1, 5, "mean", SUMBER_IDM,
              "Status resmi IDM: 1 Sangat Tertinggal … 5 Mandiri.",
              "Official IDM status: 1 very underdeveloped … 5 independent.", None, 0),
    _idx("ike", "Indeks Ketahanan Ekonomi (IKE)", "Economic Resilience Index (IKE)", "idm",
         "Dimensi ekonomi IDM.", "Economic dimension of the IDM."),
    _idx("ikl", "Indeks Ketahanan Lingkungan (IKL)", "Environmental Resilience Index (IKL)", "idm",
         "Dimensi lingkungan/ekologi IDM.", "Environmental dimension of the IDM."),
    # --- Ketahanan sosial ----------------------------------------------------------------------
    _idx("iks", "Indeks Ketahanan Sosial (IKS)", "Social Resilience Index (IKS)", "ketahanan_sosial",
         "Indeks ketahanan sosial IDM: kesehatan, pendidikan, modal sosial, permukiman.",
         "IDM social resilience index: health, education, social capital, settlement."),
    _idx("iks_kesehatan", "IKS – Kesehatan", "IKS – Health", "ketahanan_sosial",
         "Dimensi kesehatan IKS (IKS01–IKS07).", "Health dimension of the IKS (IKS01–IKS07).", None),
    _idx("iks_pendidikan", "IKS – Pendidikan", "IKS – Education", "ketahanan_sosial",
         "Dimensi pendidikan IKS (IKS08–IKS14).", "Education dimension of the IKS (IKS08–IKS14).", None),
    _idx("iks_modal_sosial", "IKS – Modal Sosial", "IKS – Social capital", "ketahanan_sosial",
         "Dimensi modal sosial IKS (IKS15–IKS27).", "Social capital dimension of the IKS (IKS15–IKS27).", None),
    _idx("iks_permukiman", "IKS – Permukiman", "IKS – Settlement", "ketahanan_sosial",
         "Dimensi permukiman IKS (IKS28–IKS35).", "Settlement dimension of the IKS (IKS28–IKS35).", None),
    # --- Kapasitas SDM -------------------------------------------------------------------------
    Indikator("pendidikan_sma_pct", "Penduduk berpendidikan SMA ke atas", "Population with upper-secondary education",
              "kapasitas_sdm", "%", +1, 0, 100, "wmean_pop", "Demo: pola BPS Podes/Susenas",
              "Persentase penduduk usia 25+ yang tamat SMA/sederajat atau lebih tinggi.",
              "Share of people aged 25+ with upper-secondary education or higher.", None, 1),
    Indikator("nakes_per_1000", "Tenaga kesehatan per 1.000 penduduk", "Health workers per 1,000 people",
              "kapasitas_sdm", "per 1.000", +1, 0, 50, "wmean_pop", "Demo: pola Kemenkes/Podes",
              "Dokter, bidan, perawat dan tenaga kesehatan lain per 1.000 penduduk.",
              "Doctors, midwives, nurses and other health workers per 1,000 people.", None, 2),
    Indikator("penyuluh_sosial", "Penyuluh sosial", "Social extension workers", "kapasitas_sdm", "orang", +1, 0, 100,
              "sum", "Demo: pola Kemensos",
              "Jumlah penyuluh sosial dan pendamping sosial yang bertugas di wilayah.",
              "Number of social extension workers and social facilitators serving the area.", None, 0),
    Indikator("pelatihan_pct", "Rumah tangga ikut pelatihan", "Households with training", "kapasitas_sdm", "%", +1,
              0, 100, "wmean_pop", "Demo: pola Kemendesa/Kemnaker",
              "Persentase rumah tangga dengan anggota yang mengikuti pelatihan keterampilan dalam setahun.",
              "Share of households with a member who took skills training in the year.", None, 1),
    # --- Jaringan sosial -----------------------------------------------------------------------
    Indikator("lembaga_per_1000", "Lembaga lokal per 1.000 penduduk", "Local institutions per 1,000 people",
              "jaringan_sosial", "per 1.000", +1, 0, 100, "wmean_pop", "Demo: pola Podes",
              "Karang Taruna, PKK, LKS, BUMDes, koperasi, kelompok tani, posyandu per 1.000 penduduk.",
              "Karang Taruna, PKK, LKS, BUMDes, cooperatives, farmer groups, posyandu per 1,000 people.", None, 2),
    Indikator("karang_taruna_aktif", "Karang Taruna aktif", "Active Karang Taruna", "jaringan_sosial", "%", +1, 0, 100,
              "share", "Demo: pola Kemensos",
              "Persentase desa dengan Karang Taruna yang aktif (di tingkat desa: 100 atau 0).",
              "Share of villages with an active Karang Taruna (at village level: 100 or 0).", None, 0),
    Indikator("bumdes_aktif", "BUMDes aktif", "Active BUMDes", "jaringan_sosial", "%", +1, 0, 100, "share",
              "Demo: pola Kemendesa PDTT",
              "Persentase desa dengan BUMDes yang beroperasi (di tingkat desa: 100 atau 0).",
              "Share of villages with an operating village enterprise (at village level: 100 or 0).", None, 0),
    Indikator("kerja_sama_antardesa", "Kerja sama antardesa", "Inter-village cooperation", "jaringan_sosial",
              "ikatan", +1, 0, 50, "mean", "Demo",
              "Jumlah ikatan kerja sama dengan desa lain (rata-rata per desa di atasnya).",
              "Number of cooperation ties with other villages (mean per village above).", None, 1),
    Indikator("jumlah_mitra", "Mitra luar desa", "Outside partners", "jaringan_sosial", "mitra", +1, 0, 50, "mean",
              "Demo", "Jumlah mitra (instansi, perguruan tinggi, LSM, swasta) yang bekerja dengan desa "
              "(rata-rata per desa di atasnya: satu mitra dapat bekerja dengan banyak desa).",
              "Number of partners (agencies, universities, NGOs, companies) working with the village "
              "(mean per village above: one partner can work with many villages).", None, 1),
    # Network measures computed from the simpul/ikatan tables at build time (sinergi/network.py).
    Indikator("jejaring_derajat", "Derajat jejaring desa", "Village network degree", "jaringan_sosial", "ikatan", +1,
              0, 500, "mean", "Dihitung dari tabel jejaring (networkx)",
              "Jumlah simpul yang terhubung langsung dengan desa: lembaganya, desa mitra kerja sama, mitra luar "
              "(rata-rata per desa di atasnya).",
              "Nodes tied directly to the village: its institutions, partner villages, outside partners "
              "(mean per village above).", None, 1),
    Indikator("jejaring_jenis_mitra", "Ragam jenis mitra", "Partner-type diversity", "jaringan_sosial", "jenis", +1,
              0, 10, "mean", "Dihitung dari tabel jejaring (networkx)",
              "Jumlah jenis mitra berbeda (instansi, perguruan tinggi, LSM, swasta, BUMN) yang terhubung dengan "
              "desa atau lembaganya (rata-rata per desa di atasnya).",
              "Distinct partner types (agencies, universities, NGOs, companies, SOEs) tied to the village or its "
              "institutions (mean per village above).", None, 1),
    Indikator("jejaring_penghubung", "Ikatan penghubung lintas kecamatan", "Bridging ties across kecamatan",
              "jaringan_sosial", "ikatan", +1, 0, 500, "mean", "Dihitung dari tabel jejaring (networkx)",
              "Ikatan desa atau lembaganya dengan desa/lembaga di kecamatan lain (rata-rata per desa di atasnya).",
              "Ties of the village or its institutions to villages/institutions in another kecamatan "
              "(mean per village above).", None, 2),
    # Derived from imported institution lists or PODES-style counts (sinergi/importers/derived.py).
    Indikator("lembaga_jumlah", "Lembaga lokal", "Local institutions", "jaringan_sosial", "lembaga", +1, 0, 5000,
              "sum", SUMBER_LEMBAGA,
              "Jumlah lembaga lokal (Karang Taruna, PKK, LKS, BUMDes, koperasi, kelompok tani, posyandu, majelis "
              "taklim dan jenis lain yang diimpor) di wilayah; di atas desa: jumlah semua desanya.",
              "Number of local institutions (Karang Taruna, PKK, LKS, BUMDes, cooperatives, farmer groups, posyandu, "
              "religious study groups and other imported types) in the area; above villages: the sum of its villages.",
              None, 0, TURUNAN_IMPOR),
    *(Indikator(f"lembaga_{j}", f"{NAMA_LEMBAGA[j][0]} (jumlah)", f"{NAMA_LEMBAGA[j][1]} (count)", "jaringan_sosial",
                "lembaga", +1, 0, 1000, "sum", SUMBER_LEMBAGA,
                f"Jumlah {NAMA_LEMBAGA[j][0]} di wilayah (di atas desa: jumlah semua desanya).",
                f"Number of {NAMA_LEMBAGA[j][1].lower()} in the area (above villages: the sum of its villages).",
                None, 0, TURUNAN_IMPOR)
      for j in JENIS_LEMBAGA),
    # --- Population (the weight of population-weighted means; imported, sinergi/importers/population.py) -----
    Indikator("penduduk", "Jumlah penduduk", "Population", "kapasitas_sdm", "jiwa", +1, 0, 5e8, "sum",
              "Data penduduk yang diimpor",
              "Jumlah penduduk wilayah pada tahun itu; bobot rata-rata tertimbang penduduk (tahun terbaru).",
              "Population of the area that year; the weight of population-weighted means (latest year).", None, 0,
              TURUNAN_IMPOR),
    # --- Sinergi program -----------------------------------------------------------------------
    Indikator("jumlah_program", "Program kementerian/lembaga", "Ministry and agency programmes", "sinergi_program",
              "program", +1, 0, 20, "mean", "Demo: pola data program K/L",
              "Jumlah program kementerian/lembaga yang menjangkau desa pada tahun itu (rata-rata per desa di atasnya).",
              "Number of ministry and agency programmes reaching the village that year (mean per village above).",
              None, 1),
    Indikator("jumlah_kementerian", "Kementerian/lembaga hadir", "Ministries and agencies present", "sinergi_program",
              "K/L", +1, 0, 10, "mean", "Demo: pola data program K/L",
              "Jumlah kementerian/lembaga berbeda yang programnya menjangkau desa.",
              "Number of distinct ministries and agencies whose programmes reach the village.", None, 1),
    # Derived from imported programme tables with a budget or beneficiaries (sinergi/importers/derived.py).
    Indikator("anggaran_program", "Anggaran program K/L", "Ministry/agency programme budget", "sinergi_program",
              "Rp", +1, 0, 1e13, "sum", "Dihitung dari tabel program yang diimpor",
              "Jumlah anggaran (rupiah) program kementerian/lembaga yang tercatat untuk desa pada tahun itu; di atas "
              "desa: jumlah semua desanya.",
              "Total budget (rupiah) of ministry and agency programmes recorded for the village that year; above "
              "villages: the sum of its villages.", None, 0, TURUNAN_IMPOR),
    Indikator("penerima_program", "Penerima manfaat program", "Programme beneficiaries", "sinergi_program", "orang",
              +1, 0, 1e7, "sum", "Dihitung dari tabel program yang diimpor",
              "Jumlah penerima manfaat program kementerian/lembaga di desa pada tahun itu (di atas desa: jumlah).",
              "Beneficiaries of ministry and agency programmes in the village that year (above villages: the sum).",
              None, 0, TURUNAN_IMPOR),
)

_BY_ID: dict[str, Indikator] = {i.id: i for i in INDIKATOR}


def get(indikator_id: str) -> Indikator:
    """Return the indicator, or raise KeyError with a clear message for an unknown id."""
    try:
        return _BY_ID[indikator_id]
    except KeyError:
        raise KeyError(f"Indikator tidak dikenal: {indikator_id!r}") from None


def exists(indikator_id: str) -> bool:
    return indikator_id in _BY_ID


def ids() -> list[str]:
    return list(_BY_ID)


def by_tema(tema: str) -> list[Indikator]:
    return [i for i in INDIKATOR if i.tema == tema]


def nama_tema(tema: str, lang: str = "id") -> str:
    id_, en = TEMA[tema]
    return en if lang == "en" else id_


def status_idm(nilai: float | None) -> int | None:
    """Official IDM status class 1..5 for an index value (upper bounds inclusive), None for missing.

    >>> status_idm(0.4907), status_idm(0.49071), status_idm(0.8155), status_idm(0.81551)
    (1, 2, 4, 5)
    """
    if nilai is None or nilai != nilai:  # NaN
        return None
    for k, batas in enumerate(IDM_BATAS, start=1):
        if nilai <= batas:
            return k
    return 5


def nama_status(kelas: int | None, lang: str = "id") -> str:
    if kelas is None:
        return "Tidak ada data" if lang != "en" else "No data"
    names = IDM_STATUS_EN if lang == "en" else IDM_STATUS
    return names[int(kelas) - 1]


def status_berikut(nilai: float) -> tuple[int, float] | None:
    """The next status class above ``nilai`` and the minimum score that reaches it, or None at Mandiri."""
    kelas = status_idm(nilai)
    if kelas is None or kelas == 5:
        return None
    # Upper bounds are inclusive, so the next class starts just above the bound (4-decimal scores).
    return kelas + 1, round(IDM_BATAS[kelas - 1] + 0.0001, 4)


def rows() -> list[dict]:
    """Catalog rows for the ``indicators`` table."""
    return [
        {
            "id": i.id, "nama_id": i.nama_id, "nama_en": i.nama_en, "tema": i.tema, "satuan": i.satuan,
            "arah": i.arah, "min_valid": i.min_valid, "max_valid": i.max_valid, "agregasi": i.agregasi,
            "sumber": i.sumber, "deskripsi_id": i.deskripsi_id, "deskripsi_en": i.deskripsi_en,
            "kelas_resmi": i.kelas_resmi,
        }
        for i in INDIKATOR
    ]


def format_value(x: float, ind: Indikator, lang: str) -> str:
    """A value of indicator ``ind`` as display text: the status name for ``status_idm``, the number in
    ``lang``'s format with the indicator's decimals and unit otherwise, "no data" for a missing value."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return t("no_data", lang)
    if ind.id == "status_idm":
        return nama_status(int(round(x)), lang)
    unit = f" {ind.unit(lang)}" if ind.satuan and not ind.satuan.startswith("indeks") else ""
    return fmt_num(x, ind.desimal, lang) + unit

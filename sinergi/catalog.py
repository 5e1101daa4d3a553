"""The indicator catalog: the one registry of what can be mapped, charted and imported.

The built-in indicators (:data:`INDIKATOR`, themes :data:`TEMA`) are listed here. A dataset may add its
own, described by its owner on import (``sinergi.importers.meta``) and stored in its ``indicators`` table;
a :class:`Katalog` is the built-ins plus those. Pages may let the user choose an indicator only from the
active dataset's catalog, so an indicator id that reaches SQL is always a catalog id (validated as a safe
identifier on import, and still bound as a parameter, never pasted).

Which catalog the module-level functions (:func:`get`, :func:`exists`, :func:`ids`, :func:`by_tema`,
:func:`nama_tema`, :func:`tema`) answer from is :func:`aktif`: the catalog set for the running thread
(:func:`pakai`, set by the app at the start of every page run), else the one the installed source
returns (:func:`pasang_sumber`: data access installs the active dataset's catalog), else the built-ins.
Building code (build, importers) never relies on it: it passes the target dataset's catalog explicitly.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections.abc import Callable, Iterable, Mapping
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
# An indicator id (and a theme id): lower-case ASCII letter first, then letters, digits, underscores.
ID_SAH = re.compile(r"^[a-z][a-z0-9_]{0,62}$")

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
    # Described by a dataset's owner (issue 14); built-ins keep the defaults.
    satuan_en: str = ""
    lisensi: str = ""
    kelas_batas: tuple[float, ...] = ()  # official class breaks (upper bounds, inclusive), increasing
    impor: bool = False

    def nama(self, lang: str = "id") -> str:
        return self.nama_en if lang == "en" else self.nama_id

    def deskripsi(self, lang: str = "id") -> str:
        return self.deskripsi_en if lang == "en" else self.deskripsi_id

    def unit(self, lang: str = "id") -> str:
        """The unit in the interface language (stored in Indonesian; see :data:`SATUAN_EN`)."""
        if lang != "en":
            return self.satuan
        return self.satuan_en or SATUAN_EN.get(self.satuan, self.satuan)

    @property
    def kelas_tetap(self) -> bool:
        """True when official classes apply (IDM status, or breaks given by the indicator's owner)."""
        return self.kelas_resmi == "idm" or self.id == "status_idm" or bool(self.kelas_batas)


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
              "program", +1, 0, 20, "mean", "Dihitung dari tabel program dataset",
              "Jumlah program kementerian/lembaga yang menjangkau desa pada tahun itu (rata-rata per desa di atasnya).",
              "Number of ministry and agency programmes reaching the village that year (mean per village above).",
              None, 1),
    Indikator("jumlah_kementerian", "Kementerian/lembaga hadir", "Ministries and agencies present", "sinergi_program",
              "K/L", +1, 0, 10, "mean", "Dihitung dari tabel program dataset",
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

@dataclass(frozen=True, eq=False)
class Katalog:
    """A dataset's catalog: the built-in indicators and themes, then those its owner described.

    ``indikator`` keeps catalog order (built-ins first, as listed in :data:`INDIKATOR`); ``tema`` maps a
    theme id to its (Indonesian, English) name, built-in themes first.
    """

    indikator: tuple[Indikator, ...]
    tema: Mapping[str, tuple[str, str]]
    _by_id: dict = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {i.id: i for i in self.indikator})
        object.__setattr__(self, "tema", dict(self.tema))

    def get(self, indikator_id: str) -> Indikator:
        """The indicator, or KeyError with a clear message for an unknown id."""
        try:
            return self._by_id[indikator_id]
        except (KeyError, TypeError):
            raise KeyError(f"Indikator tidak dikenal: {indikator_id!r}") from None

    def exists(self, indikator_id: str) -> bool:
        try:
            return indikator_id in self._by_id
        except TypeError:
            return False

    def ids(self) -> list[str]:
        return list(self._by_id)

    def by_tema(self, tema: str) -> list[Indikator]:
        return [i for i in self.indikator if i.tema == tema]

    def nama_tema(self, tema: str, lang: str = "id") -> str:
        id_, en = self.tema[tema]
        return en if lang == "en" else id_

    @property
    def impor(self) -> tuple[Indikator, ...]:
        """The indicators the dataset's owner described (not built in)."""
        return tuple(i for i in self.indikator if i.impor)

    def dengan(self, tambahan: Iterable[Indikator], tema_baru: Mapping[str, tuple[str, str]] | None = None
               ) -> Katalog:
        """This catalog with ``tambahan`` added (an id already imported is replaced by the new description;
        built-in ids are never replaced: the importer refuses them) and ``tema_baru`` themes added."""
        baru = {i.id: i for i in tambahan if i.id not in BAWAAN_ID}
        inds = [baru.pop(i.id, i) for i in self.indikator] + list(baru.values())
        return Katalog(tuple(inds), {**self.tema, **(tema_baru or {})})

    def rows(self) -> list[dict]:
        """Rows for the dataset's ``indicators`` table (schema.sql), in catalog order."""
        return [_row(i, n, self.tema.get(i.tema, (i.tema, i.tema))) for n, i in enumerate(self.indikator, start=1)]


def _row(i: Indikator, urut: int, nama_tema_: tuple[str, str]) -> dict:
    return {
        "id": i.id, "nama_id": i.nama_id, "nama_en": i.nama_en, "tema": i.tema, "satuan": i.satuan,
        "arah": i.arah, "min_valid": i.min_valid, "max_valid": i.max_valid, "agregasi": i.agregasi,
        "sumber": i.sumber, "deskripsi_id": i.deskripsi_id, "deskripsi_en": i.deskripsi_en,
        "kelas_resmi": i.kelas_resmi, "impor": i.impor, "urut": urut, "satuan_en": i.satuan_en or None,
        "lisensi": i.lisensi or None, "desimal": i.desimal,
        "kelas_batas": json.dumps(list(i.kelas_batas)) if i.kelas_batas else None,
        "tema_nama_id": nama_tema_[0], "tema_nama_en": nama_tema_[1],
    }


BAWAAN = Katalog(INDIKATOR, TEMA)
BAWAAN_ID = frozenset(i.id for i in INDIKATOR)
_BY_ID: dict[str, Indikator] = {i.id: i for i in INDIKATOR}


def _teks(v) -> str:
    return "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)


def _angka(v) -> float | None:
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def dari_tabel(rows: Iterable[Mapping]) -> Katalog:
    """The catalog of a dataset from its ``indicators`` rows: the built-ins as defined here (a file built
    by an older version lists them too, with older texts), then the rows marked ``impor`` in their order.
    Rows that are not valid (an id that is not a safe identifier) are skipped."""
    extra, tema_baru = [], {}
    for r in sorted((r for r in rows if r.get("impor") is True), key=lambda r: _angka(r.get("urut")) or 0):
        iid, tema_ = _teks(r.get("id")), _teks(r.get("tema"))
        if not ID_SAH.match(iid) or iid in BAWAAN_ID or not ID_SAH.match(tema_):
            continue
        batas = ()
        if r.get("kelas_batas"):
            try:
                batas = tuple(float(b) for b in json.loads(r["kelas_batas"]))
            except (TypeError, ValueError):
                batas = ()
        arah = -1 if (_angka(r.get("arah")) or 1) < 0 else 1
        agregasi = _teks(r.get("agregasi"))
        desimal = _angka(r.get("desimal"))
        extra.append(Indikator(
            iid, _teks(r.get("nama_id")) or iid, _teks(r.get("nama_en")) or _teks(r.get("nama_id")) or iid, tema_,
            _teks(r.get("satuan")), arah, _angka(r.get("min_valid")), _angka(r.get("max_valid")),
            agregasi if agregasi in AGREGASI else "mean", _teks(r.get("sumber")), _teks(r.get("deskripsi_id")),
            _teks(r.get("deskripsi_en")), None, int(desimal) if desimal is not None else 2, (),
            _teks(r.get("satuan_en")), _teks(r.get("lisensi")), batas, True))
        if tema_ not in TEMA:
            tema_baru[tema_] = (_teks(r.get("tema_nama_id")) or tema_,
                                _teks(r.get("tema_nama_en")) or _teks(r.get("tema_nama_id")) or tema_)
    if not extra:
        return BAWAAN
    return BAWAAN.dengan(extra, tema_baru)


# --- the active catalog ---------------------------------------------------------------------------------

_lokal = threading.local()
_sumber: Callable[[], Katalog] | None = None


def pasang_sumber(fungsi: Callable[[], Katalog] | None) -> None:
    """Install the function that returns the active dataset's catalog (data access does, once)."""
    global _sumber
    _sumber = fungsi


def pakai(katalog: Katalog | Callable[[], Katalog] | None) -> None:
    """Use ``katalog`` in this thread (a page run) until changed; None goes back to the installed source.

    A page run asks the catalog hundreds of times (option labels, themes); the source looks up the active
    dataset's file each time (~50 µs), so the app sets the catalog once at the start of every run. A
    function is called at the first use and its catalog kept (so a damaged file is met where the page
    reads, inside its guard, not before the page begins)."""
    _lokal.katalog = katalog


def aktif() -> Katalog:
    """The catalog in use: this thread's (:func:`pakai`), else the installed source's, else the built-ins."""
    k = getattr(_lokal, "katalog", None)
    if isinstance(k, Katalog):
        return k
    if k is not None:
        k = k()
        _lokal.katalog = k
        return k
    return _sumber() if _sumber is not None else BAWAAN


def get(indikator_id: str) -> Indikator:
    """Return the indicator, or raise KeyError with a clear message for an unknown id."""
    return aktif().get(indikator_id)


def exists(indikator_id: str) -> bool:
    return aktif().exists(indikator_id)


def ids() -> list[str]:
    return aktif().ids()


def by_tema(tema_: str) -> list[Indikator]:
    return aktif().by_tema(tema_)


def tema() -> dict[str, tuple[str, str]]:
    """The themes of the active catalog: id -> (Indonesian, English) name, built-in themes first."""
    return dict(aktif().tema)


def nama_tema(tema_: str, lang: str = "id") -> str:
    return aktif().nama_tema(tema_, lang)


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


def rows(katalog: Katalog | None = None) -> list[dict]:
    """Catalog rows for the ``indicators`` table (the built-ins without ``katalog``)."""
    return (katalog or BAWAAN).rows()


def format_value(x: float, ind: Indikator, lang: str) -> str:
    """A value of indicator ``ind`` as display text: the status name for ``status_idm``, the number in
    ``lang``'s format with the indicator's decimals and unit otherwise, "no data" for a missing value."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return t("no_data", lang)
    if ind.id == "status_idm":
        return nama_status(int(round(x)), lang)
    unit = f" {ind.unit(lang)}" if ind.satuan and not ind.satuan.startswith("indeks") else ""
    return fmt_num(x, ind.desimal, lang) + unit

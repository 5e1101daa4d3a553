"""The validation report of an import: what was read, what matched, what is wrong (in Indonesian).

One :class:`Laporan` serves both the command line (:meth:`Laporan.teks`) and the Kelola Data page
(``sinergi.importers.view``). Problems are ``galat`` (the import cannot be applied), ``peringatan``
(applied without the offending rows/values) or ``info``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from sinergi.coverage import TOLERANSI_CELAH_M, CelahDitutup
from sinergi.i18n import fmt_num

GALAT, PERINGATAN, INFO = "galat", "peringatan", "info"
LABEL = {GALAT: "GALAT", PERINGATAN: "PERINGATAN", INFO: "INFO"}
# What each kind of import brings, for the report's title.
JUDUL = {"batas": "batas wilayah", "indikator": "indikator", "program": "program", "lembaga": "lembaga",
         "ikatan": "ikatan jejaring", "penduduk": "penduduk"}
KOLOM_TIDAK_COCOK = ["baris", "kode_asal", "kode", "nama", "alasan", "mirip"]
KOLOM_PROVINSI = ["kode_prov", "nama", "baris", "diterima", "sudah_ada", "persen"]
KOLOM_INDIKATOR_BARU = ["id", "nama", "tema", "satuan", "arah", "agregasi", "min", "max", "status"]


def _kosong(cols: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})


@dataclass
class Masalah:
    tingkat: str  # galat | peringatan | info
    pesan: str
    contoh: list[str] = field(default_factory=list)


@dataclass
class Laporan:
    """What an import would do, computed before anything changes.

    Counts are rows of the file (features for boundaries). ``diterima`` rows find a region: one already
    in the dataset (``sudah_ada``) or a new one created from the code (``baru``). ``tidak_cocok`` lists
    the rest with the reason and, where possible, the closest names among the regions of the same parent.
    """

    jenis: str  # batas | indikator | program | lembaga | ikatan | penduduk (JUDUL)
    berkas: str
    dataset: str
    format: str = ""
    tingkat: int | None = None
    baris: int = 0
    sudah_ada: int = 0
    baru: int = 0
    duplikat: int = 0
    tahun: list[int] = field(default_factory=list)
    indikator: list[str] = field(default_factory=list)
    kolom: dict[str, str] = field(default_factory=dict)  # file column -> what it became
    kolom_diabaikan: list[str] = field(default_factory=list)  # text columns, not read
    kolom_kode: list[str] = field(default_factory=list)  # other code and name columns, not read
    kolom_tanpa_deskripsi: list[str] = field(default_factory=list)  # numeric columns nobody described
    indikator_baru: pd.DataFrame = field(default_factory=lambda: _kosong(KOLOM_INDIKATOR_BARU))
    metadata: str | None = None  # the metadata file read with the table
    tidak_cocok: pd.DataFrame = field(default_factory=lambda: _kosong(KOLOM_TIDAK_COCOK))
    di_luar_rentang: pd.DataFrame = field(
        default_factory=lambda: _kosong(["indikator", "n", "min_valid", "max_valid", "contoh"]))
    teks_angka: pd.DataFrame = field(default_factory=lambda: _kosong(["kolom", "n", "contoh"]))
    per_provinsi: pd.DataFrame = field(default_factory=lambda: _kosong(KOLOM_PROVINSI))
    persen_cakupan: float | None = None  # join rate among rows of provinces the dataset already has
    nilai_baru: int = 0
    nilai_diganti: int = 0
    geometri_diperbaiki: int = 0
    # parents built as unions of their children, per parent level: the gaps closed (filled when applied)
    celah: dict[int, CelahDitutup] = field(default_factory=dict)
    rincian: list[tuple[str, str]] = field(default_factory=list)  # kind-specific headline (label, value) pairs
    masalah: list[Masalah] = field(default_factory=list)

    # --- building ---------------------------------------------------------------------------------
    def tambah(self, tingkat: str, pesan: str, contoh: list[str] | None = None) -> None:
        self.masalah.append(Masalah(tingkat, pesan, list(contoh or [])[:10]))

    @property
    def diterima(self) -> int:
        return self.sudah_ada + self.baru

    @property
    def galat(self) -> list[Masalah]:
        return [m for m in self.masalah if m.tingkat == GALAT]

    @property
    def boleh_diterapkan(self) -> bool:
        return not self.galat

    @property
    def persen_diterima(self) -> float:
        return 100.0 * self.diterima / self.baris if self.baris else 0.0

    # --- text for the command line -----------------------------------------------------------------
    def ringkasan(self) -> list[tuple[str, str]]:
        """(label, value) pairs of the headline numbers, in Indonesian number format."""
        n = lambda x: fmt_num(x, 0, "id")
        unit = "fitur" if self.jenis == "batas" else "baris"
        rows = [
            ("Berkas", f"{self.berkas} ({self.format})" if self.format else self.berkas),
            *([("Metadata", self.metadata)] if self.metadata else []),
            ("Dataset tujuan", self.dataset),
            (f"{unit.capitalize()} dibaca", n(self.baris)),
            ("Cocok dengan wilayah yang ada", n(self.sudah_ada)),
            ("Wilayah baru", n(self.baru)),
            ("Tidak cocok", n(len(self.tidak_cocok))),
            ("Tingkat join", f"{fmt_num(self.persen_diterima, 1, 'id')} %"),
        ]
        if self.persen_cakupan is not None:
            rows.append(("Tingkat join di provinsi dataset", f"{fmt_num(self.persen_cakupan, 1, 'id')} %"))
        if self.tingkat:
            from sinergi.regions import LEVEL_NAMES

            rows.insert(2, ("Tingkat wilayah", f"{self.tingkat} ({LEVEL_NAMES[self.tingkat]})"))
        if self.duplikat:
            rows.append(("Duplikat", n(self.duplikat)))
        if self.jenis == "batas":
            rows.append(("Geometri diperbaiki", n(self.geometri_diperbaiki)))
            if self.celah:
                tot = sum(self.celah.values(), CelahDitutup())
                rows.append((f"Celah ≤ {n(TOLERANSI_CELAH_M)} m ditutup",
                             f"{n(tot.celah)} ({fmt_num(tot.luas_celah_km2, 2, 'id')} km²)"))
        else:
            rows.append(("Tahun", ", ".join(str(t) for t in self.tahun) or "–"))
        if self.jenis == "indikator" or self.nilai_baru or self.nilai_diganti:
            rows.append(("Indikator", ", ".join(self.indikator) or "–"))
            rows.append(("Nilai baru / menggantikan", f"{n(self.nilai_baru)} / {n(self.nilai_diganti)}"))
        return rows + self.rincian

    def pesan_celah(self) -> str | None:
        """What closing the gaps between children did, per parent level, in one sentence (None: no parent
        was built from its children)."""
        from sinergi.regions import LEVEL_NAMES

        if not self.celah:
            return None
        n = lambda x: fmt_num(x, 0, "id")
        km2 = lambda x: f"{fmt_num(x, 2, 'id')} km²"
        per = "; ".join(f"{LEVEL_NAMES[lv]} ({n(c.induk)}): {n(c.celah)} celah ({km2(c.luas_celah_km2)})"
                        for lv, c in sorted(self.celah.items(), reverse=True))
        tot = sum(self.celah.values(), CelahDitutup())
        return (f"Wilayah induk dibentuk dari gabungan wilayah anaknya; celah antarwilayah anak yang lebih sempit "
                f"dari {n(TOLERANSI_CELAH_M)} m ditutup: {per}. {n(tot.lubang)} lubang yang lebih lebar atau berisi "
                f"wilayah lain (danau, enklave) dipertahankan; tumpang-tindih antarwilayah anak "
                f"{km2(tot.tumpang_km2)} dihitung sekali.")

    def ringkasan_jejak(self) -> dict:
        """The report's numbers and its first errors, for the audit trail (``sinergi.audit``)."""
        return {"jenis": self.jenis, "format": self.format, "baris": self.baris, "cocok": self.sudah_ada,
                "baru": self.baru, "tidak_cocok": len(self.tidak_cocok),
                "persen_join": round(float(self.persen_diterima), 1), "tahun": [int(t) for t in self.tahun],
                "indikator": [str(i) for i in self.indikator], "galat": [m.pesan[:300] for m in self.galat][:5],
                "peringatan": sum(m.tingkat == PERINGATAN for m in self.masalah)}

    def teks(self, n_contoh: int = 20) -> str:
        """The whole report as plain text (CLI). Long lists show ``n_contoh`` rows and a count."""
        lines = [f"Laporan validasi impor {JUDUL.get(self.jenis, self.jenis)}"]
        width = max(len(k) for k, _ in self.ringkasan())
        lines += [f"  {k:<{width}} : {v}" for k, v in self.ringkasan()]
        if self.kolom:
            lines.append("Kolom dipakai:")
            lines += [f"  {k} → {v}" for k, v in self.kolom.items()]
        for judul, ab in (("Kolom angka tanpa deskripsi (tidak diimpor)", self.kolom_tanpa_deskripsi),
                          ("Kolom teks diabaikan", self.kolom_diabaikan),
                          ("Kolom kode/nama lain diabaikan", self.kolom_kode)):
            if ab:
                lines.append(f"{judul} ({len(ab)}): " + ", ".join(map(str, ab[:15])) + (" …" if len(ab) > 15 else ""))
        if len(self.indikator_baru):
            lines.append(f"Indikator baru di katalog dataset ({len(self.indikator_baru)}):")
            for r in self.indikator_baru.itertuples(index=False):
                lines.append(f"  {r.id} ({r.status}): {r.nama} — tema {r.tema}, satuan {r.satuan or '–'}, "
                             f"arah {r.arah:+d}, agregasi {r.agregasi}{_rentang_teks(r.min, r.max)}")
        for m in self.masalah:
            lines.append(f"[{LABEL[m.tingkat]}] {m.pesan}")
            lines += [f"    - {c}" for c in m.contoh]
        if len(self.teks_angka):
            lines.append("Teks di kolom angka (nilai dilewati):")
            for r in self.teks_angka.itertuples(index=False):
                lines.append(f"  {r.kolom}: {fmt_num(r.n, 0, 'id')} sel, mis. {r.contoh}")
        if len(self.di_luar_rentang):
            lines.append("Nilai di luar rentang sah katalog (dilewati):")
            for r in self.di_luar_rentang.itertuples(index=False):
                lines.append(f"  {r.indikator}: {fmt_num(r.n, 0, 'id')} nilai di luar "
                             f"{fmt_num(r.min_valid, 2, 'id')}–{fmt_num(r.max_valid, 2, 'id')}, mis. {r.contoh}")
        if len(self.tidak_cocok):
            tc = self.tidak_cocok
            lines.append(f"Kode tidak cocok ({fmt_num(len(tc), 0, 'id')}):")
            for r in tc.head(n_contoh).itertuples(index=False):
                nama = f" {r.nama!r}" if r.nama else ""
                mirip = f"; nama terdekat: {r.mirip}" if r.mirip else ""
                lines.append(f"  baris {r.baris}: {r.kode_asal}{nama} — {r.alasan}{mirip}")
            if len(tc) > n_contoh:
                lines.append(f"  … dan {fmt_num(len(tc) - n_contoh, 0, 'id')} lainnya")
        if len(self.per_provinsi):
            lines.append("Tingkat join per provinsi:")
            for r in self.per_provinsi.itertuples(index=False):
                nama = r.nama if isinstance(r.nama, str) else ""  # no name known: not "nan"
                lines.append(f"  {r.kode_prov} {nama}: {fmt_num(r.diterima, 0, 'id')}/"
                             f"{fmt_num(r.baris, 0, 'id')} ({fmt_num(r.persen, 1, 'id')} %)")
        lines.append("Hasil: " + ("dapat diterapkan." if self.boleh_diterapkan
                                  else "TIDAK dapat diterapkan; perbaiki galat di atas."))
        return "\n".join(lines)


def _rentang_teks(lo: float | None, hi: float | None) -> str:
    """", rentang 0–100" for a valid range (either end may be open), '' for none."""
    ada = lambda x: x is not None and x == x  # noqa: E731 (NaN != NaN)
    if not ada(lo) and not ada(hi):
        return ""
    return f", rentang {f'{lo:g}' if ada(lo) else ''}–{f'{hi:g}' if ada(hi) else ''}"


def per_provinsi(kode: pd.Series, diterima: pd.Series, sudah_ada: pd.Series,
                 nama_prov: dict[str, str]) -> pd.DataFrame:
    """Join rate per province from per-row codes (dotted; None for unreadable codes, grouped as '??')."""
    prov = kode.astype(object).map(lambda k: k.split(".")[0] if isinstance(k, str) else "??")
    df = pd.DataFrame({"kode_prov": prov.to_numpy(), "diterima": diterima.to_numpy(dtype=bool),
                       "sudah_ada": sudah_ada.to_numpy(dtype=bool)})
    g = df.groupby("kode_prov", sort=True).agg(baris=("diterima", "size"), diterima=("diterima", "sum"),
                                               sudah_ada=("sudah_ada", "sum")).reset_index()
    g["nama"] = g["kode_prov"].map(nama_prov).astype(object)
    g["persen"] = 100.0 * g["diterima"] / g["baris"]
    return g[KOLOM_PROVINSI]

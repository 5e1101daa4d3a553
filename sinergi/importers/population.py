"""Population: village (or any region's) population by year, the weight of population-weighted means.

A population file has a code column, a population column (``penduduk``, ``jumlah_penduduk``, ``jiwa`` …
or one named by the user) and ``tahun`` (or a year given by the user). Its values become the catalog
indicator ``penduduk`` (so they can be mapped, and an indicator table with a ``penduduk`` column brings
population too). When a plan is applied, each region's ``regions.penduduk`` is its population of the
latest year it has one (:func:`penduduk_wilayah`), and ``sinergi.aggregate`` weighs villages by it: a
parent with a village lacking population gets the plain mean of its villages instead, and the dataset
note names those parents (:func:`catatan_bobot`).

Population must be a whole number of people: a negative number or text in the column is an error (a
weight silently lost would change every parent's value). ``12.345`` (a dot before exactly three digits)
is read as twelve thousand three hundred forty-five, the Indonesian way of writing it.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from sinergi.i18n import fmt_num
from sinergi.importers import ImporGagal, codes, files, plan, tabular
from sinergi.importers.plan import Rencana
from sinergi.importers.report import GALAT, PERINGATAN

KOLOM_PENDUDUK = ("penduduk", "jumlah_penduduk", "jml_penduduk", "total_penduduk", "populasi", "population",
                  "jiwa", "jumlah_jiwa")
_RIBUAN = re.compile(r"^\d{1,3}(\.\d{3})+$")
NAMA_TINGKAT = {1: "provinsi", 2: "kabupaten/kota", 3: "kecamatan"}
MAKS_NAMA = 12  # regions named in the dataset note; the rest are counted


def angka_penduduk(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Population numbers of a column (``files.angka``, with ``12.345`` read as thousands): (values, text)."""
    teks_sel = s.astype(str).str.strip()
    ribuan = teks_sel.str.fullmatch(_RIBUAN).to_numpy(dtype=bool)
    v, teks = files.angka(s)
    if ribuan.any():
        v[ribuan] = teks_sel[ribuan].str.replace(".", "", regex=False).astype(float).to_numpy()
    return v, teks


def nilai_penduduk(k: tabular.Konteks, baris: pd.DataFrame, col: str) -> pd.DataFrame:
    """Rows ``baris, kode, tahun, indikator='penduduk', nilai`` of column ``col``; errors for text and
    negative numbers, a warning for fractions (rounded)."""
    v, teks = angka_penduduk(k.t[col])
    contoh = lambda mask: [f"baris {b}: {x!r}" for b, x in zip(baris["baris"][mask][:5], k.t[col][mask][:5])]
    if teks.any():
        k.lap.tambah(GALAT, f"{int(teks.sum())} sel penduduk di kolom {col} bukan angka: penduduk harus bilangan "
                            "(jumlah jiwa) atau kosong.", contoh(teks))
    neg = v < 0
    if neg.any():
        k.lap.tambah(GALAT, f"{int(neg.sum())} nilai penduduk negatif di kolom {col}: jumlah penduduk tidak boleh "
                            "kurang dari nol.", contoh(neg))
    pecahan = ~np.isnan(v) & (v != np.round(v))
    if pecahan.any():
        k.lap.tambah(PERINGATAN, f"{int(pecahan.sum())} nilai penduduk bukan bilangan bulat; dibulatkan.",
                     contoh(pecahan))
    ok = ~np.isnan(v) & (v >= 0) & baris["kode"].notna().to_numpy() & baris["tahun"].notna().to_numpy()
    return pd.DataFrame({"baris": baris["baris"][ok], "kode": baris["kode"][ok],
                         "tahun": baris["tahun"][ok].astype(int), "indikator": "penduduk",
                         "nilai": np.round(v[ok])})


def siapkan_penduduk(path: Path | str, dataset: str, *, kolom_kode: str | None = None,
                     kolom_nama: str | None = None, sistem: str | None = None, crosswalk: Path | str | None = None,
                     kode_wilayah: Path | str | None = None, tahun: int | None = None, kolom: str | None = None,
                     tambah: bool = False, sumber: str | None = None, lisensi: str | None = None,
                     batas_mb: float = files.BATAS_UKURAN_MB, lembar: str | None = None,
                     nama_berkas: str | None = None) -> Rencana:
    """Validate a population table against dataset ``dataset`` and merge it in memory (nothing is written)."""

    def baca(k: tabular.Konteks) -> Rencana:
        baris = k.baris(kolom_kode, kolom_nama, sistem)
        if kolom:
            col = codes.kolom_ada(k.t, kolom, "penduduk")
        else:
            hit = codes.cari_kolom(k.t, KOLOM_PENDUDUK)
            if not hit:
                raise ImporGagal("Kolom penduduk tidak ditemukan: beri nama kolom 'penduduk' (jumlah jiwa) atau "
                                 f"sebutkan kolomnya (opsi --column). Kolom yang ada: {codes.daftar_kolom(k.t)}.")
            col = hit[0]
        k.lap.kolom[col] = "penduduk"
        baris["tahun"] = tabular.tahun(k, baris, tahun, "penduduk")
        vals = nilai_penduduk(k, baris, col)
        m, reg, asal = tabular.cocokkan(k, baris, tambah, apa="penduduknya")
        vals = vals[vals["baris"].isin(set(m.loc[m["status"] != "tolak", "baris"]))]
        dup = vals.duplicated(["kode", "tahun"], keep=False)
        if dup.any():
            beda = vals[dup].groupby(["kode", "tahun"])["nilai"].transform("nunique") > 1
            if beda.any():
                k.lap.tambah(GALAT, "Wilayah yang sama muncul lebih dari sekali dengan penduduk berbeda pada tahun "
                                    "yang sama.", [f"{r.kode} {r.tahun}: baris {r.baris} = {r.nilai:g}"
                                                   for r in vals[dup][beda].head(10).itertuples()])
            vals = vals.drop_duplicates(["kode", "tahun"])
        if vals.empty and not k.lap.galat:
            k.lap.tambah(GALAT, "Tidak ada nilai penduduk yang dapat diimpor dari baris yang cocok.")
        nilai = plan.gabung_nilai(k.cur.nilai, vals[plan.KOLOM_NILAI], k.lap)
        k.lap.tahun = sorted(int(y) for y in vals["tahun"].unique())
        k.lap.indikator = ["penduduk"] if len(vals) else []
        lv = vals["kode"].map(lambda x: x.count(".") + 1)
        k.lap.rincian.append(("Wilayah berpenduduk (desa/kelurahan)",
                              f"{fmt_num(vals['kode'].nunique(), 0, 'id')} ({fmt_num(int((lv == 4).sum()), 0, 'id')})"))
        return k.rencana(sumber, lisensi, regions=reg, asal=asal, nilai=nilai)

    return tabular.jalankan("penduduk", path, dataset, baca, crosswalk=crosswalk, kode_wilayah=kode_wilayah,
                            batas_mb=batas_mb, lembar=lembar, nama_berkas=nama_berkas)


# --- applying: the population of regions and the note on weights --------------------------------------------


def penduduk_wilayah(reg: pd.DataFrame, nilai: pd.DataFrame) -> pd.DataFrame:
    """``regions`` with ``penduduk`` from the imported ``penduduk`` values (each region's latest year); a
    parent without its own value gets the sum of its villages when every one of them has population."""
    p = nilai[(nilai["indikator"] == "penduduk") & nilai["nilai"].notna()]
    if p.empty:
        return reg
    akhir = p.astype({"tahun": int}).sort_values("tahun", kind="stable").drop_duplicates("kode", keep="last")
    reg = reg.copy()
    dari_nilai = reg["kode"].map(dict(zip(akhir["kode"], akhir["nilai"].astype(float))))
    desa = reg["level"].to_numpy() == 4
    lama = pd.to_numeric(reg["penduduk"], errors="coerce").astype(float)
    pend = dari_nilai.where(dari_nilai.notna(), lama.where(desa))  # parents: recomputed below
    for col in ("kode_kec", "kode_kab", "kode_prov"):
        g = pd.DataFrame({"k": reg.loc[desa, col], "p": pend[desa]}).groupby("k")["p"]
        lengkap = g.count() == g.size()
        pend = pend.where(pend.notna(), reg["kode"].map(g.sum()[lengkap]))
    reg["penduduk"] = pend.round().astype("Int64")
    return reg


def catatan_bobot(reg: pd.DataFrame, tanpa_bobot: set[str]) -> str | None:
    """The dataset note on population weights: none without villages; which parents fell back to plain means."""
    desa = reg[reg["level"] == 4]
    if desa.empty:
        return None
    kosong = pd.to_numeric(desa["penduduk"], errors="coerce").isna()
    if kosong.all():
        return ("Penduduk desa tidak tersedia: nilai kecamatan, kabupaten/kota dan provinsi adalah rata-rata desa "
                "tanpa bobot penduduk. Impor penduduk desa (python -m sinergi import population) untuk rata-rata "
                "tertimbang.")
    n = lambda x: fmt_num(x, 0, "id")
    if not tanpa_bobot:
        return f"Rata-rata tertimbang penduduk desa (tahun terbaru yang diimpor; {n(int((~kosong).sum()))} desa)."
    nama = dict(zip(reg["kode"], reg["nama"]))
    urut = sorted(tanpa_bobot, key=lambda x: (x.count("."), x))
    daftar = ", ".join(f"{nama.get(x, x)} ({x})" for x in urut[:MAKS_NAMA])
    if len(urut) > MAKS_NAMA:
        daftar += f" dan {n(len(urut) - MAKS_NAMA)} lainnya"
    per_tingkat = ", ".join(f"{n(sum(1 for x in urut if x.count('.') + 1 == lv))} {NAMA_TINGKAT[lv]}"
                            for lv in (3, 2, 1) if any(x.count(".") + 1 == lv for x in urut))
    return (f"Penduduk {n(int(kosong.sum()))} dari {n(len(desa))} desa tidak tersedia: {len(urut)} wilayah "
            f"({per_tingkat}) memakai rata-rata desa tanpa bobot penduduk: {daftar}. Wilayah lain memakai rata-rata "
            "tertimbang penduduk desa (tahun terbaru yang diimpor).")

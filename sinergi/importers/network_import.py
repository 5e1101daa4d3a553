"""Local institutions and the ties of the social network (tables ``simpul``/``ikatan``, ``sinergi.network``).

Institutions come in two shapes (:func:`siapkan_lembaga` tells them apart):

- **a list**, one row per institution: a village code, ``jenis`` (Karang Taruna, PKK, BUMDes …; or one type
  for every row given by the user), optional name (``nama_lembaga``), founding year (``sejak``,
  ``tahun_berdiri``), ``id`` and ``status`` (rows marked "tidak aktif" are left out). Each institution
  becomes a node tied to its village's node by a membership tie (``anggota``) that starts in its founding
  year. A list replaces the dataset's institutions of the same types in the villages it names.
- **counts per village** (PODES-style): a code column and one column per type holding how many the village
  has (``posyandu``, ``jumlah_koperasi``, or mapped: ``R705A=posyandu``), with ``tahun``. They become the
  ``lembaga_<jenis>`` indicator values (a ``penduduk`` column in the same file becomes population).

Ties (:func:`siapkan_ikatan`): ``dari``, ``ke``, ``jenis`` (anggota, kerja_sama_antardesa, kemitraan,
pendampingan …) and ``tahun`` (the year the tie started; empty = always). An end is a node already in the
dataset (an institution's ``id``), a village code (Kemendagri, dotted or 10 digits: the village's node), or
otherwise the name of an outside partner (its type from ``jenis_mitra``: perguruan tinggi, LSM …). A code
that is not a village of the dataset, or an unknown ``lembaga:…`` id, leaves its tie out and is reported.

Derived values (institution counts by year, institutions per 1,000 people, network measures) are computed
when the plan is applied (``sinergi.importers.derived``).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
import pandas as pd

from sinergi import catalog, regions
from sinergi.i18n import fmt_num
from sinergi.importers import ImporGagal, codes, files, plan, population, tables, tabular
from sinergi.importers.plan import Rencana
from sinergi.importers.report import GALAT, INFO, PERINGATAN

KOLOM_SIMPUL = ["id", "tipe", "jenis", "nama", "kode_desa"]
KOLOM_IKATAN = ["dari", "ke", "jenis", "tahun"]
KOLOM_JENIS = ("jenis", "jenis_lembaga", "tipe_lembaga", "kategori", "tipe")
KOLOM_NAMA_LEMBAGA = ("nama_lembaga", "lembaga", "nama_bumdes", "namabumdesa", "nama_koperasi", "nama_kelompok",
                      "nama_institusi")
KOLOM_SEJAK = ("sejak", "tahun_berdiri", "tahun_pendirian", "tahunpendirian", "tahun_dibentuk", "tahun")
KOLOM_ID = ("id_lembaga", "kode_lembaga", "id")
KOLOM_STATUS = ("status", "status_lembaga", "keaktifan", "aktif")
TIDAK_AKTIF = frozenset({"tidak aktif", "tidak_aktif", "tidakaktif", "nonaktif", "non aktif", "non_aktif", "0", "tidak",
                         "bubar", "pasif", "belum aktif", "mati", "no", "false"})
# Spellings of institution types (folded, see files.nama_kolom) -> catalog type (catalog.JENIS_LEMBAGA).
ALIAS_LEMBAGA = {
    "karang_taruna": "karang_taruna", "kartar": "karang_taruna",
    "pkk": "pkk", "tp_pkk": "pkk", "tim_penggerak_pkk": "pkk",
    "lks": "lks", "lembaga_kesejahteraan_sosial": "lks",
    "bumdes": "bumdes", "bumdesa": "bumdes", "bum_desa": "bumdes", "badan_usaha_milik_desa": "bumdes",
    "koperasi": "koperasi", "kud": "koperasi",
    "kelompok_tani": "kelompok_tani", "poktan": "kelompok_tani", "gapoktan": "kelompok_tani",
    "posyandu": "posyandu",
    "majelis_taklim": "majelis_taklim", "majlis_taklim": "majelis_taklim",
}
_AWALAN_JUMLAH = ("jumlah_", "jml_", "banyak_", "n_", "lembaga_")
KOLOM_DARI = ("dari", "simpul_dari", "asal", "from", "source")
KOLOM_KE = ("ke", "simpul_ke", "tujuan", "to", "target")
KOLOM_JENIS_IKATAN = ("jenis", "jenis_ikatan", "tipe_ikatan", "tipe")
KOLOM_JENIS_MITRA = ("jenis_mitra", "tipe_mitra", "kategori_mitra")
ALIAS_IKATAN = {
    "anggota": "anggota", "keanggotaan": "anggota",
    "kerja_sama_antardesa": "kerja_sama_antardesa", "kerja_sama_antar_desa": "kerja_sama_antardesa",
    "kerjasama_antardesa": "kerja_sama_antardesa", "kerjasama_antar_desa": "kerja_sama_antardesa",
    "kerja_sama": "kerja_sama_antardesa", "kerjasama": "kerja_sama_antardesa", "kad": "kerja_sama_antardesa",
    "kemitraan": "kemitraan", "mitra": "kemitraan", "partnership": "kemitraan",
    "pendampingan": "pendampingan", "pendamping": "pendampingan", "fasilitasi": "pendampingan",
}
ALIAS_MITRA = {
    "instansi_pemerintah": "instansi_pemerintah", "pemerintah": "instansi_pemerintah", "dinas": "instansi_pemerintah",
    "kementerian": "instansi_pemerintah", "pemda": "instansi_pemerintah",
    "perguruan_tinggi": "perguruan_tinggi", "universitas": "perguruan_tinggi", "kampus": "perguruan_tinggi",
    "lsm": "lsm", "ngo": "lsm", "yayasan": "lsm", "ormas": "lsm",
    "swasta": "swasta", "perusahaan": "swasta", "bumn": "bumn",
}
_KODE_SAJA = re.compile(r"^[\d.\s]+$")


def jenis_lembaga(teks: object) -> str:
    """An institution type folded and mapped to the catalog's types (``"BUMDesa"`` → ``bumdes``)."""
    f = files.nama_kolom(teks)
    return ALIAS_LEMBAGA.get(f, f)


def _kosong(cols: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})


def _simpul_desa(kodes, reg: pd.DataFrame) -> pd.DataFrame:
    """Village nodes ``desa:<kode>`` (named and typed as the region) for ``kodes``."""
    r = reg.set_index("kode")
    kodes = sorted(set(kodes))
    return pd.DataFrame({"id": [f"desa:{k}" for k in kodes], "tipe": "desa",
                         "jenis": [r.at[k, "jenis"] if k in r.index else "desa" for k in kodes],
                         "nama": [str(r.at[k, "nama"]) if k in r.index else k for k in kodes], "kode_desa": kodes},
                        columns=KOLOM_SIMPUL)


def _tambah_desa(simpul: pd.DataFrame, kodes, reg: pd.DataFrame) -> pd.DataFrame:
    have = set(simpul["id"])
    baru = _simpul_desa([k for k in kodes if f"desa:{k}" not in have], reg)
    return pd.concat([simpul, baru], ignore_index=True) if len(baru) else simpul


# --- institutions ------------------------------------------------------------------------------------------


def _kolom_jumlah(t: pd.DataFrame, peta: dict[str, str]) -> dict[str, str]:
    """Count columns -> institution type: the mapped ones, else columns named after a type."""
    if peta:
        out = {}
        for kolom, jenis in peta.items():
            j = jenis_lembaga(jenis)
            if j not in catalog.JENIS_LEMBAGA:
                raise ImporGagal(f"Pemetaan {kolom}={jenis}: jenis lembaga {jenis!r} tidak dikenal. Pilihan: "
                                 f"{', '.join(catalog.JENIS_LEMBAGA)}.")
            out[codes.kolom_ada(t, kolom, "jumlah lembaga")] = j
        return out
    out = {}
    for c in t.columns:
        f = files.nama_kolom(c)
        for awal in ("", *_AWALAN_JUMLAH):
            if f.startswith(awal) and f[len(awal):] in ALIAS_LEMBAGA:
                out[c] = ALIAS_LEMBAGA[f[len(awal):]]
                break
    return out


def siapkan_lembaga(path: Path | str, dataset: str, *, kolom_kode: str | None = None,
                    kolom_nama: str | None = None, sistem: str | None = None, crosswalk: Path | str | None = None,
                    kode_wilayah: Path | str | None = None, tahun: int | None = None,
                    peta_kolom: dict[str, str] | None = None, jenis: str | None = None, tambah: bool = False,
                    sumber: str | None = None, lisensi: str | None = None, batas_mb: float = files.BATAS_UKURAN_MB,
                    lembar: str | None = None, nama_berkas: str | None = None) -> Rencana:
    """Validate an institution list or a table of institution counts against dataset ``dataset`` and merge
    it in memory (nothing is written)."""

    def baca(k: tabular.Konteks) -> Rencana:
        t = k.t
        jumlah = _kolom_jumlah(t, peta_kolom or {})
        daftar = bool(jenis) or bool(codes.cari_kolom(t, KOLOM_JENIS)) or bool(codes.cari_kolom(t, KOLOM_NAMA_LEMBAGA))
        if peta_kolom or (jumlah and not daftar):
            return _jumlah(k, jumlah)
        if daftar:
            return _daftar(k)
        raise ImporGagal(
            "Bentuk berkas lembaga tidak dikenali. Daftar lembaga: satu baris per lembaga dengan kolom 'kode_desa', "
            "'jenis' (mis. bumdes, koperasi, posyandu) dan boleh 'nama_lembaga', 'sejak' (tahun berdiri) — atau "
            "sebutkan satu jenis untuk semua baris. Jumlah per desa: kolom kode, 'tahun' dan satu kolom per jenis "
            f"(mis. 'posyandu', 'jumlah_koperasi'), atau petakan kolom (KOLOM=JENIS, mis. R705A=posyandu). Jenis: "
            f"{', '.join(catalog.JENIS_LEMBAGA)}. Kolom yang ada: {codes.daftar_kolom(t)}.")

    def _jumlah(k: tabular.Konteks, kolom: dict[str, str]) -> Rencana:
        baris = k.baris(kolom_kode, kolom_nama, sistem)
        baris["tahun"] = tabular.tahun(k, baris, tahun, "jumlah lembaga")
        parts, t = [], k.t
        for col, j in kolom.items():
            k.lap.kolom[col] = f"jumlah {j}"
            v, teks = files.angka(t[col])
            contoh = lambda mask: [f"baris {b}: {x!r}" for b, x in zip(baris["baris"][mask][:5], t[col][mask][:5])]
            if teks.any():
                k.lap.tambah(PERINGATAN, f"{int(teks.sum())} sel di kolom {col} bukan angka; dilewati.", contoh(teks))
            if (v < 0).any():
                k.lap.tambah(GALAT, f"{int((v < 0).sum())} jumlah lembaga negatif di kolom {col}.", contoh(v < 0))
            ok = ~np.isnan(v) & (v >= 0) & baris["kode"].notna().to_numpy() & baris["tahun"].notna().to_numpy()
            parts.append(pd.DataFrame({"baris": baris["baris"][ok], "kode": baris["kode"][ok],
                                       "tahun": baris["tahun"][ok].astype(int), "indikator": f"lembaga_{j}",
                                       "nilai": v[ok]}))
        kp = codes.cari_kolom(k.t, population.KOLOM_PENDUDUK)
        if kp:
            k.lap.kolom[kp[0]] = "penduduk"
            parts.append(population.nilai_penduduk(k, baris, kp[0]))
        vals = pd.concat(parts, ignore_index=True)
        m, reg, asal = tabular.cocokkan(k, baris, tambah, apa="jumlahnya")
        vals = vals[vals["baris"].isin(set(m.loc[m["status"] != "tolak", "baris"]))]
        dup = vals.duplicated(["kode", "tahun", "indikator"], keep=False)
        if dup.any():
            k.lap.tambah(GALAT, "Wilayah yang sama muncul lebih dari sekali untuk tahun yang sama.",
                         sorted({f"{r.kode} {r.tahun}" for r in vals[dup].head(20).itertuples()})[:10])
        if vals.empty and not k.lap.galat:
            k.lap.tambah(GALAT, "Tidak ada jumlah lembaga yang dapat diimpor dari baris yang cocok.")
        nilai = plan.gabung_nilai(k.cur.nilai, vals[plan.KOLOM_NILAI], k.lap)
        k.lap.format = f"{k.lap.format}, jumlah per desa"
        k.lap.tahun = sorted(int(y) for y in vals["tahun"].unique())
        k.lap.indikator = sorted(vals["indikator"].unique())
        total = vals[vals["indikator"].str.startswith("lembaga_")].groupby("indikator")["nilai"].sum()
        k.lap.rincian.append(("Lembaga (jumlah semua baris)",
                              ", ".join(f"{i.removeprefix('lembaga_')} {fmt_num(v, 0, 'id')}" for i, v in total.items())
                              or "–"))
        return k.rencana(sumber, lisensi, regions=reg, asal=asal, nilai=nilai)

    def _daftar(k: tabular.Konteks) -> Rencana:
        t = k.t
        kn = codes.cari_kolom(t, KOLOM_NAMA_LEMBAGA)
        if not kn and not codes.cari_kolom(t, ("nama_desa", "desa", "nama_wilayah")):
            kn = codes.cari_kolom(t, ("nama",))  # "nama" is the institution's when the village has its own column
        # The region-name search must not take the institution's name column.
        tanpa = dataclasses.replace(k.tabel, frame=t.drop(columns=kn)) if kn else k.tabel
        baris = tables.baca_kode(tanpa, k.lap, kolom_kode=kolom_kode, kolom_nama=kolom_nama, sistem=sistem,
                                 crosswalk=k.crosswalk)[0]
        if jenis:
            j_baris = pd.Series(jenis_lembaga(jenis), index=t.index)
        else:
            kj = codes.cari_kolom(t, KOLOM_JENIS)
            if not kj:
                raise ImporGagal("Daftar lembaga tanpa kolom 'jenis': tambahkan kolom jenis (mis. bumdes, koperasi, "
                                 "posyandu) atau sebutkan satu jenis untuk semua baris (opsi --type).")
            k.lap.kolom[kj[0]] = "jenis lembaga"
            j_baris = t[kj[0]].map(jenis_lembaga)
        if kn:
            k.lap.kolom[kn[0]] = "nama lembaga"
        nama = t[kn[0]].astype(str).str.strip() if kn else pd.Series("", index=t.index)
        ks = codes.cari_kolom(t, KOLOM_SEJAK)
        sejak = pd.Series(np.nan, index=t.index)
        if ks:
            k.lap.kolom[ks[0]] = "sejak (tahun berdiri)"
            v, _ = files.angka(t[ks[0]])
            sah = ~np.isnan(v) & (v == np.round(v)) & (v >= tables.TAHUN_MIN) & (v <= tables.TAHUN_MAX)
            salah = ~sah & (t[ks[0]].astype(str).str.strip().str.lower().map(lambda x: x not in files.KOSONG))
            if salah.any():
                k.lap.tambah(PERINGATAN, f"{int(salah.sum())} tahun berdiri tidak sah di kolom {ks[0]}: lembaganya "
                                         "dihitung di setiap tahun.",
                             [f"baris {b}: {x!r}" for b, x in zip(baris["baris"][salah][:5], t[ks[0]][salah][:5])])
            sejak = pd.Series(np.where(sah, v, np.nan), index=t.index)
        ki = [c for c in codes.cari_kolom(t, KOLOM_ID) if not (files.nama_kolom(c) == "id" and c in k.lap.kolom)]
        aktif = pd.Series(True, index=t.index)
        kst = codes.cari_kolom(t, KOLOM_STATUS)
        if kst:
            st_ = t[kst[0]].astype(str).str.strip().str.lower()
            aktif = ~st_.isin(TIDAK_AKTIF)
            k.lap.kolom[kst[0]] = "status (tidak aktif dilewati)"
            if (~aktif).any():
                k.lap.tambah(INFO, f"{int((~aktif).sum())} lembaga berstatus tidak aktif dilewati.",
                             [f"baris {b}: {x!r}" for b, x in zip(baris["baris"][~aktif][:5], t[kst[0]][~aktif][:5])])
        tanpa_jenis = (j_baris == "") & aktif
        if tanpa_jenis.any():
            k.lap.tambah(PERINGATAN, f"{int(tanpa_jenis.sum())} baris tanpa jenis lembaga dilewati.",
                         [f"baris {b}" for b in baris["baris"][tanpa_jenis][:5]])
        m, reg, asal = tabular.cocokkan(k, baris, tambah, hanya_desa=True, apa="lembaganya")
        ok = baris["baris"].isin(set(m.loc[m["status"] != "tolak", "baris"])).to_numpy() & aktif.to_numpy() \
            & (j_baris != "").to_numpy() & baris["kode"].notna().to_numpy()
        lem = pd.DataFrame({"baris": baris["baris"], "kode_desa": baris["kode"], "jenis": j_baris, "nama": nama,
                            "sejak": sejak, "id": t[ki[0]].astype(str).str.strip() if ki else ""})[ok]
        asing = sorted(set(lem["jenis"]) - set(catalog.JENIS_LEMBAGA))
        if asing:
            k.lap.tambah(INFO, f"Jenis lembaga di luar daftar bawaan ({', '.join(asing[:10])}): dihitung dalam jumlah "
                               "lembaga lokal, tanpa indikator per jenis.")
        if lem.empty and not k.lap.galat:
            k.lap.tambah(GALAT, "Tidak ada lembaga yang dapat diimpor dari baris yang cocok.")
        simpul, ikatan = _gabung_daftar(k, lem, reg)
        k.lap.format = f"{k.lap.format}, daftar lembaga"
        return k.rencana(sumber, lisensi, regions=reg, asal=asal, simpul=simpul, ikatan=ikatan)

    return tabular.jalankan("lembaga", path, dataset, baca, crosswalk=crosswalk, kode_wilayah=kode_wilayah,
                            batas_mb=batas_mb, lembar=lembar, nama_berkas=nama_berkas)


def _gabung_daftar(k: tabular.Konteks, lem: pd.DataFrame, reg: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The dataset's nodes and ties with the list's institutions (replacing those of the same types in the
    villages it names) and their membership ties."""
    lem = lem.copy()
    urut = lem.groupby(["kode_desa", "jenis"]).cumcount() + 1
    dibuat = "lembaga:" + lem["kode_desa"] + ":" + lem["jenis"] + ":" + urut.astype(str)
    diberi = lem["id"].astype(str).str.strip()
    lem["id"] = np.where(~diberi.str.lower().isin(files.KOSONG), diberi, dibuat)
    dup = lem["id"].duplicated(keep=False)
    if dup.any():
        k.lap.tambah(GALAT, f"{int(dup.sum())} baris memakai id lembaga yang sama; id harus unik.",
                     [f"baris {b}: {i}" for b, i in zip(lem["baris"][dup][:5], lem["id"][dup][:5])])
    label = {j: catalog.NAMA_LEMBAGA[j][0] if j in catalog.NAMA_LEMBAGA else j.replace("_", " ") for j in lem["jenis"]}
    nama_desa = dict(zip(reg["kode"], reg["nama"]))
    lem["nama"] = [n if n and n.lower() not in files.KOSONG else f"{label[j]} {nama_desa.get(kd, kd)}"
                   for n, j, kd in zip(lem["nama"], lem["jenis"], lem["kode_desa"])]
    simpul = k.cur.simpul if k.cur.simpul is not None else _kosong(KOLOM_SIMPUL)
    ikatan = k.cur.ikatan if k.cur.ikatan is not None else _kosong(KOLOM_IKATAN)
    pasangan = set(zip(lem["kode_desa"], lem["jenis"]))
    lama = (simpul["tipe"] == "lembaga") & (
        pd.Series([p in pasangan for p in zip(simpul["kode_desa"], simpul["jenis"])], index=simpul.index)
        | simpul["id"].isin(set(lem["id"])))
    hapus = set(simpul.loc[lama, "id"])
    simpul = pd.concat([simpul[~lama], pd.DataFrame({"id": lem["id"], "tipe": "lembaga", "jenis": lem["jenis"],
                                                     "nama": lem["nama"], "kode_desa": lem["kode_desa"]})],
                       ignore_index=True)
    simpul = _tambah_desa(simpul, lem["kode_desa"], reg)
    sisa = set(simpul["id"])
    kena = ikatan["dari"].isin(hapus) | ikatan["ke"].isin(hapus)
    putus = kena & ~(ikatan["dari"].isin(sisa) & ikatan["ke"].isin(sisa))
    anggota = kena & (ikatan["jenis"] == "anggota")
    if putus.any():
        k.lap.tambah(PERINGATAN, f"{int(putus.sum())} ikatan ke lembaga lama yang tidak ada di daftar baru dihapus.",
                     [f"{a} – {b}" for a, b in zip(ikatan["dari"][putus][:5], ikatan["ke"][putus][:5])])
    ikatan = pd.concat([ikatan[~(putus | anggota)],
                        pd.DataFrame({"dari": "desa:" + lem["kode_desa"], "ke": lem["id"], "jenis": "anggota",
                                      "tahun": lem["sejak"]})], ignore_index=True)
    ikatan["tahun"] = pd.to_numeric(ikatan["tahun"], errors="coerce").astype(float)  # NaN: always (no NA)
    n = lambda x: fmt_num(x, 0, "id")
    per_jenis = lem["jenis"].value_counts()
    k.lap.rincian += [("Lembaga baru / menggantikan", f"{n(len(lem))} / {n(len(hapus))}"),
                      ("Menurut jenis", ", ".join(f"{j} {n(v)}" for j, v in per_jenis.items()) or "–"),
                      ("Desa dengan lembaga", n(lem["kode_desa"].nunique()))]
    return simpul.reset_index(drop=True), ikatan.reset_index(drop=True)


# --- ties --------------------------------------------------------------------------------------------------


def _ujung(nilai: str, simpul_ids: set[str], desa: set[str]) -> tuple[str, str | None, str]:
    """Resolve one end of a tie: ``(kind, node id or None, reason)``; kind is simpul | desa | mitra | tolak."""
    v = nilai.strip()
    if v in simpul_ids:
        return "simpul", v, ""
    if v.lower().startswith("desa:"):
        v = v[5:]
    if v.lower().startswith(("lembaga:", "mitra:")):
        return "tolak", None, f"simpul {v} tidak ada di dataset (impor daftar lembaganya dulu)"
    kode = regions.try_normalize(v)
    if kode is not None:
        lv = kode.count(".") + 1
        if lv != 4:
            return "tolak", None, f"kode {kode} bukan desa/kelurahan: ikatan menghubungkan desa, lembaga dan mitra"
        if kode not in desa:
            return "tolak", None, f"kode desa {kode} tidak ada di dataset"
        return "desa", f"desa:{kode}", ""
    if _KODE_SAJA.match(v):
        return "tolak", None, f"{v!r} bukan kode wilayah Kemendagri"
    if not v or v.lower() in files.KOSONG:
        return "tolak", None, "ujung ikatan kosong"
    return "mitra", "mitra:" + files.nama_kolom(v), ""


def siapkan_ikatan(path: Path | str, dataset: str, *, tahun: int | None = None, sumber: str | None = None,
                   lisensi: str | None = None, batas_mb: float = files.BATAS_UKURAN_MB, lembar: str | None = None,
                   nama_berkas: str | None = None, **_abaikan) -> Rencana:
    """Validate a table of ties against dataset ``dataset`` and merge it in memory (nothing is written).
    Region options of the other kinds (code column, crosswalk …) do not apply and are ignored."""

    def baca(k: tabular.Konteks) -> Rencana:
        t = k.t
        kd, kk, kj = codes.cari_kolom(t, KOLOM_DARI), codes.cari_kolom(t, KOLOM_KE), codes.cari_kolom(t, KOLOM_JENIS_IKATAN)
        if not kd or not kk or not kj:
            raise ImporGagal("Tabel ikatan berisi satu baris per ikatan: kolom 'dari', 'ke' (kode desa, id lembaga "
                             "atau nama mitra luar), 'jenis' (anggota, kerja_sama_antardesa, kemitraan, pendampingan) "
                             f"dan boleh 'tahun' (tahun mulai) serta 'jenis_mitra'. Kolom yang ada: "
                             f"{codes.daftar_kolom(t)}.")
        for c, apa in ((kd[0], "dari"), (kk[0], "ke"), (kj[0], "jenis ikatan")):
            k.lap.kolom[c] = apa
        nomor = pd.Series(np.arange(2 + k.tabel.baris_judul, 2 + k.tabel.baris_judul + len(t)), index=t.index)
        th, lewati = _tahun_mulai(k, nomor, tahun)
        km = codes.cari_kolom(t, KOLOM_JENIS_MITRA)
        if km:
            k.lap.kolom[km[0]] = "jenis mitra"
        simpul = k.cur.simpul if k.cur.simpul is not None else _kosong(KOLOM_SIMPUL)
        ikatan_lama = k.cur.ikatan if k.cur.ikatan is not None else _kosong(KOLOM_IKATAN)
        ids = set(simpul["id"])
        desa = set(k.cur.regions.loc[k.cur.regions["level"] == 4, "kode"])
        rows, tolak, mitra = [], [], {}
        for i, (b, a, z, j) in enumerate(zip(nomor, t[kd[0]].astype(str), t[kk[0]].astype(str), t[kj[0]])):
            if lewati[i]:
                continue  # an invalid year: reported, the row is skipped
            ends = [_ujung(a, ids, desa), _ujung(z, ids, desa)]
            alasan = "; ".join(e[2] for e in ends if e[0] == "tolak")
            if not alasan and ends[0][1] == ends[1][1]:
                alasan = "ikatan dengan dirinya sendiri"
            jenis_ = ALIAS_IKATAN.get(files.nama_kolom(j), files.nama_kolom(j))
            if not alasan and not jenis_:
                alasan = "jenis ikatan kosong"
            if alasan:
                tolak.append({"baris": b, "kode_asal": f"{a.strip()} – {z.strip()}", "kode": None, "nama": "",
                              "alasan": alasan, "mirip": ""})
                continue
            for (kind, nid, _), teks in zip(ends, (a, z)):
                if kind == "mitra" and nid not in ids:
                    jm = files.nama_kolom(t[km[0]].iloc[i]) if km else ""
                    mitra.setdefault(nid, (teks.strip(), ALIAS_MITRA.get(jm, jm) or "lainnya"))
            rows.append((b, ends[0][1], ends[1][1], jenis_, None if np.isnan(th[i]) else int(th[i])))
        baru = pd.DataFrame(rows, columns=["baris", "dari", "ke", "jenis", "tahun"])
        k.lap.sudah_ada = len(baru)
        _lapor_tolak(k, tolak)
        _lapor_jenis(k, baru)
        baru = _duplikat_ikatan(k, baru)
        simpul_baru = pd.DataFrame([{"id": i, "tipe": "mitra", "jenis": j, "nama": n, "kode_desa": None}
                                    for i, (n, j) in sorted(mitra.items())], columns=KOLOM_SIMPUL)
        simpul = pd.concat([simpul, simpul_baru], ignore_index=True) if len(simpul_baru) else simpul
        desa_pakai = {x[5:] for x in pd.concat([baru["dari"], baru["ke"]]) if x.startswith("desa:")}
        simpul = _tambah_desa(simpul, desa_pakai, k.cur.regions)
        kunci = lambda f: [(min(a, b), max(a, b), j) for a, b, j in zip(f["dari"], f["ke"], f["jenis"])]
        ganti = pd.Series(kunci(ikatan_lama), index=ikatan_lama.index, dtype=object).isin(set(kunci(baru)))
        ikatan = pd.concat([ikatan_lama[~ganti], baru[KOLOM_IKATAN]], ignore_index=True)
        ikatan["tahun"] = pd.to_numeric(ikatan["tahun"], errors="coerce").astype(float)
        if baru.empty and not k.lap.galat:
            k.lap.tambah(GALAT, "Tidak ada ikatan yang dapat diimpor: setiap baris menunjuk kode atau simpul yang "
                                "tidak ada di dataset, atau jenisnya kosong (lihat daftar tidak cocok).")
        n = lambda x: fmt_num(x, 0, "id")
        k.lap.tahun = sorted(int(y) for y in baru["tahun"].dropna().unique())
        k.lap.rincian += [("Ikatan baru / menggantikan", f"{n(len(baru))} / {n(int(ganti.sum()))}"),
                          ("Mitra luar baru", n(len(simpul_baru))),
                          ("Menurut jenis", ", ".join(f"{j} {n(v)}" for j, v in baru["jenis"].value_counts().items())
                           or "–")]
        return k.rencana(sumber, lisensi, simpul=simpul, ikatan=ikatan)

    return tabular.jalankan("ikatan", path, dataset, baca, batas_mb=batas_mb, lembar=lembar, nama_berkas=nama_berkas)


def _tahun_mulai(k: tabular.Konteks, nomor: pd.Series, tahun: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Start year of each tie (NaN: unknown, the tie counts in every year) and the rows to skip because
    their year is not a year (reported)."""
    t = k.t
    kt = codes.cari_kolom(t, tables.KOLOM_TAHUN)
    if not kt:
        return np.full(len(t), np.nan if tahun is None else float(tahun)), np.zeros(len(t), dtype=bool)
    k.lap.kolom[kt[0]] = "tahun mulai"
    v, _ = files.angka(t[kt[0]])
    kosong = t[kt[0]].astype(str).str.strip().str.lower().isin(files.KOSONG).to_numpy()
    sah = ~np.isnan(v) & (v == np.round(v)) & (v >= tables.TAHUN_MIN) & (v <= tables.TAHUN_MAX)
    salah = ~sah & ~kosong
    if salah.any():
        k.lap.tambah(PERINGATAN, f"{int(salah.sum())} baris dengan tahun tidak sah di kolom {kt[0]} dilewati "
                                 "(kosongkan tahun bila tidak diketahui).",
                     [f"baris {b}: {x!r}" for b, x in zip(nomor[salah][:5], t[kt[0]][salah][:5])])
    return np.where(sah, v, np.nan), salah


def _lapor_tolak(k: tabular.Konteks, tolak: list[dict]) -> None:
    if not tolak:
        return
    tc = pd.DataFrame(tolak)
    k.lap.tidak_cocok = tc[list(k.lap.tidak_cocok.columns)]
    alasan = tc["alasan"].str.replace(r"\d{2}(\.\d+)+", "…", regex=True).value_counts()
    k.lap.tambah(PERINGATAN, f"{len(tc)} baris ikatan menunjuk kode atau simpul yang tidak ada di dataset (atau tidak "
                             "sah); ikatan itu tidak diimpor.",
                 [f"{a}: {n}" for a, n in alasan.items()] + [f"baris {r.baris}: {r.kode_asal} — {r.alasan}"
                                                            for r in tc.head(5).itertuples()])


def _lapor_jenis(k: tabular.Konteks, baru: pd.DataFrame) -> None:
    asing = sorted(set(baru["jenis"]) - set(ALIAS_IKATAN.values()))
    if asing:
        k.lap.tambah(INFO, f"Jenis ikatan di luar daftar bawaan (anggota, kerja_sama_antardesa, kemitraan, "
                           f"pendampingan): {', '.join(asing[:10])}; disimpan apa adanya.")


def _duplikat_ikatan(k: tabular.Konteks, baru: pd.DataFrame) -> pd.DataFrame:
    """The same pair and type twice (either direction): kept once with the earliest start year."""
    if baru.empty:
        return baru
    kunci = pd.Series([(min(a, b), max(a, b), j) for a, b, j in zip(baru["dari"], baru["ke"], baru["jenis"])],
                      index=baru.index, dtype=object)
    dup = kunci.duplicated(keep=False)
    if not dup.any():
        return baru
    k.lap.duplikat = int(kunci.duplicated().sum())
    k.lap.tambah(PERINGATAN, f"{k.lap.duplikat} ikatan muncul lebih dari sekali (arah mana pun); disimpan sekali "
                             "dengan tahun mulai paling awal.", [f"baris {b}" for b in baru["baris"][dup][:10]])
    urut = baru.assign(_k=kunci, _t=baru["tahun"].fillna(10**6)).sort_values(["_t", "baris"], kind="stable")
    return urut.drop_duplicates("_k").drop(columns=["_k", "_t"]).sort_values("baris").reset_index(drop=True)

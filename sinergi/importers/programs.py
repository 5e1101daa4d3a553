"""Programme tables: which ministry's or agency's programme reaches which village in which year.

Two layouts:

- **long**, one row per village, year, ministry/agency and programme: a code column, ``tahun`` (or a year
  given by the user), ``kementerian`` and ``program``, optional ``anggaran`` (budget, rupiah) and
  ``penerima`` (beneficiaries);
- **wide**, one row per village with one column per programme holding its amount
  (``peta_kolom={"dd_total": "Kemendesa PDTT:Dana Desa"}``): a value above zero means the programme
  reaches the village, and the value is its budget (e.g. the Dana Desa realisation of Kab. Bogor).

Ministry names are normalised through an alias table (``alias,nama``): the repository's default
(``sinergi/alias_kementerian.csv``), then the dataset's own (stored in its file, table
``alias_kementerian``), then one given with the import, each overriding the one before. Names are
compared folded (case, punctuation, spaces, "Kementrian"/"Kementerian", a trailing "RI"), so ``KEMENSOS``
and ``Kemensos`` are one without an alias, and ``Kementerian Sosial`` is one with it. An alias table whose
entries lead back to themselves (A → B → A) is refused. A name that is not in the table but close to one
that is (``Kementrian Sosal``) is reported with the suggestion and kept as written; the admin adds an alias.

Validation (in the report, before anything changes): codes that are not villages of the dataset
(with the closest names), bad years, negative budgets or beneficiaries (errors), text in number columns,
repeated rows (identical: merged; different amounts: an error). The programmes of a year, ministry and
programme named in the file replace the dataset's rows of the same year, ministry and programme; others stay.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import numpy as np
import pandas as pd

from sinergi.i18n import fmt_num
from sinergi.importers import ImporGagal, codes, files, tabular
from sinergi.importers.plan import Rencana
from sinergi.importers.report import GALAT, INFO, PERINGATAN

ALIAS_BAWAAN = Path(__file__).resolve().parents[1] / "alias_kementerian.csv"
KOLOM_KEMENTERIAN = ("kementerian", "kementerian_lembaga", "k_l", "kl", "instansi", "pengampu", "ministry",
                     "agency", "kementerian_lembaga_pengampu")
KOLOM_PROGRAM = ("program", "nama_program", "kegiatan", "programme")
KOLOM_ANGGARAN = ("anggaran", "anggaran_rp", "pagu", "realisasi", "nilai_anggaran", "budget")
KOLOM_PENERIMA = ("penerima", "jumlah_penerima", "penerima_manfaat", "kpm", "jumlah_kpm", "beneficiaries")
KOLOM_ALIAS = ("alias", "ejaan", "nama_lain", "variasi")
KOLOM_NAMA_BAKU = ("nama", "nama_baku", "kementerian", "baku")
KOLOM_PROGRAM_TABEL = ["kode_desa", "tahun", "kementerian", "program", "anggaran", "penerima"]
KUNCI = ["kode_desa", "tahun", "kementerian", "program"]


# --- ministry names --------------------------------------------------------------------------------------


def lipat(nama: object) -> str:
    """A ministry name folded for comparison: lower case, punctuation as spaces, "kementrian" spelled
    "kementerian", without a trailing "RI"/"Republik Indonesia" (``" Kementrian  Sosial RI."`` →
    ``"kementerian sosial"``)."""
    s = re.sub(r"[^0-9a-z]+", " ", str(nama).lower()).strip()
    s = re.sub(r"\bkementrian\b", "kementerian", s)
    s = re.sub(r"\s+(ri|republik indonesia)$", "", s)
    return s


def _rapi(nama: object) -> str:
    return re.sub(r"\s+", " ", str(nama)).strip()


def baca_alias(path: Path | str, batas_mb: float = files.BATAS_UKURAN_MB) -> pd.DataFrame:
    """An alias table (CSV/XLSX with columns ``alias`` and ``nama``) as ``alias, nama`` (blank rows dropped)."""
    t = files.baca_tabel(path, batas_mb).frame
    ka, kn = codes.cari_kolom(t, KOLOM_ALIAS), [c for c in codes.cari_kolom(t, KOLOM_NAMA_BAKU)]
    kn = [c for c in kn if c not in ka]
    if not ka or not kn:
        raise ImporGagal(f"Tabel alias K/L {Path(path).name} harus punya kolom 'alias' (ejaan di berkas program) dan "
                         f"'nama' (nama baku). Kolom yang ada: {codes.daftar_kolom(t)}.")
    out = pd.DataFrame({"alias": t[ka[0]].map(_rapi), "nama": t[kn[0]].map(_rapi)})
    return out[(out["alias"] != "") & (out["nama"] != "")].reset_index(drop=True)


class Alias:
    """The alias table in force: ``baris`` rows (alias, nama) in order, later rows overriding earlier ones."""

    def __init__(self, baris: pd.DataFrame):
        self.peta: dict[str, str] = {}  # folded alias -> name as written
        self.ejaan: dict[str, str] = {}  # folded alias -> alias as written
        for a, n in zip(baris["alias"], baris["nama"]):
            self.peta[lipat(a)] = n
            self.ejaan[lipat(a)] = a
        self.baku = {lipat(n): n for n in self.peta.values()}  # folded name -> name as written

    def putaran(self) -> list[str]:
        """Each loop of the table once, as text starting at its alphabetically first name
        (``Kementerian Sosial → Kemsos → Kementerian Sosial``)."""
        out, selesai = [], set()
        for awal in self.peta:
            jalur, f = [], awal
            while f in self.peta and f not in selesai and f not in jalur:
                jalur.append(f)
                nxt = lipat(self.peta[f])
                if nxt == f:
                    break
                f = nxt
            if f in jalur and lipat(self.peta[f]) != f:
                lingkar = jalur[jalur.index(f):]
                awal_ = lingkar.index(min(lingkar))  # the same text whatever the table's order
                lingkar = lingkar[awal_:] + lingkar[:awal_] + [lingkar[awal_]]
                out.append(" → ".join(self.ejaan[x] for x in lingkar))
                selesai.update(lingkar)
            selesai.update(jalur)
        return out

    def selesaikan(self, nama: object) -> str:
        """The name ``nama`` stands for (following aliases to the end), else ``nama`` tidied."""
        hasil, f, dilewati = _rapi(nama), lipat(nama), set()
        while f in self.peta and f not in dilewati:
            dilewati.add(f)
            hasil = self.peta[f]
            f = lipat(hasil)
        return self.baku.get(f, hasil)

    def dikenal(self, nama: str) -> bool:
        f = lipat(nama)
        return f in self.baku or f in self.peta

    def mirip(self, nama: str, lain: list[str]) -> str | None:
        """The known name closest to ``nama`` (difflib on folded names), None when none is close."""
        calon = {**{f: self.selesaikan(f) for f in self.peta}, **self.baku, **{lipat(x): x for x in lain}}
        hit = difflib.get_close_matches(lipat(nama), list(calon), n=1, cutoff=0.75)
        return calon[hit[0]] if hit else None


def alias_bawaan() -> pd.DataFrame:
    return baca_alias(ALIAS_BAWAAN)


def _alias_dataset(milik: pd.DataFrame | None, berkas: pd.DataFrame | None) -> pd.DataFrame | None:
    """The dataset's own alias rows after this import: its earlier rows with the file's rows overriding."""
    parts = [p for p in (milik, berkas) if p is not None and len(p)]
    if not parts:
        return None
    gabung = pd.concat(parts, ignore_index=True)
    gabung["_f"] = gabung["alias"].map(lipat)
    return gabung.drop_duplicates("_f", keep="last").drop(columns="_f").reset_index(drop=True)


# --- the programme table ----------------------------------------------------------------------------------


def _peta_program(peta: dict[str, str]) -> dict[str, tuple[str, str]]:
    out = {}
    for kolom, isi in peta.items():
        kl, _, prog = isi.partition(":")
        if not kl.strip() or not prog.strip():
            raise ImporGagal(f"Pemetaan {kolom}={isi}: tulis KOLOM=KEMENTERIAN:PROGRAM, mis. "
                             "dd_total=Kemendesa PDTT:Dana Desa.")
        out[kolom] = (_rapi(kl), _rapi(prog))
    return out


def _angka(k: tabular.Konteks, col: str, baris: pd.DataFrame, apa: str) -> np.ndarray:
    """Numbers of column ``col`` (NaN where empty); text is reported and skipped, negatives are an error."""
    v, teks = files.angka(k.t[col])
    if teks.any():
        contoh = [f"baris {b}: {x!r}" for b, x in zip(baris["baris"][teks][:5], k.t[col][teks][:5])]
        k.lap.tambah(PERINGATAN, f"{int(teks.sum())} sel {apa} di kolom {col} bukan angka; {apa} baris itu kosong.",
                     contoh)
    neg = v < 0
    if neg.any():
        contoh = [f"baris {b}: {x}" for b, x in zip(baris["baris"][neg][:5], k.t[col][neg][:5])]
        k.lap.tambah(GALAT, f"{int(neg.sum())} {apa} negatif di kolom {col}: {apa} tidak boleh kurang dari nol; "
                            "perbaiki berkas atau kosongkan selnya.", contoh)
    return v


def _panjang(k: tabular.Konteks, baris: pd.DataFrame) -> pd.DataFrame:
    t = k.t
    kk, kp = codes.cari_kolom(t, KOLOM_KEMENTERIAN), codes.cari_kolom(t, KOLOM_PROGRAM)
    if not kk or not kp:
        raise ImporGagal(
            "Kolom K/L atau program tidak ditemukan. Tabel program berisi satu baris per desa, tahun, "
            "kementerian/lembaga dan program: kolom 'kode_desa', 'tahun', 'kementerian', 'program' (boleh juga "
            "'anggaran' dan 'penerima'); atau petakan kolom anggaran per program (KOLOM=KEMENTERIAN:PROGRAM). "
            f"Kolom yang ada: {codes.daftar_kolom(t)}.")
    k.lap.kolom[kk[0]] = "kementerian/lembaga"
    k.lap.kolom[kp[0]] = "program"
    out = baris[["baris", "kode", "tahun"]].assign(kementerian=t[kk[0]].map(_rapi).to_numpy(),
                                          program=t[kp[0]].map(_rapi).to_numpy())
    for kandidat, kolom, apa in ((KOLOM_ANGGARAN, "anggaran", "anggaran"), (KOLOM_PENERIMA, "penerima", "penerima")):
        hit = codes.cari_kolom(t, kandidat)
        out[kolom] = _angka(k, hit[0], baris, apa) if hit else np.nan
        if hit:
            k.lap.kolom[hit[0]] = kolom
    kosong = (out["kementerian"] == "") | (out["program"] == "") | out["kementerian"].str.lower().isin(files.KOSONG)
    if kosong.any():
        k.lap.tambah(PERINGATAN, f"{int(kosong.sum())} baris tanpa nama K/L atau program dilewati.",
                     [f"baris {b}" for b in out["baris"][kosong][:5]])
    return out[~kosong]


def _lebar(k: tabular.Konteks, baris: pd.DataFrame, peta: dict[str, tuple[str, str]]) -> pd.DataFrame:
    parts = []
    for kolom, (kl, prog) in peta.items():
        col = codes.kolom_ada(k.t, kolom, "program")
        k.lap.kolom[col] = f"anggaran {kl}: {prog}"
        v = _angka(k, col, baris, "anggaran")
        kena = v > 0
        parts.append(baris.loc[kena, ["baris", "kode", "tahun"]].assign(kementerian=kl, program=prog, anggaran=v[kena],
                                                               penerima=np.nan))
    return pd.concat(parts, ignore_index=True)


def _normalkan_kl(k: tabular.Konteks, rows: pd.DataFrame, alias: Alias) -> pd.DataFrame:
    """Ministry names through the alias table; report what was renamed and what is unknown."""
    asal = rows["kementerian"]
    uniq = pd.unique(asal)
    baku = {u: alias.selesaikan(u) for u in uniq}
    rows = rows.assign(kementerian=asal.map(baku))
    diganti = [(u, b) for u, b in baku.items() if b != u]
    if diganti:
        n = asal.value_counts()
        k.lap.tambah(INFO, f"Nama K/L dinormalkan lewat tabel alias ({len(diganti)} ejaan).",
                     [f"{u!r} → {b} ({fmt_num(int(n[u]), 0, 'id')} baris)" for u, b in diganti[:10]])
    lama = sorted(set(k.cur.program["kementerian"])) if k.cur.program is not None else []
    lama_f = {lipat(x) for x in lama}
    asing = sorted({b for b in baku.values() if not alias.dikenal(b) and lipat(b) not in lama_f})
    mirip = {a: alias.mirip(a, lama) for a in asing}
    dekat = [a for a in asing if mirip[a]]
    if dekat:
        k.lap.tambah(PERINGATAN, f"{len(dekat)} nama K/L tidak dikenal tetapi mirip nama yang dikenal: barisnya "
                                 "diimpor dengan ejaan berkas, sebagai K/L tersendiri. Bila sama, tambahkan barisnya "
                                 "ke tabel alias (kolom alias,nama) dan periksa ulang.",
                     [f"{a!r}: mungkin {mirip[a]!r}" for a in dekat])
    baru = [a for a in asing if not mirip[a]]
    if baru:
        k.lap.tambah(INFO, f"K/L baru (tidak ada di tabel alias): {', '.join(baru[:10])}"
                           + (" …" if len(baru) > 10 else "") + ".")
    return rows


def _duplikat(k: tabular.Konteks, rows: pd.DataFrame) -> pd.DataFrame:
    key = ["kode", "tahun", "kementerian", "program"]
    dup = rows.duplicated(key, keep=False)
    if not dup.any():
        return rows
    d = rows[dup].fillna({"anggaran": -1.0, "penerima": -1.0})
    beda = d.groupby(key)[["anggaran", "penerima"]].transform("nunique").max(axis=1) > 1
    k.lap.duplikat = int(rows.duplicated(key).sum())
    if beda.any():
        ex = d[beda].sort_values(key + ["baris"]).head(10)
        k.lap.tambah(GALAT, f"{d[beda][key].drop_duplicates().shape[0]} program muncul lebih dari sekali untuk desa "
                            "dan tahun yang sama dengan anggaran atau penerima berbeda; jumlahkan dalam satu baris atau "
                            "beri nama program yang berbeda.",
                     [f"{r.kode} {r.tahun} {r.kementerian} – {r.program}: baris {r.baris}" for r in ex.itertuples()])
    same = d[~beda]
    if len(same):
        k.lap.tambah(PERINGATAN, f"Baris program duplikat dengan isi sama digabung "
                                 f"({same[key].drop_duplicates().shape[0]} desa–tahun–program).",
                     sorted({f"{r.kode} (baris {r.baris})" for r in same.head(10).itertuples()})[:10])
    return rows.drop_duplicates(key, keep="first")


def siapkan_program(path: Path | str, dataset: str, *, kolom_kode: str | None = None, kolom_nama: str | None = None,
                    sistem: str | None = None, crosswalk: Path | str | None = None,
                    kode_wilayah: Path | str | None = None, tahun: int | None = None,
                    peta_kolom: dict[str, str] | None = None, alias: Path | str | None = None, tambah: bool = False,
                    sumber: str | None = None, lisensi: str | None = None, batas_mb: float = files.BATAS_UKURAN_MB,
                    lembar: str | None = None, nama_berkas: str | None = None) -> Rencana:
    """Validate a programme table against dataset ``dataset`` and merge it in memory (nothing is written)."""

    def baca(k: tabular.Konteks) -> Rencana:
        peta = _peta_program(peta_kolom or {})
        berkas_alias = baca_alias(alias, batas_mb) if alias else None
        milik = _alias_dataset(k.cur.alias, berkas_alias)
        tabel_alias = Alias(pd.concat([alias_bawaan(), *([milik] if milik is not None else [])], ignore_index=True))
        if berkas_alias is not None:
            k.lap.tambah(INFO, f"Tabel alias K/L {Path(alias).name}: {len(berkas_alias)} baris, disimpan bersama "
                               "dataset ini.")
        loop = tabel_alias.putaran()
        if loop:
            raise ImporGagal("Tabel alias K/L berputar (nama kembali ke dirinya sendiri), jadi nama bakunya tidak "
                             f"dapat ditentukan: {'; '.join(loop[:5])}. Perbaiki tabel alias: setiap alias menunjuk "
                             "ke satu nama baku yang bukan alias.")
        baris = k.baris(kolom_kode, kolom_nama, sistem)
        baris["tahun"] = tabular.tahun(k, baris, tahun, "program")
        rows = _lebar(k, baris, peta) if peta else _panjang(k, baris)
        rows = rows[rows["tahun"].notna()].astype({"tahun": int})
        rows = _normalkan_kl(k, rows, tabel_alias)
        rows = _duplikat(k, rows)
        m, reg, asal = tabular.cocokkan(k, baris, tambah, hanya_desa=True, apa="programnya")
        ok = set(m.loc[m["status"] != "tolak", "baris"])
        rows = rows[rows["baris"].isin(ok) & rows["kode"].notna()]
        if rows.empty and not k.lap.galat:
            k.lap.tambah(GALAT, "Tidak ada baris program yang dapat diimpor (periksa kode desa, tahun, dan kolom "
                                "kementerian/program).")
        baru = rows.rename(columns={"kode": "kode_desa"})[KOLOM_PROGRAM_TABEL]
        program = _gabung(k, baru)
        k.lap.tahun = sorted(int(y) for y in baru["tahun"].unique())
        return k.rencana(sumber, lisensi, regions=reg, asal=asal, program=program, alias=milik)

    return tabular.jalankan("program", path, dataset, baca, crosswalk=crosswalk, kode_wilayah=kode_wilayah,
                            batas_mb=batas_mb, lembar=lembar, nama_berkas=nama_berkas)


def _gabung(k: tabular.Konteks, baru: pd.DataFrame) -> pd.DataFrame:
    """The dataset's programme rows with the file's programmes (year, ministry, programme) replaced."""
    lama = k.cur.program if k.cur.program is not None else pd.DataFrame(columns=KOLOM_PROGRAM_TABEL)
    lama = lama.reindex(columns=KOLOM_PROGRAM_TABEL)
    kombinasi = set(zip(baru["tahun"], baru["kementerian"], baru["program"]))
    ganti = np.array([(int(t), kl, p) in kombinasi for t, kl, p in
                      zip(lama["tahun"], lama["kementerian"], lama["program"])], dtype=bool)
    out = pd.concat([lama[~ganti], baru], ignore_index=True) if len(lama) else baru.reset_index(drop=True)
    out = out.astype({"tahun": "int16", "anggaran": float})
    out["penerima"] = pd.to_numeric(out["penerima"], errors="coerce").round()  # NaN = not recorded
    n = lambda x: fmt_num(x, 0, "id")
    k.lap.rincian += [
        ("Baris program baru / menggantikan", f"{n(len(baru))} / {n(int(ganti.sum()))}"),
        ("Program", n(baru[["kementerian", "program"]].drop_duplicates().shape[0])),
        ("Kementerian/lembaga", ", ".join(sorted(baru["kementerian"].unique())) or "–"),
        ("Desa dijangkau", n(baru["kode_desa"].nunique())),
    ]
    if baru["anggaran"].notna().any():
        k.lap.rincian.append(("Anggaran tercatat", f"Rp {n(float(baru['anggaran'].sum()))}"))
    if baru["penerima"].notna().any():
        k.lap.rincian.append(("Penerima tercatat", n(float(baru["penerima"].sum()))))
    return out.reset_index(drop=True)

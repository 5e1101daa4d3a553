"""Reading indicator tables (CSV or XLSX) into long values ``kode, tahun, indikator, nilai``.

Layouts:

- **wide**: one column per indicator and year (``iks_2024``, ``IKS 2024``), or per indicator (``iks``)
  with a ``tahun`` column or a year given by the user;
- **long**: columns ``indikator`` and ``nilai`` (and ``tahun``);
- the two IDM layouts of :mod:`sinergi.importers.idm` (the national table is a wide table whose
  ``status_idm_YYYY`` holds status names; the per-indicator detail is mapped onto the catalog).

Column names are matched against the target dataset's catalog ids (and a few aliases), mapped explicitly
(``peta_kolom={"R1502": "bumdes_aktif"}``), or described by the table's owner in a metadata sidecar
(:mod:`sinergi.importers.meta`: the described indicators join the dataset's catalog). Columns that are
none of these are never dropped silently: numeric ones are reported as not described, with how to
describe them; text and code columns as ignored, by name. Rows are keyed by the Kemendagri code (dotted
or 10 digits) or by a BPS code through a crosswalk. Values outside the catalog's valid range, text in
numeric columns and duplicates are reported; only clean values are kept.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sinergi import catalog
from sinergi.importers import ImporGagal, codes, files, idm
from sinergi.importers.meta import CONTOH_KAMUS, Metadata, lapor_bawaan
from sinergi.importers.report import GALAT, INFO, PERINGATAN, Laporan

ALIAS: dict[str, str] = {
    "skor_idm": "idm", "nilai_idm": "idm", "indeks_desa_membangun": "idm",
    "status": "status_idm", "status_idm": "status_idm",
    "skor_iks": "iks", "skor_ike": "ike", "skor_ikl": "ikl",
}
KOLOM_TAHUN = ("tahun", "year", "thn")
_TAHUN_DI_NAMA = re.compile(r"^(?P<ind>.+?)_?(?P<tahun>(?:19|20)\d{2})$")
TAHUN_MIN, TAHUN_MAX = 1990, 2100
MAKS_INDIKATOR_BARU = 100  # new indicators one import may add (a survey's whole dictionary is not a catalog)
KOLOM_KODE_NAMA = frozenset(codes.KOLOM_KODE_DAGRI + codes.KOLOM_KODE_BPS + codes.KOLOM_NAMA
                            + tuple(n for names in codes.KOLOM_NAMA_INDUK.values() for n in names))


@dataclass
class NilaiTerbaca:
    """An indicator table after reading: one row per file row (``baris``), values in long form."""

    baris: pd.DataFrame  # baris, kode_asal, kode (dotted or None), nama, nama_1..3
    nilai: pd.DataFrame  # baris, kode, tahun, indikator, nilai (clean values only)
    tata_letak: str  # lebar | panjang | idm_nasional | idm_rumusan
    sumber_bawaan: str | None  # default source text for a recognised layout
    katalog: catalog.Katalog | None = None  # the dataset's catalog with the indicators this file described


def _indikator_dari_nama(col: str, kat: catalog.Katalog) -> tuple[str | None, int | None]:
    f = files.nama_kolom(col)
    base, tahun = f, None
    m = _TAHUN_DI_NAMA.match(f)
    if m:
        base, tahun = m.group("ind"), int(m.group("tahun"))
    base = ALIAS.get(base, base)
    return (base, tahun) if kat.exists(base) else (None, None)


def jenis_kolom(col: str, s: pd.Series) -> str:
    """What an unused column holds: ``kode`` (a code or name column by its name), ``angka`` (numbers: at
    least one, and text in at most a tenth of the filled cells) or ``teks``."""
    f = files.nama_kolom(col)
    if f in KOLOM_KODE_NAMA or f.startswith(("kode", "kd_", "nama_")):
        return "kode"
    vals, teks = files.angka(s)
    ada = int((~np.isnan(vals)).sum())
    return "angka" if ada and int(teks.sum()) <= 0.1 * (ada + int(teks.sum())) else "teks"


def _parse(ind: str, s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    return idm.status_ke_angka(s) if ind == "status_idm" else files.angka(s)


def catat_tabel(tabel: files.Tabel, laporan: Laporan) -> None:
    """Format, row count and how the table was read (separator, encoding, title rows) into the report."""
    laporan.format = tabel.format
    laporan.baris = len(tabel.frame)
    if tabel.format == "csv":
        laporan.tambah(INFO, f"CSV dibaca dengan pemisah {files.NAMA_PEMISAH[tabel.pemisah]}, "
                             f"pengodean {tabel.pengodean}" + (f", {tabel.baris_judul} baris judul dilewati"
                                                               if tabel.baris_judul else "") + ".")
    elif tabel.baris_judul:
        laporan.tambah(INFO, f"Lembar {tabel.lembar}: {tabel.baris_judul} baris judul di atas kepala tabel dilewati.")


def baca_kode(tabel: files.Tabel, laporan: Laporan, *, kolom_kode: str | None = None, kolom_nama: str | None = None,
              sistem: str | None = None, crosswalk: codes.Crosswalk | None = None
              ) -> tuple[pd.DataFrame, str, str | None]:
    """The rows of a table keyed by region: ``baris`` (spreadsheet row number), ``kode_asal``, ``kode``
    (dotted Kemendagri, None when not a code), ``nama`` and parent names ``nama_1..3`` where the file has
    them. Sets ``laporan.tingkat`` and the columns used; returns ``(rows, code column, name column)``."""
    t = tabel.frame
    kk = codes.deteksi_kolom_kode(t, kolom_kode, sistem)
    raw = t[kk.kolom].astype(str).str.strip()
    if kk.sistem == "bps":
        if crosswalk is None:
            raise ImporGagal(f"Kolom {kk.kolom} berisi kode BPS: sertakan berkas crosswalk BPS–Kemendagri "
                             "(mis. bps_dagri_crosswalk.csv).")
        kode = crosswalk.ke_kemendagri(raw)
        laporan.kolom[kk.kolom] = f"kode (BPS lewat crosswalk {crosswalk.berkas})"
    else:
        kode = codes.normalkan(raw)
        laporan.kolom[kk.kolom] = "kode (Kemendagri)"
    # Data rows are numbered as a spreadsheet shows them: header line + 1, after any title rows.
    first = tabel.baris_judul + 2
    baris = pd.DataFrame({"baris": np.arange(first, first + len(t)), "kode_asal": raw.to_numpy(),
                          "kode": kode.to_numpy()})
    levels = baris["kode"].map(lambda k: k.count(".") + 1 if isinstance(k, str) else 0)
    tingkat = int(levels[levels > 0].mode().iloc[0]) if (levels > 0).any() else None
    laporan.tingkat = tingkat
    kn = codes.deteksi_kolom_nama(t, kolom_nama, tingkat)
    baris["nama"] = t[kn].astype(str).str.strip().to_numpy() if kn else ""
    if kn:
        laporan.kolom[kn] = "nama"
    for lvl, col in codes.kolom_nama_induk(t, tingkat or 4).items():
        baris[f"nama_{lvl}"] = t[col].astype(str).str.strip().to_numpy()
    return baris, kk.kolom, kn


def baca_tahun(t: pd.DataFrame, baris: pd.DataFrame, laporan: Laporan,
               tahun: int | None = None) -> tuple[np.ndarray | None, str | None]:
    """The year of each row (float, NaN where not a valid year, which is reported) from a ``tahun`` column,
    else ``tahun`` for every row, else None; and the year column's name (None without one)."""
    kt = codes.cari_kolom(t, KOLOM_TAHUN)
    if kt:
        v, _ = files.angka(t[kt[0]])
        ok = ~np.isnan(v) & (v == np.round(v)) & (v >= TAHUN_MIN) & (v <= TAHUN_MAX)
        if (~ok).any():
            laporan.tambah(PERINGATAN, f"{int((~ok).sum())} baris dengan tahun tidak sah di kolom {kt[0]} dilewati.",
                           [f"baris {b}: {x!r}" for b, x in zip(baris['baris'][~ok][:5], t[kt[0]][~ok][:5])])
        laporan.kolom[kt[0]] = "tahun"
        return np.where(ok, v, np.nan), kt[0]
    if tahun is not None:
        return np.full(len(t), float(tahun)), None
    return None, None


def baca_indikator(path: Path | str, laporan: Laporan, *, kolom_kode: str | None = None,
                   kolom_nama: str | None = None, sistem: str | None = None,
                   crosswalk: codes.Crosswalk | None = None, tahun: int | None = None,
                   peta_kolom: dict[str, str] | None = None, batas_mb: float = files.BATAS_UKURAN_MB,
                   lembar: str | None = None, katalog: catalog.Katalog | None = None,
                   meta: Metadata | Callable[[set[str]], Metadata | None] | None = None,
                   kolom_pilih: list[str] | None = None) -> NilaiTerbaca:
    """Read an indicator table; problems go into ``laporan`` (fatal ones raise :class:`ImporGagal`).

    ``katalog`` is the target dataset's catalog (default: the built-ins); ``meta`` the table's metadata
    (described columns become indicators), or a function reading it for the table's candidate columns
    (folded names: not code, name or year, and among ``kolom_pilih``), so a dictionary's entries for
    other columns are not checked; ``kolom_pilih`` limits the indicator columns read to these."""
    katalog = katalog or catalog.BAWAAN
    tabel = files.baca_tabel(path, batas_mb, lembar)
    t = tabel.frame
    catat_tabel(tabel, laporan)

    baris, kk, kn = baca_kode(tabel, laporan, kolom_kode=kolom_kode, kolom_nama=kolom_nama, sistem=sistem,
                              crosswalk=crosswalk)
    tahun_baris, kt = baca_tahun(t, baris, laporan, tahun)
    used = {kk, kn, kt}
    if callable(meta):
        pilih = {files.nama_kolom(k) for k in kolom_pilih} if kolom_pilih else None
        meta = meta({f for f in (files.nama_kolom(c) for c in t.columns if c not in used)
                     if pilih is None or f in pilih})
    kat = _katalog_dengan_meta(t, used, katalog, meta, laporan)
    specs, layout, sumber = _kolom_indikator(t, used, peta_kolom or {}, laporan, kat, meta, kolom_pilih)
    if layout == "panjang":
        long = _panjang(t, baris, tahun_baris, laporan, kat)
    else:
        long = _lebar(specs, baris, tahun_baris, laporan)
    if len(laporan.teks_angka):
        laporan.tambah(PERINGATAN, f"{int(laporan.teks_angka['n'].sum())} sel berisi teks di kolom angka; "
                       "nilainya dilewati (lihat daftar).")
    long = _rentang(long, laporan, kat)
    laporan.duplikat = _baris_duplikat(baris, tahun_baris, layout, long)
    long = _duplikat(long, baris, laporan)
    if layout == "lebar" or layout == "idm_nasional":
        long = _status_dari_idm(long, laporan)
    laporan.tahun = sorted(int(y) for y in long["tahun"].unique())
    found = set(long["indikator"].unique())
    laporan.indikator = [i for i in kat.ids() if i in found]
    if long.empty and not laporan.galat:
        laporan.tambah(GALAT, "Tidak ada nilai angka yang dapat dibaca di kolom indikator: tidak ada yang diimpor.")
    return NilaiTerbaca(baris, long, layout, sumber, _katalog_hasil(katalog, kat, found, laporan))


def _katalog_dengan_meta(t: pd.DataFrame, used: set, katalog: catalog.Katalog, meta: Metadata | None,
                         laporan: Laporan) -> catalog.Katalog:
    """The target's catalog with the metadata's new indicators (for reading this table), after checking
    the metadata against the file: every Data Package field must be a column; a kamus may describe more."""
    if meta is None:
        return katalog
    folded = {files.nama_kolom(c) for c in t.columns}
    if meta.medan is not None:
        missing = [n for n in meta.medan if files.nama_kolom(n) not in folded]
        if missing:
            laporan.tambah(GALAT, f"Data Package {meta.berkas} tidak cocok dengan tabel: {len(missing)} medan di "
                                  f"schema.fields tidak ada sebagai kolom di berkas ({', '.join(missing[:10])}"
                                  f"{' …' if len(missing) > 10 else ''}). Kolom yang ada: {codes.daftar_kolom(t)}.")
    if meta.diabaikan:
        laporan.tambah(INFO, f"{meta.berkas}: kolom kamus yang tidak dipakai: {', '.join(meta.diabaikan[:10])}.")
    used_fold = {files.nama_kolom(c) for c in used if c}
    new = [d.indikator for d in meta.deskripsi if d.baru and files.nama_kolom(d.kolom) in folded - used_fold]
    return katalog.dengan(new, meta.tema_baru)


def _katalog_hasil(katalog: catalog.Katalog, kat: catalog.Katalog, found: set, laporan: Laporan) -> catalog.Katalog:
    """The dataset's catalog after the import: the target's, with the described indicators that got values."""
    new = [i for i in kat.impor if i.id in found and (not katalog.exists(i.id) or katalog.get(i.id) != i)]
    if not new:
        return katalog
    rows = [{"id": i.id, "nama": i.nama_id, "tema": kat.nama_tema(i.tema), "satuan": i.satuan, "arah": i.arah,
             "agregasi": i.agregasi, "min": i.min_valid, "max": i.max_valid,
             "status": "diperbarui" if katalog.exists(i.id) else "baru"} for i in new]
    laporan.indikator_baru = pd.DataFrame(rows)
    n_baru = sum(r["status"] == "baru" for r in rows)
    if n_baru > MAKS_INDIKATOR_BARU:
        laporan.tambah(GALAT, f"Impor ini akan menambah {n_baru} indikator baru (batas {MAKS_INDIKATOR_BARU} per impor). "
                              "Pilih kolom yang diimpor (--columns, atau isian 'Kolom yang diimpor' di Kelola Data).")
    laporan.tambah(INFO, f"{n_baru} indikator baru dan {len(rows) - n_baru} deskripsi diperbarui masuk katalog "
                         "dataset (lihat daftar indikator baru).", [f"{r['id']}: {r['nama']}" for r in rows[:10]])
    tema = {k: v for k, v in kat.tema.items() if k not in katalog.tema and any(i.tema == k for i in new)}
    if tema:
        laporan.tambah(INFO, f"Tema baru: {', '.join(f'{v[0]} ({k})' for k, v in tema.items())}.")
    return katalog.dengan(new, tema)


def _kolom_indikator(t: pd.DataFrame, used: set, peta: dict[str, str], laporan: Laporan, kat: catalog.Katalog,
                     meta: Metadata | None, pilih: list[str] | None):
    """Which columns hold which indicator (and year). Returns ``(specs, layout, default source)``."""
    desk = meta.untuk_kolom() if meta is not None else {}
    medan = {files.nama_kolom(k): v for k, v in (meta.medan or {}).items()} if meta is not None else {}
    pilih_fold = None
    if pilih:
        pilih_fold = {files.nama_kolom(k) for k in pilih}
        folded = {files.nama_kolom(c) for c in t.columns}
        missing = [k for k in pilih if files.nama_kolom(k) not in folded]
        if missing:
            raise ImporGagal(f"Kolom yang dipilih tidak ada di berkas: {', '.join(missing[:10])}. "
                             f"Kolom yang ada: {codes.daftar_kolom(t)}.")
    if idm.adalah_rumusan(t):
        arrays, cols, ignored = idm.rumusan_kolom(t)
        laporan.kolom.update({c: "indikator IDM (rumusan)" for c in cols[:5]})
        laporan.kolom["IKS01–IKS35"] = "dimensi IKS = Σ skor / (5·n)"
        specs = [(f"{ind} (rumusan)", ind, None, vals, teks, None) for ind, (vals, teks) in arrays.items()]
        lain = [c for c in ignored if c not in used]
        specs += _kolom_lain(t, lain, {}, desk, medan, pilih_fold, kat, laporan, kenali=False)
        return specs, "idm_rumusan", idm.SUMBER_IDM
    folded = {files.nama_kolom(c) for c in t.columns}
    if {"indikator", "nilai"} <= folded and not peta:
        return [], "panjang", None
    peta_fold = {files.nama_kolom(k): v for k, v in peta.items()}
    for k, v in peta.items():
        if not kat.exists(v):
            raise ImporGagal(f"Pemetaan kolom {k}={v}: indikator {v!r} tidak ada di katalog. "
                             f"Pilihan: {', '.join(kat.ids())}.")
        if k not in t.columns and files.nama_kolom(k) not in folded:
            raise ImporGagal(f"Pemetaan kolom {k}={v}: kolom {k!r} tidak ada di berkas.")
    specs = _kolom_lain(t, [c for c in t.columns if c not in used], peta_fold, desk, medan, pilih_fold, kat, laporan,
                        kenali=not peta)
    if not specs:
        # Not raised: the report still shows how the codes join, which is worth seeing on its own.
        laporan.tambah(GALAT,
            "Tidak ada kolom indikator yang dikenali atau dideskripsikan. Nama kolom harus id indikator katalog, "
            "dengan atau tanpa tahun (mis. 'iks', 'iks_2024', 'idm_2024', 'status_idm_2024'), format panjang "
            "(kolom 'indikator' dan 'nilai'), petakan kolom ke indikator (KOLOM=INDIKATOR), atau deskripsikan "
            f"indikator baru dalam berkas metadata (--meta kamus.csv atau datapackage.json). Kolom yang ada: "
            f"{codes.daftar_kolom(t)}."
        )
        return [], "lebar", None
    layout = "idm_nasional" if idm.adalah_nasional(t) else "lebar"
    return specs, layout, idm.SUMBER_IDM if layout == "idm_nasional" else None


def _kolom_lain(t: pd.DataFrame, cols: list, peta_fold: dict[str, str], desk: dict, medan: dict[str, str],
                pilih_fold: set[str] | None, kat: catalog.Katalog, laporan: Laporan, kenali: bool) -> list[tuple]:
    """Specs of the columns that are mapped, described, or (``kenali``) catalog ids by name; every other
    column is reported: numeric ones as not described (with how to describe them), text and code ones as
    ignored, columns left out by ``pilih_fold`` as not chosen."""
    specs, tanpa, teks_kol, kode_kol, tak_dipilih, dideskripsikan = [], [], [], [], [], []
    for c in cols:
        f = files.nama_kolom(c)
        if pilih_fold is not None and f not in pilih_fold:
            tak_dipilih.append(c)
            continue
        if f in peta_fold:
            m = _TAHUN_DI_NAMA.match(f)
            ind, th = peta_fold[f], int(m.group("tahun")) if m else None
        elif f in desk:
            ind, th = desk[f].indikator.id, desk[f].tahun
            dideskripsikan.append(desk[f])
        elif kenali:
            ind, th = _indikator_dari_nama(c, kat)
        else:
            ind, th = None, None
        if ind is None:
            {"angka": tanpa, "teks": teks_kol, "kode": kode_kol}[jenis_kolom(c, t[c])].append(c)
            continue
        vals, teks = _parse(ind, t[c])
        if f in medan and not _tipe_cocok(c, medan[f], vals, teks, laporan):
            continue
        specs.append((c, ind, th, vals, teks, t[c]))
        laporan.kolom[c] = f"{ind}" + (f" tahun {th}" if th else "") + (" (dideskripsikan)" if f in desk else "")
    if dideskripsikan:
        lapor_bawaan([d for d in dideskripsikan if d.baru], "Metadata", laporan)
    laporan.kolom_diabaikan = teks_kol
    laporan.kolom_kode = kode_kol
    laporan.kolom_tanpa_deskripsi = tanpa
    if tanpa:
        laporan.tambah(PERINGATAN, f"{len(tanpa)} kolom angka belum dideskripsikan sehingga tidak diimpor: "
                       f"{', '.join(tanpa[:15])}{' …' if len(tanpa) > 15 else ''}. Untuk mengimpornya, deskripsikan "
                       "setiap kolom dalam kamus (CSV/XLSX, satu baris per kolom) lalu periksa ulang dengan "
                       "--meta kamus.csv, atau isi formulir deskripsi di Kelola Data. Contoh kamus:",
                       [CONTOH_KAMUS, *contoh_kamus(tanpa[:2])])
    if teks_kol:
        laporan.tambah(INFO, f"{len(teks_kol)} kolom teks diabaikan: {', '.join(map(str, teks_kol[:15]))}"
                             f"{' …' if len(teks_kol) > 15 else ''}.")
    if tak_dipilih:
        laporan.tambah(INFO, f"{len(tak_dipilih)} kolom tidak dipilih dan tidak diimpor.", list(map(str, tak_dipilih[:10])))
    return specs


def contoh_kamus(kolom: list[str]) -> list[str]:
    """Example kamus rows (CSV, under the header :data:`meta.CONTOH_KAMUS`) describing ``kolom``."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    for c in kolom:
        w.writerow([c, f"Nama {c}", "ketahanan_sosial", "%", 1, "wmean_pop"])
    return buf.getvalue().splitlines()


def _tipe_cocok(col: str, tipe: str, vals: np.ndarray, teks: np.ndarray, laporan: Laporan) -> bool:
    """A Data Package ``number``/``integer`` field against the file's column: mostly text, or fractions in
    an integer field, is a mismatch (an error, the column is not read)."""
    ada, n_teks = int((~np.isnan(vals)).sum()), int(teks.sum())
    if n_teks and n_teks >= ada:
        laporan.tambah(GALAT, f"Data Package tidak cocok dengan tabel: kolom {col!r} bertipe {tipe!r} di schema, "
                              f"tetapi berkasnya berisi teks ({n_teks} sel teks, {ada} angka).")
        return False
    if tipe == "integer":
        v = vals[~np.isnan(vals)]
        frac = v[v != np.round(v)]
        if len(frac):
            laporan.tambah(GALAT, f"Data Package tidak cocok dengan tabel: kolom {col!r} bertipe 'integer' di schema, "
                                  f"tetapi berisi {len(frac)} pecahan (mis. {frac[0]:g}); ubah type ke 'number'.")
            return False
    return True


def _lebar(specs, baris: pd.DataFrame, tahun_baris, laporan: Laporan) -> pd.DataFrame:
    parts, teks_rows = [], []
    for label, ind, th, vals, teks, sel in specs:
        if th is not None:
            years = np.full(len(baris), float(th))
        elif tahun_baris is not None:
            years = tahun_baris
        else:
            laporan.tambah(GALAT, f"Tahun untuk kolom {label} tidak diketahui: tambahkan kolom 'tahun', beri nama "
                           f"kolom seperti '{ind}_2024', atau sebutkan tahunnya.")
            continue
        if teks.any():
            teks_rows.append({"kolom": label, "n": int(teks.sum()), "contoh": _contoh_teks(baris, teks, sel)})
        ok = ~np.isnan(vals) & ~np.isnan(years) & baris["kode"].notna().to_numpy()
        parts.append(pd.DataFrame({"baris": baris["baris"].to_numpy()[ok], "kode": baris["kode"].to_numpy()[ok],
                                   "tahun": years[ok].astype(int), "indikator": ind, "nilai": vals[ok]}))
    if teks_rows:
        laporan.teks_angka = pd.DataFrame(teks_rows)
    return pd.concat(parts, ignore_index=True) if parts else _long_kosong()


def _contoh_teks(baris: pd.DataFrame, teks: np.ndarray, sel: pd.Series | None) -> str:
    """Up to three examples ``baris 7: 'tinggi'`` of text cells (row numbers only for derived columns)."""
    rows = baris["baris"].to_numpy()[teks][:3]
    if sel is None:
        return ", ".join(f"baris {r}" for r in rows)
    cells = sel.to_numpy()[teks][:3]
    return ", ".join(f"baris {r}: {str(c)[:40]!r}" for r, c in zip(rows, cells))


def _panjang(t: pd.DataFrame, baris: pd.DataFrame, tahun_baris, laporan: Laporan, kat: catalog.Katalog
             ) -> pd.DataFrame:
    fold = {files.nama_kolom(c): c for c in t.columns}
    ci, cv = fold["indikator"], fold["nilai"]
    laporan.kolom[ci] = "indikator"
    laporan.kolom[cv] = "nilai"
    names = t[ci].astype(str).str.strip().map(files.nama_kolom).map(lambda s: ALIAS.get(s, s))
    known = names.map(kat.exists).to_numpy(dtype=bool)
    if (~known).any():
        unk = sorted(set(t[ci][~known].astype(str)))
        laporan.tambah(PERINGATAN, f"{int((~known).sum())} baris dengan indikator yang tidak ada di katalog dilewati; "
                                   "deskripsikan indikator baru dalam kamus metadata (--meta) untuk mengimpornya.",
                       unk[:10])
    if tahun_baris is None:
        laporan.tambah(GALAT, "Format panjang tanpa kolom 'tahun': tambahkan kolom tahun atau sebutkan tahunnya.")
        return _long_kosong()
    vals = np.full(len(t), np.nan)
    teks = np.zeros(len(t), dtype=bool)
    st = (names == "status_idm").to_numpy()
    if st.any():
        vals[st], teks[st] = idm.status_ke_angka(t[cv][st])
    vals[~st], teks[~st] = files.angka(t[cv][~st])
    teks &= known
    if teks.any():
        laporan.teks_angka = pd.DataFrame([{"kolom": cv, "n": int(teks.sum()),
                                            "contoh": _contoh_teks(baris, teks, t[cv])}])
    ok = known & ~np.isnan(vals) & ~np.isnan(tahun_baris) & baris["kode"].notna().to_numpy()
    return pd.DataFrame({"baris": baris["baris"].to_numpy()[ok], "kode": baris["kode"].to_numpy()[ok],
                         "tahun": tahun_baris[ok].astype(int), "indikator": names.to_numpy()[ok],
                         "nilai": vals[ok]})


def _long_kosong() -> pd.DataFrame:
    return pd.DataFrame({"baris": pd.Series(dtype=int), "kode": pd.Series(dtype=object),
                         "tahun": pd.Series(dtype=int), "indikator": pd.Series(dtype=object),
                         "nilai": pd.Series(dtype=float)})


def _rentang(long: pd.DataFrame, laporan: Laporan, kat: catalog.Katalog) -> pd.DataFrame:
    """Drop values outside the catalog's valid village range; report them per indicator."""
    if long.empty:
        return long
    inds = long["indikator"].unique()
    lo = long["indikator"].map({i: kat.get(i).min_valid for i in inds}).astype(float)
    hi = long["indikator"].map({i: kat.get(i).max_valid for i in inds}).astype(float)
    out = ((long["nilai"] < lo.fillna(-np.inf)) | (long["nilai"] > hi.fillna(np.inf))).to_numpy()
    if not out.any():
        return long
    bad = long[out]
    rows = []
    for ind, g in bad.groupby("indikator", sort=True):
        i = kat.get(ind)
        contoh = ", ".join(f"baris {b}: {v:g}" for b, v in zip(g["baris"][:3], g["nilai"][:3]))
        rows.append({"indikator": ind, "n": len(g), "min_valid": i.min_valid, "max_valid": i.max_valid,
                     "contoh": contoh})
    laporan.di_luar_rentang = pd.DataFrame(rows)
    laporan.tambah(PERINGATAN, f"{int(out.sum())} nilai di luar rentang sah katalog dilewati (lihat daftar).")
    return long[~out].reset_index(drop=True)


def _duplikat(long: pd.DataFrame, baris: pd.DataFrame, laporan: Laporan) -> pd.DataFrame:
    """Identical repeats of (kode, tahun, indikator) are dropped; conflicting ones are an error."""
    key = ["kode", "tahun", "indikator"]
    dup = long.duplicated(key, keep=False)
    if not dup.any():
        return long
    d = long[dup]
    n_val = d.groupby(key)["nilai"].transform("nunique")
    conflict = d[n_val > 1]
    if len(conflict):
        ex = conflict.sort_values(key + ["baris"]).groupby(key, sort=False).head(2)
        contoh = [f"{r.kode} {r.tahun} {r.indikator}: baris {r.baris} = {r.nilai:g}" for r in ex.head(10).itertuples()]
        laporan.tambah(GALAT, f"{conflict[key].drop_duplicates().shape[0]} kode muncul lebih dari sekali dengan "
                       "nilai berbeda untuk tahun dan indikator yang sama; perbaiki berkas (nilai mana yang benar?).",
                       contoh)
    same = d[n_val == 1]
    if len(same):
        laporan.tambah(PERINGATAN, f"Baris duplikat dengan nilai sama digabung ({same[key].drop_duplicates().shape[0]} "
                       "pasangan kode–tahun–indikator).",
                       sorted({f"{r.kode} (baris {r.baris})" for r in same.head(10).itertuples()})[:10])
    return long.drop_duplicates(key, keep="first").reset_index(drop=True)


def _baris_duplikat(baris: pd.DataFrame, tahun_baris, layout: str, long: pd.DataFrame) -> int:
    """File rows repeating an earlier row's region (and year, where rows carry one)."""
    if layout == "panjang":
        return int(long.duplicated(["kode", "tahun", "indikator"]).sum())
    k = pd.DataFrame({"kode": baris["kode"], "tahun": tahun_baris if tahun_baris is not None else 0})
    return int(k[k["kode"].notna()].duplicated().sum())


def _status_dari_idm(long: pd.DataFrame, laporan: Laporan) -> pd.DataFrame:
    """Where a table gives IDM but no status for a year, derive the status with the official thresholds."""
    if long.empty:
        return long
    idm_rows = long[long["indikator"] == "idm"]
    have = set(map(tuple, long.loc[long["indikator"] == "status_idm", ["kode", "tahun"]].to_numpy()))
    need = idm_rows[[(k, y) not in have for k, y in zip(idm_rows["kode"], idm_rows["tahun"])]]
    if need.empty:
        return long
    st = need.assign(indikator="status_idm", nilai=need["nilai"].map(catalog.status_idm).astype(float))
    laporan.tambah(INFO, f"Status IDM {len(st)} nilai dihitung dari skor IDM dengan batas resmi "
                   "(tidak ada kolom status).")
    return pd.concat([long, st], ignore_index=True)

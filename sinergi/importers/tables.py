"""Reading indicator tables (CSV or XLSX) into long values ``kode, tahun, indikator, nilai``.

Layouts:

- **wide**: one column per indicator and year (``iks_2024``, ``IKS 2024``), or per indicator (``iks``)
  with a ``tahun`` column or a year given by the user;
- **long**: columns ``indikator`` and ``nilai`` (and ``tahun``);
- the two IDM layouts of :mod:`sinergi.importers.idm` (the national table is a wide table whose
  ``status_idm_YYYY`` holds status names; the per-indicator detail is mapped onto the catalog).

Column names are matched against catalog ids (and a few aliases), or mapped explicitly
(``peta_kolom={"R1502": "bumdes_aktif"}``). Rows are keyed by the Kemendagri code (dotted or
10 digits) or by a BPS code through a crosswalk. Values outside the catalog's valid range, text in
numeric columns and duplicates are reported; only clean values are kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sinergi import catalog
from sinergi.importers import ImporGagal, codes, files, idm
from sinergi.importers.report import GALAT, INFO, PERINGATAN, Laporan

ALIAS: dict[str, str] = {
    "skor_idm": "idm", "nilai_idm": "idm", "indeks_desa_membangun": "idm",
    "status": "status_idm", "status_idm": "status_idm",
    "skor_iks": "iks", "skor_ike": "ike", "skor_ikl": "ikl",
}
KOLOM_TAHUN = ("tahun", "year", "thn")
_TAHUN_DI_NAMA = re.compile(r"^(?P<ind>.+?)_?(?P<tahun>(?:19|20)\d{2})$")
TAHUN_MIN, TAHUN_MAX = 1990, 2100


@dataclass
class NilaiTerbaca:
    """An indicator table after reading: one row per file row (``baris``), values in long form."""

    baris: pd.DataFrame  # baris, kode_asal, kode (dotted or None), nama, nama_1..3
    nilai: pd.DataFrame  # baris, kode, tahun, indikator, nilai (clean values only)
    tata_letak: str  # lebar | panjang | idm_nasional | idm_rumusan
    sumber_bawaan: str | None  # default source text for a recognised layout


def _indikator_dari_nama(col: str) -> tuple[str | None, int | None]:
    f = files.nama_kolom(col)
    base, tahun = f, None
    m = _TAHUN_DI_NAMA.match(f)
    if m:
        base, tahun = m.group("ind"), int(m.group("tahun"))
    base = ALIAS.get(base, base)
    return (base, tahun) if catalog.exists(base) else (None, None)


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
                   lembar: str | None = None) -> NilaiTerbaca:
    """Read an indicator table; problems go into ``laporan`` (fatal ones raise :class:`ImporGagal`)."""
    tabel = files.baca_tabel(path, batas_mb, lembar)
    t = tabel.frame
    catat_tabel(tabel, laporan)

    baris, kk, kn = baca_kode(tabel, laporan, kolom_kode=kolom_kode, kolom_nama=kolom_nama, sistem=sistem,
                              crosswalk=crosswalk)
    tahun_baris, kt = baca_tahun(t, baris, laporan, tahun)
    used = {kk, kn, kt}
    specs, layout, sumber = _kolom_indikator(t, used, peta_kolom or {}, laporan)
    if layout == "panjang":
        long = _panjang(t, baris, tahun_baris, laporan)
    else:
        long = _lebar(specs, baris, tahun_baris, laporan)
    if len(laporan.teks_angka):
        laporan.tambah(PERINGATAN, f"{int(laporan.teks_angka['n'].sum())} sel berisi teks di kolom angka; "
                       "nilainya dilewati (lihat daftar).")
    long = _rentang(long, laporan)
    laporan.duplikat = _baris_duplikat(baris, tahun_baris, layout, long)
    long = _duplikat(long, baris, laporan)
    if layout == "lebar" or layout == "idm_nasional":
        long = _status_dari_idm(long, laporan)
    laporan.tahun = sorted(int(y) for y in long["tahun"].unique())
    found = set(long["indikator"].unique())
    laporan.indikator = [i for i in catalog.ids() if i in found]
    if long.empty and not laporan.galat:
        laporan.tambah(GALAT, "Tidak ada nilai angka yang dapat dibaca di kolom indikator: tidak ada yang diimpor.")
    return NilaiTerbaca(baris, long, layout, sumber)


def _kolom_indikator(t: pd.DataFrame, used: set, peta: dict[str, str], laporan: Laporan):
    """Which columns hold which indicator (and year). Returns ``(specs, layout, default source)``."""
    if idm.adalah_rumusan(t):
        arrays, cols, ignored = idm.rumusan_kolom(t)
        laporan.kolom.update({c: "indikator IDM (rumusan)" for c in cols[:5]})
        laporan.kolom["IKS01–IKS35"] = "dimensi IKS = Σ skor / (5·n)"
        laporan.kolom_diabaikan = [c for c in ignored if c not in used]
        specs = [(f"{ind} (rumusan)", ind, None, vals, teks, None) for ind, (vals, teks) in arrays.items()]
        return specs, "idm_rumusan", idm.SUMBER_IDM
    folded = {files.nama_kolom(c) for c in t.columns}
    if {"indikator", "nilai"} <= folded and not peta:
        return [], "panjang", None
    peta_fold = {files.nama_kolom(k): v for k, v in peta.items()}
    for k, v in peta.items():
        if not catalog.exists(v):
            raise ImporGagal(f"Pemetaan kolom {k}={v}: indikator {v!r} tidak ada di katalog. "
                             f"Pilihan: {', '.join(catalog.ids())}.")
        if k not in t.columns and files.nama_kolom(k) not in folded:
            raise ImporGagal(f"Pemetaan kolom {k}={v}: kolom {k!r} tidak ada di berkas.")
    specs, ignored = [], []
    for c in t.columns:
        if c in used:
            continue
        f = files.nama_kolom(c)
        if f in peta_fold:
            ind, th = peta_fold[f], None
            m = _TAHUN_DI_NAMA.match(f)
            th = int(m.group("tahun")) if m else None
        else:
            ind, th = _indikator_dari_nama(c) if not peta else (None, None)
        if ind is None:
            ignored.append(c)
            continue
        vals, teks = _parse(ind, t[c])
        specs.append((c, ind, th, vals, teks, t[c]))
        laporan.kolom[c] = f"{ind}" + (f" tahun {th}" if th else "")
    laporan.kolom_diabaikan = [c for c in ignored if not files.nama_kolom(c).startswith(("kode", "nama"))]
    if not specs:
        # Not raised: the report still shows how the codes join, which is worth seeing on its own.
        laporan.tambah(GALAT, 
            "Tidak ada kolom indikator yang dikenali. Nama kolom harus id indikator katalog, dengan atau tanpa "
            "tahun (mis. 'iks', 'iks_2024', 'idm_2024', 'status_idm_2024'), format panjang (kolom 'indikator' "
            f"dan 'nilai'), atau petakan kolom ke indikator (KOLOM=INDIKATOR). Kolom yang ada: "
            f"{codes.daftar_kolom(t)}."
        )
        return [], "lebar", None
    layout = "idm_nasional" if idm.adalah_nasional(t) else "lebar"
    return specs, layout, idm.SUMBER_IDM if layout == "idm_nasional" else None


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


def _panjang(t: pd.DataFrame, baris: pd.DataFrame, tahun_baris, laporan: Laporan) -> pd.DataFrame:
    fold = {files.nama_kolom(c): c for c in t.columns}
    ci, cv = fold["indikator"], fold["nilai"]
    laporan.kolom[ci] = "indikator"
    laporan.kolom[cv] = "nilai"
    names = t[ci].astype(str).str.strip().map(files.nama_kolom).map(lambda s: ALIAS.get(s, s))
    known = names.map(catalog.exists).to_numpy(dtype=bool)
    if (~known).any():
        unk = sorted(set(t[ci][~known].astype(str)))
        laporan.tambah(PERINGATAN, f"{int((~known).sum())} baris dengan indikator yang tidak ada di katalog dilewati.",
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


def _rentang(long: pd.DataFrame, laporan: Laporan) -> pd.DataFrame:
    """Drop values outside the catalog's valid village range; report them per indicator."""
    if long.empty:
        return long
    inds = long["indikator"].unique()
    lo = long["indikator"].map({i: catalog.get(i).min_valid for i in inds}).astype(float)
    hi = long["indikator"].map({i: catalog.get(i).max_valid for i in inds}).astype(float)
    out = ((long["nilai"] < lo.fillna(-np.inf)) | (long["nilai"] > hi.fillna(np.inf))).to_numpy()
    if not out.any():
        return long
    bad = long[out]
    rows = []
    for ind, g in bad.groupby("indikator", sort=True):
        i = catalog.get(ind)
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

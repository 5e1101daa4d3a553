"""Region codes in imported files: finding the code and name columns, Kemendagri normalisation,
BPS codes through a crosswalk, and official code lists (for names of parent regions).

Kemendagri codes are accepted dotted (``34.71.01.1001``) or undotted (``3471011001``) and stored
dotted (see :mod:`sinergi.regions`). BPS codes (``3471140003``) are a different numbering below the
kabupaten and are only converted through a crosswalk file, never by reshaping digits.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sinergi import regions
from sinergi.importers import ImporGagal, files

# Candidate code columns (folded names, see files.nama_kolom), finest level first, so a table with
# both ``kode_desa`` and ``kode_kec`` is keyed by the village.
KOLOM_KODE_DAGRI = (
    "kode", "kode_desa", "kode_wilayah", "kode_num", "kode_desa_dotted", "kdepum", "kode_kemendagri",
    "kode_dagri", "kode_dagri_num", "kd_desa", "kode_kel", "kode_kelurahan", "kode_desa_kelurahan",
    "kdcpum", "kode_kec", "kode_kecamatan", "kdpkab", "kode_kab", "kode_kabupaten", "kdppum",
    "kode_prov", "kode_provinsi", "code", "id",
)
KOLOM_KODE_BPS = ("iddesa", "kode_bps", "kode_desa_bps", "idkec", "kode_kec_bps", "idkab", "idprov")
KOLOM_NAMA = (
    "nama", "nama_wilayah", "namobj", "name", "nama_desa", "nama_desa_kelurahan", "nama_kelurahan", "desa",
    "wadmkd", "nama_kec", "nama_kecamatan", "wadmkc", "nama_kab", "nama_kabupaten", "wadmkk", "nama_prov",
    "nama_provinsi", "wadmpr",
)
# Parent names by level, when a file carries them (cahyadsn boundaries, IDM tables, BIG RBI).
KOLOM_NAMA_INDUK = {
    1: ("nama_prov", "nama_provinsi", "wadmpr", "provinsi"),
    2: ("nama_kab", "nama_kabupaten", "nama_kab_kota", "wadmkk", "kabupaten", "kab_kota"),
    3: ("nama_kec", "nama_kecamatan", "wadmkc", "kecamatan"),
}
SISTEM = ("kemendagri", "bps")


def cari_kolom(frame: pd.DataFrame, kandidat: tuple[str, ...]) -> list[str]:
    """Columns of ``frame`` whose folded names are in ``kandidat``, in the candidates' order."""
    by_fold: dict[str, str] = {}
    for c in frame.columns:
        by_fold.setdefault(files.nama_kolom(c), c)
    return [by_fold[k] for k in kandidat if k in by_fold]


def kolom_ada(frame: pd.DataFrame, nama: str, apa: str) -> str:
    """The column named ``nama`` (exact, else case/punctuation-insensitive) or a clear error."""
    if nama in frame.columns:
        return nama
    hits = cari_kolom(frame, (files.nama_kolom(nama),))
    if hits:
        return hits[0]
    raise ImporGagal(f"Kolom {apa} {nama!r} tidak ada. Kolom yang ada: {daftar_kolom(frame)}.")


def daftar_kolom(frame: pd.DataFrame, n: int = 25) -> str:
    cols = [str(c) for c in frame.columns]
    return ", ".join(cols[:n]) + (f", … (+{len(cols) - n})" if len(cols) > n else "")


def normalkan(nilai: pd.Series) -> pd.Series:
    """Dotted Kemendagri codes for a column of code texts; None where a cell is not a valid code.

    Ten-digit village codes (the usual form of tables) are reshaped at once; other texts one distinct
    text at a time (``regions.try_normalize``)."""
    s = pd.Series(nilai.astype(str).str.strip().to_numpy(dtype=object), index=nilai.index)
    out = pd.Series(None, index=s.index, dtype=object)
    ten = s.str.fullmatch(r"[0-9]{10}").fillna(False).to_numpy(dtype=bool)
    if ten.any():
        t = s[ten]
        out[ten] = t.str[0:2] + "." + t.str[2:4] + "." + t.str[4:6] + "." + t.str[6:10]
    rest = s[~ten]
    if len(rest):
        mapping = {u: regions.try_normalize(u) for u in pd.unique(rest)}
        out[~ten] = rest.map(mapping).to_numpy(dtype=object)
    return out


def bagian_sah(nilai: pd.Series) -> float:
    """Share of non-empty cells that are valid Kemendagri codes."""
    s = nilai.astype(str).str.strip()
    s = s[s != ""]
    if s.empty:
        return 0.0
    sample = s.iloc[:2000]
    return float(normalkan(sample).notna().mean())


@dataclass
class KolomKode:
    kolom: str
    sistem: str  # kemendagri | bps


def deteksi_kolom_kode(frame: pd.DataFrame, kolom: str | None = None, sistem: str | None = None) -> KolomKode:
    """The region-code column: ``kolom`` when given, else the first candidate that mostly holds codes.

    ``sistem`` forces 'kemendagri' or 'bps'; otherwise BPS column names (``IDDESA``, ``kode_bps``) mean BPS.
    """
    if sistem is not None and sistem not in SISTEM:
        raise ImporGagal(f"Sistem kode {sistem!r} tidak dikenal; pilih 'kemendagri' atau 'bps'.")
    if kolom:
        col = kolom_ada(frame, kolom, "kode")
        if sistem is None:
            sistem = "bps" if files.nama_kolom(col) in KOLOM_KODE_BPS else "kemendagri"
        return KolomKode(col, sistem)
    if sistem != "bps":
        for col in cari_kolom(frame, KOLOM_KODE_DAGRI):
            if bagian_sah(frame[col]) >= 0.5:
                return KolomKode(col, "kemendagri")
    if sistem != "kemendagri":
        for col in cari_kolom(frame, KOLOM_KODE_BPS):
            s = frame[col].astype(str).str.strip()
            if s.str.fullmatch(r"\d{2,10}").mean() >= 0.5:
                return KolomKode(col, "bps")
    raise ImporGagal(
        "Kolom kode wilayah tidak ditemukan. Beri kolom bernama misalnya 'kode', 'kode_desa', 'KDEPUM' "
        "atau 'IDDESA' (kode BPS), atau sebutkan namanya (opsi kolom kode). "
        f"Kolom yang ada: {daftar_kolom(frame)}."
    )


def deteksi_kolom_nama(frame: pd.DataFrame, kolom: str | None = None, tingkat: int | None = None) -> str | None:
    """The name column: ``kolom`` when given, else a generic name column, else the level's own."""
    if kolom:
        return kolom_ada(frame, kolom, "nama")
    generic = cari_kolom(frame, ("nama", "nama_wilayah", "namobj", "name"))
    if generic:
        return generic[0]
    per_level = {4: ("nama_desa", "nama_desa_kelurahan", "nama_kelurahan", "desa", "wadmkd"),
                 3: ("nama_kec", "nama_kecamatan", "wadmkc", "kecamatan"),
                 2: ("nama_kab", "nama_kabupaten", "wadmkk"), 1: ("nama_prov", "nama_provinsi", "wadmpr")}
    order = [tingkat] if tingkat else []
    order += [lv for lv in (4, 3, 2, 1) if lv not in order]
    for lv in order:
        hits = cari_kolom(frame, per_level[lv])
        if hits:
            return hits[0]
    return None


def kolom_nama_induk(frame: pd.DataFrame, tingkat: int) -> dict[int, str]:
    """``{level: column}`` of parent-name columns above ``tingkat`` found in the frame."""
    out = {}
    for lv in range(1, tingkat):
        hits = cari_kolom(frame, KOLOM_NAMA_INDUK[lv])
        if hits:
            out[lv] = hits[0]
    return out


# --- BPS crosswalk -----------------------------------------------------------------------------------


@dataclass
class Crosswalk:
    """BPS code → dotted Kemendagri code (all levels; keys are digit strings)."""

    peta: dict[str, str]
    berkas: str

    @classmethod
    def baca(cls, path: Path | str, batas_mb: float = files.BATAS_UKURAN_MB) -> Crosswalk:
        """Read a crosswalk such as ``bps_dagri_crosswalk.csv`` (columns ``kode_bps`` and
        ``kode_dagri`` or ``kode_dagri_num``; any level)."""
        t = files.baca_tabel(path, batas_mb).frame
        bps = cari_kolom(t, ("kode_bps", "iddesa", "bps"))
        dagri = cari_kolom(t, ("kode_dagri", "kode_dagri_num", "kode_kemendagri", "kode"))
        if not bps or not dagri:
            raise ImporGagal(
                f"Berkas crosswalk {Path(path).name} harus punya kolom 'kode_bps' dan 'kode_dagri' "
                f"(atau 'kode_dagri_num'). Kolom yang ada: {daftar_kolom(t)}."
            )
        keys = t[bps[0]].astype(str).str.strip()
        vals = normalkan(t[dagri[0]])
        ok = vals.notna() & (keys != "")
        if not ok.any():
            raise ImporGagal(f"Berkas crosswalk {Path(path).name} tidak berisi pasangan kode yang sah.")
        return cls(dict(zip(keys[ok], vals[ok])), Path(path).name)

    def ke_kemendagri(self, kode_bps: pd.Series) -> pd.Series:
        s = kode_bps.astype(str).str.strip().str.replace(r"\.0$", "", regex=True)
        return s.map(self.peta).astype(object)


# --- official code lists --------------------------------------------------------------------------------


def baca_daftar_kode(path: Path | str, batas_mb: float = files.BATAS_UKURAN_MB) -> pd.DataFrame:
    """An official code list (e.g. ``kode_wilayah.csv``: kode, nama, jenis; or idn-area-data's
    ``code, name``) as a frame ``kode`` (dotted), ``level``, ``nama``, ``jenis`` (may be None)."""
    t = files.baca_tabel(path, batas_mb).frame
    kk = deteksi_kolom_kode(t, sistem="kemendagri")
    kn = deteksi_kolom_nama(t)
    if kn is None:
        raise ImporGagal(f"Daftar kode {Path(path).name} tidak punya kolom nama. Kolom: {daftar_kolom(t)}.")
    kode = normalkan(t[kk.kolom])
    out = pd.DataFrame({"kode": kode, "nama": t[kn].astype(str).str.strip()})
    jenis = cari_kolom(t, ("jenis",))
    out["jenis"] = t[jenis[0]].astype(str).str.strip().str.lower().replace("", None) if jenis else None
    out = out[out["kode"].notna()].drop_duplicates("kode")
    out["level"] = out["kode"].str.count(r"\.") + 1
    return out.reset_index(drop=True)

"""Reading uploaded files: size limits, CSV (delimiter, encoding, title rows) and XLSX, numbers.

Every table is read as text first (``Tabel.frame`` holds strings, '' for an empty cell), so codes keep
their leading zeros and numbers can be parsed with Indonesian conventions (``0,7029``, ``1.234,5``).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sinergi.importers import ImporGagal

# Same limit as ``server.maxUploadSize`` in .streamlit/config.toml (Streamlit counts 1 MB = 2**20 bytes).
BATAS_UKURAN_MB = 50
MB = 1024 * 1024
PEMISAH = (",", ";", "\t", "|")
NAMA_PEMISAH = {",": "koma", ";": "titik koma", "\t": "tab", "|": "garis tegak"}
# Cell texts that mean "no value" rather than a typing error.
KOSONG = frozenset({"", "-", "–", "—", ".", "na", "n/a", "nan", "null", "none", "#n/a", "tidak ada data"})


@dataclass
class Tabel:
    """A table read from a file, all cells as text (``''`` when empty)."""

    frame: pd.DataFrame
    format: str  # csv | xlsx
    baris_judul: int = 0  # rows skipped above the header (title rows)
    pengodean: str | None = None  # csv only
    pemisah: str | None = None  # csv only
    lembar: str | None = None  # xlsx only
    catatan: list[str] = field(default_factory=list)


def periksa_ukuran(path: Path | str, batas_mb: float = BATAS_UKURAN_MB) -> int:
    """Size of the file in bytes; raise :class:`ImporGagal` when it is empty or over ``batas_mb`` MB."""
    p = Path(path)
    if not p.is_file():
        raise ImporGagal(f"Berkas {p.name} tidak ditemukan.")
    size = p.stat().st_size
    if size == 0:
        raise ImporGagal(f"Berkas {p.name} kosong (0 bita): tidak ada yang dapat diimpor.")
    if size > batas_mb * MB:
        raise ImporGagal(pesan_terlalu_besar(p.name, size, batas_mb))
    return size


def pesan_terlalu_besar(nama: str, size: int, batas_mb: float = BATAS_UKURAN_MB) -> str:
    """The message for a file over the limit (sizes in MB = 2**20 bytes, Indonesian number format)."""
    from sinergi.i18n import fmt_num

    return (f"Berkas {nama} terlalu besar: {fmt_num(size / MB, 1, 'id')} MB, batasnya {batas_mb:g} MB. "
            "Pecah berkas (mis. per provinsi) lalu impor satu per satu.")


def nama_kolom(c: object) -> str:
    """A column name folded for matching: lower case, runs of non-alphanumerics become ``_``."""
    return re.sub(r"[^0-9a-z]+", "_", str(c).strip().lower()).strip("_")


# --- text decoding ---------------------------------------------------------------------------------


def dekode(raw: bytes) -> tuple[str, str]:
    """Text and the encoding used: UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252/Latin-1."""
    if raw.startswith(codecs.BOM_UTF8):
        try:
            return raw[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    if b"\x00" in raw[:4096]:
        raise ImporGagal("Berkas bukan teks CSV (berisi data biner). Simpan ulang sebagai CSV atau XLSX.")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Spreadsheets exported on Indonesian Windows machines are cp1252; Latin-1 decodes anything left.
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


# --- CSV -------------------------------------------------------------------------------------------


def _baris_contoh(teks: str, n: int = 60) -> list[str]:
    lines = [ln for ln in teks.splitlines() if ln.strip()]
    return lines[:n]


def tebak_pemisah(teks: str) -> str:
    """The delimiter giving the most columns consistently over the first lines (quotes respected).

    Raises :class:`ImporGagal` when no candidate splits the lines into two or more columns.
    """
    contoh = "\n".join(_baris_contoh(teks))
    best, best_score = None, (0.0, 0)
    for d in PEMISAH:
        widths = [len(r) for r in csv.reader(io.StringIO(contoh), delimiter=d) if any(c.strip() for c in r)]
        if not widths:
            continue
        mode = max(set(widths), key=widths.count)
        if mode < 2:
            continue
        # Title rows above the header have fewer cells: count rows at the most common width.
        score = (widths.count(mode) / len(widths), mode)
        if score > best_score:
            best, best_score = d, score
    if best is None:
        raise ImporGagal(
            "Hanya satu kolom terbaca: pemisah kolom tidak dikenali. Gunakan koma (,), titik koma (;), "
            "tab atau garis tegak (|) sebagai pemisah, lalu ekspor ulang berkas CSV."
        )
    return best


def cari_baris_judul(rows: list[list[str]], batas: int = 30) -> int:
    """Index of the header row: the first of the first ``batas`` rows that is about as wide as the table
    and mostly text (title rows above it have one or two cells)."""
    head = rows[:batas]
    filled = [sum(1 for c in r if str(c).strip()) for r in head]
    if not filled or max(filled) == 0:
        raise ImporGagal("Berkas tidak berisi baris data.")
    widest = max(filled)
    for i, (r, n) in enumerate(zip(head, filled)):
        if n >= max(2, 0.8 * widest):
            cells = [str(c).strip() for c in r if str(c).strip()]
            numeric = sum(1 for c in cells if re.fullmatch(r"[-+]?[\d.,]+", c))
            if numeric <= len(cells) / 2:
                return i
    return 0


def _frame_dari_baris(rows: list[list[str]], judul: int) -> pd.DataFrame:
    header = [str(c).strip() for c in rows[judul]]
    width = max(len(header), *(len(r) for r in rows[judul + 1:])) if len(rows) > judul + 1 else len(header)
    header += [""] * (width - len(header))
    cols, seen = [], {}
    for i, h in enumerate(header):
        h = h or f"kolom_{i + 1}"
        if h in seen:  # duplicated header names get a suffix instead of silently overwriting
            seen[h] += 1
            h = f"{h}_{seen[h]}"
        else:
            seen[h] = 0
        cols.append(h)
    body = [list(r) + [""] * (width - len(r)) for r in rows[judul + 1:] if any(str(c).strip() for c in r)]
    return pd.DataFrame(body, columns=cols, dtype=object)


def baca_csv(path: Path | str) -> Tabel:
    """Read a CSV file as text: delimiter sniffed (``, ; tab |``), encoding detected, title rows skipped."""
    p = Path(path)
    teks, enc = dekode(p.read_bytes())
    if not teks.strip():
        raise ImporGagal(f"Berkas {p.name} kosong: tidak ada baris data.")
    d = tebak_pemisah(teks)
    # Split on "\n" only, so rejoining reproduces the text exactly; csv.reader yields [] for a blank
    # line, so the header's index among these rows is its physical line.
    lines = teks.split("\n")
    head = list(csv.reader(io.StringIO("\n".join(lines[:40])), delimiter=d))
    judul = cari_baris_judul(head)
    try:
        # dtype=object keeps plain Python strings: element access on pandas' Arrow strings is slow.
        frame = pd.read_csv(io.StringIO("\n".join(lines[judul:])), sep=d, dtype=object, keep_default_na=False,
                            na_filter=False, skip_blank_lines=True, engine="c", on_bad_lines="error")
    except (pd.errors.ParserError, ValueError) as e:
        raise ImporGagal(
            f"Berkas CSV {p.name} tidak dapat dibaca dengan pemisah {NAMA_PEMISAH[d]}: jumlah kolom tidak sama "
            f"di setiap baris ({str(e).splitlines()[-1]})."
        ) from e
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.loc[~(frame == "").all(axis=1)].reset_index(drop=True)
    if frame.empty:
        raise ImporGagal(f"Berkas {p.name} hanya berisi judul kolom, tanpa baris data.")
    return Tabel(frame, "csv", judul, enc, d)


# --- XLSX ------------------------------------------------------------------------------------------


def _sel(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return repr(v) if not v.is_integer() else f"{v:.0f}"
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return str(v)


def baca_xlsx(path: Path | str, lembar: str | None = None) -> Tabel:
    """Read the first non-empty sheet (or ``lembar``) of an XLSX file as text; the header row may sit
    below title rows. Formulas are read as their cached values."""
    import openpyxl

    p = Path(path)
    try:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a corrupt or non-XLSX file
        raise ImporGagal(f"Berkas {p.name} bukan XLSX yang dapat dibaca ({type(e).__name__}). "
                         "Simpan ulang dari Excel/LibreOffice sebagai .xlsx atau sebagai CSV.") from e
    try:
        names = wb.sheetnames
        if lembar is not None and lembar not in names:
            raise ImporGagal(f"Lembar {lembar!r} tidak ada di {p.name}; lembar yang ada: {', '.join(names)}.")
        for name in [lembar] if lembar else names:
            rows = [[_sel(v) for v in r] for r in wb[name].iter_rows(values_only=True)]
            # Blank rows are kept until the header is found, so baris_judul counts spreadsheet rows.
            while rows and not any(c.strip() for c in rows[-1]):
                rows.pop()
            if rows:
                judul = cari_baris_judul(rows)
                frame = _frame_dari_baris(rows, judul)
                if frame.empty:
                    continue
                return Tabel(frame, "xlsx", judul, lembar=name)
    finally:
        wb.close()
    raise ImporGagal(f"Berkas {p.name} tidak berisi baris data di lembar mana pun.")


def baca_tabel(path: Path | str, batas_mb: float = BATAS_UKURAN_MB, lembar: str | None = None) -> Tabel:
    """Read a CSV/TXT/TSV or XLSX file (chosen by its content, then its extension) as text."""
    p = Path(path)
    periksa_ukuran(p, batas_mb)
    with open(p, "rb") as f:
        magic = f.read(4)
    suffix = p.suffix.lower()
    if magic.startswith(b"PK") or suffix in (".xlsx", ".xlsm"):
        if suffix == ".zip":
            raise ImporGagal(f"{p.name} adalah ZIP; tabel indikator harus CSV atau XLSX.")
        return baca_xlsx(p, lembar)
    if suffix == ".xls":
        raise ImporGagal("Format .xls (Excel lama) tidak didukung: simpan ulang sebagai .xlsx atau CSV.")
    return baca_csv(p)


# --- numbers ---------------------------------------------------------------------------------------


def angka(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Parse text cells as numbers with Indonesian or English conventions.

    ``0,7029`` and ``0.7029`` → 0.7029; ``1.234,5`` → 1234.5; ``1,234.5`` → 1234.5 (the last of ``.``/``,``
    is the decimal mark when both appear); ``1.234.567`` → 1234567. A lone comma is a decimal comma
    (``1,234`` → 1.234), the Indonesian convention; a lone dot is a decimal point. Returns
    ``(values, teks)``: float values (NaN when empty or not a number) and a boolean mask of cells holding
    text that is not a number (e.g. ``tinggi``), as opposed to empty cells (``''``, ``-``, ``NA`` …).
    """
    strs = np.array(["" if x is None else str(x).strip() for x in s.to_numpy(dtype=object)], dtype=object)
    # Fast path: plain numbers (the usual case, 75,000 rows at once); the rest one unique text at a time.
    vals = pd.to_numeric(pd.Series(strs, dtype=object), errors="coerce").to_numpy(dtype=float, copy=True)
    teks = np.zeros(len(strs), dtype=bool)
    redo = np.isnan(vals) | np.isinf(vals)
    if redo.any():
        parsed = {u: _angka_satu(u) for u in pd.unique(strs[redo])}
        vals[redo] = [parsed[u][0] for u in strs[redo]]
        teks[redo] = [parsed[u][1] for u in strs[redo]]
    return vals, teks


def _angka_satu(t: str) -> tuple[float, bool]:
    """One cell: ``(value, is_text)``; empty markers give ``(nan, False)``."""
    if t.lower() in KOSONG:
        return np.nan, False
    u = re.sub(r"[\s\u00a0]", "", t)
    if "," in u and ("." not in u or u.rfind(",") > u.rfind(".")):
        u = u.replace(".", "").replace(",", ".")
    elif "," in u:
        u = u.replace(",", "")
    elif u.count(".") > 1:  # 1.234.567: dots as thousands separators
        u = u.replace(".", "")
    try:
        v = float(u)
    except ValueError:
        return np.nan, True
    return (v, False) if np.isfinite(v) else (np.nan, True)

"""Indicators described by their owner: the metadata sidecar of an indicator table (issue 14).

An indicator table may bring indicators that are not built in (SDGs Desa scores, PODES variables, a
ministry's own KPIs). Their metadata comes with the table as a second file, in one of two shapes, read into
one :class:`Metadata`:

**Frictionless Data Package** (``datapackage.json``, the shape CKAN portals such as Satu Data Indonesia
exchange). The resource describing the table (the only one, or the one whose ``path`` names the table
file) has a Table Schema; each field of ``schema.fields`` describes a column. Standard properties read:

- ``name`` — the column as written in the file; ``title`` — the Indonesian name; ``description``;
- ``type`` — ``number`` or ``integer`` for an indicator (``string``, ``date`` … for codes and names);
- ``constraints.minimum`` / ``constraints.maximum`` — the valid range of a village value;
- package level: ``licenses[0]`` (``title`` or ``name``) and ``sources[0].title``, the defaults of every field.

Custom properties (all prefixed ``sinergi:``), on a field:

=========================  =====================================================================
``sinergi:id``             indicator id (default: the column name folded, a year at its end
                           removed: ``SDGs 01_2024`` → ``sdgs_01`` for 2024)
``sinergi:title_en``       English name
``sinergi:description_en`` English description
``sinergi:theme``          theme id or name: ``ketahanan_sosial``, ``kapasitas_sdm``,
                           ``jaringan_sosial``, ``sinergi_program``, ``idm``, a theme the dataset
                           already has, or one declared in ``sinergi:themes``
``sinergi:unit``           unit (Indonesian), ``sinergi:unit_en`` its English form
``sinergi:direction``      ``1`` higher is better, ``-1`` higher is worse
``sinergi:aggregation``    to kecamatan/kabupaten/province: ``wmean_pop`` (population-weighted
                           mean), ``sum``, ``share`` (village values 0/100 → % of villages),
                           ``mean``
``sinergi:classes``        official class breaks: increasing upper bounds, e.g. ``[25, 50, 75]``
``sinergi:decimals``       decimals shown (0–6, default 2)
``sinergi:source``         source, ``sinergi:licence`` licence (override the package's)
=========================  =====================================================================

and on the package ``sinergi:themes``: new themes, ``[{"name": "sdgs_desa", "title": "SDGs Desa",
"title_en": "Village SDGs"}]``. A numeric field becomes an indicator when it has a ``sinergi:`` property
or a default theme is given for the import; other numeric fields are reported as not described.

**Kamus** sheet (CSV or XLSX, one row per indicator; column names are matched case- and
punctuation-insensitively, aliases in :data:`KOLOM_KAMUS`): ``id, kolom, nama, nama_en, tema, tema_baru,
tema_en, satuan, satuan_en, arah, min, max, agregasi, sumber, lisensi, kelas, desimal, deskripsi,
deskripsi_en``. ``kolom`` is the file column (``id`` alone serves as both); ``tema_baru`` = ``ya`` declares
the row's ``tema`` text a new theme (its id is the text folded: "SDGs Desa" → ``sdgs_desa``); ``kelas``
lists the breaks separated by ``;`` (``25; 50; 75``). A survey's full dictionary (e.g. PODES ``kolom,
keterangan``) works as is: rows for columns the table does not have are skipped.

Defaults: name = id, direction +1, aggregation ``mean`` (each said in the report). Checks, each a clear
Indonesian message that stops the import (``galat``): a theme that is neither known nor declared, a
direction other than ±1, an aggregation not in the list, min ≥ max, class breaks not increasing, an id
that is not a safe identifier or appears twice, an id of a built-in indicator described differently, a
Data Package that does not parse or whose schema does not match the table (a field missing in the file,
numbers declared where the file has text; checked by :mod:`sinergi.importers.tables`).
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sinergi import catalog
from sinergi.importers import ImporGagal, files
from sinergi.importers.report import GALAT, INFO, Laporan

PREFIX = "sinergi:"
SIFAT_MEDAN = ("id", "title_en", "description_en", "theme", "unit", "unit_en", "direction", "aggregation",
               "classes", "decimals", "source", "licence")
TIPE_ANGKA = ("number", "integer")
MAKS_KELAS = 6
MAKS_TEKS = {"nama": 200, "satuan": 40, "deskripsi": 2000, "sumber": 300, "lisensi": 200, "tema": 100}

# Kamus columns (folded names, files.nama_kolom) -> field; the first alias present wins.
KOLOM_KAMUS: dict[str, tuple[str, ...]] = {
    "id": ("id", "id_indikator", "kode_indikator"),
    "kolom": ("kolom", "column", "nama_kolom", "variabel", "variable", "field"),
    "nama": ("nama", "nama_id", "nama_indikator", "judul", "title", "label", "label_pendek", "keterangan",
             "uraian"),
    "nama_en": ("nama_en", "name_en", "title_en", "label_en"),
    "tema": ("tema", "theme"),
    "tema_baru": ("tema_baru", "new_theme"),
    "tema_en": ("tema_en", "theme_en"),
    "satuan": ("satuan", "unit"),
    "satuan_en": ("satuan_en", "unit_en"),
    "arah": ("arah", "direction"),
    "min": ("min", "min_valid", "minimum"),
    "max": ("max", "max_valid", "maximum"),
    "agregasi": ("agregasi", "aggregation"),
    "sumber": ("sumber", "source"),
    "lisensi": ("lisensi", "licence", "license"),
    "kelas": ("kelas", "kelas_batas", "classes", "breaks"),
    "desimal": ("desimal", "decimals"),
    "deskripsi": ("deskripsi", "deskripsi_id", "description"),
    "deskripsi_en": ("deskripsi_en", "description_en"),
}
YA = frozenset({"ya", "y", "yes", "1", "true", "benar", "baru", "x", "v", "✓"})
ARAH_TEKS = {"1": 1, "+1": 1, "1.0": 1, "-1": -1, "−1": -1, "-1.0": -1}
_TAHUN = re.compile(r"^(?P<ind>.+?)_?(?P<tahun>(?:19|20)\d{2})$")
_KONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

CONTOH_KAMUS = "kolom,nama,tema,satuan,arah,agregasi"


@dataclass
class Deskripsi:
    """One described column: the file column (as the metadata names it), the year in its name if any, and
    the indicator (a new one, or a built-in one the metadata described as it is)."""

    kolom: str
    tahun: int | None
    indikator: catalog.Indikator
    baru: bool  # False: a built-in indicator, described as it is
    asal: str  # where it was described, for messages ("kamus baris 4", "medan 'sdgs01'")
    bawaan: tuple[str, ...] = ()  # what the metadata left out and got its default: arah, agregasi, nama


@dataclass
class Metadata:
    """The metadata of one indicator table (see the module docstring)."""

    berkas: str
    format: str  # datapackage | kamus | formulir
    deskripsi: list[Deskripsi] = field(default_factory=list)
    tema_baru: dict[str, tuple[str, str]] = field(default_factory=dict)
    medan: dict[str, str] | None = None  # Data Package: every field of the resource -> its type
    diabaikan: list[str] = field(default_factory=list)  # kamus columns not understood

    def untuk_kolom(self) -> dict[str, Deskripsi]:
        """Descriptions by the folded column name (files.nama_kolom)."""
        out: dict[str, Deskripsi] = {}
        for d in self.deskripsi:
            out.setdefault(files.nama_kolom(d.kolom), d)
        return out

    def gabung(self, lain: Metadata | None) -> Metadata:
        """This metadata with ``lain``'s descriptions added (``lain`` wins for a column described twice)."""
        if lain is None:
            return self
        cols = {files.nama_kolom(d.kolom) for d in lain.deskripsi}
        return Metadata(self.berkas, self.format, [d for d in self.deskripsi if files.nama_kolom(d.kolom) not in cols]
                        + lain.deskripsi, {**self.tema_baru, **lain.tema_baru}, self.medan, self.diabaikan)


# --- reading --------------------------------------------------------------------------------------------


def baca(path: Path | str, laporan: Laporan, katalog: catalog.Katalog, *, nama_berkas: str | None = None,
         nama_tabel: str | None = None, tema_bawaan: str | None = None, kolom: set[str] | None = None,
         batas_mb: float = files.BATAS_UKURAN_MB) -> Metadata:
    """Read a metadata file (``datapackage.json`` or a kamus CSV/XLSX) for a table named ``nama_tabel``
    going into a dataset whose catalog is ``katalog``. Only descriptions of the table's candidate columns
    ``kolom`` (folded names; None: all) are checked and kept, so a survey's whole dictionary can describe
    one table. Problems go into ``laporan``; a file that cannot be read at all raises :class:`ImporGagal`."""
    p = Path(path)
    nama = nama_berkas or p.name
    files.periksa_ukuran(p, batas_mb)
    with open(p, "rb") as f:
        head = f.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    if p.suffix.lower() == ".json" or head.startswith(b"{"):
        raw, _ = files.dekode(p.read_bytes())
        try:
            paket = json.loads(raw)
        except json.JSONDecodeError as e:
            raise ImporGagal(f"Metadata {nama} bukan JSON yang sah (baris {e.lineno}, kolom {e.colno}: {e.msg}). "
                             "Periksa tanda koma dan kutip, atau pakai kamus CSV/XLSX.") from None
        except (ValueError, RecursionError):  # nested thousands deep, or a number too long to read
            raise ImporGagal(f"Metadata {nama} bukan Data Package yang dapat dibaca (JSON bersarang terlalu dalam "
                             "atau angka terlalu panjang).") from None
        return dari_paket(paket, nama, laporan, katalog, nama_tabel=nama_tabel, tema_bawaan=tema_bawaan, kolom=kolom)
    try:
        tabel = files.baca_tabel(p, batas_mb)
    except ImporGagal as e:
        raise ImporGagal(f"Kamus metadata {nama}: {e}") from None
    return dari_kamus(tabel.frame, nama, laporan, katalog, tema_bawaan=tema_bawaan, kolom=kolom,
                      baris_pertama=tabel.baris_judul + 2)


def dari_paket(paket: object, berkas: str, laporan: Laporan, katalog: catalog.Katalog, *,
               nama_tabel: str | None = None, tema_bawaan: str | None = None, kolom: set[str] | None = None
               ) -> Metadata:
    """A parsed ``datapackage.json`` (any JSON value: everything is checked) → :class:`Metadata`."""
    if not isinstance(paket, dict):
        raise ImporGagal(f"Metadata {berkas}: Data Package harus berupa objek JSON ({{…}}) dengan 'resources'.")
    res = paket.get("resources")
    if not isinstance(res, list) or not res or not all(isinstance(r, dict) for r in res):
        raise ImporGagal(f"Metadata {berkas}: Data Package tanpa daftar 'resources' yang sah (setiap resource "
                         "sebuah objek dengan 'schema').")
    r = _pilih_resource(res, berkas, nama_tabel)
    skema = r.get("schema")
    if isinstance(skema, str):
        raise ImporGagal(f"Metadata {berkas}: 'schema' resource {_teks(r.get('name'))!r} menunjuk berkas lain "
                         f"({skema[:80]!r}); tulis Table Schema di dalam datapackage.json.")
    medan = skema.get("fields") if isinstance(skema, dict) else None
    if not isinstance(medan, list) or not medan:
        raise ImporGagal(f"Metadata {berkas}: resource {_teks(r.get('name'))!r} tanpa 'schema.fields' (Table Schema).")
    m = Metadata(berkas, "datapackage", medan={})
    bawaan = {"sumber": _pertama(paket.get("sources"), "title", "sumber"),
              "lisensi": _pertama(paket.get("licenses"), "title", "lisensi")
              or _pertama(paket.get("licenses"), "name", "lisensi")}
    tema = _TemaResolver(katalog, laporan, berkas)
    tema.nyatakan_paket(paket.get(PREFIX + "themes"))
    rows, seen = [], set()
    for n, f in enumerate(medan, start=1):
        if not isinstance(f, dict) or not isinstance(f.get("name"), str) or not f["name"].strip():
            laporan.tambah(GALAT, f"Metadata {berkas}: medan ke-{n} di schema.fields tanpa 'name' (nama kolom).")
            continue
        name = f["name"].strip()
        if name in seen:
            laporan.tambah(GALAT, f"Metadata {berkas}: medan {name!r} disebut dua kali di schema.fields.")
            continue
        seen.add(name)
        tipe = f.get("type") if isinstance(f.get("type"), str) else None
        props = {k[len(PREFIX):]: v for k, v in f.items() if isinstance(k, str) and k.startswith(PREFIX)}
        unknown = sorted(set(props) - set(SIFAT_MEDAN))
        if unknown:
            laporan.tambah(GALAT, f"Metadata {berkas}, medan {name!r}: properti tidak dikenal "
                                  f"{', '.join(PREFIX + u for u in unknown)}. Yang dikenal: "
                                  f"{', '.join(PREFIX + s for s in SIFAT_MEDAN)}.")
        if tipe is None:
            tipe = "number" if props else "any"
        m.medan[name] = tipe
        if tipe not in TIPE_ANGKA:
            if props:
                laporan.tambah(GALAT, f"Metadata {berkas}, medan {name!r}: bertipe {tipe!r} tetapi dideskripsikan "
                                      "sebagai indikator (sinergi:…); indikator harus bertipe 'number' atau 'integer'.")
            continue
        if not props and not tema_bawaan:
            continue  # a numeric field without an indicator description: reported by the table reader
        cons = f.get("constraints") if isinstance(f.get("constraints"), dict) else {}
        rows.append((f"medan {name!r}", {
            "id": props.get("id"), "kolom": name, "nama": f.get("title"), "nama_en": props.get("title_en"),
            "tema": props.get("theme"), "satuan": props.get("unit"), "satuan_en": props.get("unit_en"),
            "arah": props.get("direction"), "min": cons.get("minimum"), "max": cons.get("maximum"),
            "agregasi": props.get("aggregation"), "sumber": props.get("source") or bawaan["sumber"],
            "lisensi": props.get("licence") or bawaan["lisensi"], "kelas": props.get("classes"),
            "desimal": props.get("decimals"), "deskripsi": f.get("description"),
            "deskripsi_en": props.get("description_en")}))
    # fields missing in the table are an error of their own (sinergi.importers.tables): not checked here
    _deskripsikan(m, _untuk(rows, kolom, None), laporan, katalog, tema, tema_bawaan)
    return m


def _untuk(rows: list[tuple[str, dict]], kolom: set[str] | None, lewati: tuple[str, Laporan] | None
           ) -> list[tuple[str, dict]]:
    """The rows describing one of ``kolom`` (folded names; None: every row). ``lewati`` (berkas, laporan):
    say how many rows describe columns the table does not have or were not chosen."""
    if kolom is None:
        return rows
    keep = [(a, r) for a, r in rows if files.nama_kolom(_teks(r.get("kolom"))) in kolom]
    if lewati and len(keep) < len(rows):
        kept = {a for a, _ in keep}
        skipped = [_teks(r.get("kolom")) for a, r in rows if a not in kept]
        lewati[1].tambah(INFO, f"{lewati[0]}: {len(skipped)} entri untuk kolom yang tidak ada di tabel atau tidak "
                               "dipilih dilewati.", skipped[:10])
    return keep


def dari_kamus(frame: pd.DataFrame, berkas: str, laporan: Laporan, katalog: catalog.Katalog, *,
               tema_bawaan: str | None = None, kolom: set[str] | None = None, baris_pertama: int = 2,
               format_: str = "kamus") -> Metadata:
    """A kamus sheet read as text (files.baca_tabel) → :class:`Metadata`."""
    fold: dict[str, str] = {}
    for c in frame.columns:
        fold.setdefault(files.nama_kolom(c), c)
    pakai: dict[str, str] = {}
    for key, aliases in KOLOM_KAMUS.items():
        hit = next((fold[a] for a in aliases if a in fold), None)
        if hit is not None:
            pakai[key] = hit
    if "id" not in pakai and "kolom" not in pakai:
        raise ImporGagal(f"Kamus {berkas} tidak punya kolom 'id' atau 'kolom' (nama kolom di tabel indikator). "
                         f"Kolom yang ada: {', '.join(map(str, frame.columns[:20]))}. Contoh kepala kamus: "
                         f"{CONTOH_KAMUS}.")
    m = Metadata(berkas, format_, diabaikan=[str(c) for c in frame.columns if c not in set(pakai.values())])
    tema = _TemaResolver(katalog, laporan, berkas)
    rows = []
    for i, rec in enumerate(frame.to_dict("records")):
        row = {k: str(rec[c]).strip() if rec[c] is not None else "" for k, c in pakai.items()}
        if not any(row.values()):
            continue
        if "kolom" not in row or not row["kolom"]:
            row["kolom"] = row.get("id", "")
        if not row["kolom"]:
            laporan.tambah(GALAT, f"{_nama_format(format_)} {berkas} baris {baris_pertama + i}: 'id'/'kolom' kosong.")
            continue
        if row.get("tema_baru", "").lower() in YA and row.get("tema"):
            tema.nyatakan(row["tema"], row.get("tema_en") or "", f"baris {baris_pertama + i}")
        rows.append((f"baris {baris_pertama + i}", {k: v or None for k, v in row.items()}))
    _deskripsikan(m, _untuk(rows, kolom, (f"{_nama_format(format_)} {berkas}", laporan)), laporan, katalog, tema,
                  tema_bawaan)
    return m


def dari_formulir(rows: list[dict], laporan: Laporan, katalog: catalog.Katalog, kolom: set[str] | None = None
                  ) -> Metadata:
    """Descriptions an admin typed on Kelola Data (``kolom, nama, tema, satuan, arah, agregasi``), checked
    like kamus rows."""
    frame = pd.DataFrame([{k: "" if v is None else str(v) for k, v in r.items()} for r in rows])
    if frame.empty:
        return Metadata("formulir", "formulir")
    return dari_kamus(frame, "formulir", laporan, katalog, kolom=kolom, baris_pertama=1, format_="formulir")


# --- checking one description ------------------------------------------------------------------------------


def _nama_format(format_: str) -> str:
    return {"kamus": "Kamus", "formulir": "Deskripsi di formulir"}.get(format_, "Metadata")


def _deskripsikan(m: Metadata, rows: list[tuple[str, dict]], laporan: Laporan, katalog: catalog.Katalog,
                  tema: _TemaResolver, tema_bawaan: str | None) -> None:
    """Check each described row and add it to ``m`` (problems into ``laporan``)."""
    awal = _nama_format(m.format) + f" {m.berkas}"
    bawaan_tema = tema.cari(tema_bawaan, "tema bawaan impor") if tema_bawaan else None
    dipakai: dict[tuple[str, int | None], str] = {}
    tanpa_tema: list[str] = []
    for asal, row in rows:
        where = f"{awal}, {asal}"
        kolom = _teks(row.get("kolom"))
        fk = files.nama_kolom(kolom)
        mt = _TAHUN.match(fk)
        tahun = int(mt.group("tahun")) if mt else None
        if row.get("id") not in (None, ""):
            iid = _teks(row.get("id"))
            if not catalog.ID_SAH.match(iid):
                laporan.tambah(GALAT, f"{where}: id {iid[:60]!r} tidak sah: gunakan huruf kecil, angka dan garis bawah, "
                                      "diawali huruf, paling panjang 63 (mis. 'sdgs_desa_01').")
                continue
        else:
            iid = mt.group("ind") if mt else fk
            if not catalog.ID_SAH.match(iid):
                laporan.tambah(GALAT, f"{where}: dari nama kolom {kolom[:60]!r} tidak dapat dibentuk id yang sah "
                                      f"({iid[:60]!r}); tulis id sendiri (kolom 'id' di kamus atau 'sinergi:id'), "
                                      "huruf kecil, angka dan garis bawah, diawali huruf.")
                continue
        if (iid, tahun) in dipakai:
            laporan.tambah(GALAT, f"{where}: id {iid!r} sudah dideskripsikan di {dipakai[(iid, tahun)]} "
                                  "(id ganda); setiap indikator satu baris.")
            continue
        dipakai[(iid, tahun)] = asal
        ok = True

        def galat(pesan: str) -> None:
            nonlocal ok
            ok = False
            laporan.tambah(GALAT, f"{where} ({iid}): {pesan}")

        arah = _arah(row.get("arah"), galat)
        bawaan = ("arah",) if row.get("arah") in (None, "") else ()
        agregasi = _teks(row.get("agregasi")).lower()
        if not agregasi:
            agregasi = "mean"
            bawaan += ("agregasi",)
        elif agregasi not in catalog.AGREGASI:
            galat(f"agregasi {agregasi[:40]!r} tidak dikenal; pilih wmean_pop (rata-rata tertimbang penduduk), "
                  "sum (jumlah), share (persen desa; nilai desa 0/100) atau mean (rata-rata desa).")
        lo, hi = _angka(row.get("min"), "min", galat), _angka(row.get("max"), "max", galat)
        if lo is not None and hi is not None and lo >= hi:
            galat(f"rentang sah tidak masuk akal: min {lo:g} {'lebih besar dari' if lo > hi else 'sama dengan'} "
                  f"max {hi:g}.")
        kelas = _kelas(row.get("kelas"), galat)
        desimal = _angka(row.get("desimal"), "desimal", galat)
        if desimal is not None and (desimal != int(desimal) or not 0 <= desimal <= 6):
            galat(f"desimal {desimal:g} tidak sah: bilangan bulat 0–6.")
            desimal = None
        tema_id = tema.cari(row.get("tema"), where) if row.get("tema") not in (None, "") else bawaan_tema
        if tema_id is None:
            ok = False
            if row.get("tema") in (None, ""):
                tanpa_tema.append(iid)
        nama = _bersih(row.get("nama"), "nama")
        if not nama:
            bawaan += ("nama",)
        if iid in catalog.BAWAAN_ID:
            b = catalog.BAWAAN.get(iid)
            beda = [s for s, mine, theirs, given in (
                ("tema", tema_id, b.tema, row.get("tema") not in (None, "")),
                ("arah", arah, b.arah, row.get("arah") not in (None, "")),
                ("agregasi", agregasi, b.agregasi, row.get("agregasi") not in (None, ""))) if given and mine != theirs]
            if beda:
                galat(f"id {iid!r} sudah dipakai indikator bawaan {b.nama_id!r} dengan {', '.join(beda)} berbeda; "
                      f"pakai id lain (mis. '{iid}_{_slug(m.berkas)}').")
                continue
            if ok:
                m.deskripsi.append(Deskripsi(kolom, tahun, b, False, asal))
            continue
        if not ok:
            continue
        ind = catalog.Indikator(
            iid, nama or iid, _bersih(row.get("nama_en"), "nama") or nama or iid, tema_id,
            _bersih(row.get("satuan"), "satuan"), arah, lo, hi, agregasi, _bersih(row.get("sumber"), "sumber"),
            _bersih(row.get("deskripsi"), "deskripsi"), _bersih(row.get("deskripsi_en"), "deskripsi"), None,
            int(desimal) if desimal is not None else 2, (), _bersih(row.get("satuan_en"), "satuan"),
            _bersih(row.get("lisensi"), "lisensi"), kelas, True)
        m.deskripsi.append(Deskripsi(kolom, tahun, ind, True, asal, bawaan))
    m.tema_baru = {k: v for k, v in tema.baru.items() if any(d.indikator.tema == k for d in m.deskripsi)}
    if tanpa_tema:
        laporan.tambah(GALAT, f"{awal}: tema tidak disebut untuk {len(tanpa_tema)} indikator. Isi kolom 'tema' "
                              "(ketahanan_sosial, kapasitas_sdm, jaringan_sosial, sinergi_program, idm atau tema baru "
                              "yang dinyatakan) atau pilih tema bawaan impor (--theme).", tanpa_tema)


# What a default means, for the report (sinergi.importers.tables says it for the described columns it reads).
PESAN_BAWAAN = {
    "arah": "arah tidak disebut untuk {n} indikator; dianggap 1 (nilai lebih tinggi lebih baik).",
    "agregasi": "agregasi tidak disebut untuk {n} indikator; dipakai mean (rata-rata desa).",
    "nama": "{n} indikator tanpa nama; id-nya dipakai sebagai nama.",
}


def lapor_bawaan(dipakai: list[Deskripsi], berkas: str, laporan: Laporan) -> None:
    """Say which described indicators that are read got a default (direction, aggregation, name)."""
    for key, pesan in PESAN_BAWAAN.items():
        ids = [d.indikator.id for d in dipakai if key in d.bawaan]
        if ids:
            laporan.tambah(INFO, f"{berkas}: {pesan.format(n=len(ids))}", ids)


class _TemaResolver:
    """Themes by id or name: built-in, the dataset's own, or declared new in this metadata."""

    def __init__(self, katalog: catalog.Katalog, laporan: Laporan, berkas: str):
        self.laporan, self.berkas = laporan, berkas
        self.ada = dict(katalog.tema)
        self.baru: dict[str, tuple[str, str]] = {}
        self.lipat: dict[str, str] = {}
        for tid, (nid, nen) in self.ada.items():
            for k in (tid, nid, nen):
                self.lipat.setdefault(files.nama_kolom(k), tid)

    def nyatakan(self, nama: str, nama_en: str, asal: str) -> str | None:
        """Declare a new theme named ``nama`` (a known theme of that name or id is simply that theme)."""
        tid = files.nama_kolom(nama)
        if tid in self.lipat:
            return self.lipat[tid]
        if not catalog.ID_SAH.match(tid):
            self.laporan.tambah(GALAT, f"Metadata {self.berkas}, {asal}: tema baru {nama[:60]!r} tidak dapat dijadikan id "
                                       "(huruf, angka dan garis bawah, diawali huruf, mis. 'SDGs Desa').")
            return None
        nid = _bersih(nama, "tema") or tid
        self.baru[tid] = (nid, _bersih(nama_en, "tema") or nid)
        self.lipat[tid] = tid
        self.lipat.setdefault(files.nama_kolom(nid), tid)
        return tid

    def nyatakan_paket(self, themes: object) -> None:
        if themes is None:
            return
        if not isinstance(themes, list) or not all(isinstance(t, dict) for t in themes):
            self.laporan.tambah(GALAT, f"Metadata {self.berkas}: 'sinergi:themes' harus daftar objek "
                                       '[{"name": "sdgs_desa", "title": "SDGs Desa", "title_en": "Village SDGs"}].')
            return
        for n, t in enumerate(themes, start=1):
            name = _teks(t.get("name")) or _teks(t.get("title"))
            if not name:
                self.laporan.tambah(GALAT, f"Metadata {self.berkas}: tema ke-{n} di 'sinergi:themes' tanpa 'name'.")
                continue
            tid = self.nyatakan(_teks(t.get("title")) or name, _teks(t.get("title_en")), f"sinergi:themes ke-{n}")
            if tid is not None and files.nama_kolom(name) != tid:
                self.lipat.setdefault(files.nama_kolom(name), tid)

    def cari(self, nilai: object, asal: str) -> str | None:
        teks = _teks(nilai)
        tid = self.lipat.get(files.nama_kolom(teks))
        if tid is None:
            pilihan = ", ".join(self.ada)
            self.laporan.tambah(GALAT, f"{asal}: tema {teks[:60]!r} tidak dikenal. Tema yang ada: {pilihan}. Untuk tema "
                                       "baru, nyatakan di metadata: kolom 'tema_baru' = ya di kamus, atau "
                                       "'sinergi:themes' di Data Package.")
        return tid


# --- small parsers ---------------------------------------------------------------------------------------


def _teks(v: object) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return str(v).strip()


def _bersih(v: object, jenis: str) -> str:
    """Text from metadata, kept as text: control characters removed, normalised (NFC), spaces collapsed
    (a description keeps its line breaks), length capped (:data:`MAKS_TEKS`)."""
    s = unicodedata.normalize("NFC", _KONTROL.sub(" ", _teks(v)))
    if jenis != "deskripsi":
        s = " ".join(s.split())
    return s.strip()[: MAKS_TEKS[jenis]]


def _slug(berkas: str) -> str:
    s = files.nama_kolom(Path(berkas).stem)[:20].strip("_")
    return s if s and s[0].isalpha() else "impor"


def _arah(v: object, galat) -> int:
    if v is None or v == "":
        return 1
    if isinstance(v, bool):
        galat(f"arah {v!r} tidak sah: tulis 1 (nilai lebih tinggi lebih baik) atau -1 (lebih tinggi lebih buruk).")
        return 1
    if isinstance(v, (int, float)) and v in (1, -1):
        return int(v)
    got = ARAH_TEKS.get(_teks(v).replace(" ", ""))
    if got is None:
        galat(f"arah {_teks(v)[:20]!r} tidak sah: tulis 1 (nilai lebih tinggi lebih baik) atau -1 (lebih tinggi "
              "lebih buruk).")
        return 1
    return got


def _angka(v: object, apa: str, galat) -> float | None:
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        galat(f"{apa} {v!r} bukan angka.")
        return None
    if isinstance(v, (int, float)):
        f = float(v)
    else:
        vals, teks = files.angka(pd.Series([_teks(v)], dtype=object))
        f = float(vals[0])
        if teks[0]:
            galat(f"{apa} {_teks(v)[:20]!r} bukan angka.")
            return None
    if math.isnan(f):
        return None
    if not math.isfinite(f):
        galat(f"{apa} {_teks(v)[:20]!r} bukan angka terhingga.")
        return None
    return f


def _kelas(v: object, galat) -> tuple[float, ...]:
    """Class breaks: a JSON list of numbers, or text separated by ';' or '|' (or ', ' with decimal points)."""
    if v is None or v == "" or v == []:
        return ()
    if isinstance(v, list):
        items = v
    elif isinstance(v, str):
        s = v.strip().strip("[]")
        parts = re.split(r"[;|]", s) if re.search(r"[;|]", s) else re.split(r",\s+|\s+", s)
        items = [p for p in (x.strip() for x in parts) if p]
    else:
        galat(f"kelas {_teks(v)[:40]!r} tidak sah: tulis batas kelas berurutan naik, mis. '25; 50; 75'.")
        return ()
    out = []
    for it in items:
        f = _angka(it, "batas kelas", galat)
        if f is None:
            return ()
        out.append(f)
    if not 1 <= len(out) <= MAKS_KELAS:
        galat(f"kelas: {len(out)} batas; boleh 1–{MAKS_KELAS} batas (2–{MAKS_KELAS + 1} kelas).")
        return ()
    if any(b <= a for a, b in zip(out, out[1:])):
        galat(f"batas kelas {'; '.join(f'{x:g}' for x in out)} tidak berurutan naik; tulis dari kecil ke besar, "
              "masing-masing lebih besar dari sebelumnya.")
        return ()
    return tuple(out)


def _pertama(v: object, key: str, jenis: str) -> str:
    """``v[0][key]`` of a Data Package list (``licenses``, ``sources``), cleaned; '' when absent."""
    if isinstance(v, list) and v and isinstance(v[0], dict):
        return _bersih(v[0].get(key), jenis)
    return ""


def _pilih_resource(res: list[dict], berkas: str, nama_tabel: str | None) -> dict:
    """The resource describing the table: the only one, or the one whose path (or name) is the table's."""
    if len(res) == 1:
        return res[0]
    if nama_tabel:
        stem = files.nama_kolom(Path(nama_tabel).stem)
        for r in res:
            path = r.get("path")
            paths = path if isinstance(path, list) else [path]
            if any(isinstance(p, str) and Path(p).name == Path(nama_tabel).name for p in paths):
                return r
        for r in res:
            if isinstance(r.get("name"), str) and files.nama_kolom(r["name"]) == stem:
                return r
    names = ", ".join(repr(_teks(r.get("name")) or _teks(r.get("path"))) for r in res[:10])
    raise ImporGagal(f"Metadata {berkas}: Data Package berisi {len(res)} resource ({names}) dan tidak ada yang "
                     f"'path'-nya {nama_tabel!r}; sesuaikan 'path' resource dengan nama berkas tabel.")

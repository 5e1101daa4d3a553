"""Preparing an import: read the current dataset and the new file, validate, merge in memory.

Nothing is written here. :func:`siapkan_batas` and :func:`siapkan_indikator` return a
:class:`Rencana` (plan) whose :class:`~sinergi.importers.report.Laporan` says what would happen;
``sinergi.importers.apply.terapkan`` writes it.

Rules (also in docs/mengimpor-data.md, "Aturan penggabungan"):

- **Regions.** A boundary file adds its regions or replaces the geometry (and name) of regions with
  the same code. Parents are derived from the codes: a missing parent gets a row whose name comes from
  the official code list when given, else from the file's parent-name columns, else the code
  (``Kecamatan 34.71.01``). A parent without its own boundary gets the union of its children's
  geometries when every child in the dataset (and, with a code list, every child the list names) has
  one; otherwise it has no geometry (a parent built from a partial set of children would be drawn with a
  wrong shape). Without a code list completeness cannot be checked and the report says so.
- **Indicator rows** are matched on the code. A row whose region exists gets its values. A row whose
  region does not exist creates it (without geometry) when the dataset is empty, when adding regions was
  asked for, or when its parent exists and has no children at that level yet (the table is finer than
  the dataset, e.g. IDM villages on kecamatan boundaries). Any other row is *unmatched* and listed with
  the closest names among the regions of the same parent.
- **Values** replace earlier values of the same region, year and indicator; others are kept.
- **Indicators** described in the table's metadata (``meta``: a Data Package or kamus, or rows typed on
  Kelola Data) join the dataset's catalog (``Rencana.katalog``); a later import keeps them, and may
  describe them again (the new description replaces the old).
"""

from __future__ import annotations

import difflib
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import shapely

from sinergi import catalog, db, regions
from sinergi.coverage import TOLERANSI_CELAH_M
from sinergi.importers import ImporGagal, boundaries, codes, files, meta, tables
from sinergi.importers.report import GALAT, INFO, PERINGATAN, Laporan, per_provinsi

KOLOM_WILAYAH = ["kode", "level", "nama", "kode_induk", "kode_prov", "kode_kab", "kode_kec", "jenis",
                 "luas_km2", "penduduk", "lon", "lat", "geom", "geom_display"]
KOLOM_NILAI = ["kode", "tahun", "indikator", "nilai"]
KOLOM_SUMBER = ["urut", "jenis", "berkas", "format", "tingkat", "baris", "cocok", "tahun", "sumber", "lisensi",
                "diimpor_pada"]
NAMA_TINGKAT = {1: "Provinsi", 2: "Kabupaten/Kota", 3: "Kecamatan", 4: "Desa/Kelurahan"}
MAKS_SARAN = 300  # unmatched rows that get name suggestions (difflib is quadratic in names)


@dataclass
class DataSaatIni:
    """The content of a dataset file before an import (empty frames for a new dataset)."""

    nama: str
    path: Path
    mtime_ns: int | None
    regions: pd.DataFrame
    nilai: pd.DataFrame
    program: pd.DataFrame | None
    simpul: pd.DataFrame | None
    ikatan: pd.DataFrame | None
    sumber: pd.DataFrame
    asal: pd.DataFrame  # kode, geom_asal, nama_asal
    meta: dict
    katalog: catalog.Katalog = catalog.BAWAAN  # the dataset's indicator catalog
    alias: pd.DataFrame | None = None  # the dataset's own ministry aliases (alias, nama)

    @property
    def ada(self) -> bool:
        return self.mtime_ns is not None

    @property
    def demo(self) -> bool:
        return bool(self.meta.get("demo"))


@dataclass
class Rencana:
    """A validated, merged import waiting to be applied (``laporan.boleh_diterapkan``)."""

    laporan: Laporan
    dataset: str
    dasar_mtime_ns: int | None  # the dataset file the plan was made from (None: no file yet)
    regions: pd.DataFrame | None = None
    nilai: pd.DataFrame | None = None
    program: pd.DataFrame | None = None
    simpul: pd.DataFrame | None = None
    ikatan: pd.DataFrame | None = None
    sumber: pd.DataFrame | None = None
    asal: pd.DataFrame | None = None
    meta: dict = field(default_factory=dict)
    geom_berubah: set[str] = field(default_factory=set)
    daftar: pd.DataFrame | None = None
    katalog: catalog.Katalog | None = None  # the dataset's catalog after the import (None: as the file has it)
    alias: pd.DataFrame | None = None  # the dataset's own ministry aliases (alias, nama), carried over
    jejak: dict = field(default_factory=dict)  # the audit trail's import id and file (sinergi.tindakan)

    @property
    def boleh_diterapkan(self) -> bool:
        return self.laporan.boleh_diterapkan and self.regions is not None


# --- the current dataset -------------------------------------------------------------------------------


def _wilayah_kosong() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in KOLOM_WILAYAH})


def _coba(con, name: str) -> pd.DataFrame | None:
    """A named query, or None when the file predates the table it reads."""
    import duckdb

    try:
        return db.run_query(con, name)
    except duckdb.CatalogException:
        return None


def _dari_wkb(col: pd.Series) -> np.ndarray:
    # DuckDB returns BLOBs as bytearray, which shapely does not take; NULL stays None.
    return shapely.from_wkb(np.array([bytes(b) if isinstance(b, (bytes, bytearray, memoryview)) else None
                                      for b in col], dtype=object))


def baca_saat_ini(nama: str) -> DataSaatIni:
    """Read dataset ``nama`` (``data/<nama>.duckdb``) completely; empty when the file does not exist."""
    path = db.dataset_path(nama)
    empty_sumber = pd.DataFrame({c: pd.Series(dtype=object) for c in KOLOM_SUMBER})
    empty_asal = pd.DataFrame({c: pd.Series(dtype=object) for c in ("kode", "geom_asal", "nama_asal")})
    if not path.exists():
        return DataSaatIni(nama, path, None, _wilayah_kosong(), pd.DataFrame(columns=KOLOM_NILAI), None, None, None,
                           empty_sumber, empty_asal, {})
    mtime = path.stat().st_mtime_ns
    con = db.connect_snapshot(path)
    try:
        r = db.run_query(con, "import_regions")
        r["geom"] = _dari_wkb(r.pop("geom_wkb"))
        r["geom_display"] = _dari_wkb(r.pop("geom_display_wkb"))
        r = r.astype({"nama": object, "kode": object})
        nilai = _coba(con, "import_values")
        if nilai is None or (nilai.empty and _coba(con, "import_sources") is None):
            nilai = db.run_query(con, "village_values_observed")
        meta_df = db.run_query(con, "dataset_info")
        meta = meta_df.iloc[0].to_dict() if len(meta_df) else {}
        program = db.run_query(con, "import_program")
        simpul = db.run_query(con, "import_simpul")
        ikatan = db.run_query(con, "import_ikatan")
        sumber = _coba(con, "import_sources")
        asal = _coba(con, "import_region_sources")
        kat = catalog.dari_tabel(db.run_query(con, "catalog_indicators").to_dict("records"))
        alias = _coba(con, "import_alias")
    except duckdb.IOException as e:  # a damaged block behind a readable catalog
        raise db.mark_damaged(path, e) from e
    finally:
        con.close()
    return DataSaatIni(nama, path, mtime, r, nilai[KOLOM_NILAI], program if len(program) else None,
                       simpul if len(simpul) else None, ikatan if len(ikatan) else None,
                       sumber if sumber is not None else empty_sumber, asal if asal is not None else empty_asal, meta,
                       kat, alias if alias is not None and len(alias) else None)


# --- regions ------------------------------------------------------------------------------------------


def _jenis(kode: str, daftar_jenis: dict[str, str]) -> str:
    lv = kode.count(".") + 1
    if lv == 1:
        return "provinsi"
    if lv == 2:
        j = daftar_jenis.get(kode)
        if j in ("kabupaten", "kota"):
            return j
        # Kemendagri numbering: kabupaten 01–69, kota 71–79.
        return "kota" if int(kode.split(".")[1]) >= 70 else "kabupaten"
    if lv == 3:
        return "kecamatan"
    return regions.jenis_desa(kode)


def _baris_wilayah(kode: str, nama: str, jenis: str) -> dict:
    anc = regions.ancestors(kode)
    lv = kode.count(".") + 1
    return {"kode": kode, "level": lv, "nama": nama, "kode_induk": regions.parent(kode),
            "kode_prov": anc["kode_prov"], "kode_kab": anc["kode_kab"] if lv >= 2 else None,
            "kode_kec": anc["kode_kec"] if lv >= 3 else None, "jenis": jenis, "luas_km2": None,
            "penduduk": None, "lon": None, "lat": None, "geom": None, "geom_display": None}


def _leluhur(kode: str) -> list[str]:
    parts = kode.split(".")
    return [".".join(parts[:n]) for n in range(1, len(parts))]


def tambah_wilayah(cur: pd.DataFrame, asal: pd.DataFrame, baru: pd.DataFrame, daftar: pd.DataFrame | None,
                   nama_induk: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, int]]:
    """Add regions ``baru`` (``kode``, ``nama``; codes not in ``cur``) and every missing ancestor.

    Names: the row's own name, else the code list, else (ancestors) ``nama_induk`` from the file, else a
    placeholder made from the code. Returns the new regions frame, the new provenance frame and counts.
    """
    have = set(cur["kode"])
    d_nama = dict(zip(daftar["kode"], daftar["nama"])) if daftar is not None else {}
    d_jenis = dict(zip(daftar["kode"], daftar["jenis"])) if daftar is not None else {}
    rows, prov = [], []
    for kode, nama in zip(baru["kode"], baru["nama"]):
        if kode in have:
            continue
        have.add(kode)
        if nama:
            src = "tabel"
        elif kode in d_nama:
            nama, src = d_nama[kode], "daftar_kode"
        else:
            nama, src = f"{NAMA_TINGKAT[kode.count('.') + 1]} {kode}", "kode"
        rows.append(_baris_wilayah(kode, nama, _jenis(kode, d_jenis)))
        prov.append((kode, None, src))
    n_induk = 0
    for kode in sorted({a for k in baru["kode"] for a in _leluhur(k)} - have):
        if kode in d_nama:
            nama, src = d_nama[kode], "daftar_kode"
        elif nama_induk.get(kode):
            nama, src = nama_induk[kode], "berkas"
        else:
            nama, src = f"{NAMA_TINGKAT[kode.count('.') + 1]} {kode}", "kode"
        rows.append(_baris_wilayah(kode, nama, _jenis(kode, d_jenis)))
        prov.append((kode, None, src))
        n_induk += 1
    add = pd.DataFrame(rows, columns=KOLOM_WILAYAH)
    out = pd.concat([cur, add], ignore_index=True) if len(add) else cur.copy()
    asal_new = pd.concat([asal, pd.DataFrame(prov, columns=["kode", "geom_asal", "nama_asal"])], ignore_index=True)
    asal_new = asal_new.drop_duplicates("kode", keep="last").reset_index(drop=True)
    return out, asal_new, {"baru": len(rows) - n_induk, "induk": n_induk}


def _nama_induk_dari_berkas(frame: pd.DataFrame) -> dict[str, str]:
    """Parent names carried by a file (columns ``nama_1..3``), keyed by the parent code."""
    out: dict[str, str] = {}
    kode = frame["kode"].to_numpy(dtype=object)
    for lvl in (1, 2, 3):
        col = f"nama_{lvl}"
        if col not in frame:
            continue
        names = frame[col].to_numpy(dtype=object)
        for k, n in zip(kode, names):
            if isinstance(k, str) and n and k.count(".") >= lvl:
                p = ".".join(k.split(".")[:lvl])
                if p not in out:
                    out[p] = str(n).strip()
    return out


# --- matching and suggestions --------------------------------------------------------------------------


def _induk(kode: pd.Series) -> pd.Series:
    return kode.map(lambda k: k.rsplit(".", 1)[0] if isinstance(k, str) and "." in k else None)


def _saran(tolak: pd.DataFrame, cur: pd.DataFrame) -> pd.Series:
    """Closest names (difflib) among regions of the same level under the nearest existing ancestor."""
    out = pd.Series("", index=tolak.index, dtype=object)
    if cur.empty:
        return out
    have = set(cur["kode"])
    groups: dict[tuple[str, int], tuple[list[str], list[str], list[str]]] = {}
    clean = cur["nama"].astype(str).map(regions.clean_name)
    cur = cur.assign(_c=clean)
    todo = tolak[(tolak["nama"].astype(str).str.strip() != "") & tolak["kode"].notna()].head(MAKS_SARAN)
    for idx, kode, nama in zip(todo.index, todo["kode"], todo["nama"]):
        anc = next((a for a in reversed(_leluhur(kode)) if a in have), None)
        if anc is None:
            continue
        lv = kode.count(".") + 1
        key = (anc, lv)
        if key not in groups:
            sub = cur[(cur["level"] == lv) & cur["kode"].str.startswith(anc + ".")]
            groups[key] = (sub["_c"].tolist(), sub["nama"].tolist(), sub["kode"].tolist()) if len(sub) <= 3000 \
                else ([], [], [])
        cands, names, kodes = groups[key]
        if not cands:
            continue
        hits = difflib.get_close_matches(regions.clean_name(nama), cands, n=3, cutoff=0.6)
        pos = {c: i for i, c in enumerate(cands)}
        out[idx] = "; ".join(f"{names[pos[h]]} ({kodes[pos[h]]})" for h in hits)
    return out


def _cocokkan(baris: pd.DataFrame, cur: pd.DataFrame, tambah: bool, sistem_bps: bool,
              resmi: set[str] | None = None) -> pd.DataFrame:
    """Per file row: ``status`` ada | baru | tolak and ``alasan`` for the rejected ones.

    With an official code list (``resmi``), a new region must be on it."""
    kode = baris["kode"].to_numpy(dtype=object)
    have = set(cur["kode"])
    sah = np.array([isinstance(k, str) for k in kode], dtype=bool)
    induk = np.array([k.rsplit(".", 1)[0] if isinstance(k, str) and "." in k else None for k in kode], dtype=object)
    ada = np.array([k in have for k in kode], dtype=bool) & sah
    parent_ok = np.array([p in have for p in induk], dtype=bool)
    if tambah or cur.empty:
        baru = sah & ~ada
    else:
        lv = np.array([k.count(".") + 1 if isinstance(k, str) else 0 for k in kode])
        with_children = set(zip(cur["kode_induk"].dropna(), cur.loc[cur["kode_induk"].notna(), "level"].astype(int)))
        childless = np.array([(p, int(v)) not in with_children for p, v in zip(induk, lv)], dtype=bool)
        baru = sah & ~ada & parent_ok & childless
    luar_daftar = np.zeros(len(kode), dtype=bool)
    if resmi is not None:
        luar_daftar = baru & np.array([k not in resmi for k in kode], dtype=bool)
        baru &= ~luar_daftar
    status = np.where(ada, "ada", np.where(baru, "baru", "tolak"))
    tidak_sah = "kode BPS tidak ada di crosswalk" if sistem_bps else "bukan kode wilayah Kemendagri"
    alasan = np.array([
        "" if s != "tolak" else tidak_sah if not ok else "kode tidak ada di daftar kode resmi" if ld else
        f"wilayah induk {p} tidak ada di dataset" if p is not None and not pok else "kode tidak ada di dataset"
        for s, ok, p, pok, ld in zip(status, sah, induk, parent_ok, luar_daftar)], dtype=object)
    return baris.assign(status=status, alasan=alasan)


# --- plans ----------------------------------------------------------------------------------------------


def _mulai(jenis: str, berkas: str, dataset: str) -> tuple[Laporan, DataSaatIni | None]:
    lap = Laporan(jenis, berkas, dataset)
    try:
        db.dataset_path(dataset)
    except db.DataError:
        lap.tambah(GALAT, f"Nama dataset {dataset!r} tidak sah: gunakan huruf kecil, angka dan garis bawah, "
                          "diawali huruf (mis. 'diy_2024').")
        return lap, None
    try:
        cur = baca_saat_ini(dataset)
    except db.DataError as e:  # the target's file is damaged: nothing to merge with
        from sinergi import datasets

        lap.tambah(GALAT, f"{e} {datasets.perbaikan(e)}")
        return lap, None
    if cur.demo or dataset == "demo":
        lap.tambah(GALAT, "Dataset demo tidak dapat dicampur dengan data impor: pilih nama dataset lain "
                          "(mis. 'impor').")
        return lap, None
    return lap, cur


def _opsi_tambahan(lap: Laporan, crosswalk, kode_wilayah, batas_mb):
    cw = codes.Crosswalk.baca(crosswalk, batas_mb) if crosswalk else None
    daftar = codes.baca_daftar_kode(kode_wilayah, batas_mb) if kode_wilayah else None
    if cw:
        lap.tambah(INFO, f"Crosswalk BPS–Kemendagri {cw.berkas}: {len(cw.peta):,} pasangan kode.".replace(",", "."))
    if daftar is not None:
        lap.tambah(INFO, f"Daftar kode resmi: {len(daftar):,} wilayah.".replace(",", "."))
    return cw, daftar


def _baris_sumber(cur: DataSaatIni, lap: Laporan, sumber: str | None, lisensi: str | None) -> pd.DataFrame:
    urut = int(cur.sumber["urut"].max()) + 1 if len(cur.sumber) else 1
    row = {"urut": urut, "jenis": lap.jenis, "berkas": lap.berkas, "format": lap.format, "tingkat": lap.tingkat,
           "baris": lap.baris, "cocok": lap.diterima,
           "tahun": ", ".join(str(t) for t in lap.tahun) or None, "sumber": sumber, "lisensi": lisensi,
           "diimpor_pada": pd.Timestamp.now(tz="UTC").tz_localize(None)}
    new = pd.DataFrame([row], columns=KOLOM_SUMBER)
    return pd.concat([cur.sumber, new], ignore_index=True) if len(cur.sumber) else new


def siapkan_batas(path: Path | str, dataset: str, *, tingkat: int | None = None, kolom_kode: str | None = None,
                  kolom_nama: str | None = None, sistem: str | None = None, crosswalk: Path | str | None = None,
                  kode_wilayah: Path | str | None = None, crs: str | None = None, sumber: str | None = None,
                  lisensi: str | None = None, batas_mb: float = files.BATAS_UKURAN_MB,
                  nama_berkas: str | None = None) -> Rencana:
    """Validate a boundary file against dataset ``dataset`` and merge it in memory (nothing is written)."""
    t0 = time.perf_counter()
    lap, cur = _mulai("batas", nama_berkas or Path(path).name, dataset)
    if cur is None:
        return Rencana(lap, dataset, None)
    try:
        cw, daftar = _opsi_tambahan(lap, crosswalk, kode_wilayah, batas_mb)
        b = boundaries.baca_batas(path, lap, tingkat=tingkat, kolom_kode=kolom_kode, kolom_nama=kolom_nama,
                                  sistem=sistem, crosswalk=cw, crs=crs, batas_mb=batas_mb)
    except ImporGagal as e:
        lap.tambah(GALAT, str(e))
        return Rencana(lap, dataset, cur.mtime_ns)
    if lap.galat:
        return Rencana(lap, dataset, cur.mtime_ns)
    have = set(cur.regions["kode"])
    ada = b["kode"].isin(have)
    lap.sudah_ada, lap.baru = int(ada.sum()), int((~ada).sum())
    if daftar is not None:
        luar = b.loc[~b["kode"].isin(set(daftar["kode"])), "kode"]
        if len(luar):
            lap.tambah(PERINGATAN, f"{len(luar)} kode tidak ada di daftar kode resmi (kode lama atau salah?); "
                                   "tetap diimpor.", luar.head(10).tolist())
    else:
        lap.tambah(INFO, "Tanpa daftar kode resmi: geometri wilayah induk dibentuk dari gabungan wilayah anak yang "
                         "ada di dataset; kelengkapannya tidak dapat diperiksa.")
    if lap.tingkat and lap.tingkat > 1:
        lap.tambah(INFO, f"Celah antarwilayah yang lebih sempit dari {TOLERANSI_CELAH_M:g} m ditutup saat wilayah "
                         "induk dibentuk dari gabungan wilayah anaknya; jumlah dan luasnya dilaporkan saat diterapkan.")
    reg = cur.regions.copy()
    idx = pd.Series(reg.index, index=reg["kode"])
    hit = b[ada]
    pos = idx.reindex(hit["kode"]).to_numpy()
    geoms = reg["geom"].to_numpy(dtype=object).copy()
    geoms[pos] = hit["geom"].to_numpy(dtype=object)
    reg["geom"] = geoms
    named = hit["nama"].astype(str).str.strip() != ""
    reg.loc[pos[named.to_numpy()], "nama"] = hit.loc[named, "nama"].to_numpy()
    asal = cur.asal.copy()
    new_asal = pd.DataFrame({"kode": hit["kode"], "geom_asal": np.where(hit["geom"].notna(), "berkas", None),
                             "nama_asal": np.where(named, "berkas", None)})
    keep_name = asal.set_index("kode")["nama_asal"] if len(asal) else pd.Series(dtype=object)
    new_asal["nama_asal"] = new_asal["nama_asal"].where(new_asal["nama_asal"].notna(),
                                                        new_asal["kode"].map(keep_name))
    asal = pd.concat([asal[~asal["kode"].isin(set(hit["kode"]))], new_asal], ignore_index=True)

    fresh = b[~ada]
    reg, asal, n = tambah_wilayah(reg, asal, fresh[["kode", "nama"]].assign(nama=fresh["nama"].astype(str)),
                                  daftar, _nama_induk_dari_berkas(b))
    # The fresh rows' geometry and file names.
    idx = pd.Series(reg.index, index=reg["kode"])
    pos = idx.reindex(fresh["kode"]).to_numpy()
    geoms = reg["geom"].to_numpy(dtype=object).copy()
    geoms[pos] = fresh["geom"].to_numpy(dtype=object)
    reg["geom"] = geoms
    has_geom = set(fresh.loc[fresh["geom"].notna(), "kode"])
    asal.loc[asal["kode"].isin(has_geom), "geom_asal"] = "berkas"
    asal.loc[asal["kode"].isin(set(fresh.loc[fresh["nama"].astype(str) != "", "kode"])), "nama_asal"] = "berkas"
    if n["induk"]:
        lap.tambah(INFO, f"{n['induk']} wilayah induk ditambahkan dari kode (nama dari daftar kode, kolom nama induk "
                         "di berkas, atau kodenya).")
    nama_prov = _nama_prov(reg)
    lap.per_provinsi = per_provinsi(b["kode"], pd.Series(True, index=b.index), ada, nama_prov)
    if len(lap.tidak_cocok):
        lap.per_provinsi = per_provinsi(
            pd.concat([b["kode"], lap.tidak_cocok["kode"]], ignore_index=True),
            pd.Series([True] * len(b) + [False] * len(lap.tidak_cocok)),
            pd.Series(list(ada) + [False] * len(lap.tidak_cocok)), nama_prov)
    sumber = sumber or f"Batas wilayah: {lap.berkas}"
    r = Rencana(lap, dataset, cur.mtime_ns, regions=reg.reset_index(drop=True), nilai=cur.nilai,
                program=cur.program, simpul=cur.simpul, ikatan=cur.ikatan,
                sumber=_baris_sumber(cur, lap, sumber, lisensi), asal=asal, meta=dict(cur.meta),
                geom_berubah=set(b.loc[b["geom"].notna(), "kode"]), daftar=daftar, katalog=cur.katalog,
                alias=cur.alias)
    lap.tambah(INFO, f"Pemeriksaan selesai dalam {time.perf_counter() - t0:.1f} detik.")
    return r


def _nama_prov(reg: pd.DataFrame) -> dict[str, str]:
    p = reg[reg["level"] == 1]
    return dict(zip(p["kode"], p["nama"]))


def siapkan_indikator(path: Path | str, dataset: str, *, kolom_kode: str | None = None,
                      kolom_nama: str | None = None, sistem: str | None = None,
                      crosswalk: Path | str | None = None, tahun: int | None = None,
                      peta_kolom: dict[str, str] | None = None, kode_wilayah: Path | str | None = None,
                      tambah: bool = False, sumber: str | None = None, lisensi: str | None = None,
                      batas_mb: float = files.BATAS_UKURAN_MB, lembar: str | None = None,
                      nama_berkas: str | None = None, metadata: Path | str | None = None,
                      nama_metadata: str | None = None, tema_bawaan: str | None = None,
                      kolom_pilih: list[str] | None = None, deskripsi: list[dict] | None = None) -> Rencana:
    """Validate an indicator table against dataset ``dataset`` and merge it in memory (nothing is written).

    ``metadata`` is the table's metadata file (``datapackage.json`` or a kamus CSV/XLSX, see
    :mod:`sinergi.importers.meta`), ``deskripsi`` descriptions typed on Kelola Data (kamus rows: ``kolom,
    nama, tema, satuan, arah, agregasi``); ``tema_bawaan`` the theme of described indicators whose metadata
    names none; ``kolom_pilih`` the only columns read as indicators."""
    t0 = time.perf_counter()
    lap, cur = _mulai("indikator", nama_berkas or Path(path).name, dataset)
    if cur is None:
        return Rencana(lap, dataset, None)
    try:
        cw, daftar = _opsi_tambahan(lap, crosswalk, kode_wilayah, batas_mb)
        if metadata is not None:
            lap.metadata = nama_metadata or Path(metadata).name
            files.periksa_ukuran(metadata, batas_mb)  # before the table is read: say it at once

        def baca_meta(kolom: set[str]) -> meta.Metadata | None:
            md = None
            if metadata is not None:
                md = meta.baca(metadata, lap, cur.katalog, nama_berkas=lap.metadata, nama_tabel=lap.berkas,
                               tema_bawaan=tema_bawaan, kolom=kolom, batas_mb=batas_mb)
            if deskripsi:
                form = meta.dari_formulir(deskripsi, lap, cur.katalog, kolom)
                md = md.gabung(form) if md is not None else form
            return md

        nt = tables.baca_indikator(path, lap, kolom_kode=kolom_kode, kolom_nama=kolom_nama, sistem=sistem,
                                   crosswalk=cw, tahun=tahun, peta_kolom=peta_kolom, batas_mb=batas_mb,
                                   lembar=lembar, katalog=cur.katalog, meta=baca_meta, kolom_pilih=kolom_pilih)
    except ImporGagal as e:
        lap.tambah(GALAT, str(e))
        return Rencana(lap, dataset, cur.mtime_ns)
    if cur.regions.empty:
        lap.tambah(INFO, "Dataset baru: wilayah dibentuk dari kode di tabel (tanpa geometri; impor batas wilayah "
                         "untuk peta).")
    elif tambah:
        lap.tambah(INFO, "Kode yang belum ada di dataset ditambahkan sebagai wilayah baru (tanpa geometri).")
    m, reg, asal = cocokkan_wilayah(nt.baris, cur, lap, tambah, daftar)
    ada, baru = (m["status"] == "ada"), (m["status"] == "baru")

    ok_rows = set(m.loc[ada | baru, "baris"])
    new_vals = nt.nilai[nt.nilai["baris"].isin(ok_rows)][KOLOM_NILAI]
    merged = gabung_nilai(cur.nilai, new_vals, lap)
    if lap.diterima == 0 and not lap.galat:
        lap.tambah(GALAT, "Tidak ada baris yang cocok dengan wilayah di dataset: tidak ada yang dapat diimpor. "
                          "Periksa kolom kode, sistem kode (Kemendagri/BPS) atau impor batas wilayahnya dulu.")
    if new_vals.empty and not lap.galat:
        lap.tambah(GALAT, "Tidak ada nilai yang dapat diimpor dari baris yang cocok.")
    sumber = sumber or (f"{nt.sumber_bawaan} {', '.join(map(str, lap.tahun))}".strip() if nt.sumber_bawaan
                        else f"Tabel indikator: {lap.berkas}")
    lap.format = f"{lap.format}, {nt.tata_letak}"
    r = Rencana(lap, dataset, cur.mtime_ns, regions=reg, nilai=merged, program=cur.program, simpul=cur.simpul,
                ikatan=cur.ikatan, sumber=_baris_sumber(cur, lap, sumber, lisensi), asal=asal,
                meta=dict(cur.meta), daftar=daftar, katalog=nt.katalog or cur.katalog, alias=cur.alias)
    lap.tambah(INFO, f"Pemeriksaan selesai dalam {time.perf_counter() - t0:.1f} detik.")
    return r


def gabung_nilai(lama: pd.DataFrame, baru: pd.DataFrame, lap: Laporan) -> pd.DataFrame:
    """The dataset's values with ``baru`` (``kode, tahun, indikator, nilai``) replacing those of the same
    region, year and indicator; counts go into ``lap.nilai_baru`` / ``lap.nilai_diganti``."""
    key = ["kode", "tahun", "indikator"]
    old = lama.astype({"tahun": int}) if len(lama) else lama
    if len(old):
        mk = old.merge(baru[key], on=key, how="left", indicator=True)["_merge"].eq("both").to_numpy()
        lap.nilai_diganti = int(mk.sum())
        merged = pd.concat([old[~mk], baru], ignore_index=True)
    else:
        merged = baru.reset_index(drop=True)
    lap.nilai_baru = len(baru) - lap.nilai_diganti
    return merged


def cocokkan_wilayah(baris: pd.DataFrame, cur: DataSaatIni, lap: Laporan, tambah: bool,
                     daftar: pd.DataFrame | None, apa: str = "nilainya") -> tuple[pd.DataFrame, pd.DataFrame,
                                                                                pd.DataFrame]:
    """Match a table's rows (``baris``: ``baris, kode_asal, kode, nama``, parent names) with the dataset's
    regions (rules in the module docstring), report it in ``lap`` and add the new regions and parents.
    Returns the rows with ``status`` (ada | baru | tolak) and ``alasan``, the regions and the provenance."""
    sistem_bps = any("BPS" in v for v in lap.kolom.values())
    m = _cocokkan(baris, cur.regions, tambah, sistem_bps, set(daftar["kode"]) if daftar is not None else None)
    ada, baru = (m["status"] == "ada"), (m["status"] == "baru")
    lap.sudah_ada, lap.baru = int(ada.sum()), int(baru.sum())
    tolak = m[m["status"] == "tolak"].copy()
    tolak["mirip"] = _saran(tolak, cur.regions)
    lap.tidak_cocok = tolak[["baris", "kode_asal", "kode", "nama", "alasan", "mirip"]].reset_index(drop=True)
    if len(tolak):
        alasan = tolak["alasan"].str.replace(r" \d[\d.]*", " …", regex=True).value_counts()
        lap.tambah(PERINGATAN, f"{len(tolak):,} baris tidak cocok dengan wilayah di dataset; {apa} tidak diimpor."
                   .replace(",", "."), [f"{a}: {n:,}".replace(",", ".") for a, n in alasan.items()])
    _cek_nama(m[ada], cur.regions, lap)

    reg, asal, n = tambah_wilayah(cur.regions, cur.asal,
                                  m.loc[baru, ["kode", "nama"]].drop_duplicates("kode"), daftar,
                                  _nama_induk_dari_berkas(m[baru]))
    if n["baru"] or n["induk"]:
        lap.tambah(INFO, f"{n['baru']:,} wilayah baru dan {n['induk']:,} wilayah induk ditambahkan (tanpa geometri)."
                   .replace(",", "."))
    nama_prov = {**{k: v for k, v in _nama_induk_dari_berkas(m).items() if k.count(".") == 0}, **_nama_prov(reg)}
    lap.per_provinsi = per_provinsi(m["kode"], ada | baru, ada, nama_prov)
    prov_ada = set(cur.regions.loc[cur.regions["level"] == 1, "kode"])
    if prov_ada and not tambah:
        in_scope = lap.per_provinsi[lap.per_provinsi["kode_prov"].isin(prov_ada)]
        if len(in_scope) and in_scope["baris"].sum() < lap.baris:
            lap.persen_cakupan = 100.0 * in_scope["diterima"].sum() / in_scope["baris"].sum()
    return m, reg, asal


def _cek_nama(ada: pd.DataFrame, cur: pd.DataFrame, lap: Laporan) -> None:
    """Report matched rows whose name differs from the region's name (a sign of a code mix-up)."""
    if ada.empty or not (ada["nama"].astype(str).str.strip() != "").any():
        return
    names = dict(zip(cur["kode"], cur["nama"]))
    a = ada[ada["nama"].astype(str).str.strip() != ""]
    mine = a["nama"].astype(str).map(regions.clean_name)
    theirs = a["kode"].map(names).astype(str).map(regions.clean_name)
    norm = lambda s: s.str.replace(r"[^0-9a-z]", "", regex=True)
    beda = a[(norm(mine) != norm(theirs)).to_numpy()]
    if len(beda):
        lap.tambah(PERINGATAN, f"{len(beda)} baris cocok kodenya tetapi namanya berbeda dengan nama di dataset "
                               "(periksa apakah kodenya benar).",
                   [f"{r.kode}: {r.nama!r} ≠ {names[r.kode]!r}" for r in beda.head(10).itertuples()])
    else:
        lap.tambah(INFO, f"Nama cocok untuk semua {len(a):,} baris yang cocok kodenya.".replace(",", "."))


# The steps the other import kinds (programmes, institutions, ties, population) share with these two.
mulai = _mulai
opsi_tambahan = _opsi_tambahan
baris_sumber = _baris_sumber

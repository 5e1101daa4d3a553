"""Reading boundary files: GeoJSON, GeoPackage and zipped Shapefile → one row per region code.

- Any CRS with a definition (a ``.prj`` in the ZIP, the GPKG's own, GeoJSON's WGS84) is reprojected
  to WGS84 lon/lat (EPSG:4326). A Shapefile without ``.prj`` is refused unless the CRS is named.
- Invalid polygons are repaired with ``sinergi.geo.make_valid_polygonal`` (polygonal parts kept,
  multipolygons kept); features sharing a code are merged into one multipolygon.
- Code and name fields are detected (``kode``, ``kode_num``, ``KDEPUM``, ``KODE_DESA``, ``IDDESA`` (BPS,
  through a crosswalk), ``nama``, ``NAMOBJ``, ``WADMKD`` …) or named; the level comes from the code length.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from sinergi import geo, regions
from sinergi.importers import ImporGagal, codes, files
from sinergi.importers.report import GALAT, INFO, PERINGATAN, Laporan

FORMAT = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg", ".zip": "shp"}
# Mainland and islands of Indonesia with a margin (lon/lat degrees): outside means a wrong CRS or file.
KOTAK_INDONESIA = (90.0, -15.0, 145.0, 10.0)


def _sumber_zip(p: Path, batas_mb: float) -> tuple[str, bool]:
    """GDAL path of the layer inside a ZIP and whether its CRS file is present."""
    if not zipfile.is_zipfile(p):
        raise ImporGagal(f"{p.name} bukan berkas ZIP yang sah.")
    with zipfile.ZipFile(p) as z:
        infos = [i for i in z.infolist() if not i.is_dir() and "__MACOSX" not in i.filename]
        if sum(i.file_size for i in infos) > 4 * batas_mb * files.MB:
            raise ImporGagal(f"Isi ZIP {p.name} terlalu besar setelah diekstrak (lebih dari {4 * batas_mb:g} MB).")
        names = [i.filename for i in infos]
    shp = [n for n in names if n.lower().endswith(".shp")]
    if not shp:
        other = [n for n in names if n.lower().endswith((".geojson", ".json", ".gpkg"))]
        if len(other) == 1:
            return f"/vsizip/{p.resolve()}/{other[0]}", True
        raise ImporGagal(
            f"ZIP {p.name} tidak berisi berkas .shp. Shapefile harus diunggah sebagai satu ZIP berisi "
            f".shp, .shx, .dbf dan .prj. Isi ZIP: {', '.join(names[:10]) or '(kosong)'}."
        )
    if len(shp) > 1:
        raise ImporGagal(f"ZIP {p.name} berisi lebih dari satu .shp ({', '.join(shp)}); unggah satu lapisan per ZIP.")
    stem = shp[0][:-4]
    lower = {n.lower() for n in names}
    missing = [ext for ext in (".shx", ".dbf") if (stem + ext).lower() not in lower]
    if missing:
        raise ImporGagal(f"Shapefile di {p.name} tidak lengkap: tidak ada {', '.join(missing)}. "
                         "Sertakan .shp, .shx, .dbf dan .prj dalam satu ZIP.")
    return f"/vsizip/{p.resolve()}/{shp[0]}", (stem + ".prj").lower() in lower


def baca_geo(path: Path | str, *, crs: str | None = None, batas_mb: float = files.BATAS_UKURAN_MB,
             lapisan: str | None = None):
    """Read a boundary file into a GeoDataFrame in EPSG:4326; returns ``(gdf, format, crs_asal)``."""
    import pyogrio

    p = Path(path)
    files.periksa_ukuran(p, batas_mb)
    fmt = FORMAT.get(p.suffix.lower())
    if p.suffix.lower() == ".shp":
        raise ImporGagal("Unggah shapefile sebagai satu ZIP berisi .shp, .shx, .dbf dan .prj.")
    if fmt is None:
        raise ImporGagal(f"Format batas {p.suffix or '(tanpa ekstensi)'} tidak dikenal: gunakan GeoJSON "
                         "(.geojson), GeoPackage (.gpkg) atau Shapefile dalam ZIP (.zip).")
    src, ada_prj = (_sumber_zip(p, batas_mb) if fmt == "shp" else (str(p), True))
    try:
        if lapisan is None and fmt == "gpkg":
            layers = pyogrio.list_layers(src)
            poly = [n for n, t in layers if t and "polygon" in str(t).lower()]
            lapisan = poly[0] if poly else (layers[0][0] if len(layers) else None)
        gdf = pyogrio.read_dataframe(src, layer=lapisan)
    except ImporGagal:
        raise
    except Exception as e:  # pyogrio/GDAL raise several error types for unreadable files
        raise ImporGagal(f"Berkas batas {p.name} tidak dapat dibaca: {str(e).splitlines()[0][:200]}") from e
    if len(gdf) == 0:
        raise ImporGagal(f"Berkas batas {p.name} tidak berisi fitur.")
    if (gdf.crs is None or not ada_prj) and crs is None:
        raise ImporGagal(
            f"Sistem koordinat (CRS) {p.name} tidak diketahui: tidak ada berkas .prj. Sertakan .prj "
            "di dalam ZIP atau sebutkan CRS-nya (mis. EPSG:4326 atau EPSG:32749)."
        )
    if crs is not None:
        try:
            gdf = gdf.set_crs(crs, allow_override=True)
        except Exception as e:
            raise ImporGagal(f"CRS {crs!r} tidak dikenal: {e}") from e
    asal_txt = gdf.crs.to_string()
    if gdf.crs.to_epsg() != 4326:
        try:
            gdf = gdf.to_crs("EPSG:4326")
        except Exception as e:
            raise ImporGagal(f"Koordinat tidak dapat diubah dari {asal_txt} ke WGS84: {e}") from e
    return gdf, fmt, asal_txt


def _teks(col: pd.Series) -> pd.Series:
    s = col.astype(object)
    return s.where(s.notna(), "").map(str).str.strip()


def baca_batas(path: Path | str, laporan: Laporan, *, tingkat: int | None = None, kolom_kode: str | None = None,
               kolom_nama: str | None = None, sistem: str | None = None, crosswalk: codes.Crosswalk | None = None,
               crs: str | None = None, batas_mb: float = files.BATAS_UKURAN_MB) -> pd.DataFrame:
    """Read a boundary file into ``baris, kode_asal, kode, nama, geom, nama_1, nama_2, nama_3``.

    One row per code (features with the same code merged). ``geom`` holds valid (Multi)Polygons in
    WGS84, or None. ``nama_1..3`` are parent names from the file where it carries them. Counts,
    repairs and unreadable codes go into ``laporan``; unrecoverable problems raise :class:`ImporGagal`.
    """
    gdf, fmt, asal = baca_geo(path, crs=crs, batas_mb=batas_mb)
    laporan.format = fmt
    laporan.baris = len(gdf)
    if asal and "4326" not in asal and "CRS84" not in asal:
        laporan.tambah(INFO, f"Koordinat diproyeksikan ulang dari {asal} ke WGS84 (EPSG:4326).")
    attrs = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    if attrs.shape[1] == 0:
        raise ImporGagal("Berkas batas tidak punya atribut: tidak ada kolom kode wilayah.")
    text = pd.DataFrame({c: _teks(attrs[c]) for c in attrs.columns})
    kk = codes.deteksi_kolom_kode(text, kolom_kode, sistem)
    raw = text[kk.kolom]
    if kk.sistem == "bps":
        if crosswalk is None:
            raise ImporGagal(f"Kolom {kk.kolom} berisi kode BPS: sertakan berkas crosswalk BPS–Kemendagri "
                             "(mis. bps_dagri_crosswalk.csv).")
        kode = crosswalk.ke_kemendagri(raw)
    else:
        kode = codes.normalkan(raw)
    laporan.kolom[kk.kolom] = f"kode ({'BPS lewat crosswalk' if kk.sistem == 'bps' else 'Kemendagri'})"

    geoms = np.asarray(gdf.geometry.values, dtype=object)
    geoms = _periksa_geometri(geoms, laporan)

    lv = kode.map(lambda k: k.count(".") + 1 if isinstance(k, str) else 0)
    if tingkat is None:
        counts = lv[lv > 0].value_counts()
        if counts.empty:
            raise ImporGagal(f"Tidak ada kode wilayah yang sah di kolom {kk.kolom} "
                             f"(contoh: {', '.join(raw.head(3))}). Kode harus Kemendagri 2/4/6/10 digit.")
        tingkat = int(counts.index[0])
    laporan.tingkat = tingkat
    kn = codes.deteksi_kolom_nama(text, kolom_nama, tingkat)
    nama = text[kn] if kn else pd.Series("", index=text.index)
    if kn:
        laporan.kolom[kn] = "nama"
    else:
        laporan.tambah(PERINGATAN, "Kolom nama tidak ditemukan: nama wilayah baru dibuat dari kodenya.")

    out = pd.DataFrame({"baris": np.arange(1, len(gdf) + 1), "kode_asal": raw.to_numpy(),
                        "kode": kode.to_numpy(), "nama": nama.to_numpy(), "geom": geoms})
    for lvl, col in codes.kolom_nama_induk(text, tingkat).items():
        out[f"nama_{lvl}"] = text[col].to_numpy()
        laporan.kolom[col] = f"nama induk ({regions.LEVEL_NAMES[lvl]})"

    bad = out["kode"].isna()
    other = ~bad & (lv.to_numpy() != tingkat)
    alasan = np.where(bad, "bukan kode Kemendagri" if kk.sistem != "bps" else "kode BPS tidak ada di crosswalk",
                      f"bukan kode tingkat {tingkat}")
    ditolak = out[bad | other].assign(alasan=alasan[(bad | other).to_numpy()])
    out = out[~(bad | other)]
    if len(ditolak):
        laporan.tambah(PERINGATAN, f"{len(ditolak)} fitur dilewati: kodenya tidak dapat dipakai.",
                       [f"fitur {r.baris}: {r.kode_asal!r} ({r.alasan})" for r in ditolak.head(10).itertuples()])
    laporan.tidak_cocok = ditolak.assign(mirip="")[["baris", "kode_asal", "kode", "nama", "alasan", "mirip"]]
    if out.empty:
        laporan.tambah(GALAT, "Tidak ada fitur dengan kode wilayah yang sah: tidak ada yang dapat diimpor.")
        return out
    return _gabung_duplikat(out, laporan)


def _periksa_geometri(geoms: np.ndarray, laporan: Laporan) -> np.ndarray:
    """Repair invalid polygons, drop non-polygonal features' geometry, check lon/lat bounds."""
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    poly = geo.is_poligonal(geoms)
    nonpoly = ~missing & ~poly
    if nonpoly.all():
        raise ImporGagal("Geometri di berkas bukan poligon (titik atau garis): batas wilayah harus poligon.")
    if nonpoly.any():
        laporan.tambah(PERINGATAN, f"{int(nonpoly.sum())} fitur bukan poligon; geometrinya diabaikan.")
        geoms = geoms.copy()
        geoms[nonpoly] = None
    invalid = ~missing & poly & ~shapely.is_valid(np.where(missing, None, geoms))
    if invalid.any():
        geoms = geoms.copy()
        geoms[invalid] = geo.make_valid_polygonal(geoms[invalid])
        laporan.geometri_diperbaiki = int(invalid.sum())
        laporan.tambah(INFO, f"{int(invalid.sum())} poligon tidak sah (mis. berpotongan sendiri) diperbaiki.")
        emptied = invalid & shapely.is_empty(geoms)
        if emptied.any():
            geoms[emptied] = None
            laporan.tambah(PERINGATAN, f"{int(emptied.sum())} poligon kosong setelah diperbaiki; geometrinya dibuang.")
    if missing.any():
        geoms = geoms.copy()
        geoms[missing] = None
        laporan.tambah(PERINGATAN, f"{int(missing.sum())} fitur tanpa geometri (wilayah tetap dicatat tanpa peta).")
    present = geoms[~shapely.is_missing(geoms)]
    if len(present):
        x0, y0, x1, y1 = shapely.total_bounds(present)
        if x0 < -180 or x1 > 180 or y0 < -90 or y1 > 90:
            raise ImporGagal("Koordinat bukan derajat bujur/lintang: CRS berkas salah atau tidak disebutkan.")
        kx0, ky0, kx1, ky1 = KOTAK_INDONESIA
        if x1 < kx0 or x0 > kx1 or y1 < ky0 or y0 > ky1:
            laporan.tambah(PERINGATAN, "Semua geometri berada di luar Indonesia: periksa CRS berkas.")
    return geoms


def _gabung_duplikat(out: pd.DataFrame, laporan: Laporan) -> pd.DataFrame:
    dup = out["kode"].duplicated(keep=False)
    if not dup.any():
        return out.reset_index(drop=True)
    laporan.duplikat = int(out["kode"].duplicated().sum())
    laporan.tambah(PERINGATAN, f"{int(dup.sum())} fitur berbagi {out.loc[dup, 'kode'].nunique()} kode; "
                   "geometrinya digabung menjadi satu multipoligon per kode.",
                   sorted(out.loc[dup, "kode"].unique())[:10])
    first = out.drop_duplicates("kode").set_index("kode")
    merged = out[dup].groupby("kode")["geom"].agg(
        lambda g: shapely.union_all([x for x in g if x is not None]) if any(x is not None for x in g) else None)
    first.loc[merged.index, "geom"] = geo.make_valid_polygonal(np.asarray(merged.to_numpy(), dtype=object))
    return first.reset_index()[out.columns].reset_index(drop=True)

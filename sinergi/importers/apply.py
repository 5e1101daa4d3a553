"""Applying a plan: finish geometries, aggregate, build the new database aside, swap it in atomically.

The new file is written beside the target (``data/.<name>.duckdb.baru-…``) by
``sinergi.build.write_database`` plus the provenance tables, and only then renamed over
``data/<name>.duckdb`` (``os.replace``, atomic on one file system). Until that rename the previous
file is untouched, so a failure, an interruption or a cancelled import leaves the running app serving
the old data. Sessions holding the old file open keep reading it; ``sinergi.data`` keys its caches on
the file's modification time, so new queries see the new file. A process killed mid-import leaves only
its temporary files, which the next import (or the app's next start) removes; the kernel releases its
lock on the data folder.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import shapely

from sinergi import aggregate, build, catalog, coverage, db, folders, geo
from sinergi.importers import ImporGagal, derived, population
from sinergi.importers.plan import KOLOM_WILAYAH, Rencana

Progress = Callable[[float, str], None]


def _noop(_f: float, _m: str) -> None:
    pass


@contextmanager
def _kunci(target: Path):
    """One import at a time: the data folder's write lock (``sinergi.folders.kunci_folder``), which the demo
    build and setting files aside share, so a leftover found while holding it is certainly stale."""
    try:
        with folders.kunci_folder(target.parent):
            yield
    except folders.FolderSibuk:
        raise ImporGagal("Impor lain sedang berjalan; tunggu sampai selesai lalu periksa ulang.") from None


def periksa_folder() -> None:
    """Refuse an import up front, before any file is read, when the data folder is not writable: raises
    :class:`ImporGagal` with the reason; nothing is changed."""
    try:
        folders.pastikan_bisa_ditulis(db.data_dir())
    except db.DataError as e:
        raise ImporGagal(str(e)) from None


# --- geometry ----------------------------------------------------------------------------------------


def _lengkap(parent: str, children: pd.DataFrame, daftar_anak: dict[str, set[str]]) -> bool:
    """Every child in the dataset has a geometry and, with a code list, every listed child is present."""
    if children.empty or children["geom"].isna().any():
        return False
    listed = daftar_anak.get(parent)
    return listed is None or listed <= set(children["kode"])


def selesaikan_geometri(r: Rencana, progress: Progress = _noop) -> pd.DataFrame:
    """Regions with union geometries for parents without their own boundary, display geometries per
    level (``sinergi.geo.display_geometry``), area (km², equal-area) and a point on the surface.

    Gaps between the children narrower than ``sinergi.coverage.TOLERANSI_CELAH_M`` are closed at the
    union (``coverage.union_closing_gaps``); what was closed per level goes into ``r.laporan.celah``.

    Only parents of changed geometries are recomputed, and only levels with a change get new display
    geometries, so an indicator import does not touch the maps. A level's display geometries are
    simplified in a worker thread as soon as the level is final (GEOS releases the GIL), while the
    unions of the levels above are still being built.
    """
    reg = r.regions[KOLOM_WILAYAH].copy().reset_index(drop=True)
    asal = dict(zip(r.asal["kode"], r.asal["geom_asal"])) if r.asal is not None and len(r.asal) else {}
    daftar_anak: dict[str, set[str]] = {}
    if r.daftar is not None:
        d = r.daftar[r.daftar["level"] > 1]
        par = d["kode"].str.rsplit(".", n=1).str[0]
        for p, k in zip(par, d["kode"]):
            daftar_anak.setdefault(p, set()).add(k)
    changed = set(r.geom_berubah)
    geoms = reg["geom"].to_numpy(dtype=object).copy()
    levels = reg["level"].to_numpy(dtype=int)
    pos = pd.Series(reg.index, index=reg["kode"])
    disp = reg["geom_display"].to_numpy(dtype=object).copy()

    def tampilan(level: int) -> None:
        at = levels == level
        sel = at & ~shapely.is_missing(geoms)
        out = geo.display_geometry(geoms[sel], level) if sel.any() else None
        disp[at] = None
        if out is not None:
            disp[sel] = out

    def berubah(level: int) -> bool:
        return any(k.count(".") + 1 == level for k in changed)

    with ThreadPoolExecutor(max_workers=max(1, min(3, (os.cpu_count() or 1)))) as pool:
        jobs = [pool.submit(tampilan, 4)] if berubah(4) else []
        for level in (3, 2, 1):
            parents = {_induk(k) for k in changed if k.count(".") + 1 == level + 1}
            parents = {p for p in parents if p in pos.index and asal.get(p) != "berkas"}
            if parents:
                progress(0.05 + 0.1 * (3 - level), f"Menyusun geometri tingkat {level} dari wilayah anaknya")
                kids = reg[reg["kode_induk"].isin(parents)].assign(geom=lambda f: geoms[f.index])
                groups = {p: g["geom"].to_numpy(dtype=object) for p, g in kids.groupby("kode_induk")
                          if _lengkap(p, g, daftar_anak)}
                # gaps between the children (simplified one by one in most files) are closed at the union
                unions, celah = coverage.union_closing_gaps(list(groups.values()), tetangga=geoms[levels == level + 1])
                if celah.induk:
                    r.laporan.celah[level] = celah
                unions = dict(zip(groups, unions))
                for p in kids["kode_induk"].unique():
                    new = unions.get(p)
                    i = pos[p]
                    if geoms[i] is not None or new is not None:
                        geoms[i] = new
                        asal[p] = "gabungan" if new is not None else None
                        changed.add(p)
            if berubah(level):  # this level is final: simplify it while the next unions are built
                jobs.append(pool.submit(tampilan, level))
        progress(0.35, "Menyederhanakan geometri peta")
        for job in jobs:
            job.result()
    reg["geom"] = geoms
    reg["geom_display"] = disp
    if r.asal is not None:
        r.asal = pd.DataFrame({"kode": list(asal), "geom_asal": list(asal.values())}).merge(
            r.asal[["kode", "nama_asal"]], on="kode", how="outer")
    idx = reg.index[reg["kode"].isin(changed)]
    if len(idx):
        g = geoms[idx]
        ada = ~shapely.is_missing(g)
        luas = np.full(len(idx), np.nan)
        luas[ada] = geo.area_km2(g[ada])
        pts = np.array([None] * len(idx), dtype=object)
        pts[ada] = shapely.point_on_surface(g[ada])
        reg.loc[idx, "luas_km2"] = luas
        reg.loc[idx, "lon"] = [p.x if p is not None else np.nan for p in pts]
        reg.loc[idx, "lat"] = [p.y if p is not None else np.nan for p in pts]
    return reg


def _induk(kode: str) -> str | None:
    return kode.rsplit(".", 1)[0] if "." in kode else None


# --- values ------------------------------------------------------------------------------------------


def nilai_lengkap(reg: pd.DataFrame, observed: pd.DataFrame, katalog: catalog.Katalog | None = None
                  ) -> tuple[pd.DataFrame, str | None]:
    """Observed values plus aggregates for levels 1–3 (``sinergi.aggregate``), for the indicators of the
    dataset's ``katalog`` (default: the built-ins).

    Population-weighted means are weighted wherever the villages have population (``regions.penduduk``,
    from an imported population: ``sinergi.importers.population``); a parent with a village lacking it
    gets the plain mean of its villages, and the returned note names those regions. Observed values at a
    parent level take precedence over the aggregate of the same region, year and indicator.
    """
    obs = observed.assign(flag=None)[["kode", "tahun", "indikator", "nilai", "flag"]]
    katalog = katalog or catalog.BAWAAN
    obs = obs.loc[obs["indikator"].isin(set(katalog.ids())).to_numpy()]
    level = obs["kode"].map(dict(zip(reg["kode"], reg["level"])))
    village = obs.loc[(level == 4).to_numpy()]
    tanpa_bobot: set[str] = set()
    up = aggregate.aggregate_up(village, reg, katalog, tanpa_bobot=tanpa_bobot) if len(village) else obs.iloc[:0]
    note = population.catatan_bobot(reg, tanpa_bobot)
    parent_obs = obs.loc[level.isin([1, 2, 3]).to_numpy()]
    if len(parent_obs) and len(up):
        key = ["kode", "tahun", "indikator"]
        clash = up.merge(parent_obs[key], on=key, how="left", indicator=True)["_merge"].eq("both").to_numpy()
        up = up[~clash]
    parts = [p for p in (obs, up) if len(p)]
    out = pd.concat(parts, ignore_index=True) if parts else obs
    return out, note


def _meta(r: Rencana, nilai: pd.DataFrame, catatan: list[str]) -> dict:
    src = r.sumber
    uniq = lambda s: "; ".join(dict.fromkeys(x for x in s.dropna().astype(str) if x.strip()))
    years = sorted(int(y) for y in nilai["tahun"].dropna().unique()) if len(nilai) else []
    tahun = (f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])) if years else ""
    return {
        "id": r.dataset,
        "nama": r.meta.get("nama") or f"Data impor: {r.dataset}",
        "sumber": uniq(src["sumber"]) or "Data impor",
        "lisensi": uniq(src["lisensi"]) or None,
        "tahun": tahun,
        "demo": False,
        "catatan": " ".join(catatan) or None,
    }


# --- apply -------------------------------------------------------------------------------------------


def terapkan(r: Rencana, progress: Progress | None = None, aktifkan: bool = False) -> Path:
    """Write the plan's dataset atomically and return its path; raise :class:`ImporGagal` when the plan
    cannot be applied or the dataset changed since it was checked. ``aktifkan`` makes it the active one."""
    progress = progress or _noop
    if not r.boleh_diterapkan:
        raise ImporGagal("Impor tidak dapat diterapkan: laporan validasi berisi galat.")
    target = db.dataset_path(r.dataset)
    periksa_folder()
    with _kunci(target):
        folders.hapus_sisa(target.parent)  # leftovers of a killed import or build: nobody else writes now
        now = target.stat().st_mtime_ns if target.exists() else None
        if now != r.dasar_mtime_ns:
            raise ImporGagal(f"Dataset {r.dataset} berubah sejak diperiksa; periksa ulang berkasnya sebelum menerapkan.")
        progress(0.02, "Menyiapkan geometri")
        reg = selesaikan_geometri(r, lambda f, m: progress(0.02 + 0.4 * f, m))
        progress(0.45, "Menghitung agregat wilayah")
        katalog = r.katalog if r.katalog is not None else katalog_berkas(target)
        reg = population.penduduk_wilayah(reg, r.nilai)
        nilai, note = nilai_lengkap(reg, derived.tambah_turunan(reg, r.nilai, r.program, r.simpul, r.ikatan),
                                    katalog)
        catatan = [note] if note else []
        if r.asal is not None and (r.asal["geom_asal"] == "gabungan").any():
            catatan.append("Geometri wilayah induk tanpa batas sendiri adalah gabungan wilayah anaknya.")
        if r.laporan.pesan_celah():
            catatan.append(r.laporan.pesan_celah())
        aside = target.with_name(f".{target.name}.baru-{uuid.uuid4().hex[:8]}")
        try:
            build.write_database(
                aside, regions=reg, nilai=nilai, program=r.program, simpul=r.simpul, ikatan=r.ikatan,
                dataset=_meta(r, nilai, catatan), aggregate_values=False,
                progress=lambda f, m: progress(0.5 + 0.45 * f, m), katalog=katalog,
                tiles_from=target if target.exists() else None,  # unchanged boundaries: tiles copied
            )
            progress(0.96, "Mencatat asal data")
            _tulis_asal(aside, r)
            os.replace(aside, target)
        except (OSError, duckdb.Error) as e:
            if not folders.disk_penuh(e):
                raise
            lama = f" (berkas sekarang: {target.stat().st_size / 2**20:.0f} MB)" if target.exists() else ""
            raise ImporGagal(
                f"Ruang disk di folder data ({target.parent}) habis saat menulis dataset baru. Dataset baru "
                f"ditulis utuh di samping yang lama sebelum menggantikannya, jadi perlu ruang bebas kira-kira "
                f"sebesar dataset itu{lama}. Kosongkan ruang lalu ulangi impor.") from None
        finally:
            aside.unlink(missing_ok=True)
            Path(str(aside) + ".wal").unlink(missing_ok=True)
    if aktifkan:
        from sinergi import datasets

        datasets.gunakan(r.dataset)
    progress(1.0, "Selesai")
    return target


def katalog_berkas(path: Path) -> catalog.Katalog:
    """The catalog a dataset file has now (the built-ins when there is no file): a plan that does not
    carry one (``Rencana.katalog`` None) keeps the dataset's own indicators."""
    if not path.exists():
        return catalog.BAWAAN
    con = db.connect_snapshot(path)
    try:
        return catalog.dari_tabel(db.run_query(con, "catalog_indicators").to_dict("records"))
    finally:
        con.close()


def _tulis_asal(path: Path, r: Rencana) -> None:
    """Provenance tables (schema.sql: sumber_impor, nilai_impor, wilayah_impor) in the new file."""
    con = db.connect(path, read_only=False)
    try:
        src = r.sumber.copy()
        src["diimpor_pada"] = pd.to_datetime(src["diimpor_pada"])
        for c in ("urut", "tingkat", "baris", "cocok"):
            src[c] = pd.to_numeric(src[c], errors="coerce").astype("Int64")
        for c in ("jenis", "berkas", "format", "tahun", "sumber", "lisensi"):
            src[c] = src[c].astype(object).where(src[c].notna(), None)
        con.register("sumber_df", src)
        con.execute("insert into sumber_impor select * from sumber_df")
        v = r.nilai[["kode", "tahun", "indikator", "nilai"]].astype({"tahun": "int16", "nilai": float})
        con.register("nilai_df", v)
        con.execute("insert into nilai_impor select kode, tahun, indikator, nilai from nilai_df")
        if r.asal is not None and len(r.asal):
            a = r.asal[["kode", "geom_asal", "nama_asal"]].drop_duplicates("kode").astype(object)
            a = a.where(a.notna(), None)
            con.register("asal_df", a)
            con.execute("insert into wilayah_impor select kode, geom_asal, nama_asal from asal_df")
        if r.alias is not None and len(r.alias):
            con.register("alias_df", r.alias[["alias", "nama"]].astype(str))
            con.execute("insert into alias_kementerian select alias, nama from alias_df")
        con.execute("checkpoint")
    finally:
        con.close()

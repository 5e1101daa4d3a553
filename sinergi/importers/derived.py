"""Indicator values derived from a dataset's programmes, institutions and ties, computed when an import is
applied (``sinergi.importers.apply``), before the values are aggregated up the hierarchy.

Per village and year (years: those of the dataset's values and programmes):

- from ``program``: ``jumlah_program`` (programmes reaching the village), ``jumlah_kementerian`` (distinct
  ministries/agencies), ``anggaran_program`` and ``penerima_program`` (sums, where the file gave them).
  A programme table rarely covers the whole country: villages get 0 programmes only in the kabupaten/kota
  the year's programme rows reach; elsewhere the count is unknown (no value), not zero.
- from institution lists (``simpul`` of ``tipe = 'lembaga'``, founding year = the start of its membership
  tie to its village): ``lembaga_<jenis>`` (institutions of each type founded by that year, 0 in the
  kabupaten/kota the list covers for that type); with PODES-style counts (imported as ``lembaga_<jenis>``
  values) they give ``lembaga_jumlah`` (all types) and, where the village has population,
  ``lembaga_per_1000`` (per 1,000 people, the year's population or the latest).
- from ties: the network measures of ``sinergi.network`` (degree, partner types, bridging ties), the
  inter-village cooperation ties (``kerja_sama_antardesa``) and distinct outside partners
  (``jumlah_mitra``). A measure that needs a kind of tie the dataset has none of (partners; ties between
  villages) is left out rather than shown as zero.

Values observed in imported tables win over derived ones for the same region, year and indicator.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from sinergi import catalog, network

KOLOM = ["kode", "tahun", "indikator", "nilai"]


def _long(frame: pd.DataFrame, kolom: dict[str, str]) -> pd.DataFrame:
    """Wide ``kode, tahun, <col>…`` to long rows for the catalog ids in ``kolom`` (col -> id)."""
    if frame.empty:
        return pd.DataFrame(columns=KOLOM)
    out = frame.melt(id_vars=["kode", "tahun"], value_vars=list(kolom), var_name="indikator", value_name="nilai")
    out["indikator"] = out["indikator"].map(kolom)
    return out.dropna(subset=["nilai"])[KOLOM]


def tahun_dataset(nilai: pd.DataFrame, program: pd.DataFrame | None, ikatan: pd.DataFrame | None) -> list[int]:
    """The years derived values are computed for: those of the values and programmes; else the latest tie
    start; else this year."""
    years = set(pd.to_numeric(nilai["tahun"], errors="coerce").dropna().astype(int)) if len(nilai) else set()
    if program is not None and len(program):
        years |= set(program["tahun"].astype(int))
    if not years and ikatan is not None and len(ikatan):
        th = pd.to_numeric(ikatan["tahun"], errors="coerce").dropna()
        years = {int(th.max())} if len(th) else set()
    return sorted(years) or [dt.date.today().year]


def _cakupan(desa: pd.DataFrame, ada: pd.DataFrame) -> pd.DataFrame:
    """Every village (``desa``: kode, kode_kab) of the kabupaten/kota in ``ada`` (kode_kab, tahun[, …])."""
    return desa.merge(ada.drop_duplicates(), on="kode_kab")


def dari_program(program: pd.DataFrame | None, reg: pd.DataFrame) -> pd.DataFrame:
    if program is None or program.empty:
        return pd.DataFrame(columns=KOLOM)
    p = program.assign(tahun=program["tahun"].astype(int), anggaran=pd.to_numeric(program["anggaran"]).astype(float),
                       penerima=pd.to_numeric(program["penerima"]).astype(float))
    by = p.groupby(["kode_desa", "tahun"])
    g = pd.concat([by.size().rename("jumlah_program"), by["kementerian"].nunique().rename("jumlah_kementerian"),
                   by[["anggaran", "penerima"]].sum(min_count=1).rename(
                       columns={"anggaran": "anggaran_program", "penerima": "penerima_program"})], axis=1)
    g = g.reset_index().rename(columns={"kode_desa": "kode"})
    desa = reg.loc[reg["level"] == 4, ["kode", "kode_kab"]]
    kab = desa.set_index("kode")["kode_kab"]
    scope = _cakupan(desa, pd.DataFrame({"kode_kab": p["kode_desa"].map(kab), "tahun": p["tahun"]}).dropna())
    w = scope[["kode", "tahun"]].merge(g, on=["kode", "tahun"], how="outer")
    w[["jumlah_program", "jumlah_kementerian"]] = w[["jumlah_program", "jumlah_kementerian"]].fillna(0.0)
    return _long(w, {c: c for c in ("jumlah_program", "jumlah_kementerian", "anggaran_program", "penerima_program")})


def _sejak(simpul: pd.DataFrame, ikatan: pd.DataFrame | None) -> pd.Series:
    """Founding year of each institution (index: id): the start of its membership tie to its own village."""
    lem = simpul[simpul["tipe"] == "lembaga"]
    if ikatan is None or ikatan.empty:
        return pd.Series(np.nan, index=lem["id"])
    a = ikatan[ikatan["jenis"] == "anggota"]
    th = pd.to_numeric(a["tahun"], errors="coerce")
    both = pd.concat([pd.DataFrame({"desa": a["dari"], "id": a["ke"], "t": th}),
                      pd.DataFrame({"desa": a["ke"], "id": a["dari"], "t": th})])
    own = both[both["desa"] == "desa:" + both["id"].map(dict(zip(lem["id"], lem["kode_desa"]))).fillna("")]
    return own.groupby("id")["t"].min().reindex(lem["id"])


def dari_lembaga(simpul: pd.DataFrame | None, ikatan: pd.DataFrame | None, reg: pd.DataFrame,
                 years: list[int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-type institution counts from lists (``lembaga_<jenis>`` rows) and the counts of types outside the
    catalog (``kode, tahun, n``) for the total."""
    kosong = (pd.DataFrame(columns=KOLOM), pd.DataFrame(columns=["kode", "tahun", "n"]))
    if simpul is None or not (simpul["tipe"] == "lembaga").any():
        return kosong
    lem = simpul[simpul["tipe"] == "lembaga"][["id", "jenis", "kode_desa"]].dropna(subset=["kode_desa"])
    sejak = _sejak(simpul, ikatan).reindex(lem["id"]).to_numpy(float)
    desa = reg.loc[reg["level"] == 4, ["kode", "kode_kab"]]
    lem = lem.assign(kode_kab=lem["kode_desa"].map(desa.set_index("kode")["kode_kab"]), sejak=sejak)
    lem = lem.dropna(subset=["kode_kab"])
    rows, lain = [], []
    for y in years:
        ada = lem[np.isnan(lem["sejak"]) | (lem["sejak"] <= y)]
        n = ada.groupby(["kode_desa", "jenis"]).size().rename("n").reset_index()
        for j in catalog.JENIS_LEMBAGA:
            kabs = lem.loc[lem["jenis"] == j, ["kode_kab"]]
            if kabs.empty:
                continue
            scope = _cakupan(desa, kabs)[["kode"]]
            got = n[n["jenis"] == j].set_index("kode_desa")["n"]
            rows.append(pd.DataFrame({"kode": scope["kode"], "tahun": y, "indikator": f"lembaga_{j}",
                                      "nilai": scope["kode"].map(got).fillna(0).astype(float).to_numpy()}))
        lain_n = n[~n["jenis"].isin(catalog.JENIS_LEMBAGA)].groupby("kode_desa")["n"].sum()
        lain.append(pd.DataFrame({"kode": lain_n.index, "tahun": y, "n": lain_n.to_numpy(float)}))
    out = pd.concat(rows, ignore_index=True) if rows else kosong[0]
    return out, pd.concat(lain, ignore_index=True)


def jumlah_dan_kepadatan(per_jenis: pd.DataFrame, lain: pd.DataFrame, reg: pd.DataFrame,
                         penduduk: pd.DataFrame) -> pd.DataFrame:
    """``lembaga_jumlah`` (the types' counts plus other types) and ``lembaga_per_1000`` where the village has
    population (``penduduk``: that year's ``kode, tahun, nilai`` values; else ``regions.penduduk``)."""
    desa = set(reg.loc[reg["level"] == 4, "kode"])
    parts = [per_jenis[per_jenis["kode"].isin(desa)][["kode", "tahun", "nilai"]],
             lain.rename(columns={"n": "nilai"})[["kode", "tahun", "nilai"]]]
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=KOLOM)
    total = pd.concat(parts).astype({"tahun": int}).groupby(["kode", "tahun"])["nilai"].sum().reset_index()
    pop = total["kode"].map(pd.to_numeric(reg.set_index("kode")["penduduk"], errors="coerce")).astype(float)
    if len(penduduk):
        per_tahun = total[["kode", "tahun"]].merge(
            penduduk.astype({"tahun": int})[["kode", "tahun", "nilai"]].drop_duplicates(["kode", "tahun"]),
            on=["kode", "tahun"], how="left")["nilai"].astype(float).to_numpy()
        pop = pop.where(np.isnan(per_tahun), pd.Series(per_tahun, index=pop.index))
    kepadatan = np.where(pop > 0, total["nilai"] / pop.where(pop > 0, 1.0) * 1000.0, np.nan)
    return _long(total.rename(columns={"nilai": "lembaga_jumlah"}).assign(lembaga_per_1000=np.round(kepadatan, 2)),
                 {"lembaga_jumlah": "lembaga_jumlah", "lembaga_per_1000": "lembaga_per_1000"})


def dari_jejaring(simpul: pd.DataFrame | None, ikatan: pd.DataFrame | None, years: list[int]) -> pd.DataFrame:
    """Network measures per village node and year, and cooperation ties and partners counted from ties."""
    if simpul is None or simpul.empty or not (simpul["tipe"] == "desa").any():
        return pd.DataFrame(columns=KOLOM)
    ikatan = ikatan if ikatan is not None else pd.DataFrame(columns=["dari", "ke", "jenis", "tahun"])
    ukur = network.indicator_rows(simpul, ikatan, years)[KOLOM]
    rumah = dict(zip(simpul["id"], simpul["kode_desa"]))
    tipe = dict(zip(simpul["id"], simpul["tipe"]))
    a_desa, b_desa = ikatan["dari"].map(rumah), ikatan["ke"].map(rumah)
    antardesa = (a_desa.notna() & b_desa.notna() & (a_desa != b_desa)).any()
    mitra = (simpul["tipe"] == "mitra").any()
    if not mitra:
        ukur = ukur[ukur["indikator"] != "jejaring_jenis_mitra"]
    if not antardesa:
        ukur = ukur[ukur["indikator"] != "jejaring_penghubung"]
    villages = sorted(simpul.loc[simpul["tipe"] == "desa", "kode_desa"].dropna().unique())
    th = pd.to_numeric(ikatan["tahun"], errors="coerce").to_numpy(float)
    extra = []
    ks = ((ikatan["jenis"] == "kerja_sama_antardesa") & ikatan["dari"].map(tipe).eq("desa")
          & ikatan["ke"].map(tipe).eq("desa")).to_numpy()
    if ks.any():
        ends = pd.DataFrame({"kode": pd.concat([a_desa[ks], b_desa[ks]]).to_numpy(), "t": np.r_[th[ks], th[ks]]})
        extra.append(_per_tahun(ends, villages, years, "kerja_sama_antardesa", distinct=None))
    if mitra:
        ma = ikatan["dari"].map(tipe).eq("mitra").to_numpy() & b_desa.notna().to_numpy()
        mb = ikatan["ke"].map(tipe).eq("mitra").to_numpy() & a_desa.notna().to_numpy()
        pairs = pd.DataFrame({"kode": np.r_[b_desa[ma].to_numpy(object), a_desa[mb].to_numpy(object)],
                              "m": np.r_[ikatan["dari"][ma].to_numpy(object), ikatan["ke"][mb].to_numpy(object)],
                              "t": np.r_[th[ma], th[mb]]})
        extra.append(_per_tahun(pairs, villages, years, "jumlah_mitra", distinct="m"))
    return pd.concat([ukur, *extra], ignore_index=True)


def _per_tahun(ends: pd.DataFrame, villages: list[str], years: list[int], indikator: str,
               distinct: str | None) -> pd.DataFrame:
    """Per village and year: rows of ``ends`` (kode, t = start year or NaN) started by then (distinct
    ``distinct`` values when given), 0 for villages without any."""
    out = []
    for y in years:
        e = ends[np.isnan(ends["t"].to_numpy(float)) | (ends["t"] <= y)]
        n = e.groupby("kode")[distinct].nunique() if distinct else e.groupby("kode").size()
        out.append(pd.DataFrame({"kode": villages, "tahun": y, "indikator": indikator,
                                 "nilai": pd.Series(villages).map(n).fillna(0).astype(float).to_numpy()}))
    return pd.concat(out, ignore_index=True)


def tambah_turunan(reg: pd.DataFrame, nilai: pd.DataFrame, program: pd.DataFrame | None,
                   simpul: pd.DataFrame | None, ikatan: pd.DataFrame | None) -> pd.DataFrame:
    """The observed values ``nilai`` (``kode, tahun, indikator, nilai``) plus the derived ones (module
    docstring) for regions of ``reg``; an observed value wins over a derived one of the same key."""
    obs = nilai[KOLOM].astype({"tahun": int}) if len(nilai) else pd.DataFrame(columns=KOLOM)
    # As read back from a file: Arrow-backed text, which networkx iterates one slow element at a time, and
    # nullable integers, whose NA no comparison takes.
    if simpul is not None:
        simpul = simpul.astype(object)
    if ikatan is not None:
        ikatan = ikatan[["dari", "ke", "jenis"]].astype(object).assign(
            tahun=pd.to_numeric(ikatan["tahun"], errors="coerce").astype(float).to_numpy())
    years = tahun_dataset(obs, program, ikatan)
    per_jenis, lain = dari_lembaga(simpul, ikatan, reg, years)
    key = ["kode", "tahun", "indikator"]
    observed_types = obs[obs["indikator"].str.startswith("lembaga_")
                         & ~obs["indikator"].isin(["lembaga_jumlah", "lembaga_per_1000"])]
    per_jenis = _utamakan(observed_types, per_jenis, key)
    parts = [dari_program(program, reg), per_jenis,
             jumlah_dan_kepadatan(per_jenis, lain, reg, obs[obs["indikator"] == "penduduk"]),
             dari_jejaring(simpul, ikatan, years)]
    turunan = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else None
    if turunan is None:
        return nilai
    turunan = turunan[turunan["kode"].isin(set(reg["kode"]))].astype({"tahun": int, "nilai": float})
    return _utamakan(obs, turunan, key)


def _utamakan(utama: pd.DataFrame, lain: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """``utama`` rows plus the rows of ``lain`` whose key ``utama`` does not have."""
    if utama.empty:
        return lain
    if lain.empty:
        return utama[KOLOM]
    ada = lain.set_index(key).index.isin(utama.astype({"tahun": int}).set_index(key).index)
    return pd.concat([utama[KOLOM], lain[~ada]], ignore_index=True)

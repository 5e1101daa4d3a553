"""Aggregation of village values up the hierarchy (desa → kecamatan → kabupaten/kota → provinsi).

Each indicator says how it aggregates (``catalog.Indikator.agregasi``):

- ``wmean_pop``: population-weighted mean of the villages that have a value;
- ``sum``: sum over villages with a value (no value when none has one);
- ``share``: village values are 0/100, the parent value is the percentage of villages with 100;
- ``mean``: plain mean over villages with a value.

``status_idm`` is not averaged: a parent's status is the official class of its aggregated IDM.
Aggregates are always computed from villages, never from the level below, so a weighted mean at
province level weighs villages, not kecamatan.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sinergi import catalog


def aggregate_up(nilai: pd.DataFrame | Sequence[pd.DataFrame], regions: pd.DataFrame,
                 katalog: catalog.Katalog | None = None, tanpa_bobot: set[str] | None = None) -> pd.DataFrame:
    """Return values for levels 1..3 computed from village values.

    Parameters
    ----------
    nilai : frame with ``kode, tahun, indikator, nilai`` at village level (NaN = no value), or a
        sequence of such frames taken as their concatenation (without building it).
    regions : frame with ``kode, level, kode_prov, kode_kab, kode_kec, penduduk`` for villages.
    katalog : the dataset's catalog, which says how each indicator aggregates (default: the built-ins).
    tanpa_bobot : when given, the codes of parents whose population-weighted mean fell back to a plain
        mean are added to it.

    A population-weighted mean is weighted wherever population exists: when a village with a value has
    no population (``penduduk`` null), that parent's value (for that indicator and year) is the plain mean
    of its villages instead, so a village is never silently left out. Returns a frame with ``kode, tahun,
    indikator, nilai, flag`` (flag 'missing' where no village below has a value).

    Provinces are aggregated one at a time (:class:`Pembagian`), so a national table of ~11 million
    village values never needs its working columns all at once; each group sums the same rows in the
    same order as one pass over everything would, so the result is identical.
    """
    bagi = Pembagian(regions)
    frames = [nilai] if isinstance(nilai, pd.DataFrame) else list(nilai)
    frames = [f[["kode", "tahun", "indikator", "nilai"]] for f in frames if len(f)] or [frames[0]]
    baris = [bagi.baris(f["kode"]) for f in frames]
    ada = set()
    for f, b in zip(frames, baris):
        ind_kode, ind = pd.factorize(f["indikator"], use_na_sentinel=False)
        ada |= set(ind[np.unique(ind_kode[b >= 0])])
    periksa_indikator(ada, katalog)
    if len(bagi.kunci) <= 1:
        return bagi.agregat(0, pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0], katalog,
                            tanpa_bobot)
    urut = [np.argsort(b, kind="stable") for b in baris]
    batas = [np.searchsorted(b[u], np.arange(len(bagi.kunci) + 1)) for b, u in zip(baris, urut)]
    parts = []
    for p in range(len(bagi.kunci)):
        bagian = [f.take(u[t[p]:t[p + 1]]) for f, u, t in zip(frames, urut, batas)]
        bagian = [x for x in bagian if len(x)]
        if bagian:
            v = pd.concat(bagian, ignore_index=True) if len(bagian) > 1 else bagian[0]
            parts.append(bagi.agregat(p, v, katalog, tanpa_bobot))
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values(["kode", "tahun", "indikator"], kind="stable").reset_index(drop=True)


def periksa_indikator(indikator: set, katalog: catalog.Katalog | None = None) -> None:
    """Raise ``KeyError`` naming the village values' indicators the catalog does not know (how would they
    aggregate?)."""
    unknown = set(indikator) - {i.id for i in (katalog or catalog.BAWAAN).indikator} - {"status_idm"}
    if unknown:
        raise KeyError(f"Indikator tidak dikenal: {sorted(unknown)}")


class Pembagian:
    """How the villages of ``regions`` split into chunks that aggregate independently: their provinces, in
    order of appearance; a single chunk when some kecamatan or kabupaten spans two provinces (an
    inconsistent import) or a village code repeats, so grouping stays exactly that of a single pass.

    Values can then be taken a chunk at a time (:meth:`baris` says which rows belong to which chunk,
    :meth:`agregat` aggregates one), from memory (:func:`aggregate_up`) or from wherever they were staged.
    """

    def __init__(self, regions: pd.DataFrame):
        self.desa = regions.loc[regions["level"] == 4, ["kode", "kode_prov", "kode_kab", "kode_kec", "penduduk"]]
        prov = self.desa["kode_prov"].astype(object).where(self.desa["kode_prov"].notna(), None)
        satu = any(self.desa.assign(p=prov.fillna("\0")).groupby(col, dropna=False)["p"].nunique().gt(1).any()
                   for col in ("kode_kab", "kode_kec"))
        self.kunci: list = [None] if satu or not self.desa["kode"].is_unique else list(dict.fromkeys(prov))
        self._prov = prov.to_numpy(dtype=object)

    def baris(self, kode: pd.Series) -> np.ndarray:
        """Chunk (index into ``kunci``; -1: not a village) of every value row with these codes."""
        # Codes are looked up once per distinct code (a national table repeats each ~130 times): looking up
        # every row would turn millions of Arrow strings into Python objects.
        baris_kode, beda = pd.factorize(kode)
        desa_ke = pd.Index(self.desa["kode"]).get_indexer(beda)
        if len(self.kunci) <= 1:
            per_beda = np.where(desa_ke >= 0, 0, -1)
        else:
            pos = {k: i for i, k in enumerate(self.kunci)}
            per_desa = np.array([pos[k] for k in self._prov], dtype=np.int64)
            per_beda = np.where(desa_ke >= 0, per_desa[desa_ke], -1)
        out = np.full(len(baris_kode), -1, dtype=np.int64)
        ada = baris_kode >= 0
        out[ada] = per_beda[baris_kode[ada]]
        return out

    def agregat(self, p: int, nilai: pd.DataFrame, katalog: catalog.Katalog | None = None,
                tanpa_bobot: set[str] | None = None) -> pd.DataFrame:
        """:func:`aggregate_up` of chunk ``p``, from its village values ``nilai`` in their original order."""
        if len(self.kunci) <= 1:
            desa = self.desa
        else:
            k = self.kunci[p]
            desa = self.desa[pd.isna(self._prov) if k is None else self._prov == k]
        agg_of = {i.id: i.agregasi for i in (katalog or catalog.BAWAAN).indikator}
        return _aggregate(nilai, desa, agg_of, tanpa_bobot)


def _aggregate(nilai: pd.DataFrame, desa: pd.DataFrame, agg_of: dict[str, str],
               tanpa_bobot: set[str] | None) -> pd.DataFrame:
    """:func:`aggregate_up` over one set of villages."""
    v = nilai.merge(desa, on="kode", how="inner")
    v = v[v["indikator"] != "status_idm"]
    v["agregasi"] = v["indikator"].map(agg_of)
    pop = v["penduduk"].astype(float)
    weighted = (v["agregasi"] == "wmean_pop").to_numpy()
    v["w"] = np.where(weighted, pop.fillna(0), 1.0)
    has = v["nilai"].notna()
    v["w"] = np.where(has, v["w"], 0.0)
    v["wv"] = np.where(has, v["nilai"] * v["w"], 0.0)
    v["sv"] = np.where(has, v["nilai"], 0.0)
    v["n"] = has.astype(int)
    v["tb"] = (weighted & has.to_numpy() & pop.isna().to_numpy()).astype(int)  # values without a weight
    parts = []
    for col in ("kode_kec", "kode_kab", "kode_prov"):
        g = v.groupby([col, "tahun", "indikator", "agregasi"], sort=False, observed=True)[
            ["w", "wv", "sv", "n", "tb"]
        ].sum().reset_index()
        g = g.rename(columns={col: "kode"})
        plain = g["tb"] > 0
        if tanpa_bobot is not None and plain.any():
            tanpa_bobot.update(g.loc[plain, "kode"].unique())
        mean = np.where(plain, g["sv"] / g["n"].where(g["n"] > 0, 1),
                        np.where(g["w"] > 0, g["wv"] / g["w"].where(g["w"] > 0, 1.0), np.nan))
        total = np.where(g["n"] > 0, g["sv"], np.nan)
        g["nilai"] = np.where(g["agregasi"] == "sum", total, mean)
        parts.append(g[["kode", "tahun", "indikator", "nilai"]])
    out = pd.concat(parts, ignore_index=True)
    # status of a parent = official class of its aggregated IDM
    idm = out[out["indikator"] == "idm"]
    if len(idm):
        st = idm.assign(indikator="status_idm", nilai=idm["nilai"].map(catalog.status_idm).astype(float))
        out = pd.concat([out, st], ignore_index=True)
    out["flag"] = np.where(out["nilai"].isna(), "missing", None)
    return out.sort_values(["kode", "tahun", "indikator"], kind="stable").reset_index(drop=True)

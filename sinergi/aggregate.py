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

import numpy as np
import pandas as pd

from sinergi import catalog


def aggregate_up(nilai: pd.DataFrame, regions: pd.DataFrame, katalog: catalog.Katalog | None = None,
                 tanpa_bobot: set[str] | None = None) -> pd.DataFrame:
    """Return values for levels 1..3 computed from village values.

    Parameters
    ----------
    nilai : frame with ``kode, tahun, indikator, nilai`` at village level (NaN = no value).
    regions : frame with ``kode, level, kode_prov, kode_kab, kode_kec, penduduk`` for villages.
    katalog : the dataset's catalog, which says how each indicator aggregates (default: the built-ins).
    tanpa_bobot : when given, the codes of parents whose population-weighted mean fell back to a plain
        mean are added to it.

    A population-weighted mean is weighted wherever population exists: when a village with a value has
    no population (``penduduk`` null), that parent's value (for that indicator and year) is the plain mean
    of its villages instead, so a village is never silently left out. Returns a frame with ``kode, tahun,
    indikator, nilai, flag`` (flag 'missing' where no village below has a value).
    """
    desa = regions.loc[regions["level"] == 4, ["kode", "kode_prov", "kode_kab", "kode_kec", "penduduk"]]
    v = nilai[["kode", "tahun", "indikator", "nilai"]].merge(desa, on="kode", how="inner")
    v = v[v["indikator"] != "status_idm"]
    agg_of = {i.id: i.agregasi for i in (katalog or catalog.BAWAAN).indikator}
    unknown = set(v["indikator"].unique()) - set(agg_of)
    if unknown:
        raise KeyError(f"Indikator tidak dikenal: {sorted(unknown)}")
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

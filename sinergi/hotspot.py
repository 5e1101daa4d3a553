"""Hotspots: Local Moran's I (LISA) and Getis-Ord Gi* on contiguity weights, clusters that cross
kabupaten/province lines, and the targeting list.

- Weights: queen contiguity (regions sharing at least a point) from polygon geometries in WGS84 lon/lat,
  built with ``libpysal.graph.Graph.build_contiguity(strict=True)``: neighbours are found with shapely's
  geometric predicates, so display geometries rounded to 5 decimals (or real boundaries whose shared
  edges do not have identical vertices) still touch. Rook contiguity (a shared edge) is available for tests.
- Only regions with a value take part: the weights are the subgraph of regions with a value, and a
  region left with no neighbour (an island, or surrounded by kelurahan without IDM) is reported as
  "no neighbour" and excluded, never coloured as a result.
- Local Moran's I on row-standardised weights (``esda.Moran_Local``), Gi* on binary weights with the
  region itself included, row-standardised (``esda.G_Local(star=True)``); significance by conditional
  permutation (999 by default) with a fixed seed, so the same link always shows the same map. The
  permutation step is esda's scheme vectorised with numpy (:func:`conditional_pvalues`): esda's own runs
  a Python loop per region without numba (40 s for 85,000 villages) and numba's first compile alone
  takes longer. Pseudo p-values are folded, ties against significance (:func:`folded_p`).
- Cluster classes HH, LL, HL, LH (value–neighbour average high/low) or ``ns``; Gi* classes ``panas``
  (high values around) and ``dingin`` (low). Colours follow the app's rule "worse is the alarming
  colour": for an indicator where higher is better a low–low cluster is red, for one where higher is
  worse a high–high cluster is red.
- A cluster is a connected group (in the contiguity graph) of significant regions of the same cluster
  class; it crosses a kabupaten (province) line when its regions lie in more than one.

Pure functions on frames and shapely geometries; the cached wrapper :func:`hotspot_view` at the end is
the only part that reads the database.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import folium
import numpy as np
import pandas as pd
import scipy.sparse as sp
import shapely
import streamlit as st
from scipy.sparse.csgraph import connected_components

from sinergi import catalog, mapdata, maps
from sinergi.classify import Legend, NO_DATA_COLOR
from sinergi.i18n import fmt_num, t

SEED = 20240607  # fixed permutation seed: a link always reproduces the same significance
PERMUTATIONS = 999
ALPHA = (0.1, 0.05, 0.01)
METODE = ("lisa", "gi")

LISA_KELAS = ("HH", "LL", "HL", "LH", "ns")
GI_KELAS = ("panas", "dingin", "ns")
TANPA_TETANGGA = "isolat"  # a region with a value but no neighbour with a value
TANPA_DATA = "na"

# Colour-blind-safe (ColorBrewer RdYlBu) roles: the "bad" cluster is red, the "good" one blue,
# the bad outlier orange, the good outlier light blue, not significant near white.
WARNA = {"buruk": "#d7191c", "baik": "#2c7bb6", "buruk_pencilan": "#fdae61", "baik_pencilan": "#abd9e9",
         "ns": "#eeeeee"}
_ESDA_Q = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}  # esda's quadrant numbers (PySAL scheme)


# --------------------------------------------------------------------------------------------------
# Weights
# --------------------------------------------------------------------------------------------------

def geometries_from_wkb(wkb) -> np.ndarray:
    """Shapely geometries from WKB values (bytes, bytearray or memoryview as DuckDB returns them)."""
    return shapely.from_wkb(np.array([bytes(b) if b is not None else None for b in wkb], dtype=object))


def contiguity(kode, geoms, rook: bool = False):
    """Binary contiguity weights (``libpysal.graph.Graph``) indexed by region code.

    ``geoms``: polygons in WGS84 lon/lat (any CRS works: only touching matters). Queen by default
    (a shared point suffices), rook with ``rook=True`` (a shared edge).
    """
    import geopandas as gpd
    from libpysal.graph import Graph

    gs = gpd.GeoSeries(list(geoms), index=pd.Index(list(kode), name="kode"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # libpysal warns about islands; we report them ourselves
        return Graph.build_contiguity(gs, rook=rook, strict=True)


def _adjacency(graph, ids: list[str]) -> sp.csr_matrix:
    """Binary symmetric adjacency among ``ids`` (in that order), without self links."""
    adj = graph.adjacency
    adj = adj[adj != 0]
    where = pd.Index(np.asarray(ids, dtype=object))
    i = where.get_indexer(np.asarray(adj.index.get_level_values(0), dtype=object))
    j = where.get_indexer(np.asarray(adj.index.get_level_values(1), dtype=object))
    keep = (i >= 0) & (j >= 0) & (i != j)
    i, j = i[keep], j[keep]
    m = sp.csr_matrix((np.ones(len(i)), (i, j)), shape=(len(ids), len(ids)))
    m = ((m + m.T) > 0).astype(float)
    return sp.csr_matrix(m)


# --------------------------------------------------------------------------------------------------
# Statistics
# --------------------------------------------------------------------------------------------------

@dataclass
class HotspotResult:
    """Everything the hotspot page shows.

    ``table``: one row per region of the input (order kept) with ``nilai``, ``n_tetangga`` (neighbours
    with a value), ``lisa_i``, ``lisa_q`` (quadrant whatever the significance), ``lisa_p``, ``lisa_kelas`` (HH/LL/HL/LH/ns, ``isolat``, ``na``), ``gi_z``,
    ``gi_p``, ``gi_kelas`` (panas/dingin/ns, ``isolat``, ``na``), ``lisa_klaster``/``gi_klaster``
    (cluster number, 0 = none) and the input's identity columns.
    ``klaster``: one row per cluster and method (see :func:`clusters`).
    """

    table: pd.DataFrame
    klaster: pd.DataFrame
    moran_i: float
    moran_p: float
    n_uji: int  # regions tested (value and at least one neighbour)
    n_isolat: int
    alpha: float
    permutations: int
    arah: int
    catatan: list[str] = field(default_factory=list)


def global_moran(y: np.ndarray, w: sp.csr_matrix, permutations: int = PERMUTATIONS,
                 seed: int = SEED) -> tuple[float, float]:
    """Global Moran's I on row-standardised weights ``w`` and its folded permutation pseudo p-value.

    I = (n / S0) · zᵀWz / zᵀz; with row-standardised weights S0 = n. Permutations shuffle the values over
    the regions with ``numpy.random.default_rng(seed)`` (in chunks, so memory stays small).
    """
    z = np.asarray(y, dtype=float) - np.mean(y)
    den = float(z @ z)
    n = len(z)
    s0 = float(w.sum())
    if den == 0 or s0 == 0:
        return float("nan"), float("nan")
    obs = n / s0 * float(z @ (w @ z)) / den
    if not permutations:
        return obs, float("nan")
    rng = np.random.default_rng(seed)
    ge = le = done = 0
    tol = 1e-12 * (1 + abs(obs))
    while done < permutations:
        m = min(100, permutations - done)
        zp = rng.permuted(np.tile(z, (m, 1)), axis=1).T  # n × m, each column a permutation
        sims = n / s0 * np.einsum("ij,ij->j", zp, np.asarray(w @ zp)) / den
        ge += int((sims >= obs - tol).sum())
        le += int((sims <= obs + tol).sum())
        done += m
    return obs, float(folded_p(np.array(ge), np.array(le), permutations))


def _significant(p: np.ndarray, alpha: float, fdr: bool) -> np.ndarray:
    """Which pseudo p-values are significant: ``p <= alpha``, or the Benjamini–Hochberg false discovery
    rate cut at ``alpha`` with ``fdr=True`` (stricter when many regions are tested)."""
    if not fdr:
        return p <= alpha
    from esda import fdr as bh_cut

    cut = bh_cut(p, alpha)
    return p <= cut


def permuted_ids(n: int, k: int, permutations: int, seed: int = SEED) -> np.ndarray:
    """``permutations`` rows of ``k`` distinct ids drawn from 0 … n − 2 (the other regions), as esda's
    conditional randomisation does: one draw shared by every region, mapped past the region itself."""
    rng = np.random.default_rng(seed)
    k = min(k, n - 1)
    return np.stack([rng.choice(n - 1, size=k, replace=False) for _ in range(permutations)])


def folded_p(at_least: np.ndarray, at_most: np.ndarray, permutations: int) -> np.ndarray:
    """Folded pseudo p-value: (min(#sim ≥ obs, #sim ≤ obs) + 1) / (permutations + 1).

    A simulated value equal to the observed one counts in both tails, i.e. against significance. (esda
    counts a tie only as "larger", so when every draw reproduces the observed value — three regions that
    are all neighbours of each other — it reports the smallest possible p instead of 1.)"""
    return (np.minimum(at_least, at_most) + 1.0) / (permutations + 1.0)


def conditional_pvalues(y: np.ndarray, adj: sp.csr_matrix, permutations: int = PERMUTATIONS,
                        seed: int = SEED, chunk_cells: int = 4_000_000) -> tuple[np.ndarray, np.ndarray]:
    """Folded pseudo p-values of Local Moran's I (row-standardised weights) and Gi* (binary weights with
    self, row-standardised) under conditional randomisation: region i keeps its value, its k_i neighbours'
    values are replaced by k_i values drawn without replacement from the other n − 1 regions.

    Same scheme as ``esda.crand`` (one set of draws shared by all regions), vectorised with numpy so the
    national village set (≈ 85,000 regions × 999 permutations) takes seconds without numba. Both
    statistics are monotone in the sum of the drawn neighbour values, so one draw serves both.
    """
    y = np.asarray(y, dtype=float)
    n = len(y)
    k = np.asarray(adj.sum(axis=1)).ravel().astype(int)
    mean, sd = y.mean(), y.std()
    z = (y - mean) / sd
    den = float(z @ z)
    s_obs = adj @ y  # sum of neighbours' values
    i_obs = (n - 1) * z * ((s_obs - k * mean) / sd / k) / den
    g_obs = (y + s_obs) / (k + 1)
    ids = permuted_ids(n, int(k.max()), permutations, seed)
    ge_i, le_i, ge_g, le_g = (np.zeros(n) for _ in range(4))
    eps = 1e-12  # equality despite summation-order rounding
    for kk in np.unique(k):
        rows = np.flatnonzero(k == kk)  # ascending
        d = ids[:, :kk]  # permutations × kk draws among the n − 1 others
        # Region i takes y[d] for d < i and y[d + 1] for d ≥ i (its own position is skipped). So its sum is
        # Σ y[d] plus the differences y[d + 1] − y[d] of the draws with d ≥ i: a suffix sum over the rows,
        # done with one cumulative sum instead of a gather per region.
        base = y[d].sum(axis=1)
        diff = y[d + 1] - y[d]
        q = np.searchsorted(rows, d, side="right")  # rows[:q] are ≤ d: they take the difference
        step = max(1, chunk_cells // (len(rows) + 1))
        for a in range(0, permutations, step):
            pc = np.arange(a, min(permutations, a + step))
            flat = ((pc - a)[:, None] * (len(rows) + 1) + q[pc]).ravel()
            e = np.bincount(flat, weights=diff[pc].ravel(), minlength=len(pc) * (len(rows) + 1))
            e = e.reshape(len(pc), len(rows) + 1)
            suffix = np.cumsum(e[:, ::-1], axis=1)[:, ::-1][:, 1:]  # row t gets every q > t
            s = base[pc, None] + suffix  # len(pc) × len(rows): neighbour sums under the null
            i_sim = (n - 1) * z[rows] * ((s - kk * mean) / sd / kk) / den
            g_sim = (y[rows] + s) / (kk + 1)
            tol_i = eps * (1 + np.abs(i_obs[rows]))
            tol_g = eps * (1 + np.abs(g_obs[rows]))
            ge_i[rows] += (i_sim >= i_obs[rows] - tol_i).sum(axis=0)
            le_i[rows] += (i_sim <= i_obs[rows] + tol_i).sum(axis=0)
            ge_g[rows] += (g_sim >= g_obs[rows] - tol_g).sum(axis=0)
            le_g[rows] += (g_sim <= g_obs[rows] + tol_g).sum(axis=0)

    return folded_p(ge_i, le_i, permutations), folded_p(ge_g, le_g, permutations)


def local_statistics(y: np.ndarray, adj: sp.csr_matrix, permutations: int = PERMUTATIONS,
                     seed: int = SEED) -> pd.DataFrame:
    """Local Moran's I and Gi* for values ``y`` on binary adjacency ``adj`` (every region has at least one
    neighbour): the statistics and quadrants from esda, pseudo p-values from :func:`conditional_pvalues`.

    Returns ``lisa_i, lisa_q`` (HH/LH/LL/HL from the value's and the neighbour average's side of the
    mean), ``lisa_p, gi_z`` (standardised Gi*, > 0 = high values around), ``gi_p``.
    """
    from esda.getisord import G_Local
    from esda.moran import Moran_Local
    from libpysal.graph import Graph

    g = Graph.from_sparse(adj)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # esda's notes on star weights and future defaults
        lm = Moran_Local(y, g, transformation="r", permutations=0)
        gi = G_Local(y, g, transform="R", permutations=0, star=True)
    p_lisa, p_gi = conditional_pvalues(y, adj, permutations, seed) if permutations else (
        np.full(len(y), np.nan), np.full(len(y), np.nan))
    return pd.DataFrame({
        "lisa_i": lm.Is, "lisa_q": [_ESDA_Q[int(q)] for q in lm.q], "lisa_p": p_lisa,
        "gi_z": gi.Zs, "gi_p": p_gi,
    })


def _components(adj: sp.csr_matrix, labels: np.ndarray, kinds: tuple[str, ...]) -> np.ndarray:
    """Cluster number (1, 2, … in order of first region) of regions labelled with one of ``kinds``,
    connected through neighbours with the same label; 0 for the others."""
    out = np.zeros(len(labels), dtype=int)
    nxt = 1
    for kind in kinds:
        idx = np.flatnonzero(labels == kind)
        if not len(idx):
            continue
        _, comp = connected_components(adj[idx][:, idx], directed=False)
        order = {}
        for c in comp:
            order.setdefault(c, len(order))
        out[idx] = [nxt + order[c] for c in comp]
        nxt += len(order)
    return out


def clusters(table: pd.DataFrame, metode: str) -> pd.DataFrame:
    """One row per cluster of ``metode`` (``lisa`` or ``gi``): ``metode, klaster, kelas, n`` (regions),
    ``n_kab, n_prov, lintas_kab, lintas_prov``, ``kabupaten`` (names, '; '), ``nilai_rata`` (mean
    value), ``kode`` (member codes, '; '). Largest first."""
    col = f"{metode}_klaster"
    cols = ["metode", "klaster", "kelas", "n", "n_kab", "n_prov", "lintas_kab", "lintas_prov", "kabupaten",
            "nilai_rata", "kode"]
    part = table[table[col] > 0].copy()
    if part.empty:
        return pd.DataFrame(columns=cols)
    for c in ("kode_kab", "kode_prov", "nama_kab"):
        if c not in part:
            part[c] = ""
    part["nama_kab"] = part["nama_kab"].fillna("").astype(str)
    g = part.groupby(col, sort=True)
    out = g.agg(kelas=(f"{metode}_kelas", "first"), n=("kode", "size"), n_kab=("kode_kab", "nunique"),
                n_prov=("kode_prov", "nunique"), nilai_rata=("nilai", "mean"))
    out["kabupaten"] = part.drop_duplicates([col, "nama_kab"]).groupby(col)["nama_kab"].agg("; ".join)
    out["kode"] = g["kode"].agg(lambda x: "; ".join(x.astype(str)))
    out["lintas_kab"] = out["n_kab"] > 1
    out["lintas_prov"] = out["n_prov"] > 1
    out = out.reset_index().rename(columns={col: "klaster"})
    out["metode"] = metode
    out = out[cols].astype({"klaster": int, "n": int, "n_kab": int, "n_prov": int})
    return out.sort_values(["n", "klaster"], ascending=[False, True], kind="stable").reset_index(drop=True)


def analyse(values: pd.DataFrame, graph, arah: int = 1, alpha: float = 0.05, fdr: bool = False,
            permutations: int = PERMUTATIONS, seed: int = SEED) -> HotspotResult:
    """Hotspot analysis of ``values`` (``kode, nilai`` and optionally ``nama, kode_kab, nama_kab,
    kode_prov, nama_prov``) on contiguity ``graph`` (:func:`contiguity`, indexed by ``kode``).

    ``arah`` (+1 higher is better, -1 worse) only decides which clusters are "bad" (targets).
    """
    table = values.reset_index(drop=True).copy()
    y_all = pd.to_numeric(table["nilai"], errors="coerce").to_numpy(dtype=float)
    in_graph = pd.Index(np.asarray(graph.unique_ids, dtype=object)).get_indexer(
        np.asarray(table["kode"], dtype=object)) >= 0
    has = np.isfinite(y_all) & in_graph
    ids = table.loc[has, "kode"].tolist()
    adj = _adjacency(graph, ids)
    deg = np.asarray(adj.sum(axis=1)).ravel().astype(int)
    tested = deg > 0
    catatan: list[str] = []

    n_tet = np.zeros(len(table), dtype=int)
    n_tet[has] = deg
    table["n_tetangga"] = n_tet
    for c in ("lisa_i", "lisa_p", "gi_z", "gi_p"):
        table[c] = np.nan
    table["lisa_q"] = ""  # quadrant whatever the significance (HH, LH, LL, HL)
    table["lisa_kelas"] = TANPA_DATA
    table["gi_kelas"] = TANPA_DATA
    pos_has = np.flatnonzero(has)
    table.loc[pos_has[~tested], ["lisa_kelas", "gi_kelas"]] = TANPA_TETANGGA

    idx = pos_has[tested]
    sub = adj[tested][:, tested]
    y = y_all[idx]
    moran_i = moran_p = float("nan")
    if len(idx) >= 3 and np.ptp(y) > 0:
        stats = local_statistics(y, sub, permutations, seed)
        for c in ("lisa_i", "lisa_p", "gi_z", "gi_p"):
            table.loc[idx, c] = stats[c].to_numpy()
        sig_l = _significant(stats["lisa_p"].to_numpy(), alpha, fdr)
        sig_g = _significant(stats["gi_p"].to_numpy(), alpha, fdr)
        table.loc[idx, "lisa_q"] = stats["lisa_q"].to_numpy()
        table.loc[idx, "lisa_kelas"] = np.where(sig_l, stats["lisa_q"].to_numpy(), "ns")
        gi = np.where(stats["gi_z"].to_numpy() > 0, "panas", "dingin")
        table.loc[idx, "gi_kelas"] = np.where(sig_g, gi, "ns")
        rowsum = np.asarray(sub.sum(axis=1)).ravel()
        moran_i, moran_p = global_moran(y, sp.csr_matrix(sp.diags(1.0 / rowsum) @ sub), permutations, seed)
    else:
        table.loc[idx, ["lisa_kelas", "gi_kelas"]] = "ns"
        catatan.append("terlalu_sedikit")

    table["lisa_klaster"] = 0
    table["gi_klaster"] = 0
    table.loc[idx, "lisa_klaster"] = _components(sub, table.loc[idx, "lisa_kelas"].to_numpy(), ("HH", "LL"))
    table.loc[idx, "gi_klaster"] = _components(sub, table.loc[idx, "gi_kelas"].to_numpy(), ("panas", "dingin"))
    klaster = pd.concat([clusters(table, "lisa"), clusters(table, "gi")], ignore_index=True)
    return HotspotResult(table=table, klaster=klaster, moran_i=moran_i, moran_p=moran_p, n_uji=int(len(idx)),
                         n_isolat=int((~tested).sum()), alpha=alpha, permutations=permutations, arah=arah,
                         catatan=catatan)


# --------------------------------------------------------------------------------------------------
# Classes, colours, targets
# --------------------------------------------------------------------------------------------------

def kelas_order(metode: str) -> tuple[str, ...]:
    return LISA_KELAS if metode == "lisa" else GI_KELAS


def roles(metode: str, arah: int) -> dict[str, str]:
    """Colour role of each class for an indicator's direction (see :data:`WARNA`)."""
    if metode == "lisa":
        if arah >= 0:  # higher is better: low values are the problem
            return {"LL": "buruk", "HH": "baik", "LH": "buruk_pencilan", "HL": "baik_pencilan", "ns": "ns"}
        return {"HH": "buruk", "LL": "baik", "HL": "buruk_pencilan", "LH": "baik_pencilan", "ns": "ns"}
    if arah >= 0:
        return {"dingin": "buruk", "panas": "baik", "ns": "ns"}
    return {"panas": "buruk", "dingin": "baik", "ns": "ns"}


def target_kinds(metode: str, arah: int) -> tuple[str, ...]:
    """Classes whose regions go on the targeting list: the bad cluster, then the bad outlier."""
    r = roles(metode, arah)
    return tuple(k for role in ("buruk", "buruk_pencilan") for k, v in r.items() if v == role)


def class_label(kelas: str, lang: str = "id") -> str:
    return t(f"hs_k_{kelas}", lang)


def legend(result: HotspotResult, metode: str, lang: str = "id") -> Legend:
    """Categorical legend (colours by direction) with counts; no-data = regions without value or neighbour."""
    order = kelas_order(metode)
    r = roles(metode, result.arah)
    col = result.table[f"{metode}_kelas"]
    counts = [int((col == k).sum()) for k in order]
    return Legend(metode=metode, lower=[], upper=[], colors=[WARNA[r[k]] for k in order],
                  labels=[class_label(k, lang) for k in order], counts=counts,
                  n_missing=int(col.isin([TANPA_DATA, TANPA_TETANGGA]).sum()), no_data_color=NO_DATA_COLOR,
                  names=list(order))


def map_props(result: HotspotResult, metode: str, ind: catalog.Indikator, lang: str = "id") -> pd.DataFrame:
    """Properties for ``maps.choropleth``: class index ``c`` (-1 = no value or no neighbour), the value
    as text ``v``, the class label ``k`` (with the cluster's cross-border note) and the p-value ``r``."""

    tb = result.table
    order = kelas_order(metode)
    kelas = tb[f"{metode}_kelas"].tolist()
    c = [order.index(k) if k in order else -1 for k in kelas]
    lintas = _lintas_by_cluster(result, metode)
    labels = []
    for k, kl in zip(kelas, tb[f"{metode}_klaster"].tolist()):
        if k == TANPA_DATA:
            labels.append(t("no_data", lang))
        elif k == TANPA_TETANGGA:
            labels.append(t("hs_no_neighbour", lang))
        else:
            extra = lintas.get(int(kl), "")
            labels.append(class_label(k, lang) + (f" · {t(extra, lang)}" if extra else ""))
    p = [f"p = {fmt_num(x, 3, lang)}" if np.isfinite(x) else "" for x in tb[f"{metode}_p"].to_numpy(float)]
    return pd.DataFrame({
        "kode": tb["kode"], "nama": tb["nama"] if "nama" in tb else tb["kode"], "c": c,
        "v": [catalog.format_value(x, ind, lang) for x in tb["nilai"].to_numpy(dtype=float)], "k": labels, "r": p,
    })


def _lintas_by_cluster(result: HotspotResult, metode: str) -> dict[int, str]:
    k = result.klaster[result.klaster["metode"] == metode]
    out = {}
    for row in k.itertuples(index=False):
        if row.lintas_prov:
            out[int(row.klaster)] = "hs_cross_prov"
        elif row.lintas_kab:
            out[int(row.klaster)] = "hs_cross_kab"
    return out


def targets(result: HotspotResult, metode: str) -> pd.DataFrame:
    """Regions in the bad cluster class or bad outlier class of ``metode``, worst value first, with the
    cluster's cross-border flags (``lintas_kab``, ``lintas_prov``)."""
    tb = result.table
    kinds = target_kinds(metode, result.arah)
    part = tb[tb[f"{metode}_kelas"].isin(kinds)].copy()
    k = result.klaster[result.klaster["metode"] == metode].set_index("klaster")
    kl = part[f"{metode}_klaster"]
    part["lintas_kab"] = kl.map(k["lintas_kab"]).fillna(False).astype(bool) if len(k) else False
    part["lintas_prov"] = kl.map(k["lintas_prov"]).fillna(False).astype(bool) if len(k) else False
    part["_urut"] = part[f"{metode}_kelas"].map({kk: i for i, kk in enumerate(kinds)})
    part = part.sort_values(["_urut", "nilai", "kode"], ascending=[True, result.arah >= 0, True], kind="stable")
    return part.drop(columns="_urut").reset_index(drop=True)


def target_table(tg: pd.DataFrame, metode: str, ind: catalog.Indikator, lang: str = "id") -> pd.DataFrame:
    """The targeting list for display and CSV (values stay numeric; names in the interface language)."""
    yes, no = t("yes", lang), t("no", lang)
    out = pd.DataFrame({
        t("code", lang): tg["kode"], t("name", lang): tg.get("nama", tg["kode"]),
    })
    for col, key in (("nama_kec", "hs_kecamatan"), ("nama_kab", "kabupaten"), ("nama_prov", "hs_province")):
        # at kecamatan level a region's own kecamatan is itself: no column repeating the name
        if col not in tg or not tg[col].notna().any():
            continue
        own = col == "nama_kec" and "nama" in tg and tg["nama_kec"].eq(tg["nama"]).all()
        if not own:
            out[t(key, lang)] = tg[col]
    out[f"{ind.nama(lang)} ({ind.satuan})"] = tg["nilai"].round(ind.desimal + 2)
    out[t("hs_class", lang)] = [class_label(k, lang) for k in tg[f"{metode}_kelas"]]
    out[t("hs_p", lang)] = tg[f"{metode}_p"].round(4)
    out[t("hs_cluster", lang)] = tg[f"{metode}_klaster"].astype(int)
    out[t("hs_col_cross_kab", lang)] = [yes if v else no for v in tg["lintas_kab"]]
    out[t("hs_col_cross_prov", lang)] = [yes if v else no for v in tg["lintas_prov"]]
    return out


def cluster_table(result: HotspotResult, metode: str, lang: str = "id", decimals: int = 4) -> pd.DataFrame:
    """Clusters of ``metode`` for display: number, class, regions, kabupaten, cross-border flags."""
    k = result.klaster[result.klaster["metode"] == metode]
    yes, no = t("yes", lang), t("no", lang)
    return pd.DataFrame({
        t("hs_cluster", lang): k["klaster"].astype(int), t("hs_class", lang): [class_label(x, lang) for x in k["kelas"]],
        t("hs_n_regions", lang): k["n"].astype(int),
        t("hs_col_cross_kab", lang): [yes if v else no for v in k["lintas_kab"]],
        t("hs_col_cross_prov", lang): [yes if v else no for v in k["lintas_prov"]],
        t("hs_mean", lang): k["nilai_rata"].round(decimals), t("kabupaten", lang): k["kabupaten"],
    })


# --------------------------------------------------------------------------------------------------
# Cached access for the page (reads the database)
# --------------------------------------------------------------------------------------------------

@st.cache_resource(max_entries=8, show_spinner=False)
def _graph(key: tuple, level: int, induk: str, penuh: bool):
    from sinergi import data as sd

    geo = sd.query("region_geometry_wkb", level=level, induk=induk, penuh=penuh)
    return contiguity(geo["kode"], geometries_from_wkb(geo["wkb"]))


@st.cache_data(max_entries=12, ttl=3600, show_spinner=False)
def _result(key: tuple, indikator: str, tahun: int, level: int, induk: str, alpha: float, fdr: bool,
            penuh: bool) -> HotspotResult:
    from sinergi import data as sd

    values = sd.query("region_values_lineage", indikator=indikator, tahun=tahun, level=level, induk=induk)
    return analyse(values, _graph(key, level, induk, penuh), catalog.get(indikator).arah, alpha, fdr)


def hotspot_view(indikator: str, tahun: int, level: int, induk: str = "", alpha: float = 0.05,
                 fdr: bool = False, penuh: bool = False) -> HotspotResult:
    """The analysis of one view, cached per dataset and parameters (do not mutate the result)."""
    from sinergi import data as sd

    return _result(sd.dataset_key(), indikator, tahun, level, induk, float(alpha), bool(fdr), bool(penuh))


# The outlines get a pane of their own that lets the mouse through: drawn on a second canvas in the
# overlay pane, they would take every hover and click, and the regions below would show no tooltip.
OUTLINE_PANE = "batas"


@st.cache_resource(max_entries=8, show_spinner=False)
def _map(key: tuple, indikator: str, tahun: int, level: int, induk: str, alpha: float, fdr: bool, penuh: bool,
         metode: str, lang: str, height: int):
    from sinergi import explore

    res = _result(key, indikator, tahun, level, induk, alpha, fdr, penuh)
    ind = catalog.get(indikator)
    lg = legend(res, metode, lang)
    labels = explore.tooltip_labels(lang)
    labels["rank"] = t("hs_p", lang)
    # villages and kecamatan of the country or a province from vector tiles, smaller views as GeoJSON
    m = maps.choropleth(explore.map_regions(level, induk), map_props(res, metode, ind, lang), lg, labels,
                        height=height)
    # kabupaten/kota lines on top, so a cluster that crosses one is seen crossing it
    kab = explore.view_geometry(2, induk.split(".")[0] if induk else "")
    if len(kab) > 1:
        folium.map.CustomPane(OUTLINE_PANE, z_index=450, pointer_events=False).add_to(m)
        outline_layer(kab["geojson"]).add_to(m)
    return m, lg


def outline_layer(geojson) -> maps.OutlineLayer:
    """Boundaries only (no fill, no events) from GeoJSON geometry texts (WGS84), published for the browser
    to fetch; no property is embedded."""
    return maps.OutlineLayer(mapdata.publish(maps.geometry_collection(geojson)),
                             {"fill": False, "color": "#111111", "weight": 2.4, "opacity": 0.9}, pane=OUTLINE_PANE)


def hotspot_map(indikator: str, tahun: int, level: int, induk: str, alpha: float, fdr: bool, metode: str,
                lang: str = "id", height: int = 560, penuh: bool = False):
    """(folium map, legend) of the cluster classes, cached (do not mutate)."""
    from sinergi import data as sd

    return _map(sd.dataset_key(), indikator, tahun, level, induk, float(alpha), bool(fdr), bool(penuh), metode,
                lang, height)

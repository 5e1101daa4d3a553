"""A custom composite index: chosen indicators, weights, normalisation and direction; its classes, ranking
and robustness to the weights.

The recipe lives in the URL, e.g. ``?ind=iks:2,pendidikan_sma_pct:1,kerja_sama_antardesa:1:balik&norm=minmax``:
each component is ``id:weight`` with an optional ``:balik`` that reverses the catalog's direction. Ids
are checked against an allow-list from the catalog, weights must be numbers in (0, 100].

Computation, over the regions of one level (within a parent) in one year:

1. Only regions with a value for every component take part (complete cases); others get no index.
2. Each indicator is oriented so that higher = better (multiplied by its direction) and normalised over
   those regions: ``minmax`` (x − min) / (max − min) in [0, 1]; ``persentil`` mid-rank percentile
   (rank − ½) / n in (0, 1), ties averaged; ``z`` (x − mean) / standard deviation (population, ddof 0).
   An indicator constant over the regions carries no information: ½ for minmax/percentile, 0 for z.
3. The index is the weighted mean Σ wᵢ·nᵢ / Σ wᵢ (so only the weights' ratios matter).
4. Classes are rank-based k-tiles: a region of rank r (1 = lowest index, ties take the lower rank) among n
   is in class ⌊k·(r − 1)/n⌋ (0 = lowest, k − 1 = highest); equal-sized classes that do not depend on the
   index's scale, so the three normalisations are comparable.
5. Robustness: for each component the weight is multiplied by 1.1 and by 0.9 (the others unchanged), the
   index and classes are recomputed, and the regions whose class changed are counted.

Pure functions on frames; :func:`index_view` at the end is the cached entry point for the page.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from sinergi import catalog, classify
from sinergi.classify import Legend
from sinergi.i18n import fmt_num, t

NORM = ("minmax", "persentil", "z")
MAKS_KOMPONEN = 8
BOBOT_MAKS = 100.0
DELTA = 0.10  # ±10 % weight change for the robustness check
K_DEFAULT = 5
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Komponen:
    """One component: indicator id, weight (> 0) and whether its catalog direction is reversed."""

    indikator: str
    bobot: float
    balik: bool = False

    @property
    def arah(self) -> int:
        """+1 when higher values raise the index, -1 when they lower it."""
        a = catalog.get(self.indikator).arah
        return -a if self.balik else a


DEFAULT_RESEP: tuple[Komponen, ...] = (
    Komponen("iks", 2.0), Komponen("pendidikan_sma_pct", 1.0), Komponen("lembaga_per_1000", 1.0),
)


def allowed_indicators(available: Iterable[str]) -> list[str]:
    """Catalog ids (in catalog order) that may enter an index: present in the dataset, numeric (the IDM
    status class is a category, not a quantity)."""
    have = set(available)
    return [i for i in catalog.ids() if i in have and i != "status_idm"]


def _weight(text: str) -> float | None:
    try:
        w = float(text)
    except ValueError:
        return None
    return w if math.isfinite(w) and 0 < w <= BOBOT_MAKS else None


def parse_recipe(text: str | None, allowed: Iterable[str]) -> list[Komponen]:
    """Components from the URL text ``id:weight[:balik],…``; invalid or repeated tokens are dropped,
    at most :data:`MAKS_KOMPONEN` are kept. An empty result means "use the default"."""
    ok = set(allowed)
    out: list[Komponen] = []
    seen: set[str] = set()
    for token in (text or "").split(","):
        parts = token.strip().split(":")
        if len(parts) not in (2, 3) or not _ID.match(parts[0]) or parts[0] not in ok or parts[0] in seen:
            continue
        w = _weight(parts[1])
        if w is None or (len(parts) == 3 and parts[2] != "balik"):
            continue
        out.append(Komponen(parts[0], w, len(parts) == 3))
        seen.add(parts[0])
        if len(out) == MAKS_KOMPONEN:
            break
    return out


def _fmt_weight(w: float) -> str:
    return f"{w:g}"


def recipe_text(komponen: Iterable[Komponen]) -> str:
    """The URL text of a recipe (inverse of :func:`parse_recipe`)."""
    return ",".join(f"{k.indikator}:{_fmt_weight(k.bobot)}" + (":balik" if k.balik else "") for k in komponen)


def default_recipe(allowed: Iterable[str]) -> list[Komponen]:
    ok = set(allowed)
    rec = [k for k in DEFAULT_RESEP if k.indikator in ok]
    if not rec:
        rec = [Komponen(i, 1.0) for i in list(allowed)[:2]]
    return rec


# --------------------------------------------------------------------------------------------------
# Computation
# --------------------------------------------------------------------------------------------------

def normalise(x: pd.Series, metode: str, arah: int = 1) -> pd.Series:
    """Normalise values (NaN kept) so that higher = better for direction ``arah``; see the module doc."""
    if metode not in NORM:
        raise ValueError(f"Normalisasi tidak dikenal: {metode!r}")
    v = pd.to_numeric(x, errors="coerce").astype(float) * (1 if arah >= 0 else -1)
    ok = v.notna()
    out = pd.Series(np.nan, index=v.index)
    if not ok.any():
        return out
    vv = v[ok]
    if metode == "minmax":
        lo, hi = vv.min(), vv.max()
        out[ok] = 0.5 if hi == lo else (vv - lo) / (hi - lo)
    elif metode == "persentil":
        out[ok] = (vv.rank(method="average") - 0.5) / len(vv)
    else:
        sd = vv.std(ddof=0)
        out[ok] = 0.0 if sd == 0 else (vv - vv.mean()) / sd
    return out


def wide_values(long: pd.DataFrame) -> pd.DataFrame:
    """From ``region_values_multi`` rows to one row per region: ``kode, nama, kode_induk, nama_induk`` and
    one column per indicator id (region order kept)."""
    ident = long.drop_duplicates("kode")[["kode", "nama", "kode_induk", "nama_induk"]].set_index("kode")
    vals = long.pivot_table(index="kode", columns="indikator", values="nilai", aggfunc="first", dropna=False)
    out = ident.join(vals).reset_index()
    out.columns.name = None
    return out


def compute_index(wide: pd.DataFrame, komponen: list[Komponen], metode: str,
                  bobot: list[float] | None = None) -> pd.Series:
    """The index per row of ``wide`` (NaN where a component is missing). ``bobot`` overrides the weights."""
    cols = [k.indikator for k in komponen]
    w = np.array(bobot if bobot is not None else [k.bobot for k in komponen], dtype=float)
    complete = wide[cols].notna().all(axis=1)
    norm = pd.DataFrame({k.indikator: normalise(wide.loc[complete, k.indikator], metode, k.arah)
                         for k in komponen})
    idx = pd.Series(np.nan, index=wide.index)
    if complete.any():
        idx[complete] = norm[cols].to_numpy(float) @ w / w.sum()
    return idx


def classes(index: pd.Series, k: int = K_DEFAULT) -> pd.Series:
    """Rank-based k-tile class per region (0 lowest … k−1 highest; -1 without an index)."""
    ok = index.notna()
    out = pd.Series(-1, index=index.index, dtype=int)
    n = int(ok.sum())
    if n:
        r = index[ok].rank(method="min").to_numpy()
        out[ok] = np.floor(k * (r - 1) / n).astype(int)
    return out


def robustness(wide: pd.DataFrame, komponen: list[Komponen], metode: str, k: int = K_DEFAULT,
               delta: float = DELTA) -> tuple[pd.DataFrame, pd.Series]:
    """Regions that change class when each weight moves by ±``delta`` (others unchanged).

    Returns (one row per component and direction: ``indikator, perubahan`` (+1/−1), ``n_berubah``,
    ``persen`` of the regions with an index; a boolean Series per region: class unchanged under every
    perturbation). With one component the index does not depend on its weight, so nothing changes.
    """
    base_w = [c.bobot for c in komponen]
    base = classes(compute_index(wide, komponen, metode), k)
    n = int((base >= 0).sum())
    stable = pd.Series(True, index=wide.index)
    rows = []
    for i, c in enumerate(komponen):
        for sign in (+1, -1):
            w = list(base_w)
            w[i] = w[i] * (1 + sign * delta)
            cls = classes(compute_index(wide, komponen, metode, w), k)
            changed = (cls != base) & (base >= 0)
            stable &= ~changed
            rows.append({"indikator": c.indikator, "perubahan": sign, "n_berubah": int(changed.sum()),
                         "persen": 100.0 * changed.sum() / n if n else 0.0})
    stable[base < 0] = False
    return pd.DataFrame(rows, columns=["indikator", "perubahan", "n_berubah", "persen"]), stable


@dataclass
class IndexView:
    """``table``: kode, nama, nama_induk, indicator columns, indeks, kelas (-1..k-1), peringkat (1 = highest),
    stabil; ``robust``: see :func:`robustness`; ``legend`` for the map."""

    table: pd.DataFrame
    robust: pd.DataFrame
    legend: Legend
    n_lengkap: int
    n_stabil: int
    k: int


def build_view(wide: pd.DataFrame, komponen: list[Komponen], metode: str, k: int = K_DEFAULT,
               lang: str = "id") -> IndexView:
    """Index, classes, ranks, robustness and legend for one recipe over ``wide`` (:func:`wide_values`)."""
    tb = wide.copy()
    tb["indeks"] = compute_index(tb, komponen, metode)
    tb["kelas"] = classes(tb["indeks"], k)
    tb["peringkat"] = tb["indeks"].rank(ascending=False, method="min")
    robust, stable = robustness(tb, komponen, metode, k)
    tb["stabil"] = stable
    return IndexView(table=tb, robust=robust, legend=legend(tb, k, metode, lang), n_lengkap=int(tb["indeks"].notna().sum()),
                     n_stabil=int(stable.sum()), k=k)


def _dec(metode: str) -> int:
    return 2 if metode == "z" else 3


def legend(tb: pd.DataFrame, k: int, metode: str, lang: str = "id") -> Legend:
    """k classes from the lowest (alarming colour) to the highest index, with each class's value range."""
    cols = classify.colors(classify.DEFAULT_PALET, max(k, 3), +1)
    if k < 3:  # ColorBrewer starts at 3 colours: take the ends
        cols = [cols[0], cols[-1]][:k]
    lower, upper, labels, counts = [], [], [], []
    dec = _dec(metode)
    for c in range(k):
        v = tb.loc[tb["kelas"] == c, "indeks"]
        lo, hi = (float(v.min()), float(v.max())) if len(v) else (float("nan"), float("nan"))
        lower.append(lo)
        upper.append(hi)
        counts.append(int(len(v)))
        rng = f"{fmt_num(lo, dec, lang)}–{fmt_num(hi, dec, lang)}" if len(v) else "–"
        labels.append(f"{t('ci_class', lang)} {c + 1} · {rng}")
    return Legend("ktile", lower, upper, cols, labels, counts, int((tb["kelas"] < 0).sum()))


def map_props(view: IndexView, lang: str = "id", metode: str = "minmax") -> pd.DataFrame:
    """Properties for ``maps.choropleth``: class ``c``, index text ``v``, class label ``k``, rank ``r``."""
    tb = view.table
    n = view.n_lengkap
    dec = _dec(metode)
    return pd.DataFrame({
        "kode": tb["kode"], "nama": tb["nama"], "c": tb["kelas"].astype(int),
        "v": [fmt_num(x, dec, lang) if np.isfinite(x) else t("no_data", lang) for x in tb["indeks"].to_numpy(float)],
        "k": [view.legend.labels[c] if c >= 0 else t("no_data", lang) for c in tb["kelas"]],
        "r": ["" if not np.isfinite(r) else f"{int(r)} / {n}" for r in tb["peringkat"].to_numpy(float)],
    })


def ranking_table(view: IndexView, komponen: list[Komponen], lang: str = "id", metode: str = "minmax") -> pd.DataFrame:
    """Regions with an index, best first: rank, code, name, parent, index, class, stability, raw values."""
    tb = view.table[view.table["indeks"].notna()].sort_values(["peringkat", "kode"], kind="stable")
    yes, no = t("yes", lang), t("no", lang)
    out = pd.DataFrame({
        t("rank", lang): tb["peringkat"].astype(int), t("code", lang): tb["kode"], t("name", lang): tb["nama"],
        t("parent", lang): tb["nama_induk"], t("ci_index", lang): tb["indeks"].round(_dec(metode) + 1),
        t("ci_class", lang): tb["kelas"].astype(int) + 1,
        t("ci_stable", lang): [yes if s else no for s in tb["stabil"]],
    })
    for c in komponen:
        ind = catalog.get(c.indikator)
        out[f"{ind.nama(lang)} ({ind.unit(lang)})"] = tb[c.indikator].round(ind.desimal + 2)
    return out.reset_index(drop=True)


def robustness_table(view: IndexView, lang: str = "id") -> pd.DataFrame:
    """Robustness for display: one row per indicator, regions changing class with its weight +10 % and −10 %."""
    r = view.robust
    rows = []
    for ind_id, part in r.groupby("indikator", sort=False):
        by = part.set_index("perubahan")["n_berubah"]
        rows.append({t("indicator", lang): catalog.get(ind_id).nama(lang), "+10%": int(by.get(1, 0)),
                     "−10%": int(by.get(-1, 0))})
    return pd.DataFrame(rows, columns=[t("indicator", lang), "+10%", "−10%"])


# --------------------------------------------------------------------------------------------------
# Cached entry points for the page
# --------------------------------------------------------------------------------------------------

@st.cache_data(max_entries=32, ttl=3600, show_spinner=False)
def _view(key: tuple, resep: str, metode: str, tahun: int, level: int, induk: str, k: int, lang: str) -> IndexView:
    from sinergi import data as sd

    komponen = parse_recipe(resep, catalog.ids())
    long = sd.query("region_values_multi", indikator=[c.indikator for c in komponen], tahun=tahun, level=level,
                    induk=induk)
    return build_view(wide_values(long), komponen, metode, k, lang)


def index_view(komponen: list[Komponen], metode: str, tahun: int, level: int, induk: str = "", k: int = K_DEFAULT,
               lang: str = "id") -> IndexView:
    """The view of one recipe, cached per dataset and parameters (do not mutate)."""
    from sinergi import data as sd

    return _view(sd.dataset_key(), recipe_text(komponen), metode, tahun, level, induk, k, lang)


@st.cache_resource(max_entries=8, show_spinner=False)
def _map(key: tuple, resep: str, metode: str, tahun: int, level: int, induk: str, k: int, lang: str, height: int):
    from sinergi import explore, maps

    view = _view(key, resep, metode, tahun, level, induk, k, lang)
    labels = explore.tooltip_labels(lang)
    labels["value"] = t("ci_index", lang)
    # villages and kecamatan of the country or a province from vector tiles, smaller views as GeoJSON
    return maps.choropleth(explore.map_regions(level, induk), map_props(view, lang, metode), view.legend, labels,
                           height=height)


def index_map(komponen: list[Komponen], metode: str, tahun: int, level: int, induk: str = "", k: int = K_DEFAULT,
              lang: str = "id", height: int = 520):
    """The folium map of the index classes, cached (do not mutate)."""
    from sinergi import data as sd

    return _map(sd.dataset_key(), recipe_text(komponen), metode, tahun, level, induk, k, lang, height)

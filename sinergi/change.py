"""Change over time: the change of an indicator between two years in diverging classes, value maps for a
year slider that keep one legend for all years (and the map view), and summaries of the change.

Diverging classes (k odd, 5 by default) are symmetric around zero: with M = the 98th percentile of |Δ|
over the regions shown (so one extreme region does not flatten the map), the positive edges are
M·1/k, M·3/k, … and the negatives their mirror; the middle class (−M/k … M/k) is "about the same"; the
outer classes are open. A value exactly on an edge stays in the class nearer zero. Colours come from the
same colour-blind-safe ColorBrewer RdYlBu scheme as every map, oriented by the indicator's direction:
a change for the worse is red, for the better blue, whatever the sign.

Pure functions on frames, plus cached entry points for the page at the end.
"""

from __future__ import annotations

import folium
import numpy as np
import pandas as pd
import streamlit as st

from sinergi import catalog, classify
from sinergi.classify import Legend
from sinergi.i18n import fmt_num, t

K_DEFAULT = 5
Q_SKALA = 0.98


def with_delta(pairs: pd.DataFrame) -> pd.DataFrame:
    """``pairs`` (``nilai_a``, ``nilai_b`` per region) with ``delta`` = b − a (NaN unless both exist),
    rounded to 10 decimals so that equal changes are equal (0.65 − 0.60 ≠ 0.50 − 0.45 in binary)."""
    out = pairs.copy()
    d = pd.to_numeric(out["nilai_b"], errors="coerce") - pd.to_numeric(out["nilai_a"], errors="coerce")
    out["delta"] = d.round(10)
    return out


def scale(delta: np.ndarray, q: float = Q_SKALA) -> float:
    """M: the ``q`` quantile of |Δ| over finite changes (the largest |Δ| when that is 0; 0 if all are 0)."""
    a = np.abs(np.asarray(delta, dtype=float))
    a = a[np.isfinite(a)]
    if not len(a):
        return 0.0
    m = float(np.quantile(a, q))
    return m if m > 0 else float(a.max())


def diverging_edges(m: float, k: int = K_DEFAULT) -> np.ndarray:
    """Positive inner edges M·(2j − 1)/k for j = 1 … k // 2 (the negative edges are their mirror)."""
    if k < 3 or k % 2 == 0:
        raise ValueError("Jumlah kelas perubahan harus ganjil dan ≥ 3.")
    return np.array([m * (2 * j - 1) / k for j in range(1, k // 2 + 1)])


def diverging_classes(delta, ind: catalog.Indikator, k: int = K_DEFAULT, lang: str = "id",
                      q: float = Q_SKALA) -> tuple[np.ndarray, Legend]:
    """Class per change (0 = most negative … k − 1 = most positive, −1 no change computable) and legend."""
    d = np.asarray(delta, dtype=float)
    finite = np.isfinite(d)
    m = scale(d, q)
    edges = diverging_edges(m, k)
    half = k // 2
    cls = np.full(d.shape, -1, dtype=int)
    steps = (np.abs(d[finite])[:, None] > edges[None, :]).sum(axis=1) if m > 0 else np.zeros(finite.sum(), int)
    cls[finite] = half + np.sign(d[finite]).astype(int) * steps
    cols = classify.colors(classify.DEFAULT_PALET, k, ind.arah)  # lowest (most negative) class first
    dec = ind.desimal
    signed = [-e for e in edges[::-1]] + list(edges)  # all k − 1 inner edges, ascending

    def f(x: float) -> str:
        return ("+" if x > 0 else "") + fmt_num(x, dec, lang)

    labels = []
    for c in range(k):
        if c == 0:
            labels.append(f"< {f(signed[0])}")
        elif c == k - 1:
            labels.append(f"> {f(signed[-1])}")
        elif c == half:
            labels.append(f"{f(signed[c - 1])} … {f(signed[c])} ({t('ch_same', lang)})")
        else:
            labels.append(f"{f(signed[c - 1])} … {f(signed[c])}")
    lower = [float("-inf")] + signed
    upper = signed + [float("inf")]
    counts = [int((cls == c).sum()) for c in range(k)]
    return cls, Legend("divergen", lower, upper, cols, labels, counts, int((~finite).sum()))


def summary(delta, cls: np.ndarray, arah: int, k: int = K_DEFAULT) -> dict[str, float]:
    """Regions that got better / about the same (middle class) / worse, by class and direction, and the
    median change. ``better`` counts classes above the middle for ``arah`` +1 (below for −1)."""
    half = k // 2
    up = int((cls > half).sum())
    down = int(((cls >= 0) & (cls < half)).sum())
    same = int((cls == half).sum())
    d = np.asarray(delta, dtype=float)
    med = float(np.nanmedian(d)) if np.isfinite(d).any() else float("nan")
    better, worse = (up, down) if arah >= 0 else (down, up)
    return {"membaik": better, "tetap": same, "memburuk": worse, "n": up + down + same, "median": med}


def largest_changes(tb: pd.DataFrame, n: int, arah: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``n`` regions that improved most and the ``n`` that worsened most (direction-aware); a region
    appears in at most one list, and only with a change of the right sign."""
    v = tb.dropna(subset=["delta"])
    v = v.assign(_g=v["delta"] * (1 if arah >= 0 else -1))
    best = v[v["_g"] > 0].sort_values(["_g", "kode"], ascending=[False, True], kind="stable").head(n)
    worst = v[v["_g"] < 0].sort_values(["_g", "kode"], ascending=[True, True], kind="stable").head(n)
    return best.drop(columns="_g").reset_index(drop=True), worst.drop(columns="_g").reset_index(drop=True)


def change_table(tb: pd.DataFrame, ind: catalog.Indikator, tahun_a: int, tahun_b: int, lang: str = "id") -> pd.DataFrame:
    """Regions with both values for display and CSV: code, name, parent, value in each year, change."""
    v = tb.dropna(subset=["delta"])
    d = ind.desimal + 2
    return pd.DataFrame({
        t("code", lang): v["kode"], t("name", lang): v["nama"], t("parent", lang): v["nama_induk"],
        f"{ind.nama(lang)} {tahun_a}": v["nilai_a"].round(d), f"{ind.nama(lang)} {tahun_b}": v["nilai_b"].round(d),
        f"Δ {tahun_a}→{tahun_b}": v["delta"].round(d),
    }).reset_index(drop=True)


def top_table(tb: pd.DataFrame, ind: catalog.Indikator, tahun_a: int, tahun_b: int, lang: str = "id") -> pd.DataFrame:
    """A compact list of regions for a narrow column: name, parent, change."""
    return pd.DataFrame({
        t("name", lang): tb["nama"], f"Δ {tahun_a}→{tahun_b}": tb["delta"].round(ind.desimal + 2),
        t("parent", lang): tb["nama_induk"],
    }).reset_index(drop=True)


def change_props(tb: pd.DataFrame, cls: np.ndarray, legend: Legend, ind: catalog.Indikator, tahun_a: int,
                 tahun_b: int, lang: str = "id") -> pd.DataFrame:
    """Tooltip properties: the change as value text (with both years' values) and its class."""

    dec = ind.desimal
    v = []
    for a, b, d in zip(tb["nilai_a"].to_numpy(float), tb["nilai_b"].to_numpy(float), tb["delta"].to_numpy(float)):
        if np.isfinite(d):
            v.append(f"{'+' if d > 0 else ''}{fmt_num(d, dec, lang)} ({tahun_a}: {catalog.format_value(a, ind, lang)}, "
                     f"{tahun_b}: {catalog.format_value(b, ind, lang)})")
        else:
            v.append(t("no_data", lang))
    return pd.DataFrame({"kode": tb["kode"], "nama": tb["nama"], "c": cls,
                         "v": v, "k": [legend.labels[c] if c >= 0 else t("no_data", lang) for c in cls]})


# --------------------------------------------------------------------------------------------------
# Values per year with one legend for every year
# --------------------------------------------------------------------------------------------------

def pooled_classes(values: pd.DataFrame, indikator: str, lang: str = "id") -> tuple[pd.DataFrame, Legend]:
    """Classes of ``values`` (``kode, tahun, nilai``, all years) with breaks computed over all years
    together (IDM family: official status classes; others: quintiles), so colours mean the same in
    every year. Returns ``values`` with ``c`` and the legend (counts over all years)."""
    ind = catalog.get(indikator)
    metode = "status" if ind.kelas_resmi == "idm" or ind.id == "status_idm" else "kuantil"
    cls, lg = classify.classify(values["nilai"].to_numpy(dtype=float), indikator, metode, 5, lang=lang)
    return values.assign(c=cls), lg


def year_props(regions: pd.DataFrame, classed: pd.DataFrame, tahun: int, legend: Legend, ind: catalog.Indikator,
               lang: str = "id") -> pd.DataFrame:
    """Tooltip properties of one year's map: every region of ``regions`` (``kode, nama``), no data where
    the year has no value."""

    y = classed[classed["tahun"] == tahun].set_index("kode")
    c = y["c"].reindex(regions["kode"]).fillna(-1).astype(int).to_numpy()
    val = y["nilai"].reindex(regions["kode"]).to_numpy(dtype=float)
    return pd.DataFrame({
        "kode": regions["kode"].to_numpy(), "nama": regions["nama"].to_numpy(), "c": c,
        "v": [catalog.format_value(x, ind, lang) for x in val],
        "k": [legend.labels[i] if i >= 0 else t("no_data", lang) for i in c],
    })


def year_legend(legend: Legend, props: pd.DataFrame) -> Legend:
    """The pooled legend with the counts of the year shown."""
    c = props["c"].to_numpy()
    return Legend(legend.metode, legend.lower, legend.upper, legend.colors, legend.labels,
                  [int((c == i).sum()) for i in range(legend.k)], int((c < 0).sum()), legend.no_data_color,
                  legend.names)


# --------------------------------------------------------------------------------------------------
# A map whose data layer can change without resetting the view
# --------------------------------------------------------------------------------------------------

def base_map(regions, labels: dict[str, str], height: int = 520) -> folium.Map:
    """The map of ``regions`` (``maps.Regions``) without colours, fitted to them. It depends on the regions
    only, so its script is the same for every year and streamlit-folium keeps the same map (and the user's
    pan and zoom) while the colours passed as ``feature_group_to_add`` (``maps.SelectionScript``, e.g. by
    ``explore.draw_map(..., colours_=...)``) change."""
    from sinergi import maps

    return maps.base_map(regions, labels, height=height)


# --------------------------------------------------------------------------------------------------
# Cached entry points for the page
# --------------------------------------------------------------------------------------------------

@st.cache_data(max_entries=24, ttl=3600, show_spinner=False)
def _change(key: tuple, indikator: str, tahun_a: int, tahun_b: int, level: int, induk: str, k: int, lang: str):
    from sinergi import data as sd

    tb = with_delta(sd.query("region_change", indikator=indikator, tahun_a=tahun_a, tahun_b=tahun_b, level=level,
                             induk=induk))
    cls, lg = diverging_classes(tb["delta"].to_numpy(float), catalog.get(indikator), k, lang)
    return tb, cls, lg


def change_view(indikator: str, tahun_a: int, tahun_b: int, level: int, induk: str = "", k: int = K_DEFAULT,
                lang: str = "id") -> tuple[pd.DataFrame, np.ndarray, Legend]:
    """(table with ``delta``, classes, legend) of one change view, cached (do not mutate)."""
    from sinergi import data as sd

    return _change(sd.dataset_key(), indikator, tahun_a, tahun_b, level, induk, k, lang)


@st.cache_resource(max_entries=8, show_spinner=False)
def _change_map(key, indikator, tahun_a, tahun_b, level, induk, k, lang, height):
    from sinergi import explore, maps

    tb, cls, lg = _change(key, indikator, tahun_a, tahun_b, level, induk, k, lang)
    ind = catalog.get(indikator)
    labels = explore.tooltip_labels(lang)
    labels["value"] = f"Δ {tahun_a}→{tahun_b}"
    return maps.choropleth(explore.map_regions(level, induk), change_props(tb, cls, lg, ind, tahun_a, tahun_b, lang),
                           lg, labels, height=height)


def change_map(indikator: str, tahun_a: int, tahun_b: int, level: int, induk: str = "", k: int = K_DEFAULT,
               lang: str = "id", height: int = 520) -> folium.Map:
    """The change map, cached (do not mutate)."""
    from sinergi import data as sd

    return _change_map(sd.dataset_key(), indikator, tahun_a, tahun_b, level, induk, k, lang, height)


@st.cache_data(max_entries=4, ttl=3600, show_spinner=False)
def _pooled(key: tuple, indikator: str, level: int, induk: str, lang: str) -> tuple[pd.DataFrame, Legend]:
    from sinergi import data as sd

    return pooled_classes(sd.query("region_values_years", indikator=indikator, level=level, induk=induk),
                          indikator, lang)


def years_with_values(indikator: str, level: int, induk: str = "", lang: str = "id") -> list[int]:
    """Years in which the view's regions have values of the indicator."""
    from sinergi import data as sd

    classed, _ = _pooled(sd.dataset_key(), indikator, level, induk, lang)
    return sorted(int(y) for y in classed["tahun"].unique())


@st.cache_resource(max_entries=12, show_spinner=False)
def _year_layer(key: tuple, indikator: str, level: int, induk: str, tahun: int, lang: str):
    from sinergi import data as sd
    from sinergi import explore, maps

    classed, lg = _pooled(key, indikator, level, induk, lang)
    names = sd.query("region_list", level=level, induk=induk)[["kode", "nama"]]
    props = year_props(names, classed, tahun, lg, catalog.get(indikator), lang)
    legend = year_legend(lg, props)
    return maps.colour_spec(explore.map_regions(level, induk), props, legend), legend


def year_layer(indikator: str, level: int, induk: str, tahun: int, lang: str = "id"):
    """(the map's colours (``maps.ColourSpec``: class and tooltip values per region, published), legend with
    that year's counts) of one year's values, classes fixed over all years; cached (do not mutate)."""
    from sinergi import data as sd

    return _year_layer(sd.dataset_key(), indikator, level, induk, tahun, lang)

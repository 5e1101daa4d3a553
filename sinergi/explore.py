"""From a view (indicator, year, level, parent, classification) to what a page draws.

``choropleth_view`` joins values to display geometries, classifies, ranks within the parent and
formats the tooltip fields; the result feeds :func:`sinergi.maps.choropleth`. No Streamlit calls
here except caching, so the same function serves pages, exports and tests.
"""

from __future__ import annotations

from dataclasses import dataclass

import folium
import numpy as np
import pandas as pd
import streamlit as st

from sinergi import catalog, classify, maps
from sinergi import data as sd
from sinergi.i18n import fmt_num, t


@dataclass
class MapView:
    table: pd.DataFrame  # kode, nama, nilai, c, kelas, rank ... one row per region
    legend: classify.Legend
    geo: pd.DataFrame


def format_value(x: float, ind: catalog.Indikator, lang: str) -> str:
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return t("no_data", lang)
    if ind.id == "status_idm":
        return catalog.nama_status(int(round(x)), lang)
    unit = f" {ind.satuan}" if ind.satuan and not ind.satuan.startswith("indeks") else ""
    return fmt_num(x, ind.desimal, lang) + unit


def rank_within(values: pd.Series, groups: pd.Series, arah: int) -> pd.Series:
    """Rank 1 = best within each group (direction-aware); NaN values get no rank."""
    return values.groupby(groups).rank(ascending=arah < 0, method="min")


def choropleth_view(indikator: str, tahun: int, level: int, induk: str = "", metode: str = "kuantil",
                    k: int = 5, palet: str = classify.DEFAULT_PALET, lang: str = "id",
                    scope: str = "nasional") -> MapView:
    """Values, classes, ranks and geometry for one map view.

    ``scope='nasional'`` computes class breaks over every region of the level in the dataset;
    ``scope='induk'`` over the regions shown (within ``induk``).
    """
    ind = catalog.get(indikator)
    vals = sd.query("region_values", indikator=indikator, tahun=tahun, level=level, induk=induk)
    base = vals
    if scope == "nasional" and induk:
        base = sd.query("region_values", indikator=indikator, tahun=tahun, level=level, induk="")
    cls_all, legend = classify.classify(base["nilai"].to_numpy(dtype=float), indikator, metode, k, palet, lang)
    table = vals.copy()
    cls = pd.Series(cls_all, index=base["kode"]).reindex(table["kode"]).to_numpy()
    if scope == "nasional" and induk:  # legend counts describe what is on screen
        legend.counts = [int((cls == i).sum()) for i in range(legend.k)]
        legend.n_missing = int((cls < 0).sum())
    table["c"] = cls.astype(int)
    table["kelas"] = [t("no_data", lang) if c < 0 else legend.labels[c] for c in table["c"]]
    parent = table["kode_induk"].fillna("")
    table["rank"] = rank_within(table["nilai"], parent, ind.arah)
    table["n_induk"] = table.groupby(parent)["nilai"].transform("count")
    geo = sd.query("region_geometry", level=level, induk=induk)
    return MapView(table=table, legend=legend, geo=geo)


def tooltip_props(view: MapView, indikator: str, lang: str) -> pd.DataFrame:
    ind = catalog.get(indikator)
    tb = view.table
    rank = [
        "" if np.isnan(r) else f"{int(r)} / {int(n)}"
        for r, n in zip(tb["rank"].to_numpy(dtype=float), tb["n_induk"].to_numpy())
    ]
    return pd.DataFrame({
        "kode": tb["kode"], "nama": tb["nama"], "c": tb["c"],
        "v": [format_value(x, ind, lang) for x in tb["nilai"].to_numpy(dtype=float)],
        "k": tb["kelas"], "r": rank,
    })


def tooltip_labels(lang: str) -> dict[str, str]:
    return {"code": t("code", lang), "value": t("value", lang), "class": t("class", lang),
            "rank": t("rank", lang)}


@st.cache_resource(max_entries=48, show_spinner=False)
def _cached_map(key: tuple, indikator: str, tahun: int, level: int, induk: str, metode: str, k: int,
                palet: str, lang: str, scope: str, selected: str, labels_on: bool, height: int):
    view = choropleth_view(indikator, tahun, level, induk, metode, k, palet, lang, scope)
    props = tooltip_props(view, indikator, lang)
    labels = None
    if labels_on and level <= 2 and len(view.geo) <= 60:
        labels = [(float(x), float(y), str(n)) for x, y, n in view.geo[["lon", "lat", "nama"]].itertuples(index=False)]
    m = maps.choropleth(view.geo, props, view.legend, tooltip_labels(lang), selected=selected or None,
                        region_labels=labels, height=height)
    return m, view


def choropleth_map(indikator: str, tahun: int, level: int, induk: str = "", metode: str = "kuantil", k: int = 5,
                   palet: str = classify.DEFAULT_PALET, lang: str = "id", scope: str = "nasional",
                   selected: str = "", labels_on: bool = True, height: int = 560) -> tuple[folium.Map, MapView]:
    """The built folium map and its view, cached per dataset and parameters (do not mutate)."""
    return _cached_map(sd.dataset_key(), indikator, tahun, level, induk, metode, k, palet, lang, scope,
                       selected, labels_on, height)

"""Computations behind the theme pages: status transitions, rankings, quadrants at the medians, the
targeting list, ministry co-presence and comparison tables.

Every function takes plain frames (as the named queries return them) and returns frames or numbers:
no Streamlit, no SQL, so each is tested on small hand-made data. The one exception, at the end, is
:func:`quadrant_map`, a cached map build (like ``explore.choropleth_map``). IDM status classes are 1..5
(1 Sangat Tertinggal … 5 Mandiri, see ``sinergi.catalog``); region codes are dotted Kemendagri codes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from sinergi import catalog, charts, safe
from sinergi.classify import QUADRANT_COLORS, QUADRANTS  # noqa: F401 (pages read themes.QUADRANTS)
from sinergi.i18n import t

STATUS = (1, 2, 3, 4, 5)
LOW_STATUS = (1, 2)  # Sangat Tertinggal, Tertinggal


# --------------------------------------------------------------------------------------------------
# Status transitions
# --------------------------------------------------------------------------------------------------

def transition_matrix(pairs: pd.DataFrame) -> pd.DataFrame:
    """Villages per (status in year A, status in year B): a 5×5 frame, rows = A, columns = B.

    ``pairs`` has ``status_a`` and ``status_b`` (1..5, null when the village has no status that year);
    villages without both are left out.
    """
    both = pairs.dropna(subset=["status_a", "status_b"])
    m = pd.crosstab(both["status_a"].astype(int), both["status_b"].astype(int))
    return m.reindex(index=list(STATUS), columns=list(STATUS), fill_value=0).astype(int)


def transition_summary(pairs: pd.DataFrame) -> dict[str, int]:
    """Counts of villages whose status went up, stayed, went down (both years known), and all pairs."""
    both = pairs.dropna(subset=["status_a", "status_b"])
    d = both["status_b"].astype(int) - both["status_a"].astype(int)
    return {"naik": int((d > 0).sum()), "tetap": int((d == 0).sum()), "turun": int((d < 0).sum()),
            "n": int(len(both))}


def distribution_chart(values: pd.DataFrame, ind: catalog.Indikator, lang: str, title: str, source: str):
    """The distribution chart of ``values``' ``nilai`` (``charts.distribution``), for ``data.derived``."""
    return charts.distribution(values["nilai"], ind, lang, title=title, source=source)


def transition_table(matrix: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """The matrix with status names as row and column labels (for display and CSV)."""
    out = matrix.copy()
    out.index = [catalog.nama_status(s, lang) for s in out.index]
    out.columns = [catalog.nama_status(s, lang) for s in out.columns]
    out.index.name = t("tm_from", lang)
    return out


# --------------------------------------------------------------------------------------------------
# Rankings
# --------------------------------------------------------------------------------------------------

def top_bottom(values: pd.DataFrame, n: int, arah: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The best ``n`` and the worst ``n`` regions by ``nilai`` (direction-aware), with their rank.

    ``values`` has ``kode, nama, nilai``; regions without a value are not ranked. Rank 1 = best;
    ties share the better rank (method "min"); order within ties is by code, so it is stable.
    The worst list is ordered from the very worst up and never repeats a region of the best list.
    """
    v = values.dropna(subset=["nilai"]).copy()
    v["peringkat"] = v["nilai"].rank(ascending=arah < 0, method="min").astype(int)
    v = v.sort_values(["peringkat", "kode"], kind="stable")
    top = v.head(n).reset_index(drop=True)
    rest = v[~v["kode"].isin(top["kode"])]  # with fewer than 2n regions, each is listed once
    bottom = rest.sort_values(["peringkat", "kode"], ascending=[False, True], kind="stable").head(n)
    return top, bottom.reset_index(drop=True)


def ranking_table(top: pd.DataFrame, bottom: pd.DataFrame, ind: catalog.Indikator, lang: str = "id") -> pd.DataFrame:
    """The top and bottom lists as one table for display and CSV (values stay numeric)."""
    parts = []
    for frame, group in ((top, t("tm_top", lang)), (bottom, t("tm_bottom", lang))):
        parts.append(pd.DataFrame({
            t("tm_group", lang): group, t("rank", lang): frame["peringkat"].astype(int),
            t("code", lang): frame["kode"], t("name", lang): frame["nama"],
            f"{ind.nama(lang)} ({ind.unit(lang)})": frame["nilai"].round(ind.desimal),
        }))
    return pd.concat(parts, ignore_index=True)


# --------------------------------------------------------------------------------------------------
# Quadrants at the medians
# --------------------------------------------------------------------------------------------------



@dataclass
class Quadrants:
    table: pd.DataFrame  # input + 'kuadran' (one of QUADRANTS, None without both values)
    median_x: float
    median_y: float
    counts: dict[str, int]


def quadrants(df: pd.DataFrame, arah_x: int = 1, arah_y: int = 1) -> Quadrants:
    """Split regions into four quadrants at the medians of ``x`` (capacity) and ``y`` (resilience).

    "Rendah" (low) means the worse side of the median given the direction: below it when higher is
    better (``arah = +1``), above it when higher is worse. A value exactly at the median counts as
    "tinggi" (not low), so the low-low group never grows by ties. Medians are over regions that have
    both values.
    """
    out = df.copy()
    both = out["x"].notna() & out["y"].notna()
    if not both.any():
        out["kuadran"] = None
        return Quadrants(out, float("nan"), float("nan"), {q: 0 for q in QUADRANTS})
    mx = float(out.loc[both, "x"].median())
    my = float(out.loc[both, "y"].median())
    low_x = out["x"] < mx if arah_x > 0 else out["x"] > mx
    low_y = out["y"] < my if arah_y > 0 else out["y"] > my
    label = np.where(low_x, "rendah_", "tinggi_").astype(object) + np.where(low_y, "rendah", "tinggi")
    out["kuadran"] = pd.Series([lab if ok else None for lab, ok in zip(label, both)], index=out.index,
                               dtype=object)
    counts = {q: int((out["kuadran"] == q).sum()) for q in QUADRANTS}
    return Quadrants(out, mx, my, counts)


def quadrant_classes(q: Quadrants, lang: str = "id"):
    """Class index per region (0..3 in QUADRANTS order, -1 without both values) and a map legend."""
    from sinergi.classify import Legend

    idx = {name: i for i, name in enumerate(QUADRANTS)}
    cls = np.array([idx.get(k, -1) if isinstance(k, str) else -1 for k in q.table["kuadran"]], dtype=int)
    labels = [t(f"q_{name}", lang) for name in QUADRANTS]
    legend = Legend("kuadran", [], [], [QUADRANT_COLORS[n] for n in QUADRANTS], labels,
                    [q.counts[n] for n in QUADRANTS], int((cls < 0).sum()), names=labels)
    return cls, legend


def low_low_table(q: Quadrants, ind_x: catalog.Indikator, ind_y: catalog.Indikator, lang: str = "id") -> pd.DataFrame:
    """Regions in the low-capacity, low-resilience quadrant, lowest resilience first (for display/CSV)."""
    tb = q.table[q.table["kuadran"] == "rendah_rendah"]
    tb = tb.sort_values(["y", "x", "kode"], ascending=[ind_y.arah > 0, ind_x.arah > 0, True], kind="stable")
    return pd.DataFrame({
        t("code", lang): tb["kode"], t("name", lang): tb["nama"], t("parent", lang): tb.get("nama_induk"),
        f"{ind_x.nama(lang)} ({ind_x.unit(lang)})": tb["x"].round(ind_x.desimal),
        f"{ind_y.nama(lang)} ({ind_y.unit(lang)})": tb["y"].round(ind_y.desimal),
    }).reset_index(drop=True)


# --------------------------------------------------------------------------------------------------
# Programme synergy
# --------------------------------------------------------------------------------------------------

def resilience_choice(years_iks: list[int], years_idm: list[int], tahun: int) -> tuple[str, int] | None:
    """The dataset's resilience indicator for the targeting list and its year: IKS, or IDM when the dataset
    has no IKS; the latest year up to ``tahun`` that has it, else its earliest year. None without either
    (programme years and index years often differ: Dana Desa 2025, IDM 2024)."""
    for ind, years in (("iks", years_iks), ("idm", years_idm)):
        if years:
            upto = [y for y in years if y <= tahun]
            return ind, (max(upto) if upto else min(years))
    return None


def targeting(base: pd.DataFrame, max_program: int = 0, quintile: float = 0.2) -> pd.DataFrame:
    """Villages with low resilience and no or few programmes: the targeting list.

    ``base`` is ``targeting_base`` (one row per village: ``ketahanan`` (IKS, or IDM), ``status`` 1..5,
    ``n_program``, ``dalam_cakupan`` …). Low resilience = status Sangat Tertinggal or Tertinggal, **or**
    a resilience value in the bottom ``quintile`` of the villages of ``base`` (≤ the 20th percentile, linear
    interpolation). Few programmes = ``n_program <= max_program``, among villages the year's programme
    rows cover (``dalam_cakupan``; all when the column is absent). Adds ``alasan`` (reason codes:
    ``status``, ``kuintil``) and sorts by the resilience value ascending (the neediest first). Villages
    without a value (kelurahan have no IKS) are never listed.
    """
    b = base.dropna(subset=["ketahanan"]).copy()
    if b.empty:
        return b.assign(alasan=pd.Series(dtype=object))
    cut = float(np.quantile(b["ketahanan"].to_numpy(float), quintile))
    by_status = b["status"].isin(LOW_STATUS)
    by_quint = b["ketahanan"] <= cut
    covered = b["dalam_cakupan"].astype(bool) if "dalam_cakupan" in b else True
    keep = (by_status | by_quint) & (b["n_program"] <= max_program) & covered
    out = b[keep].copy()  # reasons only for the villages listed (a few thousand of 85,000 nationally)
    s, q = by_status[keep].to_numpy(bool), by_quint[keep].to_numpy(bool)
    out["alasan"] = pd.Series(np.where(s & q, "status,kuintil", np.where(s, "status", "kuintil")),
                              index=out.index, dtype="str")
    return out.sort_values(["ketahanan", "kode"], kind="stable").reset_index(drop=True)


def targeting_table(target: pd.DataFrame, lang: str = "id", label: str = "IKS") -> pd.DataFrame:
    """The targeting list for display and CSV: names, the resilience value (column ``label``, e.g. IKS or
    IDM), status name, programmes, reason in words."""
    reason = {"status": t("sp_reason_status", lang), "kuintil": t("sp_reason_quintile", lang).format(ind=label)}
    return pd.DataFrame({
        t("code", lang): target["kode"], t("name", lang): target["nama"], t("kecamatan", lang): target["nama_kec"],
        t("kabupaten", lang): target["nama_kab"], label: target["ketahanan"].round(4),
        t("status", lang): [catalog.nama_status(int(s), lang) if s == s else t("no_data", lang)
                            for s in target["status"]],
        t("sp_n_program", lang): target["n_program"].astype(int),
        t("sp_ministries", lang): target["kementerian"],
        t("sp_reason", lang): ["; ".join(reason[r] for r in a.split(",") if r) for a in target["alasan"]],
    }).reset_index(drop=True)


def quintile_cut(base: pd.DataFrame, quintile: float = 0.2) -> float | None:
    """The resilience value at the bottom-quintile boundary of ``base`` (None without values)."""
    v = base["ketahanan"].dropna().to_numpy(float)
    return float(np.quantile(v, quintile)) if len(v) else None


def copresence(presence: pd.DataFrame) -> pd.DataFrame:
    """Ministry × ministry matrix: villages where both ministries have a programme (diagonal =
    villages each ministry reaches). ``presence`` has ``kode_desa, kementerian`` (one row per pair or
    more). Ministries ordered by reach, then name."""
    p = presence[["kode_desa", "kementerian"]].drop_duplicates()
    if p.empty:
        return pd.DataFrame(dtype=int)
    v, _ = pd.factorize(p["kode_desa"])
    k, names = pd.factorize(p["kementerian"])
    x = np.zeros((v.max() + 1, len(names)), dtype=np.int64)  # village × ministry, 0/1
    x[v, k] = 1
    m = pd.DataFrame(x.T @ x, index=list(names), columns=list(names))
    order = sorted(m.columns, key=lambda c: (-int(m.loc[c, c]), c))
    return m.loc[order, order]


def ministry_reach(presence: pd.DataFrame, n_villages: int) -> pd.DataFrame:
    """Villages reached per ministry and their share of ``n_villages`` (percent), largest first."""
    p = presence[["kode_desa", "kementerian"]].drop_duplicates()
    r = p.groupby("kementerian").size().rename("n_desa").reset_index()
    r["persen"] = 100.0 * r["n_desa"] / max(n_villages, 1)
    return r.sort_values(["n_desa", "kementerian"], ascending=[False, True]).reset_index(drop=True)


def village_ministry_table(presence: pd.DataFrame) -> pd.DataFrame:
    """One row per village: programmes per ministry (columns), total programmes and ministries."""
    if presence.empty:
        return pd.DataFrame(columns=["kode_desa", "nama", "n_program", "n_kementerian"])
    w = presence.pivot_table(index=["kode_desa", "nama"], columns="kementerian", values="n_program",
                             aggfunc="sum", fill_value=0)
    w["n_program"] = w.sum(axis=1)
    w["n_kementerian"] = (w.drop(columns="n_program") > 0).sum(axis=1)
    w.columns.name = None
    return w.reset_index().sort_values(["n_kementerian", "n_program", "kode_desa"],
                                       ascending=[False, False, True]).reset_index(drop=True)


def network_table(measures: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """Per-village network measures (``village_network_measures``) for display/CSV, most connected first."""
    m = measures.sort_values(["derajat", "penghubung", "kode"], ascending=[False, False, True], kind="stable",
                             na_position="last")
    out = pd.DataFrame({t("code", lang): m["kode"], t("name", lang): m["nama"], t("kecamatan", lang): m["nama_kec"]})
    for col, iid in (("derajat", "jejaring_derajat"), ("jenis_mitra", "jejaring_jenis_mitra"),
                     ("penghubung", "jejaring_penghubung"), ("lembaga_per_1000", "lembaga_per_1000"),
                     ("jumlah_mitra", "jumlah_mitra")):
        ind = catalog.get(iid)
        out[f"{ind.nama(lang)} ({ind.unit(lang)})"] = m[col].round(ind.desimal)
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------------------------------
# Comparing regions
# --------------------------------------------------------------------------------------------------

def parse_codes(text: str, limit: int = 4) -> list[str]:
    """Region codes from a comma-separated URL value, normalised to dotted form, invalid ones and
    duplicates dropped, at most ``limit`` (``"3201, 32.02,x"`` → ``["32.01", "32.02"]``)."""
    from sinergi.regions import try_normalize

    out: list[str] = []
    for part in str(text or "").split(","):
        k = try_normalize(part) if part.strip() else None
        if k and k not in out:
            out.append(k)
    return out[:limit]


def compare_table(values: pd.DataFrame, kodes: list[str], names: dict[str, str], lang: str = "id",
                  indikator: list[str] | None = None) -> pd.DataFrame:
    """One row per indicator: each region's value and its difference from the first region.

    ``values`` has ``kode, indikator, nilai`` (``compare_values``). Columns: ``indikator`` (id),
    ``Indikator`` (name), ``Satuan``, then per region ``<name>`` (value), then per other region
    ``Δ <name>`` (value minus the first region's; positive = higher). Numbers stay numbers (rounded to
    the indicator's decimals) so the CSV is usable; missing = NaN.
    """
    wide = values.pivot_table(index="indikator", columns="kode", values="nilai", aggfunc="first")
    ids = [i for i in (indikator or catalog.ids()) if i in wide.index]
    rows = []
    first = kodes[0]
    for iid in ids:
        ind = catalog.get(iid)
        row = {"indikator": iid, t("indicator", lang): ind.nama(lang), t("unit", lang): ind.unit(lang)}
        base = wide.at[iid, first] if first in wide.columns else np.nan
        for k in kodes:
            v = wide.at[iid, k] if k in wide.columns else np.nan
            row[names.get(k, k)] = round(float(v), ind.desimal) if v == v else np.nan
        for k in kodes[1:]:
            v = wide.at[iid, k] if k in wide.columns else np.nan
            d = float(v) - float(base) if (v == v and base == base) else np.nan
            row[f"Δ {names.get(k, k)}"] = round(d, ind.desimal) if d == d else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


def percentile_frame(values: pd.DataFrame, kodes: list[str], names: dict[str, str], tema: str,
                     lang: str = "id", kolom: str = "pct_nasional") -> pd.DataFrame:
    """Long frame for bars/radar: ``wilayah, indikator, nama, persentil`` (0–100, direction-aware so
    100 is always the best) for the theme's indicators present in ``values``."""
    ids = [i.id for i in catalog.by_tema(tema)]
    if tema == "ketahanan_sosial":
        ids = ids + ["idm"]
    v = values[values["indikator"].isin(ids) & values["kode"].isin(kodes)].copy()
    arah = {i: catalog.get(i).arah for i in ids}
    p = v[kolom].astype(float) * 100
    v["persentil"] = np.where(v["indikator"].map(arah) < 0, 100 - p, p)
    v["wilayah"] = v["kode"].map(lambda k: names.get(k, k))
    v["nama"] = v["indikator"].map(lambda i: catalog.get(i).nama(lang))
    order = {i: n for n, i in enumerate(ids)}
    v = v.sort_values(by=["indikator", "kode"], key=lambda s: s.map(order) if s.name == "indikator"
                      else s.map({k: n for n, k in enumerate(kodes)}))
    return v[["kode", "wilayah", "indikator", "nama", "nilai", "persentil"]].reset_index(drop=True)


def md(text: object) -> str:
    """Text from data made inert for Streamlit Markdown (see :func:`sinergi.safe.md`)."""
    return safe.md(text)


def format_cell(x: float, indikator: str, lang: str) -> str:
    """An indicator value as display text (status names for the status, units otherwise)."""

    return catalog.format_value(x, catalog.get(indikator), lang)


# --------------------------------------------------------------------------------------------------
# Maps that highlight a group (cached: reruns reuse the built map)
# --------------------------------------------------------------------------------------------------

def quadrant_props(q: Quadrants, cls: np.ndarray, ind_x: catalog.Indikator, ind_y: catalog.Indikator,
                   lang: str = "id") -> pd.DataFrame:
    """Tooltip properties for ``maps.choropleth``: name, code, quadrant class and both values as text."""

    tb = q.table
    value = [f"{catalog.format_value(x, ind_x, lang)} · {catalog.format_value(y, ind_y, lang)}"
             for x, y in zip(tb["x"].to_numpy(float), tb["y"].to_numpy(float))]
    kelas = [t(f"q_{k}", lang) if isinstance(k, str) else t("no_data", lang) for k in tb["kuadran"]]
    return pd.DataFrame({"kode": tb["kode"], "nama": tb["nama"], "c": cls, "v": value, "k": kelas})


def _dataset_key():
    from sinergi import data as sd

    return sd.dataset_key()


def quadrant_map(ind_x: str, ind_y: str, tahun: int, level: int, induk: str, lang: str = "id",
                 height: int = 520):
    """(folium map, Quadrants, Legend) of regions coloured by quadrant; low-low in the alarming colour.

    Cached per dataset and parameters (do not mutate the results).
    """
    return _quadrant_map(_dataset_key(), ind_x, ind_y, tahun, level, induk, lang, height)


@st.cache_resource(max_entries=16, show_spinner=False)
def _quadrant_map(key, ind_x, ind_y, tahun, level, induk, lang, height):
    from sinergi import data as sd
    from sinergi import explore, maps

    xy = sd.query("region_values_xy", ind_x=ind_x, ind_y=ind_y, tahun=tahun, level=level, induk=induk)
    ix, iy = catalog.get(ind_x), catalog.get(ind_y)
    q = quadrants(xy, ix.arah, iy.arah)
    cls, legend = quadrant_classes(q, lang)
    labels = explore.tooltip_labels(lang)
    labels["value"] = f"{ix.nama(lang)} · {iy.nama(lang)}"
    m = maps.choropleth(explore.map_regions(level, induk), quadrant_props(q, cls, ix, iy, lang), legend, labels,
                        height=height)
    return m, q, legend


def region_network_figure(induk: str, tahun: int, lang: str, title: str, source: str):
    """The network figure of a kabupaten or kecamatan (``network.network_figure``), cached per dataset
    and parameters so reruns of the page do not rebuild it (a large kabupaten takes ~0.3 s).
    Returns None when the region has no network nodes."""
    return _region_network_figure(_dataset_key(), induk, tahun, lang, title, source)


@st.cache_resource(max_entries=16, show_spinner=False)
def _region_network_figure(key, induk, tahun, lang, title, source):
    from sinergi import data as sd
    from sinergi import charts

    nodes = sd.query("network_nodes", induk=induk, tahun=tahun)
    if nodes.empty:
        return None
    edges = sd.query("network_edges", induk=induk, tahun=tahun)
    return charts.network_figure(nodes, edges, induk, lang, title=title, source=source, height=680)


@dataclass
class ProgrammeTables:
    reach: pd.DataFrame  # ministry_reach
    copresence: pd.DataFrame  # copresence
    villages: pd.DataFrame  # village_ministry_table


def programme_tables(tahun: int, induk: str) -> ProgrammeTables:
    """Ministry reach, co-presence and the village × ministry table of a region in a year, cached per
    dataset and parameters (do not mutate): nationally they come from 136,000 village-ministry rows and
    were rebuilt on every rerun of the page, also when only the targeting list's setting changed."""
    return _programme_tables(_dataset_key(), tahun, induk)


@st.cache_data(max_entries=8, ttl=3600, show_spinner=False)
def _programme_tables(key, tahun: int, induk: str) -> ProgrammeTables:
    from sinergi import data as sd

    presence = sd.query("program_presence", tahun=tahun, induk=induk)
    n_desa = len(sd.query("targeting_base", tahun=tahun, induk=induk, indikator="iks", tahun_ketahanan=tahun))
    return ProgrammeTables(ministry_reach(presence, n_desa), copresence(presence), village_ministry_table(presence))

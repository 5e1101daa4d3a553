"""The social network of villages, local institutions and outside partners (tables ``simpul``/``ikatan``).

- :func:`build_graph` turns the two tables into an undirected ``networkx.Graph``; a tie's ``tahun`` is
  the year it started (null = always), and duplicate ties keep the earliest year.
- :func:`village_measures` computes, per village and year, the measures the map shows as indicators:

  ``jejaring_derajat``
      degree of the village's own node: distinct nodes tied to it (its institutions, villages it
      cooperates with, partners working with it directly);
  ``jejaring_jenis_mitra``
      number of distinct partner types (``simpul.jenis`` of ``tipe = 'mitra'`` nodes: instansi
      pemerintah, perguruan tinggi, LSM, swasta, BUMN …) tied to the village or to any of its institutions;
  ``jejaring_penghubung``
      bridging ties: ties of the village or its institutions to a village or institution whose home
      village lies in another kecamatan (partners have no home village and never count here).

  A tie counts from its start year on, so the values of 2019 only see ties started by 2019.
- :func:`layout` places a region's nodes for drawing; ``sinergi.charts.network_figure`` draws them with plotly.

Node ids are free text (the demo uses ``desa:<kode>``, ``lembaga:<kode>:<n>``, ``mitra:<prov>:<n>``);
home villages are dotted Kemendagri codes (``97.01.01.2001``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sinergi.i18n import t

if TYPE_CHECKING:  # imported where a graph is built: every page imports this module (through charts)
    import networkx as nx

MEASURES = ("jejaring_derajat", "jejaring_jenis_mitra", "jejaring_penghubung")
_ALWAYS = -(10**6)  # start year for ties without a year: they count in every year


def kecamatan_of(kode_desa: str | None) -> str | None:
    """Kecamatan code (``97.01.01``) of a dotted village code; None when there is none."""
    if not kode_desa or not isinstance(kode_desa, str) or kode_desa.count(".") != 3:
        return None
    return kode_desa.rsplit(".", 1)[0]


def build_graph(simpul: pd.DataFrame, ikatan: pd.DataFrame, tahun: int | None = None) -> nx.Graph:
    """Undirected graph of the network.

    Parameters
    ----------
    simpul : ``id, tipe (desa|lembaga|mitra), jenis, nama, kode_desa`` (home village; null for mitra).
    ikatan : ``dari, ke, jenis, tahun`` (start year or null).
    tahun : keep only ties started in or before this year (None = all ties).

    Node attributes: ``tipe, jenis, nama, kode_desa``; edge attributes: ``jenis, tahun`` (earliest start
    year when the same pair is tied twice; ``None`` when unknown). Ties naming an unknown node are
    dropped, so a partly imported network never invents nodes.
    """
    import networkx as nx

    g = nx.Graph()
    for rec in simpul[["id", "tipe", "jenis", "nama", "kode_desa"]].itertuples(index=False):
        kd = rec.kode_desa if isinstance(rec.kode_desa, str) and rec.kode_desa else None
        g.add_node(rec.id, tipe=rec.tipe, jenis=rec.jenis, nama=rec.nama, kode_desa=kd)
    years = pd.to_numeric(ikatan["tahun"], errors="coerce") if "tahun" in ikatan else pd.Series(np.nan)
    for a, b, jenis, th in zip(ikatan["dari"], ikatan["ke"], ikatan["jenis"], years):
        if a == b or a not in g or b not in g:
            continue
        th = None if th != th else int(th)  # NaN -> unknown year
        if tahun is not None and th is not None and th > tahun:
            continue
        if g.has_edge(a, b):
            old = g.edges[a, b]["tahun"]
            if old is not None and (th is None or th < old):
                g.edges[a, b].update(jenis=jenis, tahun=th)
            continue
        g.add_edge(a, b, jenis=jenis, tahun=th)
    return g


def _start(th: int | None) -> int:
    return _ALWAYS if th is None else th


def village_measures(g: nx.Graph, years: Iterable[int]) -> pd.DataFrame:
    """Per village (a ``tipe='desa'`` node) and year: degree, distinct partner types, bridging ties.

    Returns ``kode, tahun, jejaring_derajat, jejaring_jenis_mitra, jejaring_penghubung`` sorted by
    kode and year (see the module docstring for the definitions).
    """
    years = sorted({int(y) for y in years})
    members: dict[str, list[str]] = defaultdict(list)  # village code -> its desa and lembaga nodes
    village_node: dict[str, str] = {}
    for n, d in g.nodes(data=True):
        kd = d.get("kode_desa")
        if not kd:
            continue
        if d.get("tipe") == "desa":
            village_node[kd] = n
        if d.get("tipe") in ("desa", "lembaga"):
            members[kd].append(n)
    rows = []
    for kd in sorted(village_node):
        own_kec = kecamatan_of(kd)
        node = village_node[kd]
        deg_start = np.array([_start(th) for _, _, th in g.edges(node, data="tahun")], dtype=np.int64)
        mitra_first: dict[str, int] = {}  # partner type -> earliest tie start
        bridge_start = []
        for m in members[kd]:
            for _, other, th in g.edges(m, data="tahun"):
                od = g.nodes[other]
                s = _start(th)
                if od.get("tipe") == "mitra":
                    j = od.get("jenis")
                    mitra_first[j] = min(s, mitra_first.get(j, s))
                    continue
                other_kec = kecamatan_of(od.get("kode_desa"))
                if other_kec is not None and own_kec is not None and other_kec != own_kec:
                    bridge_start.append(s)
        mitra_start = np.array(list(mitra_first.values()), dtype=np.int64)
        bridge = np.array(bridge_start, dtype=np.int64)
        for y in years:
            rows.append((kd, y, int((deg_start <= y).sum()), int((mitra_start <= y).sum()),
                         int((bridge <= y).sum())))
    return pd.DataFrame(rows, columns=["kode", "tahun", *MEASURES])


def village_measures_from_tables(simpul: pd.DataFrame, ikatan: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """:func:`village_measures` of :func:`build_graph`'s graph, the same frame, counted from the two tables
    with array operations instead of a graph of Python objects (a national network of ~700,000 nodes
    took ~1 GB and two minutes as a graph; here a few seconds and tens of MB).

    The same rules: a node's attributes are those of its last row, its order that of its first; ties that
    name an unknown node or the node itself are dropped; a pair tied twice keeps its earliest start (none
    = always). A village is a ``tipe='desa'`` node with a home village (the last such node of a code);
    its members are the ``desa`` and ``lembaga`` nodes of that code.
    """
    years = sorted({int(y) for y in years})
    last = simpul.drop_duplicates("id", keep="last").set_index("id")
    ids = simpul["id"].drop_duplicates(keep="first").to_numpy()  # node order: first appearance
    nodes = last.loc[ids]
    kd = np.array([k if isinstance(k, str) and k else None for k in nodes["kode_desa"]], dtype=object)
    kec = np.array([kecamatan_of(k) for k in kd], dtype=object)
    tipe = nodes["tipe"].to_numpy(dtype=object)
    is_mitra = tipe == "mitra"
    jenis, _ = pd.factorize(nodes["jenis"], use_na_sentinel=False)  # missing: a type of its own
    # ties between known nodes (node positions), self-ties dropped, each pair once with its earliest start
    pos = pd.Index(ids)
    a, b = pos.get_indexer(ikatan["dari"]), pos.get_indexer(ikatan["ke"])
    th = pd.to_numeric(ikatan["tahun"], errors="coerce") if "tahun" in ikatan else pd.Series(np.nan, index=ikatan.index)
    th = th.to_numpy(dtype=float)
    ok = (a >= 0) & (b >= 0) & (a != b)
    start = np.where(np.isnan(th), _ALWAYS, np.trunc(np.nan_to_num(th))).astype(np.int64)[ok]
    lo, hi = np.minimum(a[ok], b[ok]), np.maximum(a[ok], b[ok])
    pairs = pd.DataFrame({"lo": lo, "hi": hi, "s": start}).groupby(["lo", "hi"], sort=False)["s"].min().reset_index()
    src = np.concatenate([pairs["lo"].to_numpy(), pairs["hi"].to_numpy()])  # each tie seen from both ends
    dst = np.concatenate([pairs["hi"].to_numpy(), pairs["lo"].to_numpy()])
    s = np.concatenate([pairs["s"].to_numpy(), pairs["s"].to_numpy()])
    # villages (sorted by code) and each node's village as a member
    desa = np.flatnonzero((tipe == "desa") & (kd != None))  # noqa: E711 (element-wise)
    village_node = dict(zip(kd[desa], desa))  # the last node of a code wins
    kode = np.array(sorted(village_node), dtype=object)
    ke_desa = {k: i for i, k in enumerate(kode)}
    own = np.array([ke_desa[kd[n]] if n == village_node.get(kd[n]) else -1 for n in range(len(kd))]
                   if len(kd) else [], dtype=np.int64)  # the village whose own node this is
    anggota = np.isin(tipe, ["desa", "lembaga"]) & (kd != None)  # noqa: E711
    member_of = np.array([ke_desa[k] if m and k in ke_desa else -1 for k, m in zip(kd, anggota)], dtype=np.int64)
    own_kec = kec  # a member's kecamatan is its village's (the same code)
    # degree: ties of the village's own node; partner types: earliest tie of a member to a partner of each
    # type; bridging: ties of members to non-partners whose home village lies in another kecamatan
    d_v, d_s = own[src], s
    d_keep = d_v >= 0
    m_v = member_of[src]
    mitra = (m_v >= 0) & is_mitra[dst]
    per_jenis = pd.DataFrame({"v": m_v[mitra], "j": jenis[dst[mitra]], "s": s[mitra]}).groupby(
        ["v", "j"], sort=False)["s"].min()
    k_src, k_dst = own_kec[src], kec[dst]
    bridge = (m_v >= 0) & ~is_mitra[dst] & (k_src != None) & (k_dst != None) & (k_src != k_dst)  # noqa: E711
    n, T = len(kode), len(years)
    if not n * T:
        return pd.DataFrame([], columns=["kode", "tahun", *MEASURES])
    counts = []
    for y in years:
        counts.append((np.bincount(d_v[d_keep & (d_s <= y)], minlength=n),
                       np.bincount(per_jenis.index.get_level_values("v")[per_jenis.to_numpy() <= y], minlength=n),
                       np.bincount(m_v[bridge & (s <= y)], minlength=n)))
    out = {"kode": np.repeat(kode, T), "tahun": np.tile(np.asarray(years, dtype=np.int64), n)}
    for k, name in enumerate(MEASURES):
        out[name] = np.stack([c[k] for c in counts], axis=1).reshape(-1).astype(np.int64)
    return pd.DataFrame(out, columns=["kode", "tahun", *MEASURES])


def indicator_rows(simpul: pd.DataFrame, ikatan: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """The network measures as long-form village values (``kode, tahun, indikator, nilai, flag``).

    Used at build time so the measures are ordinary catalog indicators (aggregated, percentiled,
    mapped like any other).
    """
    wide = village_measures_from_tables(simpul, ikatan, years)
    long = wide.melt(id_vars=["kode", "tahun"], value_vars=list(MEASURES), var_name="indikator",
                     value_name="nilai")
    long["nilai"] = long["nilai"].astype(float)
    long["flag"] = None
    return long[["kode", "tahun", "indikator", "nilai", "flag"]]


# --------------------------------------------------------------------------------------------------
# Drawing a region's network
# --------------------------------------------------------------------------------------------------

TIPE_COLORS = {"desa": "#1f4e79", "lembaga": "#7fbf7b"}
MITRA_COLORS = {  # ColorBrewer Dark2: distinct for colour-blind viewers in hue and lightness
    "instansi_pemerintah": "#d95f02", "perguruan_tinggi": "#7570b3", "lsm": "#e7298a",
    "swasta": "#a6761d", "bumn": "#666666",
}
OUTSIDE_COLOR = "#bdbdbd"
EDGE_STYLE = {  # tie kind -> (colour, width)
    "anggota": ("#c7c7c7", 1.0),
    "kerja_sama_antardesa": ("#1f4e79", 2.0),
    "kemitraan": ("#d95f02", 1.5),
    "pendampingan": ("#1b9e77", 1.5),
}
BRIDGE_STYLE = ("#b2182b", 3.0)


def layout(nodes: pd.DataFrame, edges: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """Deterministic positions: villages at their centroid, institutions on a ring around their
    village, partners at the mean of the nodes they are tied to (pulled slightly apart).

    ``nodes`` has ``id, tipe, kode_desa, lon, lat`` (lon/lat of the home village, WGS84 degrees; null
    for partners). Longitudes are scaled by cos(latitude) so distances look right on screen.
    """
    pos: dict[str, tuple[float, float]] = {}
    home = nodes[nodes["lon"].notna()]
    if len(home):
        coslat = math.cos(math.radians(float(home["lat"].mean())))
    else:
        coslat = 1.0
    vill = home.drop_duplicates("kode_desa")[["kode_desa", "lon", "lat"]]
    xy = np.column_stack([vill["lon"].to_numpy(float) * coslat, vill["lat"].to_numpy(float)])
    if len(xy) > 1:  # ring radius: a quarter of the typical distance to the nearest village
        d = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
        np.fill_diagonal(d, np.inf)
        r = 0.28 * float(np.median(d.min(axis=1)))
    else:
        r = 0.01
    centre = {k: (x, y) for k, (x, y) in zip(vill["kode_desa"], xy)}
    ring: dict[str, list[str]] = defaultdict(list)
    for rec in home.itertuples(index=False):
        if rec.tipe == "desa":
            pos[rec.id] = centre[rec.kode_desa]
        else:
            ring[rec.kode_desa].append(rec.id)
    for kd, ids in ring.items():
        cx, cy = centre[kd]
        for i, nid in enumerate(sorted(ids)):
            a = 2 * math.pi * i / len(ids) + 0.3
            pos[nid] = (cx + r * math.cos(a), cy + r * math.sin(a))
    nbrs: dict[str, list[str]] = defaultdict(list)
    for a, b in zip(edges["dari"], edges["ke"]):
        nbrs[a].append(b)
        nbrs[b].append(a)
    others = nodes.loc[nodes["lon"].isna(), "id"].tolist()
    for i, nid in enumerate(sorted(others)):
        pts = [pos[n] for n in nbrs.get(nid, []) if n in pos]
        cx, cy = (np.mean([p[0] for p in pts]), np.mean([p[1] for p in pts])) if pts else (0.0, 0.0)
        a = 2.399963 * i  # golden angle: partners sharing a centre do not overlap
        pos[nid] = (cx + 1.6 * r * math.cos(a), cy + 1.6 * r * math.sin(a))
    return pos


def jenis_label(jenis: str, lang: str = "id") -> str:
    """Display name of a node or tie type (``karang_taruna`` → "Karang Taruna"); unknown types readable."""
    key = f"jenis_{jenis}"
    text = t(key, lang)
    return jenis.replace("_", " ") if text == key else text

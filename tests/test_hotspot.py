"""Hotspots on constructed patterns whose answers are known: a 10×10 grid of unit squares.

- Clustered: the left half high, the right half low → global Moran's I strongly positive and significant,
  interior left cells High-High, interior right cells Low-Low, Gi* hot/cold the same way.
- Checkerboard with rook contiguity: every neighbour pair differs → global Moran's I = −1 exactly,
  every local I = −(n−1)/n and every cell in an outlier quadrant (HL/LH) alternating like the board;
  locally not significant at 5 %: a random draw of 4 neighbours all of the other colour has p ≈ 0.06.
"""

import numpy as np
import pandas as pd
import pytest
import shapely

from sinergi import catalog, hotspot

N = 10


def grid(n: int = N, kab_by: str = "row") -> pd.DataFrame:
    """Unit squares; the kabupaten split is by rows (top/bottom half) or columns (left/right half);
    the province is the same for all but the bottom-right quarter (province 98)."""
    rows = []
    for y in range(n):
        for x in range(n):
            half = (y if kab_by == "row" else x) // (n // 2)
            prov = "98" if (x >= n // 2 and y < n // 2) else "97"
            kab = f"{prov}.{half + 1:02d}"
            rows.append({"kode": f"{kab}.{y:02d}.{x:04d}", "x": x, "y": y, "kode_kab": kab, "kode_prov": prov,
                         "nama_kab": f"Kab {kab}", "nama_prov": f"Prov {prov}",
                         "geom": shapely.box(x, y, x + 1, y + 1)})
    g = pd.DataFrame(rows)
    g["nama"] = g["kode"]
    return g


@pytest.fixture(scope="module")
def queen():
    g = grid()
    return g, hotspot.contiguity(g["kode"], g["geom"])


def _board(res, col):
    return res.table.set_index(["y", "x"])[col].unstack()


def test_contiguity_counts_queen_and_rook():
    g = grid(3)
    q = hotspot.contiguity(g["kode"], g["geom"])
    r = hotspot.contiguity(g["kode"], g["geom"], rook=True)
    centre = g.loc[(g.x == 1) & (g.y == 1), "kode"].item()
    corner = g.loc[(g.x == 0) & (g.y == 0), "kode"].item()
    assert q.cardinalities[centre] == 8 and r.cardinalities[centre] == 4
    assert q.cardinalities[corner] == 3 and r.cardinalities[corner] == 2


def test_clustered_pattern_is_positive_and_significant(queen):
    g, w = queen
    vals = g.assign(nilai=np.where(g["x"] < N // 2, 10.0, 1.0) + 0.01 * g["y"])
    res = hotspot.analyse(vals, w, arah=1)
    assert res.moran_i > 0.8
    assert res.moran_p == pytest.approx(1 / 1000)  # none of 999 permutations reaches it
    lisa = _board(res, "lisa_kelas")
    gi = _board(res, "gi_kelas")
    # every cell at least two columns away from the split, not on a corner, is in a significant cluster
    for y in range(1, N - 1):
        for x in range(0, 3):
            assert lisa.loc[y, x] == "HH" and gi.loc[y, x] == "panas"
        for x in range(7, N):
            assert lisa.loc[y, x] == "LL" and gi.loc[y, x] == "dingin"
    assert not set(lisa.to_numpy().ravel()) & {"HL", "LH"}  # no outliers in a clean two-block pattern


def test_checkerboard_is_perfectly_negative():
    g = grid()
    w = hotspot.contiguity(g["kode"], g["geom"], rook=True)
    vals = g.assign(nilai=((g["x"] + g["y"]) % 2).astype(float))
    res = hotspot.analyse(vals, w, arah=1)
    assert res.moran_i == pytest.approx(-1.0)
    assert res.moran_p == pytest.approx(1 / 1000)
    n = len(g)
    assert res.table["lisa_i"].to_numpy() == pytest.approx(np.full(n, -(n - 1) / n))
    quad = _board(res, "lisa_q")
    for y in range(N):
        for x in range(N):
            assert quad.loc[y, x] == ("HL" if (x + y) % 2 == 1 else "LH")
    interior = res.table[(res.table["x"].between(1, N - 2)) & (res.table["y"].between(1, N - 2))]
    # P(4 draws from the 50 of the other colour among 99) = 50·49·48·47 / (99·98·97·96) ≈ 0.061
    assert interior["lisa_p"].between(0.04, 0.08).all()
    assert set(res.table["lisa_kelas"]) <= {"ns", "HL", "LH"}  # never a cluster class
    assert res.klaster[res.klaster["metode"] == "lisa"].empty


def test_same_seed_same_answer_and_seed_matters(queen):
    g, w = queen
    rng = np.random.default_rng(1)
    vals = g.assign(nilai=rng.normal(size=len(g)) + np.where(g["x"] < 3, 1.5, 0.0))
    a = hotspot.analyse(vals, w)
    b = hotspot.analyse(vals, w)
    c = hotspot.analyse(vals, w, seed=7)
    assert a.table["lisa_p"].tolist() == b.table["lisa_p"].tolist()
    assert a.table["gi_p"].tolist() == b.table["gi_p"].tolist()
    assert a.table["lisa_p"].tolist() != c.table["lisa_p"].tolist()


def test_clusters_crossing_kabupaten_and_province_lines(queen):
    g, w = queen  # kabupaten split by rows: the left-half HH block spans both kabupaten of province 97
    vals = g.assign(nilai=np.where(g["x"] < N // 2, 10.0, 1.0) + 0.01 * g["y"])
    res = hotspot.analyse(vals, w, arah=1)
    k = res.klaster[res.klaster["metode"] == "lisa"].set_index("kelas")
    assert set(k.index) == {"HH", "LL"}  # one connected cluster each
    assert k.loc["HH", "lintas_kab"] and not k.loc["HH", "lintas_prov"]
    assert k.loc["HH", "n_kab"] == 2 and k.loc["HH", "kabupaten"] == "Kab 97.01; Kab 97.02"
    # the right half lies in province 98 (top) and 97 (bottom): the LL cluster crosses a province line
    assert k.loc["LL", "lintas_prov"] and k.loc["LL", "lintas_kab"]


def test_cluster_inside_one_kabupaten_is_not_called_out():
    g = grid(kab_by="col")  # kabupaten = left / right half, so the left block is one kabupaten
    g["kode_prov"] = "97"
    w = hotspot.contiguity(g["kode"], g["geom"])
    vals = g.assign(nilai=np.where(g["x"] < N // 2, 10.0, 1.0) + 0.01 * g["y"])
    res = hotspot.analyse(vals, w, arah=1)
    k = res.klaster[res.klaster["metode"] == "lisa"].set_index("kelas")
    assert not k.loc["HH", "lintas_kab"] and not k.loc["HH", "lintas_prov"]


def test_missing_values_and_islands_are_excluded_not_coloured():
    g = grid(4)
    far = {"kode": "97.09.09.0001", "x": 50, "y": 50, "kode_kab": "97.09", "kode_prov": "97",
           "nama_kab": "Pulau", "nama_prov": "Prov 97", "geom": shapely.box(50, 50, 51, 51), "nama": "Pulau"}
    g = pd.concat([g, pd.DataFrame([far])], ignore_index=True)
    w = hotspot.contiguity(g["kode"], g["geom"])
    vals = g.assign(nilai=np.where(g["x"] < 2, 5.0, 1.0))
    vals.loc[0, "nilai"] = np.nan
    res = hotspot.analyse(vals, w)
    tb = res.table.set_index("kode")
    assert tb.loc["97.09.09.0001", "lisa_kelas"] == hotspot.TANPA_TETANGGA
    assert tb.loc[g.loc[0, "kode"], "lisa_kelas"] == hotspot.TANPA_DATA
    assert res.n_uji == 15 and res.n_isolat == 1
    # the excluded corner's neighbours lost one neighbour each
    assert tb.loc[g.loc[1, "kode"], "n_tetangga"] == 4


def test_constant_values_give_no_significance():
    g = grid(3)
    w = hotspot.contiguity(g["kode"], g["geom"])
    res = hotspot.analyse(g.assign(nilai=1.0), w)
    assert set(res.table["lisa_kelas"]) == {"ns"} and np.isnan(res.moran_i)
    assert "terlalu_sedikit" in res.catatan


def test_colours_and_targets_follow_the_indicator_direction(queen):
    g, w = queen
    vals = g.assign(nilai=np.where(g["x"] < N // 2, 10.0, 1.0) + 0.01 * g["y"])
    good = hotspot.analyse(vals, w, arah=+1)  # higher is better: the low block is the problem
    bad = hotspot.analyse(vals, w, arah=-1)  # higher is worse: the high block is the problem
    lg = hotspot.legend(good, "lisa")
    assert lg.names == ["HH", "LL", "HL", "LH", "ns"]
    assert lg.colors[1] == "#d7191c" and lg.colors[0] == "#2c7bb6"
    assert hotspot.legend(bad, "lisa").colors[0] == "#d7191c"
    assert set(hotspot.targets(good, "lisa")["lisa_kelas"]) == {"LL"}
    assert set(hotspot.targets(bad, "lisa")["lisa_kelas"]) == {"HH"}
    tg = hotspot.targets(good, "gi")
    assert set(tg["gi_kelas"]) == {"dingin"} and tg["nilai"].is_monotonic_increasing  # worst first
    assert sum(lg.counts) + lg.n_missing == len(g)


def test_map_properties_are_plain_text_with_cross_border_note(queen):
    g, w = queen
    vals = g.assign(nilai=np.where(g["x"] < N // 2, 0.9, 0.3) + 0.001 * g["y"])
    vals.loc[5, "nama"] = "<img src=x onerror=alert(1)>"
    res = hotspot.analyse(vals, w, arah=1)
    props = hotspot.map_props(res, "lisa", catalog.get("iks"), "id")
    assert len(props) == len(g) and set(props["c"]) <= {-1, 0, 1, 2, 3, 4}
    hh = props[props["c"] == 0]
    assert hh["k"].str.contains("lintas batas kabupaten").all()
    assert props.loc[5, "nama"] == "<img src=x onerror=alert(1)>"  # maps.py puts it in with textContent
    assert props["r"].str.startswith("p = 0,").all()


def test_target_table_for_export(queen):
    g, w = queen
    vals = g.assign(nilai=np.where(g["x"] < N // 2, 0.9, 0.3) + 0.001 * g["y"])
    res = hotspot.analyse(vals, w, arah=1)
    tb = hotspot.target_table(hotspot.targets(res, "lisa"), "lisa", catalog.get("iks"), "id")
    assert {"Kode", "Nama", "Kabupaten/kota", "Lintas batas kabupaten", "Lintas batas provinsi"} <= set(tb.columns)
    assert set(tb["Kelas klaster"]) == {"Rendah–Rendah (klaster)"}
    assert set(tb["Lintas batas provinsi"]) == {"ya"}


def test_fdr_is_stricter_than_plain_alpha(queen):
    g, w = queen
    rng = np.random.default_rng(3)
    vals = g.assign(nilai=rng.normal(size=len(g)) + np.where(g["x"] < 3, 1.0, 0.0))
    plain = hotspot.analyse(vals, w, alpha=0.05)
    fdr = hotspot.analyse(vals, w, alpha=0.05, fdr=True)
    assert (fdr.table["lisa_kelas"] != "ns").sum() <= (plain.table["lisa_kelas"] != "ns").sum()


def test_weights_from_the_tiny_database_cross_the_kota_line(tiny_con):
    from sinergi import db

    geo = db.run_query(tiny_con, "region_geometry_wkb", level=4, induk="", penuh=False)
    w = hotspot.contiguity(geo["kode"], hotspot.geometries_from_wkb(geo["wkb"]))
    # Hotel (2,1) touches Charlie (2,0), Echo (1,1), Foxtrot (3,0), Golf (3,1) and Bravo (1,0) diagonally
    hotel = set(w[("97.71.01.2003")].index)
    assert hotel == {"97.01.01.1003", "97.01.02.2002", "97.71.01.2001", "97.71.01.2002", "97.01.01.2002"}
    vals = db.run_query(tiny_con, "region_values_lineage", indikator="iks", tahun=2024, level=4, induk="")
    res = hotspot.analyse(vals, w, arah=1)
    tb = res.table.set_index("kode")
    assert tb.loc["97.01.01.1003", "lisa_kelas"] == hotspot.TANPA_DATA  # Charlie: kelurahan, no IKS
    assert tb.loc["97.71.01.2002", "nama_kab"] == "Kota Uji"
    assert res.n_uji == 7


def _brute_force_pvalues(y, adj, permutations, seed):
    """Reference: the same draws, region by region, with an explicit gather (what esda's loop does)."""
    n = len(y)
    k = np.asarray(adj.sum(axis=1)).ravel().astype(int)
    mean, sd = y.mean(), y.std()
    z = (y - mean) / sd
    den = (z * z).sum()
    ids = hotspot.permuted_ids(n, int(k.max()), permutations, seed)
    p_i, p_g = np.zeros(n), np.zeros(n)
    for i in range(n):
        nb = adj[i].indices
        i_obs = (n - 1) * z[i] * z[nb].mean() / den
        g_obs = (y[i] + y[nb].sum()) / (k[i] + 1)
        d = ids[:, : k[i]]
        d = d + (d >= i)
        i_sim = (n - 1) * z[i] * z[d].mean(axis=1) / den
        g_sim = (y[i] + y[d].sum(axis=1)) / (k[i] + 1)
        for out, sim, obs in ((p_i, i_sim, i_obs), (p_g, g_sim, g_obs)):
            tol = 1e-12 * (1 + abs(obs))
            out[i] = (min((sim >= obs - tol).sum(), (sim <= obs + tol).sum()) + 1) / (permutations + 1)
    return p_i, p_g


def test_vectorised_permutation_equals_the_region_by_region_reference(queen):
    g, w = queen
    rng = np.random.default_rng(11)
    y = rng.gamma(2.0, size=len(g)) + np.where(g["x"] < 4, 1.0, 0.0)
    adj = hotspot._adjacency(w, g["kode"].tolist())
    fast_i, fast_g = hotspot.conditional_pvalues(y, adj, 499, seed=5, chunk_cells=3000)  # many chunks
    ref_i, ref_g = _brute_force_pvalues(y, adj, 499, seed=5)
    assert fast_i == pytest.approx(ref_i) and fast_g == pytest.approx(ref_g)


def test_permutation_pvalues_agree_with_esda(queen):
    """Different random draws, the same null distribution: with 9,999 permutations the pseudo p-values of
    our vectorised step and esda's own agree closely, and so do the statistics."""
    import warnings

    from esda.getisord import G_Local
    from esda.moran import Moran_Local
    from libpysal.graph import Graph

    g, w = queen
    rng = np.random.default_rng(2)
    y = rng.normal(10, 2, size=len(g)) + np.where(g["x"] < 3, 2.0, 0.0)
    adj = hotspot._adjacency(w, g["kode"].tolist())
    ours = hotspot.local_statistics(y, adj, permutations=9999)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lm = Moran_Local(y, Graph.from_sparse(adj), permutations=9999, seed=1, keep_simulations=False, n_jobs=1)
        gi = G_Local(y, Graph.from_sparse(adj), transform="R", star=True, permutations=9999, seed=1,
                     keep_simulations=False, n_jobs=1)
    assert ours["lisa_i"].to_numpy() == pytest.approx(lm.Is)
    assert np.abs(ours["lisa_p"].to_numpy() - lm.p_sim).max() < 0.02
    assert np.abs(ours["gi_p"].to_numpy() - gi.p_sim).max() < 0.02


def test_when_every_draw_reproduces_the_observation_nothing_is_significant():
    """Three regions that all touch each other: every permutation draws the same two neighbours, so the
    simulated statistic always equals the observed one; that is no evidence at all (p = 1)."""
    tri = pd.DataFrame({"kode": ["a", "b", "c"], "geom": [shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1),
                                                             shapely.box(0, 1, 2, 2)], "nilai": [1.0, 2.0, 5.0]})
    res = hotspot.analyse(tri, hotspot.contiguity(tri["kode"], tri["geom"]))
    assert res.table["lisa_p"].tolist() == [1.0, 1.0, 1.0] and res.table["gi_p"].tolist() == [1.0, 1.0, 1.0]
    assert set(res.table["lisa_kelas"]) == {"ns"} and res.moran_p == 1.0


def test_outline_layer_carries_geometry_only():
    import json

    import folium

    geo = ['{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}']
    layer = hotspot.outline_layer(geo)
    m = folium.Map(tiles=None)
    layer.add_to(m)
    html = m.get_root().render()
    assert '"fill": false' in html and "#111111" in html
    assert layer.pane == hotspot.OUTLINE_PANE and f'pane: "{hotspot.OUTLINE_PANE}"' in html  # lets hovers through
    import gzip

    data = json.loads(gzip.decompress(layer.geometry.gz))
    assert data["features"][0]["properties"] == {} and data["features"][0]["geometry"] == json.loads(geo[0])
    assert layer.geometry.url in html and "coordinates" not in html  # the browser fetches the lines

"""Villages that no longer share edges (each perturbed and simplified on its own, as most real files):
the kecamatan, kabupaten and province built from them have no slivers, keep their true holes (a lake,
an enclave kota), stay light on the map, and the import says what it closed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely
from perturb import perturb

from sinergi import coverage, datasets, explore, geo
from sinergi.i18n import fmt_num
from sinergi.importers import apply, plan

from .conftest import tulis_geojson

BOX = (110.0, -7.3, 110.4, -7.0)  # about 44 x 33 km in province 97
LAKE = shapely.Point(110.3, -7.15).buffer(0.0135, quad_segs=32)  # a lake 3 km across, inside kabupaten 97.02
KOTA = shapely.Point(110.1, -7.15).buffer(0.03)  # villages whose seed is here form kota 97.71: an enclave in 97.01


def _tiling() -> pd.DataFrame:
    """160 Voronoi villages sharing exact edges: kabupaten 97.01 (west) around the enclave kota 97.71,
    kabupaten 97.02 (east) holding the lake; kecamatan are blocks of 0.1° x 0.15°."""
    rng = np.random.default_rng(7)
    x = rng.uniform(BOX[0], BOX[2], 160)
    y = rng.uniform(BOX[1], BOX[3], 160)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(np.column_stack([x, y])),
                                                       extend_to=shapely.box(*BOX), ordered=True))
    cells = shapely.difference(shapely.intersection(cells, shapely.box(*BOX)), LAKE)
    kota = shapely.contains_xy(KOTA, x, y)
    kab = np.where(kota, "71", np.where(x < 110.2, "01", "02"))
    kec = np.where(kota, 1, 1 + ((x - BOX[0]) // 0.1).astype(int) % 2 * 2 + ((y - BOX[1]) // 0.15).astype(int))
    frame = pd.DataFrame({"kec": [f"97.{k}.{c:02d}" for k, c in zip(kab, kec)], "geom": cells})
    frame = frame[~shapely.is_empty(frame["geom"].to_numpy())].sort_values("kec", kind="stable")
    frame["kode"] = frame["kec"] + "." + (2001 + frame.groupby("kec").cumcount()).astype(str)
    return frame.reset_index(drop=True)


def _holes(g) -> int:
    return int(shapely.get_num_interior_rings(shapely.get_parts(g)).sum())


def _parents(frame: pd.DataFrame, geoms: np.ndarray, level: int) -> dict[str, object]:
    """Plain unions (no gap closing) of ``geoms`` per parent at ``level``."""
    key = frame["kode"].str.split(".").str[:level].str.join(".")
    return {p: shapely.union_all(geoms[idx]) for p, idx in key.groupby(key).groups.items()}


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """The perturbed villages imported from a GeoJSON into dataset ``celah``: (plan, regions, tiling)."""
    base = tmp_path_factory.mktemp("celah")
    frame = _tiling()
    frame["messy"] = perturb(frame["geom"].to_numpy(), seed=3)
    path = tulis_geojson(base / "desa.geojson", [({"kode": k, "nama": f"Desa {k[-4:]}"}, g)
                                                  for k, g in zip(frame["kode"], frame["messy"])])
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SINERGI_DATA_DIR", str(base))
        r = plan.siapkan_batas(path, "celah")
        assert r.boleh_diterapkan, r.laporan.teks()
        apply.terapkan(r)
        reg = plan.baca_saat_ini("celah").regions.set_index("kode")
        info = datasets.status("celah").info
    return r, reg, frame, info


def test_the_villages_no_longer_fit(imported):
    _r, _reg, frame, _info = imported
    messy = frame["messy"].to_numpy()
    assert shapely.is_valid(messy).all() and not shapely.coverage_is_valid(messy)
    raw = _parents(frame, messy, 3)
    assert sum(_holes(g) for g in raw.values()) > 500  # slivers between villages of one kecamatan
    # every sliver is a few tens of metres wide at most (the lake is 3 km)
    holes = [shapely.Polygon(h) for g in raw.values() for p in shapely.get_parts(g) for h in p.interiors]
    assert 5 < np.median(coverage.lebar_m(holes)) < coverage.lebar_m(holes).max() < 2 * (15 + 15 + 11)


@pytest.mark.parametrize("level", [1, 2, 3])
def test_parents_keep_their_true_holes_only(imported, level):
    _r, reg, frame, _info = imported
    truth = _parents(frame, frame["geom"].to_numpy(), level)
    got = {k: reg.loc[k, "geom"] for k in truth}
    assert all(shapely.is_valid(g) for g in got.values())
    assert {k: _holes(g) for k, g in got.items()} == {k: _holes(g) for k, g in truth.items()}
    # and the same shape: what differs is the slivers and the jitter, at most ~40 m along the edges
    for k, g in got.items():
        assert shapely.area(shapely.symmetric_difference(g, truth[k])) < 0.02 * shapely.area(truth[k])


def test_the_lake_and_the_enclave_stay(imported):
    _r, reg, _frame, _info = imported
    assert _holes(reg.loc["97", "geom"]) == 1  # the lake; the kota fills its hole in kabupaten 97.01
    lake = shapely.Polygon(reg.loc["97.02", "geom"].interiors[0])
    assert geo.area_km2(lake)[0] == pytest.approx(geo.area_km2(LAKE)[0], rel=0.05)
    enclave = shapely.Polygon(reg.loc["97.01", "geom"].interiors[0])
    assert enclave.contains(shapely.point_on_surface(reg.loc["97.71", "geom"]))
    assert shapely.area(shapely.symmetric_difference(enclave, reg.loc["97.71", "geom"])) < 0.02 * enclave.area


def _exact(frame: pd.DataFrame, level: int) -> np.ndarray:
    """The regions at ``level`` built from the clean tiling, edges as dense as the messy file's (80 m)."""
    dense = shapely.set_precision(shapely.segmentize(frame["geom"].to_numpy(), 80 / 111_320), 1e-7)
    assert shapely.coverage_is_valid(dense)
    return np.array(list(_parents(frame, dense, level).values()), dtype=object)


def _peta(level: int, geoms) -> int:
    """Bytes of GeoJSON that the national map of ``level`` sends for ``geoms`` (the view's thinning)."""
    b = shapely.bounds(geoms)
    frame = pd.DataFrame({"kode": [str(i) for i in range(len(geoms))], "geojson": shapely.to_geojson(geoms),
                          "minx": b[:, 0], "miny": b[:, 1], "maxx": b[:, 2], "maxy": b[:, 3]})
    return int(explore.lighten_for_view(frame, level)["geojson"].str.len().sum())


@pytest.mark.parametrize("level", [1, 2, 3])
def test_parents_and_their_maps_are_as_light_as_from_exact_edges(imported, level):
    _r, reg, frame, _info = imported
    raw = _parents(frame, frame["messy"].to_numpy(), level)
    got = reg.loc[list(raw), "geom"].to_numpy()
    # the slivers were most of a plain union's vertices
    assert shapely.get_num_coordinates(got).sum() < 0.6 * shapely.get_num_coordinates(list(raw.values())).sum()
    # the stored map geometry is no heavier than that of the same regions with exact edges
    exact = geo.display_geometry(_exact(frame, level), level)
    disp = reg.loc[list(raw), "geom_display"].to_numpy()
    assert shapely.get_num_coordinates(disp).sum() <= 1.3 * shapely.get_num_coordinates(exact).sum()
    # while plain unions of the messy villages, simplified the same way, are several times heavier
    plain = geo.display_geometry(np.array(list(raw.values()), dtype=object), level)
    assert shapely.get_num_coordinates(plain).sum() > 3 * shapely.get_num_coordinates(disp).sum()


@pytest.mark.parametrize("level", [1, 2])
def test_national_province_and_kabupaten_maps_within_budget(imported, level):
    _r, reg, frame, _info = imported
    got = reg[reg["level"] == level].sort_index()["geom_display"].to_numpy()
    # a messy source costs the map no more than 1.3 times the same regions with exact edges
    assert _peta(level, got) <= 1.3 * _peta(level, geo.display_geometry(_exact(frame, level), level))


def test_the_import_reports_what_it_closed(imported):
    r, reg, frame, info = imported
    lap = r.laporan
    assert any("lebih sempit dari 100 m ditutup saat wilayah induk dibentuk" in m.pesan for m in lap.masalah)  # check
    assert set(lap.celah) == {1, 2, 3}
    assert [lap.celah[lv].induk for lv in (3, 2, 1)] == [int((reg["level"] == lv).sum()) for lv in (3, 2, 1)]
    # kecamatan: every hole of a plain union of its messy villages was a gap, except the true ones
    messy, clean = _parents(frame, frame["messy"].to_numpy(), 3), _parents(frame, frame["geom"].to_numpy(), 3)
    k = lap.celah[3]
    assert k.celah == sum(_holes(g) for g in messy.values()) - sum(_holes(g) for g in clean.values())
    assert k.lubang == sum(_holes(g) for g in clean.values())
    filled = sum(geo.area_km2(reg.loc[p, "geom"])[0] - geo.area_km2(messy[p])[0] for p in messy)
    assert k.luas_celah_km2 == pytest.approx(filled, rel=0.02)
    # overlaps: the villages' areas add up to more than the kecamatan they form
    over = sum(geo.area_km2(frame.loc[frame["kec"] == p, "messy"].to_numpy()).sum() - geo.area_km2(messy[p])[0]
               for p in messy)
    assert k.tumpang_km2 == pytest.approx(over, rel=0.02) and k.tumpang_km2 > 0.1
    assert lap.celah[2].celah > 0 and lap.celah[1].celah > 0  # slivers between kecamatan, between kabupaten
    assert lap.celah[1].lubang == 1  # the lake
    text = lap.pesan_celah()
    n = sum(c.celah for c in lap.celah.values())
    assert f"kecamatan ({lap.celah[3].induk}): {k.celah:,} celah".replace(",", ".") in text
    assert "lebih sempit dari 100 m ditutup" in text and "dipertahankan" in text
    luas = sum(c.luas_celah_km2 for c in lap.celah.values())
    assert ("Celah ≤ 100 m ditutup", f"{fmt_num(n, 0)} ({fmt_num(luas, 2)} km²)") in lap.ringkasan()
    assert text in (info.catatan or "")  # kept with the dataset (python -m sinergi status shows it)


def test_nothing_closed_with_a_clean_tiling(tmp_path, monkeypatch):
    monkeypatch.setenv("SINERGI_DATA_DIR", str(tmp_path))
    frame = _tiling()
    assert shapely.coverage_is_valid(frame["geom"].to_numpy())  # neighbours share exact edges
    path = tulis_geojson(tmp_path / "bersih.geojson", [({"kode": k}, g) for k, g in zip(frame["kode"], frame["geom"])])
    r = plan.siapkan_batas(path, "bersih")
    apply.terapkan(r)
    assert sum(c.celah for c in r.laporan.celah.values()) == 0
    assert r.laporan.celah[1].lubang == 1 and r.laporan.celah[2].lubang == 2  # the lake; the lake and the kota


def test_the_command_line_prints_what_was_closed(imported, tmp_path, monkeypatch, capsys):
    from sinergi.__main__ import main

    monkeypatch.setenv("SINERGI_DATA_DIR", str(tmp_path))
    _r, _reg, frame, _info = imported
    kec = frame[frame["kec"] == "97.01.01"]  # one kecamatan's villages: a small import
    path = tulis_geojson(tmp_path / "satu.geojson", [({"kode": k}, g) for k, g in zip(kec["kode"], kec["messy"])])
    assert main(["import", "boundaries", str(path), "--dataset", "cli", "--yes"]) == 0
    out = capsys.readouterr().out
    check, applied = out.index("lebih sempit dari 100 m ditutup saat wilayah induk"), out.index("[INFO] Wilayah induk")
    assert check < applied < out.index("Dataset cli ditulis")
    assert f"kecamatan (1): {_holes(shapely.union_all(kec['messy'].to_numpy()))} celah" in out[applied:]


def test_long_thin_slivers_are_closed_round_holes_and_enclaves_stay():
    """Two kecamatan (near the equator, 1° ≈ 111 km) with a slit between them 400 m wide and 5 km long (as
    neighbours simplified one at a time leave): the kabupaten built from them has no slit. A round pond
    600 m across and an enclave holding a region keep their holes; a 100 m-wide gap rule alone would not
    have closed the slit."""
    d = 1 / 111_320  # degrees per metre
    w = shapely.box(0, 0, 5000 * d, 5000 * d)
    e = shapely.box(5400 * d, 0, 10400 * d, 5000 * d)
    slit_group = [w, e, shapely.box(0, 5000 * d, 10400 * d, 6000 * d), shapely.box(0, -1000 * d, 10400 * d, 0)]
    (u,), hasil = coverage.union_closing_gaps([np.array(slit_group, dtype=object)])
    assert shapely.get_num_interior_rings(u) == 0 and hasil.celah == 1
    (u0,), _ = coverage.union_closing_gaps([np.array(slit_group, dtype=object)], tolerance_m=0)
    assert shapely.get_num_interior_rings(u0) == 1 and coverage.lebar_m(np.array([shapely.Polygon(u0.interiors[0])]))[0] > 100

    pond = shapely.Point(2500 * d, 2500 * d).buffer(300 * d, 64)
    with_pond = shapely.box(0, 0, 5000 * d, 5000 * d).difference(pond)
    (u,), hasil = coverage.union_closing_gaps([np.array([with_pond], dtype=object)])
    assert shapely.get_num_interior_rings(u) == 1 and hasil.celah == 0  # round: a lake, kept

    enclave = shapely.box(2000 * d, 1000 * d, 2400 * d, 4000 * d)  # long and thin, but it is a region
    around = shapely.box(0, 0, 5000 * d, 5000 * d).difference(enclave)
    (u,), hasil = coverage.union_closing_gaps([np.array([around], dtype=object)], tetangga=np.array([enclave], dtype=object))
    assert shapely.get_num_interior_rings(u) == 1 and hasil.celah == 0

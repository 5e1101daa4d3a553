"""Tests of the deterministic demo-dataset generator (the sinergi.demo package)."""

from __future__ import annotations


import numpy as np
import pandas as pd
import pytest
import shapely

from sinergi import catalog, demo

KODE_PROV_NYATA = {*range(11, 20), 21, *range(31, 37), *range(51, 54), *range(61, 66), *range(71, 77), 81, 82,
                   *range(91, 97)}
POLA_KODE = {1: r"\d{2}", 2: r"\d{2}\.\d{2}", 3: r"\d{2}\.\d{2}\.\d{2}", 4: r"\d{2}\.\d{2}\.\d{2}\.[12]\d{3}"}
# Network measures computed by sinergi.build from the simpul/ikatan tables, not by the generator; and the
# indicators only imported data brings (catalog.TURUNAN_IMPOR: budgets, institution counts, population).
DARI_JEJARING = {i.id for i in catalog.INDIKATOR if i.id.startswith("jejaring_") or "impor" in i.tags}


@pytest.fixture(scope="module")
def kecil() -> demo.DemoData:
    return demo.generate("kecil")


@pytest.fixture(scope="module")
def besar() -> demo.DemoData:
    """The default demo size (a couple of seconds)."""
    return demo.generate("demo")


@pytest.fixture(scope="module")
def lebar(kecil) -> pd.DataFrame:
    """Village values in wide form: index (kode, tahun), one column per indicator."""
    return kecil.nilai.pivot_table(index=["kode", "tahun"], columns="indikator", values="nilai", dropna=False)


def _desa(d: demo.DemoData) -> pd.DataFrame:
    return d.regions[d.regions.level == 4]


def _sama(a: demo.DemoData, b: demo.DemoData) -> bool:
    for nama in ("nilai", "program", "simpul", "ikatan"):
        if not getattr(a, nama).equals(getattr(b, nama)):
            return False
    ra, rb = a.regions, b.regions
    lain = [c for c in ra.columns if not c.startswith("geom")]
    if not ra[lain].equals(rb[lain]):
        return False
    for kol in ("geom", "geom_display"):
        if list(shapely.to_wkb(ra[kol].to_numpy())) != list(shapely.to_wkb(rb[kol].to_numpy())):
            return False
    return a.dataset == b.dataset


# --- determinism and shape -------------------------------------------------------------------------

def test_same_seed_gives_identical_data(kecil):
    ulang = demo.generate("kecil")
    for nama in ("nilai", "program", "simpul", "ikatan"):
        pd.testing.assert_frame_equal(getattr(kecil, nama), getattr(ulang, nama))
    assert _sama(kecil, ulang)


def test_other_seed_differs(kecil):
    lain = demo.generate("kecil", seed=7)
    assert not _sama(kecil, lain)
    assert lain.dataset["id"] != kecil.dataset["id"]


def test_columns_and_types(kecil):
    assert list(kecil.regions.columns) == ["kode", "level", "nama", "kode_induk", "kode_prov", "kode_kab", "kode_kec",
                                           "jenis", "luas_km2", "penduduk", "lon", "lat", "geom", "geom_display"]
    assert list(kecil.nilai.columns) == ["kode", "tahun", "indikator", "nilai", "flag"]
    assert list(kecil.program.columns) == ["kode_desa", "tahun", "kementerian", "program"]
    assert list(kecil.simpul.columns) == ["id", "tipe", "jenis", "nama", "kode_desa"]
    assert list(kecil.ikatan.columns) == ["dari", "ke", "jenis", "tahun"]
    assert kecil.nilai["nilai"].dtype == float
    assert all(isinstance(g, shapely.Geometry) for g in kecil.regions["geom"])
    assert kecil.dataset["demo"] is True
    assert {"id", "nama", "sumber", "lisensi", "tahun", "catatan"} <= set(kecil.dataset)


def test_progress_is_reported_and_ends_at_one():
    laporan = []
    demo.generate("kecil", progress=lambda f, m: laporan.append((f, m)))
    fraksi = [f for f, _ in laporan]
    assert len(laporan) >= 5 and fraksi == sorted(fraksi) and fraksi[-1] == 1.0
    assert all(isinstance(m, str) and m for _, m in laporan)


def test_unknown_size_is_refused():
    with pytest.raises(ValueError):
        demo.generate("raksasa")


# --- codes, names, hierarchy -----------------------------------------------------------------------

def test_codes_and_ancestors(kecil):
    r = kecil.regions
    assert r["kode"].is_unique
    for level, pola in POLA_KODE.items():
        kode = r.loc[r.level == level, "kode"]
        assert kode.str.fullmatch(pola).all(), level
    assert not set(r.loc[r.level == 1, "kode"].astype(int)) & KODE_PROV_NYATA
    semua = set(r["kode"])
    bawah = r[r.level > 1]
    assert bawah["kode_induk"].isin(semua).all()
    assert (bawah["kode"].str.rsplit(".", n=1).str[0] == bawah["kode_induk"]).all()
    assert (r["kode_prov"] == r["kode"].str[:2]).all()
    assert (r.loc[r.level >= 2, "kode_kab"] == r.loc[r.level >= 2, "kode"].str[:5]).all()
    assert (r.loc[r.level >= 3, "kode_kec"] == r.loc[r.level >= 3, "kode"].str[:8]).all()
    assert r.loc[r.level < 2, "kode_kab"].isna().all() and r.loc[r.level < 3, "kode_kec"].isna().all()
    assert r.loc[r.level == 1, "kode_induk"].isna().all()


def test_jenis_matches_codes(kecil):
    r = kecil.regions
    assert set(r.loc[r.level == 1, "jenis"]) == {"provinsi"} and set(r.loc[r.level == 3, "jenis"]) == {"kecamatan"}
    kab = r[r.level == 2]
    assert ((kab.jenis == "kota") == kab.kode.str[3:].astype(int).ge(71)).all()
    assert (kab.jenis == "kota").any() and (kab.jenis == "kabupaten").any()
    assert (kab.nama.str.startswith("Kota ") == (kab.jenis == "kota")).all()
    assert (kab.nama.str.startswith("Kabupaten ") == (kab.jenis == "kabupaten")).all()
    desa = _desa(kecil)
    assert set(desa.jenis) == {"desa", "kelurahan"}
    assert ((desa.jenis == "kelurahan") == desa.kode.str[9].eq("1")).all()


def test_names_unique_within_parent(kecil):
    r = kecil.regions
    assert not r[r.level > 1].duplicated(["kode_induk", "nama"]).any()
    assert not r.loc[r.level >= 3, "nama"].str.match(r"^(Kabupaten|Kota|Desa|Kelurahan) ").any()
    assert r["nama"].str.len().gt(2).all()


def test_demo_size_counts(besar):
    r = besar.regions
    n = r.level.value_counts()
    assert n[1] >= 3 and set(r.loc[r.level == 1, "kode"]) >= {"97", "98", "99"}
    assert 3000 <= n[4] <= 8000
    per_prov = r[r.level == 2].groupby("kode_prov").size()
    assert per_prov.between(4, 8).all()
    per_kab = r[r.level == 3].groupby("kode_kab").size()
    assert per_kab.between(4, 12).all()
    assert per_kab[per_kab.index.str[3:].astype(int) < 71].between(5, 12).all()
    per_kec = r[r.level == 4].groupby("kode_kec").size()
    assert per_kec.between(8, 25).all() and len(per_kec) == n[3]
    kelurahan = (r.loc[r.level == 4, "jenis"] == "kelurahan").mean()
    assert 0.05 <= kelurahan <= 0.16


def test_islands_lie_in_open_ocean_south_of_java(besar):
    minx, miny, maxx, maxy = shapely.total_bounds(besar.regions["geom"].to_numpy())
    assert 100 <= minx and maxx <= 120 and -17 <= miny and maxy <= -11
    # Christmas Island (105.6 E, 10.5 S) stays well clear.
    assert shapely.distance(shapely.Point(105.6, -10.45), shapely.union_all(besar.regions.geom[:3])) > 0.5


# --- geometry --------------------------------------------------------------------------------------

def test_geometries_valid_polygonal_and_nonempty(kecil):
    for kol in ("geom", "geom_display"):
        g = kecil.regions[kol].to_numpy()
        assert shapely.is_valid(g).all() and not shapely.is_empty(g).any()
        assert set(shapely.get_type_id(g)) <= {3, 6}


def test_villages_form_a_valid_coverage(kecil):
    desa = _desa(kecil)
    assert shapely.coverage_is_valid(desa["geom"].to_numpy())
    for _, grup in desa.groupby("kode_kec"):
        assert shapely.coverage_is_valid(grup["geom"].to_numpy())
    for level in (1, 2, 3, 4):
        assert shapely.coverage_is_valid(kecil.regions.loc[kecil.regions.level == level, "geom_display"].to_numpy())


def test_coastline_is_irregular(kecil):
    prov = kecil.regions.loc[kecil.regions.level == 1, "geom"].iloc[0]
    assert shapely.get_num_coordinates(prov) > 300
    # Far from a rectangle or ellipse: the hull is clearly larger than the island.
    assert shapely.area(prov) / shapely.area(shapely.convex_hull(prov)) < 0.9


@pytest.mark.parametrize("anak,induk", [(4, 3), (3, 2), (2, 1)])
def test_children_tile_their_parent(kecil, anak, induk):
    r = kecil.regions
    a, p = r[r.level == anak], r[r.level == induk].set_index("kode")
    ind = p.loc[a["kode_induk"]]
    geom_induk = ind["geom"].to_numpy()
    diluar = shapely.area(shapely.difference(a["geom"].to_numpy(), geom_induk))
    assert (diluar <= 1e-9 * shapely.area(geom_induk)).all()
    jumlah = a.groupby("kode_induk")["luas_km2"].sum()
    rel = (jumlah - p.loc[jumlah.index, "luas_km2"]).abs() / p.loc[jumlah.index, "luas_km2"]
    assert rel.max() < 1e-6
    pend = a.groupby("kode_induk")["penduduk"].sum()
    assert (pend == p.loc[pend.index, "penduduk"]).all()


def test_area_population_and_point_on_surface(kecil):
    r = kecil.regions
    assert (r["luas_km2"] > 0).all()
    desa = _desa(kecil)
    assert desa.loc[desa.jenis == "desa", "penduduk"].between(500, 15000).all()
    median = desa.groupby("jenis")["penduduk"].median()
    assert median["kelurahan"] > median["desa"]
    assert shapely.contains_xy(r["geom"].to_numpy(), r["lon"].to_numpy(), r["lat"].to_numpy()).all()
    assert 5 < desa["luas_km2"].median() < 60


# --- indicators ------------------------------------------------------------------------------------

def test_every_catalog_indicator_present(kecil):
    assert set(kecil.nilai["indikator"]) == set(catalog.ids()) - DARI_JEJARING
    assert set(kecil.nilai["tahun"]) == set(demo.TAHUN)
    assert set(kecil.nilai["kode"]) == set(_desa(kecil)["kode"])  # village level only
    assert not kecil.nilai.duplicated(["kode", "tahun", "indikator"]).any()


def test_values_within_catalog_range(kecil):
    for ind, grup in kecil.nilai.groupby("indikator"):
        info = catalog.get(ind)
        v = grup["nilai"].dropna()
        assert len(v), ind
        assert v.min() >= info.min_valid and v.max() <= info.max_valid, ind
        assert (v.round(info.desimal) == v).all(), ind


def test_flags(kecil, besar):
    for d in (kecil, besar):
        n = d.nilai
        assert set(n["flag"].dropna()) <= {"missing", "suppressed"}
        assert (n["nilai"].isna() == n["flag"].notna()).all()
    flag = besar.nilai["flag"]
    assert 0.01 <= (flag == "missing").mean() <= 0.03
    assert 0 < (flag == "suppressed").mean() < 0.01
    idm_fam = besar.nilai[besar.nilai.indikator.isin(demo.KELUARGA_IDM)]
    assert idm_fam["flag"].isna().all()


def test_kelurahan_have_no_idm_values(kecil):
    desa = _desa(kecil)
    kel = set(desa.loc[desa.jenis == "kelurahan", "kode"])
    assert kel
    n = kecil.nilai
    assert not n.loc[n.indikator.isin(demo.KELUARGA_IDM), "kode"].isin(kel).any()
    lain = set(n.loc[n.kode.isin(kel), "indikator"])
    assert {"pendidikan_sma_pct", "jumlah_program", "lembaga_per_1000"} <= lain
    assert set(n.loc[n.indikator == "idm", "kode"]) == set(desa.loc[desa.jenis == "desa", "kode"])


def test_status_matches_catalog(lebar):
    v = lebar.dropna(subset=["idm"])
    resmi = v["idm"].map(catalog.status_idm).astype(float)
    assert (resmi == v["status_idm"]).all()


def test_idm_is_mean_of_components(lebar):
    v = lebar.dropna(subset=["idm"])
    assert np.allclose(v["idm"], (v["iks"] + v["ike"] + v["ikl"]) / 3, atol=5.1e-5, rtol=0)
    dims = v[["iks_kesehatan", "iks_pendidikan", "iks_modal_sosial", "iks_permukiman"]].mean(axis=1)
    assert np.allclose(v["iks"], dims, atol=5.1e-5, rtol=0)


@pytest.mark.parametrize("ukuran", ["kecil", "besar"])
def test_every_status_class_every_year(request, ukuran):
    n = request.getfixturevalue(ukuran).nilai
    st = n[n.indikator == "status_idm"]
    bagian = st.groupby("tahun")["nilai"].value_counts(normalize=True).unstack(fill_value=0)
    assert list(bagian.index) == list(demo.TAHUN)
    assert (bagian[[1.0, 2.0, 3.0, 4.0, 5.0]] > 0).all().all()
    if ukuran == "besar":
        target_2024 = [0.06, 0.08, 0.33, 0.31, 0.22]
        assert np.allclose(bagian.loc[2024].to_numpy(), target_2024, atol=0.02)
        assert bagian.loc[2019, 5.0] < bagian.loc[2024, 5.0]
    rata = n[n.indikator == "idm"].groupby("tahun")["nilai"].mean()
    assert rata.is_monotonic_increasing


def test_status_transitions_happen(besar):
    st = besar.nilai[besar.nilai.indikator == "status_idm"].pivot(index="kode", columns="tahun", values="nilai")
    naik, turun = (st[2024] > st[2023]).mean(), (st[2024] < st[2023]).mean()
    assert 0.05 < naik < 0.5 and 0 < turun < naik


def test_binary_and_count_indicators(lebar):
    assert set(lebar["karang_taruna_aktif"].dropna()) == {0.0, 100.0}
    assert set(lebar["bumdes_aktif"].dropna()) == {0.0, 100.0}
    peny = lebar["penyuluh_sosial"].dropna()
    assert peny.between(0, 3).all() and (peny == peny.round()).all()


def test_human_capacity_correlates_with_iks(besar):
    w = besar.nilai.pivot_table(index=["kode", "tahun"], columns="indikator", values="nilai")
    assert w["pendidikan_sma_pct"].corr(w["iks"]) > 0.3
    assert w["nakes_per_1000"].corr(w["iks"]) > 0.2
    assert w["pelatihan_pct"].corr(w["iks"]) > 0.2


def test_iks_is_spatially_autocorrelated(besar):
    n = besar.nilai
    iks = n[(n.indikator == "iks") & (n.tahun == 2024)].set_index("kode")["nilai"]
    kec = iks.index.str[:8]
    jumlah = iks.groupby(kec).transform("sum")
    banyak = iks.groupby(kec).transform("size")
    tetangga = (jumlah - iks) / (banyak - 1)
    ok = banyak > 1
    assert iks[ok].corr(tetangga[ok]) > 0.3


# --- programmes and network ------------------------------------------------------------------------

def test_programme_counts_come_from_the_table(kecil, lebar):
    p = kecil.program
    pasangan = {(x.kementerian, x.program) for x in demo.PROGRAM}
    assert set(zip(p.kementerian, p.program)) <= pasangan
    assert not p.duplicated().any()
    dihitung = p.groupby(["kode_desa", "tahun"]).agg(n=("program", "size"), k=("kementerian", "nunique"))
    dihitung.index.names = ["kode", "tahun"]
    dihitung = dihitung.reindex(lebar.index, fill_value=0)
    assert (dihitung["n"] == lebar["jumlah_program"]).all()
    assert (dihitung["k"] == lebar["jumlah_kementerian"]).all()
    kel = set(_desa(kecil).query("jenis == 'kelurahan'")["kode"])
    assert not p.loc[p.kode_desa.isin(kel), "kementerian"].eq("Kemendesa PDTT").any()


def test_programmes_follow_need_with_gaps(besar):
    n, p = besar.nilai, besar.program
    iks = n[(n.indikator == "iks") & (n.tahun == 2024)].set_index("kode")["nilai"]
    kemensos = set(p.loc[(p.tahun == 2024) & (p.kementerian == "Kemensos"), "kode_desa"])
    dapat = iks.index.isin(list(kemensos))
    assert iks[dapat].mean() < iks[~dapat].mean()
    rendah = iks[iks < iks.quantile(0.2)].index
    tanpa = ~rendah.isin(list(set(p.loc[p.tahun == 2024, "kode_desa"])))
    assert 0 < tanpa.mean() < 0.5


def test_network_nodes_and_ties(kecil):
    s, i = kecil.simpul, kecil.ikatan
    assert s["id"].is_unique
    assert set(s.tipe) == {"desa", "lembaga", "mitra"}
    assert set(s.loc[s.tipe == "lembaga", "jenis"]) <= set(demo.JENIS_LEMBAGA)
    assert set(s.loc[s.tipe == "mitra", "jenis"]) <= set(demo.JENIS_MITRA)
    desa = _desa(kecil)
    node_desa = s[s.tipe == "desa"]
    assert (node_desa["id"] == "desa:" + node_desa["kode_desa"]).all()
    assert set(node_desa["kode_desa"]) == set(desa["kode"])
    lem = s[s.tipe == "lembaga"]
    assert lem["id"].str.fullmatch(r"lembaga:[\d.]+:\d+").all()
    assert (lem["id"].str.split(":").str[1] == lem["kode_desa"]).all()
    assert s.loc[s.tipe == "mitra", "kode_desa"].isna().all()
    assert i["dari"].isin(s["id"]).all() and i["ke"].isin(s["id"]).all()
    assert set(i["jenis"]) == {"anggota", "kerja_sama_antardesa", "kemitraan", "pendampingan"}
    assert i["tahun"].between(demo.TAHUN[0], demo.TAHUN[-1]).all()


def test_karang_taruna_and_bumdes_nodes_match_indicators(kecil):
    n, s = kecil.nilai, kecil.simpul
    akhir = n[n.tahun == demo.TAHUN[-1]].pivot(index="kode", columns="indikator", values="nilai")
    for ind, jenis in (("karang_taruna_aktif", "karang_taruna"), ("bumdes_aktif", "bumdes")):
        punya = set(s.loc[s.jenis == jenis, "kode_desa"])
        aktif = set(akhir.index[akhir[ind] == 100])
        assert punya == aktif, ind


def test_network_indicators_come_from_the_tables(kecil, lebar):
    s, i = kecil.simpul, kecil.ikatan
    desa = _desa(kecil).set_index("kode")
    rumah = s.set_index("id")["kode_desa"]
    for tahun in demo.TAHUN:
        aktif = i[i.tahun <= tahun]
        ang = aktif[aktif.jenis == "anggota"]
        per_1000 = (ang.groupby(ang["dari"].str[5:]).size().reindex(desa.index, fill_value=0)
                    / desa["penduduk"] * 1000).round(2)
        assert np.allclose(per_1000.to_numpy(), lebar.xs(tahun, level="tahun").loc[desa.index, "lembaga_per_1000"])
        ks = aktif[aktif.jenis == "kerja_sama_antardesa"]
        derajat = pd.concat([ks["dari"], ks["ke"]]).str[5:].value_counts().reindex(desa.index, fill_value=0)
        assert (derajat == lebar.xs(tahun, level="tahun").loc[desa.index, "kerja_sama_antardesa"]).all()
        mt = aktif[aktif.dari.str.startswith("mitra:")]
        mitra = (pd.DataFrame({"m": mt["dari"], "v": rumah.loc[mt["ke"]].to_numpy()}).drop_duplicates()
                 .groupby("v").size().reindex(desa.index, fill_value=0))
        assert (mitra == lebar.xs(tahun, level="tahun").loc[desa.index, "jumlah_mitra"]).all()


def test_cooperation_is_mostly_between_neighbours(besar):
    ks = besar.ikatan[besar.ikatan.jenis == "kerja_sama_antardesa"]
    geom = _desa(besar).set_index("kode")["geom"]
    a, b = geom.loc[ks["dari"].str[5:]].to_numpy(), geom.loc[ks["ke"].str[5:]].to_numpy()
    assert shapely.touches(a, b).mean() > 0.8
    lintas = (ks["dari"].str[5:13] != ks["ke"].str[5:13]).mean()
    assert 0.05 < lintas < 0.6
    assert len(ks) > len(geom) * 0.2


def test_partners_per_province(besar):
    s = besar.simpul
    mitra = s[s.tipe == "mitra"]
    per_prov = mitra["id"].str.split(":").str[1].value_counts()
    assert per_prov.between(45, 75).all()
    assert set(mitra["jenis"]) == set(demo.JENIS_MITRA)
    assert mitra["nama"].str.contains("Universitas|Politeknik|Institut|Sekolah Tinggi").any()
    assert not mitra.assign(prov=mitra["id"].str.split(":").str[1]).duplicated(["prov", "nama"]).any()

"""Applying an import: the database it builds, aggregation, provenance, and atomicity on failure."""

import hashlib
import threading

import pytest
import shapely

from sinergi import datasets, db
from sinergi.importers import ImporGagal, apply, plan

from .conftest import DESA, geojson_desa, kotak, tulis_csv, tulis_geojson

IKS = "kode,nama,iks_2024,idm_2024\n9701012001,Alfa,0.4,0.5\n9701012002,Bravo,0.6,0.7\n9701022001,Delta,0.8,0.9\n"


def _q(path, sql, *params):
    con = db.connect(path)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_boundaries_build_parents_with_names_and_union_geometry(dataset_desa):
    rows = _q(dataset_desa, "select kode, level, nama, jenis, luas_km2 from regions where level < 4 order by kode")
    assert [(k, lv, n, j) for k, lv, n, j, _ in rows] == [
        ("97", 1, "Nusa Uji", "provinsi"), ("97.01", 2, "Kabupaten Uji", "kabupaten"),
        ("97.01.01", 3, "Satu", "kecamatan"), ("97.01.02", 3, "Dua", "kecamatan"),
        ("97.71", 2, "Kota Uji", "kota"), ("97.71.01", 3, "Tiga", "kecamatan")]
    area = dict(_q(dataset_desa, "select kode, luas_km2 from regions"))
    # A parent's union has exactly the area of its children (equal-area projection, km²).
    assert area["97.01.01"] == pytest.approx(sum(area[k] for k, *_ in DESA if k.startswith("97.01.01")), rel=1e-9)
    assert area["97"] == pytest.approx(sum(area[k] for k, *_ in DESA), rel=1e-9)
    assert _q(dataset_desa, "select count(*) from regions where geom_display is null") == [(0,)]
    assert _q(dataset_desa, "select jenis, count(*) from regions where level = 4 group by 1 order by 1") == [
        ("desa", 7), ("kelurahan", 1)]
    assert dict(_q(dataset_desa, "select geom_asal, count(*) from wilayah_impor group by 1")) == {
        "berkas": 8, "gabungan": 6}


def test_indicator_import_aggregates_up_without_population(dataset_desa, tmp_path):
    path = apply.terapkan(plan.siapkan_indikator(tulis_csv(tmp_path / "iks.csv", IKS), "uji",
                                                 lisensi="CC BY 4.0"))
    v = {(k, i): x for k, i, x in _q(path, "select kode, indikator, nilai from nilai where tahun = 2024")}
    assert v[("97.01.01", "iks")] == pytest.approx(0.5)  # mean of Alfa 0.4 and Bravo 0.6 (no population)
    assert v[("97", "iks")] == pytest.approx(0.6)
    assert v[("97", "idm")] == pytest.approx(0.7) and v[("97", "status_idm")] == 3  # 0.7 → Berkembang
    assert ("97.01.01.1003", "iks") not in v  # the kelurahan has no value: shown as no data
    meta = _q(path, "select sumber, lisensi, tahun, demo, catatan from dataset")[0]
    assert meta[0] == "Batas wilayah: desa.geojson; Tabel indikator: iks.csv" and meta[1:4] == ("CC BY 4.0", "2024", False)
    assert "tanpa bobot penduduk" in meta[4]
    src = _q(path, "select urut, jenis, berkas, baris, cocok from sumber_impor order by urut")
    assert src == [(1, "batas", "desa.geojson", 8, 8), (2, "indikator", "iks.csv", 3, 3)]


def test_new_values_replace_old_ones_and_others_are_kept(dataset_desa, tmp_path):
    apply.terapkan(plan.siapkan_indikator(tulis_csv(tmp_path / "a.csv", IKS), "uji"))
    r = plan.siapkan_indikator(tulis_csv(tmp_path / "b.csv", "kode,iks_2024,iks_2023\n9701012001,0.45,0.3\n"), "uji")
    assert (r.laporan.nilai_diganti, r.laporan.nilai_baru) == (1, 1)
    path = apply.terapkan(r)
    got = {(k, t, i): x for k, t, i, x in _q(path, "select kode, tahun, indikator, nilai from nilai_impor")}
    assert got[("97.01.01.2001", 2024, "iks")] == 0.45 and got[("97.01.01.2001", 2023, "iks")] == 0.3
    assert got[("97.01.01.2002", 2024, "iks")] == 0.6 and got[("97.01.01.2001", 2024, "idm")] == 0.5


def test_a_boundary_file_replaces_a_derived_parent_geometry(dataset_desa, tmp_path):
    bigger = shapely.box(110, -8, 113.5, -6.5)  # the kecamatan's own (different) outline
    p = tulis_geojson(tmp_path / "kec.geojson", [({"kode": "970101", "nama": "Satu Baru"}, bigger)])
    r = plan.siapkan_batas(p, "uji")
    assert (r.laporan.sudah_ada, r.laporan.baru, r.laporan.tingkat) == (1, 0, 3)
    path = apply.terapkan(r)
    assert _q(path, "select nama, ST_Area(geom) from regions where kode = '97.01.01'") == [("Satu Baru", 5.25)]
    assert _q(path, "select geom_asal, nama_asal from wilayah_impor where kode = '97.01.01'") == [("berkas", "berkas")]
    assert _q(path, "select count(*) from regions where level = 4") == [(8,)]  # villages untouched


def test_failure_half_way_leaves_the_previous_file_untouched(dataset_desa, tmp_path):
    before = _sha(dataset_desa)
    r = plan.siapkan_indikator(tulis_csv(tmp_path / "iks.csv", IKS), "uji")

    def boom(f, msg):
        if f >= 0.6:  # while the new database is being written
            raise RuntimeError("listrik padam")

    with pytest.raises(RuntimeError, match="listrik padam"):
        apply.terapkan(r, progress=boom)
    assert _sha(dataset_desa) == before
    assert _q(dataset_desa, "select count(*) from nilai") == [(0,)]  # still opens, still the old data
    assert sorted(p.name for p in dataset_desa.parent.iterdir()) == ["uji.duckdb"]
    apply.terapkan(r)  # the same plan still applies afterwards
    assert _q(dataset_desa, "select count(*) from nilai_impor") == [(9,)]  # iks, idm, status (from idm) × 3


def test_open_readers_see_the_new_file_after_an_import(dataset_desa, tmp_path):
    """The app keeps a connection open per dataset; after the swap a new Database must read the new file
    (DuckDB's instance cache would otherwise hand back the replaced one)."""
    old = db.Database(dataset_desa)
    try:
        assert old.query("years", indikator="").empty
        apply.terapkan(plan.siapkan_indikator(tulis_csv(tmp_path / "a.csv", IKS), "uji"))
        new = db.Database(dataset_desa)
        assert new.query("years", indikator="")["tahun"].tolist() == [2024]
        assert old.query("years", indikator="").empty  # sessions still on the old file keep working
        new.close()
    finally:
        old.close()
    r = plan.siapkan_indikator(tulis_csv(tmp_path / "b.csv", "kode,iks_2023\n9701012001,0.3\n"), "uji")
    assert r.laporan.nilai_baru == 1 and len(r.nilai) == 10  # the plan read the new file, not a cached one


def test_a_stale_plan_is_refused(dataset_desa, tmp_path):
    r1 = plan.siapkan_indikator(tulis_csv(tmp_path / "a.csv", IKS), "uji")
    r2 = plan.siapkan_indikator(tulis_csv(tmp_path / "b.csv", "kode,iks_2024\n9701012001,0.9\n"), "uji")
    apply.terapkan(r1)
    after_first = _sha(dataset_desa)
    with pytest.raises(ImporGagal, match="berubah sejak diperiksa"):
        apply.terapkan(r2)
    assert _sha(dataset_desa) == after_first


def test_one_import_at_a_time(dataset_desa, tmp_path):
    r = plan.siapkan_indikator(tulis_csv(tmp_path / "a.csv", IKS), "uji")
    started, release = threading.Event(), threading.Event()

    def slow(f, msg):
        started.set()
        release.wait(30)

    t = threading.Thread(target=apply.terapkan, args=(r,), kwargs={"progress": slow})
    t.start()
    started.wait(30)
    try:
        with pytest.raises(ImporGagal, match="Impor lain sedang berjalan"):
            apply.terapkan(r)
    finally:
        release.set()
        t.join(60)


def test_demo_and_invalid_names_are_refused(data_dir, tmp_path):
    p = geojson_desa(tmp_path / "desa.geojson")
    r = plan.siapkan_batas(p, "demo")
    assert not r.boleh_diterapkan and "Dataset demo tidak dapat dicampur" in r.laporan.galat[0].pesan
    r = plan.siapkan_batas(p, "Data Saya!")
    assert "Nama dataset 'Data Saya!' tidak sah" in r.laporan.galat[0].pesan
    with pytest.raises(ImporGagal, match="galat"):
        apply.terapkan(r)
    assert list(data_dir.iterdir()) == []


def test_activate_after_import_and_datasets_side_by_side(dataset_desa, tmp_path):
    p = tulis_geojson(tmp_path / "lain.geojson", [({"kode": "9801012001", "nama": "Lain"}, kotak(9, 9))])
    apply.terapkan(plan.siapkan_batas(p, "lain", sumber="Uji lain", lisensi="ODbL"), aktifkan=True)
    assert db.active_dataset() == "lain"
    items = {i.id: i for i in datasets.daftar()}
    assert set(items) == {"uji", "lain"} and items["lain"].aktif and not items["uji"].aktif
    assert (items["lain"].sumber, items["lain"].lisensi) == ("Uji lain", "ODbL")
    st = datasets.status("uji")
    assert st.wilayah["n"].tolist() == [1, 2, 3, 8] and st.tahun == []
    datasets.gunakan("uji")
    assert db.active_dataset() == "uji"
    with pytest.raises(db.DataError, match="Dataset 'hilang' tidak ada"):
        datasets.gunakan("hilang")
    assert db.active_dataset() == "uji"


def test_official_code_list_names_parents_and_guards_completeness(data_dir, tmp_path):
    codes = tulis_csv(tmp_path / "kode_wilayah.csv",
                      "kode,kode_num,level,nama,kode_induk,jenis\n97,97,provinsi,Nusa Resmi,,\n"
                      "97.01,9701,kabupaten_kota,Kabupaten Resmi,97,kabupaten\n"
                      "97.01.01,970101,kecamatan,Kecamatan Resmi,97.01,\n"
                      "97.01.01.2001,9701012001,desa_kelurahan,Alfa,97.01.01,desa\n"
                      "97.01.01.2002,9701012002,desa_kelurahan,Bravo,97.01.01,desa\n"
                      "97.01.01.2004,9701012004,desa_kelurahan,Delta,97.01.01,desa\n")
    p = tulis_geojson(tmp_path / "dua_desa.geojson", [({"kode": "9701012001", "nama": "Alfa"}, kotak(0, 0)),
                                                      ({"kode": "9701012002", "nama": "Bravo"}, kotak(1, 0))])
    path = apply.terapkan(plan.siapkan_batas(p, "resmi", kode_wilayah=codes))
    rows = _q(path, "select kode, nama, geom is not null from regions where level < 4 order by kode")
    # Names from the list; the kecamatan lacks Delta's boundary, so it gets no (partial) union shape.
    assert rows == [("97", "Nusa Resmi", False), ("97.01", "Kabupaten Resmi", False),
                    ("97.01.01", "Kecamatan Resmi", False)]
    t = tulis_csv(tmp_path / "t.csv", "kode,iks_2024\n9701012004,0.5\n9701012009,0.6\n")
    r = plan.siapkan_indikator(t, "resmi", kode_wilayah=codes, tambah=True)
    assert r.laporan.baru == 1
    assert r.laporan.tidak_cocok[["kode_asal", "alasan"]].values.tolist() == [
        ["9701012009", "kode tidak ada di daftar kode resmi"]]
    apply.terapkan(r)
    d = tulis_geojson(tmp_path / "delta.geojson", [({"kode": "9701012004", "nama": "Delta"}, kotak(2, 0))])
    path = apply.terapkan(plan.siapkan_batas(d, "resmi", kode_wilayah=codes))
    # Now every listed village has a boundary: the parents get their union (3 unit squares).
    assert _q(path, "select kode, ST_Area(geom) from regions where level < 4 order by kode") == [
        ("97", 3.0), ("97.01", 3.0), ("97.01.01", 3.0)]

"""Real public files (``<repo>/../shared/data/real``, see its MANIFEST.md), imported as an official would.

Skipped with a reason when the folder is absent. The files are read in place and never copied into the
repository; datasets are written to a temporary data folder.
"""

import os

import pytest

from sinergi import db
from sinergi.importers import apply, plan

pytestmark = pytest.mark.real_data
IDM_COLS = ("idm", "iks", "ike", "ikl", "status_idm")


def _q(path, sql):
    con = db.connect_snapshot(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _boundaries_then_idm(real, name, file):
    b = plan.siapkan_batas(real / "cahyadsn_wilayah_boundaries" / file, name)
    assert b.boleh_diterapkan, b.laporan.teks()
    apply.terapkan(b)
    return b, *_idm(real, name)


def _idm(real, name):
    r = plan.siapkan_indikator(real / "kristonova_idm2024" / "idm2024_desa.csv", name)
    assert r.boleh_diterapkan, r.laporan.teks()
    return r, apply.terapkan(r)


def _values_2024(path):
    """(jenis, indicators with a 2024 value, villages) per village kind."""
    return _q(path, """
        select r.jenis, count(distinct v.indikator), count(distinct r.kode)
        from regions r left join nilai v on v.kode = r.kode and v.tahun = 2024 and v.nilai is not null
        where r.level = 4 group by 1 order by 1""")


def test_diy_every_desa_gets_idm_2024_and_kelurahan_show_no_data(real, batas_diy):
    b, _ = batas_diy
    r, path = _idm(real, "diy")
    assert (b.laporan.baris, b.laporan.baru) == (438, 438)
    assert _values_2024(path) == [("desa", 5, 392), ("kelurahan", 0, 46)]
    full = _q(path, f"""select count(*) from (select r.kode from regions r join nilai v on v.kode = r.kode
                        where r.level = 4 and v.tahun = 2024 and v.indikator in {IDM_COLS}
                        group by r.kode having count(*) = 5)""")
    assert full == [(392,)]  # all of IDM, IKS, IKE, IKL and status for every desa
    prov = r.laporan.per_provinsi.set_index("kode_prov").loc["34"]
    assert (prov["baris"], prov["diterima"], prov["persen"]) == (392, 392, 100.0)
    assert r.laporan.persen_cakupan == 100.0 and r.laporan.sudah_ada == 392
    assert _q(path, "select count(*) from regions where level < 4 and geom is not null") == [(84,)]
    assert _q(path, "select nama from regions where kode = '34.71'") == [("Kota Yogyakarta",)]


def test_bali_all_636_desa(real, data_dir):
    _, r, path = _boundaries_then_idm(real, "bali", "adm4_desa_kelurahan_51_bali.geojson")
    assert _values_2024(path) == [("desa", 5, 636), ("kelurahan", 0, 80)]
    assert r.laporan.sudah_ada == 636


def test_kota_batu_19_desa_of_24_and_podes_through_the_crosswalk(real, data_dir):
    _, _, path = _boundaries_then_idm(real, "batu", "adm4_desa_kelurahan_3579_kota_batu.geojson")
    assert _values_2024(path) == [("desa", 5, 19), ("kelurahan", 0, 5)]
    podes = plan.siapkan_indikator(real / "podes2024_kota_batu" / "podes2024_kota_batu_desa.csv", "batu",
                                   crosswalk=real / "bps_dagri_crosswalk" / "bps_dagri_crosswalk.csv")
    lap = podes.laporan
    assert (lap.baris, lap.sudah_ada, len(lap.tidak_cocok)) == (24, 24, 0)
    assert lap.kolom["IDDESA"].startswith("kode (BPS lewat crosswalk")
    assert any(m.pesan == "Nama cocok untuk semua 24 baris yang cocok kodenya." for m in lap.masalah)
    # PODES answers (R-coded) are not catalog indicators: nothing to import until columns are mapped.
    assert not podes.boleh_diterapkan and "Tidak ada kolom indikator yang dikenali" in lap.galat[0].pesan


def test_national_provinces_and_kabupaten_kota(real, data_dir):
    root = real / "cahyadsn_wilayah_boundaries"
    for f in ("adm1_provinsi.geojson", "adm2_kabupaten_kota.geojson"):
        r = plan.siapkan_batas(root / f, "nasional")
        assert r.boleh_diterapkan and not len(r.laporan.tidak_cocok), r.laporan.teks()
        path = apply.terapkan(r)
    assert _q(path, "select level, count(*), count(geom) from regions group by 1 order by 1") == [
        (1, 38, 38), (2, 514, 514)]
    # The provinces keep their own boundary (from the file), not a union of kabupaten.
    assert _q(path, "select count(*) from wilayah_impor where geom_asal = 'berkas'") == [(552,)]
    assert _q(path, "select jenis, count(*) from regions where level = 2 group by 1 order by 1") == [
        ("kabupaten", 416), ("kota", 98)]


def test_national_kecamatan_boundaries_check(real, data_dir):
    r = plan.siapkan_batas(real / "cahyadsn_wilayah_boundaries" / "adm3_kecamatan.geojson", "nasional")
    lap = r.laporan
    assert (lap.tingkat, lap.baris, lap.baru, len(lap.tidak_cocok)) == (3, 7285, 7285, 0)
    assert r.regions.groupby("level").size().to_dict() == {1: 38, 2: 514, 3: 7285}
    assert len(r.geom_berubah) == 7285


def test_idm_detail_maps_onto_the_catalog(real, data_dir):
    r = plan.siapkan_indikator(real / "api_idm_rumusan" / "idm_rumusan_desa_tahun.csv", "rumusan")
    lap = r.laporan
    assert lap.baris == 10006 and lap.tahun == [2021, 2022, 2023, 2024] and lap.diterima == 10006
    assert lap.indikator == ["idm", "status_idm", "ike", "ikl", "iks", "iks_kesehatan", "iks_pendidikan",
                             "iks_modal_sosial", "iks_permukiman"]
    v = r.nilai[(r.nilai["kode"] == "11.01.02.2001") & (r.nilai["tahun"] == 2021)].set_index("indikator")["nilai"]
    # Fajar Harapan 2021: IKS01–07 sum 20, IKS08–14 27, IKS15–27 35, IKS28–35 33 (total 115 = IKS × 175).
    assert v["iks_kesehatan"] == pytest.approx(20 / 35) and v["iks_pendidikan"] == pytest.approx(27 / 35)
    assert v["iks_modal_sosial"] == pytest.approx(35 / 65) and v["iks_permukiman"] == pytest.approx(33 / 40)
    assert v["iks"] == pytest.approx(115 / 175) and v["status_idm"] == 3  # BERKEMBANG
    path = apply.terapkan(r)
    assert _q(path, "select count(distinct kode) from nilai_impor where tahun = 2024") == [(2498,)]


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("SINERGI_TEST_NASIONAL"),
                    reason="the national import (≈45 s) is measured by bench/import_bench.py; "
                           "set SINERGI_TEST_NASIONAL=1 to run it as a test")
def test_national_idm_on_kecamatan_boundaries(real, data_dir):
    apply.terapkan(plan.siapkan_batas(real / "cahyadsn_wilayah_boundaries" / "adm3_kecamatan.geojson", "nasional"))
    r = plan.siapkan_indikator(real / "kristonova_idm2024" / "idm2024_desa.csv", "nasional")
    assert r.laporan.diterima == 74668 and round(r.laporan.persen_diterima, 2) == 99.21
    path = apply.terapkan(r)
    assert _q(path, "select level, count(*) from regions group by 1 order by 1") == [
        (1, 38), (2, 514), (3, 7285), (4, 74668)]


# --- indicators described by their owner (issue 14) ---------------------------------------------------------


def test_diy_and_bali_all_50_idm_indicators_with_their_kamus(real, batas_diy):
    """Every IDM 2024 indicator score (IKS01–IKL03, incl. the social-capital IKS15–IKS27) for all 1,028 desa
    of DIY and Bali, described by the file's own kamus (kolom, dimensi, subdimensi, label_pendek)."""
    import pandas as pd

    # DIY's villages (imported once per session), then Bali's into the same dataset
    apply.terapkan(plan.siapkan_batas(real / "cahyadsn_wilayah_boundaries" / "adm4_desa_kelurahan_51_bali.geojson",
                                      "diy"))
    folder = real / "idm2024_indikator_diy_bali"
    r = plan.siapkan_indikator(folder / "idm2024_indikator_desa_34_51.csv", "diy", tahun=2024,
                               metadata=folder / "idm2024_indikator_kamus.csv", tema_bawaan="idm")
    lap = r.laporan
    assert r.boleh_diterapkan, lap.teks()
    assert (lap.baris, lap.sudah_ada, len(lap.tidak_cocok)) == (1028, 1028, 0)
    scores = [f"iks{i:02d}" for i in range(1, 36)] + [f"ike{i:02d}" for i in range(1, 13)] + ["ikl01", "ikl02", "ikl03"]
    assert list(lap.indikator_baru["id"]) == scores and set(lap.indikator_baru["status"]) == {"baru"}
    assert set(lap.indikator) == set(scores) | {"iks", "ike", "ikl", "idm", "status_idm"}
    # the recomputed indices and the API's IDM are numbers nobody described: said, not dropped silently
    assert lap.kolom_tanpa_deskripsi == ["iks_dari_skor", "ike_dari_skor", "ikl_dari_skor", "idm_dari_skor",
                                         "idm_api_berbeda"]
    assert r.katalog.get("iks18").nama_id == "Kelompok olahraga" and r.katalog.get("iks18").tema == "idm"
    path = apply.terapkan(r)
    raw = pd.read_csv(folder / "idm2024_indikator_desa_34_51.csv", dtype={"kode_desa": str})
    for iid, kab in (("iks18", "3404"), ("iks26", "5103"), ("iks22", "3401")):
        want = raw.loc[raw["kode_desa"].str.startswith(kab), iid.upper()].mean()
        got = _q(path, f"select nilai from nilai where kode = '{kab[:2]}.{kab[2:]}' and indikator = '{iid}' "
                       "and tahun = 2024")
        assert got[0][0] == pytest.approx(want), iid
    assert _q(path, "select count(*) from nilai where indikator = 'iks15' and kode like '__.__.__.____'") == [(1028,)]


def test_podes_jambi_institution_counts_with_the_312_column_kamus(real, data_dir, tmp_path):
    """PODES 2019 Jambi (BPS data with Kemendagri codes added) on the national kecamatan boundaries of Jambi:
    the villages become regions under their kecamatan; six institution counts are chosen from the 312-column
    kamus and imported into Jaringan Sosial."""
    import json

    import pandas as pd

    kec = json.loads((real / "cahyadsn_wilayah_boundaries" / "adm3_kecamatan.geojson").read_text(encoding="utf-8"))
    kec["features"] = [f for f in kec["features"] if f["properties"]["kode"].startswith("15.")]
    jambi = tmp_path / "kecamatan_jambi.geojson"  # a subset written to the test's folder, never the repository
    jambi.write_text(json.dumps(kec), encoding="utf-8")
    apply.terapkan(plan.siapkan_batas(jambi, "jambi"))
    folder = real / "podes2019_jambi"
    pilih = ["R803A", "R803B", "R803C", "R803D", "R1201", "R502N"]
    r = plan.siapkan_indikator(folder / "podes2019_jambi_desa.csv", "jambi", kolom_kode="kode_dagri_num",
                               kolom_nama="nama_dagri_2025", tahun=2019, metadata=folder / "podes2019_kamus_kolom.csv",
                               tema_bawaan="jaringan_sosial", kolom_pilih=pilih)
    lap = r.laporan
    assert r.boleh_diterapkan, lap.teks()
    assert lap.baris == 1562 and lap.diterima == 1552 and len(lap.tidak_cocok) == 10  # 10 rows without a code
    assert list(lap.indikator_baru["id"]) == ["r502n", "r803a", "r803b", "r803c", "r803d", "r1201"]  # file order
    assert r.katalog.get("r1201").nama_id == "Jumlah unit usaha BUMDes"
    assert any("306 entri untuk kolom yang tidak ada di tabel atau tidak dipilih dilewati" in m.pesan
               for m in lap.masalah)
    path = apply.terapkan(r)
    raw = pd.read_csv(folder / "podes2019_jambi_desa.csv", dtype={"kode_dagri_num": str})
    raw = raw[raw["kode_dagri_num"].notna()]
    assert _q(path, "select nilai from nilai where kode = '15' and indikator = 'r1201'")[0][0] == \
        pytest.approx(raw["R1201"].mean())  # mean by default: the kamus names no aggregation
    assert _q(path, "select count(*) from regions where level = 4") == [(1552,)]
    assert _q(path, "select count(*) from regions where level = 3 and geom is not null") == \
        [(len(kec["features"]),)]
    assert _q(path, "select count(*) from indicators where impor and tema = 'jaringan_sosial'") == [(6,)]


def test_generated_sdgs_table_through_the_real_crosswalk_onto_diy(real, batas_diy, tmp_path):
    """An 18-indicator SDGs Desa-like table the test generates for every DIY village of the real crosswalk,
    keyed by BPS codes, with its Data Package, onto the real DIY boundaries."""
    import pandas as pd

    from . import sdgs

    cw = real / "bps_dagri_crosswalk" / "bps_dagri_crosswalk.csv"
    x = pd.read_csv(cw, dtype=str)
    x = x[(x["level"] == "desa_kelurahan") & x["kode_bps"].str.startswith("34")]
    csv, dp, _ = sdgs.tulis(tmp_path / "sdgs", list(x["kode_bps"]))
    r = plan.siapkan_indikator(csv, "diy", crosswalk=cw, metadata=dp)
    lap = r.laporan
    assert r.boleh_diterapkan, lap.teks()
    assert lap.baris == len(x) and lap.persen_diterima > 99 and len(lap.indikator_baru) == 18
    path = apply.terapkan(r)
    assert _q(path, "select count(distinct kode) from nilai where indikator = 'sdgs18' and tahun = 2024 "
                    "and kode like '34.__.__.____'") == [(lap.diterima,)]
    assert _q(path, "select tema_nama_id, count(*) from indicators where impor group by 1") == [("SDGs Desa", 18)]

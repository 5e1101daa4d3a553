"""Real public files through the programme, institution and population imports, and the Sinergi Program
and Jaringan Sosial pages on them (AppTest). Skipped when ``../shared/data/real`` is absent; nothing is
copied into the repository (subsets of a file are written to the test's temporary folder).

- Kabupaten Bogor (MANIFEST section 13): its 40 kecamatan from the national kecamatan boundaries as
  parents, Dana Desa and ADD disbursed in 2025 for all 416 desa (a wide table: one amount column per
  programme), IDM 2024 for those desa (section 2), and the DPMD registry of 188 BUMDes (a list, one type);
  population of the kabupaten from the Kepmendagri code list (section 5; it has none per village).
- Kota Batu (section 7): the PODES 2024 posyandu count (``R705A``) through the BPS crosswalk.
"""

import csv
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from test_theme_pages import _open as buka  # the app once, then the page with its URL

from sinergi import catalog, datasets
from sinergi.importers import apply, kinds, plan

from .conftest import REAL
from .kueri import q

BOGOR = REAL / "dpmd_bogor_2025"
DD = BOGOR / "bogor_realisasi_dd_add_2025_desa.csv"


def _real():
    if not REAL.is_dir():
        pytest.skip(f"data nyata tidak ada di {REAL.resolve()} (lihat MANIFEST.md); uji berkas nyata dilewati")
    return REAL.resolve()


def _ok(r):
    assert r.boleh_diterapkan, r.laporan.teks()
    return apply.terapkan(r)


@pytest.fixture(scope="module")
def bogor(tmp_path_factory):
    """Dataset ``bogor`` built once from the real files (a data folder of its own); returns (folder, reports)."""
    real = _real()
    base = tmp_path_factory.mktemp("bogor")
    laporan = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SINERGI_DATA_DIR", str(base))
        kec = json.loads((real / "cahyadsn_wilayah_boundaries" / "adm3_kecamatan.geojson").read_text(encoding="utf-8"))
        kec["features"] = [f for f in kec["features"] if f["properties"]["kode"].startswith("32.01.")]
        (base / "kec_3201.geojson").write_text(json.dumps(kec), encoding="utf-8")
        _ok(plan.siapkan_batas(base / "kec_3201.geojson", "bogor"))
        r = kinds.siapkan("program", DD, "bogor", tahun=2025, kolom_nama="nama_dagri_2025",
                          peta_kolom={"dd_total": "Kemendesa PDTT:Dana Desa",
                                      "add_2025": "Pemerintah Daerah:Alokasi Dana Desa"},
                          sumber="DPMD Kab. Bogor, realisasi DD dan ADD 2025")
        laporan["program"] = r.laporan
        _ok(r)
        with open(real / "kristonova_idm2024" / "idm2024_desa.csv", encoding="utf-8") as f:
            rows = [line for n, line in enumerate(f) if n == 0 or line.startswith("3201")]
        (base / "idm_3201.csv").write_text("".join(rows), encoding="utf-8")
        r = plan.siapkan_indikator(base / "idm_3201.csv", "bogor")
        laporan["idm"] = r.laporan
        _ok(r)
        r = kinds.siapkan("lembaga", BOGOR / "bogor_bumdes_registry_2025.csv", "bogor", jenis="bumdes")
        laporan["bumdes"] = r.laporan
        _ok(r)
        r = kinds.siapkan("penduduk", real / "cahyadsn_wilayah" / "penduduk_prov_kab.csv", "bogor", kolom="total",
                          tahun=2025)
        laporan["penduduk"] = r.laporan
        _ok(r)
    return base, laporan


def test_bogor_programmes_are_the_real_disbursements(bogor):
    base, laporan = bogor
    lap = laporan["program"]
    assert (lap.baris, lap.baru, len(lap.tidak_cocok)) == (416, 416, 0)  # desa created under their kecamatan
    path = base / "bogor.duckdb"
    total = dict(q(path, "select program, sum(anggaran) from program group by program"))
    assert total == {"Dana Desa": 420_104_250_053, "Alokasi Dana Desa": 405_561_513_952}  # MANIFEST section 13
    jp = dict(q(path, "select kode, nilai from nilai where indikator = 'jumlah_program' and tahun = 2025"))
    assert jp["32.01"] == 2.0 and len([k for k in jp if k.count(".") == 3]) == 416
    anggaran = dict(q(path, "select kode, nilai from nilai where indikator = 'anggaran_program' and tahun = 2025"))
    assert anggaran["32"] == pytest.approx(420_104_250_053 + 405_561_513_952)


def test_bogor_bumdes_registry_is_a_list_of_real_institutions(bogor):
    base, laporan = bogor
    lap = laporan["bumdes"]
    teks = lap.teks()
    assert "9 lembaga berstatus tidak aktif dilewati" in teks
    assert "tahun berdiri tidak sah di kolom TahunPendirian" in teks  # e.g. 2925 in the registry
    assert ("Lembaga baru / menggantikan", "179 / 0") in lap.ringkasan()
    path = base / "bogor.duckdb"
    assert q(path, "select count(*) from simpul where tipe = 'lembaga' and jenis = 'bumdes'")[0][0] == 179
    with open(BOGOR / "bogor_bumdes_registry_2025.csv", encoding="utf-8") as f:
        aktif = [r for r in csv.DictReader(f) if r["status"] == "aktif"]
    by_2024 = sum(1 for r in aktif if not r["TahunPendirian"].isdigit() or not 1990 <= int(r["TahunPendirian"]) <= 2100
                  or int(r["TahunPendirian"]) <= 2024)
    v = dict(q(path, "select tahun, nilai from nilai where indikator = 'lembaga_bumdes' and kode = '32.01'"))
    assert v == {2024: by_2024, 2025: 179}


def test_bogor_population_is_known_only_for_the_kabupaten(bogor):
    base, laporan = bogor
    path = base / "bogor.duckdb"
    assert dict(q(path, "select kode, penduduk from regions where level <= 2")) == {"32": 51_316_378,
                                                                                     "32.01": 5_809_790}
    assert "Penduduk desa tidak tersedia" in q(path, "select catatan from dataset")[0][0]
    assert "lembaga_per_1000" not in {i for (i,) in q(path, "select distinct indikator from nilai")}


@pytest.fixture()
def aktif_bogor(bogor, tmp_path, monkeypatch):
    base, _ = bogor
    shutil.copy(base / "bogor.duckdb", tmp_path / "bogor.duckdb")
    monkeypatch.setenv("SINERGI_DATA_DIR", str(tmp_path))
    datasets.gunakan("bogor")
    return tmp_path


def _expected_targets(real: Path) -> set[str]:
    """Bogor desa with IKS 2024 in the bottom quintile or status Sangat Tertinggal/Tertinggal, from the file."""
    with open(real / "kristonova_idm2024" / "idm2024_desa.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["kode_desa"].startswith("3201")]
    cut = np.quantile([float(r["iks_2024"]) for r in rows], 0.2)
    return {r["kode_desa_dotted"] for r in rows if float(r["iks_2024"]) <= cut
            or r["status_idm_2024"] in ("SANGAT TERTINGGAL", "TERTINGGAL")}


def test_sinergi_program_on_bogor_shows_reach_co_presence_and_targets(aktif_bogor):
    at = buka("pages/sinergi_program.py", {"maks": "2"})
    assert at.selectbox(key="sp_tahun").value == 2025
    assert len(at.get("plotly_chart")) == 2  # reach and co-presence
    captions = "\n".join(c.value for c in at.caption)
    assert "Ketahanan: IKS 2024 (tahun terbaru yang ada sampai 2025)" in captions
    target = at.dataframe[-1].value
    assert set(target["Kode"]) == _expected_targets(_real())
    assert {m.label: m.value for m in at.metric}["Desa sasaran"] == str(len(target))
    assert set(target["Jumlah program"]) == {"2"}  # every desa has Dana Desa and ADD
    assert not [i for i in at.info if "belum punya data program" in i.value]


def test_jaringan_sosial_on_bogor_shows_bumdes_and_says_what_it_lacks(aktif_bogor):
    at = buka("pages/jaringan_sosial.py", {"wil": "32.01.11"})
    assert at.selectbox(key="jr_ind").value == "lembaga_jumlah"
    assert len(at.get("plotly_chart")) == 2  # institutions by type and the network graph
    # the desa came from tables (no village boundaries of Jawa Barat in shared): no empty map, but the file it needs
    assert any("Wilayah tingkat ini belum punya batas" in i.value for i in at.info)
    lacks = [e.label for e in at.expander]
    assert any("belum punya data ikatan jejaring" in x for x in lacks)  # memberships only
    assert any("belum punya penduduk desa" in x for x in lacks)  # no density without population
    table = at.dataframe[-1].value
    assert "Cidokom" in set(table["Nama"])  # a real desa of kecamatan Gunung Sindur with a BUMDes
    assert catalog.get("jejaring_derajat").nama("id") + " (ikatan)" in table.columns


@pytest.fixture(scope="module")
def batu(tmp_path_factory):
    real = _real()
    base = tmp_path_factory.mktemp("batu")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SINERGI_DATA_DIR", str(base))
        _ok(plan.siapkan_batas(real / "cahyadsn_wilayah_boundaries" / "adm4_desa_kelurahan_3579_kota_batu.geojson",
                               "batu"))
        r = kinds.siapkan("lembaga", real / "podes2024_kota_batu" / "podes2024_kota_batu_desa.csv", "batu",
                          crosswalk=real / "bps_dagri_crosswalk" / "bps_dagri_crosswalk.csv", tahun=2024,
                          peta_kolom={"R705A": "posyandu"}, sumber="BPS, PODES 2024 (sampel Kota Batu)")
        lap = r.laporan
        _ok(r)
    return base, lap


def test_podes_posyandu_counts_of_kota_batu_through_the_crosswalk(batu):
    base, lap = batu
    assert (lap.baris, lap.sudah_ada, len(lap.tidak_cocok)) == (24, 24, 0)
    with open(REAL / "podes2024_kota_batu" / "podes2024_kota_batu_desa.csv", encoding="utf-8") as f:
        total = sum(int(r["R705A"]) for r in csv.DictReader(f))
    v = dict(q(base / "batu.duckdb", "select indikator, nilai from nilai where kode = '35.79' and tahun = 2024"))
    assert v["lembaga_posyandu"] == total and v["lembaga_jumlah"] == total


def test_jaringan_sosial_on_batu_counts_and_asks_for_ties(batu, tmp_path, monkeypatch):
    base, _ = batu
    shutil.copy(base / "batu.duckdb", tmp_path / "batu.duckdb")
    monkeypatch.setenv("SINERGI_DATA_DIR", str(tmp_path))
    datasets.gunakan("batu")
    at = buka("pages/jaringan_sosial.py", {"wil": "35.79"})
    assert len(at.get("plotly_chart")) == 1  # institutions by type, from the counts
    assert any("jumlah per jenis, mis. dari PODES" in c.value for c in at.caption)
    assert any("belum punya data ikatan jejaring" in i.value for i in at.info)
    assert any("dari,ke,jenis,tahun" in c.value for c in at.code)  # the expected columns of a ties file

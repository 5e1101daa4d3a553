"""Institutions (a list, or counts per village) and ties (``python -m sinergi import institutions|ties``):
what they write into ``simpul``/``ikatan`` and the values derived when the import is applied (counts by
year, institutions per 1,000 people, network measures), aggregated up like any indicator.

Generated files on the eight test villages of ``conftest.DESA`` (97.01.01: Alfa 2001, Bravo 2002,
Charlie 1003; 97.01.02: Delta, Echo; 97.71.01: Foxtrot, Golf, Hotel).
"""

import pytest

from sinergi.__main__ import main
from sinergi.importers import apply, kinds, network_import, plan

from .conftest import tulis_csv
from .kueri import nilai, q

DAFTAR = """kode_desa,jenis,nama_lembaga,sejak,status
97.01.01.2001,BUMDesa,BUMDes Maju,2019,aktif
97.01.01.2001,Karang Taruna,,,aktif
97.01.01.2001,posyandu,Posyandu Melati,2023,aktif
97.01.01.2002,koperasi,Koperasi Tani,2024,aktif
97.01.01.2002,bumdes,BUMDes Lama,2010,tidak aktif
97.01.02.2001,majelis taklim,Majelis Taklim Nurul,2015,aktif
"""
IKATAN = """dari,ke,jenis,tahun,jenis_mitra
97.01.01.2001,9771012001,kerja sama,2023,
lembaga:97.01.01.2001:bumdes:1,IPB University,kemitraan,2024,universitas
97.01.01.2002,IPB University,pendampingan,,universitas
97.01.02.2001,Yayasan Peduli,pendampingan,2024,yayasan
97.01.01.2001,32.01.99.2001,kemitraan,2024,
97.01.01,97.01.01.2002,kemitraan,2024,
"""


def _siapkan(jenis, tmp_path, isi, nama="berkas.csv", /, **opsi):
    return kinds.siapkan(jenis, tulis_csv(tmp_path / nama, isi), "uji", **opsi)


def _tahun(kerja):
    """The test villages with IKS for 2023 and 2024 (the years derived values are computed for)."""
    rows = "\n".join(f"{k},0.5,0.6" for k in ("9701012001", "9701012002", "9701022001", "9771012001"))
    apply.terapkan(plan.siapkan_indikator(tulis_csv(kerja / "iks.csv", "kode,iks_2023,iks_2024\n" + rows), "uji"))


def _daftar(kerja):
    _tahun(kerja)
    apply.terapkan(_siapkan("lembaga", kerja, DAFTAR))


@pytest.fixture()
def dengan_tahun(dataset_uji):
    """The test villages with IKS for 2023 and 2024 (imported once per session)."""
    return dataset_uji("jaringan-tahun", _tahun)


@pytest.fixture()
def dengan_daftar(dataset_uji):
    """``dengan_tahun`` with the list ``DAFTAR`` of institutions applied."""
    return dataset_uji("jaringan-daftar", _daftar)


def test_a_list_becomes_nodes_membership_ties_and_counts_by_year(dengan_tahun, tmp_path):
    r = _siapkan("lembaga", tmp_path, DAFTAR)
    lap = r.laporan
    assert r.boleh_diterapkan, lap.teks()
    assert "1 lembaga berstatus tidak aktif dilewati" in lap.teks()
    assert ("Lembaga baru / menggantikan", "5 / 0") in lap.ringkasan()
    assert "Jenis lembaga di luar daftar bawaan" not in lap.teks()  # every type is a known one (aliases)
    path = apply.terapkan(r)
    nodes = q(path, "select id, tipe, jenis, nama from simpul order by id")
    assert ("lembaga:97.01.01.2001:bumdes:1", "lembaga", "bumdes", "BUMDes Maju") in nodes
    assert ("lembaga:97.01.01.2001:karang_taruna:1", "lembaga", "karang_taruna", "Karang Taruna Alfa") in nodes
    assert ("desa:97.01.01.2001", "desa", "desa", "Alfa") in nodes
    ties = q(path, "select dari, ke, jenis, tahun from ikatan order by ke")
    assert ("desa:97.01.01.2001", "lembaga:97.01.01.2001:posyandu:1", "anggota", 2023) in ties
    assert ("desa:97.01.01.2001", "lembaga:97.01.01.2001:karang_taruna:1", "anggota", None) in ties
    # by year: the posyandu (2023) and the cooperative (2024) count from their founding year on
    assert nilai(path, "lembaga_jumlah", 2023)["97.01.01.2001"] == 3
    assert nilai(path, "lembaga_jumlah", 2023)["97.01.01.2002"] == 0
    assert nilai(path, "lembaga_koperasi", 2024)["97.01.01.2002"] == 1
    assert nilai(path, "lembaga_jumlah", 2024)["97.01.01"] == 4  # sum over the kecamatan's villages
    assert nilai(path, "lembaga_majelis_taklim", 2024)["97.01.02.2001"] == 1
    assert "97.71.01.2001" not in nilai(path, "lembaga_jumlah")  # kota 97.71 not covered by the list
    assert nilai(path, "jejaring_derajat", 2024)["97.01.01.2001"] == 3  # its three institutions
    assert "lembaga_per_1000" not in {i for (i,) in q(path, "select distinct indikator from nilai")}  # no population


def test_the_same_list_twice_replaces_instead_of_doubling(dengan_daftar, tmp_path):
    r = _siapkan("lembaga", tmp_path, DAFTAR)
    assert ("Lembaga baru / menggantikan", "5 / 5") in r.laporan.ringkasan()
    path = apply.terapkan(r)
    assert q(path, "select count(*) from simpul where tipe = 'lembaga'")[0][0] == 5
    assert q(path, "select count(*) from ikatan where jenis = 'anggota'")[0][0] == 5


def test_one_type_for_a_list_without_a_type_column(dengan_tahun, tmp_path):
    isi = "kode_desa,desa,namabumdesa,TahunPendirian\n32.01.01.2001,X,Y,2019\n97.01.01.2002,Bravo,BUMDes Bravo,2017\n"
    r = _siapkan("lembaga", tmp_path, isi, jenis="BUMDes")
    assert r.boleh_diterapkan, r.laporan.teks()
    assert r.laporan.kolom["namabumdesa"] == "nama lembaga" and r.laporan.kolom["desa"] == "nama"
    assert len(r.laporan.tidak_cocok) == 1  # 32.01.01.2001 is not in the dataset
    path = apply.terapkan(r)
    assert q(path, "select nama, jenis from simpul where tipe = 'lembaga'") == [("BUMDes Bravo", "bumdes")]
    r = _siapkan("lembaga", tmp_path, "kode_desa,nama_lembaga\n97.01.01.2002,X\n")
    assert not r.boleh_diterapkan and "tanpa kolom 'jenis'" in r.laporan.galat[0].pesan


def test_counts_per_village_with_population_give_density(dengan_tahun, tmp_path):
    isi = ("kode,tahun,posyandu,jumlah_koperasi,penduduk\n"
           "9701012001,2024,3,1,2000\n9701012002,2024,2,0,1.000\n9701022001,2024,1,-,500\n")
    r = _siapkan("lembaga", tmp_path, isi)
    assert r.boleh_diterapkan, r.laporan.teks()
    assert r.laporan.format.endswith("jumlah per desa")
    assert r.laporan.kolom["posyandu"] == "jumlah posyandu" and r.laporan.kolom["penduduk"] == "penduduk"
    path = apply.terapkan(r)
    assert nilai(path, "lembaga_posyandu")["97.01.01"] == 5
    jumlah, padat = nilai(path, "lembaga_jumlah"), nilai(path, "lembaga_per_1000")
    assert (jumlah["97.01.01.2001"], padat["97.01.01.2001"]) == (4, 2.0)  # 4 per 2,000 people
    assert (jumlah["97.01.01.2002"], padat["97.01.01.2002"]) == (2, 2.0)  # "1.000" is a thousand
    assert padat["97.01.02.2001"] == 2.0  # 1 per 500
    # kecamatan 97.01.01: Charlie has no population, so the mean is unweighted (2 + 2) / 2
    assert padat["97.01.01"] == pytest.approx(2.0)
    assert q(path, "select penduduk from regions where kode = '97.01.01.2002'")[0][0] == 1000


def test_counts_mapped_from_coded_columns(dengan_tahun, tmp_path):
    r = _siapkan("lembaga", tmp_path, "kode,R705A\n9701012001,7\n", tahun=2024, peta_kolom={"R705A": "Posyandu"})
    assert r.boleh_diterapkan and r.laporan.indikator == ["lembaga_posyandu"]
    r = _siapkan("lembaga", tmp_path, "kode,R705A\n9701012001,7\n", tahun=2024, peta_kolom={"R705A": "puskesmas"})
    assert not r.boleh_diterapkan and "jenis lembaga 'puskesmas' tidak dikenal" in r.laporan.galat[0].pesan


def test_ties_partners_unknown_codes_and_network_measures(dengan_daftar, tmp_path):
    r = _siapkan("ikatan", tmp_path, IKATAN, nama="ikatan.csv")
    lap = r.laporan
    assert r.boleh_diterapkan, lap.teks()
    alasan = dict(zip(lap.tidak_cocok["baris"], lap.tidak_cocok["alasan"]))
    assert alasan == {6: "kode desa 32.01.99.2001 tidak ada di dataset",
                      7: "kode 97.01.01 bukan desa/kelurahan: ikatan menghubungkan desa, lembaga dan mitra"}
    assert ("Mitra luar baru", "2") in lap.ringkasan()
    path = apply.terapkan(r)
    mitra = q(path, "select id, jenis, nama from simpul where tipe = 'mitra' order by id")
    assert mitra == [("mitra:ipb_university", "perguruan_tinggi", "IPB University"),
                     ("mitra:yayasan_peduli", "lsm", "Yayasan Peduli")]
    assert ("desa:97.71.01.2001",) in q(path, "select id from simpul where tipe = 'desa'")
    v = {i: nilai(path, i) for i in ("jejaring_derajat", "jejaring_jenis_mitra", "jejaring_penghubung",
                                      "kerja_sama_antardesa", "jumlah_mitra")}
    alfa = "97.01.01.2001"
    assert v["jejaring_derajat"][alfa] == 4  # three institutions + Foxtrot
    assert v["jejaring_jenis_mitra"][alfa] == 1 and v["jumlah_mitra"][alfa] == 1  # IPB through its BUMDes
    assert v["jejaring_penghubung"][alfa] == 1 and v["kerja_sama_antardesa"][alfa] == 1  # Foxtrot: other kecamatan
    assert v["jumlah_mitra"]["97.01.01.2002"] == 1  # IPB, tie without a year: always
    assert nilai(path, "kerja_sama_antardesa", 2023)[alfa] == 1
    assert nilai(path, "jumlah_mitra", 2023)[alfa] == 0  # the BUMDes–IPB tie starts in 2024
    assert v["kerja_sama_antardesa"]["97.01.01"] == pytest.approx(1 / 2)  # mean over Alfa and Bravo (nodes)


def test_ties_that_only_point_at_unknown_codes_are_an_error(dataset_desa, tmp_path):
    r = _siapkan("ikatan", tmp_path, "dari,ke,jenis\n32.01.01.2001,32.01.01.2002,kerja_sama_antardesa\n"
                                     "9701012001,lembaga:97.01.01.2001:bumdes:9,anggota\n")
    assert not r.boleh_diterapkan
    assert "Tidak ada ikatan yang dapat diimpor" in r.laporan.galat[0].pesan
    assert "simpul lembaga:97.01.01.2001:bumdes:9 tidak ada di dataset" in r.laporan.teks()


def test_a_tie_given_twice_is_kept_once_with_its_earliest_year(dataset_desa, tmp_path):
    r = _siapkan("ikatan", tmp_path, "dari,ke,jenis,tahun\n9701012001,9701012002,kerja_sama_antardesa,2022\n"
                                     "9701012002,9701012001,kerja sama antar desa,2020\n")
    assert r.laporan.duplikat == 1
    assert r.ikatan[["dari", "ke", "tahun"]].values.tolist() == [["desa:97.01.01.2002", "desa:97.01.01.2001", 2020.0]]


def test_type_spellings():
    assert network_import.jenis_lembaga("BUMDesa") == "bumdes"
    assert network_import.jenis_lembaga("Gapoktan") == "kelompok_tani"
    assert network_import.jenis_lembaga("Bank Sampah") == "bank_sampah"  # unknown: kept, folded


def test_cli_institutions_and_ties(dataset_desa, tmp_path, capsys):
    rc = main(["import", "institutions", str(tulis_csv(tmp_path / "l.csv", DAFTAR)), "--dataset", "uji", "--yes"])
    assert rc == 0, capsys.readouterr()
    rc = main(["import", "ties", str(tulis_csv(tmp_path / "i.csv", IKATAN)), "--dataset", "uji", "--yes"])
    out = capsys.readouterr().out
    assert rc == 0, out
    assert "Laporan validasi impor ikatan jejaring" in out and "kode desa 32.01.99.2001 tidak ada di dataset" in out

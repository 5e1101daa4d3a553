"""Population (``python -m sinergi import population``, or a ``penduduk`` column): ``regions.penduduk``,
population-weighted means wherever the villages have population, and the dataset note naming the
regions that fell back to plain means.

The eight test villages of ``conftest.DESA``: 97.01.01 Alfa 2001, Bravo 2002, Charlie 1003 (kelurahan);
97.01.02 Delta 2001, Echo 2002; 97.71.01 Foxtrot, Golf, Hotel.
"""

import pytest

from sinergi.importers import apply, kinds, plan

from .conftest import tulis_csv
from .kueri import q

IKS = "kode,iks_2024\n9701012001,0.40\n9701012002,0.80\n9701022001,0.50\n9701022002,0.70\n9771012001,0.60\n"


@pytest.fixture()
def dengan_iks(dataset_uji):
    """The test villages with ``IKS`` imported (once per session)."""
    return dataset_uji("penduduk-iks", lambda kerja: apply.terapkan(
        plan.siapkan_indikator(tulis_csv(kerja / "iks.csv", IKS), "uji")))


def _penduduk(tmp_path, isi, **opsi):
    return kinds.siapkan("penduduk", tulis_csv(tmp_path / "penduduk.csv", isi), "uji", **opsi)


def test_weighted_where_every_village_has_population_and_the_note_names_the_rest(dengan_iks, tmp_path):
    r = _penduduk(tmp_path, "kode,tahun,jumlah_penduduk\n9701012001,2024,1.000\n9701012002,2024,3000\n"
                            "9701011003,2024,2000\n")
    assert r.boleh_diterapkan, r.laporan.teks()
    assert r.laporan.kolom["jumlah_penduduk"] == "penduduk"
    path = apply.terapkan(r)
    pend = dict(q(path, "select kode, penduduk from regions"))
    assert (pend["97.01.01.2001"], pend["97.01.01"], pend["97.01.02"]) == (1000, 6000, None)  # 1.000 = a thousand
    iks = dict(q(path, "select kode, nilai from nilai where indikator = 'iks' and tahun = 2024"))
    assert iks["97.01.01"] == pytest.approx((0.40 * 1000 + 0.80 * 3000) / 4000)  # weighted: 0.70, not 0.60
    assert iks["97.01.02"] == pytest.approx(0.60)  # Delta and Echo have no population: plain mean
    assert iks["97.01"] == pytest.approx((0.40 + 0.80 + 0.50 + 0.70) / 4)  # a village without population below
    catatan = q(path, "select catatan from dataset")[0][0]
    assert "tanpa bobot penduduk" in catatan and "Dua (97.01.02)" in catatan and "Kabupaten Uji (97.01)" in catatan
    assert "Satu (97.01.01)" not in catatan  # weighted
    assert "penduduk" in {i for (i,) in q(path, "select distinct indikator from nilai")}  # mappable too


def test_latest_year_is_the_weight_and_parents_sum_their_villages(dengan_iks, tmp_path):
    rows = "\n".join(f"{k},{t},{p}" for k, t, p in (
        ("9701012001", 2023, 900), ("9701012001", 2024, 1000), ("9701012002", 2024, 3000),
        ("9701011003", 2024, 2000)))
    path = apply.terapkan(_penduduk(tmp_path, "kode,tahun,penduduk\n" + rows))
    assert dict(q(path, "select kode, penduduk from regions"))["97.01.01.2001"] == 1000
    by_year = dict(q(path, "select tahun, nilai from nilai where indikator = 'penduduk' and kode = '97.01.01'"))
    assert by_year == {2023: 900, 2024: 6000}  # a parent's population value is the sum of its villages


def test_kabupaten_population_without_villages_keeps_plain_means(dengan_iks, tmp_path):
    path = apply.terapkan(_penduduk(tmp_path, "kode,nama,total\n97.01,Kabupaten Uji,120000\n", kolom="total",
                                    tahun=2025))
    assert dict(q(path, "select kode, penduduk from regions where level <= 2")) == {"97": None, "97.01": 120000,
                                                                                     "97.71": None}
    assert "Penduduk desa tidak tersedia" in q(path, "select catatan from dataset")[0][0]


@pytest.mark.parametrize(("isi", "pesan"), [
    ("kode,tahun,penduduk\n9701012001,2024,-120\n", "1 nilai penduduk negatif di kolom penduduk"),
    ("kode,tahun,penduduk\n9701012001,2024,banyak\n9701012002,2024,300\n", "1 sel penduduk di kolom penduduk bukan angka"),
    ("kode,tahun,jiwa,penduduk\n9701012001,2024,1,1\n9701012001,2024,2,2\n", "penduduk berbeda"),
    ("kode,tahun,warga\n9701012001,2024,1\n", "Kolom penduduk tidak ditemukan"),
    ("kode,penduduk\n9701012001,1\n", "Tahun penduduk tidak diketahui"),
])
def test_bad_population_is_an_error(dengan_iks, tmp_path, isi, pesan):
    r = _penduduk(tmp_path, isi)
    assert not r.boleh_diterapkan
    assert any(pesan in m.pesan for m in r.laporan.galat), r.laporan.teks()


def test_a_penduduk_column_of_an_indicator_table_is_population_too(dengan_iks, tmp_path):
    r = plan.siapkan_indikator(tulis_csv(tmp_path / "t.csv", "kode,penduduk_2024\n9701022001,100\n9701022002,300\n"),
                               "uji")
    assert r.boleh_diterapkan and r.laporan.indikator == ["penduduk"]
    path = apply.terapkan(r)
    iks = dict(q(path, "select kode, nilai from nilai where indikator = 'iks' and tahun = 2024"))
    assert iks["97.01.02"] == pytest.approx((0.50 * 100 + 0.70 * 300) / 400)

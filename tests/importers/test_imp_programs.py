"""Programme tables (``python -m sinergi import programs``): ministry names through the alias table, the
long and the wide layout, the validation report, replacing a year's programme, and the values derived
from programmes when the import is applied (counts, budget, beneficiaries, aggregated up).

Generated files on the eight test villages of ``conftest.DESA`` (97.01.01: Alfa 2001, Bravo 2002,
Charlie 1003 (kelurahan); 97.01.02: Delta, Echo; 97.71.01: Foxtrot, Golf, Hotel).
"""

import pandas as pd
import pytest

from sinergi.__main__ import main
from sinergi.importers import apply, kinds, programs

from .conftest import tulis_csv
from .kueri import nilai, q

ALIAS_EJAAN = """kode_desa,tahun,kementerian,program,anggaran,penerima
97.01.01.2001,2024,Kementerian Sosial,Program Keluarga Harapan,100.000.000,25
97.01.01.2001,2024,KEMENSOS,Desa Berketahanan Sosial,,
97.01.01.2002,2024,kemensos RI,Program Keluarga Harapan,50000000,10
97.01.01.2002,2024,Kemendes,Dana Desa,900000000,
97.01.02.2001,2024,Kementrian Kesehatan,Posyandu Prima,,30
"""


def _impor(tmp_path, isi, dataset="uji", **opsi):
    r = kinds.siapkan("program", tulis_csv(tmp_path / "program.csv", isi), dataset, **opsi)
    return r


def test_alias_spellings_become_one_ministry_and_counts_are_derived(dataset_desa, tmp_path):
    r = _impor(tmp_path, ALIAS_EJAAN)
    assert r.boleh_diterapkan, r.laporan.teks()
    teks = r.laporan.teks()
    assert "'Kementerian Sosial' → Kemensos" in teks and "'KEMENSOS' → Kemensos" in teks
    assert "'Kemendes' → Kemendesa PDTT" in teks and "'Kementrian Kesehatan' → Kemenkes" in teks
    path = apply.terapkan(r)
    rows = q(path, "select kode_desa, kementerian, program, anggaran, penerima from program order by all")
    assert {k for _, k, *_ in rows} == {"Kemensos", "Kemendesa PDTT", "Kemenkes"}
    assert ("97.01.01.2001", "Kemensos", "Program Keluarga Harapan", 100_000_000.0, 25) in rows  # 100.000.000
    jp, jk = nilai(path, "jumlah_program"), nilai(path, "jumlah_kementerian")
    assert (jp["97.01.01.2001"], jk["97.01.01.2001"]) == (2, 1)  # PKH and DBS, both Kemensos
    assert (jp["97.01.01.2002"], jk["97.01.01.2002"]) == (2, 2)
    assert jp["97.01.02.2002"] == 0  # kabupaten 97.01 is covered by the file: no programme recorded = 0
    assert "97.71.01.2001" not in jp  # kota 97.71 is not in the file: unknown, not zero
    assert jp["97.01.01"] == pytest.approx(4 / 3)  # mean over Alfa 2, Bravo 2, Charlie 0
    anggaran = nilai(path, "anggaran_program")
    assert anggaran["97.01.01.2002"] == 950_000_000 and anggaran["97.01"] == 1_050_000_000  # sums
    assert nilai(path, "penerima_program")["97.01"] == 65


def test_the_dataset_keeps_its_own_alias_table_for_later_imports(dataset_desa, tmp_path):
    alias = tulis_csv(tmp_path / "alias.csv", "alias,nama\nDinas Sosial Kab. Uji,Kemensos\n")
    r = _impor(tmp_path, "kode_desa,tahun,kementerian,program\n9701012001,2024,Dinas Sosial Kab. Uji,PKH\n",
               alias=alias)
    assert "Tabel alias K/L alias.csv: 1 baris" in r.laporan.teks()
    path = apply.terapkan(r)
    assert q(path, "select alias, nama from alias_kementerian") == [("Dinas Sosial Kab. Uji", "Kemensos")]
    r2 = _impor(tmp_path, "kode_desa,tahun,kementerian,program\n9701012002,2024,DINAS SOSIAL KAB UJI,PKH\n")
    assert r2.boleh_diterapkan, r2.laporan.teks()
    path = apply.terapkan(r2)
    assert q(path, "select distinct kementerian from program") == [("Kemensos",)]
    assert q(path, "select count(*) from alias_kementerian") == [(1,)]  # carried over


def test_a_new_file_replaces_the_same_year_ministry_and_programme_only(dataset_desa, tmp_path):
    apply.terapkan(_impor(tmp_path, ALIAS_EJAAN))
    r = _impor(tmp_path, "kode_desa,tahun,kementerian,program\n97.71.01.2001,2024,Kemensos,Program Keluarga Harapan\n")
    assert ("Baris program baru / menggantikan", "1 / 2") in r.laporan.ringkasan()
    path = apply.terapkan(r)
    pkh = q(path, "select kode_desa from program where program = 'Program Keluarga Harapan'")
    assert pkh == [("97.71.01.2001",)]
    assert q(path, "select count(*) from program")[0][0] == 4  # DBS, Dana Desa, Posyandu Prima stay


def test_wide_table_one_budget_column_per_programme(dataset_desa, tmp_path):
    isi = "kode,dd_total,add_2025\n9701012001,884000000,700000000\n9701012002,0,650000000\n9771012001,-,1\n"
    r = _impor(tmp_path, isi, tahun=2025, peta_kolom={"dd_total": "Kemendesa PDTT:Dana Desa",
                                                      "add_2025": "Pemda:Alokasi Dana Desa"})
    assert r.boleh_diterapkan, r.laporan.teks()
    path = apply.terapkan(r)
    rows = q(path, "select kode_desa, kementerian, program, anggaran from program order by all")
    assert rows == [("97.01.01.2001", "Kemendesa PDTT", "Dana Desa", 884e6),
                    ("97.01.01.2001", "Pemerintah Daerah", "Alokasi Dana Desa", 700e6),  # Pemda is an alias
                    ("97.01.01.2002", "Pemerintah Daerah", "Alokasi Dana Desa", 650e6),
                    ("97.71.01.2001", "Pemerintah Daerah", "Alokasi Dana Desa", 1.0)]


def test_wide_mapping_must_name_ministry_and_programme(dataset_desa, tmp_path):
    r = _impor(tmp_path, "kode,dd\n9701012001,5\n", tahun=2025, peta_kolom={"dd": "Dana Desa"})
    assert not r.boleh_diterapkan and "tulis KOLOM=KEMENTERIAN:PROGRAM" in r.laporan.galat[0].pesan


def test_report_lists_unknown_codes_bad_years_odd_ministries_and_kecamatan_rows(dataset_desa, tmp_path):
    isi = ("kode_desa,tahun,kementerian,program\n"
           "97.01.01.2001,2024,Kemensos,PKH\n"
           "97.01.01.2009,2024,Kemensos,PKH\n"  # no such village under 97.01.01
           "97.01.01.2002,20x4,Kemensos,PKH\n"  # bad year
           "97.01.01,2024,Kemensos,PKH\n"  # a kecamatan
           "97.01.02.2001,2024,Kemnsos,PKH\n")  # odd spelling, close to Kemensos
    r = _impor(tmp_path, isi)
    lap = r.laporan
    assert r.boleh_diterapkan, lap.teks()
    teks = lap.teks()
    assert "1 baris dengan tahun tidak sah di kolom tahun dilewati" in teks
    assert "'Kemnsos': mungkin 'Kemensos'" in teks
    assert "berkode kecamatan, kabupaten/kota atau provinsi" in teks
    alasan = dict(zip(lap.tidak_cocok["kode_asal"], lap.tidak_cocok["alasan"]))
    assert alasan["97.01.01.2009"] == "kode tidak ada di dataset"
    assert alasan["97.01.01"] == "bukan kode desa/kelurahan (tingkat 3)"
    path = apply.terapkan(r)
    assert sorted(q(path, "select kode_desa, kementerian from program")) == [
        ("97.01.01.2001", "Kemensos"), ("97.01.02.2001", "Kemnsos")]  # kept as written, reported


@pytest.mark.parametrize(("isi", "pesan"), [
    ("kode_desa,tahun,kementerian,program,anggaran\n97.01.01.2001,2024,Kemensos,PKH,-5000\n",
     "1 anggaran negatif di kolom anggaran"),
    ("kode_desa,tahun,kementerian,program,penerima\n97.01.01.2001,2024,Kemensos,PKH,-3\n",
     "1 penerima negatif di kolom penerima"),
    ("kode_desa,tahun,kementerian,program,anggaran\n97.01.01.2001,2024,Kemensos,PKH,10\n"
     "97.01.01.2001,2024,Kemensos,PKH,20\n", "anggaran atau penerima berbeda"),
    ("kode_desa,kementerian,program\n97.01.01.2001,Kemensos,PKH\n", "Tahun program tidak diketahui"),
    ("kode_desa,tahun,kementerian\n97.01.01.2001,2024,Kemensos\n", "Kolom K/L atau program tidak ditemukan"),
    ("kode_desa,tahun,kementerian,program\n32.01.01.2001,2024,Kemensos,PKH\n",
     "Tidak ada baris program yang dapat diimpor"),
])
def test_errors_stop_the_import(dataset_desa, tmp_path, isi, pesan):
    r = _impor(tmp_path, isi)
    assert not r.boleh_diterapkan
    assert any(pesan in m.pesan for m in r.laporan.galat), r.laporan.teks()


def test_identical_repeated_rows_are_merged(dataset_desa, tmp_path):
    r = _impor(tmp_path, "kode_desa,tahun,kementerian,program\n9701012001,2024,Kemensos,PKH\n"
                         "9701012001,2024,KEMENSOS,PKH\n")
    assert r.boleh_diterapkan and r.laporan.duplikat == 1
    assert len(r.program) == 1


def test_alias_table_with_a_loop_is_refused(dataset_desa, tmp_path):
    alias = tulis_csv(tmp_path / "alias.csv", "alias,nama\nKemsos,Kementerian Sosial\nKementerian Sosial,Kemsos\n")
    r = _impor(tmp_path, ALIAS_EJAAN, alias=alias)
    assert not r.boleh_diterapkan
    pesan = r.laporan.galat[0].pesan
    assert "Tabel alias K/L berputar" in pesan and "Kementerian Sosial → Kemsos → Kementerian Sosial" in pesan


def test_alias_folding_and_resolution():
    assert programs.lipat(" Kementrian  Sosial RI.") == "kementerian sosial"
    a = programs.Alias(programs.alias_bawaan())
    assert a.putaran() == []  # the default table has no loop
    assert a.selesaikan("KEMENTERIAN SOSIAL REPUBLIK INDONESIA") == "Kemensos"
    assert a.selesaikan("kemensos") == "Kemensos" and a.selesaikan("Kementerian PPN/Bappenas") == "Bappenas"
    assert a.selesaikan("Dinas Pertanian  Kab. X") == "Dinas Pertanian Kab. X"  # unknown: tidied, kept
    tambah = pd.DataFrame({"alias": ["Dinsos"], "nama": ["Kementerian Sosial"]})
    chain = programs.Alias(pd.concat([programs.alias_bawaan(), tambah], ignore_index=True))
    assert chain.selesaikan("dinsos") == "Kemensos"  # followed to the end


def test_cli_imports_programmes(dataset_desa, tmp_path, capsys):
    f = tulis_csv(tmp_path / "p.csv", ALIAS_EJAAN)
    rc = main(["import", "programs", str(f), "--dataset", "uji", "--yes"])
    out = capsys.readouterr().out
    assert rc == 0, out
    assert "Laporan validasi impor program" in out and "Kementerian/lembaga" in out
    assert q(dataset_desa, "select count(*) from program")[0][0] == 5
    # `status` says what the dataset now holds beside regions and values
    assert main(["status", "uji"]) == 0
    status = capsys.readouterr().out
    assert "Program: 5 baris, 3 desa, 3 kementerian/lembaga, 2024" in status, status
    assert "Jejaring: 0 lembaga lokal, 0 mitra, 0 ikatan" in status

"""Indicators described by their owner (issue 14): a Data Package or a kamus sheet brings new indicators into
the dataset's own catalog; columns nobody described are reported, never silently dropped."""

import json
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from sinergi import catalog, db
from sinergi.__main__ import main
from sinergi.importers import apply, plan

from . import sdgs
from .conftest import DESA, geojson_desa, tulis_csv

KODE = [k for k, *_ in DESA]


def _katalog(path):
    con = db.connect_snapshot(path)
    try:
        return catalog.dari_tabel(db.run_query(con, "catalog_indicators").to_dict("records"))
    finally:
        con.close()


def _nilai(path, sql, **params):
    con = db.connect_snapshot(path)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


@pytest.fixture()
def sdgs_files(tmp_path):
    bps = [sdgs.kode_bps_untuk(k) for k in KODE]
    csv, dp, t = sdgs.tulis(tmp_path / "sdgs", bps)
    cw = sdgs.tulis_crosswalk(tmp_path / "crosswalk.csv", KODE)
    return csv, dp, cw, t


def test_sdgs_table_with_its_data_package_through_the_crosswalk(dataset_desa, sdgs_files):
    csv, dp, cw, t = sdgs_files
    r = plan.siapkan_indikator(csv, "uji", crosswalk=cw, metadata=dp)
    lap = r.laporan
    assert r.boleh_diterapkan, lap.teks()
    assert (lap.baris, lap.sudah_ada, len(lap.tidak_cocok)) == (8, 8, 0)
    assert lap.metadata == "datapackage.json" and lap.tahun == [2024]
    assert lap.indikator == sdgs.kolom(18)
    nb = lap.indikator_baru.set_index("id")
    assert len(nb) == 18 and set(nb["status"]) == {"baru"} and set(nb["tema"]) == {"SDGs Desa"}
    assert nb.loc["sdgs06", "nama"] == "SDGs Desa 6: Desa layak air bersih dan sanitasi"
    assert "Tema baru: SDGs Desa (sdgs_desa)." in lap.teks()
    assert lap.kolom_tanpa_deskripsi == [] and lap.kolom_diabaikan == []
    path = apply.terapkan(r)

    kat = _katalog(path)
    assert [i.id for i in kat.impor] == sdgs.kolom(18)
    assert kat.tema["sdgs_desa"] == ("SDGs Desa", "Village SDGs") and list(kat.tema)[:5] == list(catalog.TEMA)
    s1 = kat.get("sdgs01")
    assert (s1.tema, s1.arah, s1.agregasi, s1.min_valid, s1.max_valid) == ("sdgs_desa", 1, "wmean_pop", 0.0, 100.0)
    assert s1.kelas_batas == (25.0, 50.0, 75.0) and s1.kelas_tetap and s1.desimal == 1
    assert s1.nama_en == "Village SDG 1: Village without poverty" and s1.unit("en") == "score 0–100"
    assert s1.sumber == "Kemendesa PDTT, SDGs Desa (data buatan uji)" and s1.lisensi == "Creative Commons Attribution 4.0"
    # Villages carry the file's values; a kecamatan the mean of its villages (no population: unweighted).
    by_bps = dict(zip(t["kode_bps"], t["sdgs03"]))
    want = [by_bps[sdgs.kode_bps_untuk(k)] for k in KODE if k.startswith("97.01.01.")]
    got = _nilai(path, "select nilai from nilai where kode = '97.01.01' and indikator = 'sdgs03' and tahun = 2024")
    assert got[0][0] == pytest.approx(sum(want) / len(want))
    assert _nilai(path, "select count(*) from nilai where indikator like 'sdgs%' and kode like '97.%.%.%'") == [(144,)]

    # A later import (boundaries again) keeps the dataset's own indicators and their values.
    again = plan.siapkan_batas(geojson_desa(path.parent.parent / "lagi.geojson"), "uji")
    assert again.boleh_diterapkan, again.laporan.teks()
    path = apply.terapkan(again)
    assert [i.id for i in _katalog(path).impor] == sdgs.kolom(18)
    assert _nilai(path, "select count(*) from nilai where indikator = 'sdgs18' and kode like '97.%.%.%'") == [(8,)]


def test_a_plan_without_a_catalog_keeps_the_files_own(dataset_desa, sdgs_files):
    """Plans of other kinds that do not carry a catalog (Rencana.katalog None) keep the dataset's indicators."""
    csv, dp, cw, _ = sdgs_files
    path = apply.terapkan(plan.siapkan_indikator(csv, "uji", crosswalk=cw, metadata=dp))
    r = plan.siapkan_batas(geojson_desa(path.parent.parent / "lagi.geojson"), "uji")
    r.katalog = None
    path = apply.terapkan(r)
    assert len(_katalog(path).impor) == 18


KAMUS = ("id,kolom,nama,nama_en,tema,tema_baru,tema_en,satuan,arah,min,max,agregasi,sumber,lisensi,kelas\n"
         "rumah_layak,Rumah Layak %,Rumah tidak layak huni,Substandard housing,Permukiman Desa,ya,Village housing,%,-1,"
         "0,100,wmean_pop,Dinas Perkim,CC-BY,10; 20; 40\n"
         "koperasi_aktif,,Koperasi aktif,Active cooperatives,jaringan_sosial,,,unit,1,0,,sum,PODES,,\n")
TABEL = ("kode;nama;Rumah Layak %;koperasi_aktif;tahun;keterangan;jumlah_lain\n"
         "9701012001;Alfa;12,5;3;2023;baik;7\n9701012002;Bravo;40;0;2023;cukup;8\n")


def _kamus_xlsx(path, text):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Kamus indikator"])  # a title row above the header
    for line in text.strip().splitlines():
        ws.append(line.split(","))
    wb.save(path)
    return path


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_kamus_sheet_describes_columns_and_declares_a_new_theme(dataset_desa, tmp_path, fmt):
    table = tulis_csv(tmp_path / "t.csv", TABEL)
    kamus = tulis_csv(tmp_path / "kamus.csv", KAMUS) if fmt == "csv" else _kamus_xlsx(tmp_path / "kamus.xlsx", KAMUS)
    r = plan.siapkan_indikator(table, "uji", metadata=kamus)
    lap = r.laporan
    assert r.boleh_diterapkan, lap.teks()
    v = {(k, i): x for k, _, i, x in r.nilai.itertuples(index=False)}
    assert v[("97.01.01.2001", "rumah_layak")] == 12.5 and v[("97.01.01.2002", "koperasi_aktif")] == 0
    # the text column and the numeric one nobody described are said by name
    assert lap.kolom_diabaikan == ["keterangan"] and lap.kolom_tanpa_deskripsi == ["jumlah_lain"]
    assert lap.kolom["Rumah Layak %"] == "rumah_layak (dideskripsikan)"
    path = apply.terapkan(r)
    kat = _katalog(path)
    rl, ko = kat.get("rumah_layak"), kat.get("koperasi_aktif")
    assert (rl.tema, rl.arah, rl.kelas_batas, rl.nama_en) == ("permukiman_desa", -1, (10.0, 20.0, 40.0),
                                                              "Substandard housing")
    assert kat.tema["permukiman_desa"] == ("Permukiman Desa", "Village housing")
    assert (ko.tema, ko.agregasi, ko.min_valid, ko.max_valid) == ("jaringan_sosial", "sum", 0.0, None)
    # sum up the hierarchy: the kecamatan has 3 + 0 cooperatives
    assert _nilai(path, "select nilai from nilai where kode = '97.01.01' and indikator = 'koperasi_aktif'") == [(3.0,)]


def test_described_again_replaces_the_description(dataset_desa, tmp_path):
    table = tulis_csv(tmp_path / "t.csv", TABEL)
    apply.terapkan(plan.siapkan_indikator(table, "uji", metadata=tulis_csv(tmp_path / "k.csv", KAMUS)))
    k2 = tulis_csv(tmp_path / "k2.csv", "id,nama,tema,arah,agregasi\nkoperasi_aktif,Koperasi yang aktif,"
                                        "jaringan_sosial,1,mean\n")
    r = plan.siapkan_indikator(table, "uji", metadata=k2, kolom_pilih=["koperasi_aktif"])
    assert r.boleh_diterapkan, r.laporan.teks()
    assert r.laporan.indikator_baru[["id", "status"]].values.tolist() == [["koperasi_aktif", "diperbarui"]]
    path = apply.terapkan(r)
    kat = _katalog(path)
    assert kat.get("koperasi_aktif").nama_id == "Koperasi yang aktif" and kat.get("koperasi_aktif").agregasi == "mean"
    assert kat.get("rumah_layak").arah == -1  # untouched
    # without metadata, a column named like an imported indicator is recognised like a built-in one
    r = plan.siapkan_indikator(tulis_csv(tmp_path / "t2.csv", "kode,rumah_layak_2024\n9701012001,30\n"), "uji")
    assert r.boleh_diterapkan and r.laporan.indikator == ["rumah_layak"]


def test_a_built_in_id_described_as_it_is_is_the_built_in(dataset_desa, tmp_path):
    table = tulis_csv(tmp_path / "t.csv", "kode,iks,tahun\n9701012001,0.5,2024\n")
    same = tulis_csv(tmp_path / "k.csv", "id,nama,tema,arah\niks,IKS versi kami,ketahanan_sosial,1\n")
    r = plan.siapkan_indikator(table, "uji", metadata=same)
    assert r.boleh_diterapkan and r.laporan.indikator == ["iks"] and not len(r.laporan.indikator_baru)
    assert r.katalog.get("iks") is catalog.BAWAAN.get("iks")
    other = tulis_csv(tmp_path / "k2.csv", "id,nama,tema,arah\niks,Indeks kami,ketahanan_sosial,-1\n")
    r = plan.siapkan_indikator(table, "uji", metadata=other)
    assert not r.boleh_diterapkan
    assert "id 'iks' sudah dipakai indikator bawaan 'Indeks Ketahanan Sosial (IKS)' dengan arah berbeda" in \
        r.laporan.galat[0].pesan


def test_columns_nobody_described_are_reported_with_how_to_describe_them(dataset_desa, tmp_path):
    table = tulis_csv(tmp_path / "t.csv", "kode_desa,nama_desa,kode_kec,R803A,R1201,catatan,tahun\n"
                                          "9701012001,ALFA,970101,2,1,ramai,2024\n9701012002,BRAVO,970101,0,3,,2024\n")
    r = plan.siapkan_indikator(table, "uji")
    lap = r.laporan
    assert not r.boleh_diterapkan  # nothing described, nothing recognised: nothing to import
    assert "Tidak ada kolom indikator yang dikenali atau dideskripsikan" in lap.galat[0].pesan
    assert lap.kolom_tanpa_deskripsi == ["R803A", "R1201"]
    assert lap.kolom_diabaikan == ["catatan"] and lap.kolom_kode == ["kode_kec"]
    warn = next(m for m in lap.masalah if "kolom angka belum dideskripsikan" in m.pesan)
    assert "R803A, R1201" in warn.pesan and "--meta kamus.csv" in warn.pesan
    assert warn.contoh == ["kolom,nama,tema,satuan,arah,agregasi", "R803A,Nama R803A,ketahanan_sosial,%,1,wmean_pop",
                           "R1201,Nama R1201,ketahanan_sosial,%,1,wmean_pop"]
    text = lap.teks()
    assert "Kolom angka tanpa deskripsi (tidak diimpor) (2): R803A, R1201" in text
    assert "Kolom teks diabaikan (1): catatan" in text
    # the example rows are a kamus that works as it is
    kamus = tulis_csv(tmp_path / "kamus.csv", "\n".join(warn.contoh) + "\n")
    r = plan.siapkan_indikator(table, "uji", metadata=kamus)
    assert r.boleh_diterapkan and r.laporan.indikator == ["r803a", "r1201"], r.laporan.teks()


def test_a_dictionary_without_themes_uses_the_default_theme_and_the_chosen_columns(dataset_desa, tmp_path):
    """A survey's whole dictionary (PODES: kolom, keterangan) with a default theme and a column choice."""
    table = tulis_csv(tmp_path / "t.csv", "kode_desa,R803A,R803B,R1201,tahun\n9701012001,2,0,1,2019\n"
                                          "9701012002,1,1,0,2019\n")
    kamus = tulis_csv(tmp_path / "kamus.csv", "kolom,keterangan\nR101,Provinsi\nR803A,Jumlah KUD aktif\n"
                                              "R803B,Jumlah Kopinkra aktif\nR1201,Jumlah unit usaha BUMDes\n")
    no_theme = plan.siapkan_indikator(table, "uji", metadata=kamus)
    assert not no_theme.boleh_diterapkan and "tema tidak disebut" in no_theme.laporan.galat[0].pesan
    r = plan.siapkan_indikator(table, "uji", metadata=kamus, tema_bawaan="jaringan_sosial",
                               kolom_pilih=["R803A", "R1201"])
    lap = r.laporan
    assert r.boleh_diterapkan, lap.teks()
    assert lap.indikator == ["r803a", "r1201"] and "R803B" not in lap.kolom_tanpa_deskripsi
    assert any(m.pesan == "1 kolom tidak dipilih dan tidak diimpor." and m.contoh == ["R803B"] for m in lap.masalah)
    assert any("arah tidak disebut untuk 2 indikator; dianggap 1" in m.pesan for m in lap.masalah)
    assert any("2 entri untuk kolom yang tidak ada di tabel atau tidak dipilih dilewati" in m.pesan for m in lap.masalah)
    assert r.katalog.get("r1201").nama_id == "Jumlah unit usaha BUMDes"
    assert r.katalog.get("r1201").tema == "jaringan_sosial" and r.katalog.get("r1201").agregasi == "mean"
    bad = plan.siapkan_indikator(table, "uji", metadata=kamus, tema_bawaan="jaringan_sosial", kolom_pilih=["R9"])
    assert "Kolom yang dipilih tidak ada di berkas: R9" in bad.laporan.galat[0].pesan


def test_too_many_new_indicators_in_one_import(dataset_desa, tmp_path):
    cols = [f"v{i:03d}" for i in range(101)]
    table = tulis_csv(tmp_path / "t.csv", "kode,tahun," + ",".join(cols) + "\n9701012001,2024," +
                      ",".join("1" for _ in cols) + "\n")
    kamus = tulis_csv(tmp_path / "k.csv", "kolom,tema\n" + "\n".join(f"{c},idm" for c in cols) + "\n")
    r = plan.siapkan_indikator(table, "uji", metadata=kamus)
    assert not r.boleh_diterapkan and "akan menambah 101 indikator baru (batas 100 per impor)" in r.laporan.teks()


def test_data_package_with_several_resources_picks_the_tables_own(dataset_desa, sdgs_files, tmp_path):
    csv, dp, cw, _ = sdgs_files
    pkg = json.loads(dp.read_text(encoding="utf-8"))
    other = {"name": "lain", "path": "lain.csv", "schema": {"fields": [{"name": "x", "type": "number"}]}}
    pkg["resources"] = [other, *pkg["resources"]]
    dp2 = tmp_path / "dp2.json"
    dp2.write_text(json.dumps(pkg), encoding="utf-8")
    assert plan.siapkan_indikator(csv, "uji", crosswalk=cw, metadata=dp2).boleh_diterapkan
    wrong = tmp_path / "namanya_lain.csv"
    wrong.write_bytes(csv.read_bytes())
    r = plan.siapkan_indikator(wrong, "uji", crosswalk=cw, metadata=dp2)
    assert "berisi 2 resource ('lain', 'sdgs_desa_2024') dan tidak ada yang 'path'-nya 'namanya_lain.csv'" in \
        r.laporan.galat[0].pesan


def test_command_line_with_meta(dataset_desa, sdgs_files, capsys):
    csv, dp, cw, _ = sdgs_files
    rc = main(["import", "indicators", str(csv), "--dataset", "uji", "--crosswalk", str(cw), "--meta", str(dp),
               "--yes"])
    out = capsys.readouterr().out
    assert rc == 0, out
    assert "Metadata                      : datapackage.json" in out
    assert "Indikator baru di katalog dataset (18):" in out
    assert "  sdgs01 (baru): SDGs Desa 1: Desa tanpa kemiskinan — tema SDGs Desa, satuan skor 0–100, arah +1, " \
           "agregasi wmean_pop, rentang 0–100" in out
    assert len(_katalog(dataset_desa).impor) == 18


def test_old_files_read_without_the_added_catalog_columns(dataset_desa):
    """A dataset file built before the catalog columns of issue 14 opens and gives the built-in catalog."""
    con = db.connect(dataset_desa, read_only=False)
    try:
        for col in ("impor", "urut", "satuan_en", "lisensi", "desimal", "kelas_batas", "tema_nama_id", "tema_nama_en"):
            con.execute(f"alter table indicators drop column {col}")
    finally:
        con.close()
    kat = _katalog(dataset_desa)
    assert kat.ids() == catalog.BAWAAN.ids() and not kat.impor
    assert len(plan.baca_saat_ini("uji").katalog.ids()) == len(catalog.INDIKATOR)


def test_catalog_rows_round_trip():
    ind = catalog.Indikator("x_baru", "X", "X en", "tema_x", "orang", -1, 0.0, None, "sum", "S", "D", "De", None, 0, (),
                            "people", "L", (1.0, 5.0), True)
    k = catalog.BAWAAN.dengan([ind], {"tema_x": ("Tema X", "Theme X")})
    back = catalog.dari_tabel(pd.DataFrame(k.rows()).to_dict("records"))
    assert back.get("x_baru") == ind and back.tema["tema_x"] == ("Tema X", "Theme X")
    assert back.ids()[: len(catalog.INDIKATOR)] == catalog.BAWAAN.ids()


def test_the_readme_example_imports(data_dir, tmp_path, capsys):
    """The README's "Indikator sendiri" example (table, kamus, command) works as written."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    part = readme[readme.index("### Indikator sendiri"):]
    blocks = re.findall(r"```(\w+)\n(.*?)```", part, re.S)[:3]
    (_, table), (_, kamus), (_, command) = blocks
    tulis_csv(tmp_path / "sdgs_desa_2024.csv", table)
    tulis_csv(tmp_path / "kamus.csv", kamus)
    args = command.split()[3:]  # after "python -m sinergi"
    args = [str(tmp_path / a) if a.endswith(".csv") else a for a in args]
    assert main(args) == 0, capsys.readouterr().out
    kat = _katalog(data_dir / "diy.duckdb")
    s1 = kat.get("sdgs01")
    assert (s1.tema, s1.kelas_batas, kat.nama_tema("sdgs_desa")) == ("sdgs_desa", (25.0, 50.0, 75.0), "SDGs Desa")

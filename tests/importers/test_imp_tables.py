"""Indicator tables: layouts, code systems, the checks of the validation report."""

import openpyxl
import pytest

from sinergi.importers import idm, plan

from .conftest import tulis_csv


def _nilai(r):
    """The plan's new values as {(kode, tahun, indikator): nilai}."""
    return {(k, int(t), i): v for k, t, i, v in r.nilai[["kode", "tahun", "indikator", "nilai"]].itertuples(index=False)}


def test_wide_table_with_years_in_column_names(dataset_desa, tmp_path):
    p = tulis_csv(tmp_path / "iks.csv", "kode_desa;nama_desa;iks_2023;iks_2024\n"
                                       "9701012001;Alfa;0,45;0,5\n9701012002;Bravo;0,6;0,65\n")
    r = plan.siapkan_indikator(p, "uji")
    lap = r.laporan
    assert r.boleh_diterapkan and lap.sudah_ada == 2 and lap.baru == 0 and lap.tahun == [2023, 2024]
    assert _nilai(r) == {("97.01.01.2001", 2023, "iks"): 0.45, ("97.01.01.2001", 2024, "iks"): 0.5,
                         ("97.01.01.2002", 2023, "iks"): 0.6, ("97.01.01.2002", 2024, "iks"): 0.65}
    assert lap.nilai_baru == 4 and lap.persen_diterima == 100


def test_year_column_long_form_and_year_option(dataset_desa, tmp_path):
    wide = tulis_csv(tmp_path / "w.csv", "kode,tahun,iks,ike\n97.01.01.2001,2022,0.5,0.4\n")
    assert _nilai(plan.siapkan_indikator(wide, "uji")) == {("97.01.01.2001", 2022, "iks"): 0.5,
                                                          ("97.01.01.2001", 2022, "ike"): 0.4}
    long = tulis_csv(tmp_path / "l.csv", "kode,tahun,indikator,nilai\n9701012001,2024,IKS,0.5\n"
                                        "9701012001,2024,status_idm,Maju\n9701012001,2024,entah,3\n")
    r = plan.siapkan_indikator(long, "uji")
    assert _nilai(r) == {("97.01.01.2001", 2024, "iks"): 0.5, ("97.01.01.2001", 2024, "status_idm"): 4.0}
    assert any("tidak ada di katalog" in m.pesan and m.contoh == ["entah"] for m in r.laporan.masalah)
    no_year = tulis_csv(tmp_path / "n.csv", "kode,iks\n9701012001,0.5\n")
    r = plan.siapkan_indikator(no_year, "uji")
    assert not r.boleh_diterapkan and "Tahun untuk kolom iks tidak diketahui" in r.laporan.galat[0].pesan
    assert _nilai(plan.siapkan_indikator(no_year, "uji", tahun=2021)) == {("97.01.01.2001", 2021, "iks"): 0.5}


def test_explicit_column_mapping(dataset_desa, tmp_path):
    p = tulis_csv(tmp_path / "podes.csv", "IDDESA_DAGRI,R1502,R9999\n9701012001,1,7\n9701012002,0,8\n")
    r = plan.siapkan_indikator(p, "uji", kolom_kode="IDDESA_DAGRI", peta_kolom={"R1502": "bumdes_aktif"},
                               tahun=2024)
    # 1/0 are not on the 0–100 scale of bumdes_aktif? They are (0 and 1 are inside 0–100): kept as given.
    assert _nilai(r) == {("97.01.01.2001", 2024, "bumdes_aktif"): 1.0, ("97.01.01.2002", 2024, "bumdes_aktif"): 0.0}
    # R9999 holds numbers nobody described: reported as such (never silently dropped), not imported.
    assert r.laporan.kolom_tanpa_deskripsi == ["R9999"] and r.laporan.kolom_diabaikan == []
    assert any("1 kolom angka belum dideskripsikan" in m.pesan and "R9999,Nama R9999,ketahanan_sosial,%,1,wmean_pop"
               in m.contoh for m in r.laporan.masalah)
    bad = plan.siapkan_indikator(p, "uji", kolom_kode="IDDESA_DAGRI", peta_kolom={"R1502": "tidak_ada"})
    assert "indikator 'tidak_ada' tidak ada di katalog" in bad.laporan.galat[0].pesan


def test_idm_national_layout_status_texts_and_default_source(dataset_desa, tmp_path):
    p = tulis_csv(tmp_path / "idm2024_desa.csv",
                  "kode_desa,kode_desa_dotted,nama_desa,kode_kec,nama_kec,iks_2024,ike_2024,ikl_2024,idm_2024,"
                  "status_idm_2024,sumber_nilai\n"
                  "9701012001,97.01.01.2001,ALFA,970101,SATU,0.7029,0.6167,0.5333,0.6176,BERKEMBANG,Reguler\n"
                  "9701012002,97.01.01.2002,BRAVO,970101,SATU,0.9,0.9,0.9,0.9,SANGAT TERTINGGAL,Reguler\n")
    r = plan.siapkan_indikator(p, "uji")
    v = _nilai(r)
    assert v[("97.01.01.2001", 2024, "status_idm")] == 3 and v[("97.01.01.2002", 2024, "status_idm")] == 1
    assert v[("97.01.01.2001", 2024, "idm")] == 0.6176
    assert r.laporan.format == "csv, idm_nasional" and r.laporan.kolom_diabaikan == ["sumber_nilai"]
    assert r.sumber.iloc[-1]["sumber"] == "Kemendesa PDTT, Indeks Desa Membangun 2024"


def test_status_derived_from_idm_when_the_table_has_none(dataset_desa, tmp_path):
    p = tulis_csv(tmp_path / "idm.csv", "kode,idm_2024\n9701012001,0.4907\n9701012002,0.49071\n")
    v = _nilai(plan.siapkan_indikator(p, "uji"))
    assert v[("97.01.01.2001", 2024, "status_idm")] == 1 and v[("97.01.01.2002", 2024, "status_idm")] == 2


def _rumusan_row(kode, tahun, scores, iks, status="MAJU"):
    head = {"kode_desa": kode, "nama_desa": "X", "tahun": tahun, "status_idm": status, "skor_idm": "0.7",
            "iks_row": iks, "ike_row": "0.5", "ikl_row": "0.6", "idm_row": "0.7", "status_idm_row": status.title(),
            "target_status": "MANDIRI", "skor_minimal_target": "0.8156"}
    head.update({f"IKS{i:02d}": str(s) for i, s in enumerate(scores, start=1)})
    head.update({f"IKE{i:02d}": "3" for i in range(1, 13)})
    head.update({f"IKL{i:02d}": "3" for i in range(1, 4)})
    return head


def test_idm_detail_dimensions_are_score_sums_over_5n(dataset_desa, tmp_path):
    scores = [5, 0, 5, 0, 1, 4, 5] + [5, 5, 5, 5, 1, 1, 5] + [5] * 13 + [1] * 8  # 20, 27, 65, 8
    rows = [_rumusan_row("9701012001", "2021", scores, "0.6857"),
            _rumusan_row("9701012001", "2022", [5] * 34 + [""], "0.9943")]  # one score missing
    cols = list(rows[0])
    p = tulis_csv(tmp_path / "rumusan.csv", ",".join(cols) + "\n" +
                  "\n".join(",".join(str(r[c]) for c in cols) for r in rows) + "\n")
    r = plan.siapkan_indikator(p, "uji")
    v = _nilai(r)
    k = "97.01.01.2001"
    assert v[(k, 2021, "iks_kesehatan")] == pytest.approx(20 / 35)
    assert v[(k, 2021, "iks_pendidikan")] == pytest.approx(27 / 35)
    assert v[(k, 2021, "iks_modal_sosial")] == pytest.approx(65 / 65)
    assert v[(k, 2021, "iks_permukiman")] == pytest.approx(8 / 40)
    assert v[(k, 2021, "iks")] == 0.6857  # the reported IKS is authoritative
    assert v[(k, 2021, "status_idm")] == 4 and v[(k, 2021, "idm")] == 0.7
    assert (k, 2022, "iks_permukiman") not in v and v[(k, 2022, "iks_kesehatan")] == 1.0
    assert r.laporan.format == "csv, idm_rumusan" and "target_status" in r.laporan.kolom_diabaikan
    assert idm.adalah_rumusan(__import__("pandas").DataFrame(columns=cols))


def test_text_in_numeric_columns_is_reported_and_skipped(dataset_desa, tmp_path):
    p = tulis_csv(tmp_path / "teks.csv", "kode;iks_2024\n9701012001;tinggi\n9701012002;0,5\n9701022001;-\n")
    r = plan.siapkan_indikator(p, "uji")
    assert r.boleh_diterapkan and _nilai(r) == {("97.01.01.2002", 2024, "iks"): 0.5}
    t = r.laporan.teks_angka
    assert t[["kolom", "n"]].values.tolist() == [["iks_2024", 1]] and "baris 2: 'tinggi'" in t["contoh"].iloc[0]
    assert "1 sel berisi teks di kolom angka" in r.laporan.teks()


def test_values_out_of_range_are_reported_and_skipped(dataset_desa, tmp_path):
    p = tulis_csv(tmp_path / "rentang.csv", "kode,iks_2024,status_idm_2024\n9701012001,1.7,6\n9701012002,0.5,3\n")
    r = plan.siapkan_indikator(p, "uji")
    assert _nilai(r) == {("97.01.01.2002", 2024, "iks"): 0.5, ("97.01.01.2002", 2024, "status_idm"): 3}
    d = r.laporan.di_luar_rentang.set_index("indikator")
    assert d.loc["iks", "n"] == 1 and d.loc["iks", "contoh"] == "baris 2: 1.7"
    # A status of 6 is no status name or class: text-like, reported as such.
    assert r.laporan.teks_angka["kolom"].tolist() == ["status_idm_2024"]


def test_duplicates_identical_are_merged_conflicting_are_an_error(dataset_desa, tmp_path):
    same = tulis_csv(tmp_path / "sama.csv", "kode,iks_2024\n9701012001,0.5\n9701012001,0.5\n9701012002,0.6\n")
    r = plan.siapkan_indikator(same, "uji")
    assert r.boleh_diterapkan and r.laporan.duplikat == 1 and len(r.nilai) == 2
    beda = tulis_csv(tmp_path / "beda.csv", "kode,iks_2024\n9701012001,0.5\n9701012001,0.7\n")
    r = plan.siapkan_indikator(beda, "uji")
    assert not r.boleh_diterapkan
    assert "dengan nilai berbeda" in r.laporan.galat[0].pesan
    assert r.laporan.galat[0].contoh == ["97.01.01.2001 2024 iks: baris 2 = 0.5", "97.01.01.2001 2024 iks: baris 3 = 0.7"]


def test_unknown_codes_are_listed_with_the_closest_names(dataset_desa, tmp_path):
    p = tulis_csv(tmp_path / "asing.csv", "kode,nama,iks_2024\n9701012009,Alpha,0.5\n9701012001,Alfa,0.4\n"
                                         "3401012001,Jauh,0.3\n12345,X,0.1\n")
    r = plan.siapkan_indikator(p, "uji")
    tc = r.laporan.tidak_cocok.set_index("kode_asal")
    assert tc.loc["9701012009", "alasan"] == "kode tidak ada di dataset"
    assert tc.loc["9701012009", "mirip"].startswith("Alfa (97.01.01.2001)")
    assert tc.loc["3401012001", "alasan"] == "wilayah induk 34.01.01 tidak ada di dataset"
    assert tc.loc["12345", "alasan"] == "bukan kode wilayah Kemendagri"
    assert r.laporan.sudah_ada == 1 and r.boleh_diterapkan
    pp = r.laporan.per_provinsi.set_index("kode_prov")
    assert pp.loc["97", ["baris", "diterima"]].tolist() == [2, 1] and pp.loc["34", "diterima"] == 0
    assert r.laporan.persen_cakupan == 50.0


def test_finer_codes_under_a_childless_parent_become_new_regions(data_dir, tmp_path):
    from sinergi.importers import apply

    kec = tulis_csv(tmp_path / "kec.csv", "kode,nama,iks_2024\n970101,Satu,0.5\n")
    apply.terapkan(plan.siapkan_indikator(kec, "uji"))
    desa = tulis_csv(tmp_path / "desa.csv", "kode,nama,iks_2024\n9701012001,Alfa,0.5\n9702012001,Lain,0.5\n")
    r = plan.siapkan_indikator(desa, "uji")
    assert (r.laporan.sudah_ada, r.laporan.baru) == (0, 1)
    assert r.laporan.tidak_cocok["alasan"].tolist() == ["wilayah induk 97.02.01 tidak ada di dataset"]
    r = plan.siapkan_indikator(desa, "uji", tambah=True)
    assert r.laporan.baru == 2 and "97.02" in set(r.regions["kode"])


def test_bps_codes_need_a_crosswalk(dataset_desa, tmp_path):
    p = tulis_csv(tmp_path / "podes.csv", "IDDESA,NAMA_DESA,iks_2024\n9701010001,ALFA,0.5\n9701010002,BRAVO,0.6\n"
                                         "9701010099,ENTAH,0.7\n")
    r = plan.siapkan_indikator(p, "uji")
    assert "berisi kode BPS: sertakan berkas crosswalk" in r.laporan.galat[0].pesan
    cw = tulis_csv(tmp_path / "cw.csv", "level,kode_bps,kode_dagri,kode_dagri_num,nama\n"
                                       "desa_kelurahan,9701010001,97.01.01.2001,9701012001,ALFA\n"
                                       "desa_kelurahan,9701010002,97.01.01.2002,9701012002,BRAVO\n")
    r = plan.siapkan_indikator(p, "uji", crosswalk=cw)
    assert _nilai(r) == {("97.01.01.2001", 2024, "iks"): 0.5, ("97.01.01.2002", 2024, "iks"): 0.6}
    assert r.laporan.tidak_cocok[["kode_asal", "alasan"]].values.tolist() == [
        ["9701010099", "kode BPS tidak ada di crosswalk"]]
    assert any("Nama cocok untuk semua 2" in m.pesan for m in r.laporan.masalah)


def test_xlsx_table_with_title_rows(dataset_desa, tmp_path):
    p = tmp_path / "idm.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Rekap IDM"])
    ws.append([])
    ws.append(["Kode Desa", "Nama Desa", "IKS 2024"])
    ws.append([9701012001, "Alfa", 0.55])
    wb.save(p)
    r = plan.siapkan_indikator(p, "uji")
    assert _nilai(r) == {("97.01.01.2001", 2024, "iks"): 0.55}
    assert any(m.pesan.startswith("Lembar Sheet: 2 baris judul") for m in r.laporan.masalah)

"""Reading tables: encodings, delimiters, title rows above the header, numbers with comma decimals, limits."""

import numpy as np
import openpyxl
import pandas as pd
import pytest

from sinergi.importers import ImporGagal, files


def test_utf8_bom_latin1_and_cp1252_are_decoded():
    assert files.dekode("kode;nama\n".encode("utf-8-sig")) == ("kode;nama\n", "utf-8-sig")
    assert files.dekode("Désa".encode()) == ("Désa", "utf-8")
    text, enc = files.dekode("Désa Ngèsti".encode("latin-1"))
    assert text == "Désa Ngèsti" and enc == "cp1252"
    assert files.dekode("kode\tnama\n".encode("utf-16")) == ("kode\tnama\n", "utf-16")


def test_delimiter_is_sniffed_with_quotes_respected():
    assert files.tebak_pemisah("kode,nama,iks\n1101012001,\"Desa, Satu\",0.5\n") == ","
    assert files.tebak_pemisah("kode;nama;iks\n1101012001;Desa, Satu;0,5\n1101012002;Dua;0,6\n") == ";"
    assert files.tebak_pemisah("kode\tnama\n1\tA\n") == "\t"


def test_wrong_delimiter_gives_one_clear_message(tmp_path):
    p = tmp_path / "titik_dua.csv"
    p.write_text("kode:nama:iks_2024\n3401012001:A:0.5\n", encoding="utf-8")
    with pytest.raises(ImporGagal, match="Hanya satu kolom terbaca: pemisah kolom tidak dikenali"):
        files.baca_tabel(p)


def test_csv_header_found_below_title_rows_and_blank_lines(tmp_path):
    p = tmp_path / "judul.csv"
    p.write_bytes("Data IDM Kabupaten Uji\n\nDiunduh 2024\nkode;nama;iks_2024\n3401012001;Désa;0,5\n"
                  "3401012002;B;0,75\n".encode("latin-1"))
    t = files.baca_tabel(p)
    assert list(t.frame.columns) == ["kode", "nama", "iks_2024"]
    assert t.frame["nama"].tolist() == ["Désa", "B"]
    assert (t.baris_judul, t.pemisah, t.pengodean) == (3, ";", "cp1252")


def test_xlsx_header_found_below_title_rows(tmp_path):
    p = tmp_path / "idm.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["INDEKS DESA MEMBANGUN 2024"])
    ws.append(["Sumber: Kemendesa"])
    ws.append([])
    ws.append(["KODE DESA", "NAMA DESA", "IKS 2024", "STATUS IDM 2024"])
    ws.append([3401012001, "Alfa", 0.7029, "MAJU"])
    ws.append(["3401012002", "Bravo", "0,61", "BERKEMBANG"])
    wb.save(p)
    t = files.baca_tabel(p)
    assert t.format == "xlsx" and t.baris_judul == 3
    assert list(t.frame.columns) == ["KODE DESA", "NAMA DESA", "IKS 2024", "STATUS IDM 2024"]
    assert t.frame["KODE DESA"].tolist() == ["3401012001", "3401012002"]
    assert t.frame["IKS 2024"].tolist() == ["0.7029", "0,61"]


def test_numbers_with_indonesian_and_english_conventions():
    vals, teks = files.angka(pd.Series(["0,7029", "0.7029", "1.234,5", "1,234.5", "1.234.567", " 12 ",
                                        "", "-", "NA", "tinggi", "inf"]))
    np.testing.assert_allclose(vals[:6], [0.7029, 0.7029, 1234.5, 1234.5, 1234567, 12])
    assert np.isnan(vals[6:]).all()
    assert teks.tolist() == [False] * 9 + [True, True]


def test_empty_and_oversized_files_are_refused_with_clear_messages(tmp_path):
    empty = tmp_path / "kosong.csv"
    empty.write_bytes(b"")
    with pytest.raises(ImporGagal, match="kosong"):
        files.baca_tabel(empty)
    big = tmp_path / "besar.csv"
    with open(big, "wb") as f:
        f.truncate(51 * files.MB)  # sparse: nothing is written to disk
    with pytest.raises(ImporGagal, match=r"terlalu besar: 51,0 MB, batasnya 50 MB"):
        files.baca_tabel(big)


def test_header_only_and_binary_files_are_refused(tmp_path):
    p = tmp_path / "judul_saja.csv"
    p.write_text("kode,nama,iks_2024\n", encoding="utf-8")
    with pytest.raises(ImporGagal, match="hanya berisi judul kolom"):
        files.baca_tabel(p)
    b = tmp_path / "biner.csv"
    b.write_bytes(b"\x00\x01\x02kode")
    with pytest.raises(ImporGagal, match="bukan teks CSV"):
        files.baca_tabel(b)
    x = tmp_path / "rusak.xlsx"
    x.write_bytes(b"PK\x03\x04 bukan xlsx")
    with pytest.raises(ImporGagal, match="bukan XLSX"):
        files.baca_tabel(x)

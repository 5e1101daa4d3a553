"""Kelola Data (AppTest) with the programme, institution, tie and population kinds: the same gate, upload →
report → apply as the other imports, the kind's own options (an alias table upload, the column mapping)."""

from sinergi import db

from .test_imp_page import _masuk, _page, aktif  # noqa: F401 (aktif is a fixture)

PROGRAM = (b"kode_desa;tahun;kementerian;program;anggaran\n"
           b"97.01.01.2001;2024;Dinsos Kab. Uji;PKH;1.500.000\n97.01.01.2002;2024;KEMENSOS;PKH;\n")
ALIAS = b"alias,nama\nDinsos Kab. Uji,Kemensos\n"


def _pilih(at, jenis):
    at.radio(key="kd_jenis").set_value(jenis)
    at.run()
    return at


def test_programmes_with_an_alias_table_through_the_page(aktif, monkeypatch):  # noqa: F811
    monkeypatch.setenv("SINERGI_ADMIN_PASSWORD", "rahasia")
    at = _pilih(_masuk(_page()), "program")
    before = aktif.read_bytes()
    at.file_uploader(key="kd_file_program").set_value(("program.csv", PROGRAM, "text/csv"))
    at.file_uploader(key="kd_aliases").set_value(("alias.csv", ALIAS, "text/csv"))
    at.text_input(key="kd_target").input("uji")
    at.run()
    at.button(key="kd_check").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("'Dinsos Kab\\. Uji' → Kemensos" in i.value for i in at.info)  # Markdown-escaped text
    assert aktif.read_bytes() == before  # checked, not applied
    at.button(key="kd_apply").click()
    at.run()
    assert any("Impor diterapkan ke dataset uji" in s.value for s in at.success)
    con = db.connect_snapshot(aktif)
    try:
        assert con.execute("select kode_desa, kementerian, anggaran from program order by 1").fetchall() == [
            ("97.01.01.2001", "Kemensos", 1_500_000.0), ("97.01.01.2002", "Kemensos", None)]
        assert con.execute("select alias from alias_kementerian").fetchall() == [("Dinsos Kab. Uji",)]
    finally:
        con.close()


def test_ties_with_unknown_codes_are_reported_before_anything_changes(aktif, monkeypatch):  # noqa: F811
    monkeypatch.setenv("SINERGI_ADMIN_PASSWORD", "rahasia")
    at = _pilih(_masuk(_page()), "ikatan")
    before = aktif.read_bytes()
    at.file_uploader(key="kd_file_ikatan").set_value(
        ("ikatan.csv", b"dari,ke,jenis\n9701012001,9701012002,kerja sama\n9701012001,3201012001,kerja sama\n",
         "text/csv"))
    at.run()
    at.button(key="kd_check").click()
    at.run()
    assert any("1 baris ikatan menunjuk kode atau simpul yang tidak ada" in w.value for w in at.warning), \
        [w.value for w in at.warning]
    tc = next(d.value for d in at.dataframe if "kode_asal" in d.value.columns)
    assert tc["alasan"].tolist() == ["kode desa 32.01.01.2001 tidak ada di dataset"]
    at.button(key="kd_cancel").click()
    at.run()
    assert aktif.read_bytes() == before

"""The bad-input corpus: every broken file gets a clear Indonesian message and the active data stays as it was.

Each case runs the real command line (``python -m sinergi import …``, in-process) against an active
dataset ``uji`` and checks the exit code, the message, and that the database file and ``data/active``
are byte-identical afterwards. Small files live in ``tests/importers/bad/`` (broken metadata too: a kamus or a
Data Package beside a sound table); ZIPs and the oversized file are made here.
"""

import hashlib
import zipfile

import geopandas as gpd
import pytest

from sinergi import audit, datasets, db
from sinergi.__main__ import main
from sinergi.importers import files

from .conftest import BAD, DESA, kotak

CASES = [  # (kind, file, exit code, message)
    ("indicators", "pemisah_salah.csv", 2, "Hanya satu kolom terbaca: pemisah kolom tidak dikenali"),
    ("indicators", "tanpa_kolom_kode.csv", 2, "Kolom kode wilayah tidak ditemukan"),
    ("indicators", "kode_asing.csv", 2, "Tidak ada baris yang cocok dengan wilayah di dataset"),
    ("indicators", "baris_ganda.csv", 2, "muncul lebih dari sekali dengan nilai berbeda"),
    ("indicators", "teks_di_angka.csv", 2, "Tidak ada nilai angka yang dapat dibaca"),
    ("indicators", "kosong.csv", 2, "kosong (0 bita)"),
    ("indicators", "judul_saja.csv", 2, "hanya berisi judul kolom"),
    ("indicators", "rusak.xlsx", 2, "bukan XLSX yang dapat dibaca"),
    ("boundaries", "titik.geojson", 2, "bukan poligon"),
    ("boundaries", "bukan_zip.zip", 2, "bukan berkas ZIP yang sah"),
    ("boundaries", "kosong.csv", 2, "kosong (0 bita)"),
    # Repairable or harmless: reported, and nothing changes until confirmed (no --yes here).
    ("boundaries", "geometri_tidak_sah.geojson", 1, "1 poligon tidak sah (mis. berpotongan sendiri) diperbaiki"),
    ("boundaries", "nama_html.geojson", 1, "Tidak diterapkan: tidak ada perubahan"),
]


# Broken metadata (issue 14): (table, metadata file, message). Every case exits 2 with nothing changed.
META_CASES = [
    ("sdgs_kecil.csv", "meta_tema_asing.csv", "tema 'SDGs Desa' tidak dikenal. Tema yang ada: ketahanan_sosial"),
    ("sdgs_kecil.csv", "datapackage_tema_baru.json", "medan 'sdgs01': tema 'SDGs Desa' tidak dikenal"),
    ("sdgs_kecil.csv", "meta_arah.csv", "arah '2' tidak sah: tulis 1 (nilai lebih tinggi lebih baik) atau -1"),
    ("sdgs_kecil.csv", "meta_rentang.csv", "rentang sah tidak masuk akal: min 100 lebih besar dari max 0"),
    ("sdgs_kecil.csv", "meta_id_ganda.csv", "id 'sdgs_1' sudah dideskripsikan di baris 2 (id ganda)"),
    ("sdgs_kecil.csv", "meta_id_tidak_sah.csv", "id 'SDGs-01' tidak sah: gunakan huruf kecil, angka dan garis bawah"),
    ("sdgs_kecil.csv", "meta_kelas.csv", "batas kelas 50; 25; 75 tidak berurutan naik"),
    ("sdgs_kecil.csv", "meta_agregasi.csv", "agregasi 'median' tidak dikenal; pilih wmean_pop"),
    ("sdgs_kecil.csv", "meta_bawaan_beda.csv", "id 'iks' sudah dipakai indikator bawaan 'Indeks Ketahanan Sosial (IKS)'"),
    ("sdgs_kecil.csv", "meta_tanpa_id.csv", "Kamus meta_tanpa_id.csv tidak punya kolom 'id' atau 'kolom'"),
    ("sdgs_kecil.csv", "datapackage_medan_hilang.json",
     "tidak cocok dengan tabel: 1 medan di schema.fields tidak ada sebagai kolom di berkas (sdgs03)"),
    ("sdgs_teks.csv", "datapackage_tipe.json",
     "kolom 'sdgs02' bertipe 'number' di schema, tetapi berkasnya berisi teks (2 sel teks, 0 angka)"),
    ("sdgs_kecil.csv", "datapackage_rusak.json", "bukan JSON yang sah (baris 3, kolom 39: Expecting ',' delimiter)"),
    ("sdgs_kecil.csv", "datapackage_tanpa_resources.json", "Data Package tanpa daftar 'resources' yang sah"),
    ("sdgs_kecil.csv", "datapackage_properti.json", "properti tidak dikenal sinergi:direktion"),
]


def _sha(p):
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture()
def aktif(dataset_desa):
    datasets.gunakan("uji")
    return dataset_desa


def _run(capsys, kind, path, *extra):
    rc = main(["import", kind, str(path), "--dataset", "uji", *extra])
    out = capsys.readouterr()
    return rc, out.out + out.err


def _unchanged(aktif, before):
    assert _sha(aktif) == before
    assert db.active_dataset() == "uji"
    # nothing beside the data but the audit trail, which records every check; and no import started
    assert sorted(p.name for p in aktif.parent.iterdir() if p.name != "audit.jsonl") == ["active", "uji.duckdb"]
    assert not any(r["peristiwa"] == "impor" and r["hasil"] == "dimulai" for r in audit.baca(aktif.parent).entri)


@pytest.mark.parametrize(("kind", "name", "rc", "message"), CASES, ids=[c[1] + "-" + c[0] for c in CASES])
def test_corpus_file_gets_a_clear_message_and_changes_nothing(aktif, capsys, kind, name, rc, message):
    before = _sha(aktif)
    extra = ["--yes"] if rc == 2 else []
    got_rc, out = _run(capsys, kind, BAD / name, *extra)
    assert got_rc == rc, out
    assert message in out, out
    _unchanged(aktif, before)


@pytest.mark.parametrize(("table", "meta", "message"), META_CASES, ids=[c[1] for c in META_CASES])
def test_broken_metadata_gets_a_clear_message_and_changes_nothing(aktif, capsys, table, meta, message):
    before = _sha(aktif)
    rc, out = _run(capsys, "indicators", BAD / table, "--meta", str(BAD / meta), "--yes")
    assert rc == 2, out
    assert message in out, out
    assert "Tidak ada perubahan: data aktif tetap seperti semula." in out
    _unchanged(aktif, before)


def test_the_corpus_tables_import_with_sound_metadata(aktif, capsys, tmp_path):
    """The tables of the metadata cases are sound: with a sound kamus they import (the cases fail for their
    metadata only)."""
    kamus = tmp_path / "kamus.csv"
    kamus.write_text("kolom,nama,tema,tema_baru\nsdgs01,Desa tanpa kemiskinan,SDGs Desa,ya\n"
                     "sdgs02,Desa tanpa kelaparan,SDGs Desa,ya\n", encoding="utf-8")
    rc, out = _run(capsys, "indicators", BAD / "sdgs_kecil.csv", "--meta", str(kamus), "--yes")
    assert rc == 0, out
    assert "sdgs01 (baru): Desa tanpa kemiskinan — tema SDGs Desa" in out


def _zip(tmp_path, name, keep):
    folder = tmp_path / "shp"
    folder.mkdir(exist_ok=True)
    gdf = gpd.GeoDataFrame({"kode": [k for k, *_ in DESA]}, geometry=[kotak(x, y) for *_, x, y in DESA],
                           crs="EPSG:4326")
    gdf.to_file(folder / "desa.shp")
    z = tmp_path / name
    with zipfile.ZipFile(z, "w") as zf:
        for f in folder.iterdir():
            if f.suffix in keep:
                zf.write(f, f.name)
    return z


def test_shapefile_zip_without_prj(aktif, capsys, tmp_path):
    before = _sha(aktif)
    rc, out = _run(capsys, "boundaries", _zip(tmp_path, "tanpa_prj.zip", (".shp", ".shx", ".dbf")), "--yes")
    assert rc == 2 and "Sistem koordinat (CRS) tanpa_prj.zip tidak diketahui: tidak ada berkas .prj" in out
    _unchanged(aktif, before)


def test_zip_without_shp(aktif, capsys, tmp_path):
    before = _sha(aktif)
    z = tmp_path / "tanpa_shp.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("desa.dbf", b"\x03")
        zf.writestr("BACA.txt", "lupa .shp")
    rc, out = _run(capsys, "boundaries", z, "--yes")
    assert rc == 2 and "ZIP tanpa_shp.zip tidak berisi berkas .shp" in out
    _unchanged(aktif, before)


def test_oversized_file(aktif, capsys, tmp_path):
    before = _sha(aktif)
    big = tmp_path / "terlalu_besar.csv"
    with open(big, "wb") as f:
        f.truncate(files.BATAS_UKURAN_MB * files.MB + 1)
    rc, out = _run(capsys, "indicators", big, "--yes")
    assert rc == 2 and "Berkas terlalu_besar.csv terlalu besar" in out and "batasnya 50 MB" in out
    _unchanged(aktif, before)


def test_html_in_names_stays_text_when_applied(aktif, capsys):
    rc, out = _run(capsys, "boundaries", BAD / "nama_html.geojson", "--yes")
    assert rc == 0, out
    con = db.connect(aktif)
    try:
        names = dict(con.execute("select kode, nama from regions where kode like '97.01.01.200_'").fetchall())
    finally:
        con.close()
    assert names["97.01.01.2001"] == '<script>alert("x")</script>'
    assert names["97.01.01.2002"] == "<b>Bravo</b> [klik](javascript:alert(1))"


def test_repaired_geometry_is_valid_once_applied(aktif, capsys):
    rc, out = _run(capsys, "boundaries", BAD / "geometri_tidak_sah.geojson", "--yes")
    assert rc == 0, out
    con = db.connect(aktif)
    try:
        assert con.execute("select bool_and(ST_IsValid(geom)), count(*) from regions").fetchone() == (True, 14)
        assert con.execute("select ST_Area(geom) from regions where kode = '97.01.01.2001'").fetchone()[0] == 0.5
    finally:
        con.close()

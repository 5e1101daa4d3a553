"""The bad-input corpus of the programme, institution, tie and population imports: each broken file gets a
clear Indonesian message and the active data stays byte for byte as it was (the checks of
``test_imp_bad_inputs``: the real command line against an active dataset ``uji``)."""

import pytest

from .conftest import BAD
from .test_imp_bad_inputs import _run, _sha, _unchanged, aktif  # noqa: F401 (aktif is a fixture)

CASES = [  # (kind, file, extra arguments, exit code, message)
    ("programs", "program_contoh.csv", ["--aliases", str(BAD / "alias_putar.csv")], 2,
     "Tabel alias K/L berputar (nama kembali ke dirinya sendiri), jadi nama bakunya tidak dapat ditentukan: "
     "Kementerian Sosial → Kemsos → Kementerian Sosial"),
    ("programs", "program_anggaran_negatif.csv", [], 2,
     "1 anggaran negatif di kolom anggaran: anggaran tidak boleh kurang dari nol"),
    ("population", "penduduk_negatif.csv", [], 2,
     "1 nilai penduduk negatif di kolom penduduk: jumlah penduduk tidak boleh kurang dari nol"),
    ("population", "penduduk_teks.csv", [], 2,
     "1 sel penduduk di kolom penduduk bukan angka: penduduk harus bilangan (jumlah jiwa) atau kosong"),
    # Reported, and nothing changes until confirmed (no --yes here).
    ("programs", "program_kl_aneh.csv", [], 1, "'Kementrian Sosail': mungkin 'Kemensos'"),
    ("ties", "ikatan_kode_asing.csv", [], 1,
     "2 baris ikatan menunjuk kode atau simpul yang tidak ada di dataset (atau tidak sah)"),
]


@pytest.mark.parametrize(("kind", "name", "extra", "rc", "message"), CASES, ids=[c[1] for c in CASES])
def test_corpus_file_gets_a_clear_message_and_changes_nothing(aktif, capsys, kind, name, extra, rc, message):  # noqa: F811
    before = _sha(aktif)
    got_rc, out = _run(capsys, kind, BAD / name, *extra, *(["--yes"] if rc == 2 else []))
    assert got_rc == rc, out
    assert message in out, out
    _unchanged(aktif, before)


def test_odd_ministry_spellings_name_their_closest_known_name(aktif, capsys):  # noqa: F811
    _, out = _run(capsys, "programs", BAD / "program_kl_aneh.csv")
    assert "'KEMEN-KES': mungkin 'Kemenkes'" in out
    assert "tambahkan barisnya ke tabel alias (kolom alias,nama)" in out


def test_ties_name_each_unknown_code(aktif, capsys):  # noqa: F811
    _, out = _run(capsys, "ties", BAD / "ikatan_kode_asing.csv")
    assert "baris 3: 97.01.01.2001 – 32.01.01.2001 — kode desa 32.01.01.2001 tidak ada di dataset" in out
    assert "kode desa 99.99.99.9999 tidak ada di dataset" in out

import pytest

from sinergi import catalog


@pytest.mark.parametrize(
    "value, expected",
    [
        (0.0, 1), (0.4907, 1), (0.49071, 2), (0.4908, 2), (0.5989, 2), (0.599, 3), (0.7072, 3), (0.7073, 4),
        (0.8155, 4), (0.8156, 5), (1.0, 5), (None, None), (float("nan"), None),
    ],
)
def test_status_exactly_at_the_official_thresholds(value, expected):
    assert catalog.status_idm(value) == expected


def test_status_names_both_languages():
    assert catalog.nama_status(1) == "Sangat Tertinggal"
    assert catalog.nama_status(5) == "Mandiri"
    assert catalog.nama_status(3, "en") == "Developing"
    assert catalog.nama_status(None) == "Tidak ada data"


def test_next_status_and_minimum_score():
    assert catalog.status_berikut(0.45) == (2, 0.4908)
    assert catalog.status_berikut(0.75) == (5, 0.8156)
    assert catalog.status_berikut(0.9) is None
    k, score = catalog.status_berikut(0.5989)
    assert catalog.status_idm(score) == k == 3


def test_catalog_is_complete_and_consistent():
    ids = catalog.ids()
    assert len(ids) == len(set(ids))
    for tema in ("ketahanan_sosial", "kapasitas_sdm", "jaringan_sosial", "sinergi_program", "idm"):
        assert catalog.by_tema(tema), tema
    for ind in catalog.INDIKATOR:
        assert ind.tema in catalog.TEMA
        assert ind.agregasi in catalog.AGREGASI
        assert ind.arah in (-1, 1)
        assert ind.nama_id and ind.nama_en and ind.deskripsi_id and ind.deskripsi_en and ind.sumber
        assert ind.min_valid is None or ind.max_valid is None or ind.min_valid < ind.max_valid
    assert catalog.get("iks").kelas_resmi == "idm"
    with pytest.raises(KeyError, match="tidak dikenal"):
        catalog.get("x' or 1=1 --")


def _imported(id_="skor_x", tema="tema_x", **kw):
    base = dict(satuan_en="", lisensi="", kelas_batas=(), impor=True)
    base.update(kw)
    return catalog.Indikator(id_, "Skor X", "Score X", tema, "skor", 1, 0.0, 100.0, "mean", "S", "D", "De", None, 1,
                             (), **base)


def test_a_dataset_catalog_is_the_built_ins_then_its_own():
    k = catalog.BAWAAN.dengan([_imported()], {"tema_x": ("Tema X", "Theme X")})
    assert k.ids() == [*catalog.BAWAAN.ids(), "skor_x"] and [i.id for i in k.impor] == ["skor_x"]
    assert k.nama_tema("tema_x", "en") == "Theme X" and list(k.tema)[:5] == list(catalog.TEMA)
    assert k.by_tema("tema_x") == [k.get("skor_x")]
    # a description given again replaces the earlier one; a built-in id is never replaced
    k2 = k.dengan([_imported(satuan_en="score"), _imported("iks", "idm")])
    assert k2.get("skor_x").unit("en") == "score" and k2.get("iks") is catalog.BAWAAN.get("iks")
    assert len(k2.ids()) == len(k.ids())
    assert catalog.BAWAAN.exists("iks") and not catalog.BAWAAN.exists("skor_x") and not k.exists(["x"])


def test_catalog_table_rows_skip_what_is_not_valid():
    rows = catalog.BAWAAN.dengan([_imported()], {"tema_x": ("Tema X", "Theme X")}).rows()
    base = rows[-1]
    rows.append({**base, "id": "x' or 1=1 --", "urut": 99})  # a hand-edited file
    rows.append({**base, "id": "tanpa_tanda", "impor": None, "urut": 100})  # not marked imported
    rows.append({**base, "id": "iks", "nama_id": "palsu", "urut": 101})  # cannot replace a built-in
    rows.append({**base, "id": "kelas_rusak", "kelas_batas": "[1, ", "arah": -3, "agregasi": "median", "urut": 102})
    k = catalog.dari_tabel(rows)
    assert [i.id for i in k.impor] == ["skor_x", "kelas_rusak"] and k.get("iks").nama_id != "palsu"
    bad = k.get("kelas_rusak")
    assert (bad.kelas_batas, bad.arah, bad.agregasi) == ((), -1, "mean")
    assert catalog.dari_tabel(catalog.BAWAAN.rows()) is catalog.BAWAAN  # an older file: the built-ins


def test_the_active_catalog_per_thread_then_the_source_then_the_built_ins():
    import threading

    mine = catalog.BAWAAN.dengan([_imported()], {"tema_x": ("Tema X", "Theme X")})
    other = catalog.BAWAAN.dengan([_imported("skor_y")], {"tema_x": ("Tema X", "Theme X")})
    seen = {}
    old_source = vars(catalog)["_sumber"]  # restored afterwards (data access may have installed one)
    try:
        catalog.pasang_sumber(lambda: other)
        catalog.pakai(mine)
        assert catalog.exists("skor_x") and not catalog.exists("skor_y")
        assert catalog.tema()["tema_x"] == ("Tema X", "Theme X")
        t = threading.Thread(target=lambda: seen.update(ids=catalog.ids()))  # another thread: the source's
        t.start()
        t.join()
        assert seen["ids"][-1] == "skor_y"
        catalog.pakai(None)
        assert catalog.exists("skor_y")
        catalog.pasang_sumber(None)
        assert catalog.aktif() is catalog.BAWAAN
    finally:
        catalog.pakai(None)
        catalog.pasang_sumber(old_source)


def test_an_imported_unit_in_english_and_official_classes():
    ind = _imported(satuan_en="score", kelas_batas=(25.0, 50.0))
    assert ind.unit("en") == "score" and ind.unit("id") == "skor" and ind.kelas_tetap
    assert not _imported().kelas_tetap and catalog.get("idm").kelas_tetap and catalog.get("status_idm").kelas_tetap

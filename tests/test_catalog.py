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

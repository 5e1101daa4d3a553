import pytest

from sinergi import regions


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("32", "32"),
        ("3201", "32.01"),
        ("320101", "32.01.01"),
        ("3201012001", "32.01.01.2001"),
        ("32.01.01.2001", "32.01.01.2001"),
        (" 32.01.01.2001 ", "32.01.01.2001"),
        ("32 01 01 2001", "32.01.01.2001"),
        ("32.1.1.2001", "32.01.01.2001"),
        (3201012001, "32.01.01.2001"),
        (3201012001.0, "32.01.01.2001"),
        ("3201012001.0", "32.01.01.2001"),
    ],
)
def test_normalize_accepts_dotted_and_undotted(raw, expected):
    assert regions.normalize(raw) == expected


@pytest.mark.parametrize("raw", ["", None, "320", "32010120011", "32.01.01.20011", "abc", "32.01.x", "1.2.3.4.5",
                                 float("nan"), "32'; drop table regions; --"])
def test_normalize_rejects_with_indonesian_message(raw):
    with pytest.raises(regions.KodeTidakValid) as e:
        regions.normalize(raw)
    assert "Kode wilayah" in str(e.value)


def test_try_normalize_returns_none_for_invalid():
    assert regions.try_normalize("zzz") is None
    assert regions.try_normalize("3471011001") == "34.71.01.1001"


def test_hierarchy_helpers():
    assert regions.level("3201012001") == 4
    assert regions.level("32.01") == 2
    assert regions.parent("32.01.01.2001") == "32.01.01"
    assert regions.parent("32") is None
    assert regions.undotted("32.01.01.2001") == "3201012001"
    assert regions.ancestors("32.01.01.2001") == {"kode_prov": "32", "kode_kab": "32.01", "kode_kec": "32.01.01"}
    assert regions.ancestors("32.01") == {"kode_prov": "32", "kode_kab": "32.01", "kode_kec": None}


def test_desa_and_kelurahan_from_code():
    assert regions.is_kelurahan("34.71.01.1001")
    assert not regions.is_kelurahan("34.02.01.2001")
    assert regions.jenis_desa("34.02.01.2001") == "desa"
    assert regions.jenis_desa("34.71.01.1001") == "kelurahan"
    assert regions.jenis_desa("91.01.01.3001") == "lainnya"


@pytest.mark.parametrize(
    "raw, expected",
    [("Desa Sukamaju", "sukamaju"), ("KEL. Kricak", "kricak"), ("Kab.  Bantul ", "bantul"),
     ("Kota Yogyakarta", "yogyakarta"), ("kecamatan  Gondokusuman", "gondokusuman"), ("Desamaju", "desamaju")],
)
def test_clean_name_strips_prefixes_case_and_spaces(raw, expected):
    assert regions.clean_name(raw) == expected


def test_short_label_names_drop_prefixes_only_when_names_stay_distinct():
    names = ["Kabupaten Bogor", "Kota Bandung", "Kabupaten Bandung", "Kota Banjar", "KAB. CIAMIS",
             "Kota Administrasi Jakarta Pusat", "Sleman", "Kota"]
    assert regions.short_names(names) == ["Bogor", "Kota Bandung", "Kabupaten Bandung", "Banjar", "CIAMIS",
                                          "Jakarta Pusat", "Sleman", "Kota"]
    # a shortened name that equals another region's full name keeps its prefix
    assert regions.short_names(["Kota Sleman", "Sleman"]) == ["Kota Sleman", "Sleman"]


@pytest.mark.parametrize("raw", ["32.01.01.2001", "32.01.01", "32.01", "32", "3201012001", " 32.01.01.2001 ", "32.1",
                                 "32.01.01.2001\n", "32.01.01.20011", "32-01", "32.01.01.2001.1", "٣٢", "32.01\u00a0"])
def test_the_canonical_fast_path_agrees_with_the_full_parse(raw):
    """A code already in its dotted, padded form is returned as is; anything else takes the full parse."""
    try:
        full = regions.normalize(" " + raw)  # the leading space skips the fast path
    except regions.KodeTidakValid:
        full = None
    assert regions.try_normalize(raw) == full

"""Every page on a dataset that lacks something says what is missing and which file fills it (expected
columns, the command, a link to Kelola Data) — never an empty chart or a bare "Tidak ada data"
(``sinergi/empty_state.py``). Datasets made here from the tiny fixture (tests/fixtures.py) without
programmes, institutions and ties, and without any value at all."""

import re
from contextlib import ExitStack
from pathlib import Path

import pytest
from shared_folder import viewed
from test_theme_pages import _open as buka  # the app once, then the page with its URL

from sinergi import build, datasets

ROOT = Path(__file__).resolve().parents[1]
REGISTERED = re.findall(r'st\.Page\(\s*"(pages/[a-z_]+\.py)"', (ROOT / "app.py").read_text(encoding="utf-8"))
PAGES = [p for p in REGISTERED if p not in ("pages/kelola_data.py", "pages/agenda.py")]


def _tulis(folder: Path, name: str, keep_values) -> Path:
    from fixtures import tiny_dataset

    d = tiny_dataset()
    nilai = d["nilai"][d["nilai"]["indikator"].isin(keep_values)].reset_index(drop=True)
    dataset = dict(d["dataset"], id=name, demo=False)
    return build.write_database(folder / f"{name}.duckdb", regions=d["regions"], nilai=nilai, dataset=dataset)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kosong")
    return {"iks_saja": _tulis(folder, "iks_saja", ["iks"]), "tanpa_nilai": _tulis(folder, "tanpa_nilai", [])}


@pytest.fixture()
def aktif(files, tmp_path, monkeypatch):
    def use(name):
        (tmp_path / f"{name}.duckdb").write_bytes(files[name].read_bytes())
        monkeypatch.setenv("SINERGI_DATA_DIR", str(tmp_path))
        datasets.gunakan(name)
    return use


@pytest.fixture(scope="module")
def _folders(files, tmp_path_factory):
    """For each dataset of ``files``, a data folder where it is the active one, made once per module."""
    out = {}
    for name, f in files.items():
        d = tmp_path_factory.mktemp(f"aktif-{name}")
        (d / f"{name}.duckdb").write_bytes(f.read_bytes())
        (d / "active").write_text(f"{name}\n", encoding="utf-8")
        out[name] = d
    return out


@pytest.fixture()
def dilihat(_folders, monkeypatch):
    """``use(name)`` as ``aktif`` does, for a test that only views: the module's folder of that dataset, shared
    (Streamlit's caches, keyed by the dataset file, stay warm); fails the test if it wrote there."""
    with ExitStack() as folders:
        yield lambda name: folders.enter_context(viewed(_folders[name], monkeypatch))


def _infos(at):
    return [i.value for i in at.info]


def _bare(at):
    return [x for x in _infos(at) if x.strip().rstrip(".") in ("Tidak ada data", "No data")]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("name", ["iks_saja", "tanpa_nilai"])
def test_no_page_says_a_bare_no_data(dilihat, name, page):
    dilihat(name)
    at = buka(page, {"kode": "97.01.01.2001"} if page.endswith("profil_desa.py") else None)
    assert not _bare(at), _infos(at)
    if name == "tanpa_nilai":  # nothing to draw: no empty chart either
        assert not at.get("plotly_chart")


def _box(at, title, header):
    assert any(title in x for x in _infos(at)), _infos(at)
    assert any(c.value.startswith(header) for c in at.code), [c.value for c in at.code]


def test_sinergi_program_without_programmes_names_the_file(aktif):
    aktif("iks_saja")
    at = buka("pages/sinergi_program.py")
    _box(at, "Dataset ini belum punya data program kementerian/lembaga.",
         "kode_desa,tahun,kementerian,program,anggaran,penerima")
    assert any("python -m sinergi import programs" in c.value for c in at.code)
    assert not at.get("plotly_chart")  # no empty chart
    links = [x.proto for x in at.get("page_link") if x.proto.label == "Impor di Kelola Data"]
    assert [(x.page, x.query_string) for x in links] == [("kelola", "jenis=program")]


def test_jaringan_sosial_without_institutions_or_ties_names_both_files(aktif):
    aktif("iks_saja")
    at = buka("pages/jaringan_sosial.py")
    _box(at, "belum punya data lembaga lokal", "kode_desa,jenis,nama_lembaga,sejak")
    _box(at, "belum punya data ikatan jejaring", "dari,ke,jenis,tahun,jenis_mitra")
    assert not at.get("plotly_chart")


def test_kesenjangan_without_idm_and_peta_without_values(aktif):
    aktif("iks_saja")
    at = buka("pages/kesenjangan.py")
    _box(at, "Dataset ini belum punya nilai IDM.", "kode,iks_2024,idm_2024")
    aktif("tanpa_nilai")
    at = buka("pages/peta.py")
    _box(at, "Dataset ini belum punya nilai indikator.", "kode,iks_2024,idm_2024")


def test_kapasitas_names_the_missing_capacity_indicator_in_english(aktif):
    aktif("iks_saja")
    at = buka("pages/kapasitas_sdm.py", {"lang": "en"})
    _box(at, "This dataset has no human-capacity indicator yet.", "kode,tahun,pendidikan_sma_pct")
    assert not any("social resilience indicator" in x for x in _infos(at))  # IKS is there


def test_profil_without_programmes_and_institutions(aktif):
    aktif("iks_saja")
    at = buka("pages/profil_desa.py", {"kode": "97.01.01.2001"})
    _box(at, "belum punya data program", "kode_desa,tahun,kementerian,program")
    _box(at, "belum punya data lembaga lokal", "kode_desa,jenis,nama_lembaga,sejak")


def test_kelola_data_opens_on_the_kind_a_link_chose(aktif, monkeypatch):
    aktif("iks_saja")
    monkeypatch.setenv("SINERGI_ADMIN_PASSWORD", "rahasia")
    at = buka("pages/kelola_data.py", {"jenis": "program"})
    at.text_input(key="kd_password").input("rahasia")
    next(b for b in at.button if b.label == "Masuk").click()
    at.run()
    assert at.radio(key="kd_jenis").value == "program"
    assert at.file_uploader(key="kd_file_program") is not None
    assert at.text_area(key="kd_map_program") is not None


def test_peta_of_a_level_without_boundaries_says_so_instead_of_an_empty_map(tmp_path, monkeypatch):
    """Villages with values but no boundary (IDM villages imported over kecamatan boundaries): the village
    level names the missing file; the kecamatan level still draws its map."""
    from fixtures import tiny_dataset

    d = tiny_dataset()
    regions = d["regions"].copy()
    desa = regions["level"] == 4
    regions.loc[desa, "geom"] = None
    regions.loc[desa, "geom_display"] = None
    build.write_database(tmp_path / "tanpa_batas.duckdb", regions=regions, nilai=d["nilai"],
                         dataset=dict(d["dataset"], id="tanpa_batas", demo=False))
    monkeypatch.setenv("SINERGI_DATA_DIR", str(tmp_path))
    datasets.gunakan("tanpa_batas")
    at = buka("pages/peta.py", {"wilayah": "97", "tingkat": "4"})
    _box(at, "Wilayah tingkat ini belum punya batas (geometri).", "{\"type\": \"Feature\"")
    assert not at.get("component_instance")  # no map frame drawn empty
    at = buka("pages/peta.py", {"wilayah": "97", "tingkat": "3"})
    assert not any("belum punya batas" in x for x in _infos(at)) and len(at.get("component_instance")) == 1
    # the first view skips a level it cannot draw: the province's kabupaten, not its boundless villages
    at = buka("pages/peta.py")
    assert (at.query_params.get("wilayah"), at.query_params.get("tingkat")) in ((["97"], ["2"]), ("97", "2"))

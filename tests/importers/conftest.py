"""Shared helpers for the importer tests: a temporary data folder, tiny boundary files, real data."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import shapely
from shapely.geometry import mapping

HERE = Path(__file__).resolve().parent
BAD = HERE / "bad"
# The real public files live beside the repository and are never copied into it.
REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "real"

# Eight villages on a 4 x 2 grid of unit squares (degrees) in province 97 (codes no real region uses):
# kecamatan 97.01.01 (3 villages, one kelurahan), 97.01.02 (2), 97.71.01 (3).
DESA = [
    ("97.01.01.2001", "Alfa", 0, 0), ("97.01.01.2002", "Bravo", 1, 0), ("97.01.01.1003", "Charlie", 2, 0),
    ("97.01.02.2001", "Delta", 0, 1), ("97.01.02.2002", "Echo", 1, 1),
    ("97.71.01.2001", "Foxtrot", 3, 0), ("97.71.01.2002", "Golf", 3, 1), ("97.71.01.2003", "Hotel", 2, 1),
]


def kotak(x: float, y: float) -> shapely.Polygon:
    return shapely.box(110 + x, -8 + y, 111 + x, -7 + y)


def tulis_geojson(path: Path, features: list[tuple[dict, object]]) -> Path:
    """Write ``(properties, shapely geometry)`` pairs as a GeoJSON FeatureCollection (WGS84)."""
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": mapping(g) if g is not None else None}
        for props, g in features]}
    path.write_text(json.dumps(fc), encoding="utf-8")
    return path


def geojson_desa(path: Path, names: dict[str, str] | None = None) -> Path:
    """The eight test villages with ``kode`` (dotted), ``nama`` and ``nama_kec`` like cahyadsn files."""
    names = names or {}
    kec = {"97.01.01": "Satu", "97.01.02": "Dua", "97.71.01": "Tiga"}
    return tulis_geojson(path, [({"kode": k, "nama": names.get(k, n), "nama_kec": kec[k[:8]],
                                  "nama_kab": "Kota Uji" if k.startswith("97.71") else "Kabupaten Uji",
                                  "nama_prov": "Nusa Uji"}, kotak(x, y)) for k, n, x, y in DESA])


@pytest.fixture()
def data_dir(tmp_path, monkeypatch):
    """An empty data folder used as ``data/`` for the test (SINERGI_DATA_DIR)."""
    d = tmp_path / "data"
    d.mkdir()
    monkeypatch.setenv("SINERGI_DATA_DIR", str(d))
    return d


def _nyata() -> Path:
    if not REAL.is_dir():
        pytest.skip(f"data nyata tidak ada di {REAL.resolve()} (lihat MANIFEST.md); uji berkas nyata dilewati")
    return REAL.resolve()


@pytest.fixture()
def real():
    return _nyata()


@pytest.fixture(scope="session")
def _batas_diy(tmp_path_factory):
    """DI Yogyakarta's 438 real village boundaries imported once per session into dataset ``diy`` (see
    ``batas_diy``): the check's plan and the file."""
    from sinergi.importers import apply, plan

    real = _nyata()
    base = tmp_path_factory.mktemp("diy")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SINERGI_DATA_DIR", str(base))
        b = plan.siapkan_batas(real / "cahyadsn_wilayah_boundaries" / "adm4_desa_kelurahan_34_di_yogyakarta.geojson",
                               "diy")
        assert b.boleh_diterapkan, b.laporan.teks()
        return b, apply.terapkan(b)


@pytest.fixture()
def batas_diy(data_dir, _batas_diy):
    """Dataset ``diy`` in the test's data folder: DI Yogyakarta's villages imported from the real boundary
    file (cahyadsn), no values yet; returns the check's plan (to read, never to apply) and the file."""
    b, built = _batas_diy
    target = data_dir / "diy.duckdb"
    shutil.copy(built, target)
    return b, target


@pytest.fixture(scope="session")
def _berkas_desa(tmp_path_factory):
    """The dataset file built once per session from the eight test villages (see ``dataset_desa``)."""
    from sinergi.importers import apply, plan

    base = tmp_path_factory.mktemp("desa")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SINERGI_DATA_DIR", str(base))
        r = plan.siapkan_batas(geojson_desa(base / "desa.geojson"), "uji")
        assert r.boleh_diterapkan, r.laporan.teks()
        return apply.terapkan(r)


@pytest.fixture()
def dataset_desa(data_dir, _berkas_desa):
    """Dataset ``uji`` in the test's data folder: the eight test villages imported from a GeoJSON
    (parents derived from the codes, no values yet)."""
    target = data_dir / "uji.duckdb"
    shutil.copy(_berkas_desa, target)
    return target


@pytest.fixture(scope="session")
def _berkas_uji(_berkas_desa, tmp_path_factory):
    """``buat(key, langkah)``: the file of dataset ``uji`` (the eight test villages) after ``langkah(scratch)``
    applied its imports (the data folder as ``SINERGI_DATA_DIR``; ``scratch`` a folder for its files), built
    once per session for each ``key``. Tests get copies (``dataset_uji``), never the file itself."""
    built = {}

    def buat(key: str, langkah) -> Path:
        if key not in built:
            base = tmp_path_factory.mktemp(key)
            (base / "data").mkdir()
            (base / "kerja").mkdir()
            shutil.copy(_berkas_desa, base / "data" / "uji.duckdb")
            with pytest.MonkeyPatch.context() as mp:
                mp.setenv("SINERGI_DATA_DIR", str(base / "data"))
                langkah(base / "kerja")
            built[key] = base / "data" / "uji.duckdb"
        return built[key]

    return buat


@pytest.fixture()
def dataset_uji(data_dir, _berkas_uji):
    """``salin(key, langkah)``: a copy of ``_berkas_uji(key, langkah)`` as dataset ``uji`` in the test's data
    folder (its path): a dataset several tests start from, imported once instead of by each."""

    def salin(key: str, langkah) -> Path:
        target = data_dir / "uji.duckdb"
        shutil.copy(_berkas_uji(key, langkah), target)
        return target

    return salin


def tulis_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path

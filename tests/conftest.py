import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


@pytest.fixture(scope="session")
def tiny_db(tmp_path_factory):
    """Path of a database built from tests/fixtures.py."""
    from fixtures import tiny_dataset

    from sinergi import build

    path = tmp_path_factory.mktemp("db") / "uji.duckdb"
    build.write_database(path, **tiny_dataset())
    return path


@pytest.fixture(scope="session")
def tiny_con(tiny_db):
    from sinergi import db

    con = db.connect(tiny_db)
    yield con
    con.close()

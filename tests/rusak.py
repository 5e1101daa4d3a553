"""Damaged dataset files for the fault tests, each made here from a sound database (nothing from outside).

Every maker takes the sound file ``src`` and the path ``dst`` to spoil, and leaves at ``dst`` what a
real accident could leave there: a file cut short, random bytes, a text or SQLite file under a dataset's
name, a DuckDB file of someone else, a folder, or a file whose data blocks fail their checksums while
its catalog still opens.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import sqlite3
from pathlib import Path

import duckdb

BLOCK = 262144  # DuckDB's block size (pragma_database_size reports it; checked in blok_rusak)
HEADERS = 3 * 4096  # the main and the two database headers before the first block


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def terpotong(src: Path, dst: Path) -> None:
    """The first 60 % of the file, as a copy interrupted by a full disk leaves it."""
    data = Path(src).read_bytes()
    Path(dst).write_bytes(data[: int(len(data) * 0.6)])


def sampah(src: Path, dst: Path) -> None:
    Path(dst).write_bytes(random.Random(8).randbytes(50_000))


def teks(src: Path, dst: Path) -> None:
    """A CSV saved under the dataset's name (not a database at all)."""
    Path(dst).write_text("kode,nama,iks_2024\n9701012001,Alfa,0.5\n", encoding="utf-8")


def sqlite(src: Path, dst: Path) -> None:
    """A database, but SQLite, not DuckDB."""
    con = sqlite3.connect(dst)
    con.execute("create table regions (kode text)")
    con.commit()
    con.close()


def asing(src: Path, dst: Path) -> None:
    """A sound DuckDB file that is not a Sinergi Desa database."""
    con = duckdb.connect(str(dst))
    con.execute("create table penjualan (id integer, jumlah double)")
    con.close()


def folder(src: Path, dst: Path) -> None:
    """A directory where the file should be."""
    Path(dst).mkdir()
    (Path(dst) / "isi.txt").write_text("bukan basis data", encoding="utf-8")


def _flip(data: bytearray, block: int) -> None:
    at = HEADERS + block * BLOCK + 64
    data[at:at + 256] = bytes(b ^ 0xFF for b in data[at:at + 256])


_BLOK_RUSAK: dict[tuple, bytes] = {}


def blok_rusak(src: Path, dst: Path) -> None:
    """Every data block damaged that is not needed to open the file or to read its ``dataset`` row: the
    catalog and the dataset's name read (as a page's first query does), the first query that reaches
    the other data fails its block checksum (DuckDB raises an IOException). Found by trial (~1 s of CPU
    for the tiny fixture) once per process for each source file; the same bytes every time."""
    st = os.stat(src)
    key = (str(src), st.st_size, st.st_mtime_ns)
    if key not in _BLOK_RUSAK:
        _BLOK_RUSAK[key] = _blok_rusak(src, dst)
    Path(dst).write_bytes(_BLOK_RUSAK[key])


def _blok_rusak(src: Path, dst: Path) -> bytes:
    from sinergi import db

    con = duckdb.connect(":memory:")
    con.execute(f"attach '{src}' as s (read_only)")
    size, blocks = con.execute("select block_size, total_blocks from pragma_database_size() "
                               "where database_name = 's'").fetchone()
    con.close()
    assert size == BLOCK and os.path.getsize(src) == HEADERS + blocks * BLOCK, "unexpected DuckDB layout"
    data = bytearray(Path(src).read_bytes())
    for k in range(blocks):
        trial = bytearray(data)
        _flip(trial, k)
        Path(dst).write_bytes(trial)
        try:
            con = db.connect_snapshot(dst)
        except db.DataError:
            continue  # this block holds the catalog: keep it sound
        try:
            db.run_query(con, "dataset_info")
        except duckdb.IOException:
            continue  # this block holds the dataset row: keep it sound
        finally:
            con.close()
        data = trial
    return bytes(data)


def salin(src: Path, dst: Path) -> None:
    shutil.copy(src, dst)


# The faults a dataset file can have, and the kind (sinergi.db.DataError.jenis) each must be reported as.
MAKERS = {"terpotong": (terpotong, "rusak"), "sampah": (sampah, "rusak"), "teks": (teks, "rusak"),
          "sqlite": (sqlite, "rusak"), "asing": (asing, "asing"), "folder": (folder, "folder")}


# --- a dataset big enough to kill an import into ------------------------------------------------------

N_KEC, N_DESA = 10, 100  # 1,000 villages × 8 indicators × 6 years: ~0.9 s of writing to kill into
INDIKATOR = ["iks", "idm", "ike", "ikl", "iks_kesehatan", "iks_pendidikan", "iks_modal_sosial", "iks_permukiman"]


def _kode(k: int, d: int) -> str:
    return f"97.{k // 10 + 1:02d}.{k % 10 + 1:02d}.{2001 + d}"


def data_besar(base: Path) -> tuple[Path, Path]:
    """Dataset ``uji`` of 1,000 generated villages (boundaries only, imported into ``base``) and a CSV of
    values for all of them, generated here: (dataset file, CSV). Applying the CSV takes seconds."""
    import json

    import numpy as np
    import pytest

    from sinergi.importers import apply, plan

    feats = []
    for k in range(N_KEC):
        for d in range(N_DESA):
            x, y = 110 + (k % 10) + (d % 10) / 10, -8 + (k // 10) + (d // 10) / 10
            ring = [[x, y], [x + 0.1, y], [x + 0.1, y + 0.1], [x, y + 0.1], [x, y]]
            feats.append({"type": "Feature", "properties": {"kode": _kode(k, d), "nama": f"Desa {k}-{d}"},
                          "geometry": {"type": "Polygon", "coordinates": [ring]}})
    geojson = base / "desa.geojson"
    geojson.write_text(json.dumps({"type": "FeatureCollection", "features": feats}), encoding="utf-8")
    cols = [f"{i}_{t}" for i in INDIKATOR for t in range(2019, 2025)]
    values = np.random.default_rng(8).uniform(0.3, 0.9, size=(N_KEC * N_DESA, len(cols)))
    lines = ["kode," + ",".join(cols)]
    for n, row in enumerate(values):
        lines.append(_kode(n // N_DESA, n % N_DESA).replace(".", "") + "," + ",".join(f"{v:.4f}" for v in row))
    csv = base / "nilai.csv"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SINERGI_DATA_DIR", str(base))
        path = apply.terapkan(plan.siapkan_batas(geojson, "uji"))
    return path, csv

"""An SDGs Desa-like indicator table with its Frictionless Data Package, generated (no outside file).

The 18 goals of SDGs Desa (Kemendesa PDTT) as scores 0–100 per village, keyed by BPS codes (so the table
goes through a BPS–Kemendagri crosswalk), with a ``tahun`` column and the village name. The Data Package
declares the new theme "SDGs Desa" and describes every goal (names in both languages, unit, direction,
aggregation, valid range; goal 1 with official class breaks). Used by the importer tests and by
``bench/import_meta_bench.py`` (80,000 villages × 20 indicators).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

TUJUAN = (
    ("Desa tanpa kemiskinan", "Village without poverty"),
    ("Desa tanpa kelaparan", "Village without hunger"),
    ("Desa sehat dan sejahtera", "Healthy and prosperous village"),
    ("Pendidikan desa berkualitas", "Quality village education"),
    ("Keterlibatan perempuan desa", "Involvement of village women"),
    ("Desa layak air bersih dan sanitasi", "Village with clean water and sanitation"),
    ("Desa berenergi bersih dan terbarukan", "Village with clean and renewable energy"),
    ("Pertumbuhan ekonomi desa merata", "Equitable village economic growth"),
    ("Infrastruktur dan inovasi desa sesuai kebutuhan", "Village infrastructure and innovation as needed"),
    ("Desa tanpa kesenjangan", "Village without inequality"),
    ("Kawasan permukiman desa aman dan nyaman", "Safe and comfortable village settlements"),
    ("Konsumsi dan produksi desa sadar lingkungan", "Environmentally aware village consumption and production"),
    ("Desa tanggap perubahan iklim", "Village responsive to climate change"),
    ("Desa peduli lingkungan laut", "Village caring for the marine environment"),
    ("Desa peduli lingkungan darat", "Village caring for the land environment"),
    ("Desa damai berkeadilan", "Peaceful and just village"),
    ("Kemitraan untuk pembangunan desa", "Partnership for village development"),
    ("Kelembagaan desa dinamis dan budaya desa adaptif", "Dynamic village institutions and adaptive culture"),
)
TEMA = {"name": "sdgs_desa", "title": "SDGs Desa", "title_en": "Village SDGs"}
KELAS_01 = [25, 50, 75]


def kolom(n: int) -> list[str]:
    """The indicator columns: ``sdgs01`` … (goals beyond 18 are extra indicators)."""
    return [f"sdgs{i:02d}" for i in range(1, n + 1)]


def data_package(n: int = 18, path: str = "sdgs_desa_2024.csv") -> dict:
    """The Data Package describing the table of :func:`tabel` (``n`` indicators)."""
    fields: list[dict] = [
        {"name": "kode_bps", "type": "string", "title": "Kode desa BPS"},
        {"name": "nama_desa", "type": "string", "title": "Nama desa"},
        {"name": "tahun", "type": "integer", "title": "Tahun"},
    ]
    for i, col in enumerate(kolom(n)):
        nama, en = TUJUAN[i] if i < len(TUJUAN) else (f"Indikator tambahan {i + 1}", f"Extra indicator {i + 1}")
        f = {"name": col, "type": "number", "title": f"SDGs Desa {i + 1}: {nama}", "description": f"Skor tujuan {i + 1}.",
             "constraints": {"minimum": 0, "maximum": 100}, "sinergi:title_en": f"Village SDG {i + 1}: {en}",
             "sinergi:theme": "sdgs_desa", "sinergi:unit": "skor 0–100", "sinergi:unit_en": "score 0–100",
             "sinergi:direction": 1, "sinergi:aggregation": "wmean_pop", "sinergi:decimals": 1}
        if i == 0:
            f["sinergi:classes"] = KELAS_01
        fields.append(f)
    return {
        "name": "sdgs-desa-2024", "title": "Skor SDGs Desa 2024 (contoh buatan uji)",
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0"}],
        "sources": [{"title": "Kemendesa PDTT, SDGs Desa (data buatan uji)"}],
        "sinergi:themes": [TEMA],
        "resources": [{"name": "sdgs_desa_2024", "path": path, "format": "csv", "schema": {"fields": fields}}],
    }


def tabel(kode_bps: Sequence[str], n: int = 18, tahun: int = 2024, seed: int = 7) -> pd.DataFrame:
    """One row per village: ``kode_bps, nama_desa, tahun`` and ``n`` scores (0–100, two decimals)."""
    rng = np.random.default_rng(seed)
    scores = rng.uniform(20, 95, size=(len(kode_bps), n)).round(2)
    out = pd.DataFrame({"kode_bps": list(kode_bps), "nama_desa": [f"Desa {k[-3:]}" for k in kode_bps],
                        "tahun": tahun})
    return pd.concat([out, pd.DataFrame(scores, columns=kolom(n))], axis=1)


def tulis(folder: Path, kode_bps: Sequence[str], n: int = 18, tahun: int = 2024, seed: int = 7,
          nama: str = "sdgs_desa_2024.csv") -> tuple[Path, Path, pd.DataFrame]:
    """Write the table (CSV) and its ``datapackage.json`` into ``folder``; returns both paths and the table."""
    folder.mkdir(parents=True, exist_ok=True)
    t = tabel(kode_bps, n, tahun, seed)
    csv = folder / nama
    t.to_csv(csv, index=False)
    dp = folder / "datapackage.json"
    dp.write_text(json.dumps(data_package(n, nama), ensure_ascii=False, indent=1), encoding="utf-8")
    return csv, dp, t


def kode_bps_untuk(kode_dagri: str) -> str:
    """A BPS-like 10-digit code for a dotted Kemendagri village code (a different numbering below the
    kabupaten, as BPS has): ``97.01.01.2001`` → ``9701010001``."""
    p, k, c, d = kode_dagri.split(".")
    return f"{p}{k}{int(c) * 10:03d}{int(d) % 1000:03d}"


def tulis_crosswalk(path: Path, kode_dagri: Sequence[str]) -> Path:
    """A crosswalk file (``level, kode_bps, kode_dagri``) for the given village codes."""
    rows = ["level,kode_bps,kode_dagri"] + [f"desa_kelurahan,{kode_bps_untuk(k)},{k}" for k in kode_dagri]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path

"""The two IDM layouts published by Kemendesa PDTT, mapped onto the catalog.

- **IDM national table** (layout of ``kristonova_idm2024/idm2024_desa.csv``): ``kode_desa`` (10 digits),
  names of desa/kec/kab/prov, ``iks_2024``, ``ike_2024``, ``ikl_2024``, ``idm_2024`` and
  ``status_idm_2024`` (text: MANDIRI … SANGAT TERTINGGAL). A wide table: read by ``tables`` with the
  status text mapped here.
- **IDM per-indicator detail** ("rumusan", ``api_idm_rumusan/idm_rumusan_desa_tahun.csv``): one row per
  desa and ``tahun``, indicator scores ``IKS01``–``IKS35``, ``IKE01``–``IKE12``, ``IKL01``–``IKL03`` (0–5),
  the reported ``iks_row``/``ike_row``/``ikl_row``/``idm_row`` and ``status_idm``. Mapped onto ``iks``,
  ``ike``, ``ikl``, ``idm`` (reported values, authoritative: in 2024 a quarter of the reported IKS differ
  from the indicator sum by ±4/175), ``status_idm`` and the four IKS dimensions, each computed like the
  IKS formula as Σ scores / (5 · n): kesehatan IKS01–07, pendidikan IKS08–14, modal sosial IKS15–27,
  permukiman IKS28–35 (a dimension is left empty when one of its scores is missing).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sinergi import catalog
from sinergi.importers import files

SUMBER_IDM = "Kemendesa PDTT, Indeks Desa Membangun"

DIMENSI_IKS: dict[str, tuple[int, int]] = {
    "iks_kesehatan": (1, 7),
    "iks_pendidikan": (8, 14),
    "iks_modal_sosial": (15, 27),
    "iks_permukiman": (28, 35),
}
SKOR_MAKS = 5.0

# Reported summary columns of the rumusan table -> catalog indicator (first present wins).
RUMUSAN_RINGKAS: dict[str, tuple[str, ...]] = {
    "iks": ("iks_row",),
    "ike": ("ike_row",),
    "ikl": ("ikl_row",),
    "idm": ("idm_row", "skor_idm"),
    "status_idm": ("status_idm", "status_idm_row"),
}

_STATUS: dict[str, int] = {}
for _k, (_id, _en) in enumerate(zip(catalog.IDM_STATUS, catalog.IDM_STATUS_EN), start=1):
    _STATUS[_id.lower()] = _k
    _STATUS[_en.lower()] = _k
_STATUS.update({"st": 1, "t": 2, "b": 3, "m": 4})


def kolom_skor(prefix: str, n: int) -> list[str]:
    return [f"{prefix}{i:02d}" for i in range(1, n + 1)]


def status_ke_angka(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """IDM status as class 1..5 from names (``MANDIRI``, ``Sangat Tertinggal``, English names) or numbers.

    Returns ``(values, teks)`` like :func:`files.angka`: NaN where empty or unknown; ``teks`` marks
    unknown non-empty texts.
    """
    uniq = pd.unique(s.astype(object).to_numpy())
    fold = {u: " ".join(str(u).lower().split()) for u in uniq}  # few distinct texts: fold each once
    t = s.astype(object).map(fold)
    by_name = t.map(_STATUS).to_numpy(dtype=float)
    num, _ = files.angka(s)
    num = np.where(np.isin(num, [1, 2, 3, 4, 5]), num, np.nan)
    vals = np.where(np.isnan(by_name), num, by_name)
    kosong = t.isin(files.KOSONG).to_numpy()
    return vals, np.isnan(vals) & ~kosong


def adalah_rumusan(frame: pd.DataFrame) -> bool:
    """True for the IDM per-indicator detail layout (IKS01..IKS35 and a year column)."""
    cols = {files.nama_kolom(c) for c in frame.columns}
    return {c.lower() for c in kolom_skor("IKS", 35)} <= cols and "tahun" in cols


def adalah_nasional(frame: pd.DataFrame) -> bool:
    """True for the IDM national table layout (``kode_desa`` with ``idm_YYYY`` and ``status_idm_YYYY``)."""
    cols = {files.nama_kolom(c) for c in frame.columns}
    return "kode_desa" in cols and any(c.startswith("idm_") for c in cols) and any(
        c.startswith("status_idm_") for c in cols)


def rumusan_kolom(frame: pd.DataFrame) -> tuple[dict[str, tuple[np.ndarray, np.ndarray]], list[str], list[str]]:
    """Indicator arrays of the rumusan layout.

    Returns ``(values, used, ignored)``: ``values`` maps a catalog id to ``(values, teks_mask)`` per row;
    ``used`` lists the file columns read; ``ignored`` the columns not mapped onto the catalog.
    """
    fold = {files.nama_kolom(c): c for c in frame.columns}
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    used: list[str] = []
    for ind, candidates in RUMUSAN_RINGKAS.items():
        for c in candidates:
            if c in fold:
                col = fold[c]
                out[ind] = status_ke_angka(frame[col]) if ind == "status_idm" else files.angka(frame[col])
                used.append(col)
                break
    for ind, (a, b) in DIMENSI_IKS.items():
        cols = [fold[f"iks{i:02d}"] for i in range(a, b + 1)]
        parsed = [files.angka(frame[c]) for c in cols]
        scores = np.column_stack([v for v, _ in parsed])
        teks = np.column_stack([t for _, t in parsed]).any(axis=1)
        # Σ scores / (5·n), the IKS formula restricted to the dimension; any missing score → no value.
        out[ind] = (scores.sum(axis=1) / (SKOR_MAKS * len(cols)), teks)
        used += cols
    skip = {files.nama_kolom(c) for c in used} | {"tahun"}
    ignored = [c for c in frame.columns if files.nama_kolom(c) not in skip
               and not files.nama_kolom(c).startswith(("kode", "nama"))]
    return out, used, ignored

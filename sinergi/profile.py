"""A region's profile: identity, every indicator with percentiles, trends, status and the next status.

Used by the map's profile panel and by the Profil Desa page.
"""

from __future__ import annotations

import pandas as pd

from sinergi import catalog
from sinergi import data as sd


def identity(kode: str) -> dict | None:
    df = sd.query("region", kode=kode)
    return df.iloc[0].to_dict() if len(df) else None


def indicators(kode: str, tahun: int, lang: str = "id") -> pd.DataFrame:
    """One row per catalog indicator present for the region and year, in catalog order.

    Columns: indikator, nama, tema, satuan, arah, nilai, teks (formatted), flag, pct_nasional,
    pct_provinsi, pct_kabupaten (0..1, share of same-level regions with a value <= this one).
    """
    raw = year_values(kode, tahun).set_index("indikator")
    rows = []
    for ind in catalog.aktif().indikator:
        if ind.id not in raw.index:
            continue
        r = raw.loc[ind.id]
        rows.append({
            "indikator": ind.id, "nama": ind.nama(lang), "tema": ind.tema, "satuan": ind.satuan,
            "arah": ind.arah, "nilai": r["nilai"], "teks": catalog.format_value(r["nilai"], ind, lang),
            "flag": r["flag"], "pct_nasional": r["pct_nasional"], "pct_provinsi": r["pct_provinsi"],
            "pct_kabupaten": r["pct_kabupaten"],
        })
    return pd.DataFrame(rows)


def all_values(kode: str) -> pd.DataFrame:
    """Every value of the region, all indicators and years (``queries/region_values_all.sql``: ``indikator,
    tahun, nilai, flag, pct_nasional, pct_provinsi, pct_kabupaten`` in indicator and year order). A profile's
    indicators of one year and its trends are taken from this one read of the region's rows: one query
    instead of three or four (each reads a row group of the national ``nilai``), kept for the rest of the
    script run by ``sinergi.data``'s run memo and across runs by the query cache."""
    return sd.query("region_values_all", kode=kode)


def year_values(kode: str, tahun: int) -> pd.DataFrame:
    """The region's values of one year with their percentiles, as ``queries/region_profile.sql`` answers
    (``indikator, nilai, flag, pct_nasional, pct_provinsi, pct_kabupaten`` in indicator order)."""
    df = all_values(kode)
    return df.loc[df["tahun"] == tahun, ["indikator", "nilai", "flag", "pct_nasional", "pct_provinsi",
                                         "pct_kabupaten"]].reset_index(drop=True)


def trend(kode: str, indikator: list[str]) -> pd.DataFrame:
    """``indikator, tahun, nilai`` over all years for the given indicators (in indicator and year order, as
    ``queries/region_trend.sql`` answers)."""
    df = all_values(kode)
    return df.loc[df["indikator"].isin(list(indikator)), ["indikator", "tahun", "nilai"]].reset_index(drop=True)


def next_status(idm: float | None, lang: str = "id") -> dict | None:
    """Current and next IDM status with the minimum score and the gap, or None (no value / Mandiri)."""
    if idm is None or idm != idm:
        return None
    now = catalog.status_idm(idm)
    nxt = catalog.status_berikut(idm)
    if nxt is None:
        return {"status": catalog.nama_status(now, lang), "next": None, "min_score": None, "gap": 0.0}
    k, score = nxt
    return {"status": catalog.nama_status(now, lang), "next": catalog.nama_status(k, lang),
            "min_score": score, "gap": round(score - idm, 4)}


# --- additions for the Profil Desa page (issue 5) ------------------------------------------------------

# Indicators on which "similar regions" are matched: resilience, human capacity, networks, programmes.
SIMILAR_BY: tuple[str, ...] = ("iks", "idm", "pendidikan_sma_pct", "pelatihan_pct", "lembaga_per_1000",
                               "jumlah_program")


def percentile_columns(level: int) -> list[str]:
    """The percentile columns that mean something at a region level: within the kabupaten only below it
    (kecamatan, villages), within the province below the province, nationally always."""
    cols = ["pct_kabupaten"] if level >= 3 else []
    cols += ["pct_provinsi"] if level >= 2 else []
    return cols + ["pct_nasional"]


def indicator_table(ind: pd.DataFrame, lang: str = "id", level: int = 4) -> pd.DataFrame:
    """The profile's indicators for display and CSV: theme, name, value with unit, percentiles 0–100
    within kabupaten, province and nation (share of same-level regions with a value ≤ this one), only
    those that apply at the region's ``level`` (see :func:`percentile_columns`)."""
    from sinergi.i18n import t

    if ind.empty:
        return pd.DataFrame()

    def pct(col: str) -> pd.Series:
        return (ind[col].astype(float) * 100).round(0)

    out = pd.DataFrame({
        t("theme", lang): [catalog.nama_tema(x, lang) for x in ind["tema"]],
        t("indicator", lang): ind["nama"], t("value", lang): ind["teks"],
    })
    names = {"pct_kabupaten": "pf_in_kab", "pct_provinsi": "pf_in_prov", "pct_nasional": "pf_in_nation"}
    for col in percentile_columns(level):
        out[t(names[col], lang)] = pct(col)
    return out


def similar(kode: str, tahun: int, n: int = 8) -> pd.DataFrame:
    """Regions of the same level nearby (same kabupaten for villages and kecamatan, same province for
    kabupaten) closest on :data:`SIMILAR_BY` after standardising (``kode, nama, nama_induk, jarak``)."""
    return sd.query("similar_regions", kode=kode, tahun=tahun, indikator=list(SIMILAR_BY), n=n)

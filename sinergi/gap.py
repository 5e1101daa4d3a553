"""Gap to the next IDM status: per village the next status, the minimum IDM score it needs and the gap;
per region how many villages are close to moving up; and, where the IDM indicator detail exists
(IKS01–IKS35, IKE01–IKE12, IKL01–IKL03, scores 0–5), the fewest indicator improvements that lift the
village to the next status, each tagged with the parties responsible for it in the indicator dictionary.

IDM formulas (Kemendesa; verified on the api-idm "rumusan" data): IKS = ΣIKS/175, IKE = ΣIKE/60,
IKL = ΣIKL/15, IDM = (IKS + IKE + IKL)/3. Status classes: ``catalog.status_idm`` on the IDM rounded to 4
decimals, as the published scores are (upper bounds inclusive: Sangat Tertinggal ≤ 0.4907 < Tertinggal
≤ 0.5989 < Berkembang ≤ 0.7072 < Maju ≤ 0.8155 < Mandiri).

One *step* is +1 on one indicator's score (up to 5). A step in dimension d raises IDM by 1/(3·den_d):
IKL 1/45 ≈ 0.0222, IKE 1/180 ≈ 0.0056, IKS 1/525 ≈ 0.0019, whatever the indicator. So the fewest steps
come from the greedy rule "take steps in the dimension with the smallest denominator first" (exact: any
plan with fewer steps would have a smaller total gain). Within a dimension the step goes to the
indicator with the lowest current score (basic needs first; ties by number).

Pure functions on frames; the cached entry point for the page is at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import streamlit as st

from sinergi import catalog
from sinergi.i18n import fmt_num, t

SKOR_MAKS = 5
DIMENSI: dict[str, int] = {"IKS": 175, "IKE": 60, "IKL": 15}  # denominators: 35, 12, 3 indicators × 5
JUMLAH: dict[str, int] = {"IKS": 35, "IKE": 12, "IKL": 3}
INDIKATOR: tuple[str, ...] = tuple(f"{d}{i:02d}" for d, n in JUMLAH.items() for i in range(1, n + 1))
# Dimension order for steps: largest IDM gain per step first (smallest denominator).
URUTAN_DIMENSI: tuple[str, ...] = tuple(sorted(DIMENSI, key=lambda d: DIMENSI[d]))
# Columns of the indicator dictionary naming responsible parties -> tag shown to users.
PELAKSANA: dict[str, str] = {"pelaksana_pusat": "pusat", "pelaksana_prov": "provinsi",
                             "pelaksana_kab": "kabupaten", "pelaksana_desa": "desa", "csr": "CSR",
                             "lainnya": "lainnya"}
DEKAT_DEFAULT = 0.02  # "close to moving up": IDM within this of the next status's minimum score


# --------------------------------------------------------------------------------------------------
# Composite level (every village with an IDM value)
# --------------------------------------------------------------------------------------------------

def composite_gap(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with ``idm`` per village → adds ``status`` (1..5), ``status_berikut`` (2..5, NaN at Mandiri),
    ``skor_min`` (the minimum IDM score of the next status, 4 decimals) and ``selisih`` (skor_min − idm,
    ≥ 0.0001; 0 at Mandiri). Villages without IDM get NaN everywhere."""
    out = df.copy()
    idm = pd.to_numeric(out["idm"], errors="coerce").round(4)
    status, nxt, skor = [], [], []
    for v in idm.to_numpy(dtype=float):
        s = catalog.status_idm(None if not np.isfinite(v) else float(v))
        b = catalog.status_berikut(float(v)) if s is not None else None
        status.append(np.nan if s is None else s)
        nxt.append(np.nan if b is None else b[0])
        skor.append(np.nan if b is None else b[1])
    out["status"] = pd.array(status, dtype="Float64").astype(float)
    out["status_berikut"] = np.array(nxt, dtype=float)
    out["skor_min"] = np.array(skor, dtype=float)
    out["selisih"] = np.where(out["status"] == 5, 0.0, (out["skor_min"] - idm).round(4))
    out.loc[idm.isna(), "selisih"] = np.nan
    return out


def region_summary(gap: pd.DataFrame, by: str, name_col: str, dekat: float = DEKAT_DEFAULT) -> pd.DataFrame:
    """Per region (``by`` code column, ``name_col`` name): villages with IDM, villages within ``dekat`` of
    the next status (Mandiri excluded), their share, Mandiri villages and the median gap of the others.
    Sorted by the number close to moving up, then code. One grouped aggregation (every kecamatan of the
    country is 7,000 groups: a loop over them took seconds on every rerun)."""
    cols = ["kode", "nama", "n_desa", "n_dekat", "persen_dekat", "n_mandiri", "median_selisih"]
    g = gap[gap["status"].notna()]
    if g.empty:
        return pd.DataFrame([], columns=cols)
    below = g["status"] < 5
    parts = pd.DataFrame({"kode": g[by], "nama": g[name_col], "dekat": below & (g["selisih"] <= dekat + 1e-9),
                          "mandiri": g["status"] == 5, "selisih_bawah": g["selisih"].where(below)})
    out = (parts.groupby(["kode", "nama"], sort=True, dropna=False)
           .agg(n_desa=("dekat", "size"), n_dekat=("dekat", "sum"), n_mandiri=("mandiri", "sum"),
                median_selisih=("selisih_bawah", "median"))
           .reset_index())
    out = out.astype({"n_desa": "int64", "n_dekat": "int64", "n_mandiri": "int64", "median_selisih": float})
    out["persen_dekat"] = 100.0 * out["n_dekat"] / out["n_desa"]
    out = out[cols]
    return out.sort_values(["n_dekat", "kode"], ascending=[False, True], kind="stable").reset_index(drop=True)


def village_table(gap: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """Villages with IDM, smallest gap first (Mandiri last): identity, IDM, status, next status, min score, gap."""
    g = gap[gap["status"].notna()].copy()
    g["_mandiri"] = g["status"] == 5
    g = g.sort_values(["_mandiri", "selisih", "kode"], kind="stable")
    out = pd.DataFrame({t("code", lang): g["kode"], t("name", lang): g["nama"]})
    if "nama_kec" in g:
        out[t("gp_kecamatan", lang)] = g["nama_kec"]
    if "nama_kab" in g:
        out[t("kabupaten", lang)] = g["nama_kab"]
    out["IDM"] = g["idm"].round(4)
    # status names looked up once per class, not once per village (75,000 nationally)
    names = {float(s): catalog.nama_status(s, lang) for s in range(1, len(catalog.IDM_STATUS) + 1)}
    out[t("status", lang)] = g["status"].map(names).astype(str)
    out[t("pf_next_status", lang)] = g["status_berikut"].map(names).fillna(t("pf_top_status", lang)).astype(str)
    out[t("gp_min_score", lang)] = g["skor_min"].round(4)
    out[t("gp_gap", lang)] = g["selisih"].round(4)
    return out.reset_index(drop=True)


def summary_table(summary: pd.DataFrame, level_name: str, lang: str = "id") -> pd.DataFrame:
    return pd.DataFrame({
        t("code", lang): summary["kode"], level_name: summary["nama"], t("gp_villages_idm", lang): summary["n_desa"],
        t("gp_close", lang): summary["n_dekat"], t("gp_close_pct", lang): summary["persen_dekat"].round(1),
        "Mandiri": summary["n_mandiri"], t("gp_median_gap", lang): summary["median_selisih"].round(4),
    })


# --------------------------------------------------------------------------------------------------
# Indicator level (IKS01–IKS35, IKE01–IKE12, IKL01–IKL03 scores 0–5)
# --------------------------------------------------------------------------------------------------

def dimension_of(kolom: str) -> str:
    return kolom[:3]


def dimension_scores(scores: pd.Series | dict) -> dict[str, float]:
    """IKS, IKE, IKL and IDM from the 50 indicator scores (missing scores count as 0)."""
    s = pd.Series(scores, dtype=float).reindex(list(INDIKATOR)).fillna(0.0)
    out = {d.lower(): float(s[[c for c in INDIKATOR if c.startswith(d)]].sum()) / den for d, den in DIMENSI.items()}
    out["idm"] = (out["iks"] + out["ike"] + out["ikl"]) / 3
    return out


@dataclass
class Rencana:
    """The fewest-steps plan of one village.

    ``langkah``: one row per improved indicator (``indikator, dimensi, dari, ke, langkah, tambah_idm``), in
    the order the steps were taken; ``n_langkah`` = total steps (0 when already at the target or Mandiri,
    None when even all indicators at 5 would not reach it).
    """

    idm: float
    status: int | None
    target: int | None
    skor_min: float | None
    idm_akhir: float
    n_langkah: int | None
    langkah: pd.DataFrame = field(default_factory=pd.DataFrame)


_POS = {c: i for i, c in enumerate(INDIKATOR)}
_ANGGOTA = {d: [i for i, c in enumerate(INDIKATOR) if c.startswith(d)] for d in DIMENSI}


def _plan(s: list[int], base: float) -> tuple:
    """Core of :func:`fewest_steps` on plain numbers (fast for many villages).

    ``s``: the 50 scores in :data:`INDIKATOR` order; ``base``: IDM before any step. Returns
    ``(idm, status, target, skor_min, idm_akhir, n_langkah, steps)`` with ``steps`` a list of
    ``[indikator, dimensi, dari, ke, langkah, tambah_idm]`` in the order first taken.
    """
    idm = round(base, 4)
    status = catalog.status_idm(idm)
    if status is None or status == 5:
        return idm, status, None, None, idm, 0, []
    target, skor_min = catalog.status_berikut(idm)
    bound = catalog.IDM_BATAS[status - 1]
    cur = list(s)
    gain = 0.0
    taken: dict[int, list] = {}
    n = 0
    for d in URUTAN_DIMENSI:
        step = 1.0 / (3 * DIMENSI[d])
        members = _ANGGOTA[d]
        while round(base + gain, 4) <= bound:
            room = [i for i in members if cur[i] < SKOR_MAKS]
            if not room:
                break
            i = min(room, key=lambda k: (cur[k], k))  # lowest score first, then by number
            if i not in taken:
                taken[i] = [INDIKATOR[i], d, int(s[i]), int(s[i]), 0, 0.0]
            cur[i] += 1
            taken[i][3] += 1
            taken[i][4] += 1
            taken[i][5] += step
            gain += step
            n += 1
        if round(base + gain, 4) > bound:
            break
    reached = round(base + gain, 4) > bound
    return idm, status, target, skor_min, round(base + gain, 4), (n if reached else None), list(taken.values())


def _scores_list(scores) -> list[int]:
    s = pd.Series(scores, dtype=float).reindex(list(INDIKATOR)).fillna(0.0).clip(0, SKOR_MAKS)
    return [int(round(v)) for v in s.to_numpy()]


def _base(s: list[int], reported: dict | None) -> float:
    dims = {d.lower(): sum(s[i] for i in _ANGGOTA[d]) / den for d, den in DIMENSI.items()}
    if reported:
        dims.update({d: float(reported[d]) for d in ("iks", "ike", "ikl") if reported.get(d) is not None
                     and np.isfinite(reported[d])})
    return (dims["iks"] + dims["ike"] + dims["ikl"]) / 3


def fewest_steps(scores: pd.Series | dict, reported: dict[str, float] | None = None) -> Rencana:
    """The fewest +1 steps on indicator scores that lift IDM to the next status (see the module doc).

    ``scores``: indicator code (``IKS01`` …) → score 0–5. ``reported``: the published ``iks``, ``ike``,
    ``ikl`` (authoritative where they differ from the sums, as for part of IDM 2024); the steps' gains
    are added to them. Without it the dimensions are computed from the scores.
    """
    s = _scores_list(scores)
    idm, status, target, skor_min, akhir, n, steps = _plan(s, _base(s, reported))
    cols = ["indikator", "dimensi", "dari", "ke", "langkah", "tambah_idm"]
    return Rencana(idm, status, target, skor_min, akhir, n, pd.DataFrame(steps, columns=cols))


def parties(dictionary: pd.DataFrame) -> dict[str, str]:
    """Indicator code → responsible parties as text, e.g. ``kabupaten (Dinkes, PU); desa``, from the
    dictionary's ``kolom`` and party columns (:data:`PELAKSANA`); empty entries are left out."""
    out = {}
    for row in dictionary.to_dict("records"):
        tags = []
        for col, tag in PELAKSANA.items():
            v = row.get(col)
            if v is None or (isinstance(v, float) and np.isnan(v)) or not str(v).strip():
                continue
            text = str(v).strip()
            tags.append(tag if text.lower() in ("v", "x", "ya", "1", tag.lower()) else f"{tag} ({text})")
        out[str(row["kolom"]).upper()] = "; ".join(tags)
    return out


def plans(detail: pd.DataFrame, reported: pd.DataFrame | None = None) -> pd.DataFrame:
    """Fewest-steps plans of many villages.

    ``detail``: long rows ``kode, indikator (IKS01 …), skor``; ``reported`` (optional): ``kode, iks, ike, ikl``.
    Returns one row per village: ``kode, idm, status, target, skor_min, idm_akhir, n_langkah`` and
    ``rencana`` (text such as ``IKL02 2→4, IKE05 3→4``)."""
    wide = detail.assign(indikator=detail["indikator"].str.upper()).pivot_table(
        index="kode", columns="indikator", values="skor", aggfunc="first")
    wide = wide.reindex(columns=list(INDIKATOR)).fillna(0.0).clip(0, SKOR_MAKS).round().astype(int)
    rep = reported.set_index("kode") if reported is not None and len(reported) else None
    rows = []
    for kode, sc in zip(wide.index, wide.to_numpy().tolist()):
        r = rep.loc[kode].to_dict() if rep is not None and kode in rep.index else None
        idm, status, target, skor_min, akhir, n, steps = _plan(sc, _base(sc, r))
        text = ", ".join(f"{x[0]} {x[2]}→{x[3]}" for x in steps)
        rows.append({"kode": kode, "idm": idm, "status": status, "target": target, "skor_min": skor_min,
                     "idm_akhir": akhir, "n_langkah": n, "rencana": text})
    return pd.DataFrame(rows, columns=["kode", "idm", "status", "target", "skor_min", "idm_akhir", "n_langkah",
                                       "rencana"])


def movable_by_region(plan: pd.DataFrame, regions: pd.DataFrame, by: str, name_col: str, n_max: int) -> pd.DataFrame:
    """Per region: villages with a plan, and how many could move up with at most ``n_max`` steps.

    ``regions``: ``kode`` plus the ``by`` and ``name_col`` columns of each village."""
    m = plan.drop(columns=[c for c in (by, name_col) if c in plan.columns]).merge(
        regions[["kode", by, name_col]].drop_duplicates("kode"), on="kode", how="left")
    m = m[m["status"].notna() & (m["status"] < 5)]
    g = m.groupby([by, name_col], dropna=False)
    out = pd.DataFrame({
        "n_desa": g.size(),
        "n_bisa": g["n_langkah"].apply(lambda s: int((s.notna() & (s <= n_max)).sum())),
    }).reset_index().rename(columns={by: "kode", name_col: "nama"})
    out["persen"] = 100.0 * out["n_bisa"] / out["n_desa"]
    return out.sort_values(["n_bisa", "kode"], ascending=[False, True], kind="stable").reset_index(drop=True)


def plan_table(p: Rencana, names: dict[str, str], party: dict[str, str], lang: str = "id") -> pd.DataFrame:
    """One village's plan for display: indicator, name, dimension, score from → to, steps, IDM gain, parties."""
    lg = p.langkah
    return pd.DataFrame({
        t("gp_indicator_code", lang): lg["indikator"],
        t("indicator", lang): [names.get(c, c) for c in lg["indikator"]],
        t("gp_dimension", lang): lg["dimensi"],
        t("gp_score_from", lang): lg["dari"].astype(int), t("gp_score_to", lang): lg["ke"].astype(int),
        t("gp_steps", lang): lg["langkah"].astype(int), t("gp_idm_gain", lang): lg["tambah_idm"].round(4),
        t("gp_party", lang): [party.get(c, "") for c in lg["indikator"]],
    })


# --------------------------------------------------------------------------------------------------
# Reading the IDM "rumusan" layout (per-indicator detail) from a file the user provides
# --------------------------------------------------------------------------------------------------

IDENTITAS = ("kode_desa", "nama_desa", "kode_kec", "nama_kec", "kode_kab", "nama_kab", "kode_prov", "nama_prov")
DILAPORKAN = {"iks": "iks_row", "ike": "ike_row", "ikl": "ikl_row"}


class BerkasError(ValueError):
    """A file that cannot be read as IDM detail; the message is in Indonesian and says what to fix."""


def _csv(data: bytes) -> pd.DataFrame:
    import io

    text_cols = {c: str for c in IDENTITAS}
    try:
        df = pd.read_csv(io.BytesIO(data), dtype=text_cols)
        if df.shape[1] == 1:  # a semicolon-separated export
            df = pd.read_csv(io.BytesIO(data), dtype=text_cols, sep=";")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise BerkasError(f"Berkas tidak dapat dibaca sebagai CSV: {e}") from None
    df.columns = [str(c).strip() for c in df.columns]
    return df


def read_rumusan(data: bytes) -> pd.DataFrame:
    """The IDM per-indicator detail (layout of Kemendesa's "rumusan" pages, e.g. api-idm's
    ``idm_rumusan_desa_tahun.csv``): one row per village and ``tahun`` with ``kode_desa`` (10-digit or
    dotted Kemendagri code), ``IKS01``–``IKS35``, ``IKE01``–``IKE12``, ``IKL01``–``IKL03`` (scores 0–5) and
    optionally the reported ``iks_row``, ``ike_row``, ``ikl_row`` and names of kecamatan/kabupaten.

    Scores outside 0–5 or not whole numbers are set missing (counted in ``attrs["skor_tidak_sah"]``);
    rows without a valid code are dropped. Raises :class:`BerkasError` naming missing columns."""
    from sinergi import regions

    df = _csv(data)
    upper = {c.upper(): c for c in df.columns}
    missing = [c for c in INDIKATOR if c not in upper]
    if "kode_desa" not in df.columns or "tahun" not in df.columns or missing:
        need = (["kode_desa"] if "kode_desa" not in df.columns else []) + (["tahun"] if "tahun" not in df.columns else [])
        need += missing[:5] + (["…"] if len(missing) > 5 else [])
        raise BerkasError("Kolom wajib tidak ada: " + ", ".join(need)
                          + ". Diperlukan kode_desa, tahun dan skor IKS01–IKS35, IKE01–IKE12, IKL01–IKL03.")
    out = pd.DataFrame({"kode": [regions.try_normalize(k) for k in df["kode_desa"].astype(str)]})
    out["tahun"] = pd.to_numeric(df["tahun"], errors="coerce")
    for c in IDENTITAS[1:]:
        if c in df.columns:
            out[c] = df[c].astype(str)
    bad = 0
    for c in INDIKATOR:
        v = pd.to_numeric(df[upper[c]], errors="coerce")
        ok = v.between(0, SKOR_MAKS) & (v == v.round())
        bad += int((v.notna() & ~ok).sum())
        out[c] = v.where(ok)
    for d, col in DILAPORKAN.items():
        out[d] = pd.to_numeric(df[col], errors="coerce") if col in df.columns else np.nan
    out = out[out["kode"].notna() & out["tahun"].notna()].reset_index(drop=True)
    out["tahun"] = out["tahun"].astype(int)
    if out.empty:
        raise BerkasError("Tidak ada baris dengan kode desa dan tahun yang sah.")
    out.attrs["skor_tidak_sah"] = bad
    return out


def read_dictionary(data: bytes) -> tuple[dict[str, str], dict[str, str]]:
    """(indicator code → name, indicator code → responsible parties) from the IDM indicator dictionary
    (columns ``kolom``, ``indikator`` and the party columns of :data:`PELAKSANA`)."""
    df = _csv(data)
    if "kolom" not in df.columns:
        raise BerkasError("Kamus indikator perlu kolom 'kolom' (IKS01 …), 'indikator' dan kolom pelaksana.")
    names = {str(k).upper(): str(v) for k, v in zip(df["kolom"], df.get("indikator", df["kolom"]))}
    return names, parties(df)


def rumusan_plans(detail: pd.DataFrame, tahun: int) -> pd.DataFrame:
    """Fewest-steps plans of every village of ``detail`` (:func:`read_rumusan`) in ``tahun``, with the
    village's identity columns; reported dimensions are used where present."""
    part = detail[detail["tahun"] == tahun]
    long = part.melt(id_vars=["kode"], value_vars=list(INDIKATOR), var_name="indikator", value_name="skor")
    reported = part[["kode", "iks", "ike", "ikl"]].dropna()
    plan = plans(long, reported if len(reported) else None)
    ident = [c for c in IDENTITAS[1:] if c in part.columns]
    return plan.merge(part[["kode", *ident]].drop_duplicates("kode"), on="kode", how="left")


def in_region(plan: pd.DataFrame, induk: str) -> pd.DataFrame:
    """The rows of villages inside region ``induk`` (dotted code; '' = all)."""
    return plan if not induk else plan[plan["kode"].str.startswith(induk + ".")].reset_index(drop=True)


def plans_table(plan: pd.DataFrame, n_max: int, lang: str = "id") -> pd.DataFrame:
    """Villages below Mandiri, fewest steps first: code, name, status, next status, steps, plan."""
    p = plan[plan["status"].notna() & (plan["status"] < 5)].copy()
    p["_n"] = p["n_langkah"].fillna(10_000)
    p = p.sort_values(["_n", "kode"], kind="stable")
    out = pd.DataFrame({t("code", lang): p["kode"], t("name", lang): p.get("nama_desa", p["kode"])})
    if "nama_kab" in p:
        out[t("kabupaten", lang)] = p["nama_kab"]
    out["IDM"] = p["idm"].round(4)
    out[t("status", lang)] = [catalog.nama_status(int(s), lang) for s in p["status"]]
    out[t("pf_next_status", lang)] = [catalog.nama_status(int(s), lang) for s in p["target"]]
    out[t("gp_steps", lang)] = p["n_langkah"]
    out[t("gp_within_n", lang).format(n=n_max)] = [t("yes", lang) if x == x and x <= n_max else t("no", lang)
                                                    for x in p["n_langkah"]]
    out[t("gp_plan", lang)] = p["rencana"]
    return out.reset_index(drop=True)


def movable_table(mv: pd.DataFrame, level_name: str, n_max: int, lang: str = "id") -> pd.DataFrame:
    return pd.DataFrame({
        t("code", lang): mv["kode"], level_name: mv["nama"], t("gp_below_mandiri", lang): mv["n_desa"],
        t("gp_within_n", lang).format(n=n_max): mv["n_bisa"], "%": mv["persen"].round(1),
    })


def format_gap(x: float, lang: str = "id") -> str:
    return fmt_num(x, 4, lang)


def unique_labels(summary: pd.DataFrame) -> list[str]:
    """Region names for chart labels, with the code added where a name occurs twice (kecamatan of the
    same name in different kabupaten would otherwise share one bar)."""
    names = summary["nama"].astype(str)
    dup = names.duplicated(keep=False)
    return [f"{n} ({k})" if d else n for n, k, d in zip(names, summary["kode"].astype(str), dup)]


# --------------------------------------------------------------------------------------------------
# Cached entry point for the page
# --------------------------------------------------------------------------------------------------

@st.cache_data(max_entries=16, ttl=3600, show_spinner=False)
def _composite(key: tuple, tahun: int, induk: str) -> pd.DataFrame:
    from sinergi import data as sd

    base = sd.query("region_values_lineage", indikator="idm", tahun=tahun, level=4, induk=induk)
    return composite_gap(base.rename(columns={"nilai": "idm"}))


def composite_view(tahun: int, induk: str = "") -> pd.DataFrame:
    """Every village of the region with its IDM gap in a year, cached (do not mutate)."""
    from sinergi import data as sd

    return _composite(sd.dataset_key(), tahun, induk)


# 75,000 rows nationally, rebuilt on every rerun otherwise (a threshold or grouping change does not touch it)
@st.cache_data(max_entries=8, ttl=3600, show_spinner=False)
def _village_table(key: tuple, tahun: int, induk: str, lang: str) -> pd.DataFrame:
    return village_table(_composite(key, tahun, induk), lang)


def village_table_view(tahun: int, induk: str = "", lang: str = "id") -> pd.DataFrame:
    """:func:`village_table` of :func:`composite_view`, cached per dataset, year, region and language."""
    from sinergi import data as sd

    return _village_table(sd.dataset_key(), tahun, induk, lang)


@st.cache_data(max_entries=4, ttl=3600, show_spinner=False)
def cached_rumusan(data: bytes) -> pd.DataFrame:
    """:func:`read_rumusan`, cached per file content (re-runs of the page do not parse the file again)."""
    return read_rumusan(data)


@st.cache_data(max_entries=4, ttl=3600, show_spinner=False)
def cached_dictionary(data: bytes) -> tuple[dict[str, str], dict[str, str]]:
    return read_dictionary(data)


@st.cache_data(max_entries=8, ttl=3600, show_spinner=False)
def cached_rumusan_plans(data: bytes, tahun: int) -> pd.DataFrame:
    return rumusan_plans(cached_rumusan(data), tahun)

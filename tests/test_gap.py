"""Gap to the next IDM status on hand-made rows with known answers, the fewest-steps plan checked against
brute force, and (when the real IDM "rumusan" sample is present) against Kemendesa's own targets."""

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sinergi import gap

REAL = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "real" / "api_idm_rumusan"


# --- composite level -------------------------------------------------------------------------------

def _villages() -> pd.DataFrame:
    return pd.DataFrame({
        "kode": [f"97.01.0{k}.200{i}" for k, i in [(1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (2, 3), (2, 4)]],
        "nama": list("ABCDEFG"),
        "kode_kec": ["97.01.01"] * 3 + ["97.01.02"] * 4, "nama_kec": ["Satu"] * 3 + ["Dua"] * 4,
        "idm": [0.4907, 0.4908, 0.5989, 0.7072, 0.8155, 0.8156, np.nan],
    })


def test_composite_gap_at_the_boundaries():
    g = gap.composite_gap(_villages()).set_index("nama")
    # upper bounds are inclusive: 0.4907 is Sangat Tertinggal and needs 0.4908
    assert g.loc["A", ["status", "status_berikut", "skor_min", "selisih"]].tolist() == [1, 2, 0.4908, 0.0001]
    assert g.loc["B", ["status", "status_berikut", "skor_min", "selisih"]].tolist() == [2, 3, 0.5990, 0.1082]
    assert g.loc["C", "selisih"] == 0.0001 and g.loc["D", "skor_min"] == 0.7073
    assert g.loc["E", ["status", "status_berikut", "skor_min"]].tolist() == [4, 5, 0.8156]
    assert g.loc["F", "status"] == 5 and np.isnan(g.loc["F", "status_berikut"]) and g.loc["F", "selisih"] == 0.0
    assert np.isnan(g.loc["G", "status"]) and np.isnan(g.loc["G", "selisih"])


def test_region_summary_counts_villages_close_to_moving_up():
    g = gap.composite_gap(_villages())
    s = gap.region_summary(g, "kode_kec", "nama_kec", dekat=0.02).set_index("kode")
    # Satu: A (.0001) and C (.0001) close, B (.1082) not; Dua: D, E close, F Mandiri, G no IDM
    assert s.loc["97.01.01", ["n_desa", "n_dekat", "n_mandiri"]].tolist() == [3, 2, 0]
    assert s.loc["97.01.02", ["n_desa", "n_dekat", "n_mandiri"]].tolist() == [3, 2, 1]
    assert s.loc["97.01.02", "persen_dekat"] == pytest.approx(200 / 3)
    s0 = gap.region_summary(g, "kode_kec", "nama_kec", dekat=0.0001).set_index("kode")
    assert s0["n_dekat"].tolist() == [2, 2]
    tb = gap.village_table(g)
    assert tb["Nama"].tolist() == ["A", "C", "D", "E", "B", "F"]  # smallest gap first, Mandiri last


# --- indicator level -------------------------------------------------------------------------------

def scores(iks: int, ike: int, ikl: int) -> dict[str, int]:
    s = {c: iks for c in gap.INDIKATOR if c.startswith("IKS")}
    s.update({c: ike for c in gap.INDIKATOR if c.startswith("IKE")})
    s.update({c: ikl for c in gap.INDIKATOR if c.startswith("IKL")})
    return s


def test_dimension_formulas():
    d = gap.dimension_scores(scores(3, 3, 3))
    assert d == pytest.approx({"iks": 105 / 175, "ike": 36 / 60, "ikl": 9 / 15, "idm": 0.6})
    assert gap.dimension_scores({"IKL01": 5})["ikl"] == pytest.approx(1 / 3)


def test_environment_steps_first_lowest_score_first():
    # IDM .6 (Berkembang) → Maju needs > .7072: 5 IKL steps (.6 + 5/45 = .7111; 4 give .6889)
    p = gap.fewest_steps(scores(3, 3, 3))
    assert (p.status, p.target, p.skor_min, p.n_langkah, p.idm_akhir) == (3, 4, 0.7073, 5, 0.7111)
    assert p.langkah[["indikator", "dari", "ke", "langkah"]].values.tolist() == [
        ["IKL01", 3, 5, 2], ["IKL02", 3, 5, 2], ["IKL03", 3, 4, 1]]
    assert p.langkah["tambah_idm"].sum() == pytest.approx(5 / 45)


def test_economy_when_environment_is_full():
    # IDM (.6 + .6 + 1)/3 = .7333 (Maju) → Mandiri > .8155: 15 IKE steps (.7333 + 15/180 = .8167)
    p = gap.fewest_steps(scores(3, 3, 5))
    assert (p.target, p.n_langkah, p.idm_akhir) == (5, 15, 0.8167)
    assert set(p.langkah["dimensi"]) == {"IKE"} and len(p.langkah) == 12
    assert p.langkah.set_index("indikator").loc[["IKE01", "IKE03", "IKE04"], "ke"].tolist() == [5, 5, 4]


def test_social_when_the_rest_is_full():
    # IDM (.4 + 1 + 1)/3 = .8 → Mandiri: 9 IKS steps (.8 + 9/525 = .8171; 8 give .8152)
    p = gap.fewest_steps(scores(2, 5, 5))
    assert (p.n_langkah, p.idm_akhir) == (9, 0.8171)
    assert p.langkah["indikator"].tolist() == [f"IKS{i:02d}" for i in range(1, 10)]


def test_reported_dimension_is_authoritative():
    # as in part of IDM 2024, the published IKS may differ from the sum: .66 instead of .6 → 4 IKL steps
    p = gap.fewest_steps(scores(3, 3, 3), reported={"iks": 0.66, "ike": 0.6, "ikl": 0.6})
    assert (p.idm, p.n_langkah, p.idm_akhir) == (0.62, 4, 0.7089)


def test_mandiri_and_impossible():
    assert gap.fewest_steps(scores(5, 5, 5)).n_langkah == 0
    p = gap.fewest_steps(scores(5, 5, 5), reported={"iks": 0.1, "ike": 0.1, "ikl": 0.1})
    assert p.status == 1 and p.n_langkah is None  # no score can rise: not reachable by steps


def _brute_force(sc: dict[str, int]) -> int | None:
    d = gap.dimension_scores(sc)
    room = {k: sum(5 - sc[c] for c in gap.INDIKATOR if c.startswith(k)) for k in gap.DIMENSI}
    from sinergi import catalog

    st = catalog.status_idm(round(d["idm"], 4))
    if st == 5:
        return 0
    bound = catalog.IDM_BATAS[st - 1]
    best = None
    for a, b, c in itertools.product(range(room["IKL"] + 1), range(room["IKE"] + 1), range(room["IKS"] + 1)):
        if best is not None and a + b + c >= best:
            continue
        if round(d["idm"] + a / 45 + b / 180 + c / 525, 4) > bound:
            best = a + b + c
    return best


def test_greedy_is_exact_against_brute_force():
    rng = np.random.default_rng(4)
    for _ in range(25):
        sc = {c: int(rng.integers(0, 6)) for c in gap.INDIKATOR}
        assert gap.fewest_steps(sc).n_langkah == _brute_force(sc), sc


def test_plans_regions_and_parties():
    rows = []
    for kode, (a, b, c) in {"97.01.01.2001": (3, 3, 3), "97.01.01.2002": (3, 3, 5), "97.01.02.2001": (5, 5, 5),
                            "97.01.02.2002": (2, 5, 5)}.items():
        rows += [(kode, k, v) for k, v in scores(a, b, c).items()]
    detail = pd.DataFrame(rows, columns=["kode", "indikator", "skor"])
    pl = gap.plans(detail).set_index("kode")
    assert pl["n_langkah"].tolist() == [5, 15, 0, 9]
    assert pl.loc["97.01.01.2001", "rencana"] == "IKL01 3→5, IKL02 3→5, IKL03 3→4"
    regions = pd.DataFrame({"kode": pl.index, "kode_kec": ["97.01.01", "97.01.01", "97.01.02", "97.01.02"],
                            "nama_kec": ["Satu", "Satu", "Dua", "Dua"]})
    mv = gap.movable_by_region(pl.reset_index(), regions, "kode_kec", "nama_kec", n_max=9).set_index("kode")
    # Satu: 5 steps yes, 15 no; Dua: one Mandiri (not counted), 9 steps yes
    assert mv.loc["97.01.01", ["n_desa", "n_bisa"]].tolist() == [2, 1]
    assert mv.loc["97.01.02", ["n_desa", "n_bisa"]].tolist() == [1, 1]
    dictionary = pd.DataFrame([
        {"kolom": "IKL01", "pelaksana_pusat": None, "pelaksana_prov": "", "pelaksana_kab": "Dinkes, PU",
         "pelaksana_desa": "DD", "csr": "CSR", "lainnya": np.nan},
        {"kolom": "ikl02", "pelaksana_pusat": "KLHK", "pelaksana_prov": None, "pelaksana_kab": None,
         "pelaksana_desa": None, "csr": None, "lainnya": None},
    ])
    party = gap.parties(dictionary)
    assert party == {"IKL01": "kabupaten (Dinkes, PU); desa (DD); CSR", "IKL02": "pusat (KLHK)"}
    plan = gap.fewest_steps(scores(3, 3, 3))
    tb = gap.plan_table(plan, {"IKL01": "Skor Sampah"}, party, "id")
    assert tb["Pelaksana"].tolist() == ["kabupaten (Dinkes, PU); desa (DD); CSR", "pusat (KLHK)", ""]
    assert tb["Indikator"].tolist() == ["Skor Sampah", "IKL02", "IKL03"]


def _csv_rows(rows: list[tuple[str, int, tuple[int, int, int]]], extra: str = "") -> bytes:
    head = "kode_desa,nama_desa,kode_kec,nama_kec,kode_kab,nama_kab,tahun," + ",".join(gap.INDIKATOR) + extra
    lines = [head]
    for kode, tahun, (a, b, c) in rows:
        sc = scores(a, b, c)
        lines.append(f"{kode},Desa {kode[-2:]},{kode[:6]},Kec {kode[4:6]},{kode[:4]},Kab {kode[2:4]},{tahun},"
                     + ",".join(str(sc[k]) for k in gap.INDIKATOR))
    return "\n".join(lines).encode()


def test_read_rumusan_file_and_plans_per_region():
    data = _csv_rows([("9701012001", 2024, (3, 3, 3)), ("9701012002", 2024, (3, 3, 5)),
                      ("9701022001", 2024, (2, 5, 5)), ("9701022001", 2023, (1, 1, 1))])
    detail = gap.read_rumusan(data)
    assert detail["kode"].tolist()[0] == "97.01.01.2001" and sorted(detail["tahun"].unique()) == [2023, 2024]
    plan = gap.rumusan_plans(detail, 2024).set_index("kode")
    assert plan["n_langkah"].tolist() == [5, 15, 9]
    assert plan.loc["97.01.01.2001", "nama_kec"] == "Kec 01"
    regions = plan.reset_index().assign(kode_kec=lambda d: d["kode"].str[:8])
    mv = gap.movable_by_region(plan.reset_index(), regions, "kode_kec", "nama_kec", 10).set_index("kode")
    assert mv.loc["97.01.01", ["n_desa", "n_bisa"]].tolist() == [2, 1]  # 5 steps yes, 15 no
    assert mv.loc["97.01.02", ["n_desa", "n_bisa"]].tolist() == [1, 1]
    shown = gap.plans_table(plan.reset_index(), 10, "id")
    assert shown["Kode"].tolist() == ["97.01.01.2001", "97.01.02.2001", "97.01.01.2002"]  # fewest steps first
    assert shown["≤ 10 langkah"].tolist() == ["ya", "ya", "tidak"]


def test_read_rumusan_refuses_or_cleans_bad_input():
    with pytest.raises(gap.BerkasError, match="Kolom wajib tidak ada: IKS01"):
        gap.read_rumusan(b"kode_desa,tahun,IKS02\n9701012001,2024,3\n")
    with pytest.raises(gap.BerkasError, match="kode_desa"):
        gap.read_rumusan(b"a,b\n1,2\n")
    data = _csv_rows([("9701012001", 2024, (3, 3, 3)), ("bukan-kode", 2024, (3, 3, 3))]).replace(
        b"2024,3,3", b"2024,7,2.5", 1)
    detail = gap.read_rumusan(data)
    assert len(detail) == 1 and detail.attrs["skor_tidak_sah"] == 2  # 7 and 2.5 set missing
    assert np.isnan(detail.loc[0, "IKS01"]) and np.isnan(detail.loc[0, "IKS02"])
    semi = _csv_rows([("9701012001", 2024, (3, 3, 3))]).replace(b",", b";")
    assert len(gap.read_rumusan(semi)) == 1


@pytest.mark.real_data
def test_against_kemendesa_targets_in_the_real_rumusan_sample():
    """On the real api-idm sample: our dimension formulas, next status and minimum score match Kemendesa's
    ``target_status``/``skor_minimal_target``, and every plan reaches that score."""
    f = REAL / "idm_rumusan_desa_tahun.csv"
    if not f.exists():
        pytest.skip(f"real data folder absent: {REAL} (see shared/data/real/MANIFEST.md, section 3)")
    df = pd.read_csv(f, dtype={"kode_desa": str}).query("tahun == 2023").head(300)
    cols = list(gap.INDIKATOR)
    for r in df.itertuples(index=False):
        sc = dict(zip(cols, [getattr(r, c) for c in cols]))
        d = gap.dimension_scores(sc)
        assert d["ike"] == pytest.approx(r.ike_row, abs=1e-9) and d["ikl"] == pytest.approx(r.ikl_row, abs=1e-9)
        assert d["iks"] == pytest.approx(r.iks_row, abs=1e-9)  # holds for every 2023 row (MANIFEST)
        p = gap.fewest_steps(sc, {"iks": r.iks_row, "ike": r.ike_row, "ikl": r.ikl_row})
        if r.status_idm == "MANDIRI":
            assert p.n_langkah == 0
            continue
        assert p.skor_min == pytest.approx(r.skor_minimal_target)
        from sinergi import catalog

        assert catalog.nama_status(p.target).upper() == r.target_status
        assert p.n_langkah is not None and p.idm_akhir >= r.skor_minimal_target


@pytest.mark.real_data
def test_real_rumusan_file_and_dictionary_through_the_reader():
    f, k = REAL / "idm_rumusan_desa_tahun.csv", REAL / "idm_rumusan_indikator.csv"
    if not f.exists() or not k.exists():
        pytest.skip(f"real data folder absent: {REAL} (see shared/data/real/MANIFEST.md, section 3)")
    detail = gap.read_rumusan(f.read_bytes())
    assert detail["kode"].str.match(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$").all()
    assert set(detail["tahun"]) == {2021, 2022, 2023, 2024}
    plan = gap.rumusan_plans(detail, 2024)
    assert len(plan) > 2000
    below = plan[plan["status"] < 5]
    assert below["n_langkah"].notna().all() and (below["idm_akhir"] >= below["skor_min"]).all()
    names, party = gap.read_dictionary(k.read_bytes())
    assert len(names) == 50 and party["IKS01"] == "kabupaten (Dinkes, PU)"

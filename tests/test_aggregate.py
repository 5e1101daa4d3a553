import math

import pandas as pd
import pytest

from sinergi import aggregate


def _regions():
    rows = [
        # kode, level, prov, kab, kec, penduduk
        ("97.01.01.2001", 4, "97", "97.01", "97.01.01", 1000),
        ("97.01.01.2002", 4, "97", "97.01", "97.01.01", 3000),
        ("97.01.02.2001", 4, "97", "97.01", "97.01.02", 2000),
        ("97.02.01.1001", 4, "97", "97.02", "97.02.01", 4000),
    ]
    return pd.DataFrame(rows, columns=["kode", "level", "kode_prov", "kode_kab", "kode_kec", "penduduk"])


def _vals(ind, values, tahun=2024):
    kodes = _regions()["kode"]
    return pd.DataFrame({"kode": kodes, "tahun": tahun, "indikator": ind, "nilai": values})


def _get(out, kode, ind):
    row = out[(out["kode"] == kode) & (out["indikator"] == ind)]
    assert len(row) == 1, (kode, ind)
    return row["nilai"].iloc[0]


def test_population_weighted_mean_up_every_level():
    out = aggregate.aggregate_up(_vals("iks", [0.4, 0.8, 0.6, float("nan")]), _regions())
    assert _get(out, "97.01.01", "iks") == pytest.approx((0.4 * 1000 + 0.8 * 3000) / 4000)
    assert _get(out, "97.01", "iks") == pytest.approx((400 + 2400 + 1200) / 6000)
    # the province weighs villages, not kecamatan; the village without a value is left out
    assert _get(out, "97", "iks") == pytest.approx((400 + 2400 + 1200) / 6000)
    assert math.isnan(_get(out, "97.02", "iks"))
    assert out.loc[(out["kode"] == "97.02") & (out["indikator"] == "iks"), "flag"].iloc[0] == "missing"


def test_sum_share_and_mean():
    r = _regions()
    v = pd.concat([
        _vals("penyuluh_sosial", [1, 2, float("nan"), 3]),
        _vals("bumdes_aktif", [100, 0, 100, 0]),
        _vals("jumlah_program", [1, 2, 3, 6]),
    ])
    out = aggregate.aggregate_up(v, r)
    assert _get(out, "97", "penyuluh_sosial") == 6
    assert _get(out, "97.01", "penyuluh_sosial") == 3
    assert _get(out, "97", "bumdes_aktif") == pytest.approx(50.0)
    assert _get(out, "97.01", "bumdes_aktif") == pytest.approx(200 / 3)
    assert _get(out, "97", "jumlah_program") == pytest.approx(3.0)


def test_parent_status_is_class_of_aggregated_idm():
    v = pd.concat([_vals("idm", [0.45, 0.95, 0.70, 0.80]), _vals("status_idm", [1, 5, 3, 4])])
    out = aggregate.aggregate_up(v, _regions())
    # (0.45*1000 + 0.95*3000)/4000 = 0.825 -> Mandiri, not the mean of the classes (3)
    assert _get(out, "97.01.01", "idm") == pytest.approx(0.825)
    assert _get(out, "97.01.01", "status_idm") == 5


def test_unknown_indicator_is_refused():
    with pytest.raises(KeyError):
        aggregate.aggregate_up(_vals("bukan_indikator", [1, 2, 3, 4]), _regions())


def test_weighted_wherever_villages_have_population_plain_mean_elsewhere():
    r = _regions()
    r.loc[r["kode"] == "97.01.02.2001", "penduduk"] = None  # one village of kecamatan 97.01.02 and kabupaten 97.01
    fell_back: set[str] = set()
    out = aggregate.aggregate_up(_vals("iks", [0.4, 0.8, 0.6, 0.5]), r, tanpa_bobot=fell_back)
    assert _get(out, "97.01.01", "iks") == pytest.approx((0.4 * 1000 + 0.8 * 3000) / 4000)  # still weighted
    assert _get(out, "97.01.02", "iks") == pytest.approx(0.6)
    assert _get(out, "97.01", "iks") == pytest.approx((0.4 + 0.8 + 0.6) / 3)  # not silently without 97.01.02.2001
    assert _get(out, "97.02", "iks") == pytest.approx(0.5)
    assert fell_back == {"97.01.02", "97.01", "97"}
    # sums and shares do not need population and never fall back
    fell_back.clear()
    aggregate.aggregate_up(_vals("penyuluh_sosial", [1, 2, 3, 4]), r, tanpa_bobot=fell_back)
    assert fell_back == set()

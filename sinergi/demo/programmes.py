"""Ministry programmes: which programme reaches which village in which year, and the counts per village."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sinergi.demo.common import TAHUN, pembangkit, sigmoid, z
from sinergi.demo.region_table import Wilayah


@dataclass(frozen=True)
class Program:
    kementerian: str
    program: str
    dasar: float        # base logit
    kebutuhan: float    # logit per SD of need (low IKS); negative = favours capable villages
    tren: float         # logit per year since start
    mulai: int          # first year
    hanya_desa: bool    # desa only (e.g. Dana Desa)


PROGRAM: tuple[Program, ...] = (
    Program("Kemensos", "Desa Berketahanan Sosial", -3.4, 0.7, 0.05, 2019, False),
    Program("Kemensos", "Program Keluarga Harapan", -0.9, 1.0, 0.0, 2019, False),
    Program("Kemendesa PDTT", "Dana Desa – Padat Karya Tunai", -0.6, 0.4, 0.05, 2019, True),
    Program("Kemendesa PDTT", "Pendampingan Desa", -0.9, 0.5, 0.0, 2019, True),
    Program("BRIN", "Desa Inovasi", -3.6, -0.7, 0.15, 2021, False),
    Program("Kemenkes", "Posyandu Prima", -3.6, 0.3, 0.5, 2022, False),
    Program("Bappenas", "Desa Prioritas Nasional", -2.6, 0.9, 0.0, 2019, False),
    Program("KemenPPPA", "Desa Ramah Perempuan dan Peduli Anak", -3.4, 0.2, 0.3, 2021, False),
    Program("Pemerintah Daerah", "Bantuan Keuangan Provinsi", -2.3, 0.2, 0.05, 2019, False),
)


def bagikan_program(w: Wilayah, iks: np.ndarray, seed: int) -> np.ndarray:
    """Which programme reaches which village in which year: bool (n, T, n_program).

    Probability rises with need (low IKS) for social programmes and depends on kabupaten and
    province policy; remote villages and neglected kecamatan get less, so some needy villages get
    nothing at all. A village that got a programme tends to keep it.
    """
    rng = pembangkit(seed, "program")
    n, T = iks.shape
    J = len(PROGRAM)
    kebutuhan = -(iks - iks.mean()) / iks.std()
    jauh = 0.7 * z(np.log1p(w.d_ibukota_km)) + 0.6 * rng.normal(0, 1, len(w.kec_kode))[w.desa_kec]
    kab_pol = rng.normal(0, 0.6, (len(w.kab_kode), J)) + rng.normal(0, 0.5, (len(w.kab_kode), 1))
    prov_pol = rng.normal(0, 0.3, (len(w.prov_kode), J))
    pemda = np.array([p.kementerian == "Pemerintah Daerah" for p in PROGRAM])
    prov_pol[:, pemda] = rng.normal(0, 1.2, (len(w.prov_kode), 1))  # provincial grants: a provincial choice
    tetap = rng.normal(0, 1.2, (n, J))
    dasar = np.array([p.dasar for p in PROGRAM])
    koef = np.array([p.kebutuhan for p in PROGRAM])
    tren = np.array([p.tren for p in PROGRAM])
    mulai = np.array([p.mulai for p in PROGRAM])
    hanya_desa = np.array([p.hanya_desa for p in PROGRAM])
    tahun = np.array(TAHUN)
    logit = (dasar + koef * kebutuhan[:, :, None] + tren * np.maximum(tahun[:, None] - mulai, 0)
             + (kab_pol[w.desa_kab] + prov_pol[w.desa_prov] + tetap - 0.8 * jauh[:, None])[:, None, :])
    dapat = rng.random((n, T, J)) < sigmoid(logit)
    dapat &= tahun[None, :, None] >= mulai
    dapat &= ~(hanya_desa[None, None, :] & w.desa_kelurahan[:, None, None])
    return dapat


def tabel_program(w: Wilayah, dapat: np.ndarray) -> pd.DataFrame:
    t, v, j = np.nonzero(dapat.transpose(1, 0, 2))  # ordered by year, village, programme
    return pd.DataFrame({
        "kode_desa": pd.array(w.desa_kode, dtype="str").take(v),
        "tahun": np.asarray(TAHUN, np.int16)[t],
        "kementerian": pd.array([p.kementerian for p in PROGRAM], dtype="str").take(j),
        "program": pd.array([p.program for p in PROGRAM], dtype="str").take(j),
    })


def hitung_program(dapat: np.ndarray) -> dict[str, np.ndarray]:
    kementerian = sorted({p.kementerian for p in PROGRAM})
    kol = np.array([kementerian.index(p.kementerian) for p in PROGRAM])
    hadir = np.stack([dapat[:, :, kol == k].any(axis=2) for k in range(len(kementerian))], axis=2)
    return {"jumlah_program": dapat.sum(axis=2).astype(float), "jumlah_kementerian": hadir.sum(axis=2).astype(float)}

"""The social network: local institutions, outside partners, inter-village cooperation, their ties (each
with a start year) and the network indicators counted from them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd
import shapely

from sinergi import catalog
from sinergi.demo.common import TAHUN, Ukuran, kelompok, peringkat_dalam_grup, pembangkit, sigmoid, z
from sinergi.demo.names import Penama
from sinergi.demo.region_table import Wilayah

JENIS_LEMBAGA: tuple[str, ...] = catalog.JENIS_LEMBAGA
JENIS_MITRA: tuple[str, ...] = ("instansi_pemerintah", "perguruan_tinggi", "lsm", "swasta", "bumn")
_L = {j: i for i, j in enumerate(JENIS_LEMBAGA)}  # type index by name


_NAMA_LKS = ("Kasih Bunda", "Harapan Bangsa", "Peduli Sesama", "Cahaya Hati", "Bina Sejahtera", "Insan Mandiri")
_NAMA_BUMDES = ("Maju Bersama", "Sejahtera", "Mandiri", "Karya Usaha", "Berkah", "Makmur")
_NAMA_KOPERASI = ("Serba Usaha", "Produsen", "Simpan Pinjam", "Konsumen")
_NAMA_POKTAN = ("Sri Rejeki", "Subur Makmur", "Tani Mulya", "Harapan Jaya", "Sumber Rezeki", "Sido Makmur",
                "Karya Tani", "Mekar Sari")
_NAMA_POSYANDU = ("Melati", "Mawar", "Anggrek", "Kenanga", "Dahlia", "Flamboyan", "Cempaka", "Teratai")
_NAMA_TAKLIM = ("Al-Hikmah", "An-Nur", "Al-Ikhlas", "Nurul Huda", "Al-Falah", "Miftahul Jannah")
_DINAS = ("Dinas Sosial", "Dinas Pemberdayaan Masyarakat dan Desa", "Dinas Kesehatan", "Bappeda",
          "Dinas Pertanian", "Dinas Koperasi dan UKM", "Dinas Pendidikan")
_LSM_A = ("Bina", "Karya", "Cahaya", "Lentera", "Pelita", "Mitra", "Sahabat", "Rumah", "Jaringan", "Gerakan")
_LSM_B = ("Desa", "Nusantara", "Bangsa", "Rakyat", "Lestari", "Mandiri", "Peduli", "Sejahtera", "Pesisir", "Tani")
_PT_B = ("Agro", "Niaga", "Sentosa", "Mandiri", "Makmur", "Samudra", "Bahari", "Energi")
_PT_C = ("Abadi", "Lestari", "Jaya", "Perkasa", "Utama", "Nusantara")
_BUMN = ("PT Perkebunan Rekaan", "PT Pupuk Rekaan", "PT Listrik Rekaan", "PT Pelabuhan Rekaan", "PT Bank Desa Rekaan",
         "PT Perikanan Rekaan", "PT Semen Rekaan", "PT Pos Rekaan")
# Tie start years: most ties predate or start with the data period.
_P_TAHUN_IKATAN = np.array([0.45, 0.13, 0.12, 0.11, 0.1, 0.09])


@dataclass
class _Jaringan:
    simpul: pd.DataFrame
    ikatan: pd.DataFrame
    indikator: dict[str, np.ndarray]


def _tahun_mulai(rng: np.random.Generator, n: int) -> np.ndarray:
    return np.asarray(TAHUN)[rng.choice(len(TAHUN), size=n, p=_P_TAHUN_IKATAN)]


def _mulai_rentang_akhir(aktif: np.ndarray) -> np.ndarray:
    """First year of the last unbroken active spell (villages active in the last year)."""
    T = aktif.shape[1]
    mulai = np.full(len(aktif), T - 1)
    masih = aktif[:, T - 1].copy()
    for t in range(T - 2, -1, -1):
        masih &= aktif[:, t]
        mulai[masih] = t
    return np.asarray(TAHUN)[mulai]


def _lembaga(rng: np.random.Generator, w: Wilayah, kt: np.ndarray, bumdes: np.ndarray):
    """Local institutions: owner village, type index, founding year (sorted by village, type)."""
    n = len(w.desa_kode)
    urban = np.exp(-w.d_kota_km / 15)
    jumlah_per_jenis = {  # how many of each type a village has
        "karang_taruna": kt[:, -1],
        "pkk": rng.random(n) < 0.95,
        "lks": rng.random(n) < 0.2 + 0.3 * urban,
        "bumdes": bumdes[:, -1],
        "koperasi": rng.random(n) < 0.35,
        "kelompok_tani": np.minimum(rng.poisson(1.8 * (1 - urban) * ~w.desa_kelurahan + 0.1), 5),
        "posyandu": np.clip(1 + w.penduduk // 2500, 1, 6),
        "majelis_taklim": np.minimum(rng.poisson(1.0, n), 3),
    }
    jumlah = np.column_stack([jumlah_per_jenis[j] for j in JENIS_LEMBAGA]).astype(np.int64)
    pemilik = np.repeat(np.repeat(np.arange(n), len(JENIS_LEMBAGA)), jumlah.ravel())
    jenis = np.repeat(np.tile(np.arange(len(JENIS_LEMBAGA)), n), jumlah.ravel())
    tahun = _tahun_mulai(rng, len(pemilik))
    tahun = np.where(rng.random(len(pemilik)) < 0.85, TAHUN[0], tahun)
    pertama = np.r_[True, (pemilik[1:] != pemilik[:-1]) | (jenis[1:] != jenis[:-1])]  # first of its type
    tahun[(jenis == _L["pkk"]) | ((jenis == _L["posyandu"]) & pertama)] = TAHUN[0]  # always there
    # Karang Taruna and BUMDes exist iff active in the last year, since the start of that active spell.
    for nama, aktif in (("karang_taruna", kt), ("bumdes", bumdes)):
        ini = jenis == _L[nama]
        tahun[ini] = _mulai_rentang_akhir(aktif)[pemilik[ini]]
    return pemilik, jenis, tahun


_NAMA_LEMBAGA: dict[str, Callable[[str, str, int, int], str]] = {
    # (village name, "Desa"/"Kelurahan", number of this type in the village, random int) -> name
    "karang_taruna": lambda d, jd, k, r: f"Karang Taruna {d}",
    "pkk": lambda d, jd, k, r: f"TP PKK {jd} {d}",
    "lks": lambda d, jd, k, r: f"LKS {_NAMA_LKS[r % len(_NAMA_LKS)]}",
    "bumdes": lambda d, jd, k, r: f"BUMDes {_NAMA_BUMDES[r % len(_NAMA_BUMDES)]} {d}",
    "koperasi": lambda d, jd, k, r: f"Koperasi {_NAMA_KOPERASI[r % len(_NAMA_KOPERASI)]} {d}",
    "kelompok_tani": lambda d, jd, k, r: f"Kelompok Tani {_NAMA_POKTAN[(r + k) % len(_NAMA_POKTAN)]}"
                                         + (f" {k}" if k > 1 else ""),
    "posyandu": lambda d, jd, k, r: f"Posyandu {_NAMA_POSYANDU[(r + k) % len(_NAMA_POSYANDU)]} {k}",
    "majelis_taklim": lambda d, jd, k, r: f"Majelis Taklim {_NAMA_TAKLIM[(r + k) % len(_NAMA_TAKLIM)]}",
}


def _nama_lembaga(rng: np.random.Generator, w: Wilayah, pemilik: np.ndarray, jenis: np.ndarray) -> list[str]:
    """Plausible names for the institutions (sorted by village, type)."""
    ke = peringkat_dalam_grup(pemilik * len(JENIS_LEMBAGA) + jenis, np.arange(len(pemilik))) + 1
    acak = rng.integers(0, 1 << 30, len(pemilik))
    buat = [_NAMA_LEMBAGA[j] for j in JENIS_LEMBAGA]
    jenis_desa = np.where(w.desa_kelurahan, "Kelurahan", "Desa")
    return [buat[j](w.desa_nama[v], jenis_desa[v], k, r)
            for v, j, k, r in zip(pemilik.tolist(), jenis.tolist(), ke.tolist(), acak.tolist())]


_P_JENIS_MITRA = {"instansi_pemerintah": 0.3, "perguruan_tinggi": 0.12, "lsm": 0.3, "swasta": 0.18, "bumn": 0.1}


def _nama_mitra(penama: Penama, jenis: str, kab: str, dasar_prov: str) -> str:
    """A plausible fictional partner name, e.g. "Universitas Rekaan Timur", "Yayasan Pelita Desa"."""
    pilih = penama.pilih
    if jenis == "instansi_pemerintah":
        return f"{pilih(_DINAS)} {kab}"
    if jenis == "perguruan_tinggi":
        pola = pilih((f"Universitas {dasar_prov}", f"Politeknik Negeri {dasar_prov}", "Universitas {}",
                      "Institut Teknologi {}", "Sekolah Tinggi Kesejahteraan Sosial {}"))
        return pola.format(penama.kata()) if "{}" in pola else pola
    if jenis == "lsm":
        return f"Yayasan {pilih(_LSM_A)} {pilih(_LSM_B)}"
    if jenis == "swasta":
        return f"PT {penama.kata()} {pilih(_PT_B)} {pilih(_PT_C)}"
    return f"{pilih(_BUMN)} Wilayah {dasar_prov}"


def _mitra(rng: np.random.Generator, w: Wilayah, per_prov: int):
    """Outside partners, about ``per_prov`` per province: (province, type index, home kab, name)."""
    prov, jenis, rumah, nama = [], [], [], []
    p_jenis = np.array([_P_JENIS_MITRA[j] for j in JENIS_MITRA])
    for p, kabs in enumerate(kelompok(w.kab_prov, len(w.prov_kode))):
        penama, dipakai = Penama(rng), set()
        dasar_prov = w.prov_nama[p].removeprefix("Nusa ").removeprefix("Kepulauan ")
        bobot = np.where(w.kab_kota[kabs], 3.0, 1.0)  # partners cluster in the cities
        m = per_prov + int(rng.integers(-per_prov // 10, per_prov // 10 + 1))
        for j in rng.choice(len(JENIS_MITRA), size=m, p=p_jenis).tolist():
            k = int(rng.choice(kabs, p=bobot / bobot.sum()))
            nama.append(Penama.unik(lambda: _nama_mitra(penama, JENIS_MITRA[j], w.kab_nama[k], dasar_prov), dipakai))
            prov.append(p)
            jenis.append(j)
            rumah.append(k)
    return np.array(prov, int), np.array(jenis, int), np.array(rumah, int), nama


def _tetangga(geoms: np.ndarray) -> np.ndarray:
    """Pairs (i < j) of polygons that share a vertex, sorted.

    In an edge-matched coverage (like our villages) that is exactly the polygons that touch, and it
    is much faster than a spatial predicate: one sort of all vertices.
    """
    xy, milik = shapely.get_coordinates(geoms, return_index=True)
    urut = np.lexsort((milik, xy[:, 1], xy[:, 0]))
    x, y, milik = xy[urut, 0], xy[urut, 1], milik[urut]
    beda = np.r_[True, (x[1:] != x[:-1]) | (y[1:] != y[:-1]) | (milik[1:] != milik[:-1])]
    x, y, milik = x[beda], y[beda], milik[beda]              # drop repeated vertices within a polygon
    pasangan, j = [], 1
    sama = (x[1:] == x[:-1]) & (y[1:] == y[:-1])
    while sama.any():  # vertices shared by several polygons: pair each with the next j-th
        pasangan.append(np.column_stack([milik[:-j], milik[j:]])[sama])
        j += 1
        sama = sama[:-1] & (x[j:] == x[:-j]) & (y[j:] == y[:-j])
    if not pasangan:
        return np.empty((0, 2), np.int64)
    p = np.vstack(pasangan).astype(np.int64)
    return np.unique(np.sort(p, axis=1), axis=0)


def _kerja_sama(rng: np.random.Generator, w: Wilayah, modal_sosial: np.ndarray) -> np.ndarray:
    """Inter-village cooperation pairs (i < j) and start year: mostly neighbours, some across kecamatan."""
    pasangan = _tetangga(w.desa_geom)
    a, b = pasangan.T
    sama_kec = w.desa_kec[a] == w.desa_kec[b]
    ms = z(modal_sosial)
    p = sigmoid(-2.3 + 0.7 * (ms[a] + ms[b]) / 2 + 0.9 * sama_kec)
    pilih = rng.random(len(a)) < p
    # A few longer-range agreements within the same kabupaten.
    n_jauh = len(w.desa_kode) // 40
    x = rng.integers(0, len(w.desa_kode), n_jauh)
    kandidat = rng.integers(0, len(w.desa_kode), n_jauh)
    sama_kab = (w.desa_kab[x] == w.desa_kab[kandidat]) & (x != kandidat)
    jauh = np.column_stack([np.minimum(x, kandidat), np.maximum(x, kandidat)])[sama_kab]
    semua = np.unique(np.vstack([pasangan[pilih], jauh]), axis=0)
    return np.column_stack([semua, _tahun_mulai(rng, len(semua))])


def _ikatan_mitra(rng: np.random.Generator, w: Wilayah, m_prov, m_jenis, m_rumah, lembaga_pertama):
    """Partner ties: (mitra index, village, lembaga index or -1, tie kind 'kemitraan'/'pendampingan')."""
    desa_per_prov = kelompok(w.desa_prov, len(w.prov_kode))
    # Per partner type: number of villages (lo, hi), distance decay (km) from its home kabupaten,
    # the institution types it works with (or the village itself) and the kind of tie.
    rentang = {"instansi_pemerintah": (15, 50), "perguruan_tinggi": (10, 40), "lsm": (4, 20), "swasta": (3, 12),
               "bumn": (5, 20)}
    skala_km = {"instansi_pemerintah": np.inf, "perguruan_tinggi": 60.0, "lsm": 30.0, "swasta": 40.0, "bumn": 60.0}
    usaha = np.array([_L["bumdes"], _L["koperasi"], _L["kelompok_tani"]])
    sasaran = {"lsm": np.array([_L["lks"], _L["pkk"], _L["karang_taruna"]]), "swasta": usaha, "bumn": usaha}
    out_m, out_v, out_l, out_k = [], [], [], []
    for m, (p, j, k) in enumerate(zip(m_prov, m_jenis, m_rumah)):
        jenis = JENIS_MITRA[j]
        calon = desa_per_prov[p]
        if jenis == "instansi_pemerintah":  # a kabupaten agency works in its own kabupaten
            calon = calon[w.desa_kab[calon] == k]
        d = np.hypot(w.lon[calon] - w.kab_lonlat[k, 0], w.lat[calon] - w.kab_lonlat[k, 1]) * 111
        n_pilih = min(int(rng.integers(rentang[jenis][0], rentang[jenis][1] + 1)), len(calon))
        kunci = -d / skala_km[jenis] + rng.gumbel(size=len(calon))  # Gumbel top-k: weighted sampling
        desa = calon[np.argsort(-kunci, kind="stable")[:n_pilih]]
        lembaga = np.full(len(desa), -1)
        if jenis in sasaran and (jenis != "lsm" or rng.random() < 0.4):
            tipe = sasaran[jenis][rng.integers(0, len(sasaran[jenis]), len(desa))]
            lembaga = lembaga_pertama[desa, tipe]  # -1 (tie to the village) when it has none
        out_m.append(np.full(len(desa), m))
        out_v.append(desa)
        out_l.append(lembaga)
        out_k.append(np.full(len(desa), "kemitraan" if jenis in ("swasta", "bumn") else "pendampingan",
                             dtype=object))
    return (np.concatenate(out_m), np.concatenate(out_v), np.concatenate(out_l), np.concatenate(out_k))


def _indikator_jaringan(penduduk: np.ndarray, pemilik: np.ndarray, tahun_lembaga: np.ndarray,
                        kerja_sama: np.ndarray, mitra_desa: np.ndarray,
                        tahun_mitra: np.ndarray) -> dict[str, np.ndarray]:
    """Network indicators per village and year, counting each tie from its start year on.

    ``pemilik``/``tahun_lembaga``: home village and start year of each institution; ``kerja_sama``:
    (village, village, year) rows; ``mitra_desa``: partner × n + village for each partner tie (to the
    village or one of its institutions) with start years ``tahun_mitra``.
    """
    n = len(penduduk)
    keluar = {k: np.empty((n, len(TAHUN))) for k in ("lembaga_per_1000", "kerja_sama_antardesa", "jumlah_mitra")}
    for t, tahun in enumerate(TAHUN):
        keluar["lembaga_per_1000"][:, t] = np.bincount(pemilik[tahun_lembaga <= tahun], minlength=n) / penduduk * 1000
        aktif = kerja_sama[kerja_sama[:, 2] <= tahun]
        keluar["kerja_sama_antardesa"][:, t] = (np.bincount(aktif[:, 0], minlength=n)
                                                + np.bincount(aktif[:, 1], minlength=n))
        keluar["jumlah_mitra"][:, t] = np.bincount(np.unique(mitra_desa[tahun_mitra <= tahun]) % n, minlength=n)
    keluar["lembaga_per_1000"] = np.round(keluar["lembaga_per_1000"], 2)
    return keluar


def bangun_jaringan(w: Wilayah, idm: dict[str, np.ndarray], kt: np.ndarray, bumdes: np.ndarray, ukuran: Ukuran,
              seed: int) -> _Jaringan:
    """Nodes, ties and the network indicators computed from them (ties count from their start year)."""
    rng = pembangkit(seed, "jaringan")
    n = len(w.desa_kode)

    pemilik, jenis_l, tahun_l = _lembaga(rng, w, kt, bumdes)
    nama_l = _nama_lembaga(rng, w, pemilik, jenis_l)
    no_l = peringkat_dalam_grup(pemilik, np.arange(len(pemilik))) + 1
    id_desa = np.array(["desa:" + k for k in w.desa_kode.tolist()], dtype=object)
    id_l = np.array([f"lembaga:{w.desa_kode[v]}:{k}" for v, k in zip(pemilik.tolist(), no_l.tolist())], dtype=object)
    lembaga_pertama = np.full((n, len(JENIS_LEMBAGA)), -1)
    pertama = np.r_[True, (pemilik[1:] != pemilik[:-1]) | (jenis_l[1:] != jenis_l[:-1])]
    lembaga_pertama[pemilik[pertama], jenis_l[pertama]] = np.flatnonzero(pertama)

    m_prov, m_jenis, m_rumah, m_nama = _mitra(rng, w, ukuran.mitra_per_prov)
    no_m = peringkat_dalam_grup(m_prov, np.arange(len(m_prov))) + 1
    id_m = np.array([f"mitra:{w.prov_kode[p]}:{k:03d}" for p, k in zip(m_prov, no_m)], dtype=object)

    ks = _kerja_sama(rng, w, idm["iks_modal_sosial"].mean(axis=1))
    im, iv, il, ik = _ikatan_mitra(rng, w, m_prov, m_jenis, m_rumah, lembaga_pertama)
    it = _tahun_mulai(rng, len(im))
    it = np.where(il >= 0, np.maximum(it, tahun_l[np.maximum(il, 0)]), it)

    simpul = pd.DataFrame({
        "id": np.concatenate([id_desa, id_l, id_m]),
        "tipe": np.repeat(["desa", "lembaga", "mitra"], [n, len(id_l), len(id_m)]),
        "jenis": np.concatenate([np.where(w.desa_kelurahan, "kelurahan", "desa"),
                                 np.asarray(JENIS_LEMBAGA)[jenis_l], np.asarray(JENIS_MITRA)[m_jenis]]),
        "nama": np.concatenate([w.desa_nama.astype(object), np.array(nama_l, dtype=object),
                                np.array(m_nama, dtype=object)]),
        "kode_desa": np.concatenate([w.desa_kode.astype(object), w.desa_kode[pemilik].astype(object),
                                     np.full(len(id_m), None, dtype=object)]),
    })
    ikatan = pd.DataFrame({
        "dari": np.concatenate([id_desa[pemilik], id_desa[ks[:, 0]], id_m[im]]),
        "ke": np.concatenate([id_l, id_desa[ks[:, 1]], np.where(il >= 0, id_l[np.maximum(il, 0)], id_desa[iv])]),
        "jenis": np.concatenate([np.full(len(id_l), "anggota", dtype=object),
                                 np.full(len(ks), "kerja_sama_antardesa", dtype=object), ik]),
        "tahun": np.concatenate([tahun_l, ks[:, 2], it]).astype(np.int16),
    })

    indikator = _indikator_jaringan(w.penduduk, pemilik, tahun_l, ks, im * n + iv, it)
    return _Jaringan(simpul, ikatan, indikator)

"""A tiny hand-made dataset whose answers are known: province 97 with 2 kabupaten, 3 kecamatan, 8 villages.

Villages are unit squares (degrees) on a grid; kecamatan and kabupaten are their unions.
"""

from __future__ import annotations

import pandas as pd
import shapely

# kode, nama, x, y, penduduk, iks(2023), iks(2024)
VILLAGES = [
    ("97.01.01.2001", "Alfa", 0, 0, 1000, 0.45, 0.50),
    ("97.01.01.2002", "Bravo", 1, 0, 3000, 0.60, 0.65),
    ("97.01.01.1003", "Charlie", 2, 0, 2000, None, None),  # kelurahan: no IDM value
    ("97.01.02.2001", "Delta", 0, 1, 1500, 0.72, 0.75),
    ("97.01.02.2002", "Echo <b>", 1, 1, 2500, 0.80, 0.85),
    ("97.71.01.2001", "Foxtrot", 3, 0, 1000, 0.40, 0.40),
    ("97.71.01.2002", "Golf", 3, 1, 1000, 0.90, 0.92),
    ("97.71.01.2003", "Hotel", 2, 1, 1000, 0.55, 0.60),
]
NAMES = {"97": "Nusa Uji", "97.01": "Kabupaten Uji", "97.71": "Kota Uji", "97.01.01": "Satu",
         "97.01.02": "Dua", "97.71.01": "Tiga"}
JENIS = {1: "provinsi", 3: "kecamatan"}


def _row(kode, level, nama, geom, penduduk, jenis):
    parts = kode.split(".")
    return {
        "kode": kode, "level": level, "nama": nama,
        "kode_induk": ".".join(parts[:-1]) or None,
        "kode_prov": parts[0], "kode_kab": ".".join(parts[:2]) if level >= 2 else None,
        "kode_kec": ".".join(parts[:3]) if level >= 3 else None,
        "jenis": jenis, "luas_km2": float(shapely.area(geom)) * 12000.0, "penduduk": penduduk,
        "lon": shapely.point_on_surface(geom).x, "lat": shapely.point_on_surface(geom).y,
        "geom": geom, "geom_display": geom,
    }


def tiny_dataset() -> dict:
    rows = []
    geoms: dict[str, list] = {}
    pops: dict[str, int] = {}
    for kode, nama, x, y, pop, *_ in VILLAGES:
        g = shapely.box(100 + x, -12 + y, 101 + x, -11 + y)
        jenis = "kelurahan" if kode.split(".")[3].startswith("1") else "desa"
        rows.append(_row(kode, 4, nama, g, pop, jenis))
        parts = kode.split(".")
        for lv in (1, 2, 3):
            key = ".".join(parts[:lv])
            geoms.setdefault(key, []).append(g)
            pops[key] = pops.get(key, 0) + pop
    for key, gs in geoms.items():
        lv = key.count(".") + 1
        jenis = JENIS.get(lv) or ("kota" if key.split(".")[1].startswith("7") else "kabupaten")
        rows.append(_row(key, lv, NAMES[key], shapely.union_all(gs), pops[key], jenis))
    regions = pd.DataFrame(rows)
    vals = []
    for kode, _n, _x, _y, _p, iks23, iks24 in VILLAGES:
        for tahun, iks in ((2023, iks23), (2024, iks24)):
            if iks is None:
                continue
            vals.append((kode, tahun, "iks", iks, None))
            vals.append((kode, tahun, "idm", iks, None))
            from sinergi.catalog import status_idm

            vals.append((kode, tahun, "status_idm", float(status_idm(iks)), None))
        vals.append((kode, 2024, "pendidikan_sma_pct", 30.0 + 5 * len(vals) % 40, None))
    nilai = pd.DataFrame(vals, columns=["kode", "tahun", "indikator", "nilai", "flag"])
    program = pd.DataFrame(
        [("97.01.01.2001", 2024, "Kemensos", "Desa Berketahanan Sosial"),
         ("97.01.01.2001", 2024, "BRIN", "Desa Inovasi"),
         ("97.71.01.2002", 2024, "Kemenkes", "Posyandu Prima")],
        columns=["kode_desa", "tahun", "kementerian", "program"],
    )
    simpul = pd.DataFrame(
        [("desa:97.01.01.2001", "desa", "desa", "Alfa", "97.01.01.2001"),
         ("desa:97.01.01.2002", "desa", "desa", "Bravo", "97.01.01.2002"),
         ("lembaga:97.01.01.2001:1", "lembaga", "karang_taruna", "Karang Taruna Alfa", "97.01.01.2001"),
         ("mitra:1", "mitra", "perguruan_tinggi", "Universitas Uji", None)],
        columns=["id", "tipe", "jenis", "nama", "kode_desa"],
    )
    ikatan = pd.DataFrame(
        [("desa:97.01.01.2001", "lembaga:97.01.01.2001:1", "anggota", 2024),
         ("desa:97.01.01.2001", "desa:97.01.01.2002", "kerja_sama_antardesa", 2024),
         ("lembaga:97.01.01.2001:1", "mitra:1", "kemitraan", 2024)],
        columns=["dari", "ke", "jenis", "tahun"],
    )
    dataset = {"id": "uji", "nama": "Dataset uji", "sumber": "tests/fixtures.py", "lisensi": "CC0",
               "tahun": "2023–2024", "demo": True, "catatan": "kecil"}
    return dict(regions=regions, nilai=nilai, program=program, simpul=simpul, ikatan=ikatan, dataset=dataset)


# A restricted dataset for the sign-in tests: the tiny dataset under names only it holds ("Zeta"), with its
# geometry moved east by ZETA_SHIFT degrees, so its coordinates (x = 123.4567…) are found only if it leaks.
ZETA = "Zeta"
ZETA_NAME = "Bansos Rahasia Zeta"
ZETA_SHIFT = 23.4567


def tiny_restricted_dataset() -> dict:
    from shapely import affinity

    d = tiny_dataset()
    regions = d["regions"].copy()
    regions["nama"] = ZETA + " " + regions["nama"]
    for col in ("geom", "geom_display"):
        regions[col] = [affinity.translate(g, ZETA_SHIFT, 0) for g in regions[col]]
    regions["lon"] = regions["lon"] + ZETA_SHIFT
    simpul = d["simpul"].assign(nama=ZETA + " " + d["simpul"]["nama"])
    dataset = {**d["dataset"], "id": "bansos", "nama": ZETA_NAME, "sumber": f"{ZETA} internal", "demo": False}
    return {**d, "regions": regions, "simpul": simpul, "dataset": dataset}

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


def grid_dataset(cols: int = 48, rows: int = 45) -> dict:
    """A province of ``cols`` x ``rows`` square villages (0.02 degrees), 6 columns per kecamatan and 4
    kecamatan per kabupaten: with the defaults 2,160 villages, enough for its national village map to be
    drawn from vector tiles (``sinergi.explore.TILES_FROM``). Village ``97.KK.CC.2RRR`` is named
    ``Desa <col>-<row>``; its IKS is a known function of its place (every 37th has none)."""
    villages = []
    for col in range(cols):
        kab, kec = col // 24 + 1, (col % 24) // 6 + 1
        for row in range(rows):
            kode = f"97.{kab:02d}.{kec:02d}.{2001 + (col % 6) * rows + row}"
            villages.append((kode, f"Desa {col}-{row}", col, row))
    regions, geoms = [], {}
    for kode, nama, col, row in villages:
        g = shapely.box(110 + 0.02 * col, -7 + 0.02 * row, 110.02 + 0.02 * col, -6.98 + 0.02 * row)
        regions.append(_row(kode, 4, nama, g, 1000 + col + row, "desa"))
        parts = kode.split(".")
        for lv in (1, 2, 3):
            geoms.setdefault(".".join(parts[:lv]), []).append(g)
    for key, gs in geoms.items():
        lv = key.count(".") + 1
        nama = {1: "Nusa Grid", 2: f"Kabupaten Grid {key[-2:]}", 3: f"Kecamatan {key[-5:]}"}[lv]
        regions.append(_row(key, lv, nama, shapely.union_all(gs), 1000 * len(gs), JENIS.get(lv, "kabupaten")))
    from sinergi.catalog import status_idm

    vals = []
    for i, (kode, _n, col, row) in enumerate(villages):
        if i % 37 == 0:
            continue
        for tahun, shift in ((2023, 0.0), (2024, 0.05)):
            iks = round(min(0.99, 0.3 + 0.6 * ((col * 7 + row * 13) % 100) / 100 + shift), 4)
            vals += [(kode, tahun, "iks", iks, None), (kode, tahun, "idm", iks, None),
                     (kode, tahun, "status_idm", float(status_idm(iks)), None)]
    nilai = pd.DataFrame(vals, columns=["kode", "tahun", "indikator", "nilai", "flag"])
    dataset = {"id": "grid", "nama": "Dataset uji (kisi)", "sumber": "tests/fixtures.py", "lisensi": "CC0",
               "tahun": "2023–2024", "demo": True, "catatan": "kisi"}
    return dict(regions=pd.DataFrame(regions), nilai=nilai, dataset=dataset)
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


def one_kabupaten_dataset() -> dict:
    """The tiny dataset cut to its kabupaten 97.01 (province 97 with one kabupaten, 2 kecamatan, 5 villages)."""
    d = tiny_dataset()
    keep = lambda kode: kode == "97" or kode.startswith("97.01")  # noqa: E731
    regions = d["regions"][d["regions"]["kode"].map(keep)].reset_index(drop=True)
    out = dict(d)
    out["simpul"] = d["simpul"][d["simpul"]["kode_desa"].map(lambda k: not isinstance(k, str) or keep(k))]
    out["nilai"] = d["nilai"][d["nilai"]["kode"].map(keep)].reset_index(drop=True)
    out["program"] = d["program"][d["program"]["kode_desa"].map(keep)].reset_index(drop=True)
    return {**out, "regions": regions,
            "dataset": {**d["dataset"], "id": "satu_kab", "nama": "Dataset uji (satu kabupaten)"}}


def two_province_dataset() -> dict:
    """The tiny dataset and a copy of it as province 98 ("Nusa Dua"), two degrees east: several provinces, so
    pages open on Indonesia as on the national demo."""
    from shapely import affinity

    d = tiny_dataset()
    twin = d["regions"].copy()
    twin["kode"] = "98" + twin["kode"].str[2:]
    for col in ("kode_induk", "kode_prov", "kode_kab", "kode_kec"):
        twin[col] = twin[col].map(lambda k: "98" + k[2:] if isinstance(k, str) else None)
    twin.loc[twin["level"] == 1, "nama"] = "Nusa Dua"
    for col in ("geom", "geom_display"):
        twin[col] = [affinity.translate(g, 6, 0) for g in twin[col]]
    twin["lon"] = twin["lon"] + 6
    nilai = d["nilai"].assign(kode="98" + d["nilai"]["kode"].str[2:])
    program = d["program"].assign(kode_desa="98" + d["program"]["kode_desa"].str[2:])
    return {**d,
            "regions": pd.concat([d["regions"], twin], ignore_index=True),
            "nilai": pd.concat([d["nilai"], nilai], ignore_index=True),
            "program": pd.concat([d["program"], program], ignore_index=True),
            "dataset": {**d["dataset"], "id": "dua_prov", "nama": "Dataset uji (dua provinsi)"}}

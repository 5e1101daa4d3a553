"""Geometry of the demo: islands, cities on the coast, kabupaten, kecamatan and village polygons.

Geometry is built top-down for membership and bottom-up for shape: kabupaten seeds give Voronoi
cells clipped to the island (kota are small coastal blobs), kecamatan seeds give Voronoi cells
clipped to the kabupaten, and village seeds are drawn inside each kecamatan. The village polygons
are then the Voronoi cells of *all* village seeds of the province (one diagram, so neighbours share
exactly the same edges even across kecamatan and kabupaten lines), clipped to the coastline,
densified, bent by a smooth one-to-one displacement field (natural-looking boundaries) and rounded
to a 1e-6° grid, every step a function of the coordinates alone so the villages stay a valid
coverage. Kecamatan, kabupaten and province polygons are coverage unions of their villages, so
villages tile their kecamatan exactly and areas add up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import shapely

from sinergi.demo.common import Ukuran, bagi_proporsional, pembangkit
from sinergi.demo.names import buat_nama_provinsi

_KM_PER_DERAJAT_LAT = 110.57


def _km_per_derajat_lon(lat: float) -> float:
    return 111.32 * np.cos(np.radians(lat))


def _bentuk_pulau(rng: np.random.Generator, n_titik: int = 480, kasar: float = 0.55) -> np.ndarray:
    """A star-shaped ring (n, 2) with a natural-looking coast, area 1, centred on the origin.

    The radius is exp(low-frequency + fractal noise) of the angle, so it is always positive and the
    polygon is simple; a random stretch and rotation make it less round.
    """
    th = np.linspace(0.0, 2 * np.pi, n_titik, endpoint=False)
    k = np.arange(2, 72)
    amp = kasar * k ** -1.35 / np.sqrt(2)
    a, b = rng.normal(size=(2, len(k))) * amp
    log_r = a @ np.cos(np.outer(k, th)) + b @ np.sin(np.outer(k, th))
    r = np.exp(log_r - log_r.mean())
    regang, putar = rng.uniform(1.0, 1.7), rng.uniform(0, np.pi)
    x, y = r * np.cos(th) * regang, r * np.sin(th) / regang
    x, y = x * np.cos(putar) - y * np.sin(putar), x * np.sin(putar) + y * np.cos(putar)
    luas = 0.5 * np.abs(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1)))
    return np.column_stack([x, y]) / np.sqrt(luas)


def _ke_derajat(xy_km: np.ndarray, lon0: float, lat0: float) -> np.ndarray:
    return np.column_stack([lon0 + xy_km[:, 0] / _km_per_derajat_lon(lat0), lat0 + xy_km[:, 1] / _KM_PER_DERAJAT_LAT])


def _pulau_provinsi(rng: np.random.Generator, pusat: tuple[float, float], luas_km2: float,
                    jangkauan_deg: float) -> tuple[shapely.Geometry, shapely.Polygon]:
    """The province's land: a main island and 0-2 smaller islands (lon/lat). Returns (land, main island)."""
    n_satelit = int(rng.choice(3, p=[0.4, 0.35, 0.25]))
    bagian = rng.uniform(0.04, 0.12, n_satelit)
    luas_utama = luas_km2 * (1 - bagian.sum())
    utama = _bentuk_pulau(rng) * np.sqrt(luas_utama)
    cincin = [utama]
    jari_utama = np.hypot(*utama.T).max()
    for f in bagian:
        sat = _bentuk_pulau(rng, 240, 0.6) * np.sqrt(luas_km2 * f)
        arah = rng.uniform(0, 2 * np.pi)
        jarak = jari_utama + np.hypot(*sat.T).max() + rng.uniform(8, 30)
        cincin.append(sat + jarak * np.array([np.cos(arah), np.sin(arah)]))
    lon0, lat0 = pusat
    cincin = [_ke_derajat(c, lon0, lat0) for c in cincin]
    jangkauan = max(np.hypot(c[:, 0] - lon0, c[:, 1] - lat0).max() for c in cincin)
    skala = min(1.0, jangkauan_deg / jangkauan)
    cincin = [np.round(np.array(pusat) + (c - np.array(pusat)) * skala, 7) for c in cincin]
    pulau = [shapely.Polygon(c) for c in cincin]
    daratan = shapely.union_all(shapely.make_valid(np.array(pulau, dtype=object)))
    return daratan, pulau[0]


def _acak_dalam(rng: np.random.Generator, wilayah: shapely.Geometry, n: int,
                bobot: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None) -> np.ndarray:
    """``n`` random points (n, 2) inside ``wilayah``, with density ∝ ``bobot(lon, lat)`` (values in 0..1)."""
    if n and not wilayah.area > 0:
        raise ValueError("wilayah tanpa luas")
    shapely.prepare(wilayah)
    minx, miny, maxx, maxy = wilayah.bounds
    isi = max(wilayah.area / max((maxx - minx) * (maxy - miny), 1e-12), 0.02)
    hasil, dapat = [], 0
    while dapat < n:
        m = int(2 * (n - dapat) / isi) + 16
        x, y, u = rng.uniform(minx, maxx, m), rng.uniform(miny, maxy, m), rng.random(m)
        ok = shapely.contains_xy(wilayah, x, y)
        if bobot is not None:
            ok[ok] = u[ok] < bobot(x[ok], y[ok])
        hasil.append(np.column_stack([x[ok], y[ok]]))
        dapat += int(ok.sum())
    return np.concatenate(hasil)[:n]


def _voronoi(titik: np.ndarray, wilayah: shapely.Geometry) -> np.ndarray:
    """Voronoi cells of ``titik`` (n, 2), in input order, clipped to ``wilayah``.

    Cells lying wholly inside ``wilayah`` are returned untouched, so cells keep the exact shared
    vertices computed by the Voronoi builder.
    """
    if len(titik) == 1:
        return np.array([wilayah], dtype=object)
    minx, miny, maxx, maxy = wilayah.bounds
    bingkai = shapely.box(minx - 1, miny - 1, maxx + 1, maxy + 1)
    sel = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(titik), extend_to=bingkai, ordered=True))
    if len(sel) != len(titik):
        raise ValueError("titik Voronoi kembar")
    shapely.prepare(wilayah)
    luar = ~shapely.contains(wilayah, sel)
    sel[luar] = shapely.intersection(sel[luar], wilayah)
    return sel


@dataclass(frozen=True)
class Lekuk:
    """A smooth displacement field (sum of sinusoids, degrees) that bends straight Voronoi edges.

    Each wave adds at most 0.1 to the gradient of each displacement component (0.7 in all), so the
    displacement is a contraction (norm < 0.99) and x + d(x) is one-to-one: the planar topology of
    the coverage is kept.
    """

    arah_x: np.ndarray
    arah_y: np.ndarray
    panjang: np.ndarray      # wavelengths (degrees)
    fase_x: np.ndarray
    fase_y: np.ndarray

    @classmethod
    def acak(cls, rng: np.random.Generator) -> "Lekuk":
        panjang = np.array([0.012, 0.02, 0.035, 0.06, 0.1, 0.2, 0.4])
        k = len(panjang)
        return cls(rng.uniform(0, np.pi, k), rng.uniform(0, np.pi, k), panjang, rng.uniform(0, 2 * np.pi, k),
                   rng.uniform(0, 2 * np.pi, k))

    def __call__(self, xy: np.ndarray) -> np.ndarray:
        amp = 0.1 * self.panjang / (2 * np.pi)  # each wave adds at most 0.1 to the slope
        x, y = xy[:, :1], xy[:, 1:2]
        gx = 2 * np.pi * (x * np.cos(self.arah_x) + y * np.sin(self.arah_x)) / self.panjang + self.fase_x
        gy = 2 * np.pi * (x * np.cos(self.arah_y) + y * np.sin(self.arah_y)) / self.panjang + self.fase_y
        return xy + np.column_stack([(amp * np.sin(gx)).sum(axis=1), (amp * np.sin(gy)).sum(axis=1)])


def _rapatkan(xy: np.ndarray, cincin: np.ndarray, langkah: float) -> tuple[np.ndarray, np.ndarray]:
    """Add vertices so no segment is longer than ``langkah`` (ragged ring arrays in, out).

    Points on a segment are computed from its lexicographically smaller end, so a shared edge gets
    bit-identical new vertices in both polygons whichever way their rings run.
    """
    akhir = cincin[1:] - 1                       # index of each ring's closing vertex
    seg = np.ones(len(xy), bool)
    seg[akhir] = False
    i = np.flatnonzero(seg)
    p, q = xy[i], xy[i + 1]
    n = np.maximum(np.ceil(np.hypot(*(q - p).T) / langkah), 1).astype(np.int64)
    p_dasar = (p[:, 0] < q[:, 0]) | ((p[:, 0] == q[:, 0]) & (p[:, 1] < q[:, 1]))
    dasar, ujung = np.where(p_dasar[:, None], p, q), np.where(p_dasar[:, None], q, p)
    s = np.repeat(np.arange(len(i)), n)
    k = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)           # 0..n-1 along the segment
    langkah_ke = np.where(p_dasar[s], k, n[s] - k)                      # steps from the smaller end
    titik = dasar[s] + (ujung[s] - dasar[s]) * (langkah_ke / n[s])[:, None]
    titik[k == 0] = p[s[k == 0]]                                        # original vertices stay exact
    # Re-insert each ring's closing vertex after its last segment.
    cincin_seg = np.searchsorted(cincin, i, side="right") - 1
    per_cincin = np.bincount(cincin_seg, weights=n, minlength=len(cincin) - 1).astype(np.int64) + 1
    baru = np.r_[0, np.cumsum(per_cincin)]
    hasil = np.empty((baru[-1], 2))
    isi = np.ones(baru[-1], bool)
    isi[baru[1:] - 1] = False
    hasil[isi] = titik
    hasil[baru[1:] - 1] = xy[akhir]
    return hasil, baru


def _lekukkan(sel: np.ndarray, lekuk: Lekuk, langkah: float = 0.002, grid: float = 1e-6) -> np.ndarray:
    """Densify polygons canonically, bend them with ``lekuk`` and round to ``grid`` (degrees).

    Every step is a function of the coordinates alone, so shared edges stay identical and the
    result is still a coverage. Returns Polygons (MultiPolygons where a cell has several parts).
    """
    jenis, xy, offset = shapely.to_ragged_array(sel)   # Polygon or (mixed) MultiPolygon arrays
    xy, cincin = _rapatkan(xy, offset[0], langkah)
    xy = np.round(lekuk(xy) / grid) * grid
    hasil = shapely.from_ragged_array(jenis, xy, (cincin, *offset[1:]))
    if jenis == shapely.GeometryType.MULTIPOLYGON:
        tunggal = shapely.get_num_geometries(hasil) == 1
        hasil[tunggal] = shapely.get_geometry(hasil[tunggal], 0)
    rusak = ~shapely.is_valid(hasil)
    if rusak.any():  # rounding folded a tiny feature: repair just those cells
        hasil[rusak] = shapely.set_precision(hasil[rusak], grid)
    return hasil


def _titik_pusat(sel: np.ndarray, wilayah) -> np.ndarray:
    """Centroids of cells, or a point on the surface where the centroid falls outside ``wilayah``."""
    c = shapely.get_coordinates(shapely.centroid(sel))
    luar = ~shapely.contains_xy(wilayah, c[:, 0], c[:, 1])
    if luar.any():
        c[luar] = shapely.get_coordinates(shapely.point_on_surface(sel[luar]))
    return c


def _lloyd(titik: np.ndarray, wilayah: shapely.Geometry, iterasi: int) -> np.ndarray:
    """Move points towards the centroids of their Voronoi cells (evens out the cells)."""
    for _ in range(iterasi):
        if len(titik) < 2:
            break
        titik = _titik_pusat(_voronoi(titik, wilayah), wilayah)
    return titik


def jarak_km(x: np.ndarray, y: np.ndarray, target: shapely.Geometry) -> np.ndarray:
    """Approximate distance in km from points to a geometry (degrees × 111 km)."""
    return shapely.distance(shapely.points(x, y), target) * 111.0


@dataclass
class _RencanaProv:
    """How many kabupaten/kota, kecamatan and villages a province gets."""

    kode: str
    nama: str
    pusat: tuple[float, float]
    kota: np.ndarray                 # bool per kab (kabupaten first, then kota)
    desa_per_kec: list[np.ndarray]   # per kab: village count of each kecamatan


@dataclass
class _ProvGeo:
    """Geometry of one province before codes are assigned (all indices local to the province)."""

    daratan: shapely.Geometry
    kab_titik: np.ndarray     # (n_kab, 2) seat of the kabupaten/kota
    kec_kab: np.ndarray       # kab of each kecamatan
    kec_titik: np.ndarray     # (n_kec, 2) seed
    desa_kec: np.ndarray      # kecamatan of each village
    desa_geom: np.ndarray     # village polygons (grid 1e-6°)
    desa_kelurahan: np.ndarray
    kota_titik: np.ndarray    # (n_kota, 2) city centres


def rencanakan(ukuran: Ukuran, seed: int) -> list[_RencanaProv]:
    rng = pembangkit(seed, "rencana")
    n_prov = len(ukuran.provinsi)
    if ukuran.kab_per_prov is not None:
        n_kab = rng.integers(ukuran.kab_per_prov[0], ukuran.kab_per_prov[1] + 1, n_prov)
    else:
        n_kab = 5 + bagi_proporsional(ukuran.kab_total - 5 * n_prov, rng.gamma(2.0, 1.0, n_prov))
    if ukuran.kota_per_prov is not None:
        n_kota = rng.integers(ukuran.kota_per_prov[0], ukuran.kota_per_prov[1] + 1, n_prov)
    else:
        n_kota = np.clip(np.round(0.19 * n_kab), 1, 9).astype(int)
    nama = list(ukuran.nama_provinsi) if ukuran.nama_provinsi else buat_nama_provinsi(pembangkit(seed, "nama-prov"), n_prov)
    rencana = []
    for p in range(n_prov):
        kota = np.r_[np.zeros(n_kab[p] - n_kota[p], bool), np.ones(n_kota[p], bool)]
        desa = []
        for is_kota in kota:
            lo, hi = ukuran.kec_per_kota if is_kota else ukuran.kec_per_kab
            dlo, dhi = ukuran.desa_per_kec_kota if is_kota else ukuran.desa_per_kec
            desa.append(rng.integers(dlo, dhi + 1, int(rng.integers(lo, hi + 1))))
        rencana.append(_RencanaProv(ukuran.provinsi[p], nama[p], ukuran.pusat[p], kota, desa))
    return rencana


def _kota_di_pantai(rng: np.random.Generator, utama: shapely.Polygon, bebas: shapely.Geometry, luas_km2: float,
                    kota_lain: np.ndarray) -> tuple[shapely.Geometry, np.ndarray]:
    """A city: a small noisy blob on the coast of the main island, away from the other cities.

    ``bebas`` is the land not yet taken by other cities, ``kota_lain`` (m, 2) their centres.
    Returns (area, centre).
    """
    cincin = np.asarray(utama.exterior.coords)[:-1]
    pusat_pulau = np.asarray(utama.centroid.coords[0])
    calon = rng.integers(0, len(cincin), 16)
    if len(kota_lain):  # try the coast points farthest from the other cities first
        jarak = np.hypot(cincin[calon, None, 0] - kota_lain[:, 0], cincin[calon, None, 1] - kota_lain[:, 1])
        calon = calon[np.argsort(-jarak.min(axis=1), kind="stable")]
    blob_km = _bentuk_pulau(rng, 160, 0.35) * np.sqrt(luas_km2 / 0.75)
    jari_deg = np.hypot(*blob_km.T).max() / 111.0
    for i in calon:
        arah = pusat_pulau - cincin[i]
        pusat = cincin[i] + arah / np.hypot(*arah) * 0.35 * jari_deg
        blob = shapely.Polygon(_ke_derajat(blob_km, pusat[0], float(cincin[i, 1])))
        kota = shapely.intersection(blob, bebas)
        if shapely.area(kota) > 0.5 * shapely.area(shapely.intersection(blob, utama)):
            break
    if not shapely.contains_xy(kota, *pusat):
        pusat = np.asarray(shapely.point_on_surface(kota).coords[0])
    return kota, pusat


def bangun_provinsi(rencana: _RencanaProv, ukuran: Ukuran, seed: int, lekuk: Lekuk) -> _ProvGeo:
    """Build one province: island, kota, kabupaten, kecamatan and village polygons."""
    rng = pembangkit(seed, "geo", rencana.kode)
    n_desa_kota = [int(d.sum()) for d, k in zip(rencana.desa_per_kec, rencana.kota) if k]
    n_desa_kab = sum(int(d.sum()) for d, k in zip(rencana.desa_per_kec, rencana.kota) if not k)
    luas = n_desa_kab * ukuran.luas_desa_km2 + sum(n_desa_kota) * ukuran.luas_kota_km2
    daratan, utama = _pulau_provinsi(rng, rencana.pusat, luas, ukuran.jangkauan_deg)
    pantai = shapely.boundary(daratan)
    shapely.prepare(pantai)

    # Cities on the coast, then kabupaten as Voronoi cells of the rest of the land.
    kota_geom, kota_titik = [], np.empty((0, 2))
    sisa = daratan
    for n in n_desa_kota:
        g, c = _kota_di_pantai(rng, utama, sisa, n * ukuran.luas_kota_km2, kota_titik)
        kota_geom.append(g)
        kota_titik = np.vstack([kota_titik, c])
        sisa = shapely.difference(sisa, g)
    n_kabupaten = int((~rencana.kota).sum())
    kab_titik = _lloyd(_acak_dalam(rng, sisa, n_kabupaten), sisa, 3)
    kab_geom = list(_voronoi(kab_titik, sisa)) + kota_geom
    kab_titik = np.vstack([kab_titik, kota_titik])

    semua_kota = shapely.multipoints(kota_titik)

    def bobot_kec(x: np.ndarray, y: np.ndarray) -> np.ndarray:  # denser near the city and the coast
        return (0.25 + 0.45 * np.exp(-jarak_km(x, y, pantai) / 12.0)
                + 0.6 * np.exp(-jarak_km(x, y, semua_kota) / 25.0)) / 1.3

    kec_kab, kec_titik, kec_geom, kec_ibukota = [], [], [], []
    for k, (g, n_desa) in enumerate(zip(kab_geom, rencana.desa_per_kec)):
        titik = _lloyd(_acak_dalam(rng, g, len(n_desa), bobot_kec), g, 1)
        sel = _voronoi(titik, g)
        kec_kab += [k] * len(titik)
        kec_titik.append(titik)
        kec_geom += list(sel)
        ibukota = np.zeros(len(titik), bool)
        ibukota[np.argmin(np.hypot(*(titik - kab_titik[k]).T))] = not rencana.kota[k]
        kec_ibukota.append(ibukota)
    kec_kab, kec_titik = np.array(kec_kab), np.vstack(kec_titik)
    kec_geom, kec_ibukota = np.array(kec_geom, dtype=object), np.concatenate(kec_ibukota)
    n_desa = np.concatenate(rencana.desa_per_kec)

    # Village seeds inside their kecamatan, one Lloyd step that keeps each seed in its kecamatan.
    desa_kec = np.repeat(np.arange(len(kec_geom)), n_desa)
    titik = np.vstack([_acak_dalam(rng, g, int(n)) for g, n in zip(kec_geom, n_desa)])
    baru = _titik_pusat(_voronoi(titik, daratan), daratan)
    tetap = shapely.contains_xy(kec_geom[desa_kec], baru[:, 0], baru[:, 1])
    titik[tetap] = baru[tetap]
    desa_geom = _lekukkan(_voronoi(titik, daratan), lekuk)

    # Kelurahan: almost all villages of a kota, and about half of the kabupaten seat's kecamatan.
    di_kota = rencana.kota[kec_kab[desa_kec]]
    p_kel = np.where(di_kota, 0.95, np.where(kec_ibukota[desa_kec], 0.55, 0.0))
    kelurahan = rng.random(len(desa_kec)) < p_kel
    return _ProvGeo(daratan, kab_titik, kec_kab, kec_titik, desa_kec, desa_geom, kelurahan, kota_titik)

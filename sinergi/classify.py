"""Class breaks, palettes and legends for choropleth maps.

Colours are ColorBrewer schemes that stay readable for colour-blind viewers. Each palette is listed
from the *alarming* end to the *good* end; the indicator's direction decides which end of the value
range is alarming, so "worse" is always the alarming colour.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from branca.utilities import color_brewer

from sinergi import catalog
from sinergi.i18n import fmt_num

METODE = ("status", "kuantil", "interval", "jenks")
METODE_LABEL = {
    "status": ("Status resmi IDM", "Official IDM status"),
    "kuantil": ("Kuantil", "Quantiles"),
    "interval": ("Interval sama", "Equal intervals"),
    "jenks": ("Natural breaks (Fisher-Jenks)", "Natural breaks (Fisher-Jenks)"),
}
K_MIN, K_MAX = 3, 7
# The "status" method for an indicator whose owner gave official class breaks (not the IDM classes).
KELAS_RESMI_LABEL = ("Kelas resmi", "Official classes")


def metode_label(metode: str, ind: catalog.Indikator | None, lang: str = "id") -> str:
    """The method's name for ``ind``: "status" is the IDM status for the IDM family, the official classes
    given by the owner for an indicator with class breaks."""
    if metode == "status" and ind is not None and ind.kelas_batas and ind.kelas_resmi != "idm":
        return KELAS_RESMI_LABEL[lang == "en"]
    return METODE_LABEL[metode][lang == "en"]

# name -> (ColorBrewer scheme, reverse?) so that the list runs alarming -> good.
PALET: dict[str, tuple[str, bool]] = {
    "RdYlBu": ("RdYlBu", False),  # red (alarming) ... blue (good); colour-blind safe diverging
    "PuOr": ("PuOr", True),  # orange (alarming) ... purple (good)
    "OrRd": ("OrRd", True),  # dark red (alarming) ... pale (good); sequential
    "YlGnBu": ("YlGnBu", False),  # pale yellow (alarming) ... dark blue (good); sequential
    "BrBG": ("BrBG", False),  # brown (alarming) ... teal (good)
}
# Names for the palette picker, alarming end first (Indonesian, English).
PALET_LABEL: dict[str, tuple[str, str]] = {
    "RdYlBu": ("Merah–kuning–biru", "Red–yellow–blue"),
    "PuOr": ("Jingga–ungu", "Orange–purple"),
    "OrRd": ("Merah tua–pucat (berurutan)", "Dark red–pale (sequential)"),
    "YlGnBu": ("Kuning–hijau–biru (berurutan)", "Yellow–green–blue (sequential)"),
    "BrBG": ("Cokelat–hijau kebiruan", "Brown–teal"),
}
DEFAULT_PALET = "RdYlBu"
NO_DATA_COLOR = "#b0b0b0"
STATUS_COLORS = ("#d7191c", "#fdae61", "#ffffbf", "#abd9e9", "#2c7bb6")  # RdYlBu-5, alarming -> good
# Capacity × resilience quadrants at the medians (sinergi.themes.quadrants): low-low is the alarming one.
QUADRANTS = ("rendah_rendah", "rendah_tinggi", "tinggi_rendah", "tinggi_tinggi")
QUADRANT_COLORS = {"rendah_rendah": "#d7191c", "rendah_tinggi": "#fdae61", "tinggi_rendah": "#abd9e9",
                   "tinggi_tinggi": "#2c7bb6"}


def colors(palet: str, k: int, arah: int) -> list[str]:
    """``k`` colours ordered from the lowest-value class to the highest for direction ``arah``."""
    if palet not in PALET:
        raise ValueError(f"Palet tidak dikenal: {palet!r}")
    scheme, rev = PALET[palet]
    cols = list(color_brewer(scheme, k))[:k]
    if rev:
        cols = cols[::-1]
    # cols now run alarming -> good; for "higher is better" low values are alarming.
    return cols if arah > 0 else cols[::-1]


@dataclass
class Legend:
    metode: str
    lower: list[float]  # inclusive lower edge of each class (first = minimum)
    upper: list[float]  # inclusive upper edge of each class
    colors: list[str]
    labels: list[str]
    counts: list[int]
    n_missing: int
    no_data_color: str = NO_DATA_COLOR
    names: list[str] = field(default_factory=list)  # class names where they exist (IDM status)

    @property
    def k(self) -> int:
        return len(self.colors)


def jenks_breaks(v: np.ndarray, k: int, max_n: int = 1000) -> np.ndarray:
    """Fisher-Jenks natural breaks: upper bounds of ``k`` classes minimising within-class variance.

    Exact dynamic programme on the sorted values; above ``max_n`` values it runs on ``max_n``
    evenly spaced quantiles (deterministic, unlike random sampling, so a link always shows the same map).
    """
    x = np.sort(np.asarray(v, dtype=float))
    if len(x) > max_n:
        x = np.quantile(x, np.linspace(0, 1, max_n))
    n = len(x)
    s1 = np.concatenate([[0.0], np.cumsum(x)])
    s2 = np.concatenate([[0.0], np.cumsum(x * x)])
    # cost[i, j]: squared deviations of x[i..j]
    i = np.arange(n)[:, None]
    j = np.arange(n)[None, :]
    cnt = np.maximum(j - i + 1, 1)
    cost = s2[j + 1] - s2[i] - (s1[j + 1] - s1[i]) ** 2 / cnt
    cost = np.where(j >= i, np.maximum(cost, 0.0), np.inf)
    best = cost[0].copy()  # one class covering x[0..j]
    back = np.zeros((k, n), dtype=int)
    for c in range(1, k):
        # last class starts at i (>= c): best[i-1] + cost[i, j]
        total = np.full((n, n), np.inf)
        total[1:, :] = best[:-1, None] + cost[1:, :]
        total[:c, :] = np.inf
        back[c] = np.argmin(total, axis=0)
        best = total[back[c], np.arange(n)]
    bounds = [x[-1]]
    j = n - 1
    for c in range(k - 1, 0, -1):
        start = back[c, j]
        bounds.append(x[start - 1])
        j = start - 1
    return np.array(bounds[::-1])


def _breaks(v: np.ndarray, metode: str, k: int) -> np.ndarray:
    """Upper bounds of at most ``k`` classes for finite values ``v`` (last bound = max)."""
    distinct = np.unique(v)
    if len(distinct) <= k:
        return distinct
    if metode == "kuantil":
        b = np.quantile(v, np.linspace(0, 1, k + 1)[1:], method="linear")
    elif metode == "interval":
        b = np.linspace(v.min(), v.max(), k + 1)[1:]
    elif metode == "jenks":
        b = jenks_breaks(v, k)
    else:
        raise ValueError(f"Metode klasifikasi tidak dikenal: {metode!r}")
    b = np.asarray(b, dtype=float)
    b[-1] = v.max()
    return np.unique(b)  # ties (many equal values) collapse to fewer classes


def classify(
    values, indikator_id: str, metode: str = "kuantil", k: int = 5, palet: str = DEFAULT_PALET,
    lang: str = "id",
) -> tuple[np.ndarray, Legend]:
    """Class index per value (-1 for no data) and the legend.

    ``metode='status'`` uses the official IDM classes and is only allowed for IDM-family indices.
    """
    ind = catalog.get(indikator_id)
    v = np.asarray(values, dtype=float)
    finite = np.isfinite(v)
    cls = np.full(v.shape, -1, dtype=int)
    dec = ind.desimal
    if metode == "status":
        if ind.id == "status_idm":
            cls[finite] = np.clip(np.rint(v[finite]).astype(int), 1, 5) - 1
            lower = [1, 2, 3, 4, 5]
            upper = [1, 2, 3, 4, 5]
        elif ind.kelas_resmi == "idm":
            cls[finite] = np.searchsorted(np.array(catalog.IDM_BATAS), v[finite], side="left")
            lower = [0.0, *[b + 0.0001 for b in catalog.IDM_BATAS]]
            upper = [*catalog.IDM_BATAS, 1.0]
        elif ind.kelas_batas:
            return _kelas_resmi(v, finite, ind, palet, lang)
        else:
            raise ValueError(f"Status resmi IDM tidak berlaku untuk {ind.nama(lang)}.")
        names = [catalog.nama_status(i, lang) for i in range(1, 6)]
        cols = list(STATUS_COLORS) if ind.arah > 0 else list(STATUS_COLORS[::-1])
        labels = names if ind.id == "status_idm" else [
            f"{n} ({fmt_num(lo, 4, lang)}–{fmt_num(up, 4, lang)})" for n, lo, up in zip(names, lower, upper)
        ]
        counts = [int((cls == i).sum()) for i in range(5)]
        return cls, Legend("status", lower, upper, cols, labels, counts, int((~finite).sum()), names=names)

    if not K_MIN <= k <= K_MAX:
        raise ValueError(f"Jumlah kelas harus {K_MIN}–{K_MAX}.")
    if not finite.any():
        return cls, Legend(metode, [], [], [], [], [], int((~finite).sum()))
    fv = v[finite]
    upper = _breaks(fv, metode, k)
    cls[finite] = np.minimum(np.searchsorted(upper, fv, side="left"), len(upper) - 1)
    lower = [float(fv.min())] + [float(u) for u in upper[:-1]]
    cols = colors(palet, max(len(upper), 3), ind.arah)
    if len(upper) < 3:  # fewer distinct values than classes: take spread-out colours
        idx = np.linspace(0, 2, len(upper)).round().astype(int)
        cols = [cols[i] for i in idx]
    labels = []
    for i, (lo, up) in enumerate(zip(lower, upper)):
        sep = "–" if i == 0 else "> "
        labels.append(
            f"{fmt_num(lo, dec, lang)}–{fmt_num(up, dec, lang)}" if i == 0
            else f"{sep}{fmt_num(lo, dec, lang)}–{fmt_num(up, dec, lang)}"
        )
    counts = [int((cls == i).sum()) for i in range(len(upper))]
    return cls, Legend(metode, lower, [float(u) for u in upper], cols[: len(upper)], labels, counts,
                       int((~finite).sum()))


def _kelas_resmi(v: np.ndarray, finite: np.ndarray, ind: catalog.Indikator, palet: str, lang: str
                 ) -> tuple[np.ndarray, Legend]:
    """Classes from the official breaks an indicator's owner gave (upper bounds, inclusive):
    ``≤ b1``, ``b1–b2`` (above b1 up to b2) … ``> bn``."""
    b = np.asarray(ind.kelas_batas, dtype=float)
    k = len(b) + 1
    cls = np.full(v.shape, -1, dtype=int)
    cls[finite] = np.searchsorted(b, v[finite], side="left")
    dec = ind.desimal
    f = lambda x: fmt_num(float(x), dec, lang)  # noqa: E731
    labels = [f"≤ {f(b[0])}", *[f"> {f(lo)}–{f(up)}" for lo, up in zip(b[:-1], b[1:])], f"> {f(b[-1])}"]
    cols = colors(palet, max(k, 3), ind.arah)
    if k < 3:
        cols = [cols[0], cols[-1]]
    fv = v[finite]
    lower = [float(fv.min()) if len(fv) else float("nan"), *[float(x) for x in b]]
    upper = [*[float(x) for x in b], float(fv.max()) if len(fv) else float("nan")]
    counts = [int((cls == i).sum()) for i in range(k)]
    return cls, Legend("status", lower, upper, cols[:k], labels, counts, int((~finite).sum()), names=labels)

"""Chart exports keep every text inside the picture at any title, source and label length (issue 16).

Each figure is exported as SVG exactly as the download does (``export.figure_image``: kaleido and Debian's
Chromium), then drawn in Chromium, where every text element's box is measured against the picture's.
"""

from __future__ import annotations

import pandas as pd
import pytest

from sinergi import charts, export

TITLE = "Indeks Ketahanan Sosial desa dan kelurahan di seluruh Provinsi Jawa Barat menurut status IDM 2024 " * 2
SOURCE = "Sumber: Kementerian Desa, Pembangunan Daerah Tertinggal dan Transmigrasi; BPS · Lisensi: CC BY 4.0 " * 2
LONG = "Kabupaten Kepulauan Bangka Belitung Selatan Raya "

FIGURES = {
    "status_bars": lambda: charts.status_bars(pd.DataFrame({"status": [1, 2, 3, 4, 5], "n": [12_345, 23_456, 34_567,
                                                                                            4_567, 567]}),
                                              "id", title=TITLE, source=SOURCE),
    "hbars": lambda: charts.hbars([f"{LONG}{i}" for i in range(8)], list(range(8)), "Jumlah desa dengan program",
                                  "id", title=TITLE, source=SOURCE),
    "trend_lines": lambda: charts.trend_lines(
        pd.DataFrame({"tahun": [2022, 2023, 2024] * 3, "indikator": ["iks"] * 3 + ["idm"] * 3 + ["iks_kesehatan"] * 3,
                      "nilai": [.5, .6, .7, .4, .5, .6, .3, .4, .5]}),
        "en", title=TITLE, source=SOURCE, y_title="Index value (0–1), higher is better"),
    "compare_bars": lambda: charts.compare_bars(
        pd.DataFrame({"wilayah": [f"{LONG}{i}" for i in (1, 1, 2, 2, 3, 3)],
                      "nama": ["Indeks Ketahanan Sosial (IKS)", "Indeks Desa Membangun (IDM)"] * 3,
                      "persentil": [10, 90, 50, 40, 70, 20]}), "id", title=TITLE, source=SOURCE),
}

MEASURE = """() => {
  const svg = document.querySelector('svg'); const r = svg.getBoundingClientRect(); const out = [];
  for (const t of svg.querySelectorAll('text')) {
    const b = t.getBoundingClientRect();
    if (!t.textContent.trim() || b.width === 0) continue;
    if (b.left < r.left - 0.5 || b.top < r.top - 0.5 || b.right > r.right + 0.5 || b.bottom > r.bottom + 0.5)
      out.push(t.textContent.slice(0, 80));
  }
  return out;
}"""


def test_the_measure_sees_text_past_the_edge(page):
    page.set_content('<html><body style="margin:0"><svg width="200" height="100">'
                     '<text x="150" y="50" font-size="20">Sangat Tertinggal</text></svg></body></html>')
    assert page.evaluate(MEASURE) == ["Sangat Tertinggal"]


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_chart_export_keeps_its_text_inside(page, name):
    if not export.chart_export_available():
        pytest.skip("chart export needs /usr/bin/chromium")
    svg = export.figure_image(FIGURES[name](), "svg").decode("utf-8")
    page.set_content(f'<html><body style="margin:0">{svg}</body></html>')
    assert page.evaluate(MEASURE) == []

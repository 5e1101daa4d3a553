"""Exports read back: the map PNG (size, colours of the classes, areas), GeoJSON (features, properties,
valid geometry), XLSX and CSV (header, numeric rows, no formula injection), chart PNG/SVG through the
local Chromium, the slide-pack PDF, and which map a saved view shows.

Known answers (tests/fixtures.py): 8 unit-square villages; IKS 2024 — Foxtrot .40 Sangat Tertinggal,
Alfa .50 Tertinggal, Bravo .65 and Hotel .60 Berkembang, Delta .75 Maju, Echo .85 and Golf .92 Mandiri,
Charlie (kelurahan) no data.
"""

import io
import json
import re

import numpy as np
import pandas as pd
import pytest
import shapely
from openpyxl import load_workbook
from PIL import Image

from sinergi import catalog, charts, classify, db, export, i18n


@pytest.fixture(scope="module")
def picture(tiny_con) -> export.MapPicture:
    vals = db.run_query(tiny_con, "region_values", indikator="iks", tahun=2024, level=4, induk="")
    geo = db.run_query(tiny_con, "region_geometry", level=4, induk="")
    cls, legend = classify.classify(vals["nilai"].to_numpy(float), "iks", "status")
    table = vals.assign(c=cls, kelas=[legend.labels[c] if c >= 0 else "Tidak ada data" for c in cls])
    return export.MapPicture(table, geo, legend, "IKS desa 2024", "IKS (indeks 0–1)", "Sumber: uji · Lisensi: CC0")


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return tuple(int(h[i:i + 2], 16) for i in (0, 2, 4))


def _colours(img: np.ndarray) -> int:
    """How many distinct RGB colours the picture has (each packed into one integer: ``np.unique`` of the rows
    of a 3.7-megapixel picture with ``axis=0`` takes ~7 s of CPU, of integers ~0.2 s)."""
    rgb = img[:, :, :3].astype(np.uint32)
    return len(np.unique((rgb[:, :, 0] << 16) | (rgb[:, :, 1] << 8) | rgb[:, :, 2]))


def _count(img: np.ndarray, hex_colour: str) -> int:
    return int((img[:, :, :3] == np.array(_rgb(hex_colour))).all(axis=2).sum())


def test_map_png_is_high_resolution_with_every_class_colour(picture):
    png = export.map_png(picture, "id", dpi=200, date="2025-01-31")
    im = Image.open(io.BytesIO(png))
    assert im.format == "PNG" and im.size == (2560, 1440)  # 12.8 × 7.2 in at 200 dpi (16:9)
    px = np.asarray(im.convert("RGB"))
    assert _colours(px) > 50  # not blank
    for colour in classify.STATUS_COLORS:  # the five IDM status colours, on the map and in the legend
        assert _count(px, colour) > 500, colour
    assert _count(px, classify.NO_DATA_COLOR) > 500  # Charlie, hatched grey
    assert _count(px, export.SEA_COLOR) > 10_000


def test_map_png_colours_regions_by_class(picture):
    px = np.asarray(Image.open(io.BytesIO(export.map_png(picture, dpi=100))).convert("RGB"))
    mandiri = _count(px, classify.STATUS_COLORS[4])  # Echo and Golf
    sangat = _count(px, classify.STATUS_COLORS[0])  # Foxtrot only
    # two equal squares against one (legend swatches add the same small area to both)
    assert 1.6 < mandiri / sangat < 2.2


def test_map_png_without_any_value_is_all_no_data(picture):
    empty = picture.table.assign(c=-1)
    pic = export.MapPicture(empty, picture.geo, picture.legend, "x", "y", "z")
    px = np.asarray(Image.open(io.BytesIO(export.map_png(pic, dpi=80))).convert("RGB"))
    assert _count(px, classify.STATUS_COLORS[4]) < _count(
        np.asarray(Image.open(io.BytesIO(export.map_png(picture, dpi=80))).convert("RGB")), classify.STATUS_COLORS[4])


def test_geojson_has_every_region_its_value_and_valid_geometry(picture):
    doc = json.loads(export.regions_geojson(picture.table, picture.geo, "iks", 2024, "indeks 0–1"))
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 8
    by = {f["properties"]["kode"]: f for f in doc["features"]}
    assert by["97.71.01.2002"]["properties"] == {"kode": "97.71.01.2002", "nama": "Golf", "indikator": "iks",
                                                 "tahun": 2024, "nilai": pytest.approx(0.92),
                                                 "satuan": "indeks 0–1", "kelas": "Mandiri (0,8156–1,0000)"}
    assert by["97.01.01.1003"]["properties"]["nilai"] is None  # the kelurahan: no data, not zero
    for f in doc["features"]:
        g = shapely.geometry.shape(f["geometry"])
        assert g.is_valid and g.area == pytest.approx(1.0)  # unit squares, lon/lat degrees (WGS84)
        assert 100 <= g.bounds[0] and g.bounds[2] <= 104 and -12 <= g.bounds[1] and g.bounds[3] <= -10


def test_xlsx_reads_back_with_header_numbers_and_no_formulas():
    frame = pd.DataFrame({"Kode": ["97.01", "97.71"], "Nama": ["=HYPERLINK(\"x\")", "Kota Uji"],
                          "IKS": [0.7125, np.nan], "Desa": [5, 3]})
    wb = load_workbook(io.BytesIO(export.table_xlsx(frame, sheet="iks/2024", title="IKS 2024", source="Sumber: uji")))
    ws = wb.active
    assert ws.title == "iks2024"  # "/" is not allowed in sheet names
    assert ws["A1"].value == "IKS 2024" and ws["A2"].value == "Sumber: uji"
    assert [c.value for c in ws[4]] == ["Kode", "Nama", "IKS", "Desa"]
    assert [c.value for c in ws[5]] == ["97.01", "'=HYPERLINK(\"x\")", 0.7125, 5]
    assert ws["C5"].data_type == "n" and ws["D6"].value == 3 and ws["C6"].value is None
    assert ws.freeze_panes == "A5"


def test_csv_keeps_numbers_numeric_with_bom():
    raw = export.table_csv(pd.DataFrame({"Nama": ["Alfa"], "IKS": [0.5]}))
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").splitlines() == ["Nama,IKS", "Alfa,0.5"]


needs_chromium = pytest.mark.skipif(not export.chart_export_available(),
                                    reason="chart export needs Debian's /usr/bin/chromium (apt-get install chromium)")


@needs_chromium
def test_chart_png_and_svg_through_local_chromium():
    counts = pd.DataFrame({"status": [1, 3, 5], "n": [1, 2, 2]})
    fig = charts.status_bars(counts, "id", title="Desa menurut status IDM 2024", source="Sumber: uji")
    png = export.figure_image(fig, "png", width=800, height=450, scale=2)
    im = Image.open(io.BytesIO(png))
    assert im.size == (1600, 900)
    px = np.asarray(im.convert("RGB"))
    assert _count(px, classify.STATUS_COLORS[0]) > 1000 and _count(px, classify.STATUS_COLORS[4]) > 1000
    svg = export.figure_image(fig, "svg", width=800, height=450).decode("utf-8")
    assert svg.startswith("<svg") and "Desa menurut status IDM 2024" in svg and "Sumber: uji" in svg


def test_chart_export_refuses_unknown_format():
    with pytest.raises(export.ExportError, match="png atau svg"):
        export.figure_image(charts.status_bars(pd.DataFrame({"status": [1], "n": [1]})), "gif")


def test_slide_pack_has_a_cover_and_one_page_per_view(picture):
    slides = [export.Slide("IKS desa", "Catatan rapat", "ketahanan?ind=iks", picture),
              export.Slide("Bandingkan", "", "bandingkan?kode=97.01,97.71")]
    pdf = export.slide_pack_pdf(slides, "id", "Sumber: uji", "Rapat koordinasi")
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 3


# --- which map a saved view shows --------------------------------------------------------------------

AVAILABLE = {"iks", "idm", "status_idm", "pendidikan_sma_pct"}


def _years(ind: str) -> list[int]:
    return [2023, 2024] if ind != "pendidikan_sma_pct" else [2024]


@pytest.mark.parametrize("page, params, expected", [
    ("beranda", {}, ("iks", 2024, 1, "", "status")),
    ("beranda", {"ind": "pendidikan_sma_pct", "wil": "97"}, ("pendidikan_sma_pct", 2024, 1, "", "kuantil")),
    ("ketahanan", {"wil": "97.71", "tahun": "2023"}, ("iks", 2023, 3, "97.71", "status")),
    ("ketahanan", {"wil": "97.71", "tingkat": "4"}, ("iks", 2024, 4, "97.71", "status")),
    ("ketahanan", {"wil": "97.71", "tingkat": "1", "tahun": "1999"}, ("iks", 2024, 3, "97.71", "status")),
    ("sdm", {"wil": "97"}, ("pendidikan_sma_pct", 2024, 3, "97", "kuantil")),
    ("peta", {"ind": "idm", "wilayah": "97", "tingkat": "2", "kelas": "jenks", "k": "4"}, ("idm", 2024, 2, "97", "jenks")),
    ("peta", {"ind": "pendidikan_sma_pct", "kelas": "status"}, ("pendidikan_sma_pct", 2024, 1, "", "kuantil")),
    ("jaringan", {"ind": "tidak_ada"}, None),  # its default indicator is not in this dataset
])
def test_view_map_spec_follows_the_pages_defaults(page, params, expected):
    spec = export.view_map_spec(page, params, AVAILABLE, _years)
    got = None if spec is None else (spec.indikator, spec.tahun, spec.level, spec.induk, spec.metode)
    assert got == expected


def test_views_without_a_map_get_a_text_slide():
    assert export.view_map_spec("bandingkan", {"kode": "97.01,97.71"}, AVAILABLE, _years) is None
    assert export.view_map_spec("profil", {"kode": "97.01"}, AVAILABLE, _years) is None


# --- numbers in displayed tables ---------------------------------------------------------------------

def test_display_frame_formats_numbers_per_language_and_leaves_years():
    frame = pd.DataFrame({"Nama": ["a", "b"], "IKS": [0.5, 1234.25], "Tahun": [2024, 2023],
                          "Penduduk": [1200, 3], "Ada": [True, False]})
    shown_id, config = i18n.display_frame(frame, "id")
    assert shown_id["IKS"].tolist() == ["0,50", "1.234,25"] and shown_id["Penduduk"].tolist() == ["1.200", "3"]
    assert shown_id["Tahun"].tolist() == [2024, 2023] and shown_id["Ada"].tolist() == [True, False]
    assert config == {"IKS": {"alignment": "right"}, "Penduduk": {"alignment": "right"}}
    shown_en, _ = i18n.display_frame(frame, "en")
    assert shown_en["IKS"].tolist() == ["0.50", "1,234.25"] and shown_en["Penduduk"].tolist() == ["1,200", "3"]
    assert frame["IKS"].tolist() == [0.5, 1234.25]  # the numeric frame (for downloads) is untouched


def test_display_frame_is_fmt_num_of_every_cell():
    """Formatting once per distinct value gives each cell the text fmt_num gives it, missing, signed zero
    and infinity included, with the fewest decimals that show every stored value."""
    rng = np.random.default_rng(7)
    counts = rng.integers(0, 6, 2000)
    shares = np.where(rng.random(2000) < 0.1, np.nan, rng.uniform(-50, 5000, 2000).round(2))
    frame = pd.DataFrame({"n": counts, "share": shares, "odd": np.resize([0.0, -0.0, np.inf, -1.5, np.nan], 2000),
                          "nullable": pd.array(np.resize([1, None, 12000], 2000), dtype="Int64")})
    for lang in ("id", "en"):
        shown, _ = i18n.display_frame(frame, lang)
        for col, dec in (("n", 0), ("share", 2), ("odd", 4), ("nullable", 0)):  # inf: no exact decimals
            want = [i18n.fmt_num(None if pd.isna(v) else float(v), dec, lang) for v in frame[col]]
            assert shown[col].tolist() == want, col
    assert i18n.display_frame(frame, "id")[0]["odd"].tolist()[:5] == ["0,0000", "-0,0000", "∞", "-1,5000", "–"]


def test_catalog_names_and_descriptions_exist_in_both_languages():
    for ind in catalog.INDIKATOR:
        assert ind.nama("id") and ind.nama("en") and ind.deskripsi("id") and ind.deskripsi("en"), ind.id


def test_map_png_is_the_same_when_made_in_parallel(picture):
    """Downloads run in Streamlit threads, several at once: no shared drawing state between them."""
    from concurrent.futures import ThreadPoolExecutor

    ref = export.map_png(picture, dpi=50, date="2025-01-31")
    with ThreadPoolExecutor(4) as pool:
        outs = list(pool.map(lambda _: export.map_png(picture, dpi=50, date="2025-01-31"), range(6)))
    assert all(o == ref for o in outs)


def test_csv_text_never_becomes_a_spreadsheet_formula():
    raw = export.table_csv(pd.DataFrame({"Nama": ['=HYPERLINK("http://x","klik")', "+1+1", "@SUM(A1)", "-x", "\tx",
                                                  "Alfa", "-0.5"], "IKS": [0.5, -0.25, 1, 2, 3, 4, 5]}))
    lines = raw.decode("utf-8-sig").splitlines()[1:]
    assert [line.rsplit(",", 1)[0] for line in lines] == [
        '"\'=HYPERLINK(""http://x"",""klik"")"', "'+1+1", "'@SUM(A1)", "'-x", "'\tx", "Alfa", "-0.5"]
    assert [line.rsplit(",", 1)[1] for line in lines][:2] == ["0.5", "-0.25"]  # numbers untouched


# --- every text inside the picture (issue 16: a long legend was cut at the PNG's right edge) -------------

LONG_LABELS = ["Sangat Tertinggal (0,0000–0,4907)", "Tertinggal (0,4908–0,5989)", "Berkembang (0,5990–0,7072)",
               "Maju (0,7073–0,8155)", "Mandiri (0,8156–1,0000)"]


def _long_picture(picture, k: int = 5) -> export.MapPicture:
    legend = classify.Legend("status", [0.0] * k, [1.0] * k, list(classify.STATUS_COLORS[:k]),
                             [f"{lab} — Provinsi Kepulauan Bangka Belitung bagian selatan" for lab in LONG_LABELS[:k]],
                             [123_456] * k, 98_765)
    title = "Indeks Ketahanan Sosial desa dan kelurahan di seluruh Provinsi Jawa Barat menurut status IDM " * 3
    return export.MapPicture(picture.table, picture.geo, legend, title,
                             "Indeks Ketahanan Sosial (IKS), skala 0–1, makin tinggi makin baik, " * 4,
                             "Sumber: Kementerian Desa, Pembangunan Daerah Tertinggal dan Transmigrasi · " * 4,
                             subtitle="Tahun 2024 · klasifikasi resmi IDM · kabupaten dan kota " * 5)


def test_the_text_check_sees_text_past_the_edge():
    from matplotlib.figure import Figure

    fig = Figure(figsize=export.SLIDE_SIZE)
    fig.text(0.9, 0.5, "Sangat Tertinggal (0,0000–0,4907)  (0)", fontsize=export.FONT_PT)
    assert export.texts_outside(fig) == ["Sangat Tertinggal (0,0000–0,4907)  (0)"]


def test_map_picture_keeps_the_real_legend_inside(picture):
    legend = classify.Legend("status", [0.0] * 5, [1.0] * 5, list(classify.STATUS_COLORS), LONG_LABELS,
                             [0, 3_412, 1_234, 567, 89], 0)
    pic = export.MapPicture(picture.table, picture.geo, legend, "IDM desa Jawa Barat 2024",
                            "Indeks Desa Membangun (IDM)", "Sumber: Kemendesa PDTT · Lisensi: data terbuka")
    fig = export.map_figure(pic, "id", date="2025-01-31")
    assert export.texts_outside(fig) == []
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels[0].replace("\n", " ") == "Sangat Tertinggal (0,0000–0,4907) (0)" or "0,4907" in labels[0]


@pytest.mark.parametrize("k", [1, 5])
def test_map_picture_fits_any_title_legend_note_and_source(picture, k):
    pic = _long_picture(picture, k)
    note = "Catatan panjang untuk rapat lintas kementerian tentang desa prioritas dan program yang belum hadir. " * 6
    fig = export.map_figure(pic, "id", note=note + "\n\nBuka tampilan: http://127.0.0.1:8501/peta?" + "x" * 300,
                            date="2025-01-31")
    assert export.texts_outside(fig) == []
    sizes = [t.get_fontsize() for t in fig.texts] + [t.get_fontsize() for t in fig.legends[0].get_texts()]
    assert min(sizes) >= export.MIN_FONT_PT
    shown = " ".join(" ".join(t.get_text().split()) for t in fig.texts)
    assert "Sumber: Kementerian Desa" in shown and "2025-01-31" in shown  # wrapped, never dropped
    png = export.map_png(pic, "id", dpi=60, date="2025-01-31")
    assert Image.open(io.BytesIO(png)).size == (768, 432)


def test_slide_pages_fit_any_title_note_and_link(picture):
    slide = export.Slide("Desa prioritas lintas kementerian di Provinsi Nusa Tenggara Timur tahun 2024 " * 4,
                         "Catatan rapat: " + "program perlindungan sosial belum menjangkau desa ini; " * 20,
                         "http://127.0.0.1:8501/sinergi?" + "&".join(f"p{i}=nilai{i}" for i in range(60)))
    assert export.texts_outside(export.text_figure(slide, "id", "Sumber: " + "data terbuka · " * 30)) == []
    pdf = export.slide_pack_pdf([slide, export.Slide("Peta", "", "http://x", _long_picture(picture))], "id", "S")
    assert pdf.startswith(b"%PDF")


# --- the grid view in exports ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def grid_picture(tiny_con, picture) -> export.MapPicture:
    """The tiny fixture's villages as Peta's grid view draws them (sinergi/gridmap.py)."""
    from sinergi import gridmap

    squares = gridmap.grid_frame(db.run_query(tiny_con, "region_points", level=4, induk=""))
    return export.MapPicture(picture.table, squares, picture.legend, picture.title, picture.legend_title,
                             picture.source, grid=True)


def test_grid_picture_draws_the_squares_on_white_with_the_same_legend(grid_picture, picture):
    px = np.asarray(Image.open(io.BytesIO(export.map_png(grid_picture, dpi=100))).convert("RGB"))
    assert _count(px, export.SEA_COLOR) == 0  # squares are not land: no sea drawn around them
    geo_px = np.asarray(Image.open(io.BytesIO(export.map_png(picture, dpi=100))).convert("RGB"))
    assert _count(geo_px, export.SEA_COLOR) > 10_000
    for colour in classify.STATUS_COLORS:  # every class, as on the geographic map
        assert _count(px, colour) > 100, colour
    # eight equal squares: Mandiri (Echo, Golf) covers twice Sangat Tertinggal (Foxtrot), legend swatches aside
    assert 1.6 < _count(px, classify.STATUS_COLORS[4]) / _count(px, classify.STATUS_COLORS[0]) < 2.2


@pytest.mark.parametrize("lang", ["id", "en"])
def test_grid_picture_says_what_the_squares_are_inside_the_picture(grid_picture, lang):
    fig = export.map_figure(grid_picture, lang, note="Catatan rapat " * 30, date="2025-01-31")
    shown = " ".join(" ".join(t.get_text().split()) for t in fig.texts)
    assert " ".join(i18n.t("pt_grid_note", lang).split()) in shown and "Catatan rapat" in shown
    assert export.texts_outside(fig) == []


HOME = ("97", 4)  # a one-province dataset's first view (explore.home_view): its villages


@pytest.mark.parametrize("page, params, expected", [
    ("ketahanan", {}, ("iks", 2024, 4, "97", False)),  # a bare view opens where the page opens
    ("ketahanan", {"wil": "semua"}, ("iks", 2024, 2, "", False)),  # the whole dataset, asked for
    ("ketahanan", {"wil": "97", "tingkat": "2"}, ("iks", 2024, 2, "97", False)),
    ("sdm", {"wil": "97.71"}, ("pendidikan_sma_pct", 2024, 4, "97.71", False)),
    ("beranda", {}, ("iks", 2024, 4, "97", False)),
    ("peta", {}, ("iks", 2024, 4, "97", False)),
    ("peta", {"tingkat": "1"}, ("iks", 2024, 1, "", False)),  # Indonesia, asked for
    ("peta", {"wilayah": "97", "tingkat": "4", "tampilan": "kisi"}, ("iks", 2024, 4, "97", True)),
])
def test_view_map_spec_opens_on_the_datasets_first_view_and_keeps_the_grid(page, params, expected):
    spec = export.view_map_spec(page, params, AVAILABLE, _years, HOME)
    assert (spec.indikator, spec.tahun, spec.level, spec.induk, spec.grid) == expected


def test_matplotlib_is_imported_only_when_a_picture_is_drawn():
    """Every page's export menu imports sinergi.export; matplotlib (~0.8 s to import) waits for a picture."""
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys; import sinergi.export as e; print('matplotlib' in sys.modules); "
            "e.text_figure(e.Slide('Judul', '', 'http://x'), 'id', 'Sumber'); print('matplotlib' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[1], capture_output=True,
                         text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == ["False", "True"]

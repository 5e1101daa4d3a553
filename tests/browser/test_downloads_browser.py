"""A table's CSV, made only when clicked (tests/test_downloads.py), still arrives whole in a real
browser: the map explorer's "Ekspor" menu hands over the regions shown with their values."""

import csv
import io
from pathlib import Path

from tests.browser.conftest import map_frame

VIEW = "/peta?ind=iks&tahun=2024&tingkat=4&wilayah=97.01.01"


def test_map_table_csv_is_made_on_click_and_downloads(server, page):
    page.goto(server.url + VIEW)
    map_frame(page)  # the page has run and drawn: the menu below the map stays where it is
    page.get_by_role("button", name="Ekspor").click()
    with page.expect_download(timeout=60000) as dl:
        page.get_by_role("button", name="Unduh CSV").click()
    download = dl.value
    assert download.suggested_filename == "peta_iks_2024_97.01.01_4.csv"
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for spreadsheet programs
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert sorted(r["Nama"] for r in rows) == ["Alfa", "Bravo", "Charlie"]  # kecamatan Satu's villages
    assert all(r["Kode"].startswith("97.01.01.") for r in rows)
    assert page.external == [], f"requests left the machine: {page.external}"

"""Every page registered in app.py runs without an exception, in both languages, on the tiny dataset."""

import re
from pathlib import Path

import pytest
from apptest import open_page

ROOT = Path(__file__).resolve().parents[1]
REGISTERED = re.findall(r'st\.Page\(\s*"(pages/[a-z_]+\.py)"', (ROOT / "app.py").read_text(encoding="utf-8"))


def test_every_page_file_is_registered():
    files = sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))
    assert sorted(REGISTERED) == files


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("page", REGISTERED)
def test_page_runs(tiny_data_dir, page, lang):
    at = open_page(page, {"lang": "en"} if lang == "en" else None, timeout=90)  # fails on an exception
    shown = "\n".join(m.value for m in at.markdown)
    assert ("DEMO DATA" if lang == "en" else "DATA DEMO") in shown, "the demo label shows on every page"

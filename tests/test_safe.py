"""sinergi.safe: each escaper makes hostile text inert for its interpretation and keeps it readable."""

import html
import re
from pathlib import Path

import pytest
from hostile import PAYLOADS

from sinergi import safe

HOSTILE = [*PAYLOADS.values(), "' or 1=1 --", "97'); drop table regions; --", "a\nb\n\n# c\n===", "\x00\x1b[31m",
           "ꦱ\u202e\ufeff𝔘", "&amp; &#60; &lt;"]
MD_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:&=")


@pytest.mark.parametrize("text", HOSTILE)
def test_md_leaves_no_markdown_character_unescaped(text):
    out = safe.md(text)
    i = 0
    while i < len(out):  # every special character is preceded by its backslash
        if out[i] == "\\":
            assert i + 1 < len(out) and out[i + 1] in MD_SPECIAL, out
            i += 2
            continue
        assert out[i] not in MD_SPECIAL, (out, i)
        i += 1
    # what the reader sees: the text itself (escapes and invisible joiners aside)
    assert re.sub(r"\\(.)", r"\1", out).replace(safe.WORD_JOINER, "") == text


def test_md_breaks_emoji_and_icon_shortcodes_but_not_ordinary_colons():
    assert safe.md(":material/home: :smile:") == "\\:\u2060material/home\\: \\:\u2060smile\\:"
    assert safe.md("Catatan: ok") == "Catatan\\: ok"


@pytest.mark.parametrize("text", HOSTILE)
def test_html_text_is_markup_free_and_reads_back_the_same(text):
    out = safe.html_text(text)
    assert not set(out) & set("<>\"'`*_[]():$/")  # neither HTML nor anything Streamlit's Markdown pass reads
    assert html.unescape(out) == text


def test_plotly_escapes_tags_and_entities_but_not_quotes():
    assert safe.plotly('<b>x</b> "q" &lt;') == '&lt;b&gt;x&lt;/b&gt; "q" &amp;lt;'  # plotly has no &quot;
    assert safe.plotly(None) == ""


@pytest.mark.parametrize(("name", "expected"), [
    ("../../../tmp/evil.csv", "tmp_evil.csv"),
    ("..\\..\\x.csv", "x.csv"),
    ("/etc/passwd", "etc_passwd"),
    ("C:\\Windows\\system32", "C_Windows_system32"),
    ("a\x00b.csv", "a_b.csv"),
    ('Kab. "Uji" / Kota\'s', "Kab._Uji_Kota_s"),
    ("Sleman/..Yogyakarta", "Sleman_Yogyakarta"),
    ("...", "_"), ("", "_"), (".hidden", "hidden"),
])
def test_file_part_neutralises_paths(name, expected):
    assert safe.file_part(name) == expected


@pytest.mark.parametrize("text", [*HOSTILE, "../" * 50 + "x", "é" * 500])
def test_file_part_stays_inside_its_folder(text, tmp_path):
    part = safe.file_part(text)
    assert 1 <= len(part) <= 100 and "/" not in part and "\\" not in part and ".." not in part
    assert not part.startswith(".")
    assert (tmp_path / part).resolve().parent == tmp_path.resolve()
    Path(tmp_path / f"{part}.csv").write_text("x")  # a real file name on this system

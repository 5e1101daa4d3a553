"""Text from data or users made inert for the place it is shown: one helper per interpretation.

Region, institution, partner, ministry and programme names, dataset metadata, file names and columns from
uploads, agenda titles and notes, search text: all of it is data, never markup. Streamlit interprets
several kinds of text, each in its own way, so each has its escaper here and nowhere else:

- :func:`md` — Markdown: ``st.markdown``/``caption``/headings/alerts without HTML, and every widget label,
  help text, button, expander and tab label, radio option (Streamlit renders these as Markdown, with LaTeX
  ``$…$``, ``:red[…]`` directives and ``:material/…:`` icons on top).
- :func:`html_text` — HTML: ``st.html``, ``st.markdown(…, unsafe_allow_html=True)``, iframe documents.
- :func:`plotly` — plotly text (titles, annotations, tick and legend labels, hover text): plotly renders a
  subset of HTML tags (``<b>``, ``<a href>``, ``<br>``) and entities there.
- :func:`file_part` — a piece of a download or export file name built from data (a region or agenda
  name): no path separators, no ``..``, no quotes or control characters.

Text that Streamlit shows as plain text (``st.dataframe`` cells, select/multiselect options, ``st.code``,
``st.text``) and map tooltips (built with ``textContent`` in :mod:`sinergi.maps`) need no escaping.
"""

from __future__ import annotations

import html
import re
import unicodedata

# Every ASCII punctuation character CommonMark or Streamlit's Markdown gives a meaning to; each may be
# backslash-escaped. "&" stops entities (``&lt;`` would show as "<"), "=" setext headings, "$" LaTeX,
# ":" directives, emoji and icons, "<" HTML and autolinks, "|" tables, "~" strikethrough.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=])")


# Streamlit turns ":name:" emoji shortcodes and ":material/name:" icons into pictures after the Markdown
# is parsed (on the text, where "\:" is already ":"), so an escape alone does not stop them: an invisible
# WORD JOINER after a colon that a shortcode could start with does.
_SHORTCODE = re.compile(r"(\\:)(?=[\w/+\-])")
WORD_JOINER = "\u2060"


def md(text: object) -> str:
    """``text`` made inert for Streamlit Markdown: every Markdown character is backslash-escaped, so a
    region named ``[x](javascript:…)``, ``**x**`` or ``$x$`` shows exactly those characters; a colon that
    could start an emoji or icon shortcode is followed by an invisible word joiner."""
    return _SHORTCODE.sub(r"\1" + WORD_JOINER, _MD_SPECIAL.sub(r"\\\1", str(text)))


# HTML's own specials, then every character Streamlit's Markdown pass would still act on inside an HTML
# block (it rewrites ":material/…:" icons even there): all become numeric character references, which
# the browser shows as the characters themselves.
_HTML_SPECIAL = {c: f"&#{ord(c)};" for c in "\\`*_{}[]()#+-.!|<>~$:&=/\"'"}


def html_text(text: object) -> str:
    """``text`` made inert for HTML (element content and quoted attribute values), also when the HTML
    is passed through ``st.markdown(…, unsafe_allow_html=True)``."""
    return "".join(_HTML_SPECIAL.get(c, c) for c in str(text))


def plotly(text: object) -> str:
    """``text`` made inert for plotly's text rendering (tags and entities shown as typed); '' for None.

    Quotes stay as they are: plotly has no ``&quot;`` entity (it would show as typed), and with "<" escaped
    no tag, hence no attribute, can start."""
    return html.escape(str(text), quote=False) if text is not None else ""


_UNSAFE_FILE = re.compile(r"[^\w.\-]+")


def file_part(text: object, limit: int = 100) -> str:
    """A piece of a file name from data: letters, digits, ``_``, ``-`` and single dots only.

    Path separators (``/``, ``\\``), ``..``, quotes, control characters and spaces become ``_``; leading
    dots are dropped (no hidden files, no parent folders); the result is at most ``limit`` characters and
    never empty (``_``). Accented letters are kept as their base letter, so "Sleman/..Yogyakarta" stays
    recognisable as ``Sleman_Yogyakarta``.
    """
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    out = _UNSAFE_FILE.sub("_", plain)
    out = re.sub(r"\.{2,}", "_", out).strip("._-")
    out = re.sub(r"_{2,}", "_", out)[:limit].strip("._-")
    return out or "_"

"""Checks that hostile text (tests/hostile.py) reaches a Streamlit page only in its inert, escaped form.

Every string of every element and block an ``AppTest`` run produced is classified by how the browser
interprets it — Markdown (labels, help, captions, headings, alerts, radio options), HTML (``st.html``,
HTML-enabled Markdown, iframe documents), plotly text, a map component's document, or plain text (select
options, code, table cells) — and a payload found there must be in the escaped form that interpretation
shows as the literal characters. A string with a payload in a field not classified here is reported too,
so a new kind of element cannot slip through unexamined.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from urllib.parse import quote_plus

from google.protobuf.json_format import MessageToDict
from hostile import PAYLOADS, SCRIPTED, marker

from sinergi import safe, themes

_MARKERS = {n: marker(n) for n in PAYLOADS}
_ANY_MARKER = re.compile(r"P\d\d")

# proto class -> {field: interpretation}; widgets' labels and help are Markdown unless listed here
_FIELDS: dict[str, dict[str, str]] = {
    "Markdown": {"body": "md", "help": "md"},
    "Heading": {"body": "md", "help": "md", "anchor": "plain"},
    "Alert": {"body": "md"},
    "Toast": {"body": "md"},
    "Metric": {"label": "md", "help": "md", "body": "md", "delta": "md"},
    "Html": {"body": "html"},
    "IFrame": {"srcdoc": "html", "src": "url"},
    "PlotlyChart": {"spec": "plotly"},
    "ComponentInstance": {"json_args": "component", "special_args": "component"},
    "Code": {"code_text": "plain", "language": "plain"},
    "Selectbox": {"options": "plain", "raw_value": "plain", "default": "plain", "placeholder": "plain"},
    "MultiSelect": {"options": "plain", "raw_values": "plain", "default": "plain", "placeholder": "plain"},
    "TextInput": {"value": "plain", "default": "plain", "placeholder": "plain"},
    "TextArea": {"value": "plain", "default": "plain", "placeholder": "plain"},
    "Radio": {"options": "md", "captions": "md"},
    "Dataframe": {"columns": "plain", "column_order": "plain"},
    "Block": {"label": "md", "help": "md", "default_tab_label": "md"},
    "Expandable": {"label": "md"},
}
_WIDGET_MD = {"label", "help"}  # every widget: its label and help are Markdown
_SKIP = {"id", "form_id", "key", "element_type", "query_param_key", "url", "page_script_hash", "icon",
         "component_name", "type", "mime", "file_name", "deferred_file_id"}


def _strings(d: object, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(d, dict):
        for k, v in d.items():
            yield from _strings(v, f"{path}.{k}" if path else k)
    elif isinstance(d, list):
        for v in d:
            yield from _strings(v, path)
    elif isinstance(d, str):
        yield path, d


def _walk(node) -> Iterator[object]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def _leftover(text: str, n: int, forms: list[str]) -> bool:
    """True when ``text`` shows payload ``n``'s marker outside every accepted (escaped) form."""
    m = _MARKERS[n]
    if m not in text:
        return False
    for f in sorted(set(forms), key=len, reverse=True):
        text = text.replace(f, "")
    return m in text


def _prefixes(p: str) -> list[str]:
    """The payload and its beginnings up to each marker: messages may quote a value cut short
    (``value[:40]``), which is fine as long as what is quoted is escaped."""
    ends = [m.end() for m in _ANY_MARKER.finditer(p)]
    return [p, *(p[:e] for e in ends)]


def _md_forms(p: str) -> list[str]:
    return [themes.md(x) for x in _prefixes(p)] + [quote_plus(p)]  # a percent-encoded value in a link


def _html_forms(p: str) -> list[str]:
    return [f(x) for x in _prefixes(p)
            for f in (html.escape, lambda s: html.escape(s, quote=False), safe.html_text)] + [quote_plus(p)]


_PLOTLY_TAG = re.compile(r"<(?!br>|br />|/?extra>)")


def _plotly_problems(spec: str) -> list[str]:
    out = []
    fig = json.loads(spec)
    for path, s in _strings(fig):
        if path.endswith(".bdata"):  # numbers, base64-encoded
            continue
        if not _ANY_MARKER.search(s) and "<" not in s:
            continue
        leaf = path.rsplit(".", 1)[-1]
        if leaf in ("hovertemplate", "texttemplate") and _ANY_MARKER.search(s):
            out.append(f"plotly {path}: data inside a template: {s[:160]!r}")
        if _PLOTLY_TAG.search(s) and _ANY_MARKER.search(s):
            out.append(f"plotly {path}: raw markup: {s[:160]!r}")
        if "P13" in s and html.escape(PAYLOADS[13]) not in s:
            out.append(f"plotly {path}: entities not escaped: {s[:160]!r}")
    return out


def _check(kind: str, where: str, s: str) -> list[str]:
    if kind == "plain" or not _ANY_MARKER.search(s) and kind != "plotly":
        return []
    if kind == "plotly":
        return [f"{where}: {p}" for p in _plotly_problems(s)]
    if kind == "component":
        # JSON strings are inert in a script unless they can close it ("<") or be evaluated as a template
        bad = [n for n in SCRIPTED if "<" in PAYLOADS[n] and PAYLOADS[n] in s]
        bad += [9] if "49P09" in s else []
        return [f"{where}: map document holds payload {n} raw" for n in bad]
    if kind == "url":
        return [f"{where}: {s[:120]!r}"] if s.strip().lower().startswith(("javascript:", "data:")) else []
    forms = _md_forms if kind == "md" else _html_forms
    return [f"{where} ({kind}): payload {n} not escaped: {s[:200]!r}" for n in PAYLOADS
            if _leftover(s, n, forms(PAYLOADS[n]))]


def problems(at) -> list[str]:
    """Every place in an AppTest's last run where hostile text is not in its inert form."""
    out: list[str] = []
    for node in _walk(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None:
            continue
        cls = type(proto).__name__
        kind_of = {**{k: "md" for k in _WIDGET_MD}, **_FIELDS.get(cls, {})}
        d = MessageToDict(proto, preserving_proto_field_name=True)
        allow_html = bool(d.get("allow_html"))
        for path, s in _strings(d):
            leaf = path.split(".")[-1]
            if leaf in _SKIP:
                continue
            kind = kind_of.get(leaf)
            if kind == "md" and allow_html and leaf == "body":
                kind = "html"
            where = f"{node.type}.{path}"
            if kind is None:
                if _ANY_MARKER.search(s):
                    out.append(f"{where}: unclassified field holds data: {s[:120]!r}")
                continue
            out += _check(kind, where, s)
    return out

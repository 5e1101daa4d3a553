"""The legends a page draws on its maps, read from the map components of an ``AppTest`` run (the legend is a
Leaflet control built in the browser from ``SD.legend({...})`` in the map's feature-group script)."""

from __future__ import annotations

import json
import re

_CALL = re.compile(r"SD\.legend\((\{.*?\})\);")


def map_legends(at) -> list[dict]:
    """Every map legend on the page (``{title, rows, noData, note}``), in page order."""
    out = []
    for el in at.get("component_instance"):
        args = json.loads(el.proto.json_args or "{}")
        out += [json.loads(m) for m in _CALL.findall(args.get("feature_group") or "")]
    return out


def legend_lines(spec: dict) -> list[str]:
    """A legend as the user reads it: the title, one line per class ("label (count)"), then no data (the
    note, ``spec["note"]``, follows on the map)."""
    rows = [*spec["rows"], [None, *spec["noData"]]]
    return [spec["title"], *[f"{label} ({n})" for _, label, n in rows]]

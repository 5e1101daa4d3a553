"""The package's imports point one way: pages -> page helpers -> domain logic -> data access -> foundations.

Read from the code's own import statements (every ``import`` and ``from … import``, including the ones
inside functions, which Python runs as surely as the ones at the top), with ``ast``: no extra tool.

- Every module of ``sinergi`` belongs to one layer (:data:`LAYERS`, by the longest matching name, so a
  module split into a package keeps its layer); a new module must be given one here.
- A module imports only from the layers :data:`MAY_IMPORT` allows it. Building datasets (build, demo,
  importers) sits beside data access: it may read through data access, data access never calls it.
- No import cycles, even inside a layer.
- No module takes another module's private (``_name``) name.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "sinergi"

LAYERS = {
    # entry points: the app, its pages, the command line, the server start
    "app": "entry", "pages": "entry", "sinergi.__main__": "entry", "sinergi.serve": "entry",
    "sinergi.cluster": "entry", "sinergi.sync": "data", "sinergi.hardening": "entry",
    # page helpers: Streamlit drawing shared by pages
    "sinergi.ui": "helpers", "sinergi.importers.view": "helpers", "sinergi.empty_state": "helpers",
    "sinergi.importers.form": "helpers", "sinergi.signin": "helpers",
    # the app's own HTTP routes (vector tiles, published map data), served beside Streamlit's
    "sinergi.routes": "helpers",
    # domain logic: what a page asks, answered from data (views, themes, profiles, analysis)
    "sinergi.explore": "domain", "sinergi.themes": "domain", "sinergi.profile": "domain",
    "sinergi.search": "domain", "sinergi.hotspot": "domain", "sinergi.custom_index": "domain",
    "sinergi.change": "domain", "sinergi.gap": "domain", "sinergi.agenda": "domain",
    # building datasets: generator, database writer, importers
    "sinergi.build": "building", "sinergi.demo": "building", "sinergi.importers": "building",
    "sinergi.tiles": "building", "sinergi.tindakan": "building",
    # data access: connections, named queries, cached reads, the data folder
    "sinergi.db": "data", "sinergi.data": "data", "sinergi.datasets": "data", "sinergi.folders": "data",
    "sinergi.auth": "data", "sinergi.audit": "data",
    # pure builders and computations: frames in, objects out (no data access, no Streamlit)
    "sinergi.classify": "pure", "sinergi.aggregate": "pure", "sinergi.network": "pure",
    "sinergi.maps": "pure", "sinergi.charts": "pure", "sinergi.export": "pure", "sinergi.state": "pure",
    "sinergi.gridmap": "pure",
    # foundations
    "sinergi": "foundations", "sinergi.catalog": "foundations", "sinergi.regions": "foundations",
    "sinergi.i18n": "foundations", "sinergi.safe": "foundations", "sinergi.memo": "foundations",
    "sinergi.geo": "foundations", "sinergi.coverage": "foundations", "sinergi.mapframe": "foundations",
    "sinergi.mapdata": "foundations",
}
BELOW = {
    "foundations": set(),
    "pure": {"foundations"},
    "data": {"foundations"},
    "building": {"data", "pure", "foundations"},
    "domain": {"data", "pure", "foundations"},
    "helpers": {"domain", "building", "data", "pure", "foundations"},
    "entry": {"helpers", "domain", "building", "data", "pure", "foundations"},
}
# a layer may also import within itself (the no-cycle rule keeps that one-way)
MAY_IMPORT = {layer: below | {layer} for layer, below in BELOW.items()}


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    files = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted(PACKAGE.rglob("*.py"))]
    return {_module_name(f): f for f in files}


SOURCES = _sources()


def _is_module(name: str) -> bool:
    return name in SOURCES


def layer_of(module: str) -> str | None:
    if module.startswith("pages."):
        return LAYERS["pages"]
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        found = LAYERS.get(".".join(parts[:n]))
        if found:
            return found
    return None


def imports_of(module: str, tree: ast.AST) -> tuple[set[str], list[str]]:
    """The ``sinergi`` modules ``module`` imports, and the private names it takes from them."""
    targets: set[str] = set()
    private: list[str] = []
    aliases: dict[str, str] = {}  # local name -> sinergi module
    package = module if SOURCES.get(module, Path()).name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name == "sinergi" or a.name.startswith("sinergi."):
                    targets.add(a.name)
                    aliases[a.asname or a.name.split(".")[0]] = a.name if a.asname else "sinergi"
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*up, base] if base else up)
            if not (base == "sinergi" or base.startswith("sinergi.")):
                continue
            for a in node.names:
                full = f"{base}.{a.name}"
                if _is_module(full):
                    targets.add(full)
                    aliases[a.asname or a.name] = full
                else:
                    targets.add(base)
                    if a.name.startswith("_") and not a.name.startswith("__"):
                        private.append(f"from {base} import {a.name}")
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in aliases and node.attr.startswith("_") and not node.attr.startswith("__")):
            private.append(f"{aliases[node.value.id]}.{node.attr}")
    targets.discard(module)
    return {t for t in targets if _is_module(t)}, private


@cache  # read when a test first needs it, not while every test worker collects the tests (~0.8 s each)
def _graph() -> tuple[dict[str, set[str]], dict[str, list[str]]]:
    graph, private = {}, {}
    for name, path in SOURCES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        graph[name], private[name] = imports_of(name, tree)
    return graph, private


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_checker_sees_a_cycle_and_a_private_name():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    tree = ast.parse("def f():\n    from sinergi import charts\n    return charts._layout\n")
    targets, private = imports_of("sinergi.network", tree)
    assert targets == {"sinergi.charts"} and private == ["sinergi.charts._layout"]
    _, private = imports_of("sinergi.x", ast.parse("from sinergi.charts import _wrap\n"))
    assert private == ["from sinergi.charts import _wrap"]


def test_every_module_has_a_layer():
    missing = sorted(m for m in SOURCES if layer_of(m) is None)
    assert not missing, f"give these modules a layer in tests/test_layers.py LAYERS: {missing}"


def test_no_import_cycles():
    found = cycles(_graph()[0])
    assert not found, "import cycles: " + "; ".join(" <-> ".join(c) for c in found)


@pytest.mark.parametrize("module", sorted(SOURCES))
def test_imports_point_down(module):
    mine = layer_of(module)
    wrong = sorted(f"{t} ({layer_of(t)})" for t in _graph()[0][module] if layer_of(t) not in MAY_IMPORT[mine])
    assert not wrong, f"{module} ({mine}) may import only {sorted(MAY_IMPORT[mine])}, imports {wrong}"


def test_no_module_takes_another_modules_private_names():
    taken = {m: p for m, p in _graph()[1].items() if p}
    assert not taken, taken

"""The commands and links in README.md and docs/*.md still work.

- Every ``python -m sinergi …`` line in a fenced code block parses with the command line's own parser
  (nothing runs), its subcommand's ``--help`` succeeds and names every ``--option`` on the line.
  The same command written inline (in backticks) names a subcommand and options that exist.
- Every ``bench/…py`` script shown (in a code block or inline) exists and takes the options shown.
- Every ``make TARGET`` shown names a target of the Makefile.
- Every relative link or image points to a file that exists (relative to the file that links).
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
import shlex
from pathlib import Path

import pytest

from sinergi.__main__ import parser

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "bench" / "RESULTS.md"]

FENCE = re.compile(r"^(```|~~~)")
SINERGI = re.compile(r"(?:^|\s)\S*python3?\s+-m\s+sinergi\s+(.*)$")
BENCH = re.compile(r"(?:^|\s)(?:\S*python3?\s+)?(bench/\w+\.py)\b(.*)$")
MAKE = re.compile(r"^(?:\$\s*)?make\s+([\w.-]+)")
OPTION = re.compile(r"^--[\w][\w-]*")
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def _split(text: str) -> tuple[list[str], str]:
    """(lines inside fenced blocks, the rest of the text with the fences left out)."""
    fenced, prose, inside = [], [], False
    for line in text.splitlines():
        if FENCE.match(line.strip()):
            inside = not inside
        elif inside:
            fenced.append(line)
        else:
            prose.append(line)
    return fenced, "\n".join(prose)


def _inline_code(prose: str) -> list[str]:
    # a code span may run over a line break; it reads as one space
    return [" ".join(span.split()) for span in re.findall(r"`([^`]+)`", prose)]


def _collect():
    fenced, inline, links = [], [], []
    for f in DOCS:
        block, prose = _split(f.read_text(encoding="utf-8"))
        name = f.relative_to(ROOT).as_posix()
        joined: list[str] = []  # a shell line continued with a backslash reads as one command
        for line in block:
            if joined and joined[-1].endswith("\\"):
                joined[-1] = joined[-1][:-1].rstrip() + " " + line.strip()
            else:
                joined.append(line.strip())
        fenced += [(name, line) for line in joined if line]
        inline += [(name, span) for span in _inline_code(prose)]
        links += [(f, target) for target in LINK.findall(prose)]
    return fenced, inline, links


FENCED, INLINE, LINKS = _collect()


def _tokens(rest: str) -> list[str]:
    return shlex.split(rest, comments=True)


def _options(tokens: list[str]) -> list[str]:
    return [OPTION.match(t).group(0) for t in tokens if OPTION.match(t)]


def _help(args: list[str]) -> str | None:
    """``python -m sinergi ARGS --help`` in-process: the help text, or None when it does not exit 0."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            parser().parse_args([*args, "--help"])
        except SystemExit as e:
            return out.getvalue() if e.code == 0 else None
    return None


def _named(option: str, help_text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", help_text) is not None


def _positionals(tokens: list[str]) -> list[str]:
    """The words before the first option: the subcommand (``import indicators``) and its arguments."""
    out = []
    for t in tokens:
        if t.startswith("-"):
            break
        out.append(t)
    return out


SINERGI_LINES = [(f, m.group(1)) for f, line in FENCED if (m := SINERGI.search(line))]
SINERGI_INLINE = [(f, m.group(1)) for f, span in INLINE if (m := SINERGI.search(span))]
BENCH_LINES = list(dict.fromkeys((f, m.group(1), m.group(2).strip()) for f, text in FENCED + INLINE
                                  if (m := BENCH.search(text))))
MAKE_NAMED = sorted({(f, m.group(1)) for f, text in FENCED + INLINE if (m := MAKE.match(text))})


def test_the_docs_show_commands_to_check():
    # the extraction finds what the README and the import guide show; a change in its rules cannot
    # quietly leave every check below with nothing to look at
    assert {("README.md", "run"), ("README.md", "test")} <= set(MAKE_NAMED)
    subcommands = {_tokens(rest)[0] for _, rest in SINERGI_LINES}
    assert {"import", "status", "datasets", "use"} <= subcommands
    assert {"bench/query_bench.py", "bench/load_bench.py"} <= {script for _, script, _ in BENCH_LINES}
    assert any(f.name == "data-model.md" for f, _ in LINKS)


@pytest.mark.parametrize("where,rest", SINERGI_LINES, ids=[f"{f}:{r[:40]}" for f, r in SINERGI_LINES])
def test_cli_line_in_a_code_block_parses(where, rest):
    tokens = _tokens(rest)
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        try:
            parser().parse_args(tokens)
        except SystemExit as e:
            pytest.fail(f"{where}: `python -m sinergi {rest}` does not parse ({e.code}): {err.getvalue()}")
    help_text = _help(_positionals(tokens))
    assert help_text is not None, f"{where}: `python -m sinergi {' '.join(_positionals(tokens))} --help` fails"
    missing = [o for o in _options(tokens) if not _named(o, help_text)]
    assert not missing, f"{where}: {missing} not in the help of `{' '.join(_positionals(tokens))}`"


@pytest.mark.parametrize("where,rest", SINERGI_INLINE, ids=[f"{f}:{r[:40]}" for f, r in SINERGI_INLINE])
def test_cli_command_written_inline_names_what_exists(where, rest):
    # inline mentions may use placeholders (`import …`): the longest leading words whose --help works
    words = _positionals(_tokens(rest))
    helps = [h for n in range(len(words), 0, -1) if (h := _help(words[:n])) is not None]
    assert helps, f"{where}: `python -m sinergi {words[0] if words else ''}` is not a subcommand"
    missing = [o for o in _options(_tokens(rest)) if not _named(o, helps[0])]
    assert not missing, f"{where}: {missing} not in the help of `python -m sinergi {rest}`"


def test_options_the_import_guide_lists_exist():
    # the guide names import options one by one (`--crosswalk` …): each one is an option of an import
    options = {opt for f, span in INLINE if f == "docs/mengimpor-data.md" for opt in _options(span.split()[:1])}
    assert "--crosswalk" in options
    kinds = ("boundaries", "indicators", "programs", "institutions", "ties", "population")
    helps = "".join(_help(["import", kind, "FILE"]) or "" for kind in kinds)
    missing = [o for o in sorted(options) if not _named(o, helps)]
    assert not missing, f"docs/mengimpor-data.md names {missing}, which no import takes"


def _bench_options(script: Path) -> set[str]:
    options = set()
    for node in ast.walk(ast.parse(script.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "add_argument":
            options |= {a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
    return options


@pytest.mark.parametrize("where,script,rest", BENCH_LINES, ids=[f"{f}:{s}{r[:30]}" for f, s, r in BENCH_LINES])
def test_bench_line_names_a_script_and_its_options(where, script, rest):
    path = ROOT / script
    assert path.is_file(), f"{where}: {script} does not exist"
    missing = [o for o in _options(_tokens(rest)) if o not in _bench_options(path)]
    assert not missing, f"{where}: {script} takes no {missing}"


def _make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return {m.group(1) for m in re.finditer(r"^([\w.-]+)\s*:(?!=)", text, re.M)}


@pytest.mark.parametrize("where,target", MAKE_NAMED, ids=[f"{f}:make {t}" for f, t in MAKE_NAMED])
def test_make_target_exists(where, target):
    assert target in _make_targets(), f"{where}: `make {target}` is not a target of the Makefile"


def _relative(target: str) -> bool:
    return not re.match(r"^[a-z][a-z0-9+.-]*:|^#", target)


RELATIVE = list(dict.fromkeys((f, t) for f, t in LINKS if _relative(t)))


@pytest.mark.parametrize("source,target", RELATIVE,
                         ids=[f"{f.relative_to(ROOT).as_posix()}->{t}" for f, t in RELATIVE])
def test_relative_link_points_to_a_file_that_exists(source, target):
    path = (source.parent / target.split("#", 1)[0]).resolve()
    assert path.exists(), f"{source.relative_to(ROOT)}: link to {target} ({path}) does not exist"
    assert path.is_relative_to(ROOT), f"{source.relative_to(ROOT)}: link to {target} leaves the repository"

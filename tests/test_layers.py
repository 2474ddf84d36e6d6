"""The house's layers, read from the package layout: each room (a top-level module or package
of ``flowmap/``) imports only rooms of its own layer or below, and no rooms import each other in
a circle. Imports inside functions count (they are how heavy rooms are loaded late); imports
under ``if TYPE_CHECKING:`` do not (nothing is loaded at run time).

A new top-level module or package must be given a layer here: the test names it otherwise.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "flowmap"

# From the ground floor up (README.md, "Layout", says the same in a sentence).
LAYERS: list[tuple[str, ...]] = [
    # the model, its errors and the helpers every layer shares
    (
        "errors",
        "records",
        "vocabulary",
        "model",
        "assemble",
        "formatting",
        "suffixes",
        "files",
        "paper",
        "digraph",
    ),
    # what can be known from a model alone: names, integrity, splits, customer contacts
    ("inference", "integrity", "branching", "contacts", "schema"),
    # the only rooms that read files
    ("loaders",),
    # the process as a graph, and the figures and layout drawn from it
    ("graph", "applicability", "metrics", "columns"),
    ("rules",),
    # selected rules over processes and logs; configuration; comparisons; caches
    (
        "config",
        "analysis",
        "triage",
        "maturity",
        "redesign",
        "diff",
        "mining",
        "baseline",
        "cache",
        "replay",
    ),
    # presenting results
    ("render", "reporters", "writers", "fmt"),
    # the edges a person touches: the command line, the language server, the package's API
    ("cli", "lsp", "launch", "__main__", "__init__"),
]
LAYER = {room: level for level, rooms in enumerate(LAYERS) for room in rooms}


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = ["flowmap", *path.relative_to(PACKAGE).with_suffix("").parts]
        if parts[-1] == "__init__" and len(parts) > 2:
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _type_only(tree: ast.Module) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(n) for n in ast.walk(node))
    return skipped


def imports(module: str, path: Path) -> list[tuple[str, int]]:
    """The flowmap modules ``module`` imports at run time, with the line of each import
    (``from flowmap import __version__`` is the package's version, not its API)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_only(tree)
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names if a.name.startswith("flowmap")]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package[: len(package) - node.level + 1], *filter(None, [base])])
            if base != "flowmap" and not base.startswith("flowmap."):
                continue
            for alias in node.names:
                name = f"{base}.{alias.name}"
                if name in MODULES:
                    found.append((name, node.lineno))
                elif not (base == "flowmap" and alias.name == "__version__"):
                    found.append((base, node.lineno))
    return found


def _room_edges() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        for target, _ in imports(module, path):
            a, b = _room(module), _room(target)
            if a != b:
                edges.setdefault(a, set()).add(b)
    return edges


def test_every_room_has_a_layer():
    rooms = {_room(m) for m in MODULES}
    assert sorted(rooms - set(LAYER)) == [], "give the new room a layer in tests/test_layers.py"
    assert sorted(set(LAYER) - rooms) == [], "a room listed here no longer exists"


def test_no_room_imports_a_layer_above_its_own():
    upward = []
    for module, path in sorted(MODULES.items()):
        for target, line in imports(module, path):
            a, b = _room(module), _room(target)
            if LAYER.get(b, -1) > LAYER.get(a, len(LAYERS)):
                upward.append(
                    f"{path.relative_to(PACKAGE.parent)}:{line}: {module} imports "
                    f"{target} ({b} is above {a})"
                )
    assert upward == []


def test_no_rooms_import_each_other_in_a_circle():
    edges = _room_edges()
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(room: str) -> list[str]:
        state[room] = 1
        path.append(room)
        for other in sorted(edges.get(room, ())):
            if state.get(other) == 1:
                return [*path[path.index(other) :], other]
            if other not in state and (circle := visit(other)):
                return circle
        state[room] = 2
        path.pop()
        return []

    for room in sorted(edges):
        if room not in state:
            assert visit(room) == [], "rooms that import each other in a circle"


@pytest.mark.parametrize(
    "source, expected",
    [
        ("from flowmap.render.page import PAPER\n", [("flowmap.render.page", 1)]),
        ("def f():\n    from flowmap import writers\n", [("flowmap.writers", 2)]),
        (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from flowmap.cli import cli\n",
            [],
        ),
        ("from flowmap import __version__\n", []),
    ],
)
def test_the_reader_sees_late_imports_and_skips_type_only_ones(tmp_path, source, expected):
    path = tmp_path / "probe.py"
    path.write_text(source, encoding="utf-8")
    assert imports("flowmap.config", path) == expected


# ---------------------------------------------------------------------------------------------
# Rooms a newcomer reads in one sitting
# ---------------------------------------------------------------------------------------------

MAX_LINES = 450  # as laid out by `ruff format`

# Modules allowed past MAX_LINES, each with the reason. Keep it short: split along a seam first.
LONG_MODULES: dict[str, str] = {
    # Empty: every module is within MAX_LINES.
}


def _lines(path: Path) -> int:
    with path.open(encoding="utf-8") as handle:
        return sum(1 for _ in handle)


def test_no_module_grows_past_a_sitting():
    long = {
        path.relative_to(PACKAGE.parent).as_posix(): n
        for path in MODULES.values()
        if (n := _lines(path)) > MAX_LINES
    }
    unlisted = {p: n for p, n in sorted(long.items()) if p not in LONG_MODULES}
    assert unlisted == {}, (
        f"modules over {MAX_LINES} lines: split each along a seam (one concern per module), or "
        "list it in LONG_MODULES with the reason it is one concern"
    )
    # Every entry must still be long.
    stale = sorted(set(LONG_MODULES) - set(long))
    assert stale == [], "these are no longer long: take them off LONG_MODULES"


# ---------------------------------------------------------------------------------------------
# Private names stay in their module
# ---------------------------------------------------------------------------------------------


def private_imports(module: str, path: Path) -> list[tuple[str, str, int]]:
    """``from flowmap.x import _name`` in ``module``: (home module, name, line). A name with a
    leading underscore is its module's own business; another module that needs it wants a
    public name for it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom):
            continue
        base = node.module or ""
        if node.level:
            base = ".".join([*package[: len(package) - node.level + 1], *filter(None, [base])])
        if (base != "flowmap" and not base.startswith("flowmap.")) or base == module:
            continue
        for alias in node.names:
            if alias.name.startswith("_") and not alias.name.startswith("__"):
                found.append((base, alias.name, node.lineno))
    return found


def test_no_module_imports_another_modules_private_names():
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {home}.{name}"
        for module, path in sorted(MODULES.items())
        for home, name, line in private_imports(module, path)
    ]
    assert found == [], "give the name a public spelling in its module (no leading underscore)"


@pytest.mark.parametrize(
    "source, expected",
    [
        (
            "from flowmap.loaders.yamlsrc import _plain\n",
            [("flowmap.loaders.yamlsrc", "_plain", 1)],
        ),
        ("def f():\n    from .dot import HTML, _attrs\n", [("flowmap.render.dot", "_attrs", 2)]),
        ("from flowmap import __version__\nfrom flowmap.analysis import analyze as _a\n", []),
    ],
)
def test_the_reader_sees_private_imports(tmp_path, source, expected):
    path = tmp_path / "probe.py"
    path.write_text(source, encoding="utf-8")
    assert private_imports("flowmap.render.panel", path) == expected

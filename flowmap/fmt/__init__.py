"""``flowmap fmt``: the canonical layout of ``*.flow.yaml`` and ``*.org.yaml`` files, keeping
every comment and blank-line grouping a person wrote.

The layout is the one :func:`flowmap.writers.flow_yaml.dump` writes: sections in a fixed order
(flowmap, process, customer, organisation, steps, flows, measures), keys in model order, roles,
flows and measures one per line in flow style, ``a -> b`` where a flow has only ``from`` and
``to``, quotes only where needed, two-space indentation with list dashes indented.

How it keeps comments: libyaml (C, fast) gives every scalar and collection with its exact span in
the text. Comments can only stand outside scalars, so they are found in the gaps, and each is
attached to an *owner*, an output line: a trailing comment to the element written on its line, a
full-line comment (with the blank lines around it) to the element that follows it, or to the end
of the previous block when it is indented deeper than what follows (written back deeper, so that
it stays there; one between a block's key and its first child stays with that child). Owners are
then reordered and written out with their comments. The blank lines after a ``|+`` scalar are part
of its value: they are kept exactly, and no blank line is added after one. (A round-trip library
such as ruamel.yaml does the same in pure Python, at about 100 KB/s: 37 s for a 20,000-step
process, against about 2 s here.)

The parts, in the order a text goes through them:

* :mod:`flowmap.fmt.tree`: the shapes (the layout of each part of a file) and the node tree with
  spans;
* :mod:`flowmap.fmt.scalars`: writing scalars, one-line elements and the order of keys;
* :mod:`flowmap.fmt.comments`: the owners (output lines) and the comments attached to them;
* :mod:`flowmap.fmt.writer`: writing the owners out (:func:`format_text`);
* this module: files (load check, the same-data check, writing back).

Safety: a file that does not load is refused with the loader's errors; the result is parsed again
and must hold the same data as the original (flows compared as from/to), otherwise nothing is
written. Files with anchors, aliases or tags are refused: reordering could break them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flowmap import files
from flowmap.errors import FlowmapError, LoadError, Location, Problem
from flowmap.fmt.scalars import ARROW
from flowmap.fmt.tree import (
    FORMAT_SUFFIXES,
    ORG_SUFFIXES,
    ORGANISATION_FILE,
    PROCESS_FILE,
    FormatError,
    Node,
    Shape,
    read_nodes,
    shape_for,
)
from flowmap.fmt.writer import format_text, layout

__all__ = [
    "FORMAT_SUFFIXES",
    "ORGANISATION_FILE",
    "ORG_SUFFIXES",
    "PROCESS_FILE",
    "FormatError",
    "Formatted",
    "Shape",
    "check_loads",
    "format_file",
    "format_text",
    "node_data",
    "same_data",
    "shape_for",
    "write",
]


# ---------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Formatted:
    path: str
    original: str
    formatted: str

    @property
    def changed(self) -> bool:
        return self.original != self.formatted

    def diff(self) -> str:
        """A unified diff for a terminal: the file's name and lines with hidden characters shown
        as escapes (a name such as ``\x1b[2J.flow.yaml`` is not sent raw)."""
        import difflib

        from flowmap.formatting import clean

        return "".join(
            clean(line.rstrip("\n")) + "\n" if line.endswith("\n") else clean(line)
            for line in difflib.unified_diff(
                self.original.splitlines(keepends=True),
                self.formatted.splitlines(keepends=True),
                fromfile=f"{self.path} (original)",
                tofile=f"{self.path} (formatted)",
            )
        )


def check_loads(path: Path, max_bytes: int | None = None) -> None:
    """Raise the loader's LoadError when the file has errors (fmt leaves such files alone)."""
    from flowmap.loaders import yamlsrc
    from flowmap.loaders.flow_yaml import load_process, read_yaml

    limit = max_bytes or yamlsrc.DEFAULT_MAX_BYTES
    if not str(path).lower().endswith(ORG_SUFFIXES):
        load_process(path, max_bytes=limit)
        return
    from pydantic import ValidationError

    from flowmap.loaders.validation import explain
    from flowmap.model import OrganisationFile

    data, problems = read_yaml(path, limit)
    try:
        OrganisationFile.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc, message, hint, code, key = explain(error, data)
            line, col = yamlsrc.position(data, loc, key=key) if isinstance(data, dict) else (1, 1)
            problems.append(Problem(Location(str(path), line, col), message, hint, code))
    if problems:
        raise LoadError(str(path), problems)


def _flows_as_pairs(data: Any) -> Any:
    """Flows written as from/to mappings, so that ``a -> b`` and ``{from: a, to: b}`` compare."""
    flows = data.get("flows") if isinstance(data, dict) else None
    if isinstance(flows, list):
        data["flows"] = [
            {"from": m.group(1), "to": m.group(2)}
            if isinstance(f, str) and (m := ARROW.match(f))
            else f
            for f in flows
        ]
    return data


def node_data(node: Node) -> Any:
    """The data a node holds, read the way the loader reads it (YAML 1.1 plain scalars)."""
    from flowmap.loaders.yamlsrc import plain_scalar

    if node.kind == "scalar":
        if node.style == "":
            return plain_scalar(node.value) if node.value else None
        return node.value
    if node.kind == "seq":
        return [node_data(item) for item in node.items]
    return {
        ("" if (k := node_data(key)) is None else str(k)): node_data(value)
        for key, value in node.items
    }


def same_data(before: Node | str, after: str) -> bool:
    """Does the formatted text hold the same data as the original (a node tree or a text)?"""
    from flowmap.loaders import yamlsrc

    try:
        if isinstance(before, str):
            before = read_nodes(before, "<before>")[0]
        new, _ = yamlsrc.parse(after, full=False)
    except (yamlsrc.YamlError, FlowmapError):
        return False
    return _flows_as_pairs(node_data(before)) == _flows_as_pairs(new)


def format_file(path: str | Path, max_bytes: int | None = None) -> Formatted:
    """Check that a file loads, then compute its canonical layout (nothing is written)."""
    import gc

    from flowmap.loaders import yamlsrc

    path = Path(path)
    enabled = gc.isenabled()
    gc.disable()  # tens of thousands of small acyclic objects: collection only slows this down
    try:
        check_loads(path, max_bytes)
        limit = max_bytes or yamlsrc.DEFAULT_MAX_BYTES
        try:
            raw_bytes = files.read_bounded(path, limit)
        except files.ReadRefused as exc:
            raise LoadError(
                str(path), [Problem(Location(str(path)), exc.message, exc.hint, exc.code)]
            ) from None
        original = yamlsrc.check_text(raw_bytes, limit)
        raw = raw_bytes.decode("utf-8", errors="replace")
        formatted, root = layout(original, shape_for(path), str(path))
        if formatted != raw and not same_data(root, formatted):
            raise FormatError(
                f"{path}: formatting would change what the file says, so it was "
                "left untouched; please report this as a flowmap bug"
            )
    finally:
        if enabled:
            gc.enable()
    return Formatted(str(path), raw, formatted)


def write(result: Formatted) -> None:
    """Replace the file with its formatted text: through a symlink to its target, atomically,
    never a read-only file (see :func:`flowmap.files.write_output`)."""
    from flowmap.files import write_output

    write_output(result.path, result.formatted, in_place=True)

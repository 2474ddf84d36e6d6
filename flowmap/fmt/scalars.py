"""Writing values for ``flowmap fmt``: scalars (quoted only where needed, block scalars as
written), one-line elements in flow style (``{id: a, level: 1}``, ``a -> b``), and the order of
keys a shape prescribes."""

from __future__ import annotations

import json
import re

from flowmap.fmt.tree import Node, Shape

# ---------------------------------------------------------------------------------------------
# Scalars
# ---------------------------------------------------------------------------------------------

_FLOW_UNSAFE = re.compile(r"[,\[\]{}]|: |:$| #")
ARROW = re.compile(r"^\s*(\S+)\s*->\s*(\S+)\s*$")
_LINE_BREAKS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085", "\ufeff": "\\ufeff"}


def quote(text: str) -> str:
    out = json.dumps(text, ensure_ascii=False)
    for char, escape in _LINE_BREAKS.items():
        out = out.replace(char, escape)
    return out


def _string(text: str) -> str:
    from flowmap.writers.flow_yaml import scalar

    plain = scalar(text)
    return quote(text) if plain.startswith('"') else plain


def scalar_text(node: Node, source: str, flow: bool) -> str:
    """One-line text of a scalar (block scalars are handled by the caller in block context)."""
    if node.style == "":
        if node.value == "":
            return "null" if flow else ""
        if node.line == node.end_line:
            text = node.value
            if flow and _FLOW_UNSAFE.search(text):
                return quote(text)
            return text
        return _string(node.value)  # a plain scalar folded over several lines
    return _string(node.value)


def keeps(node: Node, source: str) -> bool:
    """A ``|+`` or ``>+`` scalar: the blank lines after it are part of its value, so the
    writer adds none after it and removes none."""
    if node.kind != "scalar" or node.style not in ("|", ">"):
        return False
    eol = source.find("\n", node.start)
    return "+" in source[node.start : eol if eol >= 0 else len(source)].split("#")[0]


def block_scalar(node: Node, source: str, shift: int) -> list[str]:
    """A literal or folded scalar as written, re-indented by ``shift`` columns."""
    text = source[node.start : node.end]
    lines = text.removesuffix("\n").split("\n")
    header, body = lines[0].rstrip(), lines[1:]
    if not keeps(node, source):
        while body and not body[-1].strip():
            body.pop()
    out = [header]
    for line in body:
        if not line.strip():
            out.append("")
        elif shift >= 0:
            out.append(" " * shift + line.rstrip("\n"))
        else:
            out.append(line[-shift:])
    return out


# ---------------------------------------------------------------------------------------------
# Key order
# ---------------------------------------------------------------------------------------------

_RANKS: dict[int, dict[str, int]] = {}


def ordered(node: Node, shape: Shape | None) -> list[tuple[Node, Node]]:
    items = list(node.items)
    if shape is None:
        return items
    if shape.sort:
        return sorted(items, key=lambda kv: str(kv[0].value))
    rank = _RANKS.get(id(shape))
    if rank is None:
        rank = _RANKS[id(shape)] = {key: i for i, key in enumerate(shape.order)}
    last = len(rank)
    keys = [rank.get(k.value, last) for k, _ in items]
    if keys == sorted(keys):
        return items
    return [kv for _, _, kv in sorted(zip(keys, range(len(items)), items, strict=True))]


def is_shorthand(node: Node) -> bool:
    if node.kind != "map" or sorted(node.keys) != ["from", "to"]:
        return False
    return all(
        v.kind == "scalar"
        and v.style in ("", "'", '"')
        and v.value
        and " " not in v.value
        and "->" not in v.value
        and not v.value.startswith("#")
        for _, v in node.items
    )


# An element written on one line (a role, a flow, a measure) that would be longer than this is
# written as a block mapping instead, so that lines stay readable in reviews (same as the writer).
INLINE_WIDTH = 96


# ---------------------------------------------------------------------------------------------
# Elements on one line (flow style)
# ---------------------------------------------------------------------------------------------


def flow_text(node: Node, shape: Shape | None, source: str) -> str:
    """A node written on one line: ``[a, b]``, ``{id: a, level: 1}``, or ``a -> b`` for a flow."""
    if node.kind == "scalar":
        if shape is not None and shape.kind == "flow":
            return arrow(node, source)
        return scalar_text(node, source, flow=True)
    if node.kind == "seq":
        sub = shape.item if shape else None
        return "[" + ", ".join(flow_text(item, sub, source) for item in node.items) + "]"
    if shape is not None and shape.kind == "flow" and is_shorthand(node):
        return f"{_value(node, 'from')} -> {_value(node, 'to')}"
    parts = []
    for key, value in ordered(node, shape):
        sub = shape.fields.get(key.value) if shape else None
        parts.append(f"{scalar_text(key, source, True)}: {flow_text(value, sub, source)}")
    return "{" + ", ".join(parts) + "}"


def _value(node: Node, key: str) -> str:
    found = node.get(key)
    return "" if found is None else str(found.value)


def arrow(node: Node, source: str) -> str:
    """A flow written as a string: ``a -> b`` with single spaces, else the scalar as it is."""
    match = ARROW.match(node.value) if node.style == "" else None
    return (
        f"{match.group(1)} -> {match.group(2)}" if match else scalar_text(node, source, flow=False)
    )

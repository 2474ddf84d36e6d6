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
of its value: they are kept exactly, and no blank line is added after one. (A round-trip library such as ruamel.yaml does the same in pure
Python, at about 100 KB/s: 37 s for a 20,000-step process, against about 2 s here.)

Safety: a file that does not load is refused with the loader's errors; the result is parsed again
and must hold the same data as the original (flows compared as from/to), otherwise nothing is
written. Files with anchors, aliases or tags are refused: reordering could break them.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flowmap import files, suffixes
from flowmap.errors import FlowmapError, LoadError, Location, Problem

ORG_SUFFIXES = suffixes.ORGANISATION
FORMAT_SUFFIXES = suffixes.FORMATTED


class FormatError(FlowmapError):
    """A file that parses but that fmt will not rewrite (anchors, or an internal safety check)."""


# ---------------------------------------------------------------------------------------------
# Shapes: how each part of a file is laid out
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """``kind``: map (block mapping), seq (block list), flowmap, flowseq, or flow (a flow item:
    ``a -> b``, a flow mapping, or a block mapping when it has ``ignore``)."""

    kind: str
    order: tuple[str, ...] = ()
    fields: dict[str, Shape] = field(default_factory=dict)
    item: Shape | None = None
    sort: bool = False
    sections: bool = False  # a blank line before each entry (the top level)


FLOWSEQ = Shape("flowseq")
IGNORE = Shape("map", sort=True)
ROLE = Shape("flowmap", ("id", "name", "level", "reports_to"))
FUNCTION = Shape("map", ("id", "name", "kind", "stage", "notes", "roles"),
                 {"roles": Shape("seq", item=ROLE)})
ORGANISATION = Shape("map", ("id", "name", "description", "functions"),
                     {"functions": Shape("seq", item=FUNCTION)})
INFO = Shape("map", ("id", "name", "description", "status", "version", "industry", "redesign_of",
                     "sources", "ignore"), {"sources": Shape("seq"), "ignore": IGNORE})
CUSTOMER = Shape("map", ("name", "segment", "description"))
STEP = Shape("map", ("id", "name", "owner", "kind", "value", "purpose", "channel", "touchpoint",
                     "work", "wait", "cost", "systems", "data", "notes", "ignore"),
             {"purpose": FLOWSEQ, "systems": FLOWSEQ, "data": FLOWSEQ, "ignore": IGNORE})
FLOW = Shape("flow", ("id", "from", "to", "kind", "label", "probability", "generated", "ignore"),
             {"ignore": IGNORE})
MEASURE = Shape("flowmap", ("id", "name", "kind", "owner", "steps", "target"), {"steps": FLOWSEQ})
PROCESS_FILE = Shape("map", ("flowmap", "process", "customer", "organisation", "steps", "flows",
                             "measures"),
                     {"process": INFO, "customer": CUSTOMER, "organisation": ORGANISATION,
                      "steps": Shape("seq", item=STEP), "flows": Shape("seq", item=FLOW),
                      "measures": Shape("seq", item=MEASURE)}, sections=True)
ORGANISATION_FILE = Shape("map", ("flowmap", "organisation", "lanes"),
                          {"organisation": ORGANISATION, "lanes": Shape("map")}, sections=True)


def shape_for(path: str | Path) -> Shape:
    return ORGANISATION_FILE if str(path).lower().endswith(ORG_SUFFIXES) else PROCESS_FILE


# ---------------------------------------------------------------------------------------------
# Nodes with spans (from libyaml events)
# ---------------------------------------------------------------------------------------------


class Node:
    __slots__ = (
        "col",
        "end",
        "end_line",
        "flow",
        "items",
        "kind",
        "line",
        "start",
        "style",
        "value",
    )

    def __init__(self, kind: str, start_mark, end_mark, style=None, value=None, flow=False):
        self.kind = kind  # scalar | map | seq
        self.value = value
        self.style = style
        self.start, self.line, self.col = start_mark.index, start_mark.line, start_mark.column
        self.end, self.end_line = end_mark.index, end_mark.line
        self.items: list = []  # map: [(key, value)], seq: [node]
        self.flow = flow

    def get(self, key: str) -> Node | None:
        for k, v in self.items:
            if k.value == key:
                return v
        return None

    @property
    def keys(self) -> list[str]:
        return [k.value for k, _ in self.items]


def _nodes(text: str, name: str) -> tuple[Node, list[tuple[int, int]]]:
    """The document as a Node tree, and the spans of all scalars (sorted)."""
    import yaml

    loader = (getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader)(text)
    spans: list[tuple[int, int]] = []
    # Each frame: [node, is_map, pending key]
    stack: list[list] = []
    root: Node | None = None
    Scalar, Alias = yaml.ScalarEvent, yaml.AliasEvent
    MapStart, SeqStart = yaml.MappingStartEvent, yaml.SequenceStartEvent
    MapEnd, SeqEnd = yaml.MappingEndEvent, yaml.SequenceEndEvent

    def refuse(event, what: str) -> None:
        mark = event.start_mark
        raise LoadError(name, [Problem(
            Location(name, mark.line + 1, mark.column + 1),
            f"fmt does not rewrite files that use YAML {what}",
            "write the values out in full; flowmap files need no anchors, aliases or tags",
            "fmt-unsupported")])

    try:
        get_event, check_event = loader.get_event, loader.check_event
        while check_event():
            event = get_event()
            kind = type(event)
            if kind is Scalar:
                if event.anchor is not None:
                    refuse(event, "anchors (&)")
                if event.tag is not None and event.tag != "!":
                    refuse(event, "tags (!!)")
                node = Node("scalar", event.start_mark, event.end_mark, event.style or "",
                            event.value)
                spans.append((node.start, node.end))
            elif kind is MapStart or kind is SeqStart:
                if event.anchor is not None:
                    refuse(event, "anchors (&)")
                if event.tag is not None and event.tag != "!" and not event.implicit:
                    refuse(event, "tags (!!)")
                node = Node("map" if kind is MapStart else "seq", event.start_mark,
                            event.start_mark, flow=bool(event.flow_style))
            elif kind is MapEnd or kind is SeqEnd:
                node = stack.pop()[0]
                if node.flow or not node.items:
                    mark = event.end_mark
                    node.end, node.end_line = mark.index, mark.line
                else:  # a block collection ends where its last item ends
                    last = node.items[-1]
                    last = last[1] if kind is MapEnd else last
                    node.end, node.end_line = last.end, last.end_line
                continue
            elif kind is Alias:
                refuse(event, "aliases (*)")
            else:
                continue
            if stack:
                frame = stack[-1]
                if not frame[1]:
                    frame[0].items.append(node)
                elif frame[2] is None:
                    frame[2] = node
                else:
                    frame[0].items.append((frame[2], node))
                    frame[2] = None
            else:
                root = node
            if node.kind != "scalar":
                stack.append([node, node.kind == "map", None])
    except yaml.YAMLError as exc:  # the loader has accepted the file: this is unexpected
        raise FormatError(f"{name}: cannot be parsed for formatting: {exc}") from None
    if root is None or root.kind != "map":
        raise FormatError(f"{name}: not a mapping; nothing to format")
    return root, spans


# ---------------------------------------------------------------------------------------------
# Scalars
# ---------------------------------------------------------------------------------------------

_FLOW_UNSAFE = re.compile(r"[,\[\]{}]|: |:$| #")
_ARROW = re.compile(r"^\s*(\S+)\s*->\s*(\S+)\s*$")
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
    return "+" in source[node.start:eol if eol >= 0 else len(source)].split("#")[0]


def _block_scalar(node: Node, source: str, shift: int) -> list[str]:
    """A literal or folded scalar as written, re-indented by ``shift`` columns."""
    text = source[node.start:node.end]
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
# Owners: the output lines, each with the comments attached to it
# ---------------------------------------------------------------------------------------------


class Owner:
    """A mapping entry or a list item in the output, with its comments."""

    __slots__ = (
        "as_map",
        "block",
        "children",
        "col",
        "depth",
        "head",
        "head_line",
        "key",
        "last_line",
        "leading",
        "parent",
        "shape",
        "tails",
        "trailing",
        "value",
    )

    def __init__(self, key: Node | None, value: Node, shape: Shape | None, parent: Owner | None,
                 col: int):
        self.key, self.value, self.shape, self.parent = key, value, shape, parent
        self.depth = parent.depth + 1 if parent else 0
        anchor = key if key is not None else value
        self.head, self.head_line, self.col = anchor.start, anchor.line, col
        self.children: list[Owner] = []
        self.block = False
        self.as_map = False  # a flow item written as a block mapping (it has ignore:)
        self.last_line = self.head_line
        self.leading: list[str | None] = []  # comment lines and None for blank lines
        self.trailing: list[tuple[int, str]] = []  # (gap, comment)
        self.tails: list[str | None] = []  # comments after this owner's block


_RANKS: dict[int, dict[str, int]] = {}


def _ordered(node: Node, shape: Shape | None) -> list[tuple[Node, Node]]:
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


def _is_shorthand(node: Node) -> bool:
    if node.kind != "map" or sorted(node.keys) != ["from", "to"]:
        return False
    return all(v.kind == "scalar" and v.style in ("", "'", '"') and v.value
               and " " not in v.value and "->" not in v.value and not v.value.startswith("#")
               for _, v in node.items)


# An element written on one line (a role, a flow, a measure) that would be longer than this is
# written as a block mapping instead, so that lines stay readable in reviews (same as the writer).
INLINE_WIDTH = 96


def _block_kind(value: Node, shape: Shape | None, source: str = "") -> str | None:
    """'map' or 'seq' when ``value`` is written as a block collection, else None."""
    if shape is None or not value.items:
        return None
    if value.kind == "map" and shape.kind in ("flow", "flowmap") and source and \
            len(_Writer(source).flow(value, shape)) > INLINE_WIDTH:
        return "map"
    if value.kind == "map" and shape.kind == "map":
        return "map"
    if value.kind == "seq" and shape.kind == "seq":
        return "seq"
    if value.kind == "map" and shape.kind == "flow" and value.get("ignore") is not None:
        return "map"
    return None


def _build(node: Node, shape: Shape | None, parent: Owner | None, owners: list[Owner],
           source: str) -> None:
    """Children owners of ``parent`` for the collection ``node``."""
    if node.kind == "map":
        for key, value in _ordered(node, shape):
            sub = shape.fields.get(key.value) if shape else None
            owner = Owner(key, value, sub, parent, key.col)
            _fill(owner, sub, owners, source)
            parent.children.append(owner)
    else:
        for item in node.items:
            dash = source.rfind("-", 0, item.start)
            col = dash - (source.rfind("\n", 0, dash) + 1) if dash >= 0 else item.col
            owner = Owner(None, item, shape.item if shape else None, parent, col)
            _fill(owner, owner.shape, owners, source)
            parent.children.append(owner)


def _fill(owner: Owner, shape: Shape | None, owners: list[Owner], source: str) -> None:
    owners.append(owner)
    kind = _block_kind(owner.value, shape, source)
    if kind is None:
        owner.last_line = owner.value.end_line
        if owner.value.kind == "scalar" and owner.value.style in ("|", ">"):
            # a block scalar's span runs to the start of the line after it
            owner.last_line = source.count("\n", 0, max(owner.value.end - 1, 0))
        return
    owner.block = True
    owner.as_map = shape.kind == "flow"
    _build(owner.value, shape, owner, owners, source)


# ---------------------------------------------------------------------------------------------
# Comments
# ---------------------------------------------------------------------------------------------

_HASH = re.compile(r"#")
_BLANK = re.compile(r"^[ \t]*$", re.MULTILINE)


def _trailing_owner(owner: Owner | None, line: int, index: int) -> Owner | None:
    """The owner of a comment at the end of ``line``: the element whose value ends last before
    it on that line (``flows: [a -> b, b -> c]  # x`` belongs to flows, not to b -> c)."""
    best, end = owner, -1
    node = owner
    while node is not None and node.parent is not None:
        value = node.value
        if value.end_line == line and value.end <= index and value.end > end:
            best, end = node, value.end
        node = node.parent
    return best


def _attach_comments(source: str, root: Owner, owners: list[Owner], spans: list[tuple[int, int]],
                     first_key: int) -> list[str | None]:
    """Attach every comment and blank line to an owner; returns the footer."""
    starts = [s for s, _ in spans]
    line_starts = [0] + [m.end() for m in re.finditer("\n", source)]

    def in_scalar(i: int) -> bool:
        j = bisect.bisect_right(starts, i) - 1
        return j >= 0 and i < spans[j][1]

    # Which owner writes each source line: the innermost one (owners are in pre-order).
    line_owner: list[Owner | None] = [None] * (len(line_starts) + 1)
    for owner in owners:
        end = owner.head_line if owner.block else owner.last_line
        for line in range(owner.head_line, end + 1):
            line_owner[line] = owner
    by_head = sorted(owners, key=lambda o: (o.head, o.depth))
    heads = [o.head for o in by_head]

    marks: list[tuple[int, int, str | None]] = []  # (index, column, text or None for blank)
    after_comment = -1
    for match in _HASH.finditer(source):
        i = match.start()
        if i < first_key or i < after_comment or in_scalar(i):
            continue
        line = bisect.bisect_right(line_starts, i) - 1
        eol = source.find("\n", i)
        eol = len(source) if eol < 0 else eol
        after_comment = eol
        text = source[i:eol].rstrip()
        before = source[line_starts[line]:i]
        if before.strip():  # a trailing comment
            owner = _trailing_owner(line_owner[line], line, i)
            if owner is None:
                continue  # after the end of the document's content (e.g. '...')
            gap = len(before) - len(before.rstrip())
            if line == (owner.head_line if owner.block else owner.last_line):
                owner.trailing.append((max(gap, 1), text))
            else:
                owner.leading.append(text)
            continue
        marks.append((i, len(before), text))
    for match in _BLANK.finditer(source):
        i = match.start()
        if i > first_key and not in_scalar(i) and i < len(source):
            marks.append((i, -1, None))
    marks.sort(key=lambda m: m[0])

    footer: list[str | None] = []
    group: list[tuple[int, int, str | None]] = []
    group_next: Owner | None = None

    def flush() -> None:
        if not group:
            return
        boundary = group_next.col if group_next is not None else 0
        deep = [n for n, (_, col, text) in enumerate(group) if text is not None and col > boundary]
        split = deep[-1] + 1 if deep else 0
        if split:
            first_col = group[deep[0]][1]
            k = bisect.bisect_left(heads, group[0][0]) - 1
            previous = by_head[k] if k >= 0 else None
            while previous is not None and previous.parent is not None \
                    and previous.col > first_col:
                previous = previous.parent
            # a comment between a block's key and its first child is not after that block:
            # it stays with what follows (``steps:``, a deep comment, ``- id: a``)
            if previous is not None and previous.parent is not None and not (
                    previous.block and previous.children
                    and min(c.head for c in previous.children) > group[0][0]):
                previous.tails.extend(text for _, _, text in group[:split])
            else:
                split = 0
        rest = [text for _, _, text in group[split:]]
        (group_next.leading if group_next is not None else footer).extend(rest)
        group.clear()

    for index, col, text in marks:
        line = bisect.bisect_right(line_starts, index) - 1
        inner = line_owner[line]
        if inner is not None and not inner.block and inner.head_line < line <= inner.last_line:
            if text is not None:
                inner.leading.append(text)  # inside an element written on one line
            continue
        k = bisect.bisect_right(heads, index)
        nxt = by_head[k] if k < len(by_head) else None
        if nxt is not group_next:
            flush()
            group_next = nxt
        group.append((index, col, text))
    flush()
    return footer


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


class _Writer:
    def __init__(self, source: str):
        self.source = source
        self.out: list[str] = []
        # where a |+ scalar ended: a blank line written right there would join its value
        self.kept_end = -1

    def comments(self, lines: list[str | None], indent: int) -> None:
        for text in lines:
            if text is None:
                if self.out and self.out[-1] != "" and len(self.out) != self.kept_end:
                    self.out.append("")
            else:
                self.out.append(" " * indent + text)

    def flow(self, node: Node, shape: Shape | None) -> str:
        if node.kind == "scalar":
            if shape is not None and shape.kind == "flow":
                return self.arrow(node)
            return scalar_text(node, self.source, flow=True)
        if node.kind == "seq":
            sub = shape.item if shape else None
            return "[" + ", ".join(self.flow(item, sub) for item in node.items) + "]"
        if shape is not None and shape.kind == "flow" and _is_shorthand(node):
            return f"{node.get('from').value} -> {node.get('to').value}"
        parts = []
        for key, value in _ordered(node, shape):
            sub = shape.fields.get(key.value) if shape else None
            parts.append(f"{scalar_text(key, self.source, True)}: {self.flow(value, sub)}")
        return "{" + ", ".join(parts) + "}"

    def arrow(self, node: Node) -> str:
        match = _ARROW.match(node.value) if node.style == "" else None
        return f"{match.group(1)} -> {match.group(2)}" if match else \
            scalar_text(node, self.source, flow=False)

    def leaf(self, owner: Owner, indent: int) -> list[str]:
        """The value of a leaf owner: one line, or a block scalar's lines."""
        value, shape = owner.value, owner.shape
        if value.kind == "scalar":
            if value.style in ("|", ">"):
                lines = _block_scalar(value, self.source, indent - owner.col)
                if keeps(value, self.source):  # the caller appends these lines right away
                    self.kept_end = len(self.out) + len(lines)
                return lines
            if shape is not None and shape.kind == "flow":
                return [self.arrow(value)]
            return [scalar_text(value, self.source, flow=False)]
        return [self.flow(value, shape)]

    def owner(self, owner: Owner, indent: int, section: bool = False) -> None:
        leading = owner.leading
        if owner.key is None and owner.block and owner.children:
            leading = leading + owner.children[0].leading
        if section and (not leading or leading[0] is not None):
            leading = [None, *leading]
        self.comments(leading, indent)
        trailing = owner.trailing
        if len(trailing) > 1:
            self.comments([text for _, text in trailing[1:]], indent)
        tail = f"{' ' * trailing[0][0]}{trailing[0][1]}" if trailing else ""
        if owner.key is None:
            self.item(owner, indent, tail)
        else:
            key = scalar_text(owner.key, self.source, flow=False)
            if owner.block:
                self.out.append(f"{' ' * indent}{key}:{tail}")
                self.children(owner, indent + 2)
            else:
                lines = self.leaf(owner, indent)
                first = f"{' ' * indent}{key}:" + (f" {lines[0]}" if lines[0] else "")
                self.out.append(first + tail)
                self.out.extend(lines[1:])
        # comments indented deeper than what follows stay deeper (a top-level entry's under it),
        # so that they stay attached to this entry the next time
        self.comments(owner.tails, indent + 2 if owner.depth == 1 else indent)

    def item(self, owner: Owner, indent: int, tail: str) -> None:
        if not owner.block:
            lines = self.leaf(owner, indent + 2)
            self.out.append(f"{' ' * indent}- {lines[0]}{tail}")
            self.out.extend(lines[1:])
            return
        start = len(self.out)
        first, rest = owner.children[0], owner.children[1:]
        saved, first.leading = first.leading, []
        self.owner(first, indent + 2)
        first.leading = saved
        self.out[start] = f"{' ' * indent}- {self.out[start][indent + 2:]}"
        if tail:
            self.out[start] += tail
        for child in rest:
            self.owner(child, indent + 2)

    def children(self, owner: Owner, indent: int) -> None:
        if owner.value.kind == "map":
            for child in owner.children:
                self.owner(child, indent)
        else:
            for child in owner.children:
                self.owner(child, indent)


def format_text(text: str, shape: Shape = PROCESS_FILE, name: str = "<text>") -> str:
    """The canonical layout of a flowmap YAML text (which must already load)."""
    return _format(text, shape, name)[0]


def _format(text: str, shape: Shape, name: str) -> tuple[str, Node]:
    source = text.replace("\r\n", "\n").replace("\r", "\n")
    root_node, spans = _nodes(source, name)
    root = Owner(None, root_node, shape, None, 0)
    owners: list[Owner] = []
    _build(root_node, shape, root, owners, source)
    root.block = True
    if not root.children:
        return source, root_node
    first_key = min(child.head for child in root.children)
    header_end = source.rfind("\n", 0, first_key) + 1
    footer = _attach_comments(source, root, owners, spans, first_key)
    writer = _Writer(source)
    header = [line.rstrip() for line in source[:header_end].split("\n")[:-1]]
    writer.comments([line or None for line in header], 0)
    for n, child in enumerate(root.children):
        writer.owner(child, 0, section=shape.sections and n > 0)
    writer.comments(footer, 0)
    lines = writer.out
    while lines and lines[0] == "":
        lines.pop(0)
    while lines and lines[-1] == "" and len(lines) > writer.kept_end:
        lines.pop()
    return "\n".join(lines) + "\n", root_node


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
        import difflib

        return "".join(difflib.unified_diff(
            self.original.splitlines(keepends=True), self.formatted.splitlines(keepends=True),
            fromfile=f"{self.path} (original)", tofile=f"{self.path} (formatted)"))


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
        data["flows"] = [{"from": m.group(1), "to": m.group(2)}
                         if isinstance(f, str) and (m := _ARROW.match(f)) else f for f in flows]
    return data


def node_data(node: Node) -> Any:
    """The data a node holds, read the way the loader reads it (YAML 1.1 plain scalars)."""
    from flowmap.loaders.yamlsrc import _plain

    if node.kind == "scalar":
        if node.style == "":
            return _plain(node.value) if node.value else None
        return node.value
    if node.kind == "seq":
        return [node_data(item) for item in node.items]
    return {("" if (k := node_data(key)) is None else str(k)): node_data(value)
            for key, value in node.items}


def same_data(before: Node | str, after: str) -> bool:
    """Does the formatted text hold the same data as the original (a node tree or a text)?"""
    from flowmap.loaders import yamlsrc

    try:
        if isinstance(before, str):
            before = _nodes(before, "<before>")[0]
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
            raise LoadError(str(path), [Problem(Location(str(path)), exc.message, exc.hint,
                                                exc.code)]) from None
        original = yamlsrc.check_text(raw_bytes, limit)
        raw = raw_bytes.decode("utf-8", errors="replace")
        formatted, root = _format(original, shape_for(path), str(path))
        if formatted != raw and not same_data(root, formatted):
            raise FormatError(f"{path}: formatting would change what the file says, so it was "
                              "left untouched; please report this as a flowmap bug")
    finally:
        if enabled:
            gc.enable()
    return Formatted(str(path), raw, formatted)


def write(result: Formatted) -> None:
    """Replace the file with its formatted text: through a symlink to its target, atomically,
    never a read-only file (see :func:`flowmap.files.write_output`)."""
    from flowmap.files import write_output

    write_output(result.path, result.formatted, in_place=True)

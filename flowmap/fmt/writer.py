"""The writer of ``flowmap fmt``: owners written out in order with their comments, and
:func:`format_text`, the canonical layout of a text."""

from __future__ import annotations

from flowmap.fmt.comments import Owner, attach_comments, build
from flowmap.fmt.scalars import arrow, block_scalar, flow_text, keeps, scalar_text
from flowmap.fmt.tree import PROCESS_FILE, Node, Shape, read_nodes


class Writer:
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

    def leaf(self, owner: Owner, indent: int) -> list[str]:
        """The value of a leaf owner: one line, or a block scalar's lines."""
        value, shape = owner.value, owner.shape
        if value.kind == "scalar":
            if value.style in ("|", ">"):
                lines = block_scalar(value, self.source, indent - owner.col)
                if keeps(value, self.source):  # the caller appends these lines right away
                    self.kept_end = len(self.out) + len(lines)
                return lines
            if shape is not None and shape.kind == "flow":
                return [arrow(value, self.source)]
            return [scalar_text(value, self.source, flow=False)]
        return [flow_text(value, shape, self.source)]

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
        self.out[start] = f"{' ' * indent}- {self.out[start][indent + 2 :]}"
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
    return layout(text, shape, name)[0]


def layout(text: str, shape: Shape, name: str) -> tuple[str, Node]:
    source = text.replace("\r\n", "\n").replace("\r", "\n")
    root_node, spans = read_nodes(source, name)
    root = Owner(None, root_node, shape, None, 0)
    owners: list[Owner] = []
    build(root_node, shape, root, owners, source)
    root.block = True
    if not root.children:
        return source, root_node
    first_key = min(child.head for child in root.children)
    header_end = source.rfind("\n", 0, first_key) + 1
    footer = attach_comments(source, root, owners, spans, first_key)
    writer = Writer(source)
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

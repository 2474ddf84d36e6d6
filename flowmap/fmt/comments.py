"""Comments for ``flowmap fmt``: the output lines (*owners*, one per mapping entry or list
item) and the comments and blank lines attached to each, so that they move with their element
when keys are reordered."""

from __future__ import annotations

import bisect
import re

from flowmap.fmt.scalars import INLINE_WIDTH, flow_text, ordered
from flowmap.fmt.tree import Node, Shape


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

    def __init__(
        self, key: Node | None, value: Node, shape: Shape | None, parent: Owner | None, col: int
    ):
        self.key, self.value, self.shape, self.parent = key, value, shape, parent
        self.depth: int = parent.depth + 1 if parent else 0
        anchor = key if key is not None else value
        self.head, self.head_line, self.col = anchor.start, anchor.line, col
        self.children: list[Owner] = []
        self.block = False
        self.as_map = False  # a flow item written as a block mapping (it has ignore:)
        self.last_line = self.head_line
        self.leading: list[str | None] = []  # comment lines and None for blank lines
        self.trailing: list[tuple[int, str]] = []  # (gap, comment)
        self.tails: list[str | None] = []  # comments after this owner's block


def _block_kind(value: Node, shape: Shape | None, source: str = "") -> str | None:
    """'map' or 'seq' when ``value`` is written as a block collection, else None."""
    if shape is None or not value.items:
        return None
    if (
        value.kind == "map"
        and shape.kind in ("flow", "flowmap")
        and source
        and len(flow_text(value, shape, source)) > INLINE_WIDTH
    ):
        return "map"
    if value.kind == "map" and shape.kind == "map":
        return "map"
    if value.kind == "seq" and shape.kind == "seq":
        return "seq"
    if value.kind == "map" and shape.kind == "flow" and value.get("ignore") is not None:
        return "map"
    return None


def build(node: Node, shape: Shape | None, parent: Owner, owners: list[Owner], source: str) -> None:
    """Children owners of ``parent`` for the collection ``node``."""
    if node.kind == "map":
        for key, value in ordered(node, shape):
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
    owner.as_map = shape is not None and shape.kind == "flow"
    build(owner.value, shape, owner, owners, source)


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


def attach_comments(
    source: str, root: Owner, owners: list[Owner], spans: list[tuple[int, int]], first_key: int
) -> list[str | None]:
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
        comment = source[i:eol].rstrip()
        before = source[line_starts[line] : i]
        if before.strip():  # a trailing comment
            holder = _trailing_owner(line_owner[line], line, i)
            if holder is None:
                continue  # after the end of the document's content (e.g. '...')
            gap = len(before) - len(before.rstrip())
            if line == (holder.head_line if holder.block else holder.last_line):
                holder.trailing.append((max(gap, 1), comment))
            else:
                holder.leading.append(comment)
            continue
        marks.append((i, len(before), comment))
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
            while previous is not None and previous.parent is not None and previous.col > first_col:
                previous = previous.parent
            # a comment between a block's key and its first child is not after that block:
            # it stays with what follows (``steps:``, a deep comment, ``- id: a``)
            if (
                previous is not None
                and previous.parent is not None
                and not (
                    previous.block
                    and previous.children
                    and min(c.head for c in previous.children) > group[0][0]
                )
            ):
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

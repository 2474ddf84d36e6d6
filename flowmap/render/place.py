"""Stage 1b of rendering: where everything goes on the page (pure geometry, no Graphviz).

Why flowmap places the diagram itself: ``dot`` keeps clusters in whatever vertical order its
crossing minimisation likes, and a service blueprint needs its lanes in a fixed order (customer on
top, then front stage, then back stage; within a function the highest level on top). Measured on
this machine: flat invisible edges, ``ordering=out`` and ``rank=min`` heads kept the lane order in
1 of 6 random graphs at best. So flowmap computes a swimlane layout and Graphviz only draws it
(``neato -n2``: positions as given): shapes, HTML labels, fonts and PDF/PNG output stay Graphviz's.

The layout:

* columns (:mod:`flowmap.render.columns`): time runs left to right; a step handed on to one step
  in another lane shares its column (the flow runs straight up or down);
* rows: the bands and lanes in blueprint order; steps of one lane in one column are stacked;
* flows: to the next column, an S-curve through the gap between the two columns; further, or back
  (loops), along the gutters between rows and the gaps between columns, never through a step.

Coordinates here run downwards (y = 0 at the top), in points; :mod:`flowmap.render.dot` flips them.
"""

from __future__ import annotations

import unicodedata

from flowmap.model import StepKind
from flowmap.render.columns import columns
from flowmap.render.geometry import (
    BAND_TITLE,
    FONT_SIZE,
    GAP,
    HEADER_WIDTH,
    LANE_PAD,
    LINE,
    LINE_ROW,
    MARGIN,
    ROW_GAP,
    TAG_SIZE,
    TITLE,
    Box,
    Placement,
    Rect,
)
from flowmap.render.layout import Diagram, Edge, Line, Node
from flowmap.render.routes import route_all
from flowmap.render.text import wrap

# Helvetica advance widths in 1/1000 em, by character (the others: see char_width).
_NARROW = dict.fromkeys("il.,:;'|!`", 278) | dict.fromkeys("fjtI[]()/\\- ", 300) | {"r": 333}
_WIDE = {"m": 833, "w": 722, "M": 833, "W": 944, "@": 1015, "%": 889, "&": 667}


def char_width(ch: str) -> float:
    if ch in _NARROW:
        return _NARROW[ch] / 1000
    if ch in _WIDE:
        return _WIDE[ch] / 1000
    if ch.isascii():
        return 0.70 if ch.isupper() else 0.56
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    if unicodedata.combining(ch):
        return 0.0
    return 0.62


# char_width of every ASCII character, looked up at once for an ASCII text (most names).
_ASCII = {chr(c): char_width(chr(c)) for c in range(128)}


def text_width(text: str, size: float = FONT_SIZE, bold: bool = False) -> float:
    """An estimate of the width of ``text`` in points, a little generous."""
    if text.isascii():
        width = sum(map(_ASCII.__getitem__, text)) * size
    else:
        width = sum(char_width(ch) for ch in text) * size
    return width * (1.08 if bold else 1.0) + 2


# ---------------------------------------------------------------------------------------------
# Sizes
# ---------------------------------------------------------------------------------------------


def node_lines(node: Node, wrap_width: int) -> list[str]:
    if node.continuation:  # "→ p. 3:" on a line of its own, then the steps' names
        head, _, names = node.name.partition(": ")
        named = names.splitlines()
        # Narrow (each name on at most two short lines): a marker at both ends of every strip
        # would otherwise take a third of a page's width.
        lines = [
            line
            for name in named[:2]
            for line in wrap(name, wrap_width - 2, 2 if len(named) == 1 else 1)
        ]
        if len(named) > 2:
            lines.append(f"+{len(named) - 2} more")
        return [head + ":", *lines]
    compact = node.kind in (StepKind.decision, StepKind.start, StepKind.end, StepKind.event)
    return wrap(node.name, wrap_width - (6 if compact else 0))


def value_tag(node: Node, word: str) -> str:
    """The line under a step's name: its value (when declared) and its times."""
    from flowmap.formatting import duration as span

    times = " + ".join(
        t
        for t in (
            span(node.work) if node.work else "",
            f"{span(node.wait)} wait" if node.wait else "",
        )
        if t
    )
    meets = ""  # the service blueprint's touchpoint, and its channel
    if node.touchpoint:
        meets = f"touchpoint: {node.channel}" if node.channel else "touchpoint"
    elif node.channel:
        meets = node.channel
    rest = " · ".join(t for t in (word, times) if t)
    return "\n".join(t for t in (meets, rest) if t)


def badges_width(numbers) -> float:
    return sum(BADGE_BASE + 7 * len(str(n)) for n in numbers)


BADGE_BASE = 22.0  # a badge: the severity letter, then the number


def node_size(node: Node, wrap_width: int, tag: str) -> tuple[float, float]:
    lines = node_lines(node, wrap_width)
    width = max(text_width(line) for line in lines)
    height = len(lines) * LINE
    for line in tag.splitlines():
        width = max(width, text_width(line, TAG_SIZE))
        height += TAG_SIZE + 3
    if node.badges:
        width = max(width, badges_width(node.badges))
        height += 19
    if node.change:  # the NEW / CHANGED word of `render --diff`
        height += TAG_SIZE + 3
    width += 18
    height += 12
    if node.continuation:  # a box with an arrow's tip (Graphviz's cds), not the event's ellipse
        return max(width + 22, 64.0), max(height, 36.0)
    if node.kind == StepKind.decision:
        width, height = width * 1.55 + 8, height * 1.45 + 6
    elif node.kind in (StepKind.start, StepKind.end, StepKind.event):
        width, height = width * 1.3 + 6, height * 1.35 + 4
    elif node.kind == StepKind.wait:
        width += 22
    elif node.kind == StepKind.subprocess:
        width, height = width + 8, height + 8
    return max(width, 64.0), max(height, 36.0)


# ---------------------------------------------------------------------------------------------
# The whole placement
# ---------------------------------------------------------------------------------------------


def title_text_height(label: str, level: bool) -> float:
    """The height of a lane's title as drawn: its name on up to three lines, and its level."""
    return 13.0 * len(wrap(label, 16, 3)) + (12.0 if level else 0.0)


def empty_lane_height(label: str, level: bool) -> float:
    """The height of a lane without steps: room for its title (and level) alone."""
    return max(24.0, title_text_height(label, level) + 6.0)


def title_boxes(diagram: Diagram, placement: Placement) -> list[Box]:
    """Where each lane's title is written: on the left and again at every repeat (the text
    itself, not the room kept for it)."""
    boxes = []
    for band in diagram.bands:
        for lane in band.lanes:
            head = placement.heads.get(lane.key)
            if head is None:
                continue
            height = title_text_height(lane.label, lane.level is not None)
            boxes += [
                Box(x, head.y, head.w, height)
                for x in [head.x, *(repeat_title_x(r, head) for r in placement.repeats)]
            ]
    return boxes


def repeat_title_x(repeat: float, head: Box) -> float:
    """The centre of a lane's title repeated at ``repeat`` (the left of its room)."""
    return repeat + head.w / 2 + 4


REPEAT_EVERY = 1417.0  # points (50 cm): lane titles are drawn again after this much width


def place(
    diagram: Diagram,
    *,
    wrap_width: int = 22,
    tags: dict[str, str] | None = None,
    legend_size: tuple[float, float] = (0.0, 0.0),
    side_size: tuple[float, float] = (0, 0),
    title: float = TITLE,
    repeat_every: float = REPEAT_EVERY,
) -> Placement:
    """Place every band, lane, step and flow of ``diagram``.

    ``tags`` is the small line under each step's name (its value and times), by node id.
    ``legend_size`` reserves room for the key under the lanes; ``side_size`` for a panel beside
    them (findings, metrics and key of a page); ``title`` is the height of the title block.
    On a sheet wider than ``repeat_every`` the lane titles are repeated along the way.
    """
    tags = tags or {}
    col = columns(diagram)
    ncols = max(col.values(), default=-1) + 1
    sizes = {n.id: node_size(n, wrap_width, tags.get(n.id, "")) for n in diagram.nodes}

    col_width = [0.0] * ncols
    for n in diagram.nodes:
        col_width[col[n.id]] = max(col_width[col[n.id]], sizes[n.id][0])
    gap = [GAP] * (ncols + 1)  # gap[c]: after column c; gap[-1]: before column 0
    for e in diagram.edges:
        width = _label_width(e)
        if width:
            c = col[e.source]
            gap[c] = max(gap[c], width + 30)

    # x of each column (left edge), with the lane titles on the left.
    col_left = []
    repeats: list[float] = []
    x = MARGIN + HEADER_WIDTH + gap[-1]
    last_title = MARGIN
    for c in range(ncols):
        if repeat_every and x + col_width[c] - last_title > repeat_every:
            repeats.append(x)  # the lane titles again, in room of their own
            last_title = x
            x += HEADER_WIDTH + gap[-1]
        col_left.append(x)
        x += col_width[c] + gap[c]
    content_right = x
    col_right = [col_left[c] + col_width[c] for c in range(ncols)]

    # Rows: bands, lanes, stacked steps.
    placement = Placement(0, 0, columns=ncols, repeats=repeats)
    by_lane: dict[str, list[Node]] = {}
    for n in diagram.nodes:
        by_lane.setdefault(n.lane, []).append(n)
    preds: dict[str, list[str]] = {}
    for e in diagram.edges:
        preds.setdefault(e.target, []).append(e.source)

    row_of: dict[str, tuple[str, int]] = {}  # node -> (lane, sub-row)
    row_span: dict[tuple[str, int], tuple[float, float]] = {}
    lane_rows: dict[str, int] = {}
    y = MARGIN + title
    for b, row in enumerate(diagram.rows):
        if isinstance(row, Line):
            placement.lines[row.key] = Rect(MARGIN, y, 0, y + LINE_ROW)
            y += LINE_ROW
            continue
        band_top = y
        y += BAND_TITLE
        for lane in row.lanes:
            lane_top = y
            if not by_lane.get(lane.key):  # a lane with nothing here (on a strip): its title
                y += empty_lane_height(lane.label, lane.level is not None)
                lane_rows[lane.key] = 0
                placement.lanes[lane.key] = Rect(MARGIN + 4, lane_top, 0, y)
                placement.heads[lane.key] = Box(
                    MARGIN + 4 + HEADER_WIDTH / 2,
                    (lane_top + y) / 2,
                    HEADER_WIDTH - 8,
                    y - lane_top - 4,
                )
                y += 3
                continue
            stacks = _stacks(by_lane.get(lane.key, []), col, preds, row_of)
            depth = max((len(s) for s in stacks.values()), default=1) or 1
            heights = [36.0] * depth
            for stack in stacks.values():
                for i, n in enumerate(stack):
                    heights[i] = max(heights[i], sizes[n.id][1])
            y += LANE_PAD
            for i in range(depth):
                row_span[(lane.key, i)] = (y, y + heights[i])
                for c, stack in stacks.items():
                    if i < len(stack):
                        n = stack[i]
                        w, h = sizes[n.id]
                        placement.nodes[n.id] = Box(
                            col_left[c] + col_width[c] / 2, y + heights[i] / 2, w, h
                        )
                        row_of[n.id] = (lane.key, i)
                y += heights[i] + (ROW_GAP if i < depth - 1 else 0)
            y += LANE_PAD
            lane_rows[lane.key] = depth
            placement.lanes[lane.key] = Rect(MARGIN + 4, lane_top, 0, y)
            placement.heads[lane.key] = Box(
                MARGIN + 4 + HEADER_WIDTH / 2,
                (lane_top + y) / 2,
                HEADER_WIDTH - 8,
                min(y - lane_top - 4, 48),
            )
            y += 3
        placement.bands[f"b{b}"] = Rect(MARGIN, band_top, 0, y + 1)
        y += 4

    legend_w, legend_h = legend_size
    right = max(content_right, MARGIN + legend_w + 8)
    if not diagram.rows:  # a page of findings and key alone
        right = -MARGIN
    for rect in placement.lanes.values():
        rect.x1 = right - 4
    for rect in (*placement.bands.values(), *placement.lines.values()):
        rect.x1 = right
    if legend_h:
        y += 8
        placement.legend = Rect(MARGIN, y, right, y + legend_h)
        y += legend_h
    placement.width = right + MARGIN
    if side_size[0]:
        top = MARGIN + title
        placement.side = Rect(
            right + 2 * MARGIN, top, right + 2 * MARGIN + side_size[0], max(y, top + side_size[1])
        )
        placement.width = placement.side.x1 + MARGIN
        y = max(y, placement.side.y1)
    placement.height = y + MARGIN

    route_all(diagram, placement, col, col_left, col_right, gap, row_of, row_span, _label_width)
    from flowmap.render.labels import separate_labels

    separate_labels(diagram, placement, _label_width)
    return placement


def _label_width(edge: Edge) -> float:
    width = 0.0
    if edge.label:
        width += text_width(wrap(edge.label, 18, 2)[0], 8)
    if edge.badges:
        width += badges_width(edge.badges)
    return width


def _stacks(
    nodes: list[Node],
    col: dict[str, int],
    preds: dict[str, list[str]],
    row_of: dict[str, tuple[str, int]],
) -> dict[int, list[Node]]:
    """Steps of one lane by column; in a column, those whose predecessors sit higher go first."""
    stacks: dict[int, list[Node]] = {}
    for n in nodes:
        stacks.setdefault(col[n.id], []).append(n)
    for c in sorted(stacks):
        stack = stacks[c]
        if len(stack) > 1:

            def weight(n: Node, index: int) -> tuple[float, int]:
                rows = [
                    row_of[p][1]
                    for p in preds.get(n.id, [])
                    if p in row_of and row_of[p][0] == n.lane
                ]
                return (sum(rows) / len(rows) if rows else 0.0, index)

            stacks[c] = [
                n
                for _, n in sorted(
                    ((weight(n, i), n) for i, n in enumerate(stack)), key=lambda pair: pair[0]
                )
            ]
    return stacks

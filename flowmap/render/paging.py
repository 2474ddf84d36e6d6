"""Splitting a diagram into printed sheets along its phases, and packing the pieces on the sheets.

Step names must print at a minimum size (12 pt unless asked otherwise), so the scale of a drawing
on paper has a floor; a process wider than the paper at that scale is cut into *strips* between
columns, where few flows cross (the end of one phase, the start of the next). Strips are stacked
on a sheet as long as the sheet is tall enough, in reading order (left to right, then down), and
the next sheet starts when it is not: a wide, shallow process fills its sheets instead of leaving
their lower half blank. Every strip keeps the customer's band, the lines of the blueprint and the
lanes that work in it, with their titles; a flow to a step in another strip ends in a
continuation marker naming it: "→ p. 3: Assess damage" on another sheet, "→ below: Assess
damage" further down the same sheet, and the strip it leads to starts with the matching one
("← p. 2: Check cover", "← above: Check cover").

Pure: no I/O. The strips are :class:`~flowmap.render.layout.Diagram` values drawn like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from flowmap.model import StepKind
from flowmap.render.columns import columns
from flowmap.render.layout import Band, Diagram, Edge, Line, Node

SHORTEST = 0.6  # a strip is cut where few flows cross, once it is this full
STRIP_GAP = 12.0  # drawing points between two strips stacked on one sheet
Measure = Callable[[Diagram], tuple[float, float]]  # a strip's width and height as drawn


def crossings(diagram: Diagram, col: dict[str, int]) -> list[int]:
    """crossings[k]: how many flows cross the cut between column k and column k + 1."""
    ncols = max(col.values(), default=-1) + 1
    count = [0] * max(ncols, 1)
    for e in diagram.edges:
        a, b = sorted((col[e.source], col[e.target]))
        for k in range(a, b):
            count[k] += 1
    return count


def pack(
    diagram: Diagram,
    room: tuple[float, float],
    measure: Measure,
    *,
    first_side: float = 0.0,
    header: Callable[[int], float] = lambda sheet: 0.0,
    most: int | None = None,
    shortest: float = SHORTEST,
) -> list[list[Diagram]]:
    """The sheets of ``diagram``, each a list of strips from top to bottom.

    A sheet holds ``room`` (width, height) drawing points; the first one ``first_side`` less wide
    (the panel beside it); ``header(i)`` is the height of sheet ``i``'s title block (drawn with
    its first strip, which ``measure`` does not count). ``measure(strip)`` is the size of a strip
    as it will be drawn. A strip taller than a sheet still gets a sheet of its own (the caller
    warns that its names print below the minimum). With ``most``, packing stops once it needs
    more sheets than that (the answer is then longer than ``most``, its strips unfinished).
    A strip is cut where the fewest flows cross once it is ``shortest`` as wide as it could be.
    """
    col = columns(diagram)
    ncols = max(col.values(), default=-1) + 1
    if ncols == 0:
        return [[diagram]]
    cross = crossings(diagram, col)
    sizes: dict[tuple[int, int], tuple[float, float]] = {}

    def size(start: int, end: int) -> tuple[float, float]:
        if (start, end) not in sizes:
            sizes[(start, end)] = measure(_strip(diagram, col, range(start, end), {}))
        return sizes[(start, end)]

    def widest(start: int, width: float, height: float) -> int:
        end = start + 1  # the widest strip that fits...
        while (
            end < ncols and size(start, end + 1)[0] <= width and (size(start, end + 1)[1] <= height)
        ):
            end += 1
        if end < ncols:  # ...cut, once well filled, where the fewest flows cross
            least = start + max(1, -(-int(shortest * (end - start) * 10) // 10))
            end = min(range(least, end + 1), key=lambda k: (cross[k - 1], -k))
        return end

    sheets: list[list[tuple[int, int]]] = []
    start = 0
    while start < ncols:
        width = room[0] - (first_side if not sheets else 0.0)
        left = room[1] - header(len(sheets))
        ranges: list[tuple[int, int]] = []
        while start < ncols:
            end = widest(start, width, room[1] - header(len(sheets)))
            height = size(start, end)[1]
            if ranges and height > left:
                break
            ranges.append((start, end))
            left -= height + STRIP_GAP
            start = end
        sheets.append(ranges)
        if most is not None and len(sheets) > most:
            return [[diagram]] * len(sheets)
    if len(sheets) == 1 and len(sheets[0]) == 1:
        return [[diagram]]
    where: dict[str, tuple[int, int]] = {}  # node -> (sheet, strip), counted from 1
    strip = 0
    for number, ranges in enumerate(sheets, start=1):
        for a, b in ranges:
            strip += 1
            where.update((n.id, (number, strip)) for n in diagram.nodes if a <= col[n.id] < b)
    return [[_strip(diagram, col, range(a, b), where) for a, b in ranges] for ranges in sheets]


def _marker_text(arrow: str, here: tuple[int, int], there: tuple[int, int]) -> str:
    if here[0] == there[0]:
        return f"{arrow} {'below' if there[1] > here[1] else 'above'}"
    return f"{arrow} p. {there[0]}"


def _strip(
    diagram: Diagram, col: dict[str, int], span: range, where: dict[str, tuple[int, int]]
) -> Diagram:
    """The part of ``diagram`` in the columns ``span``, with continuation markers (``where``
    gives every node's sheet and strip; empty while the strips are still being chosen)."""
    nodes = [n for n in diagram.nodes if col[n.id] in span]
    here = {n.id for n in nodes}
    by_id = {n.id: n for n in diagram.nodes}
    edges: list[Edge] = []
    markers: dict[str, Node] = {}
    lane_number = {
        lane.key: i for i, lane in enumerate(lane for band in diagram.bands for lane in band.lanes)
    }
    mine_at = where.get(nodes[0].id) if nodes and where else None
    for e in diagram.edges:
        s_in, t_in = e.source in here, e.target in here
        if s_in and t_in:
            edges.append(e)
        elif s_in or t_in:
            other = by_id[e.target if s_in else e.source]
            mine = by_id[e.source if s_in else e.target]
            other_name = other.name or f"({other.kind.value})"  # an unnamed gateway or event
            arrow = "→" if s_in else "←"
            if mine_at is not None:  # one marker per lane and strip on the other side
                head = _marker_text(arrow, mine_at, where[other.id])
                key = f"{'x' if s_in else 'y'}s{where[other.id][1]}_{lane_number[mine.lane]}"
            else:  # while strips are chosen: one per step, never smaller than the final ones
                head = f"{arrow} above"
                key = f"{'x' if s_in else 'y'}{other.id}_{lane_number[mine.lane]}"
            if key in markers:
                known = markers[key]
                if other_name not in known.name.split(": ", 1)[1].split("\n"):
                    markers[key] = replace(known, name=f"{known.name}\n{other_name}")
            else:
                markers[key] = Node(
                    key,
                    other.step,
                    f"{head}: {other_name}",
                    StepKind.event,
                    None,
                    mine.lane,
                    0.0,
                    0.0,
                    continuation="to" if s_in else "from",
                )
            ends = (e.source, key) if s_in else (key, e.target)
            edges.append(
                replace(
                    e, id=f"{e.id}_{key}", source=ends[0], target=ends[1], back=False, badges=()
                )
            )
    nodes += list(markers.values())
    used = {n.lane for n in nodes}
    rows: list[Band | Line] = []
    for row in diagram.rows:
        if isinstance(row, Line):
            rows.append(row)
            continue
        lanes = tuple(lane for lane in row.lanes if lane.key in used or row.stage == "customer")
        if lanes:
            rows.append(replace(row, lanes=lanes))
    while rows and isinstance(rows[-1], Line):
        rows.pop()
    cleaned: list[Band | Line] = []
    for row in rows:
        if isinstance(row, Line) and cleaned and isinstance(cleaned[-1], Line):
            cleaned[-1] = row
        else:
            cleaned.append(row)
    return Diagram(
        diagram.title,
        diagram.subtitle,
        cleaned,
        nodes,
        edges,
        diagram.findings,
        diagram.findings_mode,
        diagram.metrics,
        diagram.maturity,
        diagram.process_id,
    )

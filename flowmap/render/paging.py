"""Splitting a diagram into printed pages along its phases.

Step names must print at a minimum size (12 pt unless asked otherwise), so the scale of a drawing
on paper has a floor; a process wider than the paper at that scale is cut into pages between
columns, where few flows cross (the end of one phase, the start of the next). Every page keeps the
customer's band and the lines of the blueprint, and the lanes that work on that page, with their
titles; a flow to a step on another page ends in a continuation marker naming it
("→ p. 3: Assess damage"), and the page it leads to starts with the matching one
("← p. 2: Check cover").

Pure: no I/O. The pages are :class:`~flowmap.render.layout.Diagram` values drawn like any other.
"""

from __future__ import annotations

from dataclasses import replace

from flowmap.model import StepKind
from flowmap.render import place as geometry
from flowmap.render.columns import columns
from flowmap.render.layout import Band, Diagram, Edge, Line, Node

MARKER_WIDTH = 190.0  # room for a continuation marker at either end of a page
SHORTEST = 0.6  # a page is cut where few flows cross, once it is this full


def column_widths(diagram: Diagram, col: dict[str, int], wrap_width: int) -> list[float]:
    ncols = max(col.values(), default=-1) + 1
    widths = [0.0] * ncols
    for n in diagram.nodes:
        w, _ = geometry.node_size(n, wrap_width, "x" * 24 if n.kind not in
                                  (StepKind.start, StepKind.end, StepKind.event) else "")
        widths[col[n.id]] = max(widths[col[n.id]], w)
    return [w + geometry.GAP for w in widths]


def crossings(diagram: Diagram, col: dict[str, int]) -> list[int]:
    """crossings[k]: how many flows cross the cut between column k and column k + 1."""
    ncols = max(col.values(), default=-1) + 1
    count = [0] * max(ncols, 1)
    for e in diagram.edges:
        a, b = sorted((col[e.source], col[e.target]))
        for k in range(a, b):
            count[k] += 1
    return count


def split(diagram: Diagram, room: tuple[float, float], first_side: float, wrap_width: int,
          fits=None, first_number: int = 1) -> list[Diagram]:
    """The pages of ``diagram`` when a page holds ``room`` (width, height) drawing points, the
    first one ``first_side`` less wide (its panel). ``fits(page, number)`` says whether a page
    built so far fits (default: always); a page that does not loses columns. Pages are numbered
    from ``first_number`` in the continuation markers (2 when a cover page comes first)."""
    col = columns(diagram)
    ncols = max(col.values(), default=-1) + 1
    if ncols == 0:
        return [diagram]
    widths = column_widths(diagram, col, wrap_width)
    cross = crossings(diagram, col)
    fixed = 2 * geometry.MARGIN + geometry.HEADER_WIDTH + geometry.GAP

    def ok(start: int, end: int) -> bool:
        if fits is None:  # an estimate from the widths of the columns
            budget = room[0] - (first_side if not ranges else 0) - fixed - MARKER_WIDTH * 2
            return sum(widths[start:end]) <= budget
        return fits(_page(diagram, col, range(start, end), {}, len(ranges) + 1), len(ranges))

    ranges: list[tuple[int, int]] = []
    start = 0
    while start < ncols:
        end = start + 1  # the widest page that fits...
        while end < ncols and ok(start, end + 1):
            end += 1
        if end < ncols:  # ...cut, once well filled, where the fewest flows cross
            shortest = start + max(1, -(-int(SHORTEST * (end - start) * 10) // 10))
            end = min(range(shortest, end + 1), key=lambda k: (cross[k - 1], -k))
        ranges.append((start, end))
        start = end
    if len(ranges) == 1:
        return [diagram]
    page_of = {n.id: next(i for i, (a, b) in enumerate(ranges) if a <= col[n.id] < b)
               for n in diagram.nodes}
    page_of = {n: p + first_number - 1 for n, p in page_of.items()}
    return [_page(diagram, col, range(a, b), page_of, i + 1) for i, (a, b) in enumerate(ranges)]


def _page(diagram: Diagram, col: dict[str, int], span: range, page_of: dict[str, int],
          number: int) -> Diagram:
    """The part of ``diagram`` in the columns ``span``, with continuation markers (``page_of``
    gives every node's page, counted from 0; empty while pages are still being chosen)."""
    nodes = [n for n in diagram.nodes if col[n.id] in span]
    here = {n.id for n in nodes}
    by_id = {n.id: n for n in diagram.nodes}
    edges: list[Edge] = []
    markers: dict[str, Node] = {}
    lane_number = {lane.key: i for i, lane in enumerate(
        lane for band in diagram.bands for lane in band.lanes)}
    for e in diagram.edges:
        s_in, t_in = e.source in here, e.target in here
        if s_in and t_in:
            edges.append(e)
        elif s_in or t_in:
            other = by_id[e.target if s_in else e.source]
            mine = by_id[e.source if s_in else e.target]
            arrow = "→" if s_in else "←"
            if other.id in page_of:  # one marker per lane and page on the other side
                page = page_of[other.id] + 1
                key = f"{'x' if s_in else 'y'}p{page}_{lane_number[mine.lane]}"
            else:  # while pages are chosen: one per step, never smaller than the final ones
                page = 88
                key = f"{'x' if s_in else 'y'}{other.id}_{lane_number[mine.lane]}"
            if key in markers:
                known = markers[key]
                if other.name not in known.name.split(": ", 1)[1].split("\n"):
                    markers[key] = replace(known, name=f"{known.name}\n{other.name}")
            else:
                markers[key] = Node(key, other.step, f"{arrow} p. {page}: {other.name}",
                                    StepKind.event, None, mine.lane, 0.0, 0.0,
                                    continuation="to" if s_in else "from")
            ends = (e.source, key) if s_in else (key, e.target)
            edges.append(replace(e, id=f"{e.id}_{key}", source=ends[0], target=ends[1],
                                 back=False, badges=()))
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
    return Diagram(diagram.title, diagram.subtitle, cleaned, nodes, edges, diagram.findings,
                   diagram.findings_mode, diagram.metrics, diagram.maturity, diagram.process_id)

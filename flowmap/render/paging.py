"""Splitting a diagram into printed sheets along its phases, and packing the pieces on the sheets.

Step names must print at a minimum size (12 pt unless asked otherwise), so the scale of a drawing
on paper has a floor; a process wider than the paper at that scale is cut into *strips* between
columns, and strips are stacked on a sheet as long as it is tall enough, in reading order (left
to right, then down). Where to cut and which strips share a sheet is chosen over the whole
process at once (:func:`plan`, dynamic programming over the columns): the fewest sheets, then
the emptiest sheet as full as it can be, then cuts where few flows cross (the end of one phase,
the start of the next). Every strip keeps the customer's band, the lines of the blueprint and
the lanes that work in it, with their titles; a flow to a step in another strip ends in a
continuation marker naming it: "→ p. 3: Assess damage" on another sheet, "→ below: Assess
damage" further down the same sheet, and the strip it leads to starts with the matching one
("← p. 2: Check cover", "← above: Check cover").

Pure: no I/O. The strips are :class:`~flowmap.render.layout.Diagram` values drawn like any other.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, replace

from flowmap.model import StepKind
from flowmap.render.columns import columns
from flowmap.render.layout import Band, Diagram, Edge, Line, Node
from flowmap.render.page import MAX_ENLARGE

STRIP_GAP = 12.0  # drawing points between two strips stacked on one sheet
BANDS = ((0.75, 1.0), (0.5, 0.75), (0.3, 0.5))  # of a strip's widest: one cut tried in each
EVERY_END = 8  # strips of at most this many columns may end at any column of those bands
FILL_STEP = 0.05  # fills this close count as equal, and the cut where fewer flows cross wins
TRIES = 4  # plans made before measuring strips with a marker for each step on the other side
OPTIONS_CAP = 4000  # ways of filling one sheet tried from one column, at most
Measure = Callable[[Diagram], tuple[float, float]]  # a strip's width and height as drawn
PanelFill = Callable[[float, float, float], float | None]


def crossings(diagram: Diagram, col: dict[str, int]) -> list[int]:
    """crossings[k]: how many flows cross the cut between column k and column k + 1."""
    ncols = max(col.values(), default=-1) + 1
    count = [0] * max(ncols, 1)
    for e in diagram.edges:
        a, b = sorted((col[e.source], col[e.target]))
        for k in range(a, b):
            count[k] += 1
    return count


@dataclass
class Plan:
    """The sheets of a diagram, each a list of strips from top to bottom, and the sheet whose
    strips the panel (findings and key) joins: None for a page of its own, or no panel."""

    sheets: list[list[Diagram]]
    panel_on: int | None = None


@dataclass(frozen=True)
class _Fill:
    """One way to fill a sheet from a start column: strips ending at ``cuts``."""

    cuts: tuple[int, ...]
    width: float  # the widest strip
    height: float  # the strips stacked, with the gaps
    area: float  # the strips' own areas
    cross: int  # flows crossing the cuts after each strip (not at the process's end)


def pack(
    diagram: Diagram, room: tuple[float, float], measure: Measure, **kw
) -> list[list[Diagram]]:
    """The sheets of ``diagram``: :func:`plan` without a panel to place."""
    return plan(diagram, room, measure, **kw).sheets


def plan(
    diagram: Diagram,
    room: tuple[float, float],
    measure: Measure,
    *,
    first_side: float = 0.0,
    header: Callable[[int], float] = lambda sheet: 0.0,
    most: int | None = None,
    panel: PanelFill | None = None,
) -> Plan:
    """Where ``diagram`` is cut into strips and which strips share a sheet, chosen over the
    whole process: the fewest sheets; then the emptiest sheet as full as it can be (a sheet's
    fill: its strips' area at the scale the sheet prints at, over the sheet's room); then the
    fewest flows crossing the cuts (fills within :data:`FILL_STEP` count as equal).

    A sheet holds ``room`` (width, height) drawing points at the floor scale (names at the
    minimum size) and prints enlarged up to :data:`~flowmap.render.page.MAX_ENLARGE` when its
    strips leave room; the first one is ``first_side`` less wide (a poster's panel beside it).
    ``header(i)`` is the height of sheet ``i``'s title block, drawn with its first strip (the
    first sheet's, and one for all others). ``measure(strip)`` is a strip's size as drawn. A
    strip taller than a sheet still gets a sheet of its own (the caller warns). ``panel(width,
    height, area)`` says how full a sheet of strips that size is with the findings and the key
    beside or under them, or None when they do not fit there; without such a sheet they take a
    page of their own at the end. With ``most``, planning stops once it needs more sheets than
    that (the answer is then longer than ``most``, its strips unfinished).

    Strips are measured with one marker per lane for each way out (as they are drawn when all
    the flows that leave a lane that way lead to one strip); when the strips as drawn then do
    not fit their sheets, the plan is made again knowing their sizes (up to :data:`TRIES`
    times), and at last with one marker for each step on the other side, which is never smaller
    than what is drawn.
    """
    col = columns(diagram)
    if not col:
        return Plan([[diagram]], 0 if panel else None)
    likely = _Planner(diagram, col, room, measure, first_side, header, panel, likely=True)
    for planner in [likely] * TRIES + [
        _Planner(diagram, col, room, measure, first_side, header, panel, likely=False)
    ]:
        chosen = planner.plan(most)
        if most is not None and len(chosen) > most:
            return Plan([[diagram]] * len(chosen))
        ranges: list[list[tuple[int, int]]] = []
        for f, _ in chosen:
            bounds = (ranges[-1][-1][1] if ranges else 0, *f.cuts)
            ranges.append(list(itertools.pairwise(bounds)))
        panel_on = next((i for i, (_, p) in enumerate(chosen) if p), None)
        if len(ranges) == 1 and len(ranges[0]) == 1:
            return Plan([[diagram]], panel_on)
        where: dict[str, tuple[int, int]] = {}  # node -> (sheet, strip), counted from 1
        strip = 0
        for number, sheet in enumerate(ranges, start=1):
            for a, b in sheet:
                strip += 1
                where.update((n.id, (number, strip)) for n in diagram.nodes if a <= col[n.id] < b)
        sheets = [[_strip(diagram, col, range(a, b), where) for a, b in sheet] for sheet in ranges]
        drawn = [[measure(s) for s in strips] for strips in sheets]
        if all(
            planner.holds(sizes, i == 0, f)
            for i, (sizes, (f, _)) in enumerate(zip(drawn, chosen, strict=True))
        ):
            break
        for sheet, sizes in zip(ranges, drawn, strict=True):  # plan again, knowing these
            for span, size in zip(sheet, sizes, strict=True):
                planner.learn(span, size)
    return Plan(sheets, panel_on)


class _Planner:
    """The choice of cuts and sheets for :func:`plan` (see there)."""

    def __init__(self, diagram, col, room, measure, first_side, header, panel, likely) -> None:
        self.diagram, self.col, self.room, self.measure = diagram, col, room, measure
        self.first_side, self.header, self.panel = first_side, header, panel
        self.ncols = max(col.values()) + 1
        self.cross = crossings(diagram, col)
        self.markers: dict[str, tuple[int, int]] | None = {} if likely else None
        self.sizes: dict[tuple[int, int], tuple[float, float]] = {}
        self.widest: dict[tuple[float, float], dict[int, int]] = {}  # room -> start -> end
        self.ends_known: dict[tuple[int, float, float], list[int]] = {}

    def learn(self, span: tuple[int, int], size: tuple[float, float]) -> None:
        """A strip is at least ``size`` (as drawn with the markers of a plan)."""
        known = self.size(*span)
        self.sizes[span] = (max(size[0], known[0]), max(size[1], known[1]))
        self.widest.clear()
        self.ends_known.clear()

    def size(self, a: int, b: int) -> tuple[float, float]:
        if (a, b) not in self.sizes:
            strip = _strip(self.diagram, self.col, range(a, b), self.markers)
            self.sizes[(a, b)] = self.measure(strip)
        return self.sizes[(a, b)]

    def room_of(self, first: bool) -> tuple[float, float]:
        """The width and height a sheet's strips may take."""
        return (
            self.room[0] - (self.first_side if first else 0.0),
            self.room[1] - self.header(0 if first else 1),
        )

    def holds(self, sizes: list[tuple[float, float]], first: bool, f: _Fill) -> bool:
        """Whether strips drawn at ``sizes`` fit the sheet planned for them as ``f``."""
        width, height = self.room_of(first)
        stacked = sum(h for _, h in sizes) + STRIP_GAP * (len(sizes) - 1)
        return max(w for w, _ in sizes) <= max(width, f.width) and stacked <= max(height, f.height)

    def ends(self, a: int, width: float, height: float) -> list[int]:
        """Where a strip from column ``a`` may end: the widest that fits, and in each band of
        :data:`BANDS` the cut where the fewest flows cross (any column of them in a narrow
        strip)."""
        if (a, width, height) not in self.ends_known:
            self.ends_known[(a, width, height)] = self._ends(a, width, height)
        return self.ends_known[(a, width, height)]

    def _ends(self, a: int, width: float, height: float) -> list[int]:
        def fits(b: int) -> bool:
            w, h = self.size(a, b)
            return w <= width and h <= height

        # The widest strip that fits. A strip inside one that fits fits too: so no strip from
        # column a ends before the widest from a column before a, nor after the widest from a
        # column after a.
        known = self.widest.setdefault((width, height), {})
        lo = max([a + 1, *(w for x, w in known.items() if x < a)])
        hi = min((w for x, w in known.items() if x > a), default=self.ncols) + 1
        if hi <= self.ncols:  # the widest from the next column, less a column or two...
            for b in range(hi - 1, max(lo, hi - 4), -1):
                if fits(b):
                    lo = b
                    break
                hi = b
        step = 1
        while lo + step < hi and fits(lo + step):  # ...or grow from the least,
            lo, step = lo + step, step * 2
        hi = min(hi, lo + step)
        while hi - lo > 1:  # ...then halve
            mid = (lo + hi) // 2
            lo, hi = (mid, hi) if fits(mid) else (lo, mid)
        known[a] = lo
        span = lo - a
        if span <= EVERY_END:
            return list(range(lo, a + max(1, math.ceil(BANDS[-1][0] * span)) - 1, -1))
        found = {lo}
        for low, high in BANDS:
            band = range(a + max(1, math.ceil(low * span)), a + max(1, math.ceil(high * span)))
            if band:
                found.add(min(band, key=lambda k: (self.cross[k - 1], -k)))
        return sorted(found, reverse=True)

    def fillings(self, a: int, first: bool) -> list[_Fill]:
        """Every way (but dominated ones) of filling one sheet from column ``a``."""
        width, height = self.room_of(first)
        out: list[_Fill] = []
        seen: dict[int, list[_Fill]] = {}
        stack = [_Fill((), 0.0, -STRIP_GAP, 0.0, 0)]
        while stack and len(out) < OPTIONS_CAP:
            done = stack.pop()
            x = done.cuts[-1] if done.cuts else a
            for b in self.ends(x, width, height):
                w, h = self.size(x, b)
                tall = done.height + STRIP_GAP + h
                if (done.cuts and tall > height) or (b > x + 1 and (w > width or h > height)):
                    continue
                more = _Fill(
                    (*done.cuts, b),
                    max(done.width, w),
                    tall,
                    done.area + w * h,
                    done.cross + (self.cross[b - 1] if b < self.ncols else 0),
                )
                known = seen.setdefault(b, [])
                if any(_dominates(o, more) for o in known):
                    continue
                known.append(more)
                out.append(more)
                if b < self.ncols:
                    stack.append(more)
        return out

    def fill(self, f: _Fill, first: bool, panel_too: bool) -> float | None:
        """How full the sheet ``f`` is (with the panel: None when it has no room for it)."""
        top = self.header(0 if first else 1)
        width = max(f.width, 1.0)
        area = f.area + width * top
        if panel_too:
            return self.panel(width, f.height + top, area) if self.panel else None
        scale = min(
            (self.room[0] - (self.first_side if first else 0.0)) / width,
            self.room[1] / (f.height + top),
            MAX_ENLARGE,
        )
        return scale * scale * area / (self.room[0] * self.room[1])

    def plan(self, most: int | None) -> list[tuple[_Fill, bool]]:
        """The sheets, each a way to fill it and whether the panel joins it."""
        ncols = self.ncols
        if most == 1:  # only whether one sheet holds it all
            options = self.fillings(0, True)
            whole = [f for f in options if f.cuts[-1] == ncols]
            if not whole:
                return [(options[0], False)] * 2
            return [
                (max(whole, key=lambda f: (_step(self.fill(f, True, False) or 0), -f.cross)), False)
            ]
        # best[(a, owed)]: the best way to print columns a.. on sheets after the first (``owed``:
        # the panel is still to be placed): its key (sheets, -fill step, crossings, -fill), and
        # the sheets
        best: dict[tuple[int, bool], tuple[tuple[int, int, int, float], list]] = {}
        nothing = 9.0  # no sheet: nothing to be empty
        best[(ncols, False)] = ((0, -_step(nothing), 0, -nothing), [])
        best[(ncols, True)] = ((1, -_step(nothing), 0, -nothing), [])  # a page of its own
        owe = self.panel is not None

        def choose(a: int, owed: bool, first: bool):
            found = None
            for f in self.fillings(a, first):
                for panel_too in (False, True) if owed else (False,):
                    full = self.fill(f, first, panel_too)
                    if full is None:
                        continue
                    (sheets, _, crossed, rest), after = best[(f.cuts[-1], owed and not panel_too)]
                    least = min(full, -rest)
                    key = (sheets + 1, -_step(least), crossed + f.cross, -least)
                    if found is None or key < found[0]:
                        found = (key, [(f, panel_too), *after])
            assert found is not None  # a strip alone always fills a sheet
            return found

        for a in range(ncols - 1, 0, -1):
            for owed in (False, True) if owe else (False,):
                best[(a, owed)] = choose(a, owed, first=False)
        return choose(0, owe, first=True)[1]


def _step(fill: float) -> int:
    return int(fill / FILL_STEP)


def _dominates(a: _Fill, b: _Fill) -> bool:
    """``a`` ends where ``b`` does and is no worse in any way."""
    return a.width <= b.width and a.height <= b.height and a.area >= b.area and a.cross <= b.cross


def _marker_text(arrow: str, here: tuple[int, int], there: tuple[int, int]) -> str:
    if here[0] == there[0]:
        return f"{arrow} {'below' if there[1] > here[1] else 'above'}"
    return f"{arrow} p. {there[0]}"


def _strip(
    diagram: Diagram, col: dict[str, int], span: range, where: dict[str, tuple[int, int]] | None
) -> Diagram:
    """The part of ``diagram`` in the columns ``span``, with continuation markers (``where``
    gives every node's sheet and strip; while the strips are still being chosen, empty for one
    marker per lane and way out, None for one per step on the other side)."""
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
            if mine_at is not None and where:  # one marker per lane and strip on the other side
                head = _marker_text(arrow, mine_at, where[other.id])
                key = f"{'x' if s_in else 'y'}s{where[other.id][1]}_{lane_number[mine.lane]}"
            else:  # while strips are chosen: one per lane and way out, or one per step
                head = f"{arrow} p. 99"
                them = "" if where is not None else other.id
                key = f"{'x' if s_in else 'y'}{them}_{lane_number[mine.lane]}"
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

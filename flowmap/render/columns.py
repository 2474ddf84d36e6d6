"""Columns of the swimlane layout: time runs left to right, and lanes share columns.

A step's column is at least one more than the column of each step before it (the longest path of
forward flows), so every flow that is not a loop points right. Columns are *shared*: when a step
hands its work to exactly one step in another lane, and that step waits for nothing else, the two
do not overlap in time and the second is drawn in the same column, straight above or below the
first (the flow runs vertically). Several lanes thus work in one column and a process of 54 steps
no longer needs 48 columns. A shared column never stacks a flow through another step: the lanes
a vertical flow crosses are kept free in that column.

Pure: no I/O. Used by :mod:`flowmap.render.place` and :mod:`flowmap.render.paging`.
"""

from __future__ import annotations

from flowmap.render.layout import Diagram


def lane_order(diagram: Diagram) -> dict[str, int]:
    """Lane key -> its position from the top of the blueprint."""
    order: dict[str, int] = {}
    for band in diagram.bands:
        for lane in band.lanes:
            order.setdefault(lane.key, len(order))
    return order


def _topological(order: list[str], succ: dict[str, list[str]],
                 indeg: dict[str, int]) -> list[str]:
    """Steps with every forward predecessor first; a cycle the loop detection did not break is
    entered at its first step as written."""
    indeg = dict(indeg)
    ready = [n for n in order if indeg[n] == 0]
    out: list[str] = []
    done: set[str] = set()
    while len(out) < len(order):
        while ready:
            nxt = []
            for n in ready:
                if n in done:
                    continue
                done.add(n)
                out.append(n)
                for m in succ[n]:
                    indeg[m] -= 1
                    if indeg[m] == 0:
                        nxt.append(m)
            ready = nxt
        if len(out) < len(order):
            stuck = next(n for n in order if n not in done)
            indeg[stuck] = 0
            ready = [stuck]
    return out


def columns(diagram: Diagram, share: bool = True) -> dict[str, int]:
    """Node id -> column. ``share=False``: one column per step of the longest path."""
    order = [n.id for n in diagram.nodes]
    lane_of = {n.id: n.lane for n in diagram.nodes}
    rank = lane_order(diagram)
    forward = [e for e in diagram.edges if not e.back and e.source != e.target]
    succ: dict[str, list[str]] = {n: [] for n in order}
    pred: dict[str, list[str]] = {n: [] for n in order}
    indeg = dict.fromkeys(order, 0)
    for e in forward:
        succ[e.source].append(e.target)
        pred[e.target].append(e.source)
        indeg[e.target] += 1
    unlabelled = {(e.source, e.target) for e in forward if not e.label and not e.badges}

    column: dict[str, int] = {}
    occupied: dict[int, dict[int, int]] = {}  # column -> lane rank -> steps there
    blocked: dict[int, set[int]] = {}  # column -> lane ranks a vertical flow runs through

    def put(node: str, c: int) -> None:
        column[node] = c
        lane = rank.get(lane_of[node], -1)
        occupied.setdefault(c, {})
        occupied[c][lane] = occupied[c].get(lane, 0) + 1

    for node in _topological(order, succ, indeg):
        placed = [p for p in pred[node] if p in column]
        lane = rank.get(lane_of[node], -1)
        if share and len(pred[node]) == 1 and placed:
            p = placed[0]
            c = column[p]
            p_lane = rank.get(lane_of[p], -1)
            if (len(set(succ[p])) == 1 and lane != p_lane and (p, node) in unlabelled
                    and occupied[c].get(p_lane) == 1):
                lo, hi = min(lane, p_lane), max(lane, p_lane)
                span = set(range(lo, hi + 1))
                free = all(occupied[c].get(r, 0) == 0 for r in span - {p_lane})
                if free and not (span - {p_lane}) & blocked.get(c, set()):
                    put(node, c)
                    blocked.setdefault(c, set()).update(span)
                    continue
        c = max((column[p] + 1 for p in placed), default=0)
        while lane in blocked.get(c, ()):
            c += 1
        put(node, c)
    return column

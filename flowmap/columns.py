"""Columns of a swimlane drawing: time runs left to right, and lanes share columns.

One algorithm for every drawing flowmap makes: the rendered blueprint (:mod:`flowmap.render`)
and the diagram of an exported BPMN model (:mod:`flowmap.writers.bpmn`).

A step's column is at least one more than the column of each step before it (the longest path of
forward flows), so every flow that is not a loop points right. Columns are *shared*: when a step
hands its work to exactly one step in another lane, and that step waits for nothing else, the two
do not overlap in time and the second is drawn in the same column, straight above or below the
first (the flow runs vertically). Several lanes thus work in one column and a process of 54 steps
no longer needs 48 columns. A shared column never stacks a flow through another step: the lanes
a vertical flow crosses are kept free in that column. A flow that carries a label (a condition, a
share, a finding's badge) needs the room between two columns and is never drawn vertically.

Pure: no I/O, and nothing about how a drawing looks.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence


def _topological(order: list[str], succ: dict[str, list[str]], indeg: dict[str, int]) -> list[str]:
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


def columns(
    steps: Sequence[str],
    lane: Mapping[str, int],
    flows: Iterable[tuple[str, str]],
    plain: Collection[tuple[str, str]] = (),
    share: bool = True,
) -> dict[str, int]:
    """Step id -> column, from 0.

    ``steps`` in the order written; ``lane`` gives each step its lane's position from the top
    of the drawing (a step missing from it is in no lane); ``flows`` are the forward flows
    (source, target): loops and flows from a step to itself left out; ``plain`` the flows
    without a label, the only ones that may run vertically in a shared column.
    ``share=False``: one column per step of the longest path.
    """
    order = list(steps)
    succ: dict[str, list[str]] = {n: [] for n in order}
    pred: dict[str, list[str]] = {n: [] for n in order}
    indeg = dict.fromkeys(order, 0)
    for source, target in flows:
        succ[source].append(target)
        pred[target].append(source)
        indeg[target] += 1

    column: dict[str, int] = {}
    occupied: dict[int, dict[int, int]] = {}  # column -> lane rank -> steps there
    blocked: dict[int, set[int]] = {}  # column -> lane ranks a vertical flow runs through

    def put(node: str, c: int) -> None:
        column[node] = c
        rank = lane.get(node, -1)
        occupied.setdefault(c, {})
        occupied[c][rank] = occupied[c].get(rank, 0) + 1

    for node in _topological(order, succ, indeg):
        placed = [p for p in pred[node] if p in column]
        rank = lane.get(node, -1)
        if share and len(pred[node]) == 1 and placed:
            p = placed[0]
            c = column[p]
            p_rank = lane.get(p, -1)
            if (
                len(set(succ[p])) == 1
                and rank != p_rank
                and (p, node) in plain
                and occupied[c].get(p_rank) == 1
            ):
                lo, hi = min(rank, p_rank), max(rank, p_rank)
                span = set(range(lo, hi + 1))
                free = all(occupied[c].get(r, 0) == 0 for r in span - {p_rank})
                if free and not (span - {p_rank}) & blocked.get(c, set()):
                    put(node, c)
                    blocked.setdefault(c, set()).update(span)
                    continue
        c = max((column[p] + 1 for p in placed), default=0)
        while rank in blocked.get(c, ()):
            c += 1
        put(node, c)
    return column

"""Stage 2 of the BPMN writer: where each shape goes and how each flow is drawn.

Columns come from :func:`flowmap.columns.columns`, the algorithm ``flowmap render`` uses; the
customer's pool is on top, the company's lanes below it, one row per step sharing a column in a
lane.
"""

from __future__ import annotations

from flowmap.graph import ProcessGraph
from flowmap.model import Process
from flowmap.writers.bpmn.diagram import UNASSIGNED, Band, Diagram, Edge, Node

# Geometry (pixels)
COLUMN = 240  # distance between step columns
ROW = 110  # height of one row of steps inside a lane
POOL_X = 100
BAND = 30  # the label band of a pool or lane
CONTENT_X = POOL_X + 3 * BAND + 50  # where the first column starts

# ---------------------------------------------------------------------------------------------
# Layout: columns along the flow, lanes stacked top to bottom
# ---------------------------------------------------------------------------------------------


def _columns(process: Process, d: Diagram) -> dict[str, int]:
    """The column of each step (:func:`flowmap.columns.columns`), lanes ranked as the pools
    and lanes are stacked: the customer, each function's roles, the unassigned steps."""
    from flowmap.columns import columns

    rank = {"customer": 0}
    for function in process.organisation.functions:
        for role in function.roles:
            rank[f"{function.id}.{role.id}"] = len(rank)
    rank[UNASSIGNED] = len(rank)
    lane = {
        step.id: rank[d.nodes[step.id].lane if d.nodes[step.id].pool == "company" else "customer"]
        for step in process.steps
    }
    back = ProcessGraph(process).back_flows
    forward = [f for f in process.flows if f.id not in back and f.source != f.target]
    return columns(
        [s.id for s in process.steps],
        lane,
        [(f.source, f.target) for f in forward],
        {(f.source, f.target) for f in forward if not f.label},
    )


def lay_out(process: Process, d: Diagram) -> None:
    column = _columns(process, d)
    # rows inside each lane
    bands: dict[str, Band] = {}
    row_of: dict[str, int] = {}
    used: dict[tuple[str, int], int] = {}
    for step in process.steps:
        node = d.nodes[step.id]
        key = node.lane if node.pool == "company" else "customer"
        slot = (key, column[step.id])
        row_of[step.id] = used.get(slot, 0)
        used[slot] = row_of[step.id] + 1
        band = bands.setdefault(key, Band(key))
        band.rows = max(band.rows, used[slot])
    d.bands = bands
    # vertical positions: the customer pool, then each function's role lanes
    y = 80.0
    customer = bands.setdefault("customer", Band("customer"))
    customer.y, customer.height = y, max(150.0, customer.rows * ROW + 40)
    y += customer.height + 80
    d.company_y = y
    for function in process.organisation.functions:
        for role in function.roles:
            key = f"{function.id}.{role.id}"
            band = bands.setdefault(key, Band(key, rows=0))
            band.y, band.height = y, band.rows * ROW + 40 if band.rows else 60.0
            y += band.height
        if not function.roles:
            band = bands.setdefault(f"fm.function.{function.id}", Band(function.id))
            band.y, band.height = y, 100.0
            y += band.height
    if UNASSIGNED in bands:
        band = bands[UNASSIGNED]
        band.y, band.height = y, band.rows * ROW + 40
        y += band.height
    if y == d.company_y:
        y += 150.0
    d.company_height = y - d.company_y
    last = max(column.values(), default=0)
    d.width = CONTENT_X + (last + 1) * COLUMN + 60 - POOL_X

    for step in process.steps:
        node = d.nodes[step.id]
        band = bands[node.lane if node.pool == "company" else "customer"]
        w, h = node.size
        node.x = CONTENT_X + column[step.id] * COLUMN + (100 - w) / 2
        node.y = band.y + 20 + row_of[step.id] * ROW + (80 - h) / 2 + 5
    # synthetic nodes sit in the gaps beside their anchors (a step's slot, or the box of
    # another synthetic node); several on one side stack up, and one that would cover a shape
    # already placed moves down
    offsets: dict[tuple[str, int], int] = {}
    placed: dict[int, list[Node]] = {}  # shapes by the 100-pixel strips of x they cover
    for step in process.steps:
        _place(placed, d.nodes[step.id])
    for node in d.nodes.values():
        if not node.synthetic:
            continue
        anchor = d.nodes[node.anchor]
        aw, ah = anchor.size
        w, h = node.size
        k = offsets.get((anchor.id, node.side), 0)
        offsets[(anchor.id, node.side)] = k + 1
        left, right = (
            (anchor.x - 12, anchor.x + aw + 12)
            if anchor.synthetic
            else (anchor.x - (100 - aw) / 2 - 20, anchor.x - (100 - aw) / 2 + 100 + 20)
        )
        node.x = right if node.side > 0 else left - w
        node.y = anchor.y + ah / 2 - h / 2 + k * (h + 14)
        near = [other for strip in _strips(node) for other in placed.get(strip, ())]
        for _ in range(3):
            if not any(_overlap(node, other) for other in near):
                break
            node.y += h + 14
        _place(placed, node)


def _strips(node: Node) -> range:
    return range(int(node.x // 100), int((node.x + node.size[0]) // 100) + 1)


def _place(placed: dict[int, list[Node]], node: Node) -> None:
    for strip in _strips(node):
        placed.setdefault(strip, []).append(node)


def _overlap(a: Node, b: Node) -> bool:
    (aw, ah), (bw, bh) = a.size, b.size
    return a.x < b.x + bw and b.x < a.x + aw and a.y < b.y + bh and b.y < a.y + ah


def waypoints(d: Diagram, edge: Edge) -> list[tuple[float, float]]:
    a, b = d.nodes[edge.source], d.nodes[edge.target]
    aw, ah = a.size
    bw, bh = b.size
    acx, acy = a.x + aw / 2, a.y + ah / 2
    bcx, bcy = b.x + bw / 2, b.y + bh / 2
    if edge.message:
        # leave a task right of its middle and enter left of it, so that a question and its
        # answer between the same two tasks do not draw over each other
        if aw > 50:
            acx += 15
        if bw > 50:
            bcx -= 15
        if acy < bcy:
            start, end = (acx, a.y + ah), (bcx, b.y)
        else:
            start, end = (acx, a.y), (bcx, b.y + bh)
        if abs(acx - bcx) < 1:
            return [start, end]
        mid = d.company_y - 60 + (edge.order % 5) * 8
        return [start, (acx, mid), (bcx, mid), end]
    if abs(bcx - acx) < 1 and abs(bcy - acy) >= 1:  # a shared column: straight down or up
        if acy < bcy:
            return [(acx, a.y + ah), (bcx, b.y)]
        return [(acx, a.y), (bcx, b.y + bh)]
    if bcx > acx + 1:
        start, end = (a.x + aw, acy), (b.x, bcy)
        if abs(acy - bcy) < 1:
            return [start, end]
        mid = start[0] + min(30.0, (end[0] - start[0]) / 2)
        return [start, (mid, acy), (mid, bcy), end]
    below = max(a.y + ah, b.y + bh) + 18
    return [(acx, a.y + ah), (acx, below), (bcx, below), (bcx, b.y + bh)]

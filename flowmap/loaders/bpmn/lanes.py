"""Stage 3 of the BPMN loader: which lane each flow node is in.

A node is in the lane that lists it (``flowNodeRef``; the innermost lane when nested lanes list it
too). A node no lane lists is in the lane of the sub-process that contains it, else in the
smallest lane the diagram draws around its centre (recorded in ``Records.by_geometry``: the
organisation stage marks that placement as inferred), else in none (a warning).
"""

from __future__ import annotations

from flowmap.loaders.bpmn.elements import Lane, Node, walk
from flowmap.loaders.bpmn.records import Records


def assign_lanes(records: Records) -> None:
    """Set ``Node.lane`` for every node of every pool that has lanes."""
    noted = False  # one loose-reference warning per file is enough
    for pool in records.pools:
        all_lanes = [lane for top in pool.lanes for lane in walk(top)]
        if not all_lanes:
            continue
        scope = pool.scope
        for lane in all_lanes:
            for ref in lane.refs:
                ident = records.resolve_node(ref, scope)
                node = records.nodes.get(ident) if ident else None
                if node is None and records.resolve(ref, scope) is not None:
                    continue  # lanes may list data inputs and the like: not our concern
                if node is None:
                    records.warn(
                        lane.element,
                        f"lane {records.label(lane.element)} lists "
                        f"{ref!r}, which is not a flow node",
                        "remove the reference, or add the element",
                        "dangling-reference",
                        lane.id,
                    )
                    continue
                if ident != ref and not noted:
                    noted = True
                    records.warn(
                        lane.element,
                        f"lane {records.label(lane.element)} refers to "
                        f"{ref!r}, read as {ident!r} (and likewise for "
                        "other references)",
                        "write references as the plain id of the element",
                        "loose-reference",
                        lane.id,
                    )
                _place(records, node, lane)
        # Nodes the lanes do not list: the lane of their sub-process, else the diagram.
        for node in records.nodes.values():
            if node.pool is not pool or node.lane is not None:
                continue
            home = _container_lane(records, node)
            if home is None:
                home = _lane_by_geometry(records, node, all_lanes)
                if home is not None:
                    records.by_geometry.append((node, home))
            if home is not None:
                node.lane = home
            elif node.local != "boundaryEvent":
                records.warn(
                    node.element,
                    f"{node.local} {records.label(node.element)} is in "
                    "no lane of its pool; it gets no owner",
                    "add it to a lane (flowNodeRef) or draw it inside one",
                    "no-lane",
                    node.id,
                )


def _place(records: Records, node: Node, lane: Lane) -> None:
    current = node.lane
    if current is None or current in lane.ancestors():
        node.lane = lane
    elif current is lane or lane in current.ancestors():
        return
    else:
        records.warn(
            lane.element,
            f"{node.local} {node.id!r} is listed in lane "
            f"{records.label(current.element)} and in lane "
            f"{records.label(lane.element)}; flowmap keeps the first",
            "a flow node belongs to one lane: remove one flowNodeRef",
            "two-lanes",
            node.id,
        )


def _container_lane(records: Records, node: Node) -> Lane | None:
    parent = node.container
    while parent:
        outer = records.nodes.get(parent)
        if outer is None:
            return None
        if outer.lane is not None:
            return outer.lane
        parent = outer.container
    return None


def _lane_by_geometry(records: Records, node: Node, lanes: list[Lane]) -> Lane | None:
    shape = records.shapes.get(node.id)
    if shape is None:
        return None
    plane, x, y, w, h = shape
    cx, cy = x + w / 2, y + h / 2
    best, best_area = None, None
    for lane in lanes:
        box = records.shapes.get(lane.id)
        if box is None or box[0] != plane:
            continue
        _, lx, ly, lw, lh = box
        if lx <= cx <= lx + lw and ly <= cy <= ly + lh:
            area = lw * lh
            if best_area is None or area < best_area:
                best, best_area = lane, area
    return best

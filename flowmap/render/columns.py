"""Columns of the swimlane layout: the blueprint's nodes and lanes handed to the one column
algorithm, :func:`flowmap.columns.columns` (shared with the BPMN writer's diagram), which says
how time runs left to right and when lanes share a column.

Pure: no I/O. Used by :mod:`flowmap.render.place` and :mod:`flowmap.render.paging`.
"""

from __future__ import annotations

from flowmap import columns as timeline
from flowmap.render.layout import Diagram


def lane_order(diagram: Diagram) -> dict[str, int]:
    """Lane key -> its position from the top of the blueprint."""
    order: dict[str, int] = {}
    for band in diagram.bands:
        for lane in band.lanes:
            order.setdefault(lane.key, len(order))
    return order


def columns(diagram: Diagram, share: bool = True) -> dict[str, int]:
    """Node id -> column. ``share=False``: one column per step of the longest path.

    Time runs along the forward flows and the diagram's ``sequence`` (order without a flow)."""
    rank = lane_order(diagram)
    forward = [e for e in diagram.edges if not e.back and e.source != e.target]
    return timeline.columns(
        [n.id for n in diagram.nodes],
        {n.id: rank.get(n.lane, -1) for n in diagram.nodes},
        [(e.source, e.target) for e in forward] + diagram.sequence,
        {(e.source, e.target) for e in forward if not e.label and not e.badges},
        share,
    )

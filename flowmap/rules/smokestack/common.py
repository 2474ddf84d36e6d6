"""What the smokestack rules share: which flows carry work between functions, and the YAML of the
small organisation their examples use."""

from __future__ import annotations

from collections.abc import Iterator

from flowmap.graph import Handoff, ProcessGraph
from flowmap.model import FlowKind

# Flows that run beside the work: a feedback to a root-cause fix or a copy for information is
# not a handoff of the customer's work, so it neither makes nor cures a smokestack.
SIDE_FLOWS = (FlowKind.feedback, FlowKind.information)


def work_handoffs(g: ProcessGraph) -> Iterator[Handoff]:
    """Handoffs of work between two roles of the organisation (not with the customer)."""
    for handoff in g.handoffs.values():
        if (
            handoff.flow.kind not in SIDE_FLOWS
            and handoff.source_role in g.roles
            and handoff.target_role in g.roles
            and handoff.source_role != handoff.target_role
        ):
            yield handoff


def cross_function_handoffs(g: ProcessGraph) -> Iterator[Handoff]:
    return (h for h in work_handoffs(g) if h.cross_function)


def above_front_line(g: ProcessGraph, role_key: str) -> bool:
    """Does this role sit above the people who do its function's work?"""
    ref = g.roles[role_key]
    working = g.working_level(ref.function.id)
    return working is not None and ref.level > working

"""Small helpers shared by the value, customer and structure rules."""

from __future__ import annotations

import weakref

from flowmap.formatting import duration
from flowmap.graph import ProcessGraph
from flowmap.model import StepKind
from flowmap.rules.base import Edit, Fix

__all__ = ["WORK_KINDS", "duration", "measured", "remove_fix", "timed", "work_and_wait"]

# Steps where work is done (not start, end or intermediate events).
WORK_KINDS = frozenset({StepKind.task, StepKind.decision, StepKind.wait, StepKind.subprocess})


_TIMED: weakref.WeakKeyDictionary[ProcessGraph, bool] = weakref.WeakKeyDictionary()


def timed(graph: ProcessGraph) -> bool:
    """Whether any step of the process declares a work or waiting time (looked at once per
    graph: rules ask for every finding, and 2,000 findings on 22,000 steps took 15 s)."""
    known = _TIMED.get(graph)
    if known is None:
        known = _TIMED[graph] = any(s.work or s.wait for s in graph.process.steps)
    return known


def work_and_wait(graph: ProcessGraph, step_id: str) -> str:
    """``'2m work, 3d wait'`` for a message, or ``''`` where the process declares no times
    (an imported model: '0m work, 0m wait' would read as a measurement)."""
    if not timed(graph):
        return ""
    step = graph.steps[step_id]
    return f"{duration(step.work)} work, {duration(step.wait)} wait"


def measured(graph: ProcessGraph, step_id: str) -> list[str]:
    """Ids of the measures taken on a step."""
    return [m.id for m in graph.process.measures if step_id in m.steps]


def removable(graph: ProcessGraph, step_id: str) -> bool:
    """Can the step be cut out of the flow, joining what comes before it to what follows?

    Only a pass-through step qualifies: work arrives, one way out, not an entry or an end, no
    measure taken on it (the measure would point at nothing).
    """
    step = graph.steps[step_id]
    if step.kind in (StepKind.start, StepKind.end) or step_id in graph.entries:
        return False
    preds = set(graph.flow.predecessors(step_id)) - {step_id}
    succs = set(graph.flow.successors(step_id)) - {step_id}
    return bool(preds) and len(succs) == 1 and not measured(graph, step_id)


def remove_fix(graph: ProcessGraph, step_id: str, description: str) -> Fix | None:
    if not removable(graph, step_id):
        return None
    return Fix(description, (Edit("remove-step", step=step_id),))

"""How a sentence names the steps and owners of a process: by their labels, never by the ids of
unnamed gateways and events an imported model is full of, nor by the 'function.role' keys a reader
of a BPMN model has never seen. The rules' messages ask :class:`~flowmap.graph.ProcessGraph`,
which answers from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from flowmap.model import CUSTOMER, StepKind

if TYPE_CHECKING:
    from flowmap.graph import ProcessGraph


def owner_label(graph: ProcessGraph, owner: str) -> str:
    """How a sentence names a step's owner (see :attr:`RoleRef.label`)."""
    if owner == CUSTOMER:
        return "the customer"
    ref = graph.roles.get(owner)
    return ref.label if ref is not None else owner


def worth_naming(graph: ProcessGraph, step_id: str) -> bool:
    """Whether a sentence should name the step: an unnamed gateway or event (an imported
    model's 'Gateway_0sz0cst') is a connector the reader never saw a name for."""
    step = graph.steps[step_id]
    return bool(step.name) or step.kind in (StepKind.task, StepKind.subprocess)


def named(graph: ProcessGraph, step_ids: Iterable[str]) -> list[str]:
    """``'Label'`` of each step worth naming, in order (a path as a sentence reads it);
    of every step when none is (a loop of unnamed gateways still needs a handle)."""
    steps = list(step_ids)
    worth = [s for s in steps if graph.worth_naming(s)] or steps
    return [f"'{graph.steps[s].label}'" for s in worth]


def mention(graph: ProcessGraph, step_id: str) -> str:
    """A step as a sentence names it: ``'Approve order'``; an unnamed gateway or event by
    the named step before it (``the decision after 'Check stock'``), else by its kind and
    id, the only handle it has."""
    if graph.worth_naming(step_id):
        return f"'{graph.steps[step_id].label}'"
    step = graph.steps[step_id]
    noun = {StepKind.decision: "decision", StepKind.start: "start", StepKind.end: "end"}.get(
        step.kind, "gateway or event"
    )
    before = next(
        (p for p in graph.flow.predecessors(step_id) if p != step_id and graph.worth_naming(p)),
        None,
    )
    if before is not None:
        return f"the {noun} after '{graph.steps[before].label}'"
    return f"the unnamed {noun} {step_id}"


def onward(graph: ProcessGraph, step_id: str) -> str:
    """Where work goes at a step, as a sentence names it: the step, or past an unnamed
    gateway or event the named steps after it (``'Book hotel' and 'Book flight'``)."""
    if graph.worth_naming(step_id):
        return f"'{graph.steps[step_id].label}'"
    found: list[str] = []
    seen, todo = {step_id}, [step_id]
    while todo and len(found) < 3:
        for nxt in graph.flow.successors(todo.pop(0)):
            if nxt in seen:
                continue
            seen.add(nxt)
            (found if graph.worth_naming(nxt) else todo).append(nxt)
    if not found:
        return graph.mention(step_id)
    return " and ".join(f"'{graph.steps[s].label}'" for s in found)

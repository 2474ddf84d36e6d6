"""One model of branching: what kind of split a step is, and what share of its cases each branch
gets. :meth:`flowmap.graph.ProcessGraph.split` answers it for the main path, the rules, the
metrics and the writers; docs/concepts.md ("Branches") explains it to users.

The branches of a step are its outgoing flows that carry the work: every kind but ``feedback``
and ``information``, which run beside the work (share 1, not part of any split). A decision is
exclusive; another step is exclusive when its written probabilities add up to 1 or less,
inclusive when they add up to more, exclusive when it has an ``exception`` or ``rework`` branch
(an alternative outcome), and parallel otherwise. The table with each kind's shares is in
docs/concepts.md (*Branches*); ``tests/test_branching.py`` pins it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from flowmap.model import Flow, FlowKind, Step, StepKind

SIDE_FLOWS = (FlowKind.feedback, FlowKind.information)
ALTERNATIVES = (FlowKind.exception, FlowKind.rework)
_EPSILON = 1e-9


class SplitKind(StrEnum):
    none = "none"  # one way on, or none
    exclusive = "exclusive"  # each case takes one branch (a decision; BPMN exclusive gateway)
    parallel = "parallel"  # each case takes every branch (BPMN parallel gateway)
    inclusive = "inclusive"  # each case takes one or more branches (BPMN inclusive gateway)


@dataclass(frozen=True, slots=True)  # one per step: no instance dict
class Split:
    kind: SplitKind
    shares: dict[str, float] = field(default_factory=dict)  # branch flow id -> share of cases

    def share(self, flow_id: str) -> float:
        """The share of the step's cases that take a branch (1 for a flow beside the work)."""
        return self.shares.get(flow_id, 1.0)


def split(step: Step, flows: Sequence[Flow]) -> Split:
    """The split at ``step``, given the flows that leave it (side flows are left out here)."""
    branches = [f for f in flows if f.kind not in SIDE_FLOWS]
    if len(branches) <= 1:
        return Split(SplitKind.none, {f.id: 1.0 for f in branches})
    written = [f.probability for f in branches if f.probability is not None]
    if step.kind == StepKind.decision or (written and sum(written) <= 1 + _EPSILON):
        kind = SplitKind.exclusive
    elif written:
        kind = SplitKind.inclusive
    elif any(f.kind in ALTERNATIVES for f in branches):
        kind = SplitKind.exclusive
    else:
        kind = SplitKind.parallel
    if kind == SplitKind.exclusive:
        unset = sum(1 for f in branches if f.probability is None)
        rest = max(0.0, 1.0 - sum(written)) / unset if unset else 0.0
        return Split(
            kind, {f.id: f.probability if f.probability is not None else rest for f in branches}
        )
    return Split(
        kind, {f.id: f.probability if f.probability is not None else 1.0 for f in branches}
    )

"""A check right after a check: another role inspects or approves work that the previous check
passed, and nothing was done to the work in between.

## What it finds
A company step tagged `inspection` or `approval` whose work comes from an earlier check by
another role, with at most `max_between` steps in between that only pass the work on (steps
that add no value or only send a message about it, and ask for nothing new: forwarding,
assigning, notifying, re-keying; not escalations or rework requests, after which the check is
about a new request). Events and joins in between are not steps, and before an approval
neither are a system's steps (a BPMN service or script task fetching the approver or sending the
message: the approval signs off the case as it stands). The earlier check must have
passed the work along its usual way out: its only flow, the branch labelled as passed
("Approved", "freigeben"; an unlabelled branch is read by the name of the event it leads to, as
engines such as Imixs draw outcomes), or else its most likely branch that is not a refusal or
rework. A decision right after a check is that check's outcome; behind a branch labelled as
passed, the decision owner's own steps are the approver's preparation. A detailed review after a
failed quick check is escalation, not repetition. Customer steps and steps that change the work
end the search.

## How to fix
Check once, where the work is done, by someone with the knowledge and the authority to decide:
merge the two checks, or let the second one audit a sample afterwards instead of holding every
case. With `flowmap analyze --fix` a second check that is a pass-through task is removed.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from flowmap import inference
from flowmap.graph import ProcessGraph
from flowmap.inference.value import effective_value
from flowmap.model import Flow, FlowKind, Purpose, Step, StepKind, Value
from flowmap.rules.base import Context, Family, Finding, Options, Rule
from flowmap.rules.value.common import WORK_KINDS, duration, remove_fix

CHECKS = frozenset({Purpose.inspection, Purpose.approval})
SIDE = (FlowKind.feedback, FlowKind.information)
ALTERNATIVES = (FlowKind.exception, FlowKind.rework)
# Steps the search walks through without counting: events, joins, the ends of a sub-process.
_THROUGH = frozenset({StepKind.event, StepKind.start, StepKind.end})
_HOPS = 12  # how far back to look, in flows
# Steps that ask for something new: a check after them checks the new request, not the old work.
NEW_ASK = frozenset(
    {
        Purpose.escalation,
        Purpose.rework,
        Purpose.chasing,
        Purpose.complaint,
        Purpose.deflection,
        Purpose.placation,
        Purpose.compensation,
    }
)


class RepeatedInspectionOptions(Options):
    max_between: int = Field(
        3, ge=0, description=("how many pass-through steps may separate the two checks")
    )


class RepeatedInspection(Rule):
    code = "VAL009"
    name = "repeated-inspection"
    family = Family.value
    summary = "A second role re-checks work that a check has just passed"
    why = (
        "Each extra check adds a queue and tells the first checker that someone else will "
        "catch the mistakes; the customer waits twice for the same assurance."
    )
    Options = RepeatedInspectionOptions
    fixable = "sometimes"
    references = ("Deming, Out of the Crisis (1982): cease dependence on inspection.",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        g = ctx.graph
        chance = g.flow_probability
        for step in ctx.process.steps:
            if (
                step.is_customer
                or step.kind not in WORK_KINDS
                or not CHECKS.intersection(step.purpose)
            ):
                continue
            for first, between in self._earlier_checks(ctx, step.id, chance):
                earlier = g.steps[first]
                system = first in g.automated  # a BPMN business-rule or script task's check
                yield self.finding(
                    ctx,
                    f"'{step.label}' ({g.owner_label(step.owner)}) checks again what '{earlier.label}' "
                    f"({'a system' if system else g.owner_label(earlier.owner)}) has just passed"
                    + (
                        f", after {len(between)} pass-through step"
                        f"{'s' if len(between) != 1 else ''}"
                        if between
                        else ""
                    ),
                    [step.id, first, *between],
                    evidence={
                        "first_check": first,
                        "first_owner": earlier.owner,
                        "second_check": step.id,
                        "second_owner": step.owner,
                        "between": between,
                        "second_check_minutes": step.work + step.wait,
                        "between_minutes": sum(g.steps[s].work + g.steps[s].wait for s in between),
                    },
                    suggestion=(
                        f"Check once: merge '{step.label}' into '{earlier.label}' ("
                        + (
                            "let the system approve what it passes"
                            if system
                            else "give that role what it needs to decide"
                        )
                        + "), or audit a sample afterwards"
                        + (
                            f"; this saves {duration(step.work + step.wait)} per case."
                            if step.work + step.wait
                            else ": every case is spared a queue and a retelling."
                        )
                    ),
                    fix=(
                        remove_fix(g, step.id, f"remove the second check {step.id}")
                        if step.kind != StepKind.decision
                        else None
                    ),
                    substance=f"{first}>{step.id}",
                )

    def _earlier_checks(
        self, ctx: Context, step_id: str, chance: dict[str, float]
    ) -> list[tuple[str, list[str]]]:
        """Earlier checks by another role, reached backwards through pass-through steps.

        Events and joins are walked through freely; a decision only along its usual way out (the
        branch labelled as passed, e.g. 'Approved', when one is): a decision right after a check
        is that check's outcome. Behind a branch labelled as passed, the steps of the decision's
        own owner are the approver's preparation, not changes to the work."""
        g = ctx.graph
        owner = g.steps[step_id].owner
        # an approval signs off the case as it stands: a system's steps before it (fetching the
        # approver, sending the message) change nothing it approves; an inspection may examine
        # what they produced
        signs_off = Purpose.approval in g.steps[step_id].purpose
        limit = ctx.options.max_between
        found: dict[str, list[str]] = {}
        # (step, pass-through steps so far, the owner of a decision passed as 'approved')
        frontier: list[tuple[str, list[str], str]] = [(step_id, [], "")]
        seen = {step_id}
        for _ in range(_HOPS):
            nxt = []
            for node, between, approver in frontier:
                for prev, _, key, data in g.flow.in_edges(node, keys=True, data=True):
                    if prev in seen or data["flow"].kind in SIDE:
                        continue
                    before = g.steps[prev]
                    if before.is_customer:
                        continue
                    if not self._usual_way(ctx, prev, key, chance):
                        continue
                    seen.add(prev)
                    if before.kind in _THROUGH:
                        nxt.append((prev, between, approver))
                    elif before.kind != StepKind.decision and CHECKS.intersection(before.purpose):
                        if before.owner and before.owner != owner and prev not in found:
                            found[prev] = list(reversed(between))
                    elif before.kind == StepKind.decision:
                        passed = before.owner if _passed(g, data["flow"]) else approver
                        nxt.append((prev, between, passed))
                    elif signs_off and prev in g.automated:  # a system's step, named, not counted
                        nxt.append((prev, between + [prev], approver))
                    elif approver and before.owner == approver:
                        nxt.append((prev, between, approver))  # the approver's preparation
                    elif (
                        before.owner
                        and self._passes_on(before)
                        and sum(not (signs_off and b in g.automated) for b in between) < limit
                    ):
                        nxt.append((prev, between + [prev], approver))
            frontier = nxt
        return list(found.items())

    @staticmethod
    def _passes_on(step: Step) -> bool:
        """A step that only moves the work along: no value (or a message about it), not a
        decision, and not a step that asks for something new (an escalation, a rework request, a
        chaser)."""
        if step.kind == StepKind.decision or NEW_ASK.intersection(step.purpose):
            return False
        if CHECKS.intersection(step.purpose):
            return False
        return (
            effective_value(step) == Value.none
            or Purpose.notification in step.purpose
            or Purpose.transport in step.purpose
            or inference.has_purpose(step.name or "", Purpose.notification) is not None
        )

    @staticmethod
    def _usual_way(ctx: Context, step_id: str, key: str, chance: dict[str, float]) -> bool:
        """Did the work leave the step by its usual way: its only flow, the branch labelled as
        passed when one is, else not an exception or rework branch, and the most likely?"""
        g = ctx.graph
        ways = [
            d["flow"]
            for _, _, d in g.flow.out_edges(step_id, data=True)
            if d["flow"].kind not in SIDE
        ]
        if len(ways) <= 1:
            return True
        passed = [f.id for f in ways if _passed(g, f)]
        if passed:
            return key in passed
        usual = [f for f in ways if not _refused(g, f)] or ways
        if key not in {f.id for f in usual}:
            return False
        best = max(chance.get(f.id, 0.0) for f in usual)
        return chance.get(key, 0.0) >= best - 1e-9


def _outcome(g: ProcessGraph, flow: Flow) -> str:
    """What a branch says about the outcome: its label, or the name of the event it leads to
    (engines such as Imixs draw a decision's outcomes as events: 'Freigeben', 'Ablehnen')."""
    if flow.label:
        return flow.label
    target = g.steps[flow.target]
    return target.name if target.kind in (StepKind.event, StepKind.wait) else ""


def _refused(g: ProcessGraph, flow: Flow) -> bool:
    """Is a branch the refusal or the rework of a check (an exception flow, 'Rejected')?"""
    return flow.kind in ALTERNATIVES or inference.failure(_outcome(g, flow)) is not None


def _passed(g: ProcessGraph, flow: Flow) -> bool:
    """Does a branch say the check passed ('Approved', 'Freigeben', 'reviewed')?"""
    text = _outcome(g, flow)
    if not text or _refused(g, flow):
        return False
    return inference.passed(text) is not None or any(
        m.value in CHECKS for m in inference.purposes(text)
    )

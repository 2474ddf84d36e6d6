"""A check right after a check: another role inspects or approves work that the previous check
passed, and nothing was done to the work in between.

## What it finds
A company step tagged `inspection` or `approval` whose work comes from an earlier check by
another role, with at most `max_between` steps in between that only pass the work on (steps
that add no value and ask for nothing new: forwarding, assigning, re-keying; not escalations
or rework requests, after which the check is about a new request). The earlier check must have
passed the work along its usual way out (its only flow, or its most likely branch): a detailed
review after a failed quick check is escalation, not repetition. Customer steps and steps that
change the work end the search.

## How to fix
Check once, where the work is done, by someone with the knowledge and the authority to decide:
merge the two checks, or let the second one audit a sample afterwards instead of holding every
case. With `flowmap analyze --fix` a second check that is a pass-through task is removed.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from flowmap.inference.value import effective_value
from flowmap.model import FlowKind, Purpose, StepKind, Value
from flowmap.rules.base import Context, Family, Finding, Options, Rule
from flowmap.rules.value.common import WORK_KINDS, duration, remove_fix

CHECKS = frozenset({Purpose.inspection, Purpose.approval})
SIDE = (FlowKind.feedback, FlowKind.information)
# Steps that ask for something new: a check after them checks the new request, not the old work.
NEW_ASK = frozenset({Purpose.escalation, Purpose.rework, Purpose.chasing, Purpose.complaint,
                     Purpose.deflection, Purpose.placation, Purpose.compensation})


class RepeatedInspectionOptions(Options):
    max_between: int = Field(3, ge=0, description=(
        "how many pass-through steps may separate the two checks"))


class RepeatedInspection(Rule):
    code = "VAL009"
    name = "repeated-inspection"
    family = Family.value
    summary = "A second role re-checks work that a check has just passed"
    why = ("Each extra check adds a queue and tells the first checker that someone else will "
           "catch the mistakes; the customer waits twice for the same assurance.")
    Options = RepeatedInspectionOptions
    fixable = "sometimes"
    references = ("Deming, Out of the Crisis (1982): cease dependence on inspection.",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        g = ctx.graph
        chance = g.flow_probability
        for step in ctx.process.steps:
            if (step.is_customer or step.kind not in WORK_KINDS
                    or not CHECKS.intersection(step.purpose)):
                continue
            for first, between in self._earlier_checks(ctx, step.id, chance):
                earlier = g.steps[first]
                yield self.finding(
                    ctx,
                    f"'{step.label}' ({step.owner}) checks again what '{earlier.label}' "
                    f"({earlier.owner}) has just passed"
                    + (f", after {len(between)} pass-through step"
                       f"{'s' if len(between) != 1 else ''}" if between else ""),
                    [step.id, first, *between],
                    evidence={"first_check": first, "first_owner": earlier.owner,
                              "second_check": step.id, "second_owner": step.owner,
                              "between": between,
                              "second_check_minutes": step.work + step.wait,
                              "between_minutes": sum(g.steps[s].work + g.steps[s].wait
                                                     for s in between)},
                    suggestion=(f"Check once: merge '{step.label}' into '{earlier.label}' (give "
                                "that role what it needs to decide), or audit a sample "
                                f"afterwards; this saves {duration(step.work + step.wait)} "
                                "per case."),
                    fix=(remove_fix(g, step.id, f"remove the second check {step.id}")
                         if step.kind != StepKind.decision else None),
                    substance=f"{first}>{step.id}",
                )

    def _earlier_checks(self, ctx: Context, step_id: str, chance: dict) -> list:
        """Earlier checks by another role, reached backwards through pass-through steps."""
        g = ctx.graph
        owner = g.steps[step_id].owner
        found = []
        frontier = [(step_id, [])]
        seen = {step_id}
        for _ in range(ctx.options.max_between + 1):
            nxt = []
            for node, between in frontier:
                for prev, _, key, data in g.flow.in_edges(node, keys=True, data=True):
                    if prev in seen or data["flow"].kind in SIDE:
                        continue
                    seen.add(prev)
                    before = g.steps[prev]
                    if before.is_customer or not before.owner:
                        continue
                    if CHECKS.intersection(before.purpose):
                        if before.owner != owner and self._usual_way(ctx, prev, key, chance):
                            found.append((prev, list(reversed(between))))
                        continue
                    if self._passes_on(before):
                        nxt.append((prev, between + [prev]))
            frontier = nxt
        return found

    @staticmethod
    def _passes_on(step) -> bool:
        """A step that only moves the work along: no value, not a decision, and not a step that
        asks for something new (an escalation, a rework request, a chaser)."""
        return (effective_value(step) == Value.none and step.kind != StepKind.decision
                and not NEW_ASK.intersection(step.purpose))

    @staticmethod
    def _usual_way(ctx: Context, step_id: str, key: str, chance: dict) -> bool:
        """Did the work leave the earlier check by its only or most likely flow?"""
        ways = [k for _, _, k, d in ctx.graph.flow.out_edges(step_id, keys=True, data=True)
                if d["flow"].kind not in SIDE]
        best = max(chance.get(k, 0.0) for k in ways)
        return chance.get(key, 0.0) >= best - 1e-9

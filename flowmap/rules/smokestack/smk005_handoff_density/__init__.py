"""Too many handoffs between functions for the value the process adds.

## What it finds
The number of handoffs of work between functions (feedback and information flows and contacts
with the customer aside) divided by the number of value-adding company steps (`value:
customer`), when it is above `max-per-value-step` and there are at least `min-handoffs` such
handoffs. When more than half of the company's work steps do not declare their value, the
figure would be a guess and nothing is reported. The evidence gives both counts, the density
and the handoffs. A handoff is counted once as drawn: the flow that leaves a BPMN sub-process
with several ends is one handoff, not one per end.

## How to fix
Organise the work around the customer's case rather than around functions: merge the steps one
role can do, move decisions to the people who do the work, and let a case team own the whole
case. Each handoff removed is a queue and a retelling removed.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from flowmap.model import StepKind, Value
from flowmap.rules.base import Context, Family, Finding, Options, Rule
from flowmap.rules.smokestack.common import cross_function_handoffs


class HandoffDensityOptions(Options):
    max_per_value_step: float = Field(
        1.5,
        gt=0,
        description=("cross-function handoffs per value-adding step above which the rule reports"),
    )
    min_handoffs: int = Field(
        4,
        ge=1,
        description=("cross-function handoffs a process needs before the density is judged"),
    )


class HandoffDensity(Rule):
    code = "SMK005"
    name = "handoff-density"
    family = Family.smokestack
    needs = ("functions", "values")
    summary = "Cross-function handoffs per value-adding step are above a threshold"
    why = (
        "Every handoff between functions adds a queue, a retelling and a chance to drop the "
        "case; when handoffs outnumber the steps that do something for the customer, the "
        "customer mostly waits for the organisation to talk to itself."
    )
    Options = HandoffDensityOptions

    def check(self, ctx: Context) -> Iterator[Finding]:
        g = ctx.graph
        handoffs, seen = [], set()
        for handoff in cross_function_handoffs(g):  # a flattened sub-process's copies: once
            if handoff.flow.drawn_id not in seen:
                seen.add(handoff.flow.drawn_id)
                handoffs.append(handoff)
        if len(handoffs) < ctx.options.min_handoffs:
            return
        work = [
            s
            for s in ctx.process.steps
            if s.owner in g.roles and s.kind not in (StepKind.start, StepKind.end, StepKind.event)
        ]
        undeclared = sum(1 for s in work if s.value is None)
        if not work or undeclared * 2 > len(work):
            return
        value_adding = [s.id for s in work if s.value == Value.customer]
        density = len(handoffs) / max(1, len(value_adding))
        if density <= ctx.options.max_per_value_step:
            return
        functions = sorted(
            {g.roles[r].function.id for h in handoffs for r in (h.source_role, h.target_role)}
        )
        yield self.finding(
            ctx,
            f"{len(handoffs)} handoffs between functions for {len(value_adding)} value-adding "
            f"step{'s' if len(value_adding) != 1 else ''}: {density:.1f} per value-adding step "
            f"(threshold {ctx.options.max_per_value_step:g})",
            [h.flow.id for h in handoffs],
            evidence={
                "cross_function_handoffs": len(handoffs),
                "value_adding_steps": value_adding,
                "density": round(density, 2),
                "threshold": ctx.options.max_per_value_step,
                "functions": functions,
                "handoffs": [
                    {"flow": h.flow.id, "from": h.source_role, "to": h.target_role}
                    for h in handoffs
                ],
            },
            suggestion=(
                "Cut handoffs before adding speed: merge steps one role can do, move "
                "decisions to the doers and let one case owner carry the work across "
                f"{', '.join(g.functions[f].label for f in functions)}."
            ),
            substance="process",
        )

"""A cost or productivity measure is taken on a step where the organisation meets the
customer: cost per call, average handle time, cases per hour.

## What it finds
Measures of kind `cost` or `productivity` (option `kinds`) whose steps include a customer-facing
company step (a touchpoint). One finding per measure, naming the touchpoints it governs and
whether a customer measure (satisfaction, effort, loyalty, emotion, advocacy or quality) is
taken on the same steps. Speed is not reported by default: lead time as the customer sees it is
a customer measure; handle time should be modelled as `productivity`.

## How to fix
Manage customer-facing work by what the customer gets: first-contact resolution, effort,
recovery. Keep cost and productivity as measures of the process as a whole, owned by
management, not as targets for the people who talk to customers.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from flowmap.model import MeasureKind
from flowmap.rules.base import Context, Family, Finding, Options, Rule

CUSTOMER_MEASURES = frozenset(
    {
        MeasureKind.satisfaction,
        MeasureKind.effort,
        MeasureKind.loyalty,
        MeasureKind.emotion,
        MeasureKind.advocacy,
        MeasureKind.quality,
    }
)


class FunctionalKpiOptions(Options):
    kinds: tuple[MeasureKind, ...] = Field(
        (MeasureKind.cost, MeasureKind.productivity),
        description="measure kinds that pull against the customer on customer-facing steps",
    )


class FunctionalKpiOnCustomerFacingStep(Rule):
    code = "CX002"
    name = "functional-kpi-on-customer-facing-step"
    family = Family.customer
    needs = ("measures",)
    summary = "Cost or productivity targets govern a step where staff meet the customer"
    why = (
        "People do what they are measured on: an agent timed on handle time ends the call "
        "before the problem is solved, and the customer calls again."
    )
    Options = FunctionalKpiOptions

    def check(self, ctx: Context) -> Iterator[Finding]:
        g = ctx.graph
        kinds = set(ctx.options.kinds)
        for measure in ctx.process.measures:
            if measure.kind not in kinds:
                continue
            facing = [
                s
                for s in measure.steps
                if s in g.steps and s in g.touchpoints and not g.is_customer(s)
            ]
            if not facing:
                continue
            balancing = sorted(
                {
                    m.id
                    for m in ctx.process.measures
                    if m.kind in CUSTOMER_MEASURES and set(m.steps) & set(facing)
                }
            )
            labels = ", ".join(f"'{g.steps[s].label}'" for s in facing)
            yield self.finding(
                ctx,
                f"{measure.kind.value.capitalize()} measure '{measure.name or measure.id}' "
                f"governs customer-facing step{'s' if len(facing) != 1 else ''} {labels}",
                [measure.id, *facing],
                evidence={
                    "measure": measure.id,
                    "kind": measure.kind.value,
                    "target": measure.target,
                    "steps": facing,
                    "balanced_by": balancing,
                },
                suggestion=(
                    f"Take '{measure.name or measure.id}' off the customer-facing "
                    "steps; measure them by first-contact resolution and customer "
                    "effort, and keep cost as a measure of the whole process."
                ),
                substance=measure.id,
            )

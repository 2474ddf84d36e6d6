"""IT work that serves the organisation's own operations and never reaches the customer.

## What it finds
Steps owned by a function of kind `it` (value not `customer`) that either lead nowhere the
customer is (no customer step or touchpoint downstream: reports, reconciliations, interfaces
for their own sake), or whose purpose is internal plumbing on the customer's path: `re-entry`
(moving data between systems by hand or file), `transport` (shipping work between systems or
people) or `reporting`. Batches and waits are left to VAL008 and VAL001; steps that fix a cause
(`root-cause-fix`), recover a customer or collect feedback are never reported.

## How to fix
Let IT design for the customer's journey, not for internal operations: integrate systems so data
flows when the customer acts, build the report into the system that does the work, and give IT
people a measure that the customer would recognise.
"""

from __future__ import annotations

from collections.abc import Iterator

from flowmap.model import FunctionKind, Purpose, Value
from flowmap.rules.base import Context, Family, Finding, Options, Rule
from flowmap.rules.value.common import WORK_KINDS, work_and_wait

INTERNAL = (Purpose.re_entry, Purpose.transport, Purpose.reporting)
NEVER = frozenset({Purpose.root_cause_fix, Purpose.recovery, Purpose.feedback})


class InternalOnlyOptions(Options):
    pass


class InternalOnlySystemStep(Rule):
    code = "VAL006"
    name = "internal-only-system-step"
    family = Family.value
    summary = "IT work that serves internal operations and never reaches the customer"
    why = (
        "When IT designs systems around internal operations, the customer's case waits for "
        "file transfers, reports and hand-made interfaces that the customer never benefits "
        "from."
    )
    Options = InternalOnlyOptions
    references = (
        ("Essay 001 in the background: 'let IT design systems focused on internal operations'."),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        g = ctx.graph
        reaches = g.reaches_customer
        for step in ctx.process.steps:
            function = g.function_of(step.id)
            if (
                function is None
                or function.kind != FunctionKind.it
                or step.id in g.black_boxes
                or step.kind not in WORK_KINDS
                or step.value == Value.customer
                or NEVER.intersection(step.purpose)
            ):
                continue
            internal = [p.value for p in step.purpose if p in INTERNAL]
            unreached = step.id not in reaches
            if not internal and not unreached:
                continue
            reason = (
                "its work never reaches the customer"
                if unreached
                else f"it serves internal operations ({', '.join(internal)})"
            )
            yield self.finding(
                ctx,
                f"IT step '{step.label}': {reason}"
                + (f"; {time}" if (time := work_and_wait(ctx.graph, step.id)) else ""),
                [step.id],
                evidence={
                    "function": function.id,
                    "reaches_customer": not unreached,
                    "internal_purpose": internal,
                    "work_minutes": step.work,
                    "wait_minutes": step.wait,
                    "systems": list(step.systems),
                },
                suggestion=(
                    f"Redesign '{step.label}' around the customer's case: integrate "
                    "the systems so the work flows without it, or drop it if nobody "
                    "outside IT needs its output."
                ),
                substance=step.id,
            )

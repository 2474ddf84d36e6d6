"""A step where work is done has no owner: neither a role nor the customer.

## What it finds
Tasks, decisions, waits and subprocesses with an empty `owner`. Start, end and intermediate
event steps may stay unowned. Without an owner the handoff rules cannot classify the flows in
and out of the step, and nobody is accountable for the work.

## How to fix
Set `owner:` to the role that does the work (`function.role`) or to `customer`. For an automated
step, name the role accountable for it.
"""

from __future__ import annotations

from collections.abc import Iterator

from flowmap.rules.base import Context, Family, Finding, Options, Rule
from flowmap.rules.value.common import WORK_KINDS


class OwnerOptions(Options):
    pass


class StepWithoutOwner(Rule):
    code = "STR003"
    name = "step-without-owner"
    family = Family.structure
    needs = ("organisation",)
    summary = "A step where work is done has no owner"
    why = (
        "Work nobody owns is work nobody answers for: the customer's case waits at it with "
        "no one to ask, and the handoffs around it cannot be seen."
    )
    Options = OwnerOptions

    def check(self, ctx: Context) -> Iterator[Finding]:
        for step in ctx.process.steps:
            if step.owner or step.kind not in WORK_KINDS:
                continue
            yield self.finding(
                ctx,
                f"'{step.label}' has no owner",
                [step.id],
                evidence={"kind": step.kind.value},
                suggestion=(
                    f"Set owner: of '{step.label}' to the role that does it "
                    "(function.role) or to customer."
                ),
                substance=step.id,
            )

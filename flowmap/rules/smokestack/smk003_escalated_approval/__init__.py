"""An approval owned two or more levels above the person who did the work being approved.

## What it finds
An approval step (purpose `approval`, or a name that says so in any supported language:
*approve*, *freigeben*, *zatwierdzić*...; not a message about one, its cancelling or its
status) owned by a role that sits `min-gap` or more levels above the doer, in the doer's own
chain of command and above the doer's own superior (an approval by the person the doer reports
to is ordinary authority, however far apart their levels are). The doer is the owner of the nearest work before the approval (other
approvals in between are passed over, and so are events, gateways, engine actions and other
functions' reviews; the approver's own preparation is not someone else's work). An approver
outside the doer's chain (a budget owner, a customer's manager) is not an escalation and is not
reported. Approvals that are also tagged `compliance` are reported at the severity of the option
`when-required-by-law` (info unless configured): the law sometimes fixes the level, and then an
`ignore:` with the legal reason documents it.

## How to fix
Give the doer the authority to decide within a limit, and keep a higher approval only above it
(and only where the law requires it). `flowmap analyze --fix` hands the approval to the doer.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import Literal

from pydantic import Field

from flowmap import inference
from flowmap.model import Purpose, Step, StepKind
from flowmap.rules.base import Context, Edit, Family, Finding, Fix, Options, Rule, Severity

_SEARCH_DEPTH = 12  # how far back to look for the doer, in flows
_THROUGH = frozenset({StepKind.event, StepKind.start, StepKind.end})
_IDLE = frozenset({StepKind.decision, StepKind.wait})  # gateways, engine actions: when no work
_WORK = frozenset({StepKind.task, StepKind.decision, StepKind.wait, StepKind.subprocess})


def is_approval(step: Step) -> bool:
    """An approval by its purpose, or by a name that says so in any language ('Approve
    expenses', 'Rechnung freigeben'); not a step that tells someone about one."""
    if Purpose.approval in step.purpose:
        return True
    name = step.name or ""
    return (
        inference.has_purpose(name, Purpose.approval) is not None
        and inference.not_the_check(name) is None
    )


def is_check(step: Step) -> bool:
    return step.kind in _WORK and (is_approval(step) or Purpose.inspection in step.purpose)


class EscalatedApprovalOptions(Options):
    min_gap: int = Field(
        2,
        ge=1,
        le=4,
        description=(
            "levels between the doer and the approver, in the doer's chain of command, before "
            "reporting"
        ),
    )
    when_required_by_law: Literal["error", "warning", "info", "same"] = Field(
        "info",
        description=(
            "severity of an approval also tagged `compliance` (the law may fix its level); `same`: "
            "the rule's severity"
        ),
    )


class EscalatedApproval(Rule):
    code = "SMK003"
    name = "escalated-approval"
    family = Family.smokestack
    needs = ("levels",)
    summary = "An approval sits two or more levels above the person who did the work"
    why = (
        "The customer's case climbs the chain of command and waits in a senior person's "
        "queue for a signature on work they did not do and rarely change; the doer, who "
        "knows the case, cannot give the customer an answer."
    )
    Options = EscalatedApprovalOptions
    fixable = "always"

    def check(self, ctx: Context) -> Iterator[Finding]:
        g = ctx.graph
        for step in ctx.process.steps:
            if step.kind in (StepKind.start, StepKind.end, StepKind.event) or not is_approval(step):
                continue
            approver = g.roles.get(step.owner)
            if approver is None:
                continue
            found = self._doer(ctx, step.id)
            if found is None:
                continue
            doer_step, gap = found
            if gap < ctx.options.min_gap:
                continue
            doer = g.role_of(doer_step)
            if doer is None:  # _doer finds a subordinate's step: it has a role
                continue
            chain = g.chain_of_command(doer.key)
            chain = chain[: chain.index(approver.key) + 1]
            if len(chain) < 3:
                continue  # the doer's own superior: ordinary authority, however far the levels
            legal = Purpose.compliance in step.purpose
            yield self.finding(
                ctx,
                f"{step.label} is approved by {approver.label} (L{approver.level}), {gap} "
                f"levels above {doer.label} (L{doer.level}) who did the work",
                [step.id, doer_step],
                evidence={
                    "approval": step.id,
                    "approver": approver.key,
                    "approver_level": approver.level,
                    "doer_step": doer_step,
                    "doer": doer.key,
                    "doer_level": doer.level,
                    "gap": gap,
                    "chain": [{"role": r, "level": g.roles[r].level} for r in chain],
                    "required_by_law": legal,
                },
                suggestion=(
                    f"Let {doer.label} approve {step.label!r} within a limit; "
                    f"keep {approver.label} for the cases "
                    "above the limit" + (", where the law requires it" if legal else "") + "."
                ),
                fix=Fix(
                    f"delegate {step.id} to {doer.key}",
                    (Edit("set-step", step=step.id, fields={"owner": doer.key}),),
                ),
                substance=f"{step.id}|{approver.key}",
                severity=(
                    Severity(ctx.options.when_required_by_law)
                    if legal and ctx.options.when_required_by_law != "same"
                    else None
                ),
            )

    @staticmethod
    def _doer(ctx: Context, approval: str) -> tuple[str, int] | None:
        """The nearest earlier work by a subordinate of the approver, with the level gap.

        Events, gateways and waits nobody works in (an engine's user actions) are looked
        through, and so are stacked approvals and other functions' reviews: the work they pass
        on is the doer's. A review by the approver's own subordinate is that doer's work."""
        g = ctx.graph
        approver = g.steps[approval].owner
        best: tuple[str, int] | None = None
        seen = {approval}
        queue = deque([(approval, 0)])
        while queue:
            here, depth = queue.popleft()
            if depth >= _SEARCH_DEPTH:
                continue
            for prev in g.flow.predecessors(here):
                if prev in seen:
                    continue
                seen.add(prev)
                step = g.steps[prev]
                if step.kind in _THROUGH or (step.kind in _IDLE and not step.work):
                    if not step.is_customer:
                        queue.append((prev, depth + 1))
                    continue
                ref = g.roles.get(step.owner)
                if ref is None or step.owner == approver:
                    continue  # the customer, an unowned step, or the approver's own work
                below = g.reports_to(ref.key, approver)
                if is_check(step) and (is_approval(step) or not below):
                    queue.append((prev, depth + 1))  # stacked checks: look behind them
                    continue
                if below:
                    gap = g.roles[approver].level - ref.level
                    if best is None or gap > best[1]:
                        best = (prev, gap)
        return best

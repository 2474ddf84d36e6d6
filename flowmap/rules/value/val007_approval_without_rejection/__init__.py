"""An approval that cannot say no: the work waits for someone's signature, and every case goes
on the same way afterwards.

## What it finds
Company steps tagged `purpose: approval` whose outgoing flows (and those of a decision right
after them) all lead to one next step: there is no branch where the approval is refused. Only
approvals that cost something are reported: the approver is another role than the doer before
it, or the work waits for the approval (`wait` above zero). An approval by the doer, in the same
breath (a limit the doer checks), is not reported.

## How to fix
An approval that never rejects approves nothing: remove it, or replace it with an authority
limit the doer applies and a sample audit afterwards. If it does sometimes refuse, model the
refusal branch, so its probability and its cost can be seen. With `flowmap analyze --fix` a
pass-through approval step is removed.
"""

from __future__ import annotations

from collections.abc import Iterator

from flowmap.model import FlowKind, Purpose, StepKind
from flowmap.rules.base import Context, Family, Finding, Options, Rule
from flowmap.rules.value.common import WORK_KINDS, duration, remove_fix

SIDE = (FlowKind.feedback, FlowKind.information)


class ApprovalOptions(Options):
    pass


class ApprovalWithoutRejection(Rule):
    code = "VAL007"
    name = "approval-without-rejection"
    family = Family.value
    summary = "An approval step with no way to refuse: it approves nothing"
    why = ("The customer waits while the work queues for a signature that never changes the "
           "outcome; the doer learns that someone else is responsible for getting it right.")
    Options = ApprovalOptions
    fixable = "sometimes"
    references = ("Womack and Jones, Lean Thinking (1996): approvals as over-processing.",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        g = ctx.graph
        for step in ctx.process.steps:
            if (Purpose.approval not in step.purpose or step.is_customer
                    or step.kind not in WORK_KINDS):
                continue
            outcomes = self._outcomes(ctx, step.id)
            if len(outcomes) != 1:
                continue  # it can refuse (or it is a dead end, STR002's business)
            (nxt,) = outcomes
            if g.steps[nxt].kind == StepKind.decision and len(self._outcomes(ctx, nxt)) > 1:
                continue  # the decision right after it is the refusal
            doers = sorted({g.steps[p].owner for p in g.flow.predecessors(step.id)
                            if p != step.id and not g.is_customer(p) and g.steps[p].owner})
            other_role = any(d != step.owner for d in doers)
            if not other_role and step.wait <= 0:
                continue  # the doer applies a limit in the same breath
            levels = {d: g.roles[d].level for d in doers if d in g.roles}
            level = g.level(step.id)
            yield self.finding(
                ctx,
                f"Approval '{step.label}' never refuses: every case goes on to "
                f"'{g.steps[nxt].label}' after {duration(step.work + step.wait)}",
                [step.id, nxt],
                evidence={"approver": step.owner, "approver_level": level,
                          "doers": doers, "doer_levels": levels,
                          "wait_minutes": step.wait, "work_minutes": step.work,
                          "outcomes": sorted(outcomes)},
                suggestion=(f"Remove '{step.label}' or replace it with an authority limit for "
                            f"{', '.join(doers) or 'the doer'} and an audit of a sample; if it "
                            "does refuse sometimes, model the refusal branch."),
                fix=remove_fix(g, step.id, f"remove the approval {step.id} that never refuses"),
                substance=step.id,
            )

    @staticmethod
    def _outcomes(ctx: Context, step_id: str) -> set[str]:
        g = ctx.graph
        return {v for _, v, data in g.flow.out_edges(step_id, data=True)
                if data["flow"].kind not in SIDE}

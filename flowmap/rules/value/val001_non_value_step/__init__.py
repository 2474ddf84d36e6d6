"""A step of the organisation that its model declares adds no value (``value: none``): neither
the customer nor the law or the business needs it.

## What it finds
Company steps with `value: none`: re-keying, printing and scanning, passing work on, waiting,
redundant checks. The finding names the kind of waste (from the step's purpose, or from its
name, see VAL002's lexicon) and the time and cost the step takes. Steps about complaints,
apologies, compensation, recovery and feedback are left to the service rules (SRV), approvals to
VAL007 and batches to VAL008, which judge them more precisely.

## How to fix
Remove the step, or make it unnecessary at its cause: capture data once where it arises, give
the doer access instead of forwarding, let systems move the work, give the doer authority
instead of an escalation. With `flowmap analyze --fix` a pass-through step (one way in, one way
out, no measure taken on it) is removed and its neighbours are joined.
"""

from __future__ import annotations

from collections.abc import Iterator

from flowmap.inference import value as lexicon
from flowmap.model import Purpose, Value
from flowmap.rules.base import Context, Family, Finding, Options, Rule
from flowmap.rules.value.common import WORK_KINDS, remove_fix, work_and_wait

# Left to the service rules (SRV), VAL007 (approvals) and VAL008 (batches).
JUDGED_ELSEWHERE = frozenset(
    {
        Purpose.placation,
        Purpose.compensation,
        Purpose.complaint,
        Purpose.recovery,
        Purpose.root_cause_fix,
        Purpose.feedback,
        Purpose.approval,
        Purpose.batching,
    }
)

ADVICE = {
    "re-keying": "capture the data once, where it arises, and let systems pass it on",
    "transport": "give the next person access to the work, or let the system route it",
    "waiting": "remove the queue: process each case as it arrives",
    "rework": "get the work right the first time at the step that sends it back",
    "chasing": "tell the other party proactively, so nobody needs to chase",
    "deflection": "answer the customer's question instead of deflecting it",
    "over-processing": "check once, at the source, with the authority to decide",
}


class NonValueOptions(Options):
    pass


class NonValueStep(Rule):
    code = "VAL001"
    name = "non-value-adding-step"
    family = Family.value
    needs = ("values",)
    summary = "A company step adds no value for the customer and is not required"
    why = (
        "A step that adds nothing still takes time and money; the customer waits for it and "
        "pays for it in the price, and each extra step is another place to make a mistake."
    )
    Options = NonValueOptions
    fixable = "sometimes"
    references = (
        "Rother and Shook, Learning to See (1999): value-stream mapping.",
        "Womack and Jones, Lean Thinking (1996): value, muda.",
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        g = ctx.graph
        for step in ctx.process.steps:
            if (
                step.value != Value.none
                or step.is_customer
                or step.kind not in WORK_KINDS
                or JUDGED_ELSEWHERE.intersection(step.purpose)
            ):
                continue
            inferred = lexicon.infer(step)
            waste = inferred.waste if inferred else ""
            time = work_and_wait(g, step.id)
            advice = ADVICE.get(waste, "remove it, or automate it if something must be done")
            yield self.finding(
                ctx,
                f"'{step.label}' adds no value{f' ({waste})' if waste else ''}"
                + (f": {time}" if time else ""),
                [step.id],
                evidence={
                    "waste": waste or None,
                    "decided_by": inferred.word if inferred else "value",
                    "work_minutes": step.work,
                    "wait_minutes": step.wait,
                    "cost": step.cost,
                    "owner": step.owner,
                    "purpose": [p.value for p in step.purpose],
                },
                suggestion=f"Remove '{step.label}': {advice}.",
                fix=remove_fix(g, step.id, f"remove the non-value step {step.id}"),
                substance=step.id,
            )

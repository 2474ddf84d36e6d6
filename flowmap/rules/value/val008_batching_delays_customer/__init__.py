"""Work waits for a batch run (nightly, weekly, monthly) while a customer waits downstream.

## What it finds
Company steps that batch work, tagged `purpose: batching` or named as a batch run (VAL002's
lexicon: "batch", "nightly/weekly/monthly/overnight run"), with a wait of at least `min_wait`,
from which the work still goes on to the customer (a customer step or touchpoint downstream).
A batch nobody outside waits for (a quarterly return to a regulator after the case is closed) is
not reported. The finding names the customer step that waits.

## How to fix
Process each case as it arrives (one-piece flow): release pick lists continuously or in short
waves, invoice on delivery, open accounts in real time. With `flowmap analyze --fix` a pure
batch wait (`kind: wait`, one way in and out) is removed.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from pydantic import Field

from flowmap.inference import value as lexicon
from flowmap.model import Purpose, StepKind
from flowmap.rules.base import Context, Family, Finding, Options, Rule
from flowmap.rules.value.common import WORK_KINDS, duration, remove_fix


class BatchingOptions(Options):
    min_wait: float = Field(
        60.0, ge=0, description=("minutes a batch must hold the work before it is reported")
    )


class BatchingDelaysCustomer(Rule):
    code = "VAL008"
    name = "batching-delays-customer"
    family = Family.value
    needs = ("customer", "times")
    summary = "A batch run holds the work while the customer waits"
    why = (
        "Batches suit the schedule of a system or a department; the customer's case sits "
        "in the queue until the next run, and every error waits a full cycle to be seen."
    )
    Options = BatchingOptions
    fixable = "sometimes"
    references = ("Womack and Jones, Lean Thinking (1996): flow and one-piece flow.",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        g = ctx.graph
        for step in ctx.process.steps:
            if step.is_customer or step.kind not in WORK_KINDS:
                continue
            if Purpose.batching in step.purpose:
                decided = "purpose: batching"
            else:
                named = lexicon.match_name(step.label)
                if named is None or named.waste != "batching":
                    continue
                decided = named.word
            if step.wait < ctx.options.min_wait or step.id not in g.reaches_customer:
                continue
            waiting = self._customer_after(ctx, step.id)
            fix = None
            if step.kind == StepKind.wait:
                fix = remove_fix(g, step.id, f"process each case as it arrives: remove {step.id}")
            yield self.finding(
                ctx,
                f"'{step.label}' holds the work {duration(step.wait)} for a batch run"
                + (f" while the customer waits for '{g.steps[waiting].label}'" if waiting else ""),
                [step.id] + ([waiting] if waiting else []),
                evidence={
                    "decided_by": decided,
                    "wait_minutes": step.wait,
                    "customer_step": waiting,
                    "systems": list(step.systems),
                },
                suggestion=(
                    f"Replace the batch in '{step.label}' with continuous flow (each "
                    "case as it arrives, or short waves), so the customer does not "
                    "wait for the next run."
                ),
                fix=fix,
                substance=step.id,
            )

    @staticmethod
    def _customer_after(ctx: Context, step_id: str) -> str | None:
        """The first customer step after a step on the main path, or else the nearest one
        (breadth first); a touchpoint when no customer step follows."""
        g = ctx.graph
        path = g.main_path
        if step_id in path:  # the customer on the usual way through
            later = path[path.index(step_id) + 1 :]
            for wanted in (g.is_customer, g.touchpoints.__contains__):
                hit = next((s for s in later if wanted(s)), None)
                if hit:
                    return hit
        for wanted in (g.is_customer, g.touchpoints.__contains__):
            seen = {step_id}
            queue = deque(sorted(g.flow.successors(step_id)))
            while queue:
                node = queue.popleft()
                if node in seen:
                    continue
                seen.add(node)
                if wanted(node):
                    return node
                queue.extend(sorted(g.flow.successors(node)))
        return None

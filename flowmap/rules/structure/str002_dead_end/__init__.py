"""A step that is not an end but from which the work cannot go on: no flow out, or a loop with
no way out to an end.

## What it finds
When the process declares `kind: end` steps, every other step must lead to one. Reported are
steps without any outgoing flow (a dead end) and groups of steps that flow only among themselves
(a loop with no exit). When no end is declared, the steps without outgoing flows are the ends,
and only loops with no exit are reported.

A step only its loader's flows reach (``generated``: an imported BPMN compensation handler) is
not the modeller's dead end and is not reported; nor is a pool drawn as a black box (an imported
BPMN participant without a process of its own), which receives messages and hands nothing on in
this model.

## How to fix
Add the flow that takes the work on (often the "no" branch of a decision was never drawn), or
mark the step `kind: end` if the case really ends there.
"""

from __future__ import annotations

from collections.abc import Iterator

from flowmap.formatting import capital
from flowmap.model import StepKind
from flowmap.rules.base import Context, Family, Finding, Options, Rule


class DeadEndOptions(Options):
    pass


class DeadEnd(Rule):
    code = "STR002"
    name = "dead-end"
    family = Family.structure
    summary = "A step that is not an end has no way out"
    why = (
        "A case that reaches a dead end is a customer left without an answer; in the model it "
        "usually hides a branch nobody designed."
    )
    Options = DeadEndOptions

    def check(self, ctx: Context) -> Iterator[Finding]:
        g = ctx.graph
        declared = [s.id for s in ctx.process.steps if s.kind == StepKind.end]
        sinks = [s.id for s in ctx.process.steps if g.flow.out_degree(s.id) == 0]
        ends = declared or sinks
        if declared:
            made: dict[str, bool] = {}  # step -> whether every flow into it is one its loader made
            for flow in ctx.process.flows:
                made[flow.target] = made.get(flow.target, True) and flow.generated
            for sid in sinks:
                if sid in declared or made.get(sid, False) or sid in g.black_boxes:
                    continue  # a black-box pool receives; what it does is not this model's
                step = g.steps[sid]
                yield self.finding(
                    ctx,
                    f"{capital(g.mention(sid))} is not an end, but no flow leaves it",
                    [sid],
                    evidence={
                        "kind": step.kind.value,
                        "flows_in": sorted(g.flow.predecessors(sid)),
                    },
                    suggestion=(
                        f"Add the flow that takes the work on from {g.mention(sid)}, or "
                        "declare it kind: end."
                    ),
                    substance=sid,
                )
        way_out = g.reaching(ends) | set(sinks)
        reported: set[frozenset[str]] = set()
        for sid in sorted(set(g.steps) - way_out):
            loop = g.loops.get(sid)
            if loop is None or loop in reported:
                continue
            reported.add(loop)
            members = sorted(loop)
            names = g.named(members)
            yield self.finding(
                ctx,
                f"The loop {', '.join(names)} has no way out to an end",
                members,
                evidence={"loop": members},
                suggestion="Add the exit from the loop (the branch where the work is done).",
                substance="|".join(members),
            )

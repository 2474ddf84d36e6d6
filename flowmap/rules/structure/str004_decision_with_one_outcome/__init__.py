"""A decision with only one way out: nothing is decided.

## What it finds
Steps of `kind: decision` whose flows (feedback and information flows aside) all lead to one
step. Either a branch is missing from the model (what happens when the answer is no?) or the
step is not a decision. A decision with no flow out at all is STR002's dead end.

## How to fix
Draw the missing branch, with its label and probability, or make the step a task. With
`flowmap analyze --fix` the step becomes `kind: task`.
"""

from __future__ import annotations

from collections.abc import Iterator

from flowmap.formatting import capital
from flowmap.graph import ProcessGraph
from flowmap.model import FlowKind, StepKind
from flowmap.rules.base import Context, Edit, Family, Finding, Fix, Options, Rule

SIDE = (FlowKind.feedback, FlowKind.information)


class DecisionOptions(Options):
    pass


class DecisionWithOneOutcome(Rule):
    code = "STR004"
    name = "decision-with-one-outcome"
    family = Family.structure
    summary = "A decision has only one outgoing branch"
    why = (
        "A decision without its other branch hides what happens to the customers who get "
        "the other answer, usually the ones who need the most care."
    )
    Options = DecisionOptions
    fixable = "always"

    def check(self, ctx: Context) -> Iterator[Finding]:
        g = ctx.graph
        for step in ctx.process.steps:
            if step.kind != StepKind.decision:
                continue
            outs = {
                (v, k)
                for _, v, k, d in g.flow.out_edges(step.id, keys=True, data=True)
                if d["flow"].kind not in SIDE
            }
            targets = sorted({v for v, _ in outs})
            if len(targets) != 1:
                continue
            flows = sorted(k for _, k in outs)
            yield self.finding(
                ctx,
                f"{_subject(g, step.id)} has only one outcome: {g.mention(targets[0])}",
                [step.id, *flows],
                evidence={"outcomes": targets, "flows": flows},
                suggestion=(
                    f"Draw the other branch of {g.mention(step.id)} (with its label and "
                    "probability), or make it a task."
                ),
                fix=Fix(
                    f"make {step.id} a task",
                    (Edit("set-step", step=step.id, fields={"kind": "task"}),),
                ),
                substance=step.id,
            )


def _subject(g: ProcessGraph, step_id: str) -> str:
    """'Decision 'Stock ok?'', or 'The decision after 'Check stock'' when it has no name."""
    mention = g.mention(step_id)
    return f"Decision {mention}" if g.worth_naming(step_id) else capital(mention)

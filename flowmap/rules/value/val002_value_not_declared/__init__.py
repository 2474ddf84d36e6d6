"""A company step does not declare its value, and its purpose, kind or name shows that it adds
none.

## What it finds
Steps of the organisation without `value:` (common in imported BPMN models and workshop
sketches) whose purpose tags, kind or name mark them as waste, read with a small documented
lexicon (`flowmap/inference/words/`). The purpose decides first (`re-entry`, `transport`,
`batching`, `waiting`, `rework`, `chasing`, `deflection`), then `kind: wait`, then the first
lexicon word in the step's name. The finding is reported as *info*, with the word that decided:
it is an inference, not a declaration. Customer steps are left to VAL003. With the option
`report_unknown`, undeclared steps the lexicon cannot read are reported too.

A wait (`kind: wait`, or a step whose name says it waits) for what an outside party does or
sends, named so ("Customer accepts offer", "Warten auf Zahlungseingang", "payment received"), is
not read as waste, nor is a wait for what a participant drawn as a black box sends (a BPMN
message from a collapsed pool): the organisation cannot remove it by itself, and the customer's
side of it is VAL003's business.

A start named for a calendar date ("Month end", "Monatsende", "Fin de mois": a timer start in
BPMN) is reported too: the work after it waits for the date and is done as a batch.

The words, in English, German, French, Spanish, Dutch, Polish, Portuguese and Italian (case and
accents folded; a word matches a whole word or, where marked as a stem, its start):

{lexicon}

## How to fix
Declare the value of every step: `customer` when the customer would pay for it, `business` when
the law or the business requires it, `none` otherwise. Then treat the `none` steps as VAL001
describes: remove them or remove their cause.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from flowmap import inference
from flowmap.inference import value as lexicon
from flowmap.model import Step, StepKind
from flowmap.rules.base import Context, Family, Finding, Options, Rule
from flowmap.rules.value.common import WORK_KINDS


class ValueNotDeclaredOptions(Options):
    report_unknown: bool = Field(
        False,
        description=("also report undeclared steps whose purpose, kind and name show nothing"),
    )


class ValueNotDeclared(Rule):
    code = "VAL002"
    name = "value-not-declared"
    family = Family.value
    summary = "A step without a declared value whose name or purpose says it adds none"
    why = (
        "A step nobody has judged is a step nobody will remove; its name often gives away "
        "the re-keying, forwarding or waiting the customer is paying for."
    )
    Options = ValueNotDeclaredOptions

    @classmethod
    def doc(cls) -> str:
        return super().doc().replace("{lexicon}", lexicon.table())

    def check(self, ctx: Context) -> Iterator[Finding]:
        for step in ctx.process.steps:
            if step.value is not None or step.is_customer:
                continue
            if step.kind == StepKind.start:
                yield from self._scheduled(ctx, step)
                continue
            if step.kind not in WORK_KINDS:
                continue
            inferred = lexicon.infer(step)
            if (
                inferred is not None
                and (inferred.source == "kind" or inferred.waste == "waiting")
                and _outside_party(ctx, step)
            ):
                inferred = None  # waiting for the customer's answer or a payment: not a queue
            if inferred is None:
                if ctx.options.report_unknown:
                    yield self.finding(
                        ctx,
                        f"'{step.label}' does not declare its value",
                        [step.id],
                        evidence={"inferred": None},
                        suggestion=(
                            f"Declare value: customer, business or none for '{step.label}'."
                        ),
                        substance=step.id,
                    )
                continue
            yield self.finding(
                ctx,
                f"'{step.label}' does not declare its value; '{inferred.word}' suggests it adds "
                f"none ({inferred.waste})",
                [step.id],
                evidence={
                    "inferred": inferred.value.value,
                    "decided_by": inferred.word,
                    "source": inferred.source,
                    "waste": inferred.waste,
                    "work_minutes": step.work,
                    "wait_minutes": step.wait,
                },
                suggestion=(
                    f"Declare the value of '{step.label}'. If it is {inferred.waste}, "
                    "declare value: none and remove it or its cause; if the law or the "
                    "business requires it, declare value: business."
                ),
                substance=step.id,
            )

    def _scheduled(self, ctx: Context, step: Step) -> Iterator[Finding]:
        """A start named for a calendar date: the work after it is held for a batch."""
        inferred = lexicon.match_name(step.name)
        if inferred is None or inferred.waste != "batching":
            return
        g = ctx.graph
        held = [s for s in g.flow.successors(step.id) if s != step.id] if step.id in g.flow else []
        names = ", ".join(f"'{g.steps[s].label}'" for s in held) or "the work"
        yield self.finding(
            ctx,
            f"'{step.label}' starts {names} on a schedule; '{inferred.word}' suggests the cases "
            "wait for it (batching)",
            [step.id, *held],
            evidence={
                "inferred": inferred.value.value,
                "decided_by": inferred.word,
                "source": inferred.source,
                "waste": inferred.waste,
                "held_steps": held,
            },
            suggestion=(
                f"Process each case as it arrives instead of at '{step.label}'; if the "
                "schedule is required (a payment run the bank sets), declare the steps "
                "after it value: business."
            ),
            substance=step.id,
        )


def _outside_party(ctx: Context, step: Step) -> bool:
    """A wait named for the customer's action or for receiving something from outside, or for
    what a participant drawn as a black box sends."""
    name = step.name or ""
    g = ctx.graph
    if step.id in g.flow and any(p in g.black_boxes for p in g.flow.predecessors(step.id)):
        return True
    return bool(name) and (
        inference.customer(name) is not None or inference.receives(name) is not None
    )

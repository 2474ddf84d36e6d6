"""Customer service apologises, compensates or credits, but nobody recovers the customer or
fixes the cause.

## What it finds
Service steps that placate: purpose `placation` or `compensation`, or a name that says so in any
language flowmap reads (*apologise*, *sorry*, *goodwill*, *voucher*, *calm the customer*,
*compensate*, *Kulanz*, *beruhigen*, *geste commercial*...: the placation and compensation words
of `flowmap/inference/words/`). Where the process has no customer-service function, the role
that answers the customer's chases and complaints is its customer service (a pizza shop's clerk
calming a customer who asks where the pizza is). They are grouped by the
failure they answer (the work that exists only because of it, see SRV001) or, outside any
failure, by the work that follows them. A group is reported when none of its steps has purpose
`recovery` or `root-cause-fix` and no `feedback` flow leaves it. A step that both compensates
and recovers (purpose `[recovery, compensation]`) is recovery.

## How to fix
Turn the apology into a recovery: fix the customer's problem in the same contact (the goods
sent today, the bill corrected, the slot rebooked) and send the cause back to the function that
made it. Where a cause is known, `flowmap analyze --fix` adds a feedback flow to a root-cause
fix there.
"""

from __future__ import annotations

from collections.abc import Iterator

from flowmap import inference
from flowmap.model import Purpose, Step, StepKind
from flowmap.rules.base import Context, Family, Finding, Options, Rule
from flowmap.rules.service.common import Failure, failures, fix_at_source, outermost, recovered

_PLACATING = (Purpose.placation, Purpose.compensation)


def placating_words(step: Step) -> list[str]:
    """The purposes, or else the words of its name, that make a step placate."""
    declared = [p.value for p in step.purpose if p in _PLACATING]
    return declared or [m.word for m in inference.purposes(step.name) if m.value in _PLACATING]


def is_placation(step: Step) -> bool:
    """A task that placates (an end event named 'Customer reassured' is its outcome, not
    another placating step)."""
    return (
        step.kind in (StepKind.task, StepKind.subprocess)
        and bool(placating_words(step))
        and Purpose.recovery not in step.purpose
    )


class PlacationOnly(Rule):
    code = "SRV002"
    name = "placation-only"
    family = Family.service
    needs = ("service",)
    summary = (
        "Service apologises or compensates without recovering the customer or fixing the cause"
    )
    why = (
        "An apology and a credit close the ticket, not the problem: the customer still has "
        "it, or will have it again, and learns that complaining buys a voucher rather than "
        "a fix."
    )
    Options = Options
    fixable = "sometimes"

    def check(self, ctx: Context) -> Iterator[Finding]:
        g = ctx.graph
        placating = [s.id for s in ctx.process.steps if g.is_service(s.id) and is_placation(s)]
        if not placating:
            return
        known = outermost(failures(g))
        within: dict[str, Failure] = {}  # step -> the first known failure whose region holds it
        for known_failure in known:
            for sid in known_failure.region:
                within.setdefault(sid, known_failure)
        groups: dict[str, tuple[Failure | None, list[str]]] = {}
        for sid in placating:
            holder = within.get(sid)
            key = holder.entry if holder else sid
            groups.setdefault(key, (holder, []))[1].append(sid)
        for key, (failure, steps) in groups.items():
            case = failure.region if failure else g.dominated_by(steps[0])
            if recovered(g, case):
                continue
            words = {sid: placating_words(g.steps[sid]) for sid in steps}
            cause = failure.cause if failure else None
            fix = fix_at_source(g, cause, steps[-1], "failure") if cause else None
            yield self.finding(
                ctx,
                f"Service only placates: {', '.join(g.steps[s].label for s in steps)}; no "
                "recovery of the customer and no fix at the source",
                steps,
                evidence={
                    "placation_steps": words,
                    "failure": key if failure else None,
                    "signal": failure.signal if failure else None,
                    "cause_step": cause,
                    "handling_steps": len(case),
                    "recovery_steps": [],
                    "fix_at_source": False,
                },
                suggestion=(
                    f"Make {steps[0]} a recovery (solve the customer's problem in this "
                    "contact, purpose recovery)"
                    + (
                        f" and feed the cause back to {cause_function.label} ({cause})"
                        if cause and (cause_function := g.function_of(cause)) is not None
                        else " and send the cause back to the function that made it"
                    )
                    + "."
                ),
                fix=fix,
                substance=key,
            )

"""A manager sits in the path of the work only to pass it on between people of their own team.

## What it finds
A step owned by a role above its function's front line that does nothing to the case itself
(value `none` or undeclared, no approval, decision or inspection) but passes work on (purpose
`transport` or `escalation`, or a name such as *assign*, *allocate*, *forward*, *pass*,
*route*), where the work comes from and goes to lower-level roles of the same function. The
work climbs to the manager and comes down again: a vertical detour inside one function.
Relays between two functions are chimneys and are reported by SMK001.

## How to fix
Let the work flow from doer to doer: a shared queue the team pulls from, or a rule for who takes
what, with the manager watching the queue rather than carrying each case. `flowmap analyze
--fix` removes the relay step and connects the two doers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from flowmap.model import Purpose, StepKind, Value
from flowmap.rules.base import Context, Edit, Family, Finding, Fix, Options, Rule
from flowmap.rules.smokestack.common import SIDE_FLOWS, above_front_line

_RELAY_NAME = re.compile(
    r"^\s*(assign|allocate|forward|pass|route|refer|dispatch|distribute|"
    r"hand\s+over|send)\b",
    re.IGNORECASE,
)
_RELAY = {Purpose.transport, Purpose.escalation}
_DOES_SOMETHING = {
    Purpose.approval,
    Purpose.inspection,
    Purpose.diagnosis,
    Purpose.compliance,
    Purpose.recovery,
    Purpose.root_cause_fix,
    Purpose.feedback,
    Purpose.payment,
    Purpose.delivery,
    Purpose.sale,
}


class ManagerRelay(Rule):
    code = "SMK007"
    name = "manager-relay"
    family = Family.smokestack
    needs = ("levels",)
    summary = "A manager only passes work on between people of their own team"
    why = (
        "The case waits in a manager's inbox to be handed from one doer to the next; the "
        "manager adds a queue and nothing the customer needs."
    )
    Options = Options
    fixable = "sometimes"

    def check(self, ctx: Context) -> Iterator[Finding]:
        g = ctx.graph
        for step in ctx.process.steps:
            ref = g.roles.get(step.owner)
            if (
                ref is None
                or step.kind != StepKind.task
                or step.value not in (None, Value.none)
                or _DOES_SOMETHING.intersection(step.purpose)
                or not (_RELAY.intersection(step.purpose) or _RELAY_NAME.match(step.name))
                or not above_front_line(g, ref.key)
            ):
                continue
            before = self._neighbours(ctx, step.id, upstream=True)
            after = self._neighbours(ctx, step.id, upstream=False)
            if not before or not after:
                continue
            ends = [g.role_of(s) for s in before + after]
            if any(
                e is None or e.function.id != ref.function.id or e.level >= ref.level for e in ends
            ):
                continue
            fix = None
            if (
                len(before) == 1
                and len(after) == 1
                and g.flow.in_degree(step.id) == 1
                and g.flow.out_degree(step.id) == 1
            ):
                fix = Fix(
                    f"remove the relay {step.id}: {before[0]} -> {after[0]} directly",
                    (Edit("remove-step", step=step.id),),
                )
            senders = ", ".join(sorted({g.owner_label(g.steps[s].owner) for s in before}))
            receivers = ", ".join(sorted({g.owner_label(g.steps[s].owner) for s in after}))
            yield self.finding(
                ctx,
                f"{ref.label} (L{ref.level}) only passes work on: "
                f"{', '.join(g.named(before))} -> '{step.label}' -> {', '.join(g.named(after))}",
                [step.id, *before, *after],
                evidence={
                    "relay": step.id,
                    "role": ref.key,
                    "level": ref.level,
                    "from": [
                        {"step": s, "role": g.steps[s].owner, "level": g.level(s)} for s in before
                    ],
                    "to": [
                        {"step": s, "role": g.steps[s].owner, "level": g.level(s)} for s in after
                    ],
                },
                suggestion=(
                    f"Let {senders} hand the work straight to {receivers} (a shared "
                    f"queue or an allocation rule) and take '{step.label}' out of the path."
                ),
                fix=fix,
                substance=step.id,
            )

    @staticmethod
    def _neighbours(ctx: Context, step_id: str, upstream: bool) -> list[str]:
        g = ctx.graph
        edges = (
            g.flow.in_edges(step_id, keys=True)
            if upstream
            else g.flow.out_edges(step_id, keys=True)
        )
        found = []
        for u, v, key in edges:
            if g.flows[key].kind in SIDE_FLOWS:
                continue
            other = u if upstream else v
            if other != step_id and other not in found:
                found.append(other)
        return found

"""Two functions exchange work, but only ever between their managers: the people who do the work
on either side never deal with each other.

## What it finds
A pair of functions whose every work handoff (feedback and information flows aside) leaves a role
above its function's front line and arrives at a role above the other function's front line.
The front line of a function is the lowest level among its roles that own steps, so a function
of managers only (a flat hierarchy) or with a missing level is judged on its own terms. The
evidence lists each handoff with the roles and levels at both ends.

## How to fix
Give the two front lines a direct channel (Fayol's gangplank): the roles that do the work on each
side hand it to each other and keep their managers informed. Where a chimney (SMK001) feeds the
managers, its fix removes the relays.
"""

from __future__ import annotations

from collections.abc import Iterator

from flowmap.graph import Handoff
from flowmap.rules.base import Context, Family, Finding, Options, Rule
from flowmap.rules.smokestack.common import above_front_line, cross_function_handoffs


class ManagerOnlyContact(Rule):
    code = "SMK002"
    name = "contact-only-through-managers"
    family = Family.smokestack
    needs = ("functions", "levels")
    summary = "Two functions exchange work only between their managers, never at the front line"
    why = (
        "When only managers talk across, every question from the customer's case queues twice "
        "for a manager's attention and is retold on the way; the people who could settle it "
        "in one call never meet."
    )
    Options = Options
    references = ("Henri Fayol, General and Industrial Management (1916): the gangplank.",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        g = ctx.graph
        pairs: dict[tuple[str, str], list[Handoff]] = {}
        for handoff in cross_function_handoffs(g):
            a = g.roles[handoff.source_role].function.id
            b = g.roles[handoff.target_role].function.id
            pairs.setdefault((min(a, b), max(a, b)), []).append(handoff)
        for (a, b), handoffs in sorted(pairs.items()):
            if not all(
                above_front_line(g, h.source_role) and above_front_line(g, h.target_role)
                for h in handoffs
            ):
                continue
            fa, fb = g.functions[a], g.functions[b]
            exchanges = [
                {
                    "flow": h.flow.id,
                    "from": h.source_role,
                    "from_level": h.source_level,
                    "to": h.target_role,
                    "to_level": h.target_level,
                }
                for h in handoffs
            ]
            managers = sorted({h.source_role for h in handoffs} | {h.target_role for h in handoffs})
            yield self.finding(
                ctx,
                f"{fa.label} and {fb.label} exchange work {len(handoffs)} time"
                f"{'s' if len(handoffs) != 1 else ''}, always between managers "
                f"({', '.join(g.owner_label(m) for m in managers)}); their front lines never meet",
                [h.flow.id for h in handoffs],
                evidence={
                    "functions": [a, b],
                    "handoffs": exchanges,
                    "front_line_levels": {a: g.working_level(a), b: g.working_level(b)},
                },
                suggestion=(
                    f"Open a direct channel between the people who do the work in "
                    f"{fa.label} (level {g.working_level(a)}) and {fb.label} (level "
                    f"{g.working_level(b)}); keep {', '.join(g.owner_label(m) for m in managers)} informed "
                    "instead "
                    "of in the path."
                ),
                substance=f"{a}|{b}",
            )

"""A function whose work with the rest of the organisation all leaves or arrives through its
upper levels: its front line is sealed off behind its managers.

## What it finds
A function that exchanges work with other functions (feedback and information flows aside, the
customer aside), where every one of those handoffs has this function's end above its front line.
The front line is the lowest level among the function's roles that own steps, so a function
made only of managers is not reported. The evidence lists the handoffs with the roles and levels.

## How to fix
Let the people who do the function's work receive work from, and pass it to, their peers in
other functions directly; the managers set the rules and see the figures, but stay out of the
path of each case.
"""

from __future__ import annotations

from collections.abc import Iterator

from flowmap.graph import Handoff
from flowmap.rules.base import Context, Family, Finding, Options, Rule
from flowmap.rules.smokestack.common import above_front_line, cross_function_handoffs


class VerticalOnlyFunction(Rule):
    code = "SMK006"
    name = "vertical-only-function"
    family = Family.smokestack
    needs = ("functions", "levels")
    summary = "A function's work with other functions all passes through its managers"
    why = (
        "A function that can only be reached through its managers makes every case climb "
        "and descend its chain of command: the customer waits for a queue at the top, and "
        "its front line never learns what the other functions and the customer need."
    )
    Options = Options

    def check(self, ctx: Context) -> Iterator[Finding]:
        g = ctx.graph
        ends: dict[str, list[tuple[str, Handoff]]] = {}
        for handoff in cross_function_handoffs(g):
            for role in (handoff.source_role, handoff.target_role):
                ends.setdefault(g.roles[role].function.id, []).append((role, handoff))
        for fid, touching in sorted(ends.items()):
            if not all(above_front_line(g, role) for role, _ in touching):
                continue
            function = g.functions[fid]
            working = g.working_level(fid)
            handoffs = [h for _, h in touching]
            roles = sorted({role for role, _ in touching})
            partners = sorted(
                {g.roles[r].function.id for h in handoffs for r in (h.source_role, h.target_role)}
                - {fid}
            )
            front = sorted(
                k for k, ref in g.roles.items() if ref.function.id == fid and ref.level == working
            )
            yield self.finding(
                ctx,
                f"{function.label} deals with {', '.join(g.functions[p].label for p in partners)} "
                f"only through {', '.join(g.owner_label(r) for r in roles)}; its front line (level {working}) never does",
                [h.flow.id for h in handoffs],
                evidence={
                    "function": fid,
                    "front_line_level": working,
                    "front_line_roles": front,
                    "through_roles": roles,
                    "partners": partners,
                    "handoffs": [
                        {
                            "flow": h.flow.id,
                            "from": h.source_role,
                            "from_level": h.source_level,
                            "to": h.target_role,
                            "to_level": h.target_level,
                        }
                        for h in handoffs
                    ],
                },
                suggestion=(
                    f"Let {', '.join(g.owner_label(r) for r in front) or 'the front line'} of "
                    f"{function.label} take work from and give work to "
                    f"{', '.join(g.functions[p].label for p in partners)} directly; keep "
                    f"{', '.join(g.owner_label(r) for r in roles)} informed instead of in "
                    "the path."
                ),
                substance=fid,
            )

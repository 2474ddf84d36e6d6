"""Customer service is first involved at the end of the process, where it can only handle what
went wrong before.

## What it finds
The first customer-service step (function of kind `service`; steps that only ask for feedback
are left aside), placed on the main path: a step on the main path at its own position, a step
on a branch at the position where its branch leaves the main path (0 is the start, 1 the end).
It is reported when that position is at or beyond `threshold`. The evidence gives the step, its
position, the branch point and the length of the main path.

## How to fix
Involve service early, where it can prevent rather than explain: a service role who takes the
order or is named as the customer's contact at the start, tells the customer about risks
before they bite, and owns the case to the end.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from flowmap.model import Purpose
from flowmap.rules.base import Context, Family, Finding, Options, Rule


class LateServiceOptions(Options):
    threshold: float = Field(
        0.5,
        gt=0,
        le=1,
        description=(
            "position on the main path (0 start, 1 end) at or after which the first service "
            "contact is late"
        ),
    )
    min_path_steps: int = Field(
        5, ge=2, description=("steps the main path needs before a position is meaningful")
    )


class LateFirstServiceContact(Rule):
    code = "SRV004"
    name = "late-first-service-contact"
    family = Family.service
    needs = ("customer", "service")
    summary = "Customer service is first involved late in the process"
    why = (
        "Service that first appears at the end meets the customer only after things went "
        "wrong: it becomes the department of apologies, and never gets to prevent what it "
        "has to explain."
    )
    Options = LateServiceOptions

    def check(self, ctx: Context) -> Iterator[Finding]:
        g = ctx.graph
        path = g.main_path
        if len(path) < ctx.options.min_path_steps:
            return
        service = [
            s.id
            for s in ctx.process.steps
            if g.is_service(s.id) and Purpose.feedback not in s.purpose and s.id in g.flow
        ]
        if not service:
            return
        on_path = {sid: i for i, sid in enumerate(path)}
        parent = {
            child: node for node, children in g.dominator_children.items() for child in children
        }
        placed = []
        # Where each step off the main path joins it (None: never), climbing the dominator tree
        # once per step: service steps deep in one branch share the climb.
        joins: dict[str, str | None] = {}
        for sid in service:
            here: str | None = sid
            climbed = []
            while here is not None and here not in on_path and here not in joins:
                climbed.append(here)
                here = parent.get(here)
            if here is not None and here in joins:
                here = joins[here]
            joins.update(dict.fromkeys(climbed, here))
            if here is not None:
                placed.append((on_path[here] / (len(path) - 1), sid, here))
        if not placed:
            return
        position, first, branch_point = min(placed)
        if position < ctx.options.threshold:
            return
        where = (
            "on the main path"
            if first == branch_point
            else f"on a branch that leaves the main path at {branch_point}"
        )
        yield self.finding(
            ctx,
            f"Customer service is first involved at {position:.0%} of the main path "
            f"({g.steps[first].label}, {where})",
            [first, branch_point] if first != branch_point else [first],
            evidence={
                "first_service_step": first,
                "position": round(position, 3),
                "branch_point": branch_point,
                "threshold": ctx.options.threshold,
                "main_path_steps": len(path),
            },
            suggestion=(
                f"Bring {g.owner_label(g.steps[first].owner)} in before '{g.steps[path[1]].label}' or name a service "
                "contact at the start, so service can prevent instead of explain."
            ),
            substance=first,
        )

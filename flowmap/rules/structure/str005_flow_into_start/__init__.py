"""A flow leads back into a start step.

## What it finds
Flows whose target has `kind: start`. A start is where a case begins; work that flows back into
it is either a new case (model it as its own start) or a loop that should return to the first
real step. Flows into a start also hide loops from the path and cycle-time metrics.

Not reported: a flow from a step the start never leads to, or into a start of a function from
a step of another participant (the customer, another function): it triggers the start, as a
message from another participant starts a BPMN process at its message start event, even when
messages run both ways between them; and flows its loader made (``generated``, e.g. into the
start of a flattened BPMN sub-process). A flow that sends the case back into the customer's own
start is reported: the customer has to begin again.

## How to fix
Point the flow at the step after the start (with `flowmap analyze --fix`, when the start has one
next step), or end the case and let the customer start a new one.
"""

from __future__ import annotations

from collections.abc import Iterator

from flowmap.model import StepKind
from flowmap.rules.base import Context, Edit, Family, Finding, Fix, Options, Rule


class FlowIntoStartOptions(Options):
    pass


class FlowIntoStart(Rule):
    code = "STR005"
    name = "flow-into-start"
    family = Family.structure
    summary = "A flow leads back into a start step"
    why = (
        "A case sent back to the start looks like a new customer to every measure; the "
        "repeat work and the customer's second attempt disappear from view."
    )
    Options = FlowIntoStartOptions
    fixable = "sometimes"

    def check(self, ctx: Context) -> Iterator[Finding]:
        g = ctx.graph
        after_start: dict[str, frozenset[str]] = {}
        for flow in ctx.process.flows:
            target = g.steps.get(flow.target)
            if (
                target is None
                or target.kind != StepKind.start
                or flow.source not in g.steps
                or flow.generated
            ):
                continue
            if target.id not in after_start:
                after_start[target.id] = g.reached_by(list(g.flow.successors(target.id)))
            if flow.source not in after_start[target.id]:
                continue  # a trigger from outside the case, not a way back
            if not target.is_customer and _party(g.steps[flow.source].owner) != _party(
                target.owner
            ):
                continue  # another participant's message starts its own case: a trigger
            after = sorted(set(g.flow.successors(target.id)) - {target.id})
            fix = None
            if len(after) == 1 and flow.source != after[0]:
                fix = Fix(
                    f"send {flow.id} to {after[0]} instead of the start",
                    (
                        Edit("remove-flow", flow=flow.id),
                        Edit(
                            "add-flow",
                            source=flow.source,
                            target=after[0],
                            kind=flow.kind.value,
                            label=flow.label,
                        ),
                    ),
                )
            yield self.finding(
                ctx,
                f"Flow {flow.id} leads back into the start '{target.label}'",
                [flow.id, flow.source, target.id],
                evidence={"flow": flow.id, "start": target.id, "kind": flow.kind.value},
                suggestion=(
                    f"Point {flow.id} at the first real step"
                    + (f" ('{g.steps[after[0]].label}')" if len(after) == 1 else "")
                    + ", or end the case and model the new attempt as its own start."
                ),
                fix=fix,
                substance=f"{flow.source}>{flow.target}",
            )


def _party(owner: str) -> str:
    """Who a step belongs to, as BPMN pools draw participants: the customer, or a function."""
    return owner.split(".", 1)[0]

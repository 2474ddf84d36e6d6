"""The organisation knows something went wrong, and lets the customer find out by themselves.

## What it finds
A failure seen by the organisation (an `exception` flow, or a decision branch whose label names
a failure, leaving a step owned by a role) whose next step is the customer's: they wait for
what does not come, chase, or complain, instead of being told. The evidence names the step that
saw the failure, its role, and the customer step that follows.

## How to fix
Tell the customer first: the role that sees the failure contacts the customer at once with what
happened and what comes next (a new date, the missing items on their way), so the customer's
chase becomes unnecessary. `flowmap analyze --fix` inserts that contact step.
"""

from __future__ import annotations

from collections.abc import Iterator

from flowmap.rules.base import Context, Edit, Family, Finding, Fix, Options, Rule
from flowmap.rules.service.common import is_failure_flow


class CustomerFindsOutFirst(Rule):
    code = "SRV006"
    name = "customer-finds-out-first"
    family = Family.service
    needs = ("customer", "organisation")
    summary = "The organisation sees a failure but the customer has to discover it and chase"
    why = ("A customer who discovers a failure the organisation already knew about loses time "
           "and trust twice: once for the failure, once for the silence; and the call they make "
           "costs more than the call they should have received.")
    Options = Options
    fixable = "always"

    def check(self, ctx: Context) -> Iterator[Finding]:
        g = ctx.graph
        for flow in ctx.process.flows:
            if flow.id not in g.handoffs or flow.source == flow.target:
                continue
            seen_by = g.role_of(flow.source)
            if seen_by is None or not g.is_customer(flow.target):
                continue
            signal = is_failure_flow(g, flow)
            if not signal:
                continue
            source, target = g.steps[flow.source], g.steps[flow.target]
            what = flow.label or "the failure"
            new_id, n = f"tell-customer-{flow.source}", 2
            while new_id in g.steps:
                new_id, n = f"tell-customer-{flow.source}-{n}", n + 1
            yield self.finding(
                ctx,
                f"{seen_by.role.label} sees {what!r} at {source.label!r}, but the customer "
                f"finds out by themselves ({target.label})",
                [flow.id, flow.source, flow.target],
                evidence={"signal": signal, "flow": flow.id, "seen_at": flow.source,
                          "seen_by": seen_by.key, "customer_step": flow.target,
                          "customer_purpose": [p.value for p in target.purpose]},
                suggestion=(f"Let {seen_by.role.label} ({seen_by.key}) tell the customer at once "
                            f"when {what!r} happens, with what comes next, so that "
                            f"{flow.target} is no longer needed."),
                fix=Fix(f"tell the customer first: {new_id} between {flow.source} and "
                        f"{flow.target}",
                        (Edit("add-step", after=flow.source, before=flow.target,
                              kind=flow.kind.value, label=flow.label, fields={
                                  "id": new_id, "name": f"Tell customer: {what}"[:80],
                                  "owner": source.owner, "value": "customer",
                                  "purpose": ["notification"], "touchpoint": True}),)),
                substance=f"{flow.source}>{flow.target}",
            )

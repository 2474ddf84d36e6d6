"""Customer service is the only function that ever meets the customer.

## What it finds
A process whose company touchpoints (steps where the customer meets the organisation, declared
with `touchpoint:` or derived from flows to and from customer steps) all belong to functions of
kind `service`, while other functions do work in it. The evidence lists the service touchpoints
and the functions that never meet the customer.

## How to fix
Let the people who do the work meet the customer where it helps the customer: the billing clerk
who corrects the invoice calls the buyer, the dispatcher calls before a delivery is missed, the
account manager asks for feedback. Service stays the front door, not the only door.
"""

from __future__ import annotations

from collections.abc import Iterator

from flowmap.model import Value
from flowmap.rules.base import Context, Family, Finding, Options, Rule


class ServiceOnlyCustomerFacing(Rule):
    code = "SRV003"
    name = "service-only-customer-facing"
    family = Family.service
    needs = ("customer", "service")
    summary = "No function but customer service ever meets the customer"
    why = (
        "When only service meets the customer, the functions that make the product, the "
        "delivery and the bill never hear the customer; service relays what they cannot "
        "change, and the customer talks to people who cannot fix anything."
    )
    Options = Options

    def check(self, ctx: Context) -> Iterator[Finding]:
        g = ctx.graph
        touch = sorted(g.company_touchpoints(), key=lambda s: g.forward_order.get(s, 0))
        functions = {s: fn for s in touch if (fn := g.function_of(s)) is not None}
        owned = list(functions)
        if not owned or not all(g.is_service(s) for s in owned):
            return
        working = {
            ref.function.id for s in ctx.process.steps if (ref := g.roles.get(s.owner)) is not None
        }
        others = sorted(f for f in working if g.functions[f].kind.value != "service")
        if not others:
            return
        doers = [
            s.id
            for s in ctx.process.steps
            if s.value == Value.customer
            and (fn := g.function_of(s.id)) is not None
            and fn.id in others
        ][:3]
        service = sorted({functions[s].id for s in owned})
        yield self.finding(
            ctx,
            f"Only customer service ({', '.join(g.functions[f].label for f in service)}) meets the "
            "customer; "
            f"{', '.join(g.functions[f].label for f in others)} never do",
            owned,
            evidence={
                "service_touchpoints": owned,
                "service_functions": service,
                "functions_never_meeting_the_customer": others,
            },
            suggestion=(
                "Let the people who do the work meet the customer where it helps them"
                + (f", e.g. {', '.join(g.named(doers))} as touchpoints" if doers else "")
                + "; keep service as the front door, not the only door."
            ),
            substance="|".join(others),
        )

"""A back-office function (IT, finance, HR, billing, legal...) does work in the process but
never meets the customer.

## What it finds
Functions of the kinds in the option `kinds` (default: it, finance, billing, hr, legal, risk,
compliance, procurement, manufacturing) that own at least one step of the process and none of
its touchpoints. Functions with no step in the process are not reported. The severity is *info*:
one process shows only part of a function's contact with customers.

## How to fix
Give the function a touchpoint where it matters to the customer: the billing clerk calls the
customer about a query, the IT technician agrees the delivery, the credit analyst explains a
decision. Back-office people who hear customers fix causes that front-line people only see.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from flowmap.model import FunctionKind
from flowmap.rules.base import Context, Family, Finding, Options, Rule

BACK_OFFICE = (
    FunctionKind.it,
    FunctionKind.finance,
    FunctionKind.billing,
    FunctionKind.hr,
    FunctionKind.legal,
    FunctionKind.risk,
    FunctionKind.compliance,
    FunctionKind.procurement,
    FunctionKind.manufacturing,
)


class BackOfficeOptions(Options):
    kinds: tuple[FunctionKind, ...] = Field(
        BACK_OFFICE, description=("function kinds that count as back office")
    )


class BackOfficeWithoutCustomerContact(Rule):
    code = "CX003"
    name = "back-office-without-customer-contact"
    family = Family.customer
    needs = ("customer", "organisation")
    summary = "A back-office function works in the process but never meets the customer"
    why = (
        "A function that never hears a customer optimises for its own convenience; the "
        "customer meets its mistakes through someone else, who can only apologise."
    )
    Options = BackOfficeOptions
    references = (
        (
            "Essay 004 in the background: every department, IT, Finance and HR included, "
            "in regular contact with customers."
        ),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        g = ctx.graph
        kinds = set(ctx.options.kinds)
        meeting = {ref.function.id for s in g.touchpoints if (ref := g.role_of(s)) is not None}
        for function in ctx.process.organisation.functions:
            if function.kind not in kinds or function.id in meeting:
                continue
            # a pool drawn as a black box is someone the process talks to, not work it does
            steps = [s for s in g.steps_of(function.id) if s not in g.black_boxes]
            if not steps:
                continue
            kind = (
                "" if function.label.lower() == function.kind.value else f" ({function.kind.value})"
            )
            yield self.finding(
                ctx,
                f"{function.label}{kind} does {len(steps)} step"
                f"{'s' if len(steps) != 1 else ''} but never meets the customer",
                steps,
                evidence={
                    "function": function.id,
                    "kind": function.kind.value,
                    "steps": steps,
                    "touchpoints": 0,
                },
                suggestion=(
                    f"Give {function.label} a touchpoint where it matters: let its "
                    f"people talk to the customer about the work they do "
                    f"('{g.steps[steps[0]].label}')."
                ),
                substance=function.id,
            )

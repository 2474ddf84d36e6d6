"""A failure made in another function ends at customer service, and nothing takes it back to the
function that made it.

## What it finds
A failure (an `exception` flow, a decision branch whose label names a failure such as *missing*,
*late*, *wrong* or *no-show*, or a customer's complaint) whose cause is a step of a function
other than customer service (billing, logistics, field, IT...), and whose handling reaches a
customer-service step that meets the customer, while no step of that handling sends a
`feedback` flow to, or is a `root-cause-fix` of, a function upstream of the failure. The cause
is the step the failure leaves from, or, when the customer found it, the nearest non-service
company work before (preferring one whose name shares a word with the failure). The handling is
the work that exists only because of the failure: it ends where the branch rejoins the normal
way. The evidence names the signal, the cause and its function, and the service steps.

## How to fix
Keep service recovering the customer, and send the cause back: a `feedback` flow from the
service step to a `root-cause-fix` step owned by the function that caused the failure (its
team lead, usually). `flowmap analyze --fix` adds that flow, and the fix step when the function
has none.
"""

from __future__ import annotations

from collections.abc import Iterator

from flowmap.rules.base import Context, Family, Finding, Options, Rule
from flowmap.rules.service.common import (
    failures,
    fix_at_source,
    handled_by_service,
    outermost,
    taken_back_to_cause,
)


class UpstreamFailureDumped(Rule):
    code = "SRV001"
    name = "upstream-failure-dumped-on-service"
    family = Family.service
    needs = ("customer", "service")
    summary = "A failure made upstream ends at customer service and never goes back to its cause"
    why = (
        "Service can only apologise for a failure it did not make; while the function that "
        "made it never hears, it goes on making it, and the next customer calls about the "
        "same thing."
    )
    Options = Options
    fixable = "always"
    references = ("Essay 001 in /work/shared/seeds: kicking the customer can down the road.",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        g = ctx.graph
        candidates = [f for f in failures(g) if f.cause and handled_by_service(g, f)]
        for failure in outermost(candidates):
            if taken_back_to_cause(g, failure.region, failure.entry):
                continue
            service = handled_by_service(g, failure)
            if failure.cause is None or (cause := g.role_of(failure.cause)) is None:
                continue  # candidates have a cause, and a failure's cause is a role's step
            last = service[-1]
            opened = failure.flow or failure.entry
            yield self.finding(
                ctx,
                f"{failure.signal.capitalize()} caused in {cause.function.label} "
                f"({g.mention(failure.cause)}) ends at customer service "
                f"({', '.join(g.named(service))}); nothing "
                f"takes it back to {cause.function.label}",
                [opened, failure.cause, *service],
                evidence={
                    "signal": failure.signal,
                    "flow": failure.flow,
                    "first_step": failure.entry,
                    "cause_step": failure.cause,
                    "cause_role": cause.key,
                    "cause_function": cause.function.id,
                    "service_steps": service,
                    "handling_steps": len(failure.region),
                    "feedback_to_cause": False,
                },
                suggestion=(
                    f"Add a feedback flow from {g.mention(last)} to a root-cause fix owned by "
                    f"{cause.function.label} (for example its team lead), so "
                    f"{g.mention(failure.cause)} stops making the failure service has to explain."
                ),
                fix=fix_at_source(g, failure.cause, last, "failure"),
                substance=f"{failure.entry}|{failure.cause}",
            )

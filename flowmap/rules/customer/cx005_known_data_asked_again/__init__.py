"""The customer is asked for data the process already holds: an earlier step has it in its
`data`.

## What it finds
A customer step whose `data` names an item (compared without case and surrounding spaces) that
a step before it (any step from which it can be reached) already holds. The customer gives the
same thing twice, because the data did not travel with the work.

## How to fix
Carry the data with the case: pre-fill what the customer already gave, look it up instead of
asking, and ask only for what is new. With `flowmap analyze --fix` the repeated items are removed
from the customer step's data.
"""

from __future__ import annotations

from collections.abc import Iterator

from flowmap.rules.base import Context, Edit, Family, Finding, Fix, Options, Rule
from flowmap.rules.customer.cx004_customer_data_silos import normal


class KnownDataOptions(Options):
    pass


class KnownDataAskedAgain(Rule):
    code = "CX005"
    name = "known-data-asked-again"
    family = Family.customer
    needs = ("customer", "data")
    summary = "The customer is asked for data the process already holds"
    why = (
        "Being asked again for what you already told a company is among the most resented "
        "forms of customer effort; it tells the customer that nobody listened."
    )
    Options = KnownDataOptions
    fixable = "always"
    references = (
        (
            "Dixon, Freeman and Toman, 'Stop Trying to Delight Your Customers', Harvard "
            "Business Review (2010): repeating information."
        ),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        g = ctx.graph
        holders: dict[str, list[str]] = {}
        for step in ctx.process.steps:
            for item in {normal(i) for i in step.data}:
                holders.setdefault(item, []).append(step.id)
        shared = {item: steps for item, steps in holders.items() if len(steps) > 1}
        if not shared:
            return
        # One search per shared item: which steps come after a step that holds it?
        after: dict[str, frozenset[str]] = {}
        for item, steps in shared.items():
            after[item] = g.reached_by(n for s in steps for n in g.flow.successors(s))
        for step in ctx.process.steps:
            if not step.is_customer or not step.data:
                continue
            repeated: dict[str, list[str]] = {}
            for item in step.data:
                key = normal(item)
                if key not in shared or step.id not in after[key]:
                    continue
                earlier = [
                    s for s in shared[key] if s != step.id and step.id in g.reached_by([s]) - {s}
                ]
                if earlier:
                    repeated[item] = earlier
            if not repeated:
                continue
            sources = sorted({s for v in repeated.values() for s in v})
            kept = [i for i in step.data if i not in repeated]
            yield self.finding(
                ctx,
                f"The customer is asked again in '{step.label}' for "
                f"{', '.join(repr(i) for i in repeated)}, already held by "
                f"{', '.join(repr(g.steps[s].label) for s in sources)}",
                [step.id, *sources],
                evidence={"data": list(repeated), "held_by": repeated},
                suggestion=(
                    f"Pre-fill {', '.join(repr(i) for i in repeated)} in "
                    f"'{step.label}' from what the customer already gave, and ask "
                    "only for what is new."
                ),
                fix=Fix(
                    f"stop asking for data already held in {step.id}",
                    (Edit("set-step", step=step.id, fields={"data": kept}),),
                ),
                substance=f"{step.id}|{'|'.join(sorted(normal(i) for i in repeated))}",
            )

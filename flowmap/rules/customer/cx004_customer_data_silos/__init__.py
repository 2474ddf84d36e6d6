"""The same customer data is kept by several functions in separate systems: silos.

## What it finds
A data item (an entry of a step's `data`, compared without case and surrounding spaces) that
steps of two or more functions hold, where at least two of those functions keep it in systems
that share nothing (each function's systems are the union of the `systems` of its steps that
hold the item). A function whose steps name no system is not counted: the model does not say
where it keeps the data.

## How to fix
Give the data one home that every function reads and writes (one customer record), or at least
synchronise the systems, so a change the customer makes once is seen by everyone.
"""

from __future__ import annotations

from collections.abc import Iterator

from flowmap.rules.base import Context, Family, Finding, Options, Rule


def normal(item: str) -> str:
    return " ".join(item.lower().split())


class DataSiloOptions(Options):
    pass


class CustomerDataSilos(Rule):
    code = "CX004"
    name = "customer-data-silos"
    family = Family.customer
    needs = ("data",)
    summary = "Several functions keep the same customer data in separate systems"
    why = (
        "When each function keeps its own copy, the customer's change reaches one of them; "
        "the others act on stale data, and the customer is asked again or corrected later."
    )
    Options = DataSiloOptions
    references = (
        ("Essay 002 in the background: 'customer data are siloed' at the awareness stage."),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        g = ctx.graph
        holders: dict[str, dict[str, tuple[set[str], list[str]]]] = {}
        labels: dict[str, str] = {}
        for step in ctx.process.steps:
            function = g.function_of(step.id)
            if function is None:
                continue
            for item in step.data:
                key = normal(item)
                labels.setdefault(key, item)
                systems, steps = holders.setdefault(key, {}).setdefault(function.id, (set(), []))
                systems.update(normal(s) for s in step.systems)
                steps.append(step.id)
        for key, by_function in sorted(holders.items()):
            known = {f: v for f, v in by_function.items() if v[0]}
            apart = sorted(
                {
                    f
                    for f in known
                    for other in known
                    if other != f and not known[f][0] & known[other][0]
                }
            )
            if len(apart) < 2:
                continue
            steps = [s for f in apart for s in known[f][1]]
            held = {f: sorted(known[f][0]) for f in apart}
            where = "; ".join(f"{f}: {', '.join(s)}" for f, s in held.items())
            yield self.finding(
                ctx,
                f"'{labels[key]}' is kept separately by {len(apart)} functions ({where})",
                steps,
                evidence={
                    "data": labels[key],
                    "functions": apart,
                    "systems": held,
                    "steps": steps,
                },
                suggestion=(
                    f"Give '{labels[key]}' one home that {', '.join(apart)} all read "
                    "and write, so the customer's data is told once and seen "
                    "everywhere."
                ),
                substance=key,
            )

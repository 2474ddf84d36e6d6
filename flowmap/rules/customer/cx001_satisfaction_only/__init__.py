"""The process is measured by customer satisfaction (or functional KPIs) only: no measure of
loyalty, emotion, effort or advocacy.

## What it finds
A process that declares measures, none of them of kind `loyalty`, `emotion`, `effort` or
`advocacy`. Satisfaction (CSAT) asks about one transaction; it says little about whether the
customer will stay, recommend, or found the process easy. A process without any measure is not
reported (there is nothing to judge; the maturity assessment notes it).

## How to fix
Add at least one relationship measure: customer effort (was it easy?) on the steps the customer
does, and retention, share of wallet, trust or net promoter score for the process as a whole.
With `flowmap analyze --fix` a customer effort measure of the whole journey is added.
"""

from __future__ import annotations

from collections.abc import Iterator

from flowmap.model import RELATIONSHIP_MEASURES, MeasureKind
from flowmap.rules.base import Context, Edit, Family, Finding, Fix, Options, Rule


class SatisfactionOnlyOptions(Options):
    pass


class SatisfactionOnly(Rule):
    code = "CX001"
    name = "satisfaction-only-measurement"
    family = Family.customer
    needs = ("measures",)
    summary = "No loyalty, emotion, effort or advocacy measure: satisfaction at most"
    why = (
        "Satisfied customers leave too; what keeps them is a relationship that is easy, "
        "trusted and worth recommending, and a process managed by CSAT and functional KPIs "
        "alone never sees it erode."
    )
    Options = SatisfactionOnlyOptions
    fixable = "always"
    references = (
        "Reichheld, 'The One Number You Need to Grow', Harvard Business Review (2003).",
        (
            "Dixon, Freeman and Toman, 'Stop Trying to Delight Your Customers', Harvard "
            "Business Review (2010)."
        ),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        measures = ctx.process.measures
        if not measures or any(m.kind in RELATIONSHIP_MEASURES for m in measures):
            return
        kinds = sorted({m.kind.value for m in measures})
        satisfaction = [m for m in measures if m.kind == MeasureKind.satisfaction]
        what = (
            "satisfaction and functional KPIs"
            if satisfaction
            else "functional KPIs only, not even satisfaction"
        )
        yield self.finding(
            ctx,
            f"The process is measured by {what} ({', '.join(kinds)}): no loyalty, emotion, "
            "effort or advocacy measure",
            [m.id for m in measures],
            evidence={
                "measures": {m.id: m.kind.value for m in measures},
                "relationship_measures": 0,
            },
            suggestion=(
                "Add a customer effort score on the steps the customer does, and a "
                "loyalty (retention), emotion (trust) or advocacy (NPS) measure for the "
                "process."
            ),
            fix=self._fix(ctx),
            substance="measures",
        )

    @staticmethod
    def _fix(ctx: Context) -> Fix:
        g = ctx.graph
        ids = {m.id for m in ctx.process.measures}
        new_id = "customer-effort"
        n = 2
        while new_id in ids:
            new_id, n = f"customer-effort-{n}", n + 1
        owner = next(
            (
                m.owner
                for m in ctx.process.measures
                if m.kind == MeasureKind.satisfaction and m.owner
            ),
            "",
        )
        if not owner:
            owner = next(
                (
                    ref.function.id
                    for s in sorted(g.touchpoints)
                    if (ref := g.role_of(s)) is not None
                ),
                "",
            )
        # Measured on the whole journey, not on named steps: other fixes applied before this one
        # may remove steps (the re-keying, the chasing) that the customer found hard.
        fields = {"id": new_id, "name": "Customer effort score (whole journey)", "kind": "effort"}
        if owner:
            fields["owner"] = owner
        return Fix(
            f"add the measure {new_id} (customer effort)", (Edit("add-measure", fields=fields),)
        )

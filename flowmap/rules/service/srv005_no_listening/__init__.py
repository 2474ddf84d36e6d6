"""The process never asks customers how it went: it only hears the few who complain.

## What it finds
A process in which the customer takes part and customer service works, but no step asks the
customer for feedback: no touchpoint or customer step with purpose `feedback` or named as one in
any supported language ("Send satisfaction survey", "Kundenumfrage", "enquête de satisfaction",
read by `flowmap.inference`), and no `feedback` flow from a customer step. Complaints do not
count: most unhappy customers leave without complaining. A process without customer service (an
internal approval, a purchase requisition) is not judged: its claim is about how a service
organisation hears its customers.

## How to fix
Add a step that asks the customer, after the outcome and before they would complain, how it
went (a call, a short survey, a review meeting), owned by someone who can act on the answer.
`flowmap analyze --fix` adds one at the end of the main path, owned by the last role that met
the customer.
"""

from __future__ import annotations

from collections.abc import Iterator

from flowmap.model import FlowKind, Purpose, Step, StepKind
from flowmap.rules.base import Context, Edit, Family, Finding, Fix, Options, Rule


class NoListening(Rule):
    code = "SRV005"
    name = "no-listening"
    family = Family.service
    needs = ("customer", "service")
    summary = "No step asks customers for feedback before they complain"
    why = (
        "Most dissatisfied customers never complain, they leave; a process that only hears "
        "complaints learns about few of its failures, and too late."
    )
    Options = Options
    fixable = "sometimes"
    references = ("TARP studies for the US Office of Consumer Affairs (1979, 1986).",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        g = ctx.graph
        customer_steps = [s.id for s in ctx.process.steps if s.is_customer]
        if not customer_steps:
            return
        touch = g.touchpoints
        if any(
            (Purpose.feedback in s.purpose or self._named_feedback(s))
            and (s.is_customer or s.id in touch)
            for s in ctx.process.steps
        ):
            return
        if any(
            f.kind == FlowKind.feedback and f.source in g.steps and g.is_customer(f.source)
            for f in ctx.process.flows
        ):
            return
        complaints = [s.id for s in ctx.process.steps if Purpose.complaint in s.purpose]
        path = g.main_path
        anchor = path[-1] if path else customer_steps[0]
        yield self.finding(
            ctx,
            "No step asks the customer for feedback"
            + (
                f"; the process hears customers only when they complain "
                f"({', '.join(g.named(complaints))})"
                if complaints
                else ""
            ),
            [anchor],
            evidence={
                "feedback_steps": 0,
                "customer_steps": len(customer_steps),
                "touchpoints": len(touch),
                "complaint_steps": complaints,
            },
            suggestion=(
                "Add a step near the end that asks the customer how it went"
                + (
                    f", owned by {ctx.graph.owner_label(owner)}"
                    if (owner := self._owner(ctx))
                    else ""
                )
                + ", before they would complain, and act on the answer."
            ),
            fix=self._fix(ctx),
            substance="process",
        )

    @staticmethod
    def _named_feedback(step: Step) -> bool:
        from flowmap import inference

        return bool(step.name) and inference.has_purpose(step.name, Purpose.feedback) is not None

    @staticmethod
    def _owner(ctx: Context) -> str | None:
        """The last role on the main path that met the customer (or did work)."""
        g = ctx.graph
        path = g.main_path
        for sid in reversed(path):
            if sid in g.touchpoints and g.role_of(sid) is not None:
                return g.steps[sid].owner
        return next((g.steps[s].owner for s in reversed(path) if g.role_of(s) is not None), None)

    def _fix(self, ctx: Context) -> Fix | None:
        g = ctx.graph
        path = g.main_path
        owner = self._owner(ctx)
        if len(path) < 2 or owner is None or g.steps[path[-1]].kind != StepKind.end:
            return None
        before, last = path[-2], path[-1]
        # keep the branch's label and kind (a decision's outcome) on the flow into the new step
        into = next((g.flows[key] for key in g.flow[before][last]), None)
        new_id, n = "ask-for-feedback", 2
        while new_id in g.steps:
            new_id, n = f"ask-for-feedback-{n}", n + 1
        return Fix(
            f"ask the customer for feedback ({new_id}, {owner}) before {last}",
            (
                Edit(
                    "add-step",
                    after=before,
                    before=last,
                    kind=into.kind.value if into else "normal",
                    label=into.label if into else "",
                    fields={
                        "id": new_id,
                        "name": "Ask customer how it went",
                        "owner": owner,
                        "value": "business",
                        "purpose": ["feedback"],
                        "touchpoint": True,
                    },
                ),
            ),
        )

"""A customer step that exists only because of how the organisation works: the customer
re-sends what the company already has, chases, waits at home, or repeats the story after a
transfer.

## What it finds
Steps owned by the customer (tasks and waits, not the customer's decisions) that are waste for
the customer: declared `value: none`, or tagged `re-entry`, `rework`, `chasing`, `waiting`,
`transport`, `batching` or `deflection`, or, when the value is not declared, named with a word
of the VAL002 lexicon ("Re-send", "Repeat story", "Call again to chase"). A customer step
declared `value: customer` is never reported, and neither is the customer *receiving* something
(goods, an offer, a payment, a letter: "Receive offer", "Ware erhalten", a wait named "Pizza
delivered"), which is the outcome the customer came for, not a cost, unless it is tagged as
re-entry, rework, chasing or deflection. The finding names the company steps just before
it (what made the customer do it) and the customer's time.

A chase drawn as BPMN draws it is found without a word for it: the customer waits (a timer,
"60 minutes"), contacts the company ("Ask for the pizza", "Enquiry pizza order") and waits
again, a loop of the customer's own steps (see `flowmap.contacts`). The contact is reported as
chasing, with the wait that led to it; the wait is not reported again on its own.

## How to fix
Remove the cause inside the organisation: use the data the customer already gave, keep the
customer informed before they need to chase, give the person who takes over the case its
history, book slots the customer can plan around. With `flowmap analyze --fix` a pass-through
re-entry step (the customer repeating what the company knows) is removed.
"""

from __future__ import annotations

from collections.abc import Iterator

from flowmap import contacts
from flowmap.inference import value as lexicon
from flowmap.model import Purpose, Step, StepKind, Value
from flowmap.rules.base import Context, Family, Finding, Options, Rule
from flowmap.rules.value.common import duration, remove_fix

# Tags that make a customer step work the organisation pushed onto them, whatever its name says.
CUSTOMER_WORK = frozenset({Purpose.re_entry, Purpose.rework, Purpose.chasing, Purpose.deflection})

ADVICE = {
    "re-keying": "use the data the customer already gave (share it between steps and systems)",
    "rework": "get it right the first time, so the customer is not asked again",
    "chasing": "tell the customer proactively about progress and delays",
    "waiting": "give the customer a time they can plan around, and keep it",
    "transport": "move documents electronically instead of making the customer carry them",
    "batching": "process the customer's case as it arrives",
    "deflection": "answer the customer's question where they ask it",
}


class CostShiftedOptions(Options):
    pass


class CostShiftedToCustomer(Rule):
    code = "VAL003"
    name = "cost-shifted-to-customer"
    family = Family.value
    needs = ("customer",)
    summary = "The customer does work that exists only because of the internal design"
    why = (
        "Cost-minimising design often moves work to the customer instead of removing it: "
        "forms filled twice, calls to chase, stories told again. The company saves nothing "
        "and the customer pays with time and patience."
    )
    Options = CostShiftedOptions
    fixable = "sometimes"
    references = (
        (
            "Dixon, Freeman and Toman, 'Stop Trying to Delight Your Customers', Harvard "
            "Business Review (2010): customer effort."
        ),
    )

    @staticmethod
    def _receives(step: Step) -> bool:
        """The customer receives the outcome (or waits for it to be delivered)."""
        if CUSTOMER_WORK.intersection(step.purpose):
            return False
        from flowmap import inference

        return bool(
            inference.receives(step.label)
            or (step.kind == StepKind.wait and inference.delivers(step.label))
        )

    def check(self, ctx: Context) -> Iterator[Finding]:
        g = ctx.graph
        chasing = contacts.chases(g)
        waits_of_chases = {wait for wait in chasing.values() if wait}
        timed = any(s.work or s.wait for s in ctx.process.steps)
        for step in ctx.process.steps:
            if (
                not step.is_customer
                or step.kind not in (StepKind.task, StepKind.wait)
                or step.value == Value.customer
                or step.id in waits_of_chases
            ):
                continue
            if self._receives(step):
                continue
            wait = chasing.get(step.id)
            inferred = lexicon.infer(step)
            if wait and (inferred is None or inferred.source == "name"):
                inferred = lexicon.Waste(
                    Value.none, f"after waiting '{g.steps[wait].label}'", "chasing", "flow"
                )
            if inferred is None and step.value != Value.none:
                continue
            if (
                inferred is not None
                and inferred.source == "kind"
                and not step.wait
                and step.value != Value.none
            ):
                continue  # an event the customer waits at, for no stated time: no cost shown
            if (
                inferred is not None
                and inferred.source in ("name", "flow")
                and step.value is not None
            ):
                continue  # a declared business step: its name or shape alone is not enough
            waste = inferred.waste if inferred else "no value"
            decided = inferred.word if inferred else "value: none"
            causes = sorted(
                p for p in g.flow.predecessors(step.id) if p != step.id and not g.is_customer(p)
            )
            if wait:
                causes = [wait, *causes]
            time = step.work + step.wait
            spent = f": {duration(time)} of the customer's time" if time or timed else ""
            after = f" after waiting '{g.steps[wait].label}'" if wait else ""
            fix = None
            if Purpose.re_entry in step.purpose and not self._in_loop(ctx, step.id):
                fix = remove_fix(g, step.id, f"remove the customer's re-entry step {step.id}")
            yield self.finding(
                ctx,
                f"The customer must '{step.label}'{after} ({waste}){spent}",
                [step.id, *causes],
                evidence={
                    "waste": waste,
                    "decided_by": decided,
                    "customer_work_minutes": step.work,
                    "customer_wait_minutes": step.wait,
                    "caused_by": causes,
                },
                suggestion=(
                    f"Remove the reason for '{step.label}': "
                    f"{ADVICE.get(waste, 'do the work inside the organisation')}."
                ),
                fix=fix,
                substance=step.id,
            )

    @staticmethod
    def _in_loop(ctx: Context, step_id: str) -> bool:
        return step_id in ctx.graph.loops

"""The organisation knows something went wrong, and lets the customer find out by themselves.

## What it finds
A failure seen by the organisation (an `exception` flow, or a decision branch whose label names
a failure, leaving a step owned by a role) whose next step is the customer's: they wait for
what does not come, chase, or complain, instead of being told. The evidence names the step that
saw the failure, its role, and the customer step that follows.

The failure is followed across the work it opens (the steps that exist only because of it, see
SRV001), to where it lands:

* on the customer's chase or complaint, several steps later, with no step on the way telling
  the customer (`notification`, or any flow to the customer before the chase);
* nowhere: the case is held (a wait such as *inventory updated* after *insufficient
  inventory*) and no step of that work reaches the customer at all, while the case still ends
  with the customer. Nobody tells them about the delay.

A company check whose own name says it failed (purpose `inspection`: "Meter read fails
validation", "Prüfung fehlgeschlagen") is a failure the organisation saw too: followed through the company's work to the
first customer step, it is reported when the customer then chases or complains (the high bill
that makes them call) and no step on the way told them.

The message names the function that saw the failure.

## How to fix
Tell the customer first: the role that sees the failure contacts the customer at once with what
happened and what comes next (a new date, the missing items on their way), so the customer's
chase becomes unnecessary. `flowmap analyze --fix` inserts that contact step after a failure
seen on a flow; for a step named for a failure it leaves the wording of the contact to you.
"""

from __future__ import annotations

from collections.abc import Iterator

from flowmap import contacts, inference
from flowmap.graph import ProcessGraph, RoleRef
from flowmap.model import Flow, Purpose, StepKind
from flowmap.rules.base import Context, Edit, Family, Finding, Fix, Options, Rule
from flowmap.rules.service.common import Failure, failures, is_failure_flow, outermost


class CustomerFindsOutFirst(Rule):
    code = "SRV006"
    name = "customer-finds-out-first"
    family = Family.service
    needs = ("customer", "organisation")
    summary = "The organisation sees a failure but the customer has to discover it and chase"
    why = (
        "A customer who discovers a failure the organisation already knew about loses time "
        "and trust twice: once for the failure, once for the silence; and the call they make "
        "costs more than the call they should have received."
    )
    Options = Options
    fixable = "sometimes"  # a step named for a failure gets the suggestion, not a fix

    def check(self, ctx: Context) -> Iterator[Finding]:
        yield from self._direct(ctx)
        seen = set()
        for finding in self._followed(ctx):
            seen.add(finding.evidence["seen_at"])
            yield finding
        yield from self._named(ctx, seen)

    def _direct(self, ctx: Context) -> Iterator[Finding]:
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
                f"{seen_by.with_function} sees {what!r} at "
                f"{source.label!r}, but the customer finds out by themselves ({target.label})",
                [flow.id, flow.source, flow.target],
                evidence={
                    "signal": signal,
                    "flow": flow.id,
                    "seen_at": flow.source,
                    "seen_by": seen_by.key,
                    "customer_step": flow.target,
                    "customer_purpose": [p.value for p in target.purpose],
                },
                suggestion=(
                    f"Let {seen_by.label} tell the customer at once "
                    f"when {what!r} happens, with what comes next, so that "
                    f"{flow.target} is no longer needed."
                ),
                fix=_tell_customer_first(flow, source.owner, new_id, what),
                substance=f"{flow.source}>{flow.target}",
            )

    def _followed(self, ctx: Context) -> Iterator[Finding]:
        """Failures whose first step is the company's, followed to where they land."""
        g = ctx.graph
        chasing = set(contacts.contacts(g))
        for failure in outermost(failures(g)):
            seen_by = g.role_of(failure.detected_by) if failure.detected_by else None
            if seen_by is None or g.is_customer(failure.entry) or not failure.flow:
                continue
            region = failure.region
            if any(
                Purpose.notification in g.steps[s].purpose for s in region if not g.is_customer(s)
            ):
                continue
            reached = [
                t
                for s in sorted(region, key=g.forward_order.__getitem__)
                for t in g.flow.successors(s)
                if g.is_customer(t) and t not in region
            ]
            if reached and not _finds_out(g, reached[0], chasing):
                continue  # the customer hears from the company first
            # the case is held: a wait after the failure's first step (which may itself be the
            # event of receiving the bad news, not a hold)
            held = [s for s in region if g.steps[s].kind == StepKind.wait and s != failure.entry]
            if not reached and (not held or failure.entry not in g.reaches_customer):
                continue
            yield self._landing(ctx, failure, seen_by, reached[0] if reached else None, held)

    def _landing(
        self,
        ctx: Context,
        failure: Failure,
        seen_by: RoleRef,
        landing: str | None,
        held: list[str],
    ) -> Finding:
        g = ctx.graph
        flow = g.flows[failure.flow]
        source, entry = g.steps[failure.detected_by], g.steps[failure.entry]
        what = flow.label if flow.label and "branch '" in failure.signal else entry.label
        where = seen_by.with_function
        held = sorted(held, key=g.forward_order.__getitem__)
        if landing is not None:
            message = (
                f"{where} sees {what!r} at {source.label!r}; the customer finds out by "
                f"themselves, steps later ({g.steps[landing].label})"
            )
        else:
            waits = f" ({', '.join(repr(g.steps[s].label) for s in held)})" if held else ""
            message = (
                f"{where} sees {what!r} at {source.label!r} and the case waits{waits}, "
                "but nobody tells the customer"
            )
        new_id, n = f"tell-customer-{flow.source}", 2
        while new_id in g.steps:
            new_id, n = f"tell-customer-{flow.source}-{n}", n + 1
        return self.finding(
            ctx,
            message,
            [flow.id, flow.source, flow.target, *held, *([landing] if landing else [])],
            evidence={
                "signal": failure.signal,
                "flow": flow.id,
                "seen_at": flow.source,
                "seen_by": seen_by.key,
                "seen_by_function": seen_by.function.id,
                "customer_step": landing,
                "held_at": held,
                "handling_steps": len(failure.region),
            },
            suggestion=(
                f"Let {seen_by.label} tell the customer at once when "
                f"{what!r} happens, with what comes next (a new date), so that the "
                "customer does not have to find out."
            ),
            fix=_tell_customer_first(flow, source.owner, new_id, what),
            substance=f"{flow.source}>{flow.target}",
        )

    def _named(self, ctx: Context, seen: set[str]) -> Iterator[Finding]:
        """Company steps named for a failure, followed to the customer who finds out."""
        g = ctx.graph
        chasing = set(contacts.contacts(g))
        if not chasing:
            return
        for step in ctx.process.steps:
            seen_by = g.role_of(step.id)
            if (
                seen_by is None
                or step.id in seen
                or step.kind == StepKind.decision
                or Purpose.inspection not in step.purpose
                or not step.name
                or (word := inference.failure(step.name)) is None
            ):
                continue
            way, landing = _to_customer(g, step.id)
            if (
                landing is None
                or not _finds_out(g, landing, chasing)
                or any(Purpose.notification in g.steps[s].purpose for s in way)
            ):
                continue
            where = seen_by.with_function
            yield self.finding(
                ctx,
                f"{where} sees {word.text!r} at {step.label!r}; the customer finds out by "
                f"themselves, steps later ({g.steps[landing].label})",
                [step.id, landing],
                evidence={
                    "signal": f"step named {word.text!r}",
                    "flow": None,
                    "seen_at": step.id,
                    "seen_by": seen_by.key,
                    "seen_by_function": seen_by.function.id,
                    "customer_step": landing,
                    "held_at": [],
                    "handling_steps": len(way),
                },
                suggestion=(
                    f"Let {seen_by.label} tell the customer when "
                    f"{step.label!r} happens, with what comes next, before "
                    f"'{g.steps[landing].label}'."
                ),
                substance=f"{step.id}>{landing}",
            )


def _tell_customer_first(flow: Flow, owner: str, new_id: str, what: str) -> Fix:
    """The fix both ways of finding the failure offer: a step of ``owner`` between the flow's
    ends that tells the customer what happened, with what comes next."""
    return Fix(
        f"tell the customer first: {new_id} between {flow.source} and {flow.target}",
        (
            Edit(
                "add-step",
                after=flow.source,
                before=flow.target,
                kind=flow.kind.value,
                label=flow.label,
                fields={
                    "id": new_id,
                    "name": f"Tell customer: {what}"[:80],
                    "owner": owner,
                    "value": "customer",
                    "purpose": ["notification"],
                    "touchpoint": True,
                },
            ),
        ),
    )


def _finds_out(g: ProcessGraph, landing: str, chasing: set[str]) -> bool:
    """Does the customer find out at ``landing``: it is their chase or complaint, or one
    follows it (a high bill received, then the call about it)?"""
    return landing in chasing or any(t in chasing for t in g.flow.successors(landing))


def _to_customer(g: ProcessGraph, start: str) -> tuple[list[str], str | None]:
    """The company steps from ``start`` on, and the first customer step they reach (in the
    process's forward order), or None."""
    order = g.forward_order
    way, seen, stack, reached = [start], {start}, [start], []
    while stack:
        for nxt in g.flow.successors(stack.pop()):
            if nxt in seen:
                continue
            seen.add(nxt)
            if g.is_customer(nxt):
                reached.append(nxt)
            else:
                way.append(nxt)
                stack.append(nxt)
    return way, min(reached, key=order.__getitem__, default=None)

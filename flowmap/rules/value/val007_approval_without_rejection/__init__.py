"""An approval that cannot say no: the work waits for someone's signature, and every case goes
on the same way afterwards.

## What it finds
Company steps tagged `purpose: approval` whose outgoing flows (and those of a decision right
after them, past plain events) all lead to one next step: there is no branch where the approval
is refused. A way out that only comes back to the step (an Imixs "Save" action) is no outcome,
nor is a timer or message on its boundary (a reminder: what happens meanwhile); a system's step
that records the verdict before the decision (a BPMN script task) is looked through;
an approval that is one branch of a decision whose other branch refuses ("Approve" and "Reject"
after one gateway) can refuse. Only approvals that cost something are reported: the approver is
another role than the doer before it (found through events, gateways and engine actions), or the
work waits for the approval (`wait` above zero). An approval by the doer, in the same breath (a
limit the doer checks, with times declared and no wait), is not reported; in a process without
times nothing shows that, and the approval is reported.

## How to fix
An approval that never rejects approves nothing: remove it, or replace it with an authority
limit the doer applies and a sample audit afterwards. If it does sometimes refuse, model the
refusal branch, so its probability and its cost can be seen. With `flowmap analyze --fix` a
pass-through approval step is removed.
"""

from __future__ import annotations

from collections.abc import Iterator

from flowmap import inference
from flowmap.model import FlowKind, Purpose, StepKind
from flowmap.rules.base import Context, Family, Finding, Options, Rule
from flowmap.rules.value.common import WORK_KINDS, duration, remove_fix

SIDE = (FlowKind.feedback, FlowKind.information)
CHECKS = frozenset({Purpose.approval, Purpose.inspection})
# Steps between the doer's work and the approval that nobody works in: events and joins, and
# decisions and waits without work of their own (a BPMN gateway; an Imixs user action).
_EVENTS = frozenset({StepKind.event, StepKind.start, StepKind.end})
_LOOK_THROUGH = frozenset({StepKind.decision, StepKind.wait})
_DEPTH = 6  # how far back to look for the doer, in flows


class ApprovalOptions(Options):
    pass


class ApprovalWithoutRejection(Rule):
    code = "VAL007"
    name = "approval-without-rejection"
    family = Family.value
    summary = "An approval step with no way to refuse: it approves nothing"
    why = (
        "The customer waits while the work queues for a signature that never changes the "
        "outcome; the doer learns that someone else is responsible for getting it right."
    )
    Options = ApprovalOptions
    fixable = "sometimes"
    references = ("Womack and Jones, Lean Thinking (1996): approvals as over-processing.",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        g = ctx.graph
        timed = any(s.work or s.wait for s in ctx.process.steps)
        for step in ctx.process.steps:
            if (
                Purpose.approval not in step.purpose
                or step.is_customer
                or step.kind not in WORK_KINDS
            ):
                continue
            outcomes = self._outcomes(ctx, step.id)
            if len(outcomes) != 1:
                continue  # it can refuse (or it is a dead end, STR002's business)
            (nxt,) = outcomes
            after = self._past_events(ctx, nxt)
            if g.steps[after].kind == StepKind.decision and len(self._outcomes(ctx, after)) > 1:
                continue  # the decision right after it is the refusal
            if self._refused_before(ctx, step.id):
                continue  # a decision just before it chose between it and a refusal
            doers = self._doers(ctx, step.id)
            other_role = any(d != step.owner for d in doers)
            if not other_role and (step.wait <= 0 and timed):
                continue  # the doer applies a limit in the same breath
            levels = {d: g.roles[d].level for d in doers if d in g.roles}
            level = g.level(step.id)
            yield self.finding(
                ctx,
                f"Approval '{step.label}' never refuses: every case goes on to "
                f"{g.onward(nxt)}" + (f" after {duration(step.work + step.wait)}" if timed else ""),
                [step.id, nxt],
                evidence={
                    "approver": step.owner,
                    "approver_level": level,
                    "doers": doers,
                    "doer_levels": levels,
                    "wait_minutes": step.wait,
                    "work_minutes": step.work,
                    "outcomes": sorted(outcomes),
                },
                suggestion=(
                    f"Remove '{step.label}' or replace it with an authority limit for "
                    f"{', '.join(g.owner_label(d) for d in doers) or 'the doer'} and an audit of a sample; if it "
                    "does refuse sometimes, model the refusal branch."
                ),
                fix=remove_fix(g, step.id, f"remove the approval {step.id} that never refuses"),
                substance=step.id,
            )

    @staticmethod
    def _outcomes(ctx: Context, step_id: str) -> set[str]:
        """Where the work goes after a step; a way that only comes back to the step (an Imixs
        'Save' action on a state) is no outcome."""
        g = ctx.graph
        found = set()
        for _, v, data in g.flow.out_edges(step_id, data=True):
            flow = data["flow"]
            if flow.kind in SIDE or v == step_id:
                continue
            if (
                flow.generated
                and flow.kind == FlowKind.normal
                and g.steps[v].kind == StepKind.event
                and g.steps[v].owner == g.steps[step_id].owner
            ):
                continue  # a timer or message on its boundary: what happens meanwhile, no verdict
            onward = {w for _, w, d in g.flow.out_edges(v, data=True) if d["flow"].kind not in SIDE}
            if onward == {step_id}:
                continue
            found.add(v)
        return found

    @staticmethod
    def _past_events(ctx: Context, step_id: str) -> str:
        """The first step from ``step_id`` on that is not a plain event, join or catch event with
        one way, or a system's step that only records the verdict ('Set Message Info', a BPMN
        script task)."""
        g = ctx.graph
        seen = {step_id}
        while True:
            here = g.steps[step_id]
            if not (
                here.kind == StepKind.event
                or (here.kind == StepKind.wait and not here.work)
                or (step_id in g.automated and not CHECKS.intersection(here.purpose))
            ):
                break
            ways = [
                v for _, v, d in g.flow.out_edges(step_id, data=True) if d["flow"].kind not in SIDE
            ]
            if len(ways) != 1 or ways[0] in seen:
                break
            step_id = ways[0]
            seen.add(step_id)
        return step_id

    @staticmethod
    def _refused_before(ctx: Context, step_id: str) -> bool:
        """Is the approval one branch of a decision whose other branch refuses ('Approve' and
        'Reject' after one gateway)? Not when that decision is the outcome of an earlier check
        (then it refused that check's work, not this approval's)."""
        g = ctx.graph
        node, seen = step_id, {step_id}
        while True:
            ways = [
                u
                for u, _, d in g.flow.in_edges(node, data=True)
                if d["flow"].kind not in SIDE and u not in seen
            ]
            if len(ways) != 1:
                return False
            node = ways[0]
            seen.add(node)
            before = g.steps[node]
            if before.kind == StepKind.decision and not before.work:
                break
            if not (before.kind in _EVENTS or (before.kind == StepKind.wait and not before.work)):
                return False
        checked = any(
            CHECKS.intersection(g.steps[u].purpose) for u in g.flow.predecessors(node) if u != node
        )
        if checked:
            return False
        for _, v, data in g.flow.out_edges(node, data=True):
            flow = data["flow"]
            if v in seen or flow.kind in SIDE:
                continue
            label = flow.label or g.steps[v].name
            if (
                flow.kind in (FlowKind.exception, FlowKind.rework)
                or inference.failure(label or "") is not None
            ):
                return True
        return False

    @staticmethod
    def _doers(ctx: Context, step_id: str) -> list[str]:
        """Owners of the nearest work before the approval, looking through events, decisions
        and waits (an engine's action events, a join) to the tasks that did the work."""
        g = ctx.graph
        doers: set[str] = set()
        seen = {step_id}
        frontier = [step_id]
        for _ in range(_DEPTH):
            nxt = []
            for node in frontier:
                for prev, _, data in g.flow.in_edges(node, data=True):
                    if prev in seen or data["flow"].kind in SIDE:
                        continue
                    seen.add(prev)
                    before = g.steps[prev]
                    if before.is_customer:
                        continue
                    if (
                        not before.owner
                        or before.kind in _EVENTS
                        or (before.kind in _LOOK_THROUGH and not before.work)
                    ):
                        nxt.append(prev)
                    else:
                        doers.add(before.owner)
            frontier = nxt
        return sorted(doers)

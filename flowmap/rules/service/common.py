"""What the service rules share: where failures start, who caused them, what handles them, and
the redesign that takes a failure back to its cause.

A *failure* is found from three signals written in the model:

* an ``exception`` flow;
* a flow out of a decision whose label names a failure (:func:`flowmap.inference.failure`, in
  every language it reads: *fails*, *wrong*, *missing*, *late*, *no-show*, *out of stock*,
  *fehlt*, *rejeté*, *brak*...), or that leads into an event whose name does (*Sufficient
  inventory?* then *insufficient inventory*);
* a customer step with purpose ``complaint`` that follows other work (a complaint is a failure
  the customer reports).

Its *region* is the work that exists only because of it: the steps every route reaches through
the failure's first step (its dominance region), so the branch ends where it rejoins the normal
way. Its *cause* is the nearest company step upstream that is not customer service.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from flowmap import inference
from flowmap.graph import ProcessGraph
from flowmap.model import Flow, FlowKind, Purpose, Step, StepKind
from flowmap.rules.base import Edit, Fix

_WORD = re.compile(r"[a-z]{3,}")
_COMMON = frozenset(
    {
        "the",
        "and",
        "for",
        "about",
        "with",
        "from",
        "call",
        "again",
        "customer",
        "not",
        "was",
        "has",
        "into",
        "ask",
        "tell",
        "wait",
    }
)
_CAUSE_DEPTH = 8  # how far back (in flows) to look for the step a failure came from


@dataclass(frozen=True)
class Failure:
    entry: str  # the first step of the failure's handling
    flow: str  # the flow that opens it ('' for a complaint step)
    signal: str  # "exception flow", "branch 'missing'", "customer complaint"
    detected_by: str  # the step the failure leaves from ('' for a complaint step)
    cause: str | None  # the nearest non-service company step upstream, if any
    region: frozenset[str]


_CACHE: WeakKeyDictionary[ProcessGraph, list[Failure]] = WeakKeyDictionary()


def failures(g: ProcessGraph) -> list[Failure]:
    """Every failure of the process, one per first step, in file order."""
    if g not in _CACHE:
        _CACHE[g] = _find(g)
    return _CACHE[g]


def is_failure_flow(g: ProcessGraph, flow: Flow) -> str:
    """Why a flow opens a failure ('' when it does not)."""
    if flow.kind == FlowKind.exception:
        return "exception flow"
    if g.steps[flow.source].kind != StepKind.decision:
        return ""
    if flow.label and inference.failure(flow.label) is not None:
        return f"branch {flow.label!r}"
    # a branch into an event that names the state: 'Sufficient inventory?' -no-> 'insufficient'
    target = g.steps[flow.target]
    if (
        target.kind in (StepKind.event, StepKind.wait)
        and target.name
        and inference.failure(target.name) is not None
    ):
        return f"branch to {target.name!r}"
    return ""


def _find(g: ProcessGraph) -> list[Failure]:
    found: dict[str, Failure] = {}
    for flow in g.process.flows:
        if flow.id not in g.handoffs or flow.source == flow.target:
            continue
        signal = is_failure_flow(g, flow)
        if signal and flow.target not in found:
            source = flow.source
            if g.role_of(source) is not None:  # the organisation saw it fail
                cause = None if g.is_service(source) else source
            else:  # the customer found it: look for what they found
                cause = _cause(g, source, _words(flow.label) | _words(g.steps[flow.target].name))
            found[flow.target] = Failure(
                flow.target, flow.id, signal, source, cause, g.dominated_by(flow.target)
            )
    for step in g.process.steps:
        if (
            step.is_customer
            and Purpose.complaint in step.purpose
            and step.id not in found
            and step.id in g.flow
            and g.flow.in_degree(step.id)
        ):
            cause = None
            for prev in g.flow.predecessors(step.id):
                cause = cause or _cause(g, prev, set())
            found[step.id] = Failure(
                step.id, "", "customer complaint", "", cause, g.dominated_by(step.id)
            )
    order = {s.id: i for i, s in enumerate(g.process.steps)}
    return sorted(found.values(), key=lambda f: order[f.entry])


def outermost(items: list[Failure]) -> list[Failure]:
    """The failures not inside another one's region (a complaint about an exception is the
    same failure, seen later)."""
    kept: set[Failure] = set()
    covered: set[str] = set()  # the steps of the regions kept so far
    for failure in sorted(items, key=lambda f: -len(f.region)):
        if failure.entry not in covered:
            kept.add(failure)
            covered |= failure.region
    return [f for f in items if f in kept]


def _words(text: str) -> set[str]:
    return {
        w for w in _WORD.findall(text.lower()) if w not in _COMMON and inference.failure(w) is None
    }


def _cause(g: ProcessGraph, start: str, words: set[str]) -> str | None:
    """The company step a failure came from, searching back from ``start`` past the customer's
    own steps. None when the nearest company work is customer service itself (then it is not
    dumped on service) or when there is none. Given ``words`` (from the failure's label), a
    non-service step a few flows back whose name shares one (``PIN missing`` and ``Post PIN``)
    is preferred to the nearest."""
    seen = {start}
    queue = deque([(start, 0)])
    nearest: str | None = None
    first_company_is_service: bool | None = None
    while queue:
        here, depth = queue.popleft()
        ref = g.role_of(here)
        if ref is not None:
            if first_company_is_service is None:
                first_company_is_service = g.is_service(here)
                if first_company_is_service:
                    return None
            if not g.is_service(here):
                nearest = nearest or here
                if not words or words & _words(g.steps[here].name):
                    return here
        if depth >= _CAUSE_DEPTH:
            continue
        for prev in g.flow.predecessors(here):
            if prev not in seen:
                seen.add(prev)
                queue.append((prev, depth + 1))
    return nearest


def handled_by_service(g: ProcessGraph, failure: Failure) -> list[str]:
    """Customer-service steps in the failure's region that meet the customer, outside the
    function that caused it (a role answering for its own failure has not had it dumped on it:
    where no service function works, service is whoever answers the customer's contact)."""
    touch = g.touchpoints
    cause = g.function_of(failure.cause) if failure.cause else None
    return sorted(
        (
            s
            for s in failure.region
            if g.is_service(s)
            and s in touch
            and (cause is None or (fn := g.function_of(s)) is None or fn.id != cause.id)
        ),
        key=g.forward_order.__getitem__,
    )


def taken_back_to_cause(g: ProcessGraph, steps: frozenset[str] | set[str], entry: str) -> bool:
    """Does anything in ``steps`` take the failure back to a function upstream of ``entry`` that
    is not customer service: a feedback flow to it, or a root-cause fix owned by it?"""
    feedback = _marks(g).feedback
    targets = [t for s in steps for t in feedback.get(s, ()) if t in g.steps]
    fixes = [s for s in steps if Purpose.root_cause_fix in g.steps[s].purpose]
    candidates = [
        s for s in (*targets, *fixes) if g.function_of(s) is not None and not g.is_service(s)
    ]
    if not candidates:
        return False
    upstream = {fn.id for s in g.reaching([entry]) if (fn := g.function_of(s)) is not None}
    return any((fn := g.function_of(s)) is not None and fn.id in upstream for s in candidates)


def recovered(g: ProcessGraph, steps: frozenset[str] | set[str]) -> bool:
    """Is the customer recovered or the cause fixed within these steps?"""
    marks = _marks(g).recovering
    if len(marks) < len(steps):
        return any(s in steps for s in marks)
    return any(s in marks for s in steps)


@dataclass(frozen=True)
class _Marks:
    """What the service rules look up for many failures, found once per graph (a scan of
    every step or flow per failure made large processes quadratic)."""

    feedback: dict[str, list[str]]  # step -> targets of the feedback flows leaving it
    recovering: frozenset[str]  # steps with purpose recovery or root-cause fix, or a feedback
    fixes: list[Step]  # steps with purpose root-cause fix, in file order


_MARKS: WeakKeyDictionary[ProcessGraph, _Marks] = WeakKeyDictionary()


def _marks(g: ProcessGraph) -> _Marks:
    if g not in _MARKS:
        feedback: dict[str, list[str]] = {}
        for flow in g.process.flows:
            if flow.kind == FlowKind.feedback:
                feedback.setdefault(flow.source, []).append(flow.target)
        fixing = {Purpose.recovery, Purpose.root_cause_fix}
        recovering = {s.id for s in g.process.steps if fixing & set(s.purpose)}
        fixes = [s for s in g.process.steps if Purpose.root_cause_fix in s.purpose]
        _MARKS[g] = _Marks(feedback, frozenset(recovering | set(feedback)), fixes)
    return _MARKS[g]


def fix_at_source(g: ProcessGraph, cause: str, after: str, what: str) -> Fix:
    """A feedback flow from ``after`` to a root-cause fix in the cause's function: an existing
    root-cause-fix step of that function, or a new one (owned by the cause's team lead when
    there is one) that ends at its own end step."""
    ref = g.role_of(cause)
    if ref is None:  # a failure's cause is found among the steps of the organisation's roles
        raise ValueError(f"the cause {cause!r} of a failure has no role")
    function = ref.function
    for step in _marks(g).fixes:
        if step.owner.startswith(function.id + "."):
            return Fix(
                f"feed {what} back from {after} to {step.id} ({function.label})",
                (
                    Edit(
                        "add-flow",
                        source=after,
                        target=step.id,
                        kind="feedback",
                        label=f"{what} cause",
                    ),
                ),
            )
    superior = g.superior(ref.key)
    owner = superior if superior and g.roles[superior].function.id == function.id else ref.key
    fix_id = _fresh(g, f"fix-{cause}")
    done_id = _fresh(g, f"{fix_id}-done")
    return Fix(
        f"feed {what} back from {after} to a new root-cause fix {fix_id} in {function.label}",
        (
            Edit(
                "add-step",
                after=after,
                kind="feedback",
                label=f"{what} cause",
                fields={
                    "id": fix_id,
                    "name": f"Fix the cause: {g.steps[cause].label}"[:80],
                    "owner": owner,
                    "value": "business",
                    "purpose": ["root-cause-fix"],
                },
            ),
            Edit(
                "add-step",
                after=fix_id,
                fields={"id": done_id, "name": "Cause removed", "owner": owner, "kind": "end"},
            ),
        ),
    )


def _fresh(g: ProcessGraph, base: str) -> str:
    candidate, n = base, 2
    while candidate in g.steps:
        candidate, n = f"{base}-{n}", n + 1
    return candidate

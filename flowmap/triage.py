"""What the analysis does with the findings of its rules before anyone reads them.

Pure: findings (and the process they are about) in, findings out.

* :func:`rank` — the one order of importance: severity, then the headline families
  (smokestack, service, value) with their headline rules first, then how directly the customer
  feels it, then where it was written. Renderers and reporters show findings in this order and may show only the first few.
* :func:`merge` — one finding per problem: a chimney reported by SMK001, SMK002 and SMK006 on
  the same steps is one finding (the best-ranked) with the others folded into its ``related``;
  many notes of one kind (e.g. forty "declare the value" notes) become one finding that lists
  every element.
* :func:`attach` — the inferences a finding rests on (``Process.inferred``, filled by loaders
  for whatever they guessed from names or geometry), only those of the kinds its rule reads
  (:data:`RESTS_ON`), and its customer impact.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from flowmap.rules.base import Family, Finding, Severity

if TYPE_CHECKING:
    from flowmap.graph import ProcessGraph

# The headline families first: what flowmap exists to find.
FAMILY_ORDER = {
    Family.smokestack: 0,
    Family.service: 1,
    Family.value: 2,
    Family.customer: 3,
    Family.structure: 4,
}

# The patterns flowmap exists to find: chimney, escalated approval, manager relay, service
# dumping. They lead their family.
HEADLINE = frozenset({"SMK001", "SMK003", "SMK007", "SRV001", "SRV002", "SRV006"})

# Rules that report the same problem from different sides. A finding of a later code is folded
# into a finding of an earlier code when it is about the same steps: every step it names (a flow
# stands for the steps at its ends) is on the other's path or loop. Sharing a step is not enough:
# a rework loop that passes through a ping-pong run is a problem of its own.
SAME_PROBLEM: tuple[tuple[str, ...], ...] = (
    ("SMK001", "SMK002", "SMK006"),  # a chimney: the path, the managers-only pair, the function
    ("SMK004", "VAL004"),  # work bouncing between two functions is also a loop
)

# Notes (info) of one rule repeated at least this often in a file become one finding.
GROUP_AT = 3


def rank_key(finding: Finding) -> tuple[Any, ...]:
    loc = finding.location
    return (
        -finding.severity.rank,
        FAMILY_ORDER.get(finding.family, 9),
        finding.code not in HEADLINE,
        -finding.impact,
        loc.line or 0,
        loc.column or 0,
        finding.code,
        finding.elements,
    )


def rank(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in order of importance: severity, headline family, customer impact, place."""
    return sorted(findings, key=rank_key)


# ---------------------------------------------------------------------------------------------
# One finding per problem
# ---------------------------------------------------------------------------------------------


def merge(
    findings: list[Finding], labels: dict[str, str] | None = None, graph: ProcessGraph | None = None
) -> list[Finding]:
    """Fold findings about the same problem into one, and group repeated notes of one kind.

    ``labels`` maps element ids to the names shown in a grouped finding's message; ``graph``
    turns the flows a finding names into the steps at their ends."""
    return _group_notes(_fold_repeats(_fold_same_problem(findings, graph)), labels or {})


def _fold_repeats(findings: list[Finding]) -> list[Finding]:
    """One finding where a rule says the same sentence more than once (the same chimney by
    three routes through an imported model's events reads as one problem): the first keeps the
    others in its ``related`` and says how many times it was found."""
    by_text: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        by_text[(f.code, f.message)].append(f)
    if all(len(fs) == 1 for fs in by_text.values()):
        return findings
    out: list[Finding] = []
    for f in findings:
        same = by_text[(f.code, f.message)]
        if len(same) == 1:
            out.append(f)
        elif f is same[0]:
            out.append(
                replace(
                    f,
                    message=f"{f.message} ({len(same)} times, by different steps)",
                    evidence={**f.evidence, "also_at": [list(o.elements) for o in same[1:]]},
                )
            )
    return out


def _fold_same_problem(findings: list[Finding], graph: ProcessGraph | None = None) -> list[Finding]:
    order = {code: (i, j) for i, group in enumerate(SAME_PROBLEM) for j, code in enumerate(group)}
    if sum(1 for f in findings if f.code in order) < 2:
        return findings
    primaries: list[Finding] = []  # kept findings of a group, best-ranked first
    by_element: dict[str, list[int]] = defaultdict(list)  # element -> indexes in primaries
    folded: dict[int, list[Finding]] = defaultdict(list)  # id(primary) -> folded findings
    out: list[Finding] = []
    grouped = sorted(
        (f for f in findings if f.code in order), key=lambda f: (order[f.code], rank_key(f))
    )
    steps: dict[int, frozenset[str]] = {}

    def steps_of(f: Finding) -> frozenset[str]:
        if id(f) not in steps:
            steps[id(f)] = frozenset(_steps_of(f, graph) if graph is not None else f.elements)
        return steps[id(f)]

    for finding in grouped:
        group, _ = order[finding.code]
        hosts = sorted(
            {
                i
                for e in finding.elements
                for i in by_element.get(e, ())
                if order[primaries[i].code][0] == group
                and primaries[i].code != finding.code
                and steps_of(finding) <= steps_of(primaries[i])
            }
        )
        if hosts:
            folded[id(primaries[hosts[0]])].append(finding)
        else:
            for e in finding.elements:
                by_element[e].append(len(primaries))
            primaries.append(finding)
    kept = {id(p): p for p in primaries}
    for finding in findings:
        if finding.code not in order:
            out.append(finding)
        elif id(finding) in kept:
            extra = folded.get(id(finding))
            out.append(
                replace(finding, related=finding.related + tuple(extra)) if extra else finding
            )
    return out


def _group_notes(findings: list[Finding], labels: dict[str, str]) -> list[Finding]:
    by_code: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        if f.severity == Severity.info and f.fix is None:
            by_code[f.code].append(f)
    many = {code for code, fs in by_code.items() if len(fs) >= GROUP_AT}
    if not many:
        return findings
    out: list[Finding] = []
    for f in findings:
        if f.code not in many or f.severity != Severity.info or f.fix is not None:
            out.append(f)
        elif f is by_code[f.code][0]:
            out.append(_grouped(by_code[f.code], labels))
    return out


def _grouped(findings: list[Finding], labels: dict[str, str]) -> Finding:
    first = findings[0]
    elements = tuple(dict.fromkeys(e for f in findings for e in f.elements))
    heads = [labels.get(f.elements[0], f.elements[0]) if f.elements else "" for f in findings]
    shown = ", ".join(f"'{h}'" for h in heads[:5])
    more = f" and {len(heads) - 5} more" if len(heads) > 5 else ""
    from flowmap import rules

    try:
        summary = rules.get(first.code).summary
    except KeyError:
        summary = first.name
    return replace(
        first,
        message=f"{len(findings)} times: {summary.rstrip('.').lower()}: {shown}{more}",
        elements=elements,
        evidence={
            "count": len(findings),
            "findings": [
                {"elements": list(f.elements), "message": f.message, "evidence": f.evidence}
                for f in findings
            ],
        },
        substance=f"group|{first.code}",
        inferred=tuple(dict.fromkeys(r for f in findings for r in f.inferred)),
        impact=max(f.impact for f in findings),
    )


# ---------------------------------------------------------------------------------------------
# What a finding rests on
# ---------------------------------------------------------------------------------------------


# What a finding may rest on, by kind of inference (see :func:`topic`): a chimney rests on the
# levels, chains and functions its steps are owned by, not on a step's purpose; a rework loop on
# the purposes and failure branches of its steps, not on levels. A code's own entry replaces its
# family's.
SMOKESTACK = frozenset({"level", "reports_to", "roles", "owner"})
RESTS_ON: dict[str, frozenset[str]] = {
    Family.smokestack.value: SMOKESTACK,
    "SMK003": SMOKESTACK | {"purpose"},  # an approval is read from the step's name
    "SMK004": frozenset({"roles", "owner", "flow-kind", "purpose", "step-kind"}),  # loops.py
    "SMK005": frozenset({"roles", "owner"}),
    Family.service.value: frozenset(
        {
            "customer",
            "owner",
            "roles",
            "function-kind",
            "flow-kind",
            "purpose",
            "step-kind",
            "contact",
        }
    ),
    Family.value.value: frozenset(
        {"customer", "purpose", "function-kind", "flow-kind", "step-kind", "contact"}
    ),
    "VAL004": frozenset({"customer", "purpose", "flow-kind", "step-kind", "owner"}),
    "VAL009": frozenset({"customer", "purpose", "level", "owner", "step-kind", "automated"}),
    Family.customer.value: frozenset(
        {"customer", "owner", "purpose", "flow-kind", "function-kind", "step-kind", "contact"}
    ),
    Family.structure.value: frozenset({"step-kind", "flow-kind", "generated"}),
}


# Every finding rests on the way its flows run: a flow read the other way round than drawn.
ALWAYS = frozenset({"reversed"})


def topic(field: str, element: str, graph: ProcessGraph) -> str:
    """What an inference is about: its field, with ``kind`` told apart by its element (a
    function's kind, a step's kind, a flow's kind)."""
    if field != "kind":
        return field
    if element in graph.steps:
        return "step-kind"
    if element in graph.flows:
        return "flow-kind"
    return "function-kind"


def rests_on(finding: Finding) -> frozenset[str]:
    family = finding.family.value if hasattr(finding.family, "value") else str(finding.family)
    return (RESTS_ON.get(finding.code) or RESTS_ON.get(family, frozenset())) | ALWAYS


def attach(findings: list[Finding], graph: ProcessGraph) -> list[Finding]:
    """Each finding with the reasons of the inferences it rests on and its customer impact.

    A finding rests on its steps and flows, the steps at both ends of its flows, the flows
    between its steps, and the roles and functions that own those steps, and only on the kinds of inference its rule reads
    (:data:`RESTS_ON`)."""
    reasons = _reasons_by_element(graph)
    touch = graph.touchpoints if findings else frozenset()
    main = set(graph.main_path) if findings else set()
    for finding in findings:
        steps = _steps_of(finding, graph)
        impact = 2 if any(s in touch for s in steps) else 1 if any(s in main for s in steps) else 0
        inferred: tuple[str, ...] = ()
        if reasons:
            keys = list(finding.elements)
            among = set(steps)
            for sid in steps:
                keys.append(sid)
                owner = graph.steps[sid].owner
                if owner:
                    keys += [owner, owner.split(".", 1)[0]]
                for before in graph.flow.predecessors(sid):  # the flows between its steps
                    if before in among:
                        keys += graph.flow[before][sid]
            wanted = rests_on(finding)
            inferred = tuple(
                dict.fromkeys(
                    reason
                    for k in dict.fromkeys(keys)
                    for kind, reason in reasons.get(k, ())
                    if kind in wanted
                )
            )
        # The rules made these findings for this analysis alone: filled in place (a copy per
        # finding costs more than the rest of this function on a large process).
        object.__setattr__(finding, "impact", impact)
        object.__setattr__(finding, "inferred", inferred)
    return findings


def _steps_of(finding: Finding, graph: ProcessGraph) -> list[str]:
    steps: list[str] = []
    for element in finding.elements:
        if element in graph.steps:
            steps.append(element)
        elif element in graph.flows:
            flow = graph.flows[element]
            steps += [s for s in (flow.source, flow.target) if s in graph.steps]
    return list(dict.fromkeys(steps))


def _reasons_by_element(graph: ProcessGraph) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for record in getattr(graph.process, "inferred", None) or ():
        element = getattr(record, "element", "")
        reason = getattr(record, "reason", "")
        if element and reason:
            found[element].append((topic(getattr(record, "field", ""), element, graph), reason))
    from flowmap import contacts  # what the model's shape says (chases, acting service)

    for element, said in contacts.reasons(graph).items():
        found[element] += [("contact", reason) for reason in said]
    return found

"""Customer-centricity maturity: awareness, sensitivity, focus, obsession.

The four stages come from the background essays (``docs/maturity.md``). A process reaches a stage
when it meets every criterion of that stage and of the stages below; each criterion is read off
the model, the metrics and the findings, and is reported with its evidence. What would move the
process up one stage is the list of the next stage's unmet criteria.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flowmap.graph import ProcessGraph
from flowmap.model import MeasureKind, Purpose
from flowmap.rules.base import Family, Finding, Severity

STAGES = ("awareness", "sensitivity", "focus", "obsession")


@dataclass(frozen=True)
class Criterion:
    stage: str
    name: str
    met: bool
    evidence: str
    advice: str  # what to do when it is not met

    def as_dict(self) -> dict:
        return {
            "stage": self.stage,
            "criterion": self.name,
            "met": self.met,
            "evidence": self.evidence,
        }


@dataclass(frozen=True)
class Maturity:
    stage: str
    level: int  # 1..4
    criteria: tuple[Criterion, ...]
    next_steps: tuple[str, ...]

    def as_dict(self) -> dict:
        return {
            "stage": self.stage,
            "level": self.level,
            "criteria": [c.as_dict() for c in self.criteria],
            "next_steps": list(self.next_steps),
        }


Check = Callable[[ProcessGraph, list[Finding], dict], tuple[bool, str]]


def _warnings(findings: list[Finding], family: Family) -> list[Finding]:
    return [f for f in findings if f.family == family and f.severity.rank >= Severity.warning.rank]


def _meets_customer(graph, findings, metrics):
    n = len(graph.touchpoints)
    return n > 0, f"{n} customer touchpoint(s) modelled"


def _measures_customer(graph, findings, metrics):
    kinds = sorted(
        {
            m.kind.value
            for m in graph.process.measures
            if m.kind not in (MeasureKind.cost, MeasureKind.productivity)
        }
    )
    return bool(kinds), (
        "customer measures: " + ", ".join(kinds)
    ) if kinds else "no measure looks at the customer"


def _no_smokestack(graph, findings, metrics):
    smk = _warnings(findings, Family.smokestack)
    handoffs = metrics.get("handoffs") or 0
    share = round(metrics.get("handoffs_vertical", 0) / handoffs, 4) if handoffs else None
    ok = not smk and (share is None or share < 0.3)
    return ok, (
        f"{len(smk)} smokestack finding(s); share of handoffs up or down one "
        f"function's chain of command {share if share is not None else 'n/a'}"
    )


def _no_dumping(graph, findings, metrics):
    srv = _warnings(findings, Family.service)
    return not srv, f"{len(srv)} service-dumping finding(s)"


def _recovery_and_feedback(graph, findings, metrics):
    recovery = [
        s.id
        for s in graph.process.steps
        if Purpose.recovery in s.purpose or Purpose.root_cause_fix in s.purpose
    ]
    loops = metrics.get("feedback_loops") or 0
    return bool(
        recovery
    ) and loops > 0, f"{len(recovery)} recovery/root-cause step(s), {loops} feedback loop(s)"


def _relationship_measures(graph, findings, metrics):
    kinds = sorted(
        {
            m.kind.value
            for m in graph.process.measures
            if m.kind
            in (MeasureKind.loyalty, MeasureKind.emotion, MeasureKind.advocacy, MeasureKind.effort)
        }
    )
    return bool(kinds), (
        "relationship measures: " + ", ".join(kinds)
    ) if kinds else "satisfaction and functional measures only"


def _everyone_meets_customer(graph, findings, metrics):
    share = metrics.get("customer_facing_function_share")
    return (
        share is not None and share >= 0.5,
        f"share of functions that meet the customer: {share if share is not None else 'n/a'}",
    )


def _loyalty_emotion_advocacy(graph, findings, metrics):
    kinds = {m.kind for m in graph.process.measures}
    wanted = {MeasureKind.loyalty, MeasureKind.emotion, MeasureKind.advocacy}
    found = sorted(k.value for k in kinds & wanted)
    return len(found) >= 2, f"loyalty/emotion/advocacy measures: {', '.join(found) or 'none'}"


CRITERIA: dict[str, list[tuple[str, Check, str]]] = {
    "awareness": [
        (
            "the process models where it meets the customer",
            _meets_customer,
            "model the customer's own steps and the touchpoints where they meet the organisation",
        ),
    ],
    "sensitivity": [
        (
            "the customer is measured",
            _measures_customer,
            "add at least a satisfaction measure of the customer",
        ),
    ],
    "focus": [
        (
            "work crosses functions at the front line, not up and down chimneys",
            _no_smokestack,
            "let front-line roles hand work to each other directly (resolve the SMK findings)",
        ),
        (
            "problems are not dumped on customer service",
            _no_dumping,
            "feed failures back to the function that caused them (resolve the SRV findings)",
        ),
        (
            "service recovery and feedback loops to the cause",
            _recovery_and_feedback,
            "add a recovery step for the customer and a feedback flow to a root-cause fix",
        ),
        (
            "the relationship is measured, not only satisfaction",
            _relationship_measures,
            "measure effort, loyalty, emotion or advocacy, not only satisfaction",
        ),
    ],
    "obsession": [
        (
            "most functions meet the customer",
            _everyone_meets_customer,
            "give back-office functions (IT, finance, HR...) regular contact with customers",
        ),
        (
            "loyalty, emotion and advocacy are measured",
            _loyalty_emotion_advocacy,
            "manage the process by at least two of loyalty, emotion and advocacy",
        ),
    ],
}


def assess(graph: ProcessGraph, findings: list[Finding], metrics: dict) -> Maturity:
    criteria: list[Criterion] = []
    for stage in STAGES:
        for name, check, advice in CRITERIA[stage]:
            met, evidence = check(graph, findings, metrics)
            criteria.append(Criterion(stage, name, met, evidence, advice))
    level = 0
    for index, stage in enumerate(STAGES, start=1):
        if all(c.met for c in criteria if c.stage == stage):
            level = index
        else:
            break
    level = max(level, 1)
    nxt = STAGES[level] if level < len(STAGES) else None
    steps = tuple(
        c.advice
        for c in criteria
        if not c.met and (c.stage == nxt or STAGES.index(c.stage) < level)
    )
    return Maturity(STAGES[level - 1], level, tuple(criteria), steps)

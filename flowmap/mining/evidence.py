"""The measured findings' codes (MNG001...), names, families and reasons, and how a finding is
weighed and worded from a measure's rows: the share of cases it touched, how much longer
those cases took than all cases (medians), its severity, and the evidence it carries.
:mod:`flowmap.mining.findings` says, measure by measure, what each finding reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from flowmap import formatting
from flowmap.errors import Location
from flowmap.rules.base import Family, Finding, Severity

DAY_MS = 86_400_000


@dataclass(frozen=True)
class Measure:
    code: str
    name: str
    family: Family
    why: str


CHIMNEY = Measure(
    "MNG001",
    "measured-chimney",
    Family.smokestack,
    "Each level climbed and descended is a queue and a retelling; the customer "
    "waits while managers relay what two front-line people could settle.",
)
PING_PONG = Measure(
    "MNG002",
    "measured-ping-pong",
    Family.smokestack,
    "Every return is a queue and a re-explanation; the case waits while two "
    "functions ask each other for what one could have had from the start.",
)
VERTICAL = Measure(
    "MNG003",
    "measured-vertical-handoffs",
    Family.smokestack,
    "Work that travels up and down the hierarchy waits in managers' queues.",
)
ESCALATION = Measure(
    "MNG004",
    "measured-escalation",
    Family.smokestack,
    "Cases the first line cannot close wait for a higher level; pushing "
    "knowledge to the front solves them at the first contact.",
)
REWORK = Measure(
    "MNG005",
    "measured-rework",
    Family.value,
    "Work done twice is paid twice and makes the customer wait twice.",
)
WAITING = Measure(
    "MNG006",
    "measured-waiting",
    Family.value,
    "Waiting adds nothing for the customer; it is most of the lead time.",
)
STATE = Measure(
    "MNG007",
    "measured-time-in-state",
    Family.value,
    "A state that holds cases for long (waiting for the user, for a supplier) "
    "stops the clock for the organisation but not for the customer.",
)
EFFICIENCY = Measure(
    "MNG008",
    "measured-cycle-efficiency",
    Family.value,
    "A case that is worked on a small part of its lead time spends the rest waiting.",
)
LATE_SERVICE = Measure(
    "MNG009",
    "measured-late-service",
    Family.service,
    "Customer service that joins late can only placate; joining early lets it prevent the failure.",
)
DUMPED = Measure(
    "MNG010",
    "measured-service-dumping",
    Family.service,
    "Failures made upstream land on customer service, which placates; the cause is never fed back.",
)
UNMAPPED = Measure(
    "MNG011",
    "unmapped-resources",
    Family.structure,
    "Events whose resource maps to no role are left out of the handoff measures.",
)
ALL = (
    CHIMNEY,
    PING_PONG,
    VERTICAL,
    ESCALATION,
    REWORK,
    WAITING,
    STATE,
    EFFICIENCY,
    LATE_SERVICE,
    DUMPED,
    UNMAPPED,
)


def duration(ms: float | None) -> str:
    """Milliseconds of the log, printed as every flowmap output prints a duration."""
    return formatting.duration(None if ms is None else ms / 60_000)


def share(part: float, whole: float) -> str:
    return formatting.share(part / whole if whole else None)


class Builder:
    def __init__(self, mining, threshold: float, step_ids: dict[str, str]):
        self.mining = mining
        self.threshold = threshold
        self.totals = mining.totals
        self.location = Location(mining.log.source)
        self.step_ids = step_ids
        self.found: list[Finding] = []
        self.labels = {f.id: f.label for f in mining.actors.organisation.functions}

    def longer(self, row) -> float | None:
        """How much longer (ms) the median case of ``row`` took than the median of all cases.

        Medians, not means: case durations are skewed (in BPI Challenge 2013 a few problems
        stayed open for years), and a mean difference of months beside a median case of weeks
        reads as a contradiction."""
        cases, total = row["cases"], self.totals["cases"]
        if not cases or cases >= total or row.get("median_case_ms") is None:
            return None
        return row["median_case_ms"] - (self.totals["median_ms"] or 0)

    def mean_longer(self, row) -> float | None:
        """How much longer (mean, ms) the cases of ``row`` took than the other cases."""
        cases, total = row["cases"], self.totals["cases"]
        if not cases or cases >= total:
            return None
        rest = (self.totals["duration_ms"] - row["case_ms"]) / (total - cases)
        return row["case_ms"] / cases - rest

    def impact(self, row) -> dict:
        delta, mean = self.longer(row), self.mean_longer(row)
        return {
            "cases": row["cases"],
            "of_cases": self.totals["cases"],
            "share_of_cases": round(row["cases"] / self.totals["cases"], 4),
            "occurrences": row.get("occurrences", row["cases"]),
            "median_case_ms": row.get("median_case_ms"),
            "median_all_cases_ms": self.totals["median_ms"],
            "longer_ms": None if delta is None else round(delta),
            "longer": duration(delta),
            "mean_longer_than_others_ms": None if mean is None else round(mean),
        }

    def severity(self, row, warn: bool = True) -> Severity:
        delta = self.longer(row)
        if warn and row["cases"] / self.totals["cases"] >= self.threshold and (delta or 0) > 0:
            return Severity.warning
        return Severity.info

    def cases_text(self, row) -> tuple[str, str]:
        cases, total = row["cases"], self.totals["cases"]
        part = share(cases, total) if cases / total >= 0.01 else f"{cases:,}"
        text = f"in {part} of {total:,} cases"
        if self.longer(row) is None:
            return text, ""
        return text, (
            f"; those cases took a median of {duration(row['median_case_ms'])} "
            f"(all cases: {duration(self.totals['median_ms'])})"
        )

    def label(self, function_id: str | None) -> str:
        """A function's name as the organisation writes it."""
        return self.labels.get(function_id, function_id or "(unmapped)")

    def add(
        self,
        measure: Measure,
        severity: Severity,
        message: str,
        elements,
        evidence,
        suggestion: str,
        substance: str,
        rests_on=(),
    ) -> None:
        """``rests_on``: the function ids whose guessed levels or kinds the finding uses
        (None: every guess about the organisation)."""
        self.found.append(
            Finding(
                code=measure.code,
                name=measure.name,
                family=measure.family,
                severity=severity,
                message=message,
                elements=tuple(elements),
                location=self.location,
                evidence=evidence,
                why=measure.why,
                suggestion=suggestion,
                substance=substance,
                inferred=self.mining.actors.reasons(rests_on) if rests_on != () else (),
            )
        )

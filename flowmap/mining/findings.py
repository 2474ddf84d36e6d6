"""Measures as findings, in the same contract as the rules' (``flowmap.rules.base.Finding``).

Each finding says what was measured, in how many of the cases, and how long those cases took
against all cases, as medians ("in 34% of 1,487 cases the work climbed 2 levels to cross from
Sales to Finance; those cases took a median of 6d 2h (all cases: 3d)"); its evidence holds the
numbers (and the mean difference against the other cases). Findings about a share of cases are
warnings when the share reaches ``threshold`` and their median case took longer than the median
of all cases; the rest is information. They are located in the log file (a log has no lines for a pattern of cases).
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


class _Builder:
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


def findings(
    mining, step_ids: dict[str, str] | None = None, threshold: float = 0.05, top: int = 5
) -> list[Finding]:
    """The findings of a mining run, most important first within each measure."""
    b = _Builder(mining, threshold, step_ids or {})
    m = mining.measures
    _chimneys(b, m, top)
    _ping_pong(b, m, top)
    _handoffs(b, m)
    _escalation(b, m)
    _rework(b, m, top)
    _waiting(b, m, mining.has_starts, top)
    _states(b, m, top)
    _efficiency(b, m)
    _service(b, m, mining)
    _unmapped(b, mining)
    return b.found


def _chimneys(b, m, top) -> None:
    pairs: dict[tuple, dict] = {}
    for row in m["chimneys_by_functions"]:
        key = (row["from_function"], row["to_function"])
        agg = pairs.setdefault(
            key, {"cases": 0, "occurrences": 0, "case_ms": 0, "gap_ms": 0, "climbs": []}
        )
        for k in ("cases", "occurrences", "case_ms", "gap_ms"):
            agg[k] += row[k] or 0
        agg["climbs"].append(
            {k: row[k] for k in ("start_level", "cross_from_level", "end_level", "cases")}
        )
    roles: dict[tuple, set] = {}
    for row in m["chimney_roles"]:
        roles.setdefault((row["from_function"], row["to_function"]), set()).add(row["role_key"])
    for row in m["chimneys_by_pair"]:  # each case once per pair, with its median duration
        agg = pairs.get((row["from_function"], row["to_function"]))
        if agg is not None:
            agg.update(
                {k: row[k] for k in ("cases", "occurrences", "case_ms", "median_case_ms", "gap_ms")}
            )
    ranked = sorted(pairs.items(), key=lambda kv: (-kv[1]["cases"], kv[0]))[:top]
    for (a, c), agg in ranked:
        main = max(agg["climbs"], key=lambda x: x["cases"])
        up = main["cross_from_level"] - main["start_level"]
        down = main["cross_from_level"] - main["end_level"]
        how = (
            f"climbed {up} level{'s' if up != 1 else ''}"
            if up > 0
            else f"crossed at level {main['cross_from_level']} and descended {down}"
        )
        where, longer = b.cases_text(agg)
        b.add(
            CHIMNEY,
            b.severity(agg),
            f"{where} the work {how} to cross from {b.label(a)} to {b.label(c)}{longer}",
            [a, c],
            {
                **b.impact(agg),
                "from_function": a,
                "to_function": c,
                "climbs": agg["climbs"],
                "relay_time_ms": agg["gap_ms"],
                "relay_time": duration(agg["gap_ms"] / max(agg["occurrences"], 1)),
            },
            f"Let the people who do the work in {b.label(a)} and {b.label(c)} hand it over "
            "directly, keeping "
            "their managers informed instead of in the path.",
            f"{a}>{c}",
            {a, c, *roles.get((a, c), ())},
        )


def _ping_pong(b, m, top) -> None:
    rows = sorted(m["ping_pong_by_functions"], key=lambda r: (-r["cases"], r["function_a"]))
    for row in rows[:top]:
        a, c = row["function_a"], row["function_b"]
        where, longer = b.cases_text(row)
        b.add(
            PING_PONG,
            b.severity(row),
            f"{where} the work went back and forth between {b.label(a)} and {b.label(c)} "
            f"({row['occurrences']} returns){longer}",
            [a, c],
            {**b.impact(row), "functions": [a, c], "return_time_ms": row["gap_ms"]},
            f"Find what {b.label(a)} and {b.label(c)} keep asking each other for and give it "
            "up front: a "
            "complete request, or one role doing both parts.",
            f"{a}<>{c}",
        )


def _handoffs(b, m) -> None:
    kinds = {r["kind"]: r for r in m["handoffs_by_kind"]}
    up = [kinds[k] for k in ("vertical", "diagonal") if k in kinds]
    if not up:
        return
    counts = {k: kinds[k]["occurrences"] for k in kinds}
    biggest = max(up, key=lambda r: r["cases"])
    where, longer = b.cases_text(biggest)
    b.add(
        VERTICAL,
        b.severity(biggest, warn=False),
        f"{where} the work passed {biggest['kind']}ly between levels "
        f"({counts.get('vertical', 0)} vertical, {counts.get('diagonal', 0)} diagonal, "
        f"{counts.get('horizontal', 0)} horizontal handoffs in all){longer}",
        [],
        {
            **b.impact(biggest),
            "handoffs_by_kind": counts,
            "any_handoff": m["handoffs_any"][0] if m["handoffs_any"] else None,
        },
        "Give the front line the authority to finish the work; keep managers informed "
        "rather than in the flow.",
        "vertical",
        None,
    )


def _escalation(b, m) -> None:
    rows = m["levels"]
    cases = sum(r["cases"] for r in rows)
    if not cases or len({r["highest"] for r in rows}) < 2:
        return
    row = m["escalated"][0] if m["escalated"] else None
    if not row or not row["cases"]:
        return
    front = sum(r["cases"] for r in rows if r["highest"] == r["first_level"])
    where, longer = b.cases_text(row)
    b.add(
        ESCALATION,
        b.severity(row),
        f"{where} the work was escalated above the level that first took it; "
        f"{share(front, cases)} were finished at that level{longer}",
        [],
        {
            **b.impact(row),
            "finished_at_first_level": front,
            "cases_with_levels": cases,
            "by_levels": rows,
        },
        "Push knowledge and authority to the front: look at what the escalated cases "
        "needed and let the first line do it.",
        "escalation",
        None,
    )


def _rework(b, m, top) -> None:
    rows = sorted(
        (r for r in m["rework_by_activity"] if r["kind"] != "handover"),
        key=lambda r: (-r["cases"], r["activity"], r["kind"]),
    )
    for row in rows[:top]:
        what = "again by the same resource" if row["kind"] == "repeat" else "again by another"
        where, longer = b.cases_text(row)
        step = b.step_ids.get(row["activity"], row["activity"])
        b.add(
            REWORK,
            b.severity(row),
            f"{where} '{row['activity']}' was done {what} ({row['occurrences']} times){longer}",
            [step],
            {
                **b.impact(row),
                "activity": row["activity"],
                "kind": row["kind"],
                "loop_time_ms": row["gap_ms"],
            },
            f"Find why '{row['activity']}' is not right the first time and fix the input it gets.",
            f"{row['activity']}|{row['kind']}",
        )


def _waiting(b, m, has_starts, top) -> None:
    rows = [r for r in m["waiting_by_activity"] if r["wait_ms"]]
    total = sum(r["wait_ms"] for r in rows)
    for row in sorted(rows, key=lambda r: (-r["wait_ms"], r["activity"]))[:top]:
        step = b.step_ids.get(row["activity"], row["activity"])
        what = "waited" if has_starts else "waited (with the work, the log has no starts)"
        b.add(
            WAITING,
            Severity.info,
            f"'{row['activity']}' {what} a median of {duration(row['median_ms'])} before it "
            f"({row['events']} times): {share(row['wait_ms'], total)} of all waiting",
            [step],
            {
                "activity": row["activity"],
                "events": row["events"],
                "median_ms": row["median_ms"],
                "total_ms": row["wait_ms"],
                "share_of_waiting": round(row["wait_ms"] / total, 4),
            },
            f"Look at what '{row['activity']}' waits for: a queue, a batch, an approval.",
            row["activity"],
        )


def _states(b, m, top) -> None:
    by_activity: dict[str, dict] = {}
    for row in m["state_time"]:
        agg = by_activity.setdefault(row["activity"], {"ms": 0, "events": 0, "functions": {}})
        agg["ms"] += row["state_ms"]
        agg["events"] += row["events"]
        agg["functions"][b.label(row["function"])] = row["state_ms"]
    total = b.totals["duration_ms"]
    ranked = sorted(by_activity.items(), key=lambda kv: (-kv[1]["ms"], kv[0]))[:top]
    for activity, agg in ranked:
        functions = sorted(agg["functions"].items(), key=lambda kv: -kv[1])[:3]
        step = b.step_ids.get(activity, activity)
        b.add(
            STATE,
            Severity.info,
            f"cases spent {share(agg['ms'], total)} of their time after '{activity}' "
            f"({agg['events']} times), mostly in "
            + ", ".join(f"{f} ({share(ms, agg['ms'])})" for f, ms in functions),
            [step],
            {
                "activity": activity,
                "events": agg["events"],
                "time_ms": agg["ms"],
                "share_of_case_time": round(agg["ms"] / total, 4) if total else None,
                "by_function": dict(functions),
            },
            f"Check who puts cases in the state after '{activity}' and why; a clock that "
            "stops for the organisation keeps running for the customer.",
            activity,
        )


def _efficiency(b, m) -> None:
    row = m["cycle_efficiency"][0] if m["cycle_efficiency"] else None
    if not row or not row["cases"] or not row["duration_ms"]:
        return
    ratio = row["work_ms"] / row["duration_ms"]
    b.add(
        EFFICIENCY,
        Severity.warning if ratio < 0.25 else Severity.info,
        f"process cycle efficiency {ratio:.1%}: of {duration(row['duration_ms'] / row['cases'])}"
        f" mean lead time, {duration(row['work_ms'] / row['cases'])} is work "
        f"({row['cases']:,} cases with start events)",
        [],
        {
            "cycle_efficiency": round(ratio, 4),
            "cases": row["cases"],
            "work_ms": row["work_ms"],
            "lead_time_ms": row["duration_ms"],
            "median_case_efficiency": row["median_share"],
        },
        "Attack the waiting between the steps before speeding up the steps.",
        "pce",
    )


def _service(b, m, mining) -> None:
    row = m["service_first"][0] if m["service_first"] else None
    if row and row["cases"]:
        position = row["median_position"]
        b.add(
            LATE_SERVICE,
            Severity.warning if position and position >= 0.5 else Severity.info,
            f"customer service is involved in {share(row['cases'], b.totals['cases'])} of "
            f"cases, first at a median {position:.0%} of the way through the case "
            f"({row['median_time_position']:.0%} of its time)",
            [],
            {
                "cases": row["cases"],
                "median_position": position,
                "median_time_position": row["median_time_position"],
            },
            "Bring customer service in where the case starts, so it can prevent failures "
            "rather than apologise for them.",
            "service-first",
            _service_ids(mining),
        )
    for r in m["dumped_at_service"]:
        row = {"cases": r["cases"], "case_ms": r["case_ms"], "median_case_ms": r["median_case_ms"]}
        where, longer = b.cases_text(row)
        b.add(
            DUMPED,
            b.severity(row),
            f"{where} a failure in {b.label(r['function'])} ended at customer service{longer}",
            [r["function"]],
            {**b.impact(row), "function": r["function"], "failure_steps": mining.failures},
            f"Feed the failures back to {b.label(r['function'])} and fix them at the source.",
            f"dumped|{r['function']}",
            {r["function"], *_service_ids(mining)},
        )


def _service_ids(mining) -> set[str]:
    return {f.id for f in mining.actors.organisation.functions if f.kind.value == "service"}


def _unmapped(b, mining) -> None:
    actors = mining.actors
    unmapped = actors.unmapped
    if not unmapped:
        return
    names = ", ".join(f"{n} ({e})" for n, e in unmapped[:5])
    more = f" and {len(unmapped) - 5} more" if len(unmapped) > 5 else ""
    b.add(
        UNMAPPED,
        Severity.warning if actors.unmapped_share >= 0.05 else Severity.info,
        f"{len(unmapped)} resource{'s' if len(unmapped) != 1 else ''} covering "
        f"{actors.unmapped_share:.0%} of the events map to no role: {names}{more}",
        [],
        {
            "unmapped": dict(unmapped),
            "share_of_events": round(actors.unmapped_share, 4),
            "mapped_through": actors.source,
        },
        "Add them to the organisation file's people table (or give the log org:role).",
        "unmapped",
    )

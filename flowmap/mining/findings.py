"""Measures as findings, in the same contract as the rules' (``flowmap.rules.base.Finding``).

Each finding says what was measured, in how many of the cases, and how long those cases took
against all cases, as medians ("in 34% of 1,487 cases the work climbed 2 levels to cross from
Sales to Finance; those cases took a median of 6d 2h (all cases: 3d)"); its evidence holds the
numbers (and the mean difference against the other cases). Findings about a share of cases are
warnings when the share reaches ``threshold`` and their median case took longer than the median
of all cases; the rest is information. They are located in the log file (a log has no lines for a pattern of cases).
"""

from __future__ import annotations

from flowmap.mining.evidence import (
    CHIMNEY,
    DUMPED,
    EFFICIENCY,
    ESCALATION,
    LATE_SERVICE,
    PING_PONG,
    REWORK,
    STATE,
    UNMAPPED,
    VERTICAL,
    WAITING,
    Builder,
    duration,
    share,
)
from flowmap.rules.base import Finding, Severity


def findings(
    mining, step_ids: dict[str, str] | None = None, threshold: float = 0.05, top: int = 5
) -> list[Finding]:
    """The findings of a mining run, most important first within each measure."""
    b = Builder(mining, threshold, step_ids or {})
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

"""The discovered as-is process: a flowmap model of what the log shows.

Each step of the log becomes a step owned by the role that did it most often (the start and
the end are the customer's, flowmap's convention, noted on both); flows are the
directly-follows relation with the share of cases taking each (``probability``), and each step
carries its measured median waiting before it (``wait``) and, when the log has start events, its
median work (``work``). Rare flows (below ``min_share`` of their step's outgoing work) are left
out, except the most frequent way into and out of each step, so every step stays reachable. A
flow back to a step already on the way is marked ``rework``.

The result is an ordinary :class:`~flowmap.model.Process`: ``analyze``, ``render`` and
``report`` take it like any other once written with :func:`flowmap.writers.flow_yaml.dump`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from flowmap.model import FlowKind, Process

MINUTE_MS = 60_000


def discover(mining, min_share: float = 0.05) -> Process:
    from flowmap.loaders.ids import slug

    measures = mining.measures
    roles: dict[str, Counter] = defaultdict(Counter)
    counts: Counter = Counter()
    for row in measures["activities"]:
        counts[row["activity"]] += row["events"]
        if row["role_key"]:
            roles[row["activity"]][row["role_key"]] += row["events"]
    ids: dict[str, str] = {}
    used = {"start", "end"}
    for activity in sorted(counts, key=lambda a: (-counts[a], a)):
        base = slug(activity, 50) or "step"
        candidate, k = base, 2
        while candidate in used:
            candidate, k = f"{base}-{k}", k + 1
        used.add(candidate)
        ids[activity] = candidate
    waits = {r["activity"]: r["median_ms"] for r in measures["waiting_by_activity"]}
    works = {r["activity"]: r["median_ms"] for r in measures["work_by_activity"]}

    # The log names no one for a case's start and end; flowmap's convention (the template, the
    # library) is that a process starts with the customer's request and ends with the customer
    # receiving the result, so both are the customer's, and the notes say so.
    by_convention = (
        "owner: the customer, by flowmap's convention for a process's start and "
        "end (the log names no one for them)"
    )
    steps = [
        {
            "id": "start",
            "name": "Case starts",
            "kind": "start",
            "owner": "customer",
            "notes": by_convention,
        }
    ]
    for activity in sorted(counts, key=lambda a: (-counts[a], a)):
        step = {"id": ids[activity], "name": activity}
        owners = roles.get(activity)
        if owners:
            owner, times = owners.most_common(1)[0]
            step["owner"] = owner
            total = sum(owners.values())
            if times < total:
                others = ", ".join(f"{k} {v / total:.0%}" for k, v in owners.most_common(4)[1:])
                step["notes"] = f"also done by {others}"
        if waits.get(activity):
            step["wait"] = round(waits[activity] / MINUTE_MS, 2)
        if works.get(activity):
            step["work"] = round(works[activity] / MINUTE_MS, 2)
        steps.append(step)
    steps.append(
        {
            "id": "end",
            "name": "Case ends",
            "kind": "end",
            "owner": "customer",
            "notes": by_convention,
        }
    )

    out: dict[str, Counter] = defaultdict(Counter)
    for row in measures["follows"]:
        source = ids.get(row["source"], "start") if row["source"] else "start"
        target = ids.get(row["target"], "end") if row["target"] else "end"
        out[source][target] += row["times"]
    into: dict[str, Counter] = defaultdict(Counter)
    for source, targets in out.items():
        for target, times in targets.items():
            into[target][source] += times
    keep = set()
    for source, targets in out.items():
        total = sum(targets.values())
        keep.update((source, t) for t, n in targets.items() if n / total >= min_share)
        keep.add((source, targets.most_common(1)[0][0]))
    for target, sources in into.items():
        keep.add((sources.most_common(1)[0][0], target))
    flows = []
    for source in sorted(out, key=lambda s: (s != "start", s)):
        kept = {t: n for t, n in out[source].items() if (source, t) in keep}
        total = sum(kept.values())
        for target, times in sorted(kept.items(), key=lambda kv: (-kv[1], kv[0])):
            flow = {"from": source, "to": target}
            if len(kept) > 1:
                flow["probability"] = round(times / total, 3)
            flows.append(flow)
    _fix_rounding(flows)

    totals = mining.totals
    name = Path(mining.log.source).name
    process = Process.model_validate(
        {
            "process": {
                "id": slug(name.split(".")[0], 50) or "discovered",
                "status": "as-is",
                "name": f"As-is process discovered from {name}",
                "description": (
                    f"Discovered by flowmap mine from {totals['cases']} cases and "
                    f"{totals['events']} events. Step times are medians measured in "
                    "the log; flow probabilities are the measured shares of the work "
                    f"leaving each step (flows below {min_share:.0%} left out)."
                ),
                "sources": [mining.log.source],
            },
            "organisation": mining.actors.organisation,
            "steps": steps,
            "flows": flows,
        }
    )
    return _mark_rework(process)


def _fix_rounding(flows: list[dict]) -> None:
    """Make the rounded probabilities of each step's flows add up to exactly 1."""
    by_source: dict[str, list[dict]] = defaultdict(list)
    for flow in flows:
        if "probability" in flow:
            by_source[flow["from"]].append(flow)
    for group in by_source.values():
        drift = round(1.0 - sum(f["probability"] for f in group), 3)
        if drift:
            group[0]["probability"] = round(group[0]["probability"] + drift, 3)


def _mark_rework(process: Process) -> Process:
    from flowmap.graph import ProcessGraph

    back = ProcessGraph(process).back_flows
    if not back:
        return process
    data = process.model_dump(by_alias=True, exclude_defaults=True)
    for flow in data["flows"]:
        if flow["id"] in back:
            flow["kind"] = FlowKind.rework.value
        flow.pop("id")
    return Process.model_validate(data)

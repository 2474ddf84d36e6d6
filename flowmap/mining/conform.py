"""Conformance: how the work in a log followed (or did not follow) a model.

The log's steps are matched to the model's steps by name or id (case and spacing aside). Each
directly-follows transition of the log is replayed on the model: it fits when the model has a
way from the first step to the second through steps the log never names (decisions, events);
a case's start fits when the model can start there, its end when the model can end there.
*Fitness* is the share of the log's transitions that fit. Deviations become findings located at
the model's elements (YAML lines, or BPMN element ids):

* CNF001 the log has a step the model lacks;       * CNF002 a model step the log never shows;
* CNF003 work went where the model has no way;      * CNF004 a step done by another role;
* CNF005 modelled and measured times differ;        * CNF006 modelled and measured branch shares.

:func:`calibrate` writes the measured times and branch shares into the model, each step's
note saying where its figures came from.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from flowmap import digraph
from flowmap.model import Process
from flowmap.rules.base import Family, Finding, Severity

MINUTE_MS = 60_000
_SPACE = re.compile(r"[\s_\-]+")


def _key(name: str) -> str:
    return _SPACE.sub(" ", name or "").strip().lower()


class Replay:
    """The log replayed on a model: matches, transitions, and the measured figures per step."""

    def __init__(self, process: Process, mining):
        from flowmap.graph import ProcessGraph

        self.process, self.mining = process, mining
        self.graph = ProcessGraph(process)
        names = {}
        for step in process.steps:
            names.setdefault(_key(step.id), step.id)
            if step.name:
                names.setdefault(_key(step.name), step.id)
        self.events: Counter = Counter()
        self.roles: dict[str, Counter] = defaultdict(Counter)
        for row in mining.measures["activities"]:
            self.events[row["activity"]] += row["events"]
            self.roles[row["activity"]][row["role_key"]] += row["events"]
        self.match = {a: names[_key(a)] for a in self.events if _key(a) in names}
        self.follows = mining.measures["follows"]
        self.reach = {s: self._next_matched(s) for s in self.graph.steps}
        for a, b in self._concurrent():
            self.reach[a].add(b)
        entries = set()
        for entry in self.graph.entries:
            entries |= self.reach[entry] | ({entry} & self.matched_steps)
        self.entries = entries
        ends = set(self.graph.ends)
        self.finals = {s for s in self.graph.steps if s in ends or self._reaches_end(s, ends)}

    @property
    def matched_steps(self) -> set[str]:
        return set(self.match.values())

    def _next_matched(self, step: str) -> set[str]:
        """Matched steps reachable from ``step`` through steps the log never names."""
        found, seen, stack = set(), {step}, [step]
        matched = self.matched_steps
        while stack:
            for nxt in self.graph.flow.successors(stack.pop()):
                if nxt in matched:
                    found.add(nxt)
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return found

    def _concurrent(self) -> set[tuple[str, str]]:
        """Pairs of matched steps on different branches of a parallel (or inclusive) split:
        the log may show them in either order (BPMN's parallel gateway), so each may directly
        follow the other. A branch's own steps are those it reaches (without passing the split
        again, as a loop back would) that not every branch reaches (what all reach is the join
        and after)."""
        from flowmap.branching import SplitKind

        pairs: set[tuple[str, str]] = set()
        matched = self.matched_steps
        for step_id in self.graph.steps:
            split = self.graph.split(step_id)
            if split.kind not in (SplitKind.parallel, SplitKind.inclusive) or len(split.shares) < 2:
                continue
            reached = []

            def beyond(n: str, s: str = step_id) -> list[str]:  # the graph without the split
                return [m for m in self.graph.flow.successors(n) if m != s]

            for flow_id in split.shares:
                target = self.graph.flows[flow_id].target
                reached.append(digraph.reached_from(beyond, [target]))
            common = set.intersection(*reached)
            own = [(r - common) & matched for r in reached]
            for i, mine in enumerate(own):
                for j, theirs in enumerate(own):
                    if i != j:
                        pairs.update((a, b) for a in mine for b in theirs)
        return pairs

    def _reaches_end(self, step: str, ends: set[str]) -> bool:
        seen, stack = {step}, [step]
        matched = self.matched_steps
        while stack:
            for nxt in self.graph.flow.successors(stack.pop()):
                if nxt in ends:
                    return True
                if nxt not in seen and nxt not in matched:
                    seen.add(nxt)
                    stack.append(nxt)
        return False

    def fits(self, source: str, target: str) -> bool | None:
        """Whether a log transition ('' = case start or end) fits; None if a step is unknown."""
        if (source and source not in self.match) or (target and target not in self.match):
            return None
        if not source:
            return self.match[target] in self.entries
        if not target:
            return self.match[source] in self.finals
        return self.match[target] in self.reach[self.match[source]]

    def fitness(self) -> float | None:
        total = fitting = 0
        for row in self.follows:
            verdict = self.fits(row["source"], row["target"])
            total += row["times"]
            fitting += row["times"] if verdict else 0
        return fitting / total if total else None


CODES = {
    "CNF001": ("activity-not-in-model", Family.structure),
    "CNF002": ("step-not-in-log", Family.structure),
    "CNF003": ("transition-not-in-model", Family.structure),
    "CNF004": ("done-by-another-role", Family.smokestack),
    "CNF005": ("time-differs", Family.value),
    "CNF006": ("branch-share-differs", Family.structure),
}
WHY = {
    "CNF001": "Work the model does not show is work nobody designed, measures or improves.",
    "CNF002": "A step nobody does is either done off the record or not needed.",
    "CNF003": "Where work goes off the model, the model no longer describes the process.",
    "CNF004": "A step done by another role than its owner hides a handoff the model lacks.",
    "CNF005": "Decisions taken on modelled times go wrong when the times are not the real ones.",
    "CNF006": "Branch shares decide where redesign pays; wrong shares point at the wrong place.",
}


def conform(
    process: Process, mining, *, time_factor: float = 2.0, share_gap: float = 0.15
) -> tuple[list[Finding], dict]:
    """Findings located at the model's elements, and figures (fitness, matched steps...)."""
    from flowmap import formatting

    replay = Replay(process, mining)
    found: list[Finding] = []

    def add(code, severity, message, elements, evidence, suggestion, where=None):
        name, family = CODES[code]
        location = where or (
            process.locate("step", elements[0]) if elements else process.locate("process")
        )
        found.append(
            Finding(
                code=code,
                name=name,
                family=family,
                severity=severity,
                message=message,
                elements=tuple(elements),
                location=location,
                evidence=evidence,
                why=WHY[code],
                suggestion=suggestion,
            )
        )

    cases = mining.totals["cases"]
    for activity, events in sorted(replay.events.items(), key=lambda kv: (-kv[1], kv[0])):
        if activity not in replay.match:
            add(
                "CNF001",
                Severity.warning,
                f"the log has '{activity}' ({events} events) but the model has no such step",
                [],
                {"activity": activity, "events": events},
                f"Add a step '{activity}' where the work does it, or find out why it is done.",
            )
    seen = set(replay.match.values())
    for step in process.steps:
        if step.kind.value == "task" and step.id not in seen:
            add(
                "CNF002",
                Severity.info,
                f"step '{step.label}' never appears in the log ({cases:,} cases)",
                [step.id],
                {"cases": cases},
                "Check whether the step is done off the record, or remove it.",
            )
    out_total: Counter = Counter()
    for row in replay.follows:
        out_total[row["source"]] += row["times"]
    measured: dict[tuple[str, str], int] = {}
    for row in sorted(replay.follows, key=lambda r: (-r["times"], r["source"], r["target"])):
        verdict = replay.fits(row["source"], row["target"])
        source, target = row["source"], row["target"]
        if source and target and source in replay.match and target in replay.match:
            key = (replay.match[source], replay.match[target])
            measured[key] = measured.get(key, 0) + row["times"]
        if verdict is False:
            share = row["times"] / out_total[source]
            what = (
                f"cases started with '{target}'"
                if not source
                else f"cases ended after '{source}'"
                if not target
                else f"'{source}' was followed by '{target}'"
            )
            element = replay.match[source or target]
            add(
                "CNF003",
                Severity.warning if share >= 0.05 else Severity.info,
                f"{what} {row['times']} times ({formatting.share(share)} of its work); the "
                "model has no such way",
                [element],
                {
                    "source": source,
                    "target": target,
                    "times": row["times"],
                    "share": round(share, 4),
                },
                "Add the flow the work takes, or find out why it leaves the designed way.",
            )
    for activity, step_id in sorted(replay.match.items()):
        step = replay.graph.steps[step_id]
        roles = replay.roles[activity]
        total = sum(roles.values())
        if step.owner and total:
            own = roles.get(step.owner, 0)
            others = [(r, n) for r, n in roles.items() if r not in (step.owner, None)]
            other, times = max(others, key=lambda rn: rn[1]) if others else (None, 0)
            if times and times / total >= 0.2:
                add(
                    "CNF004",
                    Severity.warning,
                    f"'{step.label}' is owned by {step.owner} but "
                    f"{formatting.share(times / total)} of its events were done by "
                    f"{other} ({formatting.share(own / total)} by "
                    "its owner)",
                    [step_id],
                    {"owner": step.owner, "by_role": {str(k): v for k, v in roles.items()}},
                    "Make the owner the role that does the work, or move the work to it.",
                )
    waits = {r["activity"]: r["median_ms"] for r in mining.measures["waiting_by_activity"]}
    works = {r["activity"]: r["median_ms"] for r in mining.measures["work_by_activity"]}
    for activity, step_id in sorted(replay.match.items()):
        step = replay.graph.steps[step_id]
        for field, figures in (("wait", waits), ("work", works)):
            model, real = getattr(step, field), figures.get(activity)
            if model and real is not None:
                real_minutes = real / MINUTE_MS
                if not (model / time_factor <= real_minutes <= model * time_factor):
                    add(
                        "CNF005",
                        Severity.info,
                        f"'{step.label}': {field} modelled as "
                        f"{formatting.duration(model)}, measured median "
                        f"{formatting.duration(real_minutes)}",
                        [step_id],
                        {
                            "field": field,
                            "modelled_minutes": model,
                            "measured_minutes": round(real_minutes, 2),
                        },
                        "Calibrate the model with the measured times "
                        "(flowmap conform --calibrate -o FILE).",
                    )
    from flowmap.branching import SplitKind

    modelled = replay.graph.flow_probability
    activity_of = {s: a for a, s in replay.match.items()}
    for flow in process.flows:
        if flow.id not in modelled or len(list(replay.graph.flow.successors(flow.source))) < 2:
            continue
        if replay.graph.split(flow.source).kind == SplitKind.parallel:
            continue  # every case takes every branch: no share to compare
        # the branch is measured from the last step the log names before it (the decision's
        # own step, or the one step leading into it) to the steps the log names after it
        anchors = (
            [flow.source]
            if flow.source in seen
            else [p for p in replay.graph.flow.predecessors(flow.source) if p in seen]
        )
        if len(anchors) != 1:
            continue
        activity = activity_of[anchors[0]]
        leaving = out_total.get(activity, 0)
        if not leaving:
            continue
        targets = {flow.target} if flow.target in seen else replay.reach[flow.target]
        share = sum(measured.get((anchors[0], t), 0) for t in targets) / leaving
        if abs(share - modelled[flow.id]) >= share_gap:
            add(
                "CNF006",
                Severity.info,
                f"flow {flow.source} -> {flow.target}: modelled "
                f"{formatting.share(modelled[flow.id])}, measured {formatting.share(share)} of "
                f"the work leaving '{activity}'",
                [flow.id],
                {"modelled": round(modelled[flow.id], 4), "measured": round(share, 4)},
                "Calibrate the branch shares (flowmap conform --calibrate -o FILE).",
                where=process.locate("flow", flow.id),
            )
    tasks = {s.id for s in process.steps if s.kind.value == "task"}
    figures = {
        "fitness": None if replay.fitness() is None else round(replay.fitness(), 4),
        # of the model's tasks, those a log activity names ("3 of 1 tasks matched"
        # counted the events and decisions an activity matched too)
        "matched_steps": len(seen & tasks),
        "model_tasks": len(tasks),
        "log_activities": len(replay.events),
        "unmatched_activities": len(replay.events) - len(replay.match),
    }
    return found, figures


def calibrate(process: Process, mining, source: str) -> Process:
    """The model with the measured median times and branch shares, each marked as measured."""
    replay = Replay(process, mining)
    waits = {r["activity"]: r["median_ms"] for r in mining.measures["waiting_by_activity"]}
    works = {r["activity"]: r["median_ms"] for r in mining.measures["work_by_activity"]}
    data = process.model_dump(by_alias=True, exclude_defaults=True)
    by_step = {s: a for a, s in replay.match.items()}
    out_total: Counter = Counter()
    pairs: Counter = Counter()
    for row in replay.follows:
        out_total[row["source"]] += row["times"]
        if row["source"] in replay.match and row["target"] in replay.match:
            pairs[(replay.match[row["source"]], replay.match[row["target"]])] += row["times"]
    for step in data["steps"]:
        activity = by_step.get(step["id"])
        if activity is None:
            continue
        said = []
        if waits.get(activity) is not None:
            step["wait"] = round(waits[activity] / MINUTE_MS, 2)
            said.append("wait")
        if works.get(activity) is not None:
            step["work"] = round(works[activity] / MINUTE_MS, 2)
            said.append("work")
        if said:
            note = (
                f"{' and '.join(said)}: median measured in {source} "
                f"({replay.events[activity]} events)"
            )
            step["notes"] = f"{step['notes']}; {note}" if step.get("notes") else note
    graph = replay.graph
    for flow in data["flows"]:
        source_activity = by_step.get(flow["from"])
        if (
            source_activity
            and len(list(graph.flow.successors(flow["from"]))) > 1
            and out_total.get(source_activity)
        ):
            flow["probability"] = round(
                pairs[(flow["from"], flow["to"])] / out_total[source_activity], 3
            )
    info = data["process"]
    info["sources"] = [*info.get("sources", []), source]
    note = (
        f"Times and branch probabilities calibrated from {source} "
        f"({mining.totals['cases']} cases) by flowmap conform."
    )
    info["description"] = f"{info['description']} {note}" if info.get("description") else note
    calibrated = Process.model_validate(data)
    return calibrated

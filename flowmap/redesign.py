"""Apply the redesigns that rules propose (``flowmap analyze --fix``).

Each finding may carry a :class:`~flowmap.rules.base.Fix`: a description and a list of
:class:`~flowmap.rules.base.Edit`. Fixes are applied one finding at a time, in the order of the
findings; a fix whose edits no longer apply (a step an earlier fix removed) or that would leave
the process broken (an unreachable step, a dangling flow) is skipped and reported, never applied
half-way. Pure: a process in, a new process out.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from flowmap.model import Process, Status
from flowmap.rules.base import Edit, Finding


class _Conflict(Exception):
    pass


@dataclass
class Redesign:
    process: Process
    applied: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def redesign(process: Process, findings: list[Finding]) -> Redesign:
    from flowmap import integrity

    data = process.model_dump(by_alias=True, mode="json")
    for flow, written in zip(process.flows, data["flows"], strict=True):
        if flow.generated:  # not part of the data model's dump, but of the process
            written["generated"] = True
    result = Redesign(process)
    stranded = {(i.code, i.element) for i in integrity.unreachable(process)}
    for finding in findings:
        if finding.fix is None:
            continue
        trial = copy.deepcopy(data)
        label = f"{finding.code} {finding.fix.description}"
        try:
            for edit in finding.fix.edits:
                apply_edit(trial, edit)
            candidate = Process.model_validate(trial)
        except (_Conflict, ValueError) as exc:
            result.skipped.append(f"{label} ({exc})")
            continue
        # A redesign may not break the process, nor strand a step the process reached before.
        broken = list(integrity.check(candidate)) + [
            i for i in integrity.unreachable(candidate) if (i.code, i.element) not in stranded
        ]
        if broken:
            result.skipped.append(
                f"{label} (it would leave the process broken: {broken[0].message})"
            )
            continue
        data = trial
        result.applied.append(label)
    if result.applied:
        data["process"]["status"] = Status.to_be.value
    result.process = Process.model_validate(data)
    if process.path:
        result.process.with_source(process.path, {})
    return result


def _step_index(data: dict, step_id: str) -> int:
    for i, step in enumerate(data["steps"]):
        if step["id"] == step_id:
            return i
    raise _Conflict(f"step {step_id!r} is no longer there")


def _add_flow(data: dict, source: str, target: str, at: int | None = None, **extra) -> None:
    """Add a flow (at position ``at`` of the list, so a redesign reads in the original order)."""
    if source == target:
        return
    if any(f["from"] == source and f["to"] == target for f in data["flows"]):
        return
    flow = {"from": source, "to": target}
    flow.update({k: v for k, v in extra.items() if v not in (None, "", "normal")})
    data["flows"].insert(len(data["flows"]) if at is None else at, flow)
    _renumber(data)


def _renumber(data: dict) -> None:
    """Derived flow ids (``from->to``) follow their ends; ids given by a person or a BPMN
    file are kept."""
    seen: dict[str, int] = {}
    for flow in data["flows"]:
        if flow.get("id") and "->" not in flow["id"]:
            continue
        base = f"{flow['from']}->{flow['to']}"
        seen[base] = seen.get(base, 0) + 1
        flow["id"] = base if seen[base] == 1 else f"{base}#{seen[base]}"


def apply_edit(data: dict, edit: Edit) -> None:
    """Make one redesign edit on a process's data, as a person would (removing a step links its
    predecessors to its successors)."""
    op = edit.op
    if op == "remove-step":
        index = _step_index(data, edit.step)
        incoming = [f for f in data["flows"] if f["to"] == edit.step and f["from"] != edit.step]
        outgoing = [f for f in data["flows"] if f["from"] == edit.step and f["to"] != edit.step]
        touching = [i for i, f in enumerate(data["flows"]) if edit.step in (f["from"], f["to"])]
        at = touching[0] if touching else None
        data["flows"] = [f for f in data["flows"] if edit.step not in (f["from"], f["to"])]
        del data["steps"][index]
        for measure in data.get("measures", []):
            if edit.step in measure.get("steps", []):
                measure["steps"] = [s for s in measure["steps"] if s != edit.step]
        for a in incoming:
            for b in outgoing:
                before = len(data["flows"])
                _add_flow(
                    data,
                    a["from"],
                    b["to"],
                    at=at,
                    kind=a.get("kind"),
                    label=a.get("label"),
                    probability=a.get("probability"),
                )
                if at is not None and len(data["flows"]) > before:
                    at += 1
        _renumber(data)
    elif op == "add-flow":
        _step_index(data, edit.source)
        _step_index(data, edit.target)
        _add_flow(data, edit.source, edit.target, kind=edit.kind, label=edit.label)
    elif op == "remove-flow":
        before = len(data["flows"])
        data["flows"] = [f for f in data["flows"] if f["id"] != edit.flow]
        if len(data["flows"]) == before:
            raise _Conflict(f"flow {edit.flow!r} is no longer there")
        _renumber(data)
    elif op == "set-step":
        step = data["steps"][_step_index(data, edit.step)]
        step.update(edit.fields)
    elif op == "add-step":
        new = dict(edit.fields)
        if any(s["id"] == new["id"] for s in data["steps"]):
            raise _Conflict(f"step {new['id']!r} exists already")
        position = len(data["steps"])
        if edit.after:
            position = _step_index(data, edit.after) + 1
        data["steps"].insert(position, new)
        if edit.after and edit.before:
            data["flows"] = [
                f for f in data["flows"] if not (f["from"] == edit.after and f["to"] == edit.before)
            ]
        at = next(
            (
                i
                for i, f in enumerate(data["flows"])
                if f["from"] == edit.after or f["to"] == edit.before
            ),
            None,
        )
        if edit.after:
            _add_flow(data, edit.after, new["id"], at=at, kind=edit.kind, label=edit.label)
            at = None if at is None else at + 1
        if edit.before:
            _add_flow(data, new["id"], edit.before, at=at)
        _renumber(data)
    elif op == "add-measure":
        if any(m["id"] == edit.fields["id"] for m in data["measures"]):
            raise _Conflict(f"measure {edit.fields['id']!r} exists already")
        data["measures"].append(dict(edit.fields))
    else:
        raise _Conflict(f"unknown edit {op!r}")

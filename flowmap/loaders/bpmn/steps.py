"""Stage 5 of the BPMN loader: flow nodes become steps.

Every flow node is a step whose id is the BPMN id (changed only when it does not fit flowmap's id
pattern; a warning names the first change), owned by the role of its lane. A boundary event that
is in no lane takes the owner of the activity it is attached to. The step's kind follows the BPMN
element (``flowmap:kind`` overrides it); ``flowmap:`` attributes give value, purposes, times and
the like; data objects and stores an activity reads or writes become its ``data`` and
``systems``; documentation and associated text annotations become its notes.

Read from names, and recorded as inferred: the purposes of an activity ("Rechnung freigeben" is
an approval, "Check documents" an inspection; :func:`flowmap.inference.purposes`) unless
``flowmap:purpose`` states them; and the lane of a node placed by the diagram.
"""

from __future__ import annotations

import sys
from typing import Any, cast

from flowmap import inference
from flowmap.loaders.bpmn.elements import GATEWAYS, SUBPROCESSES, TASKS, Node
from flowmap.loaders.bpmn.events import Semantics
from flowmap.loaders.bpmn.organisation import OrgDraft
from flowmap.loaders.bpmn.records import Records
from flowmap.loaders.bpmn.xml import (
    FM,
    clean,
    documentation,
    flowmap_extensions,
    ignore_codes,
    local_name,
)
from flowmap.loaders.ids import sanitise_id
from flowmap.model import STEP_ID_RE, Purpose, StepKind, Value, parse_duration

_PURPOSES = frozenset(p.value for p in Purpose)
_ACTIVITIES = frozenset({StepKind.task.value, StepKind.subprocess.value})
# Purposes read from an activity's name. Others (sale, delivery, payment, compensation...) are
# left to the modeller: "Create purchase order" is not a sale, "Reimburse expenses" is no
# compensation of a failure.
_READ_FROM_NAMES = frozenset(
    {
        Purpose.approval,
        Purpose.inspection,
        Purpose.re_entry,
        Purpose.rework,
        Purpose.feedback,
        Purpose.complaint,
        Purpose.escalation,
        Purpose.chasing,
    }
)
_VALUES = frozenset(Value.__members__)
# Imixs-Workflow draws a process as states (tasks) and the actions users take on them (catch
# events carrying imixs:activityid: "Submit", "Approve", "Save"): an action, not a wait.
_IMIXS_ACTION = "{http://www.imixs.org/bpmn2}activityid"
# Task types a BPMN engine runs without a person: a system does the work. (A sendTask or a
# receiveTask may be a person's; a businessRuleTask often only looks something up, 'Get line
# manager', so it is not read as a check.)
AUTOMATED = frozenset({"serviceTask", "scriptTask", "businessRuleTask"})


class StepIds:
    """BPMN id -> step id; an id that does not fit flowmap's pattern gets a sanitised one."""

    def __init__(self):
        self.of: dict[str, str] = {}
        self.renamed: list[tuple[str, str]] = []
        self._taken: set[str] = set()
        self._raw: dict[str, str] | None = None

    def __call__(self, raw: str) -> str:
        if raw in self.of:
            return self.of[raw]
        new = raw if STEP_ID_RE.match(raw) and len(raw) <= 200 else sanitise_id(raw, dots=True)
        taken = self._taken
        if new in taken:
            base, n = new, 1
            while new in taken:
                n += 1
                new = f"{base}_{n}"
        if new != raw:
            self.renamed.append((raw, new))
        self.of[raw] = new
        taken.add(new)
        self._raw = None
        return new

    def __contains__(self, raw: object) -> bool:
        return raw in self.of

    def raw(self, step_id: str) -> str:
        """The BPMN id a step id was made from."""
        if self._raw is None:
            self._raw = {v: k for k, v in self.of.items()}
        return self._raw.get(step_id, step_id)


def is_synthetic(records: Records, element) -> bool:
    """An element flowmap's writer added only because BPMN needs it (start, end, gateway...)."""
    return records.exported and element.get(FM + "synthetic") == "true"


def read_steps(
    records: Records, org: OrgDraft, ids: StepIds, semantics: Semantics | None = None
) -> list[dict[str, Any]]:
    """One step per flow node (synthetic nodes of files flowmap wrote are left out)."""
    semantics = semantics or Semantics()
    r = records
    notes_for: dict[str, list[str]] = {}
    for source, target in r.associations:
        for node_id, note_id in ((source, target), (target, source)):
            if note_id in r.annotations and node_id in r.nodes and r.annotations[note_id]:
                notes_for.setdefault(node_id, []).append(r.annotations[note_id])
    steps = []
    # ids first, so that renamed ids never collide with ids that come later in the file
    for node in r.nodes.values():
        if not is_synthetic(r, node.element):
            ids(node.id)
    owners = org.owners
    for node in r.nodes.values():
        if is_synthetic(r, node.element):
            continue
        lane_owner = owners.get(node.lane.id) if node.lane is not None else None
        if lane_owner is None and (node.lane is None and not node.pool.lanes):
            lane_owner = owners.get(node.pool.id, "")
        if node.lane is None and node.pool.lanes and node.local == "boundaryEvent":
            lane_owner = None  # it takes the owner of the activity it is attached to
        # Interned: the steps of a lane share one owner string (22,000 steps, 16 owners; the
        # graph's roles are looked up by it and match by identity).
        owner = sys.intern(org.owner(lane_owner or ""))
        step = _step(r, node, ids.of[node.id], owner, notes_for.get(node.id, []))
        if org.declared is not None and org.declared.fallback:
            place = node.lane.id if node.lane is not None else node.pool.id
            if place in org.declared.fallback:
                org.infer(step["id"], "owner", step["owner"], org.declared.fallback[place])
        if node.element.get(FM + "kind") is None:
            _event_kind(org, node, step, semantics)
            if (
                step["kind"] == StepKind.wait.value
                and node.element.get(_IMIXS_ACTION) is not None
                and "timer" not in node.events
            ):
                step["kind"] = StepKind.event.value
                org.infer(
                    step["id"],
                    "kind",
                    "event",
                    f"event '{step['name'] or step['id']}' is an Imixs workflow action "
                    "(imixs:activityid): what a user does on a state, not a wait",
                )
        if not r.exported and "purpose" not in step and step["kind"] in _ACTIVITIES:
            _purposes(org, step)
        if not r.exported and node.local in AUTOMATED and node.element.get(FM + "kind") is None:
            _automated(org, node, step)
        steps.append(step)
    owner_of = {s["id"]: s["owner"] for s in steps} if r.by_geometry else {}
    for node, lane in r.by_geometry:
        sid = ids.of.get(node.id)
        if sid is not None:
            owner = owner_of.get(sid, "")
            org.infer(
                sid,
                "owner",
                owner,
                f"step {sid!r} is in lane '{lane.name or lane.id}' by "
                "where the diagram draws it (the lane does not list "
                "it)",
            )
    by_id = {s["id"]: s for s in steps}
    if not r.exported:
        _notifying_parts(r, org, ids, by_id)
    for node in r.nodes.values():
        if node.local == "boundaryEvent" and not by_id.get(ids.of.get(node.id), {}).get("owner"):
            host = r.resolve(node.element.get("attachedToRef"))
            if host in ids.of and ids.of[host] in by_id:
                by_id[ids.of[node.id]]["owner"] = by_id[ids.of[host]]["owner"]
    return steps


def _event_kind(org: OrgDraft, node: Node, step: dict[str, Any], semantics: Semantics) -> None:
    """Joins are not decisions; a link event to or from another model is an end or a start."""
    name = step["name"] or node.id
    if node.id in semantics.joins:
        step["kind"] = StepKind.event.value
    elif node.id in semantics.exits:
        step["kind"] = StepKind.end.value
        org.infer(
            step["id"],
            "kind",
            "end",
            f"link event '{name}' has no catch event in this "
            "model: read as an end (the work goes on in "
            "another one)",
        )
    elif node.id in semantics.entries:
        step["kind"] = StepKind.start.value
        org.infer(
            step["id"],
            "kind",
            "start",
            f"link event '{name}' has no throw event in this "
            "model: read as a start (the work comes from "
            "another one)",
        )


def _purposes(org: OrgDraft, step: dict[str, Any]) -> None:
    """The purposes an activity's name names, recorded as inferred: only those a name says
    plainly ("Approve", "Rechnung prüfen", "Send survey"); a step that tells someone about an
    approval, cancels a check or records its status ("Notify about approval", "Cancel SSI
    review", "Zet interne status: Goedkeuring") is not one."""
    found = inference.purposes(step["name"]) if step["name"] else []
    aside = found and inference.not_the_check(step["name"]) is not None
    found = [
        match
        for match in found
        if match.value in _READ_FROM_NAMES
        and not (aside and match.value in (Purpose.approval, Purpose.inspection))
    ]
    if not found:
        return
    step["purpose"] = [cast(Purpose, match.value).value for match in found]
    for match in found:
        org.infer(
            step["id"],
            "purpose",
            cast(Purpose, match.value).value,
            match.reason(f"purpose of step '{step['name']}'"),
        )


def _notifying_parts(
    r: Records, org: OrgDraft, ids: StepIds, by_id: dict[str, dict[str, Any]]
) -> None:
    """The activities inside a sub-process whose name says it notifies ('Waku Message: Notify
    Finance') are parts of that notification (getting the addressee, setting the message...):
    their purpose is notification, recorded as inferred, unless they state or name one."""
    for node in r.nodes.values():
        container = by_id.get(ids.of.get(node.container or "", ""))
        step = by_id.get(ids.of.get(node.id, ""))
        if (
            container is None
            or step is None
            or step["kind"] not in _ACTIVITIES
            or step.get("purpose")
            or inference.has_purpose(container["name"], Purpose.notification) is None
        ):
            continue
        step["purpose"] = [Purpose.notification.value]
        org.infer(
            step["id"],
            "purpose",
            Purpose.notification.value,
            f"purpose of step '{step['name'] or step['id']}' = notification (a part of "
            f"the sub-process '{container['name']}', which notifies)",
        )


def _automated(org: OrgDraft, node: Node, step: dict[str, Any]) -> None:
    """A service, script or business-rule task is done by a system, not a person: recorded as
    inferred (field ``automated``)."""
    org.infer(
        step["id"],
        "automated",
        "true",
        f"step '{step['name'] or step['id']}' is a BPMN "
        f"{node.local}: a system does it, not a person",
    )


def _step(r: Records, node: Node, sid: str, owner: str, annotations: list[str]) -> dict[str, Any]:
    element = node.element
    raw_name = element.get("name") or ""
    name = raw_name.strip() if r.exported else clean(raw_name)
    if element.get(FM + "unnamed") == "true":
        name = ""
    step: dict[str, Any] = {"id": sid, "name": name, "owner": owner, "kind": _kind(r, node).value}
    if any(key.startswith(FM) for key in element.attrib):  # most modelers write none
        _attributes(r, element, sid, step)
    extensions, has_data, has_docs = [], False, False
    for child in element:  # one look at the children: most have only incoming/outgoing
        local = local_name(child.tag)
        if local == "extensionElements":
            extensions = flowmap_extensions(element)
        elif local in ("dataInputAssociation", "dataOutputAssociation"):
            has_data = True
        elif local == "documentation":
            has_docs = True
    # flowmap's own entries are kept as written (a repeated entry too); data objects and stores
    # drawn in a modeller add what they do not already name.
    written = [(local_name(e.tag), (e.text or "").strip()) for e in extensions]
    systems = [text for tag, text in written if tag == "system" and text]
    data = [text for tag, text in written if tag == "data" and text]
    if has_data:
        for _, kind, label in r.data_of(element):
            listed = systems if kind == "systems" else data
            if label and label not in listed:
                listed.append(label)
    if systems:
        step["systems"] = systems
    if data:
        step["data"] = data
    notes = ([documentation(element, r.exported)] if has_docs else []) + annotations
    text = "\n".join(n for n in notes if n)
    if text:
        step["notes"] = text
    ignore = ignore_codes(extensions) if extensions else {}
    if ignore:
        step["ignore"] = ignore
    r.locations.defer(f"step:{sid}", element)
    if r.exported:
        step["_order"] = r.order(element)
    return step


def _attributes(r: Records, element, sid: str, step: dict[str, Any]) -> None:
    """The ``flowmap:`` attributes of a flow node, checked, into ``step``."""
    value = element.get(FM + "value")
    if value is not None:
        if value in _VALUES:
            step["value"] = value
        else:
            r.error(
                element,
                f"flowmap:value {value!r} on {sid!r} is not a value",
                "write customer, business or none",
                "invalid-value",
                sid,
            )
    purposes = element.get(FM + "purpose", "").split()
    for purpose in purposes:
        if purpose not in _PURPOSES:
            r.error(
                element,
                f"flowmap:purpose {purpose!r} on {sid!r} is not a purpose",
                f"write some of: {', '.join(sorted(_PURPOSES))}",
                "invalid-value",
                sid,
            )
    if purposes:
        step["purpose"] = purposes
    if element.get(FM + "channel") is not None:
        step["channel"] = element.get(FM + "channel")
    touchpoint = element.get(FM + "touchpoint")
    if touchpoint is not None:
        if touchpoint not in ("true", "false"):
            r.error(
                element,
                f"flowmap:touchpoint {touchpoint!r}: write true or false",
                "",
                "invalid-value",
                sid,
            )
        else:
            step["touchpoint"] = touchpoint == "true"
    for key in ("work", "wait", "cost"):
        text = element.get(FM + key)
        if text is None:
            continue
        try:
            number = parse_duration(text) if key != "cost" else float(text)
            if number < 0:
                raise ValueError("negative")
        except ValueError:
            r.error(
                element,
                f"flowmap:{key} {text!r} on {sid!r} is not a "
                f"{'duration' if key != 'cost' else 'number'}",
                "write a number of minutes, or 15m, 2h, 3d",
                "invalid-value",
                sid,
            )
            continue
        step[key] = number


def _kind(r: Records, node: Node) -> StepKind:
    explicit = node.element.get(FM + "kind")
    if explicit is not None:
        if explicit in StepKind.__members__:
            return StepKind(explicit)
        r.error(
            node.element,
            f"flowmap:kind {explicit!r} on {node.id!r} is not a step kind",
            f"write one of: {', '.join(StepKind.__members__)}",
            "invalid-value",
            node.id,
        )
    local = node.local
    if local == "startEvent":
        return StepKind.start
    if local == "endEvent":
        return StepKind.end
    if local == "intermediateCatchEvent":
        return StepKind.event if "link" in node.events else StepKind.wait
    if local in ("intermediateThrowEvent", "boundaryEvent", "implicitThrowEvent"):
        return StepKind.event
    if local == "parallelGateway":
        return StepKind.event
    if local in GATEWAYS:
        return StepKind.decision
    if local == "receiveTask":
        return StepKind.wait
    if local in TASKS:
        return StepKind.task
    if local == "callActivity" or local in SUBPROCESSES:
        return StepKind.subprocess
    return StepKind.task

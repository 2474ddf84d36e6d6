"""What BPMN's events and gateways mean for the flow, read from the records before steps and
flows are built.

A BPMN model says some things without a sequence flow; flowmap draws them as flows it marks
``generated`` (rules never report them) or as the step kind they stand for:

* **link events**: a link throw event continues at the link catch event of the same name in the
  same process (a generated flow joins them). A throw without its catch hands the work to
  another model: an end; a catch without its throw takes work from one: a start.
* **engine action events** (Imixs and others): a catch event that no flow reaches and that
  leads to one task (directly, or through a few catch events: "Erinnerung" -> a message) is an
  action offered on that task ("Speichern", "Save", "Add comment"): a generated flow from the
  task reaches it.
* **compensation**: a compensation boundary event leads to its handler (the activity with
  ``isForCompensation="true"`` that an association joins to it).
* **joins**: an exclusive, inclusive or complex gateway that several flows enter and at most one
  leaves merges paths; it decides nothing (a step of kind ``event``, like a parallel gateway).
  Nor does an unnamed gateway with one flow in and one unlabelled flow out: work passes through.
* **ad-hoc processes** (``adHoc="true"`` on a process, as jBPM writes it): an activity no flow
  reaches is an item someone may do at any time, not an unreachable step: a generated flow
  from the process's start event reaches it.

Event sub-processes are wired to their own start events in :mod:`.flows`.
"""

from __future__ import annotations

from collections import Counter

from flowmap.loaders.bpmn.elements import Node
from flowmap.loaders.bpmn.records import Records
from flowmap.loaders.bpmn.xml import clean, local_name

_JOINING = frozenset({"exclusiveGateway", "inclusiveGateway", "complexGateway"})
_ACTIVITIES = frozenset(
    {
        "task",
        "userTask",
        "manualTask",
        "serviceTask",
        "scriptTask",
        "businessRuleTask",
        "sendTask",
        "receiveTask",
        "callActivity",
        "subProcess",
    }
)


class Semantics:
    """The readings above, by BPMN id (a plain record: flowmap.records)."""

    __slots__ = ("joins", "links", "exits", "entries", "actions", "compensations", "adhoc")

    def __init__(self) -> None:
        self.joins: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (throw, catch)
        self.exits: set[str] = set()  # link throws without a catch: ends
        self.entries: set[str] = set()  # link catches without a throw: starts
        self.actions: list[tuple[str, str]] = []  # (task, action event)
        self.compensations: list[tuple[str, str]] = []  # (boundary, handler)
        self.adhoc: list[tuple[str, str]] = []  # (start, optional activity)


def read_semantics(records: Records) -> Semantics:
    out = Semantics()
    if records.exported:  # files flowmap wrote say everything with flows
        return out
    incoming: Counter[str] = Counter()
    outgoing: dict[str, list[str]] = {}
    labelled: set[str] = set()  # nodes with a labelled flow out
    for edge in records.edges:
        source = records.resolve(edge.source) or edge.source
        target = records.resolve(edge.target) or edge.target
        incoming[target] += 1
        outgoing.setdefault(source, []).append(target)
        if clean(edge.element.get("name")):
            labelled.add(source)
    nodes = records.nodes
    for node in nodes.values():
        if node.local not in _JOINING or len(outgoing.get(node.id, [])) > 1:
            continue
        if incoming[node.id] >= 2 or (
            incoming[node.id] == 1
            and node.id not in labelled
            and not clean(node.element.get("name"))
        ):
            out.joins.add(node.id)  # a merge, or an unnamed gateway work only passes through
    _links(records, out, incoming, outgoing)
    for node in nodes.values():
        if node.local != "intermediateCatchEvent" or "link" in node.events or incoming[node.id]:
            continue
        targets = {t for t in outgoing.get(node.id, []) if t in nodes}
        for _ in range(4):  # through a short chain of catch events ('Erinnerung' -> message)
            if len(targets) != 1 or nodes[next(iter(targets))].local != "intermediateCatchEvent":
                break
            targets = {t for t in outgoing.get(next(iter(targets)), []) if t in nodes}
        if len(targets) == 1:
            task = nodes[targets.pop()]
            if task.local in _ACTIVITIES and task.pool is node.pool:
                out.actions.append((task.id, node.id))
    _adhoc(records, out, incoming)
    handlers = {
        n.id
        for n in nodes.values()
        if n.element.get("isForCompensation", "").strip().lower() == "true"
    }
    if handlers:
        for source_ref, target_ref in records.associations:
            one, other = records.resolve(source_ref), records.resolve(target_ref)
            for event, handler in ((one, other), (other, one)):
                boundary = nodes.get(event or "")
                if (
                    event is not None
                    and handler is not None
                    and boundary is not None
                    and boundary.local == "boundaryEvent"
                    and "compensate" in boundary.events
                    and handler in handlers
                ):
                    out.compensations.append((event, handler))
    return out


def _adhoc(records: Records, out: Semantics, incoming: Counter) -> None:
    """Activities of an ad-hoc process that no flow reaches: reachable from its start."""
    for pool in records.pools:
        process = pool.process
        if process is None or not any(
            local_name(key) == "adHoc" and value.strip().lower() == "true"
            for key, value in process.attrib.items()
        ):
            continue
        top = [n for n in records.nodes.values() if n.pool is pool and n.container is None]
        start = next((n for n in top if n.local == "startEvent"), None)
        if start is None:
            continue
        out.adhoc.extend(
            (start.id, n.id) for n in top if n.local in _ACTIVITIES and not incoming[n.id]
        )


def _link_name(node: Node) -> str:
    for child in node.element:
        if local_name(child.tag) == "linkEventDefinition" and child.get("name"):
            return clean(child.get("name")).lower()
    return clean(node.element.get("name")).lower()


def _links(records: Records, out: Semantics, incoming: Counter, outgoing: dict) -> None:
    throws: dict[tuple[int, str | None, str], list[str]] = {}
    catches: dict[tuple[int, str | None, str], list[str]] = {}
    for node in records.nodes.values():
        if "link" not in node.events:
            continue
        key = (id(node.pool), node.container, _link_name(node))
        if node.local == "intermediateThrowEvent":
            throws.setdefault(key, []).append(node.id)
        elif node.local == "intermediateCatchEvent":
            catches.setdefault(key, []).append(node.id)
    for key, sources in throws.items():
        targets = catches.get(key, [])
        if key[2] and len(targets) == 1:
            out.links.extend((source, targets[0]) for source in sources)
        elif not targets:
            out.exits.update(s for s in sources if not outgoing.get(s))
    for key, targets in catches.items():
        if key not in throws or not key[2]:
            out.entries.update(t for t in targets if not incoming[t])

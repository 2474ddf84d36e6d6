"""The BPMN elements flowmap reads, by kind (tasks, sub-processes, gateways, events), and the plain
records stage 2 of the loader (:mod:`.records`) makes of them: pools, lanes, flow nodes and
edges. Nothing here decides what a name means."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flowmap.loaders.bpmn.xml import FM

TASKS = {
    "task",
    "userTask",
    "manualTask",
    "serviceTask",
    "scriptTask",
    "businessRuleTask",
    "sendTask",
    "receiveTask",
}
SUBPROCESSES = {"subProcess", "transaction", "adHocSubProcess"}
GATEWAYS = {
    "exclusiveGateway",
    "inclusiveGateway",
    "complexGateway",
    "eventBasedGateway",
    "parallelGateway",
}
EVENTS = {
    "startEvent",
    "endEvent",
    "intermediateCatchEvent",
    "intermediateThrowEvent",
    "boundaryEvent",
    "implicitThrowEvent",
}
FLOW_NODES = (
    TASKS
    | SUBPROCESSES
    | GATEWAYS
    | EVENTS
    | {"callActivity", "choreographyTask", "subChoreography", "callChoreography"}
)


# Plain records with their fields in __slots__ (flowmap.records says why not dataclasses).
# ``element`` is an lxml element (lxml has no type information here).


class Pool:
    """A participant, or a process drawn without one: ``process`` is its <process> element
    (None for a black box), ``org`` its flowmap:org (customer | company | function), ``lanes``
    its top-level lanes."""

    __slots__ = ("id", "name", "element", "process", "org", "lanes")

    def __init__(
        self,
        id: str,
        name: str,
        element: Any,
        process: Any,
        org: str = "",
        lanes: list[Lane] | None = None,
    ):
        self.id, self.name, self.element, self.process, self.org = id, name, element, process, org
        self.lanes = [] if lanes is None else lanes

    @property
    def scope(self) -> str:
        """The id of its process, which some tools prefix to ids ("Process_1.Task_1")."""
        return self.process.get("id", "") if self.process is not None else ""


class Lane:
    """A lane, in its parent lane (None at the top), with its lanes and the flow node ids it
    lists (``refs``)."""

    __slots__ = ("id", "name", "element", "parent", "children", "refs")

    def __init__(
        self,
        id: str,
        name: str,
        element: Any,
        parent: Lane | None,
        children: list[Lane] | None = None,
        refs: list[str] | None = None,
    ):
        self.id, self.name, self.element, self.parent = id, name, element, parent
        self.children = [] if children is None else children
        self.refs = [] if refs is None else refs

    @property
    def org(self) -> str:
        return self.element.get(FM + "org", "")

    def ancestors(self) -> list[Lane]:
        out, lane = [], self.parent
        while lane is not None:
            out.append(lane)
            lane = lane.parent
        return out


def walk(lane: Lane) -> Iterator[Lane]:
    """A lane and every lane nested in it, parents first."""
    yield lane
    for child in lane.children:
        yield from walk(child)


class Node:
    """A flow node: task, event, gateway, call activity or sub-process. ``local`` is the
    element's tag without namespace ("userTask", "boundaryEvent"...), ``container`` the id of
    the enclosing sub-process, ``events`` its event definition kinds (error, timer...)."""

    __slots__ = ("id", "local", "element", "pool", "container", "events", "lane")

    def __init__(
        self,
        id: str,
        local: str,
        element: Any,
        pool: Pool,
        container: str | None,
        events: tuple[str, ...] = (),
        lane: Lane | None = None,
    ):
        self.id, self.local, self.element, self.pool = id, local, element, pool
        self.container, self.events, self.lane = container, events, lane


class Edge:
    """A sequence flow, or a message flow (``message``) between pools."""

    __slots__ = ("id", "source", "target", "element", "message")

    def __init__(self, id: str, source: str, target: str, element: Any, message: bool = False):
        self.id, self.source, self.target, self.element, self.message = (
            id,
            source,
            target,
            element,
            message,
        )

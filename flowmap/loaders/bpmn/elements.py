"""The BPMN elements flowmap reads, by kind (tasks, sub-processes, gateways, events), and the plain
records stage 2 of the loader (:mod:`.records`) makes of them: pools, lanes, flow nodes and
edges. Nothing here decides what a name means."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
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


@dataclass
class Pool:
    """A participant, or a process drawn without one."""

    id: str
    name: str
    element: Any  # an lxml element (lxml has no type information here)
    process: Any  # the <process> element, None for a black box
    org: str = ""  # flowmap:org: customer | company | function
    lanes: list[Lane] = field(default_factory=list)  # top-level lanes

    @property
    def scope(self) -> str:
        """The id of its process, which some tools prefix to ids ("Process_1.Task_1")."""
        return self.process.get("id", "") if self.process is not None else ""


@dataclass
class Lane:
    id: str
    name: str
    element: Any  # an lxml element (lxml has no type information here)
    parent: Lane | None
    children: list[Lane] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)

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


@dataclass
class Node:
    """A flow node: task, event, gateway, call activity or sub-process."""

    id: str
    local: str  # the element's tag without namespace: "userTask", "boundaryEvent"...
    element: Any  # an lxml element (lxml has no type information here)
    pool: Pool
    container: str | None  # id of the enclosing sub-process
    events: tuple[str, ...] = ()  # event definition kinds: error, timer, message...
    lane: Lane | None = None


@dataclass
class Edge:
    """A sequence flow, or a message flow (``message``) between pools."""

    id: str
    source: str
    target: str
    element: Any  # an lxml element (lxml has no type information here)
    message: bool = False

"""Stage 1 of the BPMN writer: which BPMN elements stand for the steps and flows.

A :class:`Diagram` holds a node per step (and the events, gateways and relays BPMN asks for that
flowmap does not say, marked synthetic) and an edge per sequence or message flow. Positions are
filled in by :mod:`flowmap.writers.bpmn.layout`; :mod:`flowmap.writers.bpmn.xml` writes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flowmap.branching import SplitKind
from flowmap.graph import ProcessGraph
from flowmap.model import CUSTOMER, Flow, Process, Step, StepKind

# Sizes of shapes (pixels)
# Geometry (pixels)
SIZE = {
    "task": (100, 80),
    "callActivity": (100, 80),
    "exclusiveGateway": (50, 50),
    "parallelGateway": (50, 50),
    "inclusiveGateway": (50, 50),
}
GATEWAY = {SplitKind.exclusive: "exclusiveGateway", SplitKind.inclusive: "inclusiveGateway"}
EVENT = (36, 36)
UNASSIGNED = "fm.lane.unassigned"


@dataclass
class Node:
    id: str
    pool: str  # "customer" or "company"
    lane: str  # lane key: "f.r" role key, "" for the customer pool, UNASSIGNED
    tag: str = "task"
    name: str = ""
    step: Step | None = None
    synthetic: bool = False
    definition: str = ""  # event definition: message, timer
    anchor: str = ""  # for synthetic nodes: the step they sit next to
    side: int = 0  # -1 left of the anchor, +1 right of it
    x: float = 0.0
    y: float = 0.0
    order: int = 0  # position of the step in the flowmap file

    @property
    def size(self) -> tuple[int, int]:
        return SIZE.get(self.tag, EVENT)

    @property
    def is_gateway(self) -> bool:
        return self.tag.endswith("Gateway")


@dataclass
class Edge:
    id: str
    source: str
    target: str
    message: bool = False
    flow: Flow | None = None  # the flowmap flow this edge carries
    order: int = 0  # position of the flow in the flowmap file


@dataclass
class Band:
    key: str
    y: float = 0.0
    height: float = 0.0
    rows: int = 1


@dataclass
class Diagram:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    counter: int = 0
    # the layout
    bands: dict[str, Band] = field(default_factory=dict)  # lanes (and the customer pool)
    company_y: float = 0.0
    company_height: float = 0.0
    width: float = 0.0

    def new_id(self, kind: str) -> str:
        self.counter += 1
        return f"fm.{kind}.{self.counter}"

    def incoming(self, node: str, message: bool = False) -> list[Edge]:
        return [e for e in self.edges if e.target == node and e.message == message]

    def outgoing(self, node: str, message: bool = False) -> list[Edge]:
        return [e for e in self.edges if e.source == node and e.message == message]


# ---------------------------------------------------------------------------------------------
# Structure: which BPMN elements stand for the steps and flows
# ---------------------------------------------------------------------------------------------


def structure(process: Process) -> Diagram:
    d = Diagram()
    roles = {f"{f.id}.{r.id}" for f in process.organisation.functions for r in f.roles}
    for order, step in enumerate(process.steps):
        if step.owner == CUSTOMER:
            pool, lane = "customer", ""
        else:
            pool, lane = "company", step.owner if step.owner in roles else UNASSIGNED
        d.nodes[step.id] = Node(
            step.id, pool, lane, name=step.name or step.id, step=step, order=order
        )

    pairs: set[tuple[str, str]] = set()
    for order, flow in enumerate(process.flows):
        first = len(d.edges)
        a, b = d.nodes[flow.source], d.nodes[flow.target]
        if a.pool != b.pool:
            source, target = a.id, b.id
            if _kind(a) == StepKind.decision:
                source = _relay(d, a, +1, "intermediateThrowEvent", "Send")
                d.edges.append(Edge(d.new_id("flow"), a.id, source))
            if _kind(b) == StepKind.decision:
                target = _relay(d, b, -1, "intermediateCatchEvent", "Receive")
                d.edges.append(Edge(d.new_id("flow"), target, b.id))
            d.edges.append(Edge(d.new_id("message"), source, target, True, flow))
        elif (a.id, b.id) in pairs:  # BPMN forbids two sequence flows between the same nodes
            relay = _relay(d, a, +1, "intermediateThrowEvent", flow.label or "Again")
            d.edges.append(Edge(d.new_id("flow"), a.id, relay, flow=flow))
            d.edges.append(Edge(d.new_id("flow"), relay, b.id))
        else:
            pairs.add((a.id, b.id))
            d.edges.append(Edge(d.new_id("flow"), a.id, b.id, flow=flow))
        for edge in d.edges[first:]:
            edge.order = order

    # Element types, now that we know what connects where.
    for node in list(d.nodes.values()):
        if node.step is not None:
            node.tag = _tag(node, d)

    for node in list(d.nodes.values()):
        if not d.incoming(node.id) and node.tag != "startEvent":
            start = _synthetic(d, node, -1, "startEvent", "Start")
            d.edges.append(Edge(d.new_id("flow"), start, node.id))
        if not d.outgoing(node.id) and node.tag != "endEvent":
            end = _synthetic(d, node, +1, "endEvent", "End")
            d.edges.append(Edge(d.new_id("flow"), node.id, end))
    for pool in ("customer", "company"):  # a cycle with no way in or out still needs both
        members = [n for n in d.nodes.values() if n.pool == pool and not n.synthetic]
        if members and not any(n.tag == "startEvent" for n in d.nodes.values() if n.pool == pool):
            start = _synthetic(d, members[0], -1, "startEvent", "Start")
            d.edges.append(Edge(d.new_id("flow"), start, members[0].id))
        if members and not any(n.tag == "endEvent" for n in d.nodes.values() if n.pool == pool):
            end = _synthetic(d, members[-1], +1, "endEvent", "End")
            d.edges.append(Edge(d.new_id("flow"), members[-1].id, end))
    splits = ProcessGraph(process).splits  # exclusive, parallel or inclusive (flowmap.branching)
    for node in list(d.nodes.values()):
        out = d.outgoing(node.id)
        if len(out) > 1 and not node.is_gateway:
            kind = splits[node.id].kind if node.step is not None else SplitKind.parallel
            split = _synthetic(d, node, +1, GATEWAY.get(kind, "parallelGateway"), "")
            for edge in out:
                edge.source = split
            d.edges.append(Edge(d.new_id("flow"), node.id, split))
        incoming = d.incoming(node.id)
        if node.is_gateway and len(incoming) > 1 and len(d.outgoing(node.id)) > 1:
            join = _synthetic(d, node, -1, "exclusiveGateway", "")
            for edge in incoming:
                edge.target = join
            d.edges.append(Edge(d.new_id("flow"), join, node.id))

    # Event definitions: messages where message flows arrive or leave; one blank start event.
    blank_start: set[str] = set()
    for node in d.nodes.values():
        receives = bool(d.incoming(node.id, message=True))
        sends = bool(d.outgoing(node.id, message=True))
        if node.tag == "startEvent":
            if receives or node.pool in blank_start:
                node.definition = "message"
            else:
                blank_start.add(node.pool)
        elif node.tag == "endEvent" and sends:
            node.definition = "message"
        elif node.tag == "intermediateCatchEvent":
            node.definition = node.definition or ("message" if receives else "timer")
            if node.step is not None and node.step.kind == StepKind.event and not receives:
                node.definition = ""
        elif node.tag == "intermediateThrowEvent" and sends:
            node.definition = "message"
    return d


def _kind(node: Node) -> StepKind | None:
    """The kind of the step a node stands for (None for an element the writer added)."""
    return node.step.kind if node.step is not None else None


def _tag(node: Node, d: Diagram) -> str:
    kind = _kind(node)
    has_in, has_out = bool(d.incoming(node.id)), bool(d.outgoing(node.id))
    receives = bool(d.incoming(node.id, message=True))
    sends = bool(d.outgoing(node.id, message=True))
    # A start event cannot send a message nor an end event receive one: such steps become
    # intermediate events, and BPMN's own start or end event is added beside them.
    if kind == StepKind.start:
        if has_in or (sends and not receives):
            return "intermediateThrowEvent"
        return "startEvent"
    if kind == StepKind.end:
        if receives and not sends:
            return "intermediateCatchEvent"
        return "intermediateThrowEvent" if has_out else "endEvent"
    if kind == StepKind.decision:
        return "exclusiveGateway"
    if kind == StepKind.wait:
        return "intermediateCatchEvent"
    if kind == StepKind.event:
        return "intermediateCatchEvent" if receives else "intermediateThrowEvent"
    if kind == StepKind.subprocess:
        return "callActivity"
    return "task"


def _synthetic(d: Diagram, anchor: Node, side: int, tag: str, name: str) -> str:
    kind = {"startEvent": "start", "endEvent": "end"}.get(tag, "gateway")
    ident = d.new_id(kind)
    d.nodes[ident] = Node(
        ident, anchor.pool, anchor.lane, tag, name, synthetic=True, anchor=anchor.id, side=side
    )
    return ident


def _relay(d: Diagram, anchor: Node, side: int, tag: str, name: str) -> str:
    ident = d.new_id("relay")
    d.nodes[ident] = Node(
        ident,
        anchor.pool,
        anchor.lane,
        tag,
        name,
        synthetic=True,
        anchor=anchor.id,
        side=side,
        definition="message" if name in ("Send", "Receive") else "",
    )
    return ident

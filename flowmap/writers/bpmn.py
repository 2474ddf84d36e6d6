"""Write a :class:`~flowmap.model.Process` as BPMN 2.0 XML with a diagram (DI) modelers can open.

The model is a collaboration of two pools: the customer on top, and the organisation below it,
whose lanes are the functions, split into nested lanes for the roles. Steps are laid out left to
right in the order of the flow (loops drawn backwards below the shapes), in the columns
``flowmap render`` draws (:mod:`flowmap.columns`): a step handed its work alone from another lane
sits straight below or above the step before it; steps that share a column in one lane stack up.

Flows inside a pool are sequence flows; flows between the customer and the organisation are
message flows. BPMN asks for more than flowmap says (a start and an end event in every process,
a gateway where a task forks, no message flow into a gateway...), so the writer adds those
elements, marks them ``flowmap:synthetic="true"`` and puts the flowmap flow's identity
(``flowmap:id``) on the one sequence or message flow that stands for it. Everything else flowmap
knows (step value, purposes, times, systems, role levels, the chain of command, measures...) is
kept in attributes and extension elements of the namespace ``https://flowmap.dev/bpmn/1``, so
:func:`flowmap.loaders.bpmn.load_bpmn` reads the file back as the same process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from flowmap.branching import SplitKind
from flowmap.formatting import xml_safe
from flowmap.graph import ProcessGraph
from flowmap.model import CUSTOMER, Flow, FlowKind, Process, Step, StepKind

MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
FLOWMAP = "https://flowmap.dev/bpmn/1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
NSMAP = {"bpmn": MODEL, "bpmndi": BPMNDI, "dc": DC, "di": DI, "flowmap": FLOWMAP, "xsi": XSI}

# Geometry (pixels)
SIZE = {"task": (100, 80), "callActivity": (100, 80), "exclusiveGateway": (50, 50),
        "parallelGateway": (50, 50), "inclusiveGateway": (50, 50)}
GATEWAY = {SplitKind.exclusive: "exclusiveGateway", SplitKind.inclusive: "inclusiveGateway"}
EVENT = (36, 36)
COLUMN = 240  # distance between step columns
ROW = 110  # height of one row of steps inside a lane
POOL_X = 100
BAND = 30  # the label band of a pool or lane
CONTENT_X = POOL_X + 3 * BAND + 50  # where the first column starts
UNASSIGNED = "fm.lane.unassigned"


@dataclass
class _Node:
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
class _Edge:
    id: str
    source: str
    target: str
    message: bool = False
    flow: Flow | None = None  # the flowmap flow this edge carries
    order: int = 0  # position of the flow in the flowmap file


@dataclass
class _Band:
    key: str
    y: float = 0.0
    height: float = 0.0
    rows: int = 1


@dataclass
class _Diagram:
    nodes: dict[str, _Node] = field(default_factory=dict)
    edges: list[_Edge] = field(default_factory=list)
    counter: int = 0
    # the layout
    bands: dict[str, _Band] = field(default_factory=dict)  # lanes (and the customer pool)
    company_y: float = 0.0
    company_height: float = 0.0
    width: float = 0.0

    def new_id(self, kind: str) -> str:
        self.counter += 1
        return f"fm.{kind}.{self.counter}"

    def incoming(self, node: str, message: bool = False) -> list[_Edge]:
        return [e for e in self.edges if e.target == node and e.message == message]

    def outgoing(self, node: str, message: bool = False) -> list[_Edge]:
        return [e for e in self.edges if e.source == node and e.message == message]


def dump(process: Process) -> str:
    """The process as BPMN 2.0 XML text (UTF-8, with an XML declaration)."""
    from lxml import etree

    process = _writable(process)
    diagram = _structure(process)
    _layout(process, diagram)
    root = _xml(process, diagram)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                          pretty_print=True).decode("utf-8")


def _writable(value: Any) -> Any:
    """``value`` (the process, any part of it) with every text XML cannot hold made harmless
    (:func:`flowmap.formatting.xml_safe`); parts without such text are returned as they are."""
    if type(value) is str:  # enum members are str too, and always safe
        safe = xml_safe(value)
        return value if safe == value else safe
    if isinstance(value, BaseModel):
        changed = {}
        for name in type(value).model_fields:
            old = getattr(value, name)
            new = _writable(old)
            if new is not old:
                changed[name] = new
        return value.model_copy(update=changed) if changed else value
    if isinstance(value, (list, tuple)):
        items = [_writable(v) for v in value]
        if any(a is not b for a, b in zip(items, value, strict=True)):
            return type(value)(items)
        return value
    if isinstance(value, dict):
        pairs = {_writable(k): _writable(v) for k, v in value.items()}
        if any(k not in value or pairs[k] is not value[k] for k in pairs):
            return pairs
        return value
    return value


# ---------------------------------------------------------------------------------------------
# Structure: which BPMN elements stand for the steps and flows
# ---------------------------------------------------------------------------------------------


def _structure(process: Process) -> _Diagram:
    d = _Diagram()
    roles = {f"{f.id}.{r.id}" for f in process.organisation.functions for r in f.roles}
    for order, step in enumerate(process.steps):
        if step.owner == CUSTOMER:
            pool, lane = "customer", ""
        else:
            pool, lane = "company", step.owner if step.owner in roles else UNASSIGNED
        d.nodes[step.id] = _Node(step.id, pool, lane, name=step.name or step.id, step=step,
                                 order=order)

    pairs: set[tuple[str, str]] = set()
    for order, flow in enumerate(process.flows):
        first = len(d.edges)
        a, b = d.nodes[flow.source], d.nodes[flow.target]
        if a.pool != b.pool:
            source, target = a.id, b.id
            if _kind(a) == StepKind.decision:
                source = _relay(d, a, +1, "intermediateThrowEvent", "Send")
                d.edges.append(_Edge(d.new_id("flow"), a.id, source))
            if _kind(b) == StepKind.decision:
                target = _relay(d, b, -1, "intermediateCatchEvent", "Receive")
                d.edges.append(_Edge(d.new_id("flow"), target, b.id))
            d.edges.append(_Edge(d.new_id("message"), source, target, True, flow))
        elif (a.id, b.id) in pairs:  # BPMN forbids two sequence flows between the same nodes
            relay = _relay(d, a, +1, "intermediateThrowEvent", flow.label or "Again")
            d.edges.append(_Edge(d.new_id("flow"), a.id, relay, flow=flow))
            d.edges.append(_Edge(d.new_id("flow"), relay, b.id))
        else:
            pairs.add((a.id, b.id))
            d.edges.append(_Edge(d.new_id("flow"), a.id, b.id, flow=flow))
        for edge in d.edges[first:]:
            edge.order = order

    # Element types, now that we know what connects where.
    for node in list(d.nodes.values()):
        if node.step is not None:
            node.tag = _tag(node, d)

    for node in list(d.nodes.values()):
        if not d.incoming(node.id) and node.tag != "startEvent":
            start = _synthetic(d, node, -1, "startEvent", "Start")
            d.edges.append(_Edge(d.new_id("flow"), start, node.id))
        if not d.outgoing(node.id) and node.tag != "endEvent":
            end = _synthetic(d, node, +1, "endEvent", "End")
            d.edges.append(_Edge(d.new_id("flow"), node.id, end))
    for pool in ("customer", "company"):  # a cycle with no way in or out still needs both
        members = [n for n in d.nodes.values() if n.pool == pool and not n.synthetic]
        if members and not any(n.tag == "startEvent" for n in d.nodes.values()
                               if n.pool == pool):
            start = _synthetic(d, members[0], -1, "startEvent", "Start")
            d.edges.append(_Edge(d.new_id("flow"), start, members[0].id))
        if members and not any(n.tag == "endEvent" for n in d.nodes.values() if n.pool == pool):
            end = _synthetic(d, members[-1], +1, "endEvent", "End")
            d.edges.append(_Edge(d.new_id("flow"), members[-1].id, end))
    splits = ProcessGraph(process).splits  # exclusive, parallel or inclusive (flowmap.branching)
    for node in list(d.nodes.values()):
        out = d.outgoing(node.id)
        if len(out) > 1 and not node.is_gateway:
            kind = splits[node.id].kind if node.step is not None else SplitKind.parallel
            split = _synthetic(d, node, +1, GATEWAY.get(kind, "parallelGateway"), "")
            for edge in out:
                edge.source = split
            d.edges.append(_Edge(d.new_id("flow"), node.id, split))
        incoming = d.incoming(node.id)
        if node.is_gateway and len(incoming) > 1 and len(d.outgoing(node.id)) > 1:
            join = _synthetic(d, node, -1, "exclusiveGateway", "")
            for edge in incoming:
                edge.target = join
            d.edges.append(_Edge(d.new_id("flow"), join, node.id))

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


def _kind(node: _Node) -> StepKind | None:
    """The kind of the step a node stands for (None for an element the writer added)."""
    return node.step.kind if node.step is not None else None


def _tag(node: _Node, d: _Diagram) -> str:
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


def _synthetic(d: _Diagram, anchor: _Node, side: int, tag: str, name: str) -> str:
    kind = {"startEvent": "start", "endEvent": "end"}.get(tag, "gateway")
    ident = d.new_id(kind)
    d.nodes[ident] = _Node(ident, anchor.pool, anchor.lane, tag, name, synthetic=True,
                           anchor=anchor.id, side=side)
    return ident


def _relay(d: _Diagram, anchor: _Node, side: int, tag: str, name: str) -> str:
    ident = d.new_id("relay")
    d.nodes[ident] = _Node(ident, anchor.pool, anchor.lane, tag, name, synthetic=True,
                           anchor=anchor.id, side=side,
                           definition="message" if name in ("Send", "Receive") else "")
    return ident


# ---------------------------------------------------------------------------------------------
# Layout: columns along the flow, lanes stacked top to bottom
# ---------------------------------------------------------------------------------------------


def _columns(process: Process, d: _Diagram) -> dict[str, int]:
    """The column of each step (:func:`flowmap.columns.columns`), lanes ranked as the pools
    and lanes are stacked: the customer, each function's roles, the unassigned steps."""
    from flowmap.columns import columns

    rank = {"customer": 0}
    for function in process.organisation.functions:
        for role in function.roles:
            rank[f"{function.id}.{role.id}"] = len(rank)
    rank[UNASSIGNED] = len(rank)
    lane = {step.id: rank[d.nodes[step.id].lane if d.nodes[step.id].pool == "company"
                          else "customer"] for step in process.steps}
    back = ProcessGraph(process).back_flows
    forward = [f for f in process.flows if f.id not in back and f.source != f.target]
    return columns([s.id for s in process.steps], lane, [(f.source, f.target) for f in forward],
                   {(f.source, f.target) for f in forward if not f.label})


def _layout(process: Process, d: _Diagram) -> None:
    column = _columns(process, d)
    # rows inside each lane
    bands: dict[str, _Band] = {}
    row_of: dict[str, int] = {}
    used: dict[tuple[str, int], int] = {}
    for step in process.steps:
        node = d.nodes[step.id]
        key = node.lane if node.pool == "company" else "customer"
        slot = (key, column[step.id])
        row_of[step.id] = used.get(slot, 0)
        used[slot] = row_of[step.id] + 1
        band = bands.setdefault(key, _Band(key))
        band.rows = max(band.rows, used[slot])
    d.bands = bands
    # vertical positions: the customer pool, then each function's role lanes
    y = 80.0
    customer = bands.setdefault("customer", _Band("customer"))
    customer.y, customer.height = y, max(150.0, customer.rows * ROW + 40)
    y += customer.height + 80
    d.company_y = y
    for function in process.organisation.functions:
        for role in function.roles:
            key = f"{function.id}.{role.id}"
            band = bands.setdefault(key, _Band(key, rows=0))
            band.y, band.height = y, band.rows * ROW + 40 if band.rows else 60.0
            y += band.height
        if not function.roles:
            band = bands.setdefault(f"fm.function.{function.id}", _Band(function.id))
            band.y, band.height = y, 100.0
            y += band.height
    if UNASSIGNED in bands:
        band = bands[UNASSIGNED]
        band.y, band.height = y, band.rows * ROW + 40
        y += band.height
    if y == d.company_y:
        y += 150.0
    d.company_height = y - d.company_y
    last = max(column.values(), default=0)
    d.width = CONTENT_X + (last + 1) * COLUMN + 60 - POOL_X

    for step in process.steps:
        node = d.nodes[step.id]
        band = bands[node.lane if node.pool == "company" else "customer"]
        w, h = node.size
        node.x = CONTENT_X + column[step.id] * COLUMN + (100 - w) / 2
        node.y = band.y + 20 + row_of[step.id] * ROW + (80 - h) / 2 + 5
    # synthetic nodes sit in the gaps beside their anchors (a step's slot, or the box of
    # another synthetic node); several on one side stack up, and one that would cover a shape
    # already placed moves down
    offsets: dict[tuple[str, int], int] = {}
    placed = [d.nodes[step.id] for step in process.steps]
    for node in d.nodes.values():
        if not node.synthetic:
            continue
        anchor = d.nodes[node.anchor]
        aw, ah = anchor.size
        w, h = node.size
        k = offsets.get((anchor.id, node.side), 0)
        offsets[(anchor.id, node.side)] = k + 1
        left, right = (anchor.x - 12, anchor.x + aw + 12) if anchor.synthetic else \
            (anchor.x - (100 - aw) / 2 - 20, anchor.x - (100 - aw) / 2 + 100 + 20)
        node.x = right if node.side > 0 else left - w
        node.y = anchor.y + ah / 2 - h / 2 + k * (h + 14)
        for _ in range(3):
            if not any(_overlap(node, other) for other in placed):
                break
            node.y += h + 14
        placed.append(node)


def _overlap(a: _Node, b: _Node) -> bool:
    (aw, ah), (bw, bh) = a.size, b.size
    return a.x < b.x + bw and b.x < a.x + aw and a.y < b.y + bh and b.y < a.y + ah


def _waypoints(d: _Diagram, edge: _Edge) -> list[tuple[float, float]]:
    a, b = d.nodes[edge.source], d.nodes[edge.target]
    aw, ah = a.size
    bw, bh = b.size
    acx, acy = a.x + aw / 2, a.y + ah / 2
    bcx, bcy = b.x + bw / 2, b.y + bh / 2
    if edge.message:
        # leave a task right of its middle and enter left of it, so that a question and its
        # answer between the same two tasks do not draw over each other
        if aw > 50:
            acx += 15
        if bw > 50:
            bcx -= 15
        if acy < bcy:
            start, end = (acx, a.y + ah), (bcx, b.y)
        else:
            start, end = (acx, a.y), (bcx, b.y + bh)
        if abs(acx - bcx) < 1:
            return [start, end]
        mid = d.company_y - 60 + (edge.order % 5) * 8
        return [start, (acx, mid), (bcx, mid), end]
    if abs(bcx - acx) < 1 and abs(bcy - acy) >= 1:  # a shared column: straight down or up
        if acy < bcy:
            return [(acx, a.y + ah), (bcx, b.y)]
        return [(acx, a.y), (bcx, b.y + bh)]
    if bcx > acx + 1:
        start, end = (a.x + aw, acy), (b.x, bcy)
        if abs(acy - bcy) < 1:
            return [start, end]
        mid = start[0] + min(30.0, (end[0] - start[0]) / 2)
        return [start, (mid, acy), (mid, bcy), end]
    below = max(a.y + ah, b.y + bh) + 18
    return [(acx, a.y + ah), (acx, below), (bcx, below), (bcx, b.y + bh)]


# ---------------------------------------------------------------------------------------------
# XML
# ---------------------------------------------------------------------------------------------


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def _fm(name: str) -> str:
    return _q(FLOWMAP, name)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _sub(parent, tag: str, **attrs):
    from lxml import etree

    element = etree.SubElement(parent, _q(MODEL, tag))
    for key, value in attrs.items():
        if value is not None:
            element.set(key, value)
    return element


def _doc(parent, text: str) -> None:
    if text:
        _sub(parent, "documentation").text = text


def _extensions(parent, items: list[tuple[str, dict[str, str], str]]) -> None:
    from lxml import etree

    if not items:
        return
    holder = _sub(parent, "extensionElements")
    for tag, attrs, text in items:
        element = etree.SubElement(holder, _fm(tag))
        for key, value in attrs.items():
            element.set(key, value)
        if text:
            element.text = text


def _ignore_items(ignore: dict[str, str]) -> list[tuple[str, dict[str, str], str]]:
    return [("ignore", {"code": code, "reason": reason}, "") for code, reason in ignore.items()]


def _xml(process: Process, d: _Diagram):
    from lxml import etree

    from flowmap import __version__

    info = process.info
    root = etree.Element(_q(MODEL, "definitions"), nsmap=NSMAP)
    root.set("id", "fm.definitions")
    root.set("targetNamespace", "https://flowmap.dev/bpmn/1/process")
    root.set("exporter", "flowmap")
    root.set("exporterVersion", __version__)
    if info.name:
        root.set("name", info.name)
    root.set(_fm("format"), "1")
    root.set(_fm("id"), info.id)
    root.set(_fm("status"), info.status.value)
    for key, attr in (("version", "version"), ("industry", "industry"),
                      ("redesign_of", "redesign-of")):
        value = getattr(info, key)
        if value:
            root.set(_fm(attr), value)

    has_customer = any(n.pool == "customer" for n in d.nodes.values())
    has_company = any(n.pool == "company" for n in d.nodes.values()) or bool(
        process.organisation.functions)
    if has_company and not any(n.pool == "company" for n in d.nodes.values()):
        _empty_process(d, process)

    collaboration = _sub(root, "collaboration", id="fm.collaboration")
    _doc(collaboration, info.description)
    items: list[tuple[str, dict[str, str], str]] = [("source", {}, s) for s in info.sources]
    items += _ignore_items(info.ignore)
    for m in process.measures:
        attrs = {"id": m.id, "kind": m.kind.value}
        for key in ("name", "owner", "target"):
            if getattr(m, key):
                attrs[key] = getattr(m, key)
        if m.steps:
            attrs["steps"] = " ".join(m.steps)
        items.append(("measure", attrs, ""))
    _extensions(collaboration, items)
    customer = _sub(collaboration, "participant", id="fm.pool.customer",
                    name=process.customer.name,
                    processRef="fm.process.customer" if has_customer else None)
    customer.set(_fm("org"), "customer")
    for key in ("segment", "description"):
        if getattr(process.customer, key):
            customer.set(_fm(key), getattr(process.customer, key))
    org = process.organisation
    company = _sub(collaboration, "participant", id="fm.pool.company",
                   name=org.name or "Organisation",
                   processRef="fm.process.company" if has_company else None)
    company.set(_fm("org"), "company")
    if not org.name:
        company.set(_fm("unnamed"), "true")
    if org.id:
        company.set(_fm("id"), org.id)
    if org.description:
        company.set(_fm("description"), org.description)
    for edge in d.edges:
        if edge.message:
            _flow_element(collaboration, "messageFlow", edge)

    if has_customer:
        _process(root, "fm.process.customer", "customer", process, d)
    if has_company:
        _process(root, "fm.process.company", "company", process, d)
    _di(root, process, d, has_customer, has_company)
    return root


def _empty_process(d: _Diagram, process: Process) -> None:
    """BPMN wants a start and an end in a process: give an organisation without steps both."""
    function = process.organisation.functions[0]
    lane = f"{function.id}.{function.roles[0].id}" if function.roles else UNASSIGNED
    start = _Node("fm.start.empty", "company", lane, "startEvent", "Start", synthetic=True)
    end = _Node("fm.end.empty", "company", lane, "endEvent", "End", synthetic=True)
    start.x, end.x = CONTENT_X, CONTENT_X + COLUMN
    d.nodes[start.id], d.nodes[end.id] = start, end
    d.edges.append(_Edge("fm.flow.empty", start.id, end.id))
    bands = d.bands
    band = bands.get(lane) or bands.get(f"fm.function.{function.id}")
    if band is None:
        band = bands.setdefault(UNASSIGNED, _Band(UNASSIGNED, d.company_y, 150.0))
    start.y = end.y = band.y + band.height / 2 - 18


def _process(root, ident: str, pool: str, process: Process, d: _Diagram) -> None:
    element = _sub(root, "process", id=ident, isExecutable="false")
    if pool == "company":
        _lanes(element, process, d)
    for node in d.nodes.values():
        if node.pool == pool:
            _node(element, node, d)
    for edge in d.edges:
        if not edge.message and d.nodes[edge.source].pool == pool:
            _flow_element(element, "sequenceFlow", edge)


def _lanes(process_element, process: Process, d: _Diagram) -> None:
    lane_set = _sub(process_element, "laneSet", id="fm.laneset")
    members: dict[str, list[str]] = {}
    for node in d.nodes.values():
        if node.pool == "company":
            members.setdefault(node.lane, []).append(node.id)
    for function in process.organisation.functions:
        lane = _sub(lane_set, "lane", id=f"fm.lane.{function.id}",
                    name=function.name or function.id)
        lane.set(_fm("org"), "function")
        lane.set(_fm("id"), function.id)
        if not function.name:
            lane.set(_fm("unnamed"), "true")
        lane.set(_fm("function-kind"), function.kind.value)
        if function.stage:
            lane.set(_fm("stage"), function.stage)
        _doc(lane, function.notes)
        if not function.roles:
            continue
        children = _sub(lane, "childLaneSet", id=f"fm.laneset.{function.id}")
        children.set(_q(XSI, "type"), "bpmn:tLaneSet")
        for role in function.roles:
            key = f"{function.id}.{role.id}"
            child = _sub(children, "lane", id=f"fm.lane.{key}", name=role.name or role.id)
            child.set(_fm("org"), "role")
            child.set(_fm("id"), role.id)
            if not role.name:
                child.set(_fm("unnamed"), "true")
            child.set(_fm("level"), str(role.level))
            if role.reports_to:
                child.set(_fm("reports-to"), role.reports_to)
            for ident in members.get(key, []):
                _sub(child, "flowNodeRef").text = ident
    if UNASSIGNED in members:
        lane = _sub(lane_set, "lane", id=UNASSIGNED, name="No owner")
        lane.set(_fm("synthetic"), "true")
        for ident in members[UNASSIGNED]:
            _sub(lane, "flowNodeRef").text = ident


def _node(parent, node: _Node, d: _Diagram) -> None:
    element = _sub(parent, node.tag, id=node.id, name=node.name or None)
    step = node.step
    if node.synthetic:
        element.set(_fm("synthetic"), "true")
    if step is not None:
        if not step.name:
            element.set(_fm("unnamed"), "true")
        element.set(_fm("kind"), step.kind.value)
        element.set(_fm("order"), str(node.order))
        if step.value is not None:
            element.set(_fm("value"), step.value.value)
        if step.purpose:
            element.set(_fm("purpose"), " ".join(p.value for p in step.purpose))
        if step.channel:
            element.set(_fm("channel"), step.channel)
        if step.touchpoint is not None:
            element.set(_fm("touchpoint"), "true" if step.touchpoint else "false")
        for key in ("work", "wait", "cost"):
            if getattr(step, key):
                element.set(_fm(key), _number(getattr(step, key)))
        _doc(element, step.notes)
        _extensions(element, [("system", {}, s) for s in step.systems]
                    + [("data", {}, s) for s in step.data] + _ignore_items(step.ignore))
    for edge in d.incoming(node.id):
        _sub(element, "incoming").text = edge.id
    for edge in d.outgoing(node.id):
        _sub(element, "outgoing").text = edge.id
    if node.definition:
        _sub(element, f"{node.definition}EventDefinition", id=f"{node.id}.definition")


def _flow_element(parent, tag: str, edge: _Edge) -> None:
    flow = edge.flow
    element = _sub(parent, tag, id=edge.id, name=(flow.label or None) if flow else None,
                   sourceRef=edge.source, targetRef=edge.target)
    if flow is None:
        return
    element.set(_fm("id"), flow.id)
    element.set(_fm("order"), str(edge.order))
    if flow.kind != FlowKind.normal:
        element.set(_fm("kind"), flow.kind.value)
    if flow.probability is not None:
        element.set(_fm("probability"), repr(flow.probability))
    _extensions(element, _ignore_items(flow.ignore))


def _di(root, process: Process, d: _Diagram, has_customer: bool, has_company: bool) -> None:
    from lxml import etree

    diagram = etree.SubElement(root, _q(BPMNDI, "BPMNDiagram"), id="fm.diagram")
    plane = etree.SubElement(diagram, _q(BPMNDI, "BPMNPlane"), id="fm.plane",
                             bpmnElement="fm.collaboration")
    bands = d.bands
    width = d.width

    def shape(ident: str, x: float, y: float, w: float, h: float, **attrs) -> None:
        element = etree.SubElement(plane, _q(BPMNDI, "BPMNShape"), id=f"{ident}.di",
                                   bpmnElement=ident, **attrs)
        etree.SubElement(element, _q(DC, "Bounds"), x=_number(round(x)), y=_number(round(y)),
                         width=_number(round(w)), height=_number(round(h)))

    customer = bands["customer"]
    shape("fm.pool.customer", POOL_X, customer.y, width, customer.height, isHorizontal="true")
    company_y = d.company_y
    company_height = d.company_height
    shape("fm.pool.company", POOL_X, company_y, width, company_height, isHorizontal="true")
    if has_company:
        for function in process.organisation.functions:
            keys = [f"{function.id}.{r.id}" for r in function.roles] or \
                [f"fm.function.{function.id}"]
            top = bands[keys[0]].y
            bottom = bands[keys[-1]].y + bands[keys[-1]].height
            shape(f"fm.lane.{function.id}", POOL_X + BAND, top, width - BAND, bottom - top,
                  isHorizontal="true")
            for role in function.roles:
                band = bands[f"{function.id}.{role.id}"]
                shape(f"fm.lane.{function.id}.{role.id}", POOL_X + 2 * BAND, band.y,
                      width - 2 * BAND, band.height, isHorizontal="true")
        if UNASSIGNED in bands:
            band = bands[UNASSIGNED]
            shape(UNASSIGNED, POOL_X + BAND, band.y, width - BAND, band.height,
                  isHorizontal="true")
    for node in d.nodes.values():
        w, h = node.size
        extra = {"isMarkerVisible": "true"} if node.tag == "exclusiveGateway" else {}
        shape(node.id, node.x, node.y, w, h, **extra)
    for edge in d.edges:
        element = etree.SubElement(plane, _q(BPMNDI, "BPMNEdge"), id=f"{edge.id}.di",
                                   bpmnElement=edge.id)
        for x, y in _waypoints(d, edge):
            etree.SubElement(element, _q(DI, "waypoint"), x=_number(round(x)),
                             y=_number(round(y)))

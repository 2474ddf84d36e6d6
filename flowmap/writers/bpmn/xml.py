"""Stage 3 of the BPMN writer: the laid-out diagram as BPMN 2.0 XML with its DI."""

from __future__ import annotations

from flowmap.model import FlowKind, Process
from flowmap.writers.bpmn.diagram import UNASSIGNED, Band, Diagram, Edge, Node
from flowmap.writers.bpmn.layout import BAND, COLUMN, CONTENT_X, POOL_X, waypoints

MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
FLOWMAP = "https://flowmap.dev/bpmn/1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
NSMAP = {"bpmn": MODEL, "bpmndi": BPMNDI, "dc": DC, "di": DI, "flowmap": FLOWMAP, "xsi": XSI}

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


def to_xml(process: Process, d: Diagram):
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
    for key, attr in (
        ("version", "version"),
        ("industry", "industry"),
        ("redesign_of", "redesign-of"),
    ):
        value = getattr(info, key)
        if value:
            root.set(_fm(attr), value)

    has_customer = any(n.pool == "customer" for n in d.nodes.values())
    has_company = any(n.pool == "company" for n in d.nodes.values()) or bool(
        process.organisation.functions
    )
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
    customer = _sub(
        collaboration,
        "participant",
        id="fm.pool.customer",
        name=process.customer.name,
        processRef="fm.process.customer" if has_customer else None,
    )
    customer.set(_fm("org"), "customer")
    for key in ("segment", "description"):
        if getattr(process.customer, key):
            customer.set(_fm(key), getattr(process.customer, key))
    org = process.organisation
    company = _sub(
        collaboration,
        "participant",
        id="fm.pool.company",
        name=org.name or "Organisation",
        processRef="fm.process.company" if has_company else None,
    )
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


def _empty_process(d: Diagram, process: Process) -> None:
    """BPMN wants a start and an end in a process: give an organisation without steps both."""
    function = process.organisation.functions[0]
    lane = f"{function.id}.{function.roles[0].id}" if function.roles else UNASSIGNED
    start = Node("fm.start.empty", "company", lane, "startEvent", "Start", synthetic=True)
    end = Node("fm.end.empty", "company", lane, "endEvent", "End", synthetic=True)
    start.x, end.x = CONTENT_X, CONTENT_X + COLUMN
    d.nodes[start.id], d.nodes[end.id] = start, end
    d.edges.append(Edge("fm.flow.empty", start.id, end.id))
    bands = d.bands
    band = bands.get(lane) or bands.get(f"fm.function.{function.id}")
    if band is None:
        band = bands.setdefault(UNASSIGNED, Band(UNASSIGNED, d.company_y, 150.0))
    start.y = end.y = band.y + band.height / 2 - 18


def _process(root, ident: str, pool: str, process: Process, d: Diagram) -> None:
    element = _sub(root, "process", id=ident, isExecutable="false")
    if pool == "company":
        _lanes(element, process, d)
    for node in d.nodes.values():
        if node.pool == pool:
            _node(element, node, d)
    for edge in d.edges:
        if not edge.message and d.nodes[edge.source].pool == pool:
            _flow_element(element, "sequenceFlow", edge)


def _lanes(process_element, process: Process, d: Diagram) -> None:
    lane_set = _sub(process_element, "laneSet", id="fm.laneset")
    members: dict[str, list[str]] = {}
    for node in d.nodes.values():
        if node.pool == "company":
            members.setdefault(node.lane, []).append(node.id)
    for function in process.organisation.functions:
        lane = _sub(
            lane_set, "lane", id=f"fm.lane.{function.id}", name=function.name or function.id
        )
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


def _node(parent, node: Node, d: Diagram) -> None:
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
        _extensions(
            element,
            [("system", {}, s) for s in step.systems]
            + [("data", {}, s) for s in step.data]
            + _ignore_items(step.ignore),
        )
    for edge in d.incoming(node.id):
        _sub(element, "incoming").text = edge.id
    for edge in d.outgoing(node.id):
        _sub(element, "outgoing").text = edge.id
    if node.definition:
        _sub(element, f"{node.definition}EventDefinition", id=f"{node.id}.definition")


def _flow_element(parent, tag: str, edge: Edge) -> None:
    flow = edge.flow
    element = _sub(
        parent,
        tag,
        id=edge.id,
        name=(flow.label or None) if flow else None,
        sourceRef=edge.source,
        targetRef=edge.target,
    )
    if flow is None:
        return
    element.set(_fm("id"), flow.id)
    element.set(_fm("order"), str(edge.order))
    if flow.kind != FlowKind.normal:
        element.set(_fm("kind"), flow.kind.value)
    if flow.probability is not None:
        element.set(_fm("probability"), repr(flow.probability))
    _extensions(element, _ignore_items(flow.ignore))


def _di(root, process: Process, d: Diagram, has_customer: bool, has_company: bool) -> None:
    from lxml import etree

    diagram = etree.SubElement(root, _q(BPMNDI, "BPMNDiagram"), id="fm.diagram")
    plane = etree.SubElement(
        diagram, _q(BPMNDI, "BPMNPlane"), id="fm.plane", bpmnElement="fm.collaboration"
    )
    bands = d.bands
    width = d.width

    def shape(ident: str, x: float, y: float, w: float, h: float, **attrs) -> None:
        element = etree.SubElement(
            plane, _q(BPMNDI, "BPMNShape"), id=f"{ident}.di", bpmnElement=ident, **attrs
        )
        etree.SubElement(
            element,
            _q(DC, "Bounds"),
            x=_number(round(x)),
            y=_number(round(y)),
            width=_number(round(w)),
            height=_number(round(h)),
        )

    customer = bands["customer"]
    shape("fm.pool.customer", POOL_X, customer.y, width, customer.height, isHorizontal="true")
    company_y = d.company_y
    company_height = d.company_height
    shape("fm.pool.company", POOL_X, company_y, width, company_height, isHorizontal="true")
    if has_company:
        for function in process.organisation.functions:
            keys = [f"{function.id}.{r.id}" for r in function.roles] or [
                f"fm.function.{function.id}"
            ]
            top = bands[keys[0]].y
            bottom = bands[keys[-1]].y + bands[keys[-1]].height
            shape(
                f"fm.lane.{function.id}",
                POOL_X + BAND,
                top,
                width - BAND,
                bottom - top,
                isHorizontal="true",
            )
            for role in function.roles:
                band = bands[f"{function.id}.{role.id}"]
                shape(
                    f"fm.lane.{function.id}.{role.id}",
                    POOL_X + 2 * BAND,
                    band.y,
                    width - 2 * BAND,
                    band.height,
                    isHorizontal="true",
                )
        if UNASSIGNED in bands:
            band = bands[UNASSIGNED]
            shape(UNASSIGNED, POOL_X + BAND, band.y, width - BAND, band.height, isHorizontal="true")
    for node in d.nodes.values():
        w, h = node.size
        extra = {"isMarkerVisible": "true"} if node.tag == "exclusiveGateway" else {}
        shape(node.id, node.x, node.y, w, h, **extra)
    for edge in d.edges:
        element = etree.SubElement(
            plane, _q(BPMNDI, "BPMNEdge"), id=f"{edge.id}.di", bpmnElement=edge.id
        )
        for x, y in waypoints(d, edge):
            etree.SubElement(element, _q(DI, "waypoint"), x=_number(round(x)), y=_number(round(y)))

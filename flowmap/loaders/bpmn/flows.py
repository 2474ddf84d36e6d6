"""Stage 6 of the BPMN loader: sequence flows, message flows, boundary events and sub-processes
become flows.

* A sequence flow keeps its BPMN id. Its kind is ``flowmap:kind`` when given; else ``exception``
  or ``escalation`` when it leaves an error (or cancel) / escalation boundary event; else
  ``exception`` when it leaves a gateway and its label names a failure (recorded as inferred);
  else ``normal``.
* A boundary event is a step; a flow ``<activity>-><event>`` of the same kind joins the two.
* A message flow is a flow between pools. When it starts or ends at a pool rather than a node,
  the pool is represented by a step with the pool's id (owned by the customer, or by a function
  named after the pool).
* An expanded sub-process is flattened: flows into it reach the sub-process step, which leads to
  its inner start nodes; flows out of it leave from its inner end nodes. An event sub-process
  leads to its own start event. The flows flowmap adds for this, for boundary events and for
  the events of :mod:`.events` (links, engine actions, compensation) are marked ``generated``
  (rules never report them).
* In files flowmap wrote, nodes marked ``flowmap:synthetic`` (start and end events, gateways and
  relay events that BPMN needs and flowmap does not) are walked through, and only the flows that
  carry ``flowmap:id`` become flows.
"""

from __future__ import annotations

from typing import Any

from flowmap import inference
from flowmap.loaders.bpmn.elements import GATEWAYS, Edge
from flowmap.loaders.bpmn.events import Semantics
from flowmap.loaders.bpmn.organisation import STAFF, OrgDraft
from flowmap.loaders.bpmn.records import Records
from flowmap.loaders.bpmn.steps import StepIds
from flowmap.loaders.bpmn.subprocesses import flatten_subprocesses
from flowmap.loaders.bpmn.xml import FM, clean, flowmap_extensions, ignore_codes, local_name
from flowmap.model import BLACK_BOX, CUSTOMER, FlowKind

_BOUNDARY_KIND = {
    "error": FlowKind.exception,
    "cancel": FlowKind.exception,
    "escalation": FlowKind.escalation,
}


class FlowContext:
    """What the flow functions below share: the records, the organisation, ids and steps."""

    def __init__(self, records: Records, org: OrgDraft, ids: StepIds, steps: list[dict[str, Any]]):
        self.r, self.org, self.ids, self.steps = records, org, ids, steps


def read_flows(
    records: Records,
    org: OrgDraft,
    ids: StepIds,
    steps: list[dict[str, Any]],
    semantics: Semantics | None = None,
) -> list[dict[str, Any]]:
    """The flows of the process; a message flow that reaches a whole pool may add a step for
    the pool to ``steps``."""
    f = FlowContext(records, org, ids, steps)
    r = records
    if r.errors:
        return []
    edges = r.edges + r.messages
    if r.exported:
        return _carried(f, edges)
    out: list[dict[str, Any]] = []
    for edge in edges:
        source = _end(f, edge, "sourceRef", edge.source)
        target = _end(f, edge, "targetRef", edge.target)
        if source is None or target is None:
            continue
        out.append(_flow(f, edge, source, target))
    _turn_backward_flows(f, out)
    out += _boundary_flows(f)
    out += _event_flows(f, semantics or Semantics())
    if r.errors:
        return []
    out = flatten_subprocesses(f, out)
    seen: set[str] = set()
    for flow in out:  # ids must be unique; generated ones may meet
        base, n = flow["id"], 1
        while flow["id"] in seen:
            n += 1
            flow["id"] = f"{base}#{n}"
        seen.add(flow["id"])
    return out


def _turn_backward_flows(f: FlowContext, flows: list[dict[str, Any]]) -> None:
    """A gateway nothing leaves, entered by a flow from an activity that also leads elsewhere:
    the modeller drew that one flow the wrong way round (a gateway is never where work ends,
    and the activity is where the gateway's branches meet). It is read the right way round, and
    recorded as inferred (``spiff-samples__raise-new-demand-request-travel.bpmn``: both reviews'
    "Additional info is required" meet at a gateway, whose flow to the message to the
    contributor is drawn from the message to the gateway)."""
    r = f.r
    gateways = {
        f.ids.of[n.id] for n in r.nodes.values() if n.local in GATEWAYS and n.id in f.ids.of
    }
    if not gateways:
        return
    leaving: dict[str, list[dict[str, Any]]] = {}
    entering: dict[str, list[dict[str, Any]]] = {}
    messages = {edge.id for edge in r.messages}
    for flow in flows:
        if flow["id"] in messages:
            continue
        leaving.setdefault(flow["from"], []).append(flow)
        entering.setdefault(flow["to"], []).append(flow)
    names = {s["id"]: s.get("name") or s["id"] for s in f.steps}
    for gateway in gateways:
        into = entering.get(gateway, [])
        if leaving.get(gateway) or len(into) < 2:
            continue
        drawn_back = [
            fl for fl in into if fl["from"] not in gateways and len(leaving.get(fl["from"], ())) > 1
        ]
        if len(drawn_back) != 1:
            continue
        flow = drawn_back[0]
        flow["from"], flow["to"] = gateway, flow["from"]
        f.org.infer(
            flow["id"],
            "reversed",
            "true",
            f"flow {flow['id']!r} is read from gateway '{names.get(gateway, gateway)}' "
            f"to '{names.get(flow['to'], flow['to'])}': it is drawn the other way, but "
            "no other flow leaves the gateway",
        )


def _end(f: FlowContext, edge: Edge, attribute: str, ref: str) -> str | None:
    """The step id at one end of a flow; records an error when it names nothing."""
    r = f.r
    scope = ""
    node = r.nodes.get(edge.source) if attribute == "targetRef" else None
    if node is not None:
        scope = node.pool.scope
    ident = r.resolve(ref, scope)
    if ident in f.ids.of:
        return f.ids.of[ident]
    if ident is not None and edge.message:
        step = _pool_step(f, ident)
        if step is not None:
            return step
    what = "message flow" if edge.message else "sequence flow"
    if not ref:
        r.error(
            edge.element,
            f"{what} {edge.id!r} has no {attribute}",
            f"connect both ends of the {what}",
            "missing-reference",
            edge.id,
        )
    elif ident is None:
        r.error(
            edge.element,
            f"{what} {edge.id!r}: {attribute} {ref!r} names no element of the file",
            "connect it to an existing task, event or gateway, or delete it",
            "missing-reference",
            edge.id,
        )
    elif edge.message:  # a message to a data store or the like: no one receives it
        r.warn(
            edge.element,
            f"{what} {edge.id!r}: {attribute} {ref!r} is a "
            f"<{local_name(r.by_id[ident].tag)}>, not a participant's task, "
            "event or pool; flowmap leaves the message out",
            "connect message flows to tasks, events or pools",
            "message-to-artifact",
            edge.id,
        )
    else:
        r.error(
            edge.element,
            f"{what} {edge.id!r}: {attribute} {ref!r} is a "
            f"<{local_name(r.by_id[ident].tag)}>, not a flow node",
            "connect it to a task, event or gateway",
            "invalid-reference",
            edge.id,
        )
    return None


def _pool_step(f: FlowContext, ident: str) -> str | None:
    """A message flow that reaches a whole pool: the pool's single start event, or a step that
    stands for the pool."""
    r = f.r
    pool = next((p for p in r.pools if p.id == ident), None)
    if pool is None:
        return None
    if pool.process is not None:
        starts = [
            n
            for n in r.nodes.values()
            if n.pool is pool and n.local == "startEvent" and n.container is None
        ]
        if len(starts) == 1:
            return f.ids.of[starts[0].id]
    sid = f.ids(ident)
    if any(step["id"] == sid for step in f.steps):
        return sid
    if f.org.pool_is_customer(pool):
        f.org.note_customer(pool.name, pool.element)
        owner = CUSTOMER
    elif (declared := f.org.declared_owner(pool.id)) is not None:
        owner = f.org.owner("=" + declared)
    else:
        fid = f.org.function_of_key.get(pool.id) or f.org.function(pool.id, pool.name, pool.element)
        owner = f.org.owner(f"{fid}.{STAFF}")
    f.steps.append(
        {
            "id": sid,
            "name": pool.name,
            "owner": owner,
            "kind": "task",
            "notes": "the pool as a whole (a black box in the model)",
        }
    )
    f.org.infer(
        sid,
        "kind",
        BLACK_BOX,
        f"'{pool.name or ident}' is a pool drawn as a black box: "
        "one step stands for all it does (what it sends is not "
        "known to answer what it receives)",
    )
    r.locations.defer(f"step:{sid}", pool.element)
    return sid


def _flow(f: FlowContext, edge: Edge, source: str, target: str) -> dict[str, Any]:
    r = f.r
    element = edge.element
    flow: dict[str, Any] = {"id": element.get(FM + "id") or edge.id, "from": source, "to": target}
    label = element.get("name")
    label = (label or "").strip() if r.exported else clean(label)
    kind = element.get(FM + "kind")
    if kind is not None and kind not in FlowKind.__members__:
        r.error(
            element,
            f"flowmap:kind {kind!r} on flow {edge.id!r} is not a flow kind",
            f"write one of: {', '.join(FlowKind.__members__)}",
            "invalid-value",
            edge.id,
        )
        kind = None
    if kind is None and not r.exported:
        node = r.nodes.get(r.resolve(edge.source) or "")
        if node is not None and node.local == "boundaryEvent":
            kind = next((_BOUNDARY_KIND[e].value for e in node.events if e in _BOUNDARY_KIND), None)
        if kind is None and node is not None and node.local in GATEWAYS and label:
            found = inference.failure(label)
            if found is not None:
                kind = FlowKind.exception.value
                f.org.infer(
                    flow["id"], "kind", kind, found.reason(f"flow '{label}' is an exception")
                )
    if kind and kind != "normal":
        flow["kind"] = kind
    if label:
        flow["label"] = label
    probability = element.get(FM + "probability")
    if probability is not None:
        try:
            value = float(probability)
            if not 0 <= value <= 1:
                raise ValueError
            flow["probability"] = value
        except ValueError:
            r.error(
                element,
                f"flowmap:probability {probability!r} on flow {edge.id!r}: write a "
                "number from 0 to 1",
                "",
                "invalid-value",
                edge.id,
            )
    ignore = ignore_codes(flowmap_extensions(element))
    if ignore:
        flow["ignore"] = ignore
    r.locations.defer(f"flow:{flow['id']}", element)
    if r.exported:
        flow["_order"] = r.order(element)
    return flow


def _boundary_flows(f: FlowContext) -> list[dict[str, Any]]:
    r = f.r
    out = []
    for node in r.nodes.values():
        if node.local != "boundaryEvent":
            continue
        ref = node.element.get("attachedToRef")
        host = r.resolve(ref, node.pool.scope)
        if host not in f.ids.of:
            what = (
                f"is attached to {ref!r}, which is not an activity of the file"
                if ref
                else "has no attachedToRef: it is attached to no activity"
            )
            r.error(
                node.element,
                f"boundary event {r.label(node.element)} {what}",
                "attach it to a task or sub-process",
                "missing-reference",
                node.id,
            )
            continue
        kind = next(
            (_BOUNDARY_KIND[e] for e in node.events if e in _BOUNDARY_KIND), FlowKind.normal
        )
        source, target = f.ids.of[host], f.ids.of[node.id]
        flow: dict[str, Any] = {
            "id": f"{source}->{target}",
            "from": source,
            "to": target,
            "generated": True,
        }
        if kind != FlowKind.normal:
            flow["kind"] = kind.value
        label = clean(node.element.get("name"))
        if label:
            flow["label"] = label
        r.locations.defer(f"flow:{flow['id']}", node.element)
        out.append(flow)
    return out


def _event_flows(f: FlowContext, semantics: Semantics) -> list[dict[str, Any]]:
    """Generated flows for what BPMN events say without a sequence flow (:mod:`.events`)."""
    r, of = f.r, f.ids.of
    out = []
    pairs = [(a, b, "") for a, b in semantics.links + semantics.compensations]
    pairs += [(task, event, "action") for task, event in semantics.actions]
    pairs += [(start, activity, "adhoc") for start, activity in semantics.adhoc]
    for raw_source, raw_target, why in pairs:
        if raw_source not in of or raw_target not in of:
            continue
        source, target = of[raw_source], of[raw_target]
        flow: dict[str, Any] = {
            "id": f"{source}->{target}",
            "from": source,
            "to": target,
            "generated": True,
        }
        r.locations.defer(f"flow:{flow['id']}", r.nodes[raw_target].element)
        out.append(flow)
        if why == "adhoc":
            process = r.nodes[raw_source].pool.process
            name = clean(process.get("name")) or process.get("id", "")
            task = clean(r.nodes[raw_target].element.get("name")) or raw_target
            f.org.infer(
                flow["id"],
                "generated",
                "true",
                f"'{name}' is an ad-hoc process: '{task}', which no flow reaches, may "
                "be done at any time",
            )
        elif why:
            event = r.nodes[raw_target].element.get("name") or raw_target
            task = r.nodes[raw_source].element.get("name") or raw_source
            f.org.infer(
                flow["id"],
                "generated",
                "true",
                f"event '{clean(event)}' has no flow into it and leads to "
                f"'{clean(task)}': read as an action offered on '{clean(task)}' "
                "(as workflow engines such as Imixs draw them)",
            )
    return out


def _carried(f: FlowContext, edges: list[Edge]) -> list[dict[str, Any]]:
    """Flows of a file flowmap wrote: each flow is the edge that carries ``flowmap:id``; its ends
    are found by walking through the synthetic nodes BPMN needed around it."""
    r = f.r
    incoming: dict[str, list[Edge]] = {}
    outgoing: dict[str, list[Edge]] = {}
    for edge in edges:
        outgoing.setdefault(edge.source, []).append(edge)
        incoming.setdefault(edge.target, []).append(edge)

    def synthetic(ident: str) -> bool:
        node = r.nodes.get(ident)
        return node is not None and node.element.get(FM + "synthetic") == "true"

    def walk(ident: str, links: dict[str, list[Edge]], back: bool) -> str | None:
        seen = set()
        while synthetic(ident):
            if ident in seen or len(links.get(ident, [])) != 1:
                return None
            seen.add(ident)
            edge = links[ident][0]
            ident = edge.source if back else edge.target
        return ident

    out = []
    for edge in edges:
        if edge.element.get(FM + "id") is None:
            if not synthetic(edge.source) and not synthetic(edge.target):
                out.append(
                    _flow(
                        f,
                        edge,
                        f.ids.of.get(edge.source, edge.source),
                        f.ids.of.get(edge.target, edge.target),
                    )
                )
            continue
        source = walk(edge.source, incoming, back=True)
        target = walk(edge.target, outgoing, back=False)
        if source not in f.ids.of or target not in f.ids.of:
            r.error(
                edge.element,
                f"flow {edge.id!r} does not lead from a step to a step",
                "this file was changed after flowmap wrote it; remove flowmap:synthetic "
                "from the elements you kept",
                "broken-export",
                edge.id,
            )
            continue
        out.append(_flow(f, edge, f.ids.of[source], f.ids.of[target]))
    return out

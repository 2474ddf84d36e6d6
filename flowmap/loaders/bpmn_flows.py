"""Flows of a BPMN model: sequence flows, message flows, boundary events and sub-processes.

* A sequence flow keeps its BPMN id. Its kind is ``flowmap:kind`` when given; else ``exception``
  or ``escalation`` when it leaves an error (or cancel) / escalation boundary event; else
  ``exception`` when it leaves a gateway and its label names a failure; else ``normal``.
* A boundary event is a step; a flow ``<activity>-><event>`` of the same kind joins the two.
* A message flow is a flow between pools. When it starts or ends at a pool rather than a node,
  the pool is represented by a step with the pool's id (owned by the customer, or by a function
  named after the pool).
* An expanded sub-process is flattened: flows into it reach the sub-process step, which leads to
  its inner start nodes; flows out of it leave from its inner end nodes.
* In files flowmap wrote, nodes marked ``flowmap:synthetic`` (start and end events, gateways and
  relay events that BPMN needs and flowmap does not) are walked through, and only the flows that
  carry ``flowmap:id`` become flows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flowmap.loaders import bpmn_names as names
from flowmap.loaders.bpmn import FM, GATEWAYS, MODEL_NS, SUBPROCESSES, _clean, _Edge, _local, _ns
from flowmap.model import CUSTOMER, FlowKind

if TYPE_CHECKING:
    from flowmap.loaders.bpmn_build import _Builder

_BOUNDARY_KIND = {"error": FlowKind.exception, "cancel": FlowKind.exception,
                  "escalation": FlowKind.escalation}


def flows(builder: _Builder) -> list[dict[str, Any]]:
    r = builder.r
    edges = list(r.edges)
    edges += _message_flows(builder)
    if r.errors:
        return []
    out: list[dict[str, Any]] = []
    if r.exported:
        return _carried(builder, edges)
    for edge in edges:
        source = _end(builder, edge, "sourceRef", edge.source)
        target = _end(builder, edge, "targetRef", edge.target)
        if source is None or target is None:
            continue
        out.append(_flow(builder, edge, source, target))
    out += _boundary_flows(builder)
    if r.errors:
        return []
    out = _flatten_subprocesses(builder, out)
    seen: set[str] = set()
    for flow in out:  # ids must be unique; generated ones may meet
        base, n = flow["id"], 1
        while flow["id"] in seen:
            n += 1
            flow["id"] = f"{base}#{n}"
        seen.add(flow["id"])
    return out


def _end(builder: _Builder, edge: _Edge, attribute: str, ref: str) -> str | None:
    """The step id at one end of a flow; records an error when it names nothing."""
    r = builder.r
    scope = ""
    node = r.nodes.get(edge.source) if attribute == "targetRef" else None
    if node is not None and node.pool.process is not None:
        scope = node.pool.process.get("id", "")
    ident = r.resolve(ref, scope)
    if ident in builder.step_ids:
        return builder.step_ids[ident]
    if ident is not None and edge.message:
        step = _pool_step(builder, ident)
        if step is not None:
            return step
    what = "message flow" if edge.message else "sequence flow"
    if not ref:
        r.error(edge.element, f"{what} {edge.id!r} has no {attribute}",
                f"connect both ends of the {what}", "missing-reference", edge.id)
    elif ident is None:
        r.error(edge.element, f"{what} {edge.id!r}: {attribute} {ref!r} names no element of "
                              "the file", "connect it to an existing task, event or gateway, "
                                          "or delete it", "missing-reference", edge.id)
    else:
        r.error(edge.element, f"{what} {edge.id!r}: {attribute} {ref!r} is a "
                              f"<{_local(r.by_id[ident].tag)}>, not a flow node",
                "connect it to a task, event or gateway", "invalid-reference", edge.id)
    return None


def _pool_step(builder: _Builder, ident: str) -> str | None:
    """A message flow that reaches a whole pool: the pool's single start event, or a step that
    stands for the pool."""
    r = builder.r
    pool = next((p for p in r.pools if p.id == ident), None)
    if pool is None:
        return None
    if pool.process is not None:
        starts = [n for n in r.nodes.values() if n.pool is pool and n.local == "startEvent"
                  and n.container is None]
        if len(starts) == 1:
            return builder.step_ids[starts[0].id]
    sid = builder._step_id(ident)
    if any(step["id"] == sid for step in builder.steps):
        return sid
    if pool.is_customer:
        builder._note_customer(pool.name, pool.element)
        owner = CUSTOMER
    else:
        fid = builder.function_of_key.get(pool.id) or builder._function(pool.id, pool.name,
                                                                        pool.element)
        owner = builder._owner(f"{fid}.staff")
    builder.steps.append({"id": sid, "name": pool.name, "owner": owner, "kind": "task",
                          "notes": "the pool as a whole (a black box in the model)"})
    r.locations.defer(f"step:{sid}", pool.element)
    return sid


def _message_flows(builder: _Builder) -> list[_Edge]:
    r = builder.r
    out = []
    for collaboration in r.doc.root:
        if _local(collaboration.tag) not in ("collaboration", "choreography") or \
                _ns(collaboration.tag) not in MODEL_NS:
            continue
        for element in collaboration:
            if _local(element.tag) != "messageFlow":
                continue
            ident = element.get("id")
            if not ident:
                r.error(element, "a <messageFlow> has no id", "give it an id", "missing-id")
                continue
            out.append(_Edge(ident, element.get("sourceRef", ""), element.get("targetRef", ""),
                             element, message=True))
    return out


def _flow(builder: _Builder, edge: _Edge, source: str, target: str) -> dict[str, Any]:
    r = builder.r
    element = edge.element
    flow: dict[str, Any] = {"id": element.get(FM + "id") or edge.id, "from": source,
                            "to": target}
    label = element.get("name")
    label = (label or "").strip() if r.exported else _clean(label)
    kind = element.get(FM + "kind")
    if kind is not None and kind not in FlowKind.__members__:
        r.error(element, f"flowmap:kind {kind!r} on flow {edge.id!r} is not a flow kind",
                f"write one of: {', '.join(FlowKind.__members__)}", "invalid-value", edge.id)
        kind = None
    if kind is None and not r.exported:
        node = r.nodes.get(r.resolve(edge.source) or "")
        if node is not None and node.local == "boundaryEvent":
            kind = next((_BOUNDARY_KIND[e].value for e in node.events if e in _BOUNDARY_KIND),
                        None)
        if kind is None and node is not None and node.local in GATEWAYS and label and \
                names.names_failure(label):
            kind = FlowKind.exception.value
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
            r.error(element, f"flowmap:probability {probability!r} on flow {edge.id!r}: write a "
                             "number from 0 to 1", "", "invalid-value", edge.id)
    ignore = builder._ignore(builder._extensions(element))
    if ignore:
        flow["ignore"] = ignore
    r.locations.defer(f"flow:{flow['id']}", element)
    if r.exported:
        flow["_order"] = element.get(FM + "order", "0")
    return flow


def _boundary_flows(builder: _Builder) -> list[dict[str, Any]]:
    r = builder.r
    out = []
    for node in r.nodes.values():
        if node.local != "boundaryEvent":
            continue
        ref = node.element.get("attachedToRef")
        host = r.resolve(ref, node.pool.process.get("id", "") if node.pool.process is not None
                         else "")
        if host not in builder.step_ids:
            r.error(node.element, f"boundary event {node.id!r} is attached to "
                                  f"{ref!r}, which is not an activity of the file",
                    "attach it to a task or sub-process", "missing-reference", node.id)
            continue
        kind = next((_BOUNDARY_KIND[e] for e in node.events if e in _BOUNDARY_KIND),
                    FlowKind.normal)
        source, target = builder.step_ids[host], builder.step_ids[node.id]
        flow: dict[str, Any] = {"id": f"{source}->{target}", "from": source, "to": target}
        if kind != FlowKind.normal:
            flow["kind"] = kind.value
        label = _clean(node.element.get("name"))
        if label:
            flow["label"] = label
        r.locations.defer(f"flow:{flow['id']}", node.element)
        out.append(flow)
    return out


def _flatten_subprocesses(builder: _Builder, flows: list[dict[str, Any]]) -> list[dict]:
    """Wire each expanded sub-process into the flow: step -> inner entries; inner exits -> the
    sub-process's successors. Innermost first."""
    r = builder.r
    sid = builder.step_ids
    children: dict[str, list[str]] = {}
    for node in r.nodes.values():
        if node.container:
            children.setdefault(node.container, []).append(node.id)
    if not children:
        return flows
    depth = {}
    for container in children:
        d, parent = 0, container
        while parent:
            d += 1
            parent = r.nodes[parent].container if parent in r.nodes else None
        depth[container] = d
    for container in sorted(children, key=lambda c: -depth[c]):
        outer = r.nodes[container]
        if outer.local not in SUBPROCESSES:
            continue
        members = {sid[n] for n in _members(container, children)}
        direct = [sid[n] for n in children[container]
                  if r.nodes[n].local != "boundaryEvent"]
        inside = [f for f in flows if f["from"] in members and f["to"] in members]
        has_in = {f["to"] for f in inside}
        has_out = {f["from"] for f in inside}
        starts = [s for s in direct if r.nodes[_raw(builder, s)].local == "startEvent"]
        entries = starts or [s for s in direct if s not in has_in]
        exits = [s for s in members if s not in has_out
                 and r.nodes[_raw(builder, s)].local != "boundaryEvent"
                 and s not in {sid[n] for n in children if n in r.nodes}]
        exits = [s for s in _ordered(members, builder) if s in exits]
        me = sid[container]
        if outer.element.get("triggeredByEvent") == "true":
            continue  # an event sub-process starts on its own; its content stays as drawn
        added = [{"id": f"{me}->{entry}", "from": me, "to": entry} for entry in entries]
        for flow in added:
            builder.r.locations.defer(f"flow:{flow['id']}", outer.element)
        rewired = []
        for flow in flows:
            if flow["from"] == me and flow["to"] not in members and exits and \
                    flow.get("kind", "normal") == "normal" and \
                    getattr(r.nodes.get(_raw(builder, flow["to"])), "local", "") != "boundaryEvent":
                for i, exit_step in enumerate(exits):
                    copy = dict(flow, **{"from": exit_step})
                    if i:
                        copy["id"] = f"{flow['id']}#{i + 1}"
                        r.locations[f"flow:{copy['id']}"] = r.locations.get(
                            f"flow:{flow['id']}", r.where(outer.element))
                    rewired.append(copy)
            else:
                rewired.append(flow)
        flows = rewired + added
    return flows


def _raw(builder: _Builder, step_id: str) -> str:
    inverse = getattr(builder, "_inverse_ids", None)
    if inverse is None:
        inverse = {v: k for k, v in builder.step_ids.items()}
        builder._inverse_ids = inverse
    return inverse.get(step_id, step_id)


def _members(container: str, children: dict[str, list[str]]) -> list[str]:
    out = []
    for child in children.get(container, []):
        out.append(child)
        out.extend(_members(child, children))
    return out


def _ordered(members: set[str], builder: _Builder) -> list[str]:
    return [s for s in builder.step_ids.values() if s in members]


def _carried(builder: _Builder, edges: list[_Edge]) -> list[dict[str, Any]]:
    """Flows of a file flowmap wrote: each flow is the edge that carries ``flowmap:id``; its ends
    are found by walking through the synthetic nodes BPMN needed around it."""
    r = builder.r
    incoming: dict[str, list[_Edge]] = {}
    outgoing: dict[str, list[_Edge]] = {}
    for edge in edges:
        outgoing.setdefault(edge.source, []).append(edge)
        incoming.setdefault(edge.target, []).append(edge)

    def synthetic(ident: str) -> bool:
        node = r.nodes.get(ident)
        return node is not None and node.element.get(FM + "synthetic") == "true"

    def walk(ident: str, links: dict[str, list[_Edge]], back: bool) -> str | None:
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
                out.append(_flow(builder, edge, builder.step_ids.get(edge.source, edge.source),
                                 builder.step_ids.get(edge.target, edge.target)))
            continue
        source = walk(edge.source, incoming, back=True)
        target = walk(edge.target, outgoing, back=False)
        if source not in builder.step_ids or target not in builder.step_ids:
            r.error(edge.element, f"flow {edge.id!r} does not lead from a step to a step",
                    "this file was changed after flowmap wrote it; remove flowmap:synthetic "
                    "from the elements you kept", "broken-export", edge.id)
            continue
        out.append(_flow(builder, edge, builder.step_ids[source], builder.step_ids[target]))
    return out

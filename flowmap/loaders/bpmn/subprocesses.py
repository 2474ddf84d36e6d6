"""Expanded sub-processes of a BPMN model wired into the flow (part of stage 6, :mod:`.flows`): a
flow into a sub-process reaches the sub-process step, which leads to its inner entries; a flow out
of it leaves from its inner exits. An event sub-process leads only to its own start. The flows
added are marked ``generated``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flowmap.loaders.bpmn.elements import SUBPROCESSES

if TYPE_CHECKING:
    from flowmap.loaders.bpmn.flows import FlowContext


def flatten_subprocesses(f: FlowContext, flows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Wire each expanded sub-process into the flow: step -> inner entries; inner exits -> the
    sub-process's successors. Innermost first."""
    r = f.r
    sid = f.ids.of
    children: dict[str, list[str]] = {}
    for node in r.nodes.values():
        if node.container:
            children.setdefault(node.container, []).append(node.id)
    if not children:
        return flows
    depth: dict[str, int] = {}
    for container in children:
        d = 0
        parent: str | None = container
        while parent:
            d += 1
            parent = r.nodes[parent].container if parent in r.nodes else None
        depth[container] = d
    for container in sorted(children, key=lambda c: -depth[c]):
        outer = r.nodes[container]
        if outer.local not in SUBPROCESSES:
            continue
        members = {sid[n] for n in _members(container, children)}
        direct = [sid[n] for n in children[container] if r.nodes[n].local != "boundaryEvent"]
        inside = [x for x in flows if x["from"] in members and x["to"] in members]
        has_in = {x["to"] for x in inside}
        has_out = {x["from"] for x in inside}
        starts = [s for s in direct if r.nodes[f.ids.raw(s)].local == "startEvent"]
        entries = starts or [s for s in direct if s not in has_in]
        exits = [
            s
            for s in members
            if s not in has_out
            and r.nodes[f.ids.raw(s)].local != "boundaryEvent"
            and s not in {sid[n] for n in children if n in r.nodes}
        ]
        exits = [s for s in _ordered(members, f) if s in exits]
        me = sid[container]
        added: list[dict[str, Any]] = [
            {"id": f"{me}->{entry}", "from": me, "to": entry, "generated": True}
            for entry in entries
        ]
        if outer.element.get("triggeredByEvent") == "true":
            # an event sub-process starts on its own event: it holds its start, and nothing
            # leads into it or out of it
            for flow in added:
                r.locations.defer(f"flow:{flow['id']}", outer.element)
            flows = flows + added
            continue
        for flow in added:
            r.locations.defer(f"flow:{flow['id']}", outer.element)
        rewired: list[dict[str, Any]] = []
        for flow in flows:
            if (
                flow["from"] == me
                and flow["to"] not in members
                and exits
                and flow.get("kind", "normal") == "normal"
                and getattr(r.nodes.get(f.ids.raw(flow["to"])), "local", "") != "boundaryEvent"
            ):
                for i, exit_step in enumerate(exits):
                    copy = dict(flow, **{"from": exit_step})
                    if i:
                        copy["id"] = f"{flow['id']}#{i + 1}"
                        copy["generated"] = True
                        r.locations[f"flow:{copy['id']}"] = r.locations.get(
                            f"flow:{flow['id']}", r.where(outer.element)
                        )
                    rewired.append(copy)
            else:
                rewired.append(flow)
        flows = rewired + added
    return flows


def _members(container: str, children: dict[str, list[str]]) -> list[str]:
    out = []
    for child in children.get(container, []):
        out.append(child)
        out.extend(_members(child, children))
    return out


def _ordered(members: set[str], f: FlowContext) -> list[str]:
    return [s for s in f.ids.of.values() if s in members]

"""Processes of several shapes, at any size, for the scale benchmark (``bench_scale.py``).

Each shape is a function ``size -> (file name, text)``; ``size`` is about the number of steps
(tasks). The shapes differ in what the rules meet:

* ``synthetic`` - the flowmap YAML line of ``synthetic.py``: 30 functions with deep
  hierarchies, decisions whose branches rejoin, rework loops, customer steps;
* ``bpmn-lanes`` - ``bench_bpmn.py``'s collaboration: function lanes split into role lanes, an
  exclusive gateway every ten tasks with a loop back, a diagram for every element;
* ``bpmn-service`` - a customer pool and a company pool exchanging a message every few tasks,
  failure branches ("Parts missing?") that land on customer service, which apologises and
  sometimes recovers, complaints, ping-pong between two teams and rework loops;
* ``library`` - the library's as-is processes (``processes/*/as-is.flow.yaml``), copied side by
  side until the file has ``size`` steps.

    python benchmarks/shapes.py bpmn-service 2000 -o /tmp/service.bpmn
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_bpmn
import synthetic

ROOT = Path(__file__).resolve().parents[1]


def synthetic_shape(size: int) -> tuple[str, str]:
    return "synthetic.flow.yaml", synthetic.generate(size, functions=30)


def bpmn_lanes(size: int) -> tuple[str, str]:
    return "lanes.bpmn", bench_bpmn.generate(size)


_TEAMS = ("Sales", "Operations", "Finance", "Logistics", "Customer service")
_ROLES = ("Clerk", "Team lead", "Manager")


def bpmn_service(size: int) -> tuple[str, str]:
    """A collaboration with message flows, failures handled by customer service and loops."""
    lanes = [f"{t} {r}" for t in _TEAMS for r in _ROLES]
    service = [i for i, name in enumerate(lanes) if name.startswith("Customer service")]
    nodes: list[tuple[str, str, str, int]] = []  # id, tag, name, lane
    flows: list[tuple[str, str, str, str]] = []  # id, source, target, label
    customer: list[tuple[str, str, str]] = []  # customer pool: id, tag, name
    customer_flows: list[tuple[str, str, str]] = []
    messages: list[tuple[str, str, str]] = []
    nodes.append(("start", "startEvent", "Order placed", 0))
    customer.append(("c_start", "startEvent", "Customer needs goods"))
    previous, c_previous = "start", "c_start"
    i = 0

    def add(ident: str, tag: str, name: str, lane: int, label: str = "") -> None:
        nonlocal previous
        nodes.append((ident, tag, name, lane))
        flows.append((f"f_{len(flows)}", previous, ident, label))
        previous = ident

    while i < size:
        lane = (i * 7) % len(lanes)
        block = i % 25
        if block == 5:  # a failure branch that lands on customer service
            add(f"check_{i}", "exclusiveGateway", f"Parts for order {i} in stock?", lane)
            gateway = previous
            add(f"task_{i}", "task", f"Pick parts {i}", lane, "yes")
            ok = previous
            previous = gateway
            where = service[i % len(service)]
            add(f"sorry_{i}", "task", f"Apologise for the delay {i}", where, "parts missing")
            if i % 50 == 5:
                add(f"recover_{i}", "task", f"Reorder the parts {i}", where)
            add(f"join_{i}", "exclusiveGateway", f"Join {i}", lane)
            flows.append((f"f_{len(flows)}", ok, previous, ""))
            i += 3
        elif block == 12:  # ping-pong: a review sent back between two teams
            a, b = lane, (lane + 4) % len(lanes)
            add(f"draft_{i}", "task", f"Draft the offer {i}", a)
            draft = previous
            add(f"review_{i}", "task", f"Review the offer {i}", b)
            add(f"ok_{i}", "exclusiveGateway", f"Offer {i} correct?", b)
            flows.append((f"f_{len(flows)}", previous, draft, "no"))
            add(f"send_{i}", "task", f"Send the offer {i}", a, "yes")
            i += 3
        elif block == 18:  # the customer answers: a message each way
            add(f"ask_{i}", "sendTask", f"Ask the customer for details {i}", lane)
            ident = f"c_answer_{i}"
            customer.append((ident, "task", f"Send the details {i}"))
            customer_flows.append((f"cf_{len(customer_flows)}", c_previous, ident))
            c_previous = ident
            messages.append((f"m_{i}_out", previous, ident))
            add(f"receive_{i}", "receiveTask", f"Receive the details {i}", lane)
            messages.append((f"m_{i}_in", ident, previous))
            i += 2
        elif block == 22:  # rework: a check that sends work back three tasks
            add(f"task_{i}", "task", f"Assemble item {i}", lane)
            add(f"qa_{i}", "exclusiveGateway", f"Item {i} passes the check?", lane)
            flows.append((f"f_{len(flows)}", previous, f"task_{i - 2}", "rework"))
            i += 1
        else:
            add(f"task_{i}", "task", f"Handle order line {i}", lane)
            i += 1
    add("end", "endEvent", "Order delivered", len(lanes) - 1)
    customer.append(("c_end", "endEvent", "Goods received"))
    customer_flows.append((f"cf_{len(customer_flows)}", c_previous, "c_end"))
    messages.append(("m_done", "end", "c_end"))

    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        (
            '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
            'id="defs" targetNamespace="urn:bench">'
        ),
        '  <bpmn:collaboration id="collab">',
        '    <bpmn:participant id="customer" name="Customer" processRef="customer_process" />',
        '    <bpmn:participant id="company" name="Acme" processRef="process" />',
    ]
    out += [
        f'    <bpmn:messageFlow id="{m}" sourceRef="{s}" targetRef="{t}" />' for m, s, t in messages
    ]
    out += [
        "  </bpmn:collaboration>",
        '  <bpmn:process id="customer_process" isExecutable="false">',
    ]
    out += [f'    <bpmn:{tag} id="{ident}" name="{name}" />' for ident, tag, name in customer]
    out += [
        f'    <bpmn:sequenceFlow id="{f}" sourceRef="{s}" targetRef="{t}" />'
        for f, s, t in customer_flows
    ]
    out += [
        "  </bpmn:process>",
        '  <bpmn:process id="process" isExecutable="false">',
        '    <bpmn:laneSet id="laneset">',
    ]
    for t, team in enumerate(_TEAMS):  # a lane per team, split into a lane per role
        out += [
            f'      <bpmn:lane id="team_{t}" name="{team}">',
            f'        <bpmn:childLaneSet id="laneset_{t}">',
        ]
        for r, role in enumerate(_ROLES):
            index = t * len(_ROLES) + r
            out.append(f'          <bpmn:lane id="lane_{index}" name="{role}">')
            out += [
                f"            <bpmn:flowNodeRef>{ident}</bpmn:flowNodeRef>"
                for ident, _, _, lane in nodes
                if lane == index
            ]
            out.append("          </bpmn:lane>")
        out += ["        </bpmn:childLaneSet>", "      </bpmn:lane>"]
    out.append("    </bpmn:laneSet>")
    out += [f'    <bpmn:{tag} id="{ident}" name="{name}" />' for ident, tag, name, _ in nodes]
    for f, s, t, label in flows:
        name = f' name="{label}"' if label else ""
        out.append(f'    <bpmn:sequenceFlow id="{f}" sourceRef="{s}" targetRef="{t}"{name} />')
    out += ["  </bpmn:process>", "</bpmn:definitions>", ""]
    return "service.bpmn", "\n".join(out)


def library(size: int) -> tuple[str, str]:
    """The library's as-is processes, copied side by side up to ``size`` steps (step ids get the
    copy's number, function ids the source process's)."""
    sys.path.insert(0, str(ROOT))
    from flowmap.loaders.flow_yaml import load_process
    from flowmap.writers.flow_yaml import dump

    sources = [load_process(p) for p in sorted((ROOT / "processes").glob("*/as-is.flow.yaml"))]
    functions = {}
    for j, source in enumerate(sources):
        for function in source.organisation.functions:
            roles = [
                r.model_copy(update={"reports_to": _rename(r.reports_to, j)})
                for r in function.roles
            ]
            functions[f"{function.id}-{j}"] = function.model_copy(
                update={"id": f"{function.id}-{j}", "roles": roles}
            )
    steps, flows, copy = [], [], 0
    while len(steps) < size:
        for j, source in enumerate(sources):
            suffix = f"-{copy}"
            steps += [
                s.model_copy(update={"id": s.id + suffix, "owner": _rename(s.owner, j)})
                for s in source.steps
            ]
            flows += [
                f.model_copy(
                    update={
                        "id": f.id + suffix,
                        "source": f.source + suffix,
                        "target": f.target + suffix,
                    }
                )
                for f in source.flows
            ]
            copy += 1
            if len(steps) >= size:
                break
    base = sources[0]
    organisation = base.organisation.model_copy(update={"functions": list(functions.values())})
    process = base.model_copy(
        update={"steps": steps, "flows": flows, "measures": [], "organisation": organisation}
    )
    return "library.flow.yaml", dump(process)


def _rename(owner: str | None, j: int) -> str | None:
    """'service.agent' of source ``j`` -> 'service-j.agent'."""
    if not owner or "." not in owner:
        return owner
    function, role = owner.split(".", 1)
    return f"{function}-{j}.{role}"


SHAPES = {
    "synthetic": synthetic_shape,
    "bpmn-lanes": bpmn_lanes,
    "bpmn-service": bpmn_service,
    "library": library,
}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shape", choices=sorted(SHAPES))
    parser.add_argument("size", type=int)
    parser.add_argument("-o", "--output")
    args = parser.parse_args(argv)
    _, text = SHAPES[args.shape](args.size)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

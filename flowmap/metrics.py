"""Process metrics: handoffs, value shares, cycle efficiency, touchpoints, service position.

Pure: a :class:`~flowmap.graph.ProcessGraph` in, a flat mapping of named figures out. The
definitions are in ``docs/metrics.md``; ``flowmap compare`` and ``flowmap diff`` print their deltas.

A figure that rests on nothing the model declares is ``None`` (shown "n/a"), never 0: value
shares when no step declares its value, lead time and cycle efficiency when no step has a time.
``assumed_splits`` counts the decisions on the main path whose branches carry no probability:
the main path (and so the lead time) assumes an even split there.
"""

from __future__ import annotations

from flowmap.graph import Handoff, HandoffKind, ProcessGraph
from flowmap.model import FlowKind, FunctionKind, Purpose, StepKind, Value

# Metrics where a higher figure is better (for the sign of deltas in reports).
HIGHER_IS_BETTER = {
    "value_adding_share",
    "value_adding_time_share",
    "cycle_efficiency",
    "customer_facing_function_share",
    "feedback_loops",
    "relationship_measures",
}


def compute(graph: ProcessGraph) -> dict[str, float | int | None]:
    process = graph.process
    work_steps = [
        s for s in process.steps if s.kind not in (StepKind.start, StepKind.end, StepKind.event)
    ]
    # Handoffs pass the work on; feedback and information flows run beside it.
    # A flow flattening copied (one per end of a BPMN sub-process) is the one handoff drawn.
    drawn: dict[str, Handoff] = {}
    for h in graph.handoffs.values():
        if h.is_handoff and h.flow.kind not in (FlowKind.feedback, FlowKind.information):
            drawn.setdefault(h.flow.drawn_id, h)
    handoffs = list(drawn.values())
    internal = [h for h in handoffs if h.kind != HandoffKind.customer]
    count = {
        kind: sum(1 for h in internal if h.kind == kind)
        for kind in (HandoffKind.horizontal, HandoffKind.vertical, HandoffKind.diagonal)
    }
    cross_function = sum(1 for h in internal if h.cross_function)

    def share(n: float, d: float) -> float | None:
        return round(n / d, 4) if d else None

    # One pass over the work steps (a pass per figure read every step's fields again and again).
    by_value: dict[Value | None, int] = dict.fromkeys([*Value, None], 0)
    total_time = va_time = 0.0
    for s in work_steps:
        by_value[s.value] += 1
        total_time += s.work + s.wait
        if s.value == Value.customer:
            va_time += s.work
    undeclared = by_value[None]
    declared = len(work_steps) - undeclared
    timed = any(s.work or s.wait for s in process.steps)

    def value_share(n: int) -> float | None:
        return share(n, len(work_steps)) if declared else None

    path = graph.main_path
    path_steps = [graph.steps[sid] for sid in path]
    lead_time = sum(s.work + s.wait for s in path_steps)
    path_va = sum(s.work for s in path_steps if s.value == Value.customer)

    service_on_path = [i for i, sid in enumerate(path) if graph.is_service(sid)]
    first_service = (
        round(service_on_path[0] / (len(path) - 1), 4)
        if service_on_path and len(path) > 1
        else None
    )

    functions = process.organisation.functions
    meeting = {
        ref.function.id for sid in graph.touchpoints if (ref := graph.role_of(sid)) is not None
    }
    ping_pongs = _ping_pongs(graph)
    feedback = sum(1 for f in process.flows if f.kind == FlowKind.feedback)
    feedback_steps = sum(1 for s in process.steps if Purpose.feedback in s.purpose)
    from flowmap.model import RELATIONSHIP_MEASURES

    return {
        "steps": len(process.steps),
        "work_steps": len(work_steps),
        "functions": len(functions),
        "roles": len(graph.roles),
        "flows": len(process.flows),
        "handoffs": len(internal),
        "handoffs_horizontal": count[HandoffKind.horizontal],
        "handoffs_vertical": count[HandoffKind.vertical],
        "handoffs_diagonal": count[HandoffKind.diagonal],
        "handoffs_cross_function": cross_function,
        "vertical_share": share(
            count[HandoffKind.vertical] + count[HandoffKind.diagonal], len(internal)
        ),
        "ping_pongs": ping_pongs,
        "customer_touchpoints": len(graph.touchpoints),
        "customer_steps": sum(1 for s in process.steps if s.is_customer),
        "value_adding_share": value_share(by_value[Value.customer]),
        "business_share": value_share(by_value[Value.business]),
        "non_value_share": value_share(by_value[Value.none]),
        "undeclared_value_share": share(undeclared, len(work_steps)),
        "value_adding_time_share": share(va_time, total_time) if total_time and declared else None,
        "lead_time_minutes": round(lead_time, 2) if timed else None,
        "cycle_efficiency": round(path_va / lead_time, 4) if lead_time and declared else None,
        "main_path_steps": len(path),
        "assumed_splits": _assumed_splits(graph, path),
        "first_service_contact": first_service,
        "feedback_loops": feedback + feedback_steps,
        "rework_flows": sum(1 for f in process.flows if f.kind == FlowKind.rework),
        "customer_facing_function_share": share(len(meeting), len(functions)),
        "service_functions": sum(1 for f in functions if f.kind == FunctionKind.service),
        "relationship_measures": sum(
            1 for m in process.measures if m.kind in RELATIONSHIP_MEASURES
        ),
    }


def _assumed_splits(graph: ProcessGraph, path: list[str]) -> int:
    """Decisions on the main path with two or more ways on and no probability on any of them."""
    count = 0
    for sid in path:
        if graph.steps[sid].kind != StepKind.decision:
            continue
        out = [
            graph.flows[k]
            for _, _, k in graph.flow.out_edges(sid, keys=True)
            if graph.flows[k].kind in (FlowKind.normal, FlowKind.escalation)
        ]
        if len(out) > 1 and all(f.probability is None for f in out):
            count += 1
    return count


def _ping_pongs(graph: ProcessGraph) -> int:
    """Times work comes back to a function it just left (A -> B -> A), along any flow."""
    function = {
        sid: ref.function.id for sid in graph.steps if (ref := graph.role_of(sid)) is not None
    }
    succ = graph.flow.succ
    count = 0
    for a, after in succ.items():
        fa = function.get(a)
        if fa is None:
            continue
        for b, keys in after.items():
            fb = function.get(b)
            if fb is None or fb == fa:
                continue
            back = sum(1 for c in succ[b] if function.get(c) == fa)
            count += back * len(keys)  # each flow a -> b is a way there
    return count

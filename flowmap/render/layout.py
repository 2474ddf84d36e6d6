"""Stage 1 of rendering: a process and its analysis -> a :class:`Diagram` description.

The diagram is a service blueprint drawn as swimlanes, time running left to right:

* the customer's lane at the top, then the *line of interaction*;
* the front-stage functions, then the *line of visibility*; then the back-stage functions
  (``ProcessGraph.stage``); steps whose owner is unknown go to a last "unassigned" band;
* each function is a band; its roles are sub-bands ordered by level, the highest level on top,
  so that work climbing a chain of command is seen climbing on the page.

Findings become numbered badges on the elements they name, and the paths they follow (a chimney's
climb and descent, the road from an upstream failure to customer service) are highlighted along
their length. Nothing here knows about DOT: :mod:`flowmap.render.dot` draws this description.
Pure: no I/O.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flowmap.model import CUSTOMER, FlowKind, StepKind, Value

if TYPE_CHECKING:
    from flowmap.analysis import Analysis
    from flowmap.graph import ProcessGraph
    from flowmap.model import Process
    from flowmap.rules.base import Finding

FINDINGS_MODES = ("none", "badges", "full")
# Families whose findings follow a path worth lighting up along its length: the chimneys and the
# road from an upstream failure down to customer service. Others are shown by their badges.
HIGHLIGHTED = ("smokestack", "service")
# Kinds of function drawn below the line of internal interaction.
SUPPORT_KINDS = ("it", "hr", "legal", "procurement", "compliance", "management")


@dataclass(frozen=True)
class Lane:
    """A sub-band: one role of a function, the customer, or the unassigned steps."""

    key: str  # "customer", "function.role" or "unassigned"
    label: str
    level: int | None
    steps: tuple[str, ...]


@dataclass(frozen=True)
class Band:
    """A function (or the customer): a horizontal band made of lanes."""

    key: str
    label: str
    stage: str  # customer | front | back | unassigned
    lanes: tuple[Lane, ...]


@dataclass(frozen=True)
class Line:
    """A horizontal line of the blueprint between two bands."""

    key: str  # "interaction" or "visibility"
    label: str


@dataclass(frozen=True)
class Node:
    id: str  # a safe, deterministic id used in DOT and SVG ("s3")
    step: str  # the step id in the process
    name: str  # the step's name as written (escaped later, by the DOT stage)
    kind: StepKind
    value: Value | None
    lane: str
    work: float
    wait: float
    badges: tuple[int, ...] = ()
    highlight: str = ""  # "" or the family of a finding whose path runs through it
    change: str = ""  # with `render --diff`: "added" or "changed" since the old version
    continuation: str = ""  # on a page: "to" / "from" marks a flow to or from another page
    channel: str = ""  # where the customer meets the organisation here (phone, branch, web...)
    touchpoint: bool = False  # a company step on the line of interaction


@dataclass(frozen=True)
class Edge:
    id: str  # "f3"
    flow: str  # the flow id in the process
    source: str  # node ids
    target: str
    kind: FlowKind
    label: str
    cross_function: bool  # a handoff between two functions
    back: bool  # goes back in time (a loop): does not push the layout to the right
    badges: tuple[int, ...] = ()
    highlight: str = ""
    change: str = ""  # with `render --diff`: "added" or "changed" since the old version


@dataclass(frozen=True)
class Marker:
    """A numbered finding, as listed in the diagram's legend."""

    number: int
    code: str
    name: str
    family: str
    severity: str
    message: str
    suggestion: str
    elements: tuple[str, ...]  # node and edge ids it names (diagram ids)


@dataclass
class Diagram:
    title: str
    subtitle: str  # status, version and date
    rows: list[Band | Line]
    nodes: list[Node]
    edges: list[Edge]
    findings: list[Marker] = field(default_factory=list)
    findings_mode: str = "full"
    metrics: dict[str, Any] = field(default_factory=dict)
    maturity: Any = None
    process_id: str = ""
    # Pairs (a, b): b is drawn to the right of a although no drawn flow leads from a to b. A
    # function's page, cut out of a larger process, keeps the whole process's order this way.
    sequence: list[tuple[str, str]] = field(default_factory=list)

    @property
    def bands(self) -> list[Band]:
        return [row for row in self.rows if isinstance(row, Band)]

    def node(self, node_id: str) -> Node:
        return self._nodes[node_id]

    @property
    def _nodes(self) -> dict[str, Node]:
        return {n.id: n for n in self.nodes}

    def element_ids(self) -> dict[str, str]:
        """Process element id (step or flow) -> diagram id."""
        ids = {n.step: n.id for n in self.nodes}
        ids.update({e.flow: e.id for e in self.edges})
        return ids


def build(
    process: Process,
    analysis: Analysis | None = None,
    *,
    findings: str = "full",
    date: str = "",
    graph: ProcessGraph | None = None,
    changes=None,
) -> Diagram:
    """Describe the diagram of ``process``, annotated with ``analysis`` (when given).

    ``changes`` (a :class:`flowmap.diff.ElementChanges` against an older version) marks the
    steps and flows added or changed, and names the removed ones under the title.
    """
    from flowmap.graph import ProcessGraph

    if findings not in FINDINGS_MODES:
        raise ValueError(f"findings must be one of {', '.join(FINDINGS_MODES)}")
    graph = graph or ProcessGraph(process)
    rows = _rows(process, graph)
    node_ids = {s.id: f"s{i}" for i, s in enumerate(process.steps)}
    edge_ids = {f.id: f"f{i}" for i, f in enumerate(process.flows)}
    lane_of = {
        sid: lane.key
        for band in rows
        if isinstance(band, Band)
        for lane in band.lanes
        for sid in lane.steps
    }

    markers: list[Marker] = []
    badges: dict[str, list[int]] = {}
    highlight: dict[str, str] = {}
    if analysis is not None and findings != "none":
        from flowmap.analysis import rank

        # Numbered in the one order of importance (flowmap.analysis.rank), as `analyze` lists them.
        for number, finding in enumerate(rank(analysis.findings), start=1):
            named = [node_ids.get(e) or edge_ids.get(e) for e in finding.elements]
            named = [n for n in dict.fromkeys(named) if n]
            markers.append(
                Marker(
                    number,
                    finding.code,
                    finding.name,
                    finding.family.value,
                    finding.severity.value,
                    finding.message,
                    finding.suggestion,
                    tuple(named),
                )
            )
            for element in _badge_targets(finding, node_ids, edge_ids):
                badges.setdefault(element, []).append(number)
            if findings == "full" and finding.family.value in HIGHLIGHTED:
                lit = [
                    e
                    for e in _path_elements(finding, graph, node_ids, edge_ids)
                    if e not in highlight
                ]
                for element in lit:
                    highlight[element] = finding.family.value
                # The lit path carries its finding's number on a flow along its middle.
                flows = [e for e in lit if e.startswith("f")]
                if flows and number not in badges.get(flows[len(flows) // 2], []):
                    badges.setdefault(flows[len(flows) // 2], []).append(number)

    def change(element_id: str) -> str:
        if changes is None:
            return ""
        return (
            "added"
            if element_id in changes.added
            else "changed"
            if element_id in changes.changed
            else ""
        )

    back = graph.back_flows
    touchpoints = graph.touchpoints
    # An unnamed gateway or event (as BPMN models mostly leave them) is drawn without a name,
    # not with its id ("gateway_jZGhuA"): its shape says what it is.
    nodes = [
        Node(
            node_ids[s.id],
            s.id,
            s.name if s.kind in UNNAMED_OK else s.label,
            s.kind,
            s.value,
            lane_of[s.id],
            s.work,
            s.wait,
            tuple(badges.get(node_ids[s.id], ())),
            highlight.get(node_ids[s.id], ""),
            change(s.id),
            channel=s.channel,
            touchpoint=s.id in touchpoints and s.owner != CUSTOMER,
        )
        for s in process.steps
    ]
    edges = []
    for flow in process.flows:
        if flow.source not in node_ids or flow.target not in node_ids:
            continue  # a dangling flow: the structure rules report it; nothing to draw
        handoff = graph.handoffs.get(flow.id)
        eid = edge_ids[flow.id]
        edges.append(
            Edge(
                eid,
                flow.id,
                node_ids[flow.source],
                node_ids[flow.target],
                flow.kind,
                flow.label,
                bool(handoff and handoff.cross_function and handoff.kind.value != "customer"),
                flow.id in back,
                tuple(badges.get(eid, ())),
                highlight.get(eid, ""),
                change(flow.id),
            )
        )

    info = process.info
    parts = [info.status.value]
    if info.version:
        parts.append(f"version {info.version}")
    if date:
        parts.append(date)
    if changes is not None:
        parts.append(_changes_line(process, changes))
    return Diagram(
        title=process.name,
        subtitle=" · ".join(parts),
        rows=rows,
        nodes=nodes,
        edges=edges,
        findings=markers,
        findings_mode=findings,
        metrics=dict(analysis.metrics) if analysis is not None else {},
        maturity=analysis.maturity if analysis is not None else None,
        process_id=process.id,
    )


UNNAMED_OK = (StepKind.decision, StepKind.start, StepKind.end, StepKind.event)


def _changes_line(process: Process, changes) -> str:
    steps = {s.id for s in process.steps}
    added = sum(1 for e in changes.added if e in steps)
    changed = sum(1 for e in changes.changed if e in steps)
    flows = len(changes.added) + len(changes.changed) - added - changed
    removed = sorted(changes.removed)
    old = getattr(changes, "old_label", "") or "the old version"
    text = (
        f"changes since {old}: {added} step(s) NEW "
        f"(green, solid), {changed} CHANGED (blue, dashed), {flows} flow(s) new or changed, "
        f"{len(removed)} element(s) removed"
    )
    if removed:
        shown = ", ".join(removed[:8]) + (", ..." if len(removed) > 8 else "")
        text += f" ({shown})"
    return text


# ---------------------------------------------------------------------------------------------
# Bands and lanes in blueprint order
# ---------------------------------------------------------------------------------------------


def _rows(process: Process, graph: ProcessGraph) -> list[Band | Line]:
    by_owner: dict[str, list[str]] = {}
    for step in process.steps:
        owner = step.owner if (step.owner == CUSTOMER or step.owner in graph.roles) else ""
        by_owner.setdefault(owner, []).append(step.id)

    customer = Band(
        CUSTOMER,
        process.customer.name or "Customer",
        "customer",
        (
            Lane(
                CUSTOMER,
                process.customer.name or "Customer",
                None,
                tuple(by_owner.get(CUSTOMER, ())),
            ),
        ),
    )
    front: list[Band] = []
    back: list[Band] = []
    # Support functions (below the line of internal interaction) serve the other functions,
    # not the customer's case directly.
    support = {
        f.id
        for f in process.organisation.functions
        if f.kind is not None and str(getattr(f.kind, "value", f.kind)) in SUPPORT_KINDS
    }
    for function in process.organisation.functions:
        roles = [r for r in function.roles if f"{function.id}.{r.id}" in by_owner]
        if not roles:
            continue
        # Highest level on top; roles of one level keep the order they were written in.
        order = sorted(range(len(roles)), key=lambda i: (-roles[i].level, i))
        lanes = tuple(
            Lane(
                f"{function.id}.{roles[i].id}",
                roles[i].label,
                roles[i].level,
                tuple(by_owner[f"{function.id}.{roles[i].id}"]),
            )
            for i in order
        )
        stage = graph.stage(function.id)
        (front if stage == "front" else back).append(
            Band(function.id, function.label, stage, lanes)
        )
    rows: list[Band | Line] = [customer, Line("interaction", "line of interaction"), *front]
    core = [b for b in back if b.key not in support]
    internal = [b for b in back if b.key in support]
    if core:
        rows += [Line("visibility", "line of visibility"), *core]
    if internal:
        rows += [
            Line(
                "internal",
                "line of internal interaction"
                if core
                else "line of visibility and of internal interaction",
            ),
            *internal,
        ]
    if by_owner.get(""):
        rows.append(
            Band(
                "unassigned",
                "No owner",
                "unassigned",
                (Lane("unassigned", "(no owner)", None, tuple(by_owner[""])),),
            )
        )
    return rows


# ---------------------------------------------------------------------------------------------
# Findings: where the badges go, which paths light up
# ---------------------------------------------------------------------------------------------


def _badge_targets(finding: Finding, node_ids: dict[str, str], edge_ids: dict[str, str]):
    """The first step a finding names carries its badge; a finding about flows only puts it on
    its first flow."""
    for element in finding.elements:
        if element in node_ids:
            return [node_ids[element]]
    for element in finding.elements:
        if element in edge_ids:
            return [edge_ids[element]]
    return []


def _path_steps(finding: Finding) -> list[str]:
    path = finding.evidence.get("path") if isinstance(finding.evidence, dict) else None
    if not isinstance(path, list | tuple):
        return []
    steps = []
    for item in path:
        if isinstance(item, str):
            steps.append(item)
        elif isinstance(item, dict) and isinstance(item.get("step"), str):
            steps.append(item["step"])
    return steps


def _path_elements(
    finding: Finding, graph: ProcessGraph, node_ids: dict[str, str], edge_ids: dict[str, str]
) -> list[str]:
    """Diagram ids along the finding's path (``evidence["path"]``), or its named elements."""
    steps = _path_steps(finding)
    if not steps:
        steps = [e for e in finding.elements if e in node_ids]
        flows = [e for e in finding.elements if e in edge_ids]
        if len(steps) < 2 and not flows:
            return []  # a finding about one step: its badge says enough
        return [node_ids[s] for s in steps] + [edge_ids[f] for f in flows]
    found = [node_ids[s] for s in steps if s in node_ids]
    named_flows = {e for e in finding.elements if e in edge_ids}
    for a, b in itertools.pairwise(steps):
        if a in graph.flow and b in graph.flow:
            for key in (
                *graph.flow.get_edge_data(a, b, default={}),
                *graph.flow.get_edge_data(b, a, default={}),
            ):
                named_flows.add(key)
    found += [edge_ids[f] for f in sorted(named_flows) if f in edge_ids]
    return found

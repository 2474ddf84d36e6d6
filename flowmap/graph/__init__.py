"""The process as a graph: the questions the rules ask.

:class:`ProcessGraph` holds what is built once from a :class:`~flowmap.model.Process`:

* ``flow``: a :class:`~flowmap.digraph.FlowGraph` whose nodes are step ids (no attributes:
  ``steps`` has each id's step) and whose edges are flows (key: the flow id, attribute ``flow``);
* the chain of command: each role's superior (:meth:`superior`), a tree of roles (the loader
  refuses cycles) whose tops report to no one.

Pure: no I/O. Everything is computed lazily and cached, so a rule pays only for what it asks.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterable
from functools import cached_property

from flowmap import branching, digraph
from flowmap.branching import Split
from flowmap.graph import dominance, wording
from flowmap.graph.roles import Handoff, HandoffKind, RoleRef
from flowmap.model import BLACK_BOX, CUSTOMER, Flow, FlowKind, Function, Process, Step, StepKind

__all__ = ["Handoff", "HandoffKind", "ProcessGraph", "RoleRef"]


class ProcessGraph:
    """A process with the graph algorithms its rules need."""

    def __init__(self, process: Process):
        self.process = process
        self.steps: dict[str, Step] = {s.id: s for s in process.steps}
        self.flows: dict[str, Flow] = {f.id: f for f in process.flows}
        self.functions: dict[str, Function] = {f.id: f for f in process.organisation.functions}
        # Keys interned, as loaders intern owners: a look-up by owner then matches by identity.
        self.roles: dict[str, RoleRef] = {
            key: RoleRef(key, fn, role)
            for fn in process.organisation.functions
            for role in fn.roles
            for key in (sys.intern(f"{fn.id}.{role.id}"),)
        }

    # -- graphs -----------------------------------------------------------------------------
    @cached_property
    def flow(self) -> digraph.FlowGraph[str]:
        graph: digraph.FlowGraph[str] = digraph.FlowGraph()
        # Entry steps first, so that depth-first searches start where the process starts.
        entries = set(self.entries)
        graph.add_nodes_from(self.entries)
        graph.add_nodes_from(s.id for s in self.process.steps if s.id not in entries)
        for f in self.process.flows:
            if f.source in self.steps and f.target in self.steps:
                graph.add_edge(f.source, f.target, key=f.id, flow=f)
        return graph

    @cached_property
    def _superiors(self) -> dict[str, str | None]:
        return {key: self.superior(key) for key in self.roles}

    # -- steps and owners -------------------------------------------------------------------
    @cached_property
    def entries(self) -> list[str]:
        starts = [s.id for s in self.process.steps if s.kind == StepKind.start]
        if starts:
            return starts
        targets = {f.target for f in self.process.flows}
        return [s.id for s in self.process.steps if s.id not in targets]

    @cached_property
    def ends(self) -> list[str]:
        ends = [s.id for s in self.process.steps if s.kind == StepKind.end]
        return ends or [n for n in self.flow if self.flow.out_degree(n) == 0]

    def role_of(self, step_id: str) -> RoleRef | None:
        """The role that owns a step (None for the customer and for unowned steps)."""
        return self.roles.get(self.steps[step_id].owner)

    # How a sentence names steps and owners: flowmap.graph.wording.
    def owner_label(self, owner: str) -> str:
        """How a sentence names a step's owner (see :attr:`RoleRef.label`)."""
        return wording.owner_label(self, owner)

    def worth_naming(self, step_id: str) -> bool:
        """Whether a sentence should name the step (see :func:`wording.worth_naming`)."""
        return wording.worth_naming(self, step_id)

    def named(self, step_ids: Iterable[str]) -> list[str]:
        """``'Label'`` of each step worth naming, in order (see :func:`wording.named`)."""
        return wording.named(self, step_ids)

    def mention(self, step_id: str) -> str:
        """A step as a sentence names it (see :func:`wording.mention`)."""
        return wording.mention(self, step_id)

    def onward(self, step_id: str) -> str:
        """Where work goes at a step, as a sentence names it (see :func:`wording.onward`)."""
        return wording.onward(self, step_id)

    def function_of(self, step_id: str) -> Function | None:
        ref = self.role_of(step_id)
        return ref.function if ref else None

    def level(self, step_id: str) -> int | None:
        ref = self.role_of(step_id)
        return ref.level if ref else None

    def is_customer(self, step_id: str) -> bool:
        return self.steps[step_id].owner == CUSTOMER

    def is_service(self, step_id: str) -> bool:
        """Customer-service work: see :attr:`service_steps`."""
        return step_id in self.service_steps

    @cached_property
    def service_steps(self) -> frozenset[str]:
        """Steps of customer-service functions or, when none does any of the work, the steps
        that answer the customer's chases and complaints (:mod:`flowmap.contacts`)."""
        from flowmap import contacts

        return contacts.service_steps(self)

    def steps_of(self, function_id: str) -> list[str]:
        """The steps owned by a role of the function (``function_id.role``), in process order."""
        return list(self._steps_by_function.get(function_id, ()))

    @cached_property
    def _steps_by_function(self) -> dict[str, list[str]]:
        # Keyed by every prefix before a dot of each owner: one pass, where a scan per function
        # made it functions x steps.
        found: dict[str, list[str]] = {}
        for step in self.process.steps:
            owner = step.owner
            cut = owner.find(".")
            while cut >= 0:
                found.setdefault(owner[:cut], []).append(step.id)
                cut = owner.find(".", cut + 1)
        return found

    # -- touchpoints and the service blueprint ----------------------------------------------
    @cached_property
    def touchpoints(self) -> frozenset[str]:
        """Steps where the customer meets the organisation (declared, or derived).

        Derived: customer steps, and company steps with a flow to or from a customer step.
        """
        found = set()
        for step in self.process.steps:
            if step.touchpoint is not None:
                if step.touchpoint:
                    found.add(step.id)
            elif step.owner == CUSTOMER or (
                step.id in self.flow
                and any(
                    self.is_customer(n)
                    for n in (*self.flow.predecessors(step.id), *self.flow.successors(step.id))
                )
            ):
                found.add(step.id)
        return frozenset(found)

    def company_touchpoints(self) -> list[str]:
        return [s for s in self.touchpoints if not self.is_customer(s)]

    def stage(self, function_id: str) -> str:
        """'front' or 'back' stage of a function in the service blueprint."""
        function = self.functions[function_id]
        if function.stage:
            return function.stage
        return "front" if self._front_functions.__contains__(function_id) else "back"

    @cached_property
    def _front_functions(self) -> frozenset[str]:
        return frozenset(
            ref.function.id for sid in self.touchpoints if (ref := self.role_of(sid)) is not None
        )

    # -- chain of command -------------------------------------------------------------------
    def superior(self, role_key: str) -> str | None:
        ref = self.roles[role_key]
        target = ref.role.reports_to
        if not target:
            return None
        key = target if "." in target else f"{ref.function.id}.{target}"
        return key if key in self.roles else None

    def chain_of_command(self, role_key: str) -> list[str]:
        """The role and its superiors, upwards to the top (the virtual top excluded)."""
        above = self._superiors
        path: list[str] = []
        here: str | None = role_key if role_key in above else None
        while here is not None and len(path) <= len(above):  # a tree: at most every role
            path.append(here)
            here = above[here]
        return path

    def common_superior(self, a: str, b: str) -> str | None:
        """The lowest role both ``a`` and ``b`` report to (directly or not; a role is its own
        superior here), or None."""
        mine = set(self.chain_of_command(a))
        return next((r for r in self.chain_of_command(b) if r in mine), None)

    def reports_to(self, role_key: str, superior: str) -> bool:
        """Whether ``role_key`` is ``superior`` or reports to it, directly or not."""
        return superior in self.chain_of_command(role_key)

    # -- handoffs ---------------------------------------------------------------------------
    def handoff(self, flow: Flow | str) -> Handoff:
        flow = self.flows[flow] if isinstance(flow, str) else flow
        return self.handoffs[flow.id]

    @cached_property
    def handoffs(self) -> dict[str, Handoff]:
        return {
            f.id: self._classify(f)
            for f in self.process.flows
            if f.source in self.steps and f.target in self.steps
        }

    def _classify(self, flow: Flow) -> Handoff:
        a, b = self.steps[flow.source].owner, self.steps[flow.target].owner
        kind, la, lb, cross = self.handoff_between(a, b)
        return Handoff(flow, kind, a, b, la, lb, cross)

    def handoff_between(self, a: str, b: str) -> tuple[HandoffKind, int | None, int | None, bool]:
        """The kind of handoff when work passes from owner ``a`` to owner ``b`` ('function.role',
        'customer' or ''), with both levels and whether it crosses functions. The one definition
        of the kinds: flows of a model and consecutive events of a log (``flowmap.mining``)."""
        ra, rb = self.roles.get(a), self.roles.get(b)
        la, lb = (ra.level if ra else None), (rb.level if rb else None)
        cross = bool(ra and rb and ra.function.id != rb.function.id)
        if a == b and a:
            kind = HandoffKind.none
        elif CUSTOMER in (a, b):
            kind = HandoffKind.customer if (a and b) else HandoffKind.unknown
            cross = False  # the customer is not a function: see HandoffKind.customer
        elif ra is None or rb is None:
            kind = HandoffKind.unknown
        elif la == lb:
            kind = HandoffKind.horizontal
        elif cross:
            kind = HandoffKind.diagonal
        else:
            kind = HandoffKind.vertical
        return kind, la, lb, cross

    # -- paths and loops --------------------------------------------------------------------
    @cached_property
    def back_flows(self) -> frozenset[str]:
        """Flows that go back to a step already on the way (the loops), by a depth-first search
        from the entry steps (then from any step not reached)."""
        # A depth-first search that keeps the steps on its way (``active``): a flow to one of
        # them closes a loop. Written out rather than read from digraph.depth_first_labels,
        # whose (parent, child, label) per flow cost more than the search.
        succ = self.flow.succ
        visited: set[str] = set()
        back: list[tuple[str, str]] = []
        for start in succ:
            if start in visited:
                continue
            visited.add(start)
            active = {start}
            stack = [(start, iter(succ[start]))]
            while stack:
                parent, children = stack[-1]
                for child in children:
                    if child not in visited:
                        visited.add(child)
                        active.add(child)
                        stack.append((child, iter(succ[child])))
                        break
                    if child in active:
                        back.append((parent, child))
                else:
                    stack.pop()
                    active.discard(parent)
        return frozenset(key for u, v in back for key in succ[u][v])

    @cached_property
    def main_path(self) -> list[str]:
        """The most likely way through the process, from a start to an end.

        It follows the work (normal and escalation flows; not exceptions, rework, feedback or
        information), weighing each branch by its share (:meth:`split`): at an exclusive split
        it takes the likely branch, at a parallel split every branch is taken and it follows the
        longest. Loops are ignored. Among equally likely routes, the longest is the main path
        (the full happy path).
        """
        dag: dict[str, dict[str, float]] = {n: {} for n in self.flow}  # step -> next -> weight
        for flow in self.process.flows:
            if (
                flow.id in self.handoffs
                and flow.id not in self.back_flows
                and flow.kind in (FlowKind.normal, FlowKind.escalation)
            ):
                p = self.split(flow.source).share(flow.id)
                weight = math.log(p) if p > 0 else -math.inf
                source, target = flow.source, flow.target
                if target not in dag[source] or dag[source][target] < weight:
                    dag[source][target] = weight
        best: dict[str, tuple[float, int, str | None]] = {}
        for entry in self.entries:
            best[entry] = (0.0, 1, None)
        for node in digraph.topological_order(dag):
            if node not in best:
                continue
            score, length, _ = best[node]
            for nxt, weight in dag[node].items():
                candidate = (score + weight, length + 1, node)
                if nxt not in best or candidate[:2] > best[nxt][:2]:
                    best[nxt] = candidate
        ends = [e for e in self.ends if e in best] or list(best)
        if not ends:
            return []
        last: str | None = max(ends, key=lambda e: (best[e][0], best[e][1], e))
        path = []
        while last is not None:
            path.append(last)
            last = best[last][2]
        return path[::-1]

    def position_on_main_path(self, step_id: str) -> float | None:
        """Where a step sits on the main path: 0 at the start, 1 at the end (None if off it)."""
        path = self.main_path
        if step_id not in path or len(path) < 2:
            return None
        return path.index(step_id) / (len(path) - 1)

    # -- reach and branch probabilities (value, customer and structure rules) ---------------
    def reached_by(self, sources: Iterable[str]) -> frozenset[str]:
        """Steps reachable from any of ``sources`` (the sources included): one search in all."""
        return self._closure(sources, self.flow.successors)

    def reaching(self, targets: Iterable[str]) -> frozenset[str]:
        """Steps from which any of ``targets`` can be reached (the targets included)."""
        return self._closure(targets, self.flow.predecessors)

    def _closure(
        self, starts: Iterable[str], neighbours: Callable[[str], Iterable[str]]
    ) -> frozenset[str]:
        return frozenset(digraph.reached_from(neighbours, (s for s in starts if s in self.flow)))

    @cached_property
    def automated(self) -> frozenset[str]:
        """Steps a system does, not a person (a BPMN service, script or business-rule task,
        recorded by the loader)."""
        return frozenset(i.element for i in self.process.inferred if i.field == "automated")

    @cached_property
    def reaches_customer(self) -> frozenset[str]:
        """Steps whose work can still reach the customer: a customer step or a touchpoint
        downstream (or the step itself is one)."""
        return self.reaching(
            s.id for s in self.process.steps if s.owner == CUSTOMER or s.id in self.touchpoints
        )

    @cached_property
    def black_boxes(self) -> frozenset[str]:
        """Steps that stand for a whole pool drawn as a black box (an imported BPMN
        participant without a process): what it sends is not known to answer what it
        receives, and nothing needs to leave it."""
        return frozenset(
            i.element
            for i in getattr(self.process, "inferred", ())
            if i.field == "kind" and i.value == BLACK_BOX
        )

    # -- branching (one model: flowmap.branching) ---------------------------------------------
    @cached_property
    def splits(self) -> dict[str, Split]:
        """For each step, its split: exclusive, parallel, inclusive or none, and each branch's
        share of the step's cases."""
        out: dict[str, list[Flow]] = {s: [] for s in self.steps}
        for flow in self.process.flows:
            if flow.id in self.handoffs:
                out[flow.source].append(flow)
        return {s: branching.split(self.steps[s], flows) for s, flows in out.items()}

    def split(self, step_id: str) -> Split:
        """What kind of split a step is, and what share of its cases each branch gets."""
        return self.splits[step_id]

    @cached_property
    def flow_probability(self) -> dict[str, float]:
        """The share of its source's cases that take each flow (:meth:`split`); flows beside
        the work (feedback, information) have 1."""
        return {fid: self.split(self.flows[fid].source).share(fid) for fid in self.handoffs}

    @cached_property
    def loops(self) -> dict[str, frozenset[str]]:
        """For each step on a loop, all the steps of its loop (its strongly connected component
        of more than one step, or the step alone when it flows into itself)."""
        found: dict[str, frozenset[str]] = {}
        for component in digraph.strongly_connected_components(self.flow.succ):
            members = frozenset(component)
            if len(members) > 1 or any(self.flow.has_edge(s, s) for s in members):
                found.update(dict.fromkeys(members, members))
        return found

    # -- levels, order and dominance (smokestack and service rules) -------------------------
    @cached_property
    def _working_levels(self) -> dict[str, int]:
        owning: dict[str, int] = {}
        for step in self.process.steps:
            ref = self.roles.get(step.owner)
            if ref is not None:
                fid = ref.function.id
                owning[fid] = min(owning.get(fid, ref.level), ref.level)
        levels = {}
        for fid, function in self.functions.items():
            if fid in owning:
                levels[fid] = owning[fid]
            elif function.roles:
                levels[fid] = min(role.level for role in function.roles)
        return levels

    def working_level(self, function_id: str) -> int | None:
        """The level of the people who do a function's work: the lowest level among its roles
        that own steps (among all its roles when none does). A flat function of managers has
        its managers' level; a missing front line does not make everyone look senior."""
        return self._working_levels.get(function_id)

    @cached_property
    def forward_order(self) -> dict[str, int]:
        """Each step's rank in a topological order of the process without its loops (back
        flows left out): every other flow goes from a lower rank to a higher one."""
        back = self.back_flows
        dag: dict[str, list[str]] = {}  # step -> next steps (each once, in the flows' order)
        for u, after in self.flow.succ.items():
            dag[u] = [v for v, keys in after.items() if v != u and any(k not in back for k in keys)]
        return {sid: i for i, sid in enumerate(digraph.topological_order(dag))}

    @cached_property
    def dominator_children(self) -> dict[str, list[str]]:
        """The dominator tree from the entry steps: each step's children are the steps that
        every route from an entry passes it to reach (see :func:`dominance.dominator_children`)."""
        return dominance.dominator_children(
            self.flow, self.entries, self.forward_order, self.back_flows
        )

    def dominated_by(self, step_id: str) -> frozenset[str]:
        """Steps that can only be reached through ``step_id`` (the step included): the work
        that exists because work passed this step, e.g. the branch an exception opens."""
        return dominance.below(self.dominator_children, step_id)

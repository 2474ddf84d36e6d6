"""Work bounces between the same two functions again and again.

## What it finds
Two functions that hand the same work back and forth: along one route the work passes between
them `min-handoffs` times or more without leaving the pair (A → B → A → B → A is four handoffs),
or a loop runs through both of them, so the bounce can repeat without limit. Only flows that
carry work count (feedback and information flows aside); a step of a third function or of the
customer ends the run. The route is found by one pass over the process in flow order, never by
listing all paths. The evidence shows the route with each step's function, or the loop's steps
and the flow that closes it.

## How to fix
Find out what the second function keeps asking for and give it up front (a complete request, a
shared case both can see), or let one role do both parts. A loop between two functions usually
means the first one hands over incomplete work: fix the request, not the reply.
"""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx
from pydantic import Field

from flowmap.rules.base import Context, Family, Finding, Options, Rule, Severity
from flowmap.rules.smokestack.common import SIDE_FLOWS, work_handoffs


class PingPongOptions(Options):
    min_handoffs: int = Field(4, ge=2, description=(
        "handoffs back and forth between the same two functions along one route before "
        "reporting (4 = two round trips); a loop through both is always reported"))


class PingPong(Rule):
    code = "SMK004"
    name = "ping-pong"
    family = Family.smokestack
    severity = Severity.warning
    summary = "Work bounces between the same two functions again and again"
    why = ("Each bounce is a queue, an email and a retelling; the customer's case waits while two "
           "functions ask each other for what one of them could have had from the start.")
    Options = PingPongOptions
    bad = """\
flowmap: 1
process: {id: credit-review, name: Credit review, status: as-is}
organisation:
  functions:
    - id: desk
      kind: sales
      roles:
        - {id: agent, level: 1}
    - id: finance
      kind: finance
      roles:
        - {id: analyst, level: 1}
steps:
  - {id: order, name: Place order, owner: customer, kind: start}
  - {id: take-order, name: Take order, owner: desk.agent, value: customer}
  - {id: review-credit, name: Review credit file, owner: finance.analyst, value: business}
  - {id: file-complete, name: Credit file complete?, owner: finance.analyst, kind: decision}
  - {id: query-details, name: Query order details, owner: finance.analyst, value: none}
  - {id: answer-query, name: Answer credit query, owner: desk.agent, value: none}
  - {id: release, name: Release order, owner: desk.agent, value: customer}
  - {id: released, name: Order released, owner: customer, kind: end}
flows:
  - order -> take-order
  - take-order -> review-credit
  - review-credit -> file-complete
  - {from: file-complete, to: release, label: complete}
  - {from: file-complete, to: query-details, label: details missing}
  - query-details -> answer-query
  - {from: answer-query, to: review-credit, kind: rework}
  - release -> released
"""
    good = """\
flowmap: 1
process: {id: credit-review, name: Credit review, status: to-be}
organisation:
  functions:
    - id: desk
      kind: sales
      roles:
        - {id: agent, level: 1}
    - id: finance
      kind: finance
      roles:
        - {id: analyst, level: 1}
steps:
  - {id: order, name: Place order, owner: customer, kind: start}
  - {id: take-order, name: Take order with credit details, owner: desk.agent, value: customer}
  - {id: review-credit, name: Review credit file, owner: finance.analyst, value: business}
  - {id: release, name: Release order, owner: desk.agent, value: customer}
  - {id: released, name: Order released, owner: customer, kind: end}
flows:
  - order -> take-order
  - take-order -> review-credit
  - review-credit -> release
  - release -> released
"""

    def check(self, ctx: Context) -> Iterator[Finding]:
        g = ctx.graph
        function_of = {sid: ref.function.id for sid in g.steps
                       if (ref := g.role_of(sid)) is not None}
        edges: dict[frozenset[str], list] = {}
        directions: dict[frozenset[str], set[str]] = {}
        for handoff in work_handoffs(g):
            a, b = function_of[handoff.flow.source], function_of[handoff.flow.target]
            if a != b:
                pair = frozenset((a, b))
                directions.setdefault(pair, set()).add(a)
        members: dict[str, list[str]] = {}
        for sid, fid in function_of.items():
            members.setdefault(fid, []).append(sid)
        for pair in sorted(directions, key=sorted):
            if len(directions[pair]) < 2:
                continue  # work only goes one way between them
            a, b = sorted(pair)
            nodes = set(members[a]) | set(members[b])
            flows = [(f.source, f.target, f.id) for f in ctx.process.flows
                     if f.source in nodes and f.target in nodes and f.source != f.target
                     and f.kind not in SIDE_FLOWS]
            loop = self._loop(flows, function_of)
            count, run = self._longest_run(g, nodes, flows, function_of)
            if loop is None and count < ctx.options.min_handoffs:
                continue
            fa, fb = g.functions[a], g.functions[b]
            if loop is not None:
                steps, closing = loop
                message = (f"Work loops between {fa.label} and {fb.label}: "
                           f"{' -> '.join(steps)} -> {steps[0]} can repeat without limit")
                elements = [closing, *steps]
                evidence = {"functions": [a, b], "loop": [
                    {"step": s, "function": function_of[s]} for s in steps],
                    "closing_flow": closing, "handoffs_per_lap": self._switches(steps + steps[:1],
                                                                               function_of)}
            else:
                route = [s for s, _ in run]
                message = (f"Work bounces {count} times between {fa.label} and "
                           f"{fb.label}: {' -> '.join(route)}")
                elements = [fid for (x, _), (y, fid) in zip(run, run[1:])
                            if function_of[x] != function_of[y]] + route
                evidence = {"functions": [a, b], "handoffs": count,
                            "route": [{"step": s, "function": function_of[s]} for s in route]}
            yield self.finding(
                ctx, message, elements, evidence=evidence,
                suggestion=(f"Find what {fa.label} and {fb.label} keep asking each other for and "
                            "hand it over complete the first time (a shared case, one form), or "
                            "let one role do both parts."),
                substance=f"{a}|{b}",
            )

    @staticmethod
    def _switches(route: list[str], function_of: dict[str, str]) -> int:
        return sum(1 for x, y in zip(route, route[1:]) if function_of[x] != function_of[y])

    @staticmethod
    def _loop(flows, function_of) -> tuple[list[str], str] | None:
        """A cycle inside the pair that crosses between the two functions both ways."""
        graph = nx.DiGraph()
        graph.add_edges_from((u, v, {"id": fid}) for u, v, fid in flows)
        for component in nx.strongly_connected_components(graph):
            if len(component) < 2 or len({function_of[s] for s in component}) < 2:
                continue
            start = min(component)
            cycle = nx.find_cycle(graph.subgraph(component), start)
            steps = [u for u, _ in cycle]
            return steps, graph[cycle[-1][0]][cycle[-1][1]]["id"]
        return None

    @staticmethod
    def _longest_run(g, nodes, flows, function_of) -> tuple[int, list[tuple[str, str]]]:
        """The route inside the pair with the most handoffs between the two functions: their
        number and the route from the first handoff to the last, as (step, flow that reached
        it) pairs. Loops are left out, so one pass in flow order is enough."""
        order = g.forward_order
        incoming: dict[str, list[tuple[str, str]]] = {}
        for u, v, fid in flows:
            if fid not in g.back_flows:
                incoming.setdefault(v, []).append((u, fid))
        best: dict[str, tuple[int, str | None, str]] = {}
        for node in sorted(nodes, key=order.__getitem__):
            score, prev, via = 0, None, ""
            for u, fid in incoming.get(node, ()):
                cand = best[u][0] + (function_of[u] != function_of[node])
                if cand > score:
                    score, prev, via = cand, u, fid
            best[node] = (score, prev, via)
        if not best:
            return 0, []
        node: str | None = max(best, key=lambda n: (best[n][0], -order[n]))
        count = best[node][0]
        run = []
        while node is not None:
            run.append((node, best[node][2]))
            node = best[node][1]
        run.reverse()
        first = next((i for i in range(1, len(run))
                      if function_of[run[i - 1][0]] != function_of[run[i][0]]), 1)
        return count, run[first - 1:]

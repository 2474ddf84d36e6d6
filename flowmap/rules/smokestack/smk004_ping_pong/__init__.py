"""Work bounces between the same two functions again and again.

## What it finds
Two functions that hand the same work back and forth: along one route the work passes between
them `min-handoffs` times or more without leaving the pair (A → B → A → B → A is four handoffs),
or a loop runs through both of them, so the bounce can repeat without limit. Only flows that
carry work count (feedback and information flows aside); a step of a third function or of the
customer ends the run. The route is found by one pass over the process in flow order, never by
listing all paths. The evidence shows the route with each step's function, or the loop's steps
and the flow that closes it. A loop that is a request and its answer (a conversation), or that
nobody chooses to take (a drawn message exchange), is not a bounce (`flowmap/rules/loops.py`,
as for VAL004).

## How to fix
Find out what the second function keeps asking for and give it up front (a complete request, a
shared case both can see), or let one role do both parts. A loop between two functions usually
means the first one hands over incomplete work: fix the request, not the reply.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from pydantic import Field

from flowmap import digraph
from flowmap.graph import ProcessGraph
from flowmap.rules import loops
from flowmap.rules.base import Context, Family, Finding, Options, Rule
from flowmap.rules.smokestack.common import SIDE_FLOWS


class PingPongOptions(Options):
    min_handoffs: int = Field(
        4,
        ge=2,
        description=(
            "handoffs back and forth between the same two functions along one route before "
            "reporting (4 = two round trips); a loop through both is always reported"
        ),
    )


class PingPong(Rule):
    code = "SMK004"
    name = "ping-pong"
    family = Family.smokestack
    needs = ("functions",)
    summary = "Work bounces between the same two functions again and again"
    why = (
        "Each bounce is a queue, an email and a retelling; the customer's case waits while two "
        "functions ask each other for what one of them could have had from the start."
    )
    Options = PingPongOptions

    def check(self, ctx: Context) -> Iterator[Finding]:
        g = ctx.graph
        function_of = {
            sid: ref.function.id for sid in g.steps if (ref := g.role_of(sid)) is not None
        }
        flows = [
            (f.source, f.target, f.id)
            for f in ctx.process.flows
            if f.source in function_of
            and f.target in function_of
            and f.source != f.target
            and f.kind not in SIDE_FLOWS
        ]
        loops = self._loops(g, flows, function_of)
        runs = self._runs(g, flows, function_of)
        for pair in sorted(set(loops) | set(runs), key=sorted):
            loop = loops.get(pair)
            count, run = runs.get(pair, (0, []))
            if loop is None and count < ctx.options.min_handoffs:
                continue
            a, b = sorted(pair)
            fa, fb = g.functions[a], g.functions[b]
            if loop is not None:
                steps, closing = loop
                names = g.named(steps)
                message = (
                    f"Work loops between {fa.label} and {fb.label}: "
                    f"{' -> '.join(names)} -> {names[0]} can repeat without limit"
                )
                elements = [closing, *steps]
                evidence = {
                    "functions": [a, b],
                    "loop": [{"step": s, "function": function_of[s]} for s in steps],
                    "closing_flow": closing,
                    "handoffs_per_lap": self._switches(steps + steps[:1], function_of),
                }
            else:
                route = [s for s, _ in run]
                names = g.named(route)
                message = (
                    f"Work bounces {count} times between {fa.label} and "
                    f"{fb.label}: {' -> '.join(names)}"
                )
                elements = [
                    fid
                    for (x, _), (y, fid) in itertools.pairwise(run)
                    if function_of[x] != function_of[y]
                ] + route
                evidence = {
                    "functions": [a, b],
                    "handoffs": count,
                    "route": [{"step": s, "function": function_of[s]} for s in route],
                }
            yield self.finding(
                ctx,
                message,
                elements,
                evidence=evidence,
                suggestion=(
                    f"Find what {fa.label} and {fb.label} keep asking each other for and "
                    "hand it over complete the first time (a shared case, one form), or "
                    "let one role do both parts."
                ),
                substance=f"{a}|{b}",
            )

    @staticmethod
    def _switches(route: list[str], function_of: dict[str, str]) -> int:
        return sum(1 for x, y in itertools.pairwise(route) if function_of[x] != function_of[y])

    @staticmethod
    def _loops(
        g: ProcessGraph, flows: list[tuple[str, str, str]], function_of: dict[str, str]
    ) -> dict[frozenset[str], tuple[list[str], str]]:
        """For each pair of functions, a cycle through both (crossing between them both ways).
        A cycle lies inside one loop of the whole process, so only those loops are searched."""
        members = g.loops  # step -> the steps of its loop
        by_loop: dict[frozenset[str], list[tuple[str, str, str]]] = {}
        for u, v, fid in flows:
            if u in members and members[u] is members.get(v):
                by_loop.setdefault(members[u], []).append((u, v, fid))
        found: dict[frozenset[str], tuple[list[str], str]] = {}
        for inside in by_loop.values():
            pairs = {
                frozenset((function_of[u], function_of[v]))
                for u, v, _ in inside
                if function_of[u] != function_of[v]
            }
            for pair in pairs:
                if pair in found:
                    continue
                graph: dict[str, dict[str, str]] = {}  # step -> next step -> the (last) flow
                for u, v, fid in inside:
                    if function_of[u] in pair and function_of[v] in pair:
                        graph.setdefault(u, {})
                        graph.setdefault(v, {})
                        graph[u][v] = fid
                for component in digraph.strongly_connected_components(graph):
                    if len({function_of[s] for s in component}) < 2:
                        continue
                    within = {u: [v for v in graph[u] if v in component] for u in component}
                    cycle = digraph.find_cycle(within, min(component))
                    closing = graph[cycle[-1][0]][cycle[-1][1]]
                    steps = [u for u, _ in cycle]
                    if not loops.is_rework(g, loops.round_of(g, steps, g.flows[closing])):
                        continue  # a conversation or a drawn repetition, not bouncing work
                    found[pair] = (steps, closing)
                    break
        return found

    @staticmethod
    def _runs(
        g: ProcessGraph, flows: list[tuple[str, str, str]], function_of: dict[str, str]
    ) -> dict[frozenset[str], tuple[int, list[tuple[str, str]]]]:
        """For each pair of functions, the route with the most handoffs between them without
        leaving them: one pass over the process in flow order (loops left out). A step keeps,
        for each partner function, the best run that reaches it: (handoffs, previous step,
        flow)."""
        order = g.forward_order
        back = g.back_flows
        incoming: dict[str, list[tuple[str, str]]] = {}
        for u, v, fid in flows:
            if fid not in back:
                incoming.setdefault(v, []).append((u, fid))
        state: dict[str, dict[str, tuple[int, str, str]]] = {}
        best: dict[frozenset[str], tuple[int, int, str, str]] = {}
        # The steps in forward order: the order's own keys (it is built in rank order), not a
        # sort of every step by rank.
        for v in (step for step in order if step in incoming):
            here: dict[str, tuple[int, str, str]] = {}
            fv = function_of[v]
            for u, fid in incoming[v]:
                offers: Iterator[tuple[str, tuple[int, str, str]]]
                fu = function_of[u]
                if fu == fv:
                    offers = ((p, (c, u, fid)) for p, (c, _, _) in state.get(u, {}).items())
                else:
                    earlier = state.get(u, {}).get(fv)
                    offers = iter([(fu, ((earlier[0] if earlier else 0) + 1, u, fid))])
                for partner, offer in offers:
                    if partner not in here or offer[0] > here[partner][0]:
                        here[partner] = offer
            if here:
                state[v] = here
                for partner, (count, _, _) in here.items():
                    pair = frozenset((fv, partner))
                    if pair not in best or count > best[pair][0]:
                        best[pair] = (count, order[v], v, partner)
        runs = {}
        for pair, (count, _, node, partner) in best.items():
            route = [(node, state[node][partner][2])]
            while True:
                _, prev, _ = state[node][partner]
                if function_of[prev] != function_of[node]:
                    partner = function_of[node]
                if partner not in state.get(prev, {}):
                    route.append((prev, ""))
                    break
                route.append((prev, state[prev][partner][2]))
                node = prev
            runs[pair] = (count, route[::-1])
        return runs

"""Work passes from one function to another by climbing one chain of command, crossing between
managers, and descending the other chain, instead of going directly between the people who do the
work.

## What it finds
A flow between two functions whose ends sit above the front line, reached by *climbing* (a
front-line step hands work to its superior, who may hand it further up) and left by *descending*
(the other function's manager passes it down to the person who does the work). The finding shows
the whole path with each role's level and counts the hops a direct handoff would save.

## How to fix
Build Fayol's *gangplank*: the two front-line roles hand work to each other directly and keep their
superiors informed. With `flowmap analyze --fix` the relay steps (steps that only pass work on) are
removed and the two doers are connected.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterator
from typing import Any

from pydantic import Field

from flowmap.graph import ProcessGraph
from flowmap.model import FlowKind, Function
from flowmap.rules.base import Context, Edit, Family, Finding, Fix, Options, Rule

_WALK_LIMIT = 50  # steps a climb or descent may pass; far more than any chain of command


def _next_lower(
    g: ProcessGraph, path: list[str], function: Function | None, upstream: bool
) -> list[str]:
    """The nearest step of a lower level of ``function`` next to ``path[-1]``, reached through
    steps of the same role (a breadth-first search of at most ``_WALK_LIMIT`` steps); the steps
    passed and the one found, or [] when there is none."""
    start = path[-1]
    owner, level = g.steps[start].owner, g.level(start)
    if level is None:  # a step of no role has no level to climb from
        return []
    seen = set(path)
    came: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue and len(came) <= _WALK_LIMIT:
        here = queue.popleft()
        neighbours = g.flow.predecessors(here) if upstream else g.flow.successors(here)
        around = sorted(
            (lv, n)
            for n in set(neighbours)
            if n not in seen
            and n not in came
            and g.function_of(n) is function
            and (lv := g.level(n)) is not None
        )
        lower = [n for lvl, n in around if lvl < level]
        if lower:
            route = [lower[0]]
            node: str | None = here
            while node is not None and node != start:
                route.append(node)
                node = came[node]
            return route[::-1]
        for _, n in around:
            if g.steps[n].owner == owner:
                came[n] = here
                queue.append(n)
    return []


def _hops(g: ProcessGraph, path: list[str]) -> int:
    """Changes of role along a path of steps."""
    return sum(1 for x, y in itertools.pairwise(path) if g.steps[x].owner != g.steps[y].owner)


class ChimneyOptions(Options):
    min_extra_hops: int = Field(
        1, ge=1, description=("hops beyond a direct handoff before reporting")
    )


class ChimneyHandoff(Rule):
    code = "SMK001"
    name = "chimney-handoff"
    family = Family.smokestack
    needs = ("functions", "levels")
    summary = "Work climbs one chain of command, crosses at the top and descends another"
    why = (
        "Each hop up and down a chain of command adds a queue and a retelling; the customer "
        "waits while managers relay work that two front-line people could settle directly."
    )
    Options = ChimneyOptions
    fixable = "sometimes"
    references = ("Henri Fayol, General and Industrial Management (1916): the gangplank.",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        g = ctx.graph
        for handoff in g.handoffs.values():
            flow = handoff.flow
            if not handoff.cross_function or flow.kind in (FlowKind.feedback, FlowKind.information):
                continue
            climb = self._walk(ctx, flow.source, upstream=True)
            descent = self._walk(ctx, flow.target, upstream=False)
            extra = _hops(g, climb) + _hops(g, descent)
            if extra < ctx.options.min_extra_hops:
                continue
            path = climb + descent
            doer_a, doer_b = path[0], path[-1]
            a, b = g.role_of(doer_a), g.role_of(doer_b)
            if a is None or b is None:  # a climb starts and a descent ends at a role's step
                continue
            levels: list[dict[str, Any]] = [
                {"step": s, "role": g.steps[s].owner, "level": g.level(s)} for s in path
            ]
            route = " -> ".join(
                f"{g.owner_label(e['role'])} (L{e['level']})"
                for i, e in enumerate(levels)
                if i == 0 or e["role"] != levels[i - 1]["role"]
            )
            relays = path[1:-1] if _hops(g, path) == len(path) - 1 else []
            yield self.finding(
                ctx,
                f"{a.function.label} reaches {b.function.label} through {extra} manager hop"
                f"{'s' if extra != 1 else ''}: {route}",
                [flow.id, *path],
                evidence={
                    "path": levels,
                    "extra_hops": extra,
                    "crossing": {
                        "flow": flow.id,
                        "from_level": handoff.source_level,
                        "to_level": handoff.target_level,
                    },
                    "direct_handoff": f"{doer_a} -> {doer_b}",
                },
                suggestion=(
                    f"Let {a.with_function} hand work directly to "
                    f"{b.with_function}: "
                    f"'{g.steps[doer_a].label}' -> '{g.steps[doer_b].label}', "
                    "keeping their managers informed instead of in the path."
                ),
                fix=self._fix(ctx, doer_a, doer_b, relays),
                substance=f"{doer_a}>{doer_b}|{flow.source}>{flow.target}",
            )

    @staticmethod
    def _walk(ctx: Context, start: str, upstream: bool) -> list[str]:
        """From a crossing step, follow the same function downwards in level (up the chain
        backwards, or down the chain forwards) to the doer. Returns doer-first for the climb and
        crossing-first for the descent.

        The walk passes over a role's own further steps (a manager who checks, then hands on;
        the events of a workflow engine between its tasks) when they lead on unambiguously, and
        keeps them only when a lower level is reached behind them."""
        g = ctx.graph
        path = [start]
        function = g.function_of(start)
        while function is not None:
            step = _next_lower(g, path, function, upstream)
            if not step:
                break
            path += step
        return path[::-1] if upstream else path

    @staticmethod
    def _fix(ctx: Context, doer_a: str, doer_b: str, relays: list[str]) -> Fix | None:
        g = ctx.graph
        if not relays or any(g.flow.in_degree(s) != 1 or g.flow.out_degree(s) != 1 for s in relays):
            return None
        edits = tuple(Edit("remove-step", step=s) for s in relays)
        return Fix(
            f"hand off directly {doer_a} -> {doer_b}, removing the relay steps {', '.join(relays)}",
            edits,
        )

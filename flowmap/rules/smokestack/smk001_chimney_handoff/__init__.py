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

from collections.abc import Iterator

from pydantic import Field

from flowmap.model import FlowKind
from flowmap.rules.base import Context, Edit, Family, Finding, Fix, Options, Rule


class ChimneyOptions(Options):
    min_extra_hops: int = Field(1, ge=1, description=(
        "hops beyond a direct handoff before reporting"))


class ChimneyHandoff(Rule):
    code = "SMK001"
    name = "chimney-handoff"
    family = Family.smokestack
    needs = ("functions", "levels")
    summary = "Work climbs one chain of command, crosses at the top and descends another"
    why = ("Each hop up and down a chain of command adds a queue and a retelling; the customer "
           "waits while managers relay work that two front-line people could settle directly.")
    Options = ChimneyOptions
    fixable = "sometimes"
    references = ("Henri Fayol, General and Industrial Management (1916): the gangplank.",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        g = ctx.graph
        for handoff in g.handoffs.values():
            flow = handoff.flow
            if not handoff.cross_function or flow.kind in (FlowKind.feedback,
                                                           FlowKind.information):
                continue
            climb = self._walk(ctx, flow.source, upstream=True)
            descent = self._walk(ctx, flow.target, upstream=False)
            extra = (len(climb) - 1) + (len(descent) - 1)
            if extra < ctx.options.min_extra_hops:
                continue
            path = climb + descent
            doer_a, doer_b = path[0], path[-1]
            a, b = g.role_of(doer_a), g.role_of(doer_b)
            levels = [{"step": s, "role": g.steps[s].owner, "level": g.level(s)} for s in path]
            route = " -> ".join(f"{e['role']} (L{e['level']})" for e in levels)
            relays = path[1:-1]
            yield self.finding(
                ctx,
                f"{a.function.label} reaches {b.function.label} through {extra} manager hop"
                f"{'s' if extra != 1 else ''}: {route}",
                [flow.id, *path],
                evidence={"path": levels, "extra_hops": extra,
                          "crossing": {"flow": flow.id, "from_level": handoff.source_level,
                                       "to_level": handoff.target_level},
                          "direct_handoff": f"{doer_a} -> {doer_b}"},
                suggestion=(f"Let {a.role.label} ({a.function.label}) hand work directly to "
                            f"{b.role.label} ({b.function.label}): {doer_a} -> {doer_b}, "
                            "keeping their managers informed instead of in the path."),
                fix=self._fix(ctx, doer_a, doer_b, relays),
                substance=f"{doer_a}>{doer_b}|{flow.source}>{flow.target}",
            )

    @staticmethod
    def _walk(ctx: Context, start: str, upstream: bool) -> list[str]:
        """From a crossing step, follow the same function downwards in level (up the chain
        backwards, or down the chain forwards) to the doer. Returns doer-first for the climb and
        crossing-first for the descent."""
        g = ctx.graph
        here = start
        path = [start]
        function = g.function_of(start)
        while True:
            level = g.level(here)
            neighbours = g.flow.predecessors(here) if upstream else g.flow.successors(here)
            lower = sorted(
                (g.level(n), n) for n in neighbours
                if n not in path and g.function_of(n) is function and function is not None
                and g.level(n) is not None and g.level(n) < level)
            if not lower:
                break
            here = lower[0][1]
            path.append(here)
        return path[::-1] if upstream else path

    @staticmethod
    def _fix(ctx: Context, doer_a: str, doer_b: str, relays: list[str]) -> Fix | None:
        g = ctx.graph
        if not relays or any(g.flow.in_degree(s) != 1 or g.flow.out_degree(s) != 1
                             for s in relays):
            return None
        edits = tuple(Edit("remove-step", step=s) for s in relays)
        return Fix(f"hand off directly {doer_a} -> {doer_b}, removing the relay steps "
                   f"{', '.join(relays)}", edits)

"""A step that no way through the process reaches from its start.

## What it finds
Steps that cannot be reached from an entry step (the `kind: start` steps, or, when none is
declared, the steps no flow leads into) by following flows: a half-edited file, or an imported
BPMN diagram with a forgotten sequence flow. Such a file still loads, renders and diffs (it is
work in progress), but the other rules would analyse work that never happens, so the finding is
an error in every preset. A model with no entry at all is reported once.

A step that leads, by a flow its loader made (``generated``), into a start step starts with it:
an imported BPMN event sub-process is started by its own start event, not by a flow into it.

Steps nothing reaches that flows join (a part of the process drawn apart from the rest, an
activity with its boundary events) are one finding that names them, starting with the step
where that part begins.

## How to fix
Add the flow that leads into the step (or into the first step of the part), or remove the step
if it is a leftover.
"""

from __future__ import annotations

from collections.abc import Iterator

from flowmap.formatting import capital
from flowmap.rules.base import Context, Family, Finding, Options, Rule


class UnreachableOptions(Options):
    pass


class UnreachableStep(Rule):
    code = "STR001"
    name = "unreachable-step"
    family = Family.structure
    summary = "A step cannot be reached from the start"
    why = (
        "Rules and metrics about a step no work reaches are fiction; a missing flow usually "
        "hides a part of the customer's journey nobody designed."
    )
    Options = UnreachableOptions

    def check(self, ctx: Context) -> Iterator[Finding]:
        g = ctx.graph
        if not ctx.process.steps:
            return
        entries = g.entries
        if not entries:
            first = ctx.process.steps[0]
            yield self.finding(
                ctx,
                "The process has no start: every step has a flow leading into it",
                [first.id],
                evidence={"entries": []},
                suggestion="Add a step with kind: start where the customer's case begins.",
                substance="no-start",
            )
            return
        starts = set(entries)
        triggered = {f.source for f in ctx.process.flows if f.generated and f.target in starts}
        reached = g.reached_by([*entries, *sorted(triggered)])
        for region in _regions(ctx, reached):
            step = g.steps[region[0]]
            if len(region) == 1:
                yield self.finding(
                    ctx,
                    f"{capital(g.mention(step.id))} cannot be reached from the start",
                    [step.id],
                    evidence={
                        "entries": list(entries),
                        "flows_in": sorted(g.flow.predecessors(step.id)),
                    },
                    suggestion=f"Add the flow that leads into {g.mention(step.id)}, or remove the "
                    "step.",
                    substance=step.id,
                )
                continue
            shown = g.named(region)
            names = ", ".join(shown[:4])
            more = f" and {len(region) - 4} more" if len(region) > 4 else ""
            yield self.finding(
                ctx,
                f"{len(region)} connected steps cannot be reached from the start: {names}{more}",
                region,
                evidence={
                    "entries": list(entries),
                    "steps": region,
                    "flows_in": sorted(g.flow.predecessors(step.id)),
                },
                suggestion=f"Add the flow that leads into {g.mention(step.id)} (where this part of "
                "the process begins), or remove these steps.",
                substance=f"region|{step.id}",
            )


def _regions(ctx: Context, reached: frozenset[str]) -> list[list[str]]:
    """The steps nothing reaches, in parts joined by flows among them (one finding each): each
    part's first step is where it begins (no flow into it from the part), then the rest in the
    order written."""
    order = {s.id: i for i, s in enumerate(ctx.process.steps)}
    # a pool drawn as a black box that only sends is an outside party starting the work
    parent = {sid: sid for sid in order if sid not in reached and sid not in ctx.graph.black_boxes}

    def root(sid: str) -> str:
        while parent[sid] != sid:
            parent[sid] = parent[parent[sid]]
            sid = parent[sid]
        return sid

    entered: set[str] = set()  # steps of a part that a flow from the same part enters
    for flow in ctx.process.flows:
        if flow.source in parent and flow.target in parent and flow.source != flow.target:
            entered.add(flow.target)
            a, b = root(flow.source), root(flow.target)
            if a != b:
                parent[max(a, b, key=order.__getitem__)] = min(a, b, key=order.__getitem__)
    parts: dict[str, list[str]] = {}
    for sid in sorted(parent, key=order.__getitem__):
        parts.setdefault(root(sid), []).append(sid)
    out = []
    for members in parts.values():
        heads = [s for s in members if s not in entered] or members[:1]
        out.append(heads[:1] + [s for s in members if s != heads[0]])
    return sorted(out, key=lambda part: order[part[0]])

"""A step that no way through the process reaches from its start.

## What it finds
Steps that cannot be reached from an entry step (the `kind: start` steps, or, when none is
declared, the steps no flow leads into) by following flows: a half-edited file, or an imported
BPMN diagram with a forgotten sequence flow. Such a file still loads, renders and diffs (it is
work in progress), but the other rules would analyse work that never happens, so the finding is
an error in every preset. A model with no entry at all is reported once.

A step that leads, by a flow its loader made (``generated``), into a start step starts with it:
an imported BPMN event sub-process is started by its own start event, not by a flow into it.

## How to fix
Add the flow that leads into the step, or remove the step if it is a leftover.
"""

from __future__ import annotations

from collections.abc import Iterator

from flowmap.rules.base import Context, Family, Finding, Options, Rule


class UnreachableOptions(Options):
    pass


class UnreachableStep(Rule):
    code = "STR001"
    name = "unreachable-step"
    family = Family.structure
    summary = "A step cannot be reached from the start"
    why = ("Rules and metrics about a step no work reaches are fiction; a missing flow usually "
           "hides a part of the customer's journey nobody designed.")
    Options = UnreachableOptions

    def check(self, ctx: Context) -> Iterator[Finding]:
        g = ctx.graph
        if not ctx.process.steps:
            return
        entries = g.entries
        if not entries:
            first = ctx.process.steps[0]
            yield self.finding(
                ctx, "The process has no start: every step has a flow leading into it",
                [first.id], evidence={"entries": []},
                suggestion="Add a step with kind: start where the customer's case begins.",
                substance="no-start")
            return
        starts = set(entries)
        triggered = {f.source for f in ctx.process.flows if f.generated and f.target in starts}
        reached = g.reached_by([*entries, *sorted(triggered)])
        for step in ctx.process.steps:
            if step.id in reached:
                continue
            yield self.finding(
                ctx, f"'{step.label}' cannot be reached from the start",
                [step.id],
                evidence={"entries": list(entries),
                          "flows_in": sorted(g.flow.predecessors(step.id))},
                suggestion=f"Add the flow that leads into '{step.label}', or remove the step.",
                substance=step.id)

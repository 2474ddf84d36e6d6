"""Work is sent back to a step it has already passed: a rework loop, with its probability and
what each round costs.

## What it finds
Every flow that closes a loop (a flow back to a step already on the way, or a flow of kind
`rework` inside a loop), except feedback and information flows, which run beside the work. The
finding shows the loop's steps, the chance that a case goes round it (the product of the branches'
shares of cases along the loop, as docs/concepts.md *Branches* reads them),
the expected number of extra rounds per case, and the time and cost of one round. When the
customer is inside the loop, the finding says so.

Not every cycle is rework (`flowmap/rules/loops.py`): a loop nobody chooses to take (a drawn
repetition, or a message to another pool and its answer), a role repeating its own step, and a
conversation (the asker asks another party, who answers without a choice of its own and hands
back) are not reported, unless a flow of the round is `kind: rework`, a step on it is tagged or
named as a redo, or the branch that sends work round is labelled as a failure.

## How to fix
Find why the first pass is not complete and accurate (the branch that sends work back names the
defect) and remove that cause upstream: validate data where it is entered, ask for everything
once, give the checker and the doer one conversation instead of a back-and-forth.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from flowmap import digraph
from flowmap.model import FlowKind
from flowmap.rules import loops
from flowmap.rules.base import Context, Family, Finding, Options, Rule
from flowmap.rules.value.common import duration, timed


class ReworkOptions(Options):
    pass


class ReworkLoop(Rule):
    code = "VAL004"
    name = "rework-loop"
    family = Family.value
    summary = "Work is sent back to be done again"
    why = (
        "Every round of rework is time the customer waits for work that should have been "
        "right the first time, and often the customer is asked again for what they gave."
    )
    Options = ReworkOptions
    references = ("Rother and Shook, Learning to See (1999): percent complete and accurate.",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        g = ctx.graph
        side = (FlowKind.feedback, FlowKind.information)
        chance = g.flow_probability
        for flow in ctx.process.flows:
            if flow.kind in side or flow.id not in g.handoffs:
                continue
            loop = g.loops.get(flow.source)
            if loop is None or flow.target not in loop:
                continue
            if flow.id not in g.back_flows and flow.kind != FlowKind.rework:
                continue
            if flow.source == flow.target:
                cycle = [flow.source]
                flows_on_cycle = [flow.id]
            else:
                # Any way back from the target to the source lies on the loop; a search from
                # both ends stops as soon as they meet, so it costs the loop's length, not the
                # size of everything the loop belongs to.
                cycle = digraph.shortest_path_between(
                    g.flow.succ, g.flow.pred, flow.target, flow.source
                )
                flows_on_cycle = [
                    max(g.flow[a][b], key=lambda k: chance.get(k, 0.0))
                    for a, b in itertools.pairwise(cycle)
                ] + [flow.id]
            p = 1.0
            for fid in flows_on_cycle:
                p *= chance.get(fid, 1.0)
            if not loops.is_rework(g, loops.Round(cycle, flows_on_cycle, p)):
                continue
            branch = next((g.flows[f] for f in flows_on_cycle if chance.get(f, 1.0) < 1.0), None)
            rounds = p / (1 - p) if p < 1 else None
            steps = [g.steps[s] for s in cycle]
            round_time = sum(s.work + s.wait for s in steps)
            round_cost = sum(s.cost for s in steps)
            customer_steps = [s.id for s in steps if s.is_customer]
            functions = sorted({f.id for s in cycle if (f := g.function_of(s)) is not None})
            # The step the work goes back to, as a reader knows it: an unnamed gateway or event
            # of an imported model is named by the first named step after it on the loop.
            back_to = next(
                (g.steps[s].label for s in cycle if g.worth_naming(s)), g.steps[flow.target].label
            )
            even = [
                f
                for f in flows_on_cycle
                if chance.get(f, 1.0) < 1.0 and g.flows[f].probability is None
            ]
            chance_text = (f"{p:.0%} of cases" if p < 1 else "every case, with no way out") + (
                " if each branch is taken equally often; no branch declares its share"
                if even
                else ""
            )
            per_round = f" and {duration(round_time)}" if timed(g) else ""
            yield self.finding(
                ctx,
                f"Work goes back to '{back_to}' ({chance_text}): {len(cycle)} step"
                f"{'s' if len(cycle) != 1 else ''}{per_round} per round"
                + (", with the customer in the loop" if customer_steps else ""),
                [flow.id, *cycle],
                evidence={
                    "loop": cycle,
                    "probability": round(p, 4),
                    "expected_extra_rounds": None if rounds is None else round(rounds, 3),
                    "round_minutes": round_time,
                    "round_cost": round_cost,
                    "expected_extra_minutes": (
                        None if rounds is None else round(rounds * round_time, 1)
                    ),
                    "sent_back_by": branch.id if branch else None,
                    "branch_label": branch.label if branch else "",
                    "functions": functions,
                    "customer_steps": customer_steps,
                },
                suggestion=(
                    (
                        f"Remove the cause of '{branch.label or g.steps[branch.target].label}' at "
                        f"{g.mention(branch.source)}"
                        if branch
                        else f"Remove the cause that sends work back to '{back_to}'"
                    )
                    + ": make the first pass complete and accurate (validate where the data is "
                    "entered, ask for everything once), so the loop is rarely taken."
                ),
                substance=f"{flow.source}>{flow.target}",
            )

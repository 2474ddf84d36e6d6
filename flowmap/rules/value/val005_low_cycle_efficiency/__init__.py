"""Little of the lead time on the main path adds value, and the rest is lost in steps that add
nothing: low process cycle efficiency, dominated by waiting and waste.

## What it finds
Process cycle efficiency (PCE) is the value-adding work time (`work` of steps with
`value: customer`) divided by the lead time (`work` + `wait` of every step) along the main path,
the most likely way from start to end. The rule reports when PCE is below `min_efficiency` **and**
at least `min_waste_share` of the lead time is spent in steps that add nothing (declared
`value: none`, or undeclared and read as waste by the VAL002 lexicon). The second condition keeps
the rule to time the organisation can win back: a process whose lead time is a carrier's
transit or a repair in a garage (waits on value-adding steps) has a low PCE too, but no queue of
its own to remove. The finding shows the figures, how much of the lead time is waiting, and the
non-value steps that take the most time.

## How to fix
Start with the biggest non-value steps on the main path: remove batches and queues, transport
and re-keying; move checks to the source. Then measure lead time as the customer sees it.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from flowmap.inference.value import effective_value
from flowmap.model import Value
from flowmap.rules.base import Context, Family, Finding, Options, Rule
from flowmap.rules.value.common import duration


class CycleEfficiencyOptions(Options):
    min_efficiency: float = Field(
        0.10,
        ge=0,
        le=1,
        description=("report below this process cycle efficiency (value-adding time / lead time)"),
    )
    min_waste_share: float = Field(
        0.25,
        ge=0,
        le=1,
        description=(
            "and only when at least this share of the lead time is spent in non-value steps"
        ),
    )
    top: int = Field(3, ge=1, description="how many of the longest non-value steps to name")


class LowCycleEfficiency(Rule):
    code = "VAL005"
    name = "low-cycle-efficiency"
    family = Family.value
    needs = ("times",)
    summary = "Most of the lead time on the main path is spent in steps that add nothing"
    why = (
        "The customer waits for the whole lead time, not for the work: when most of it is "
        "queues, batches and hand-carrying, the customer waits for the organisation's "
        "convenience."
    )
    Options = CycleEfficiencyOptions
    references = (
        "Rother and Shook, Learning to See (1999): process cycle efficiency.",
        "George, Lean Six Sigma for Service (2003): PCE of transactional processes.",
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        g = ctx.graph
        opts = ctx.options
        path = [g.steps[s] for s in g.main_path]
        lead = sum(s.work + s.wait for s in path)
        if not path or lead <= 0:
            return  # no times on the main path: nothing to measure
        value_adding = sum(s.work for s in path if s.value == Value.customer)
        waste = [s for s in path if effective_value(s) == Value.none]
        waste_time = sum(s.work + s.wait for s in waste)
        wait_time = sum(s.wait for s in path)
        pce = value_adding / lead
        share = waste_time / lead
        if pce >= opts.min_efficiency or share < opts.min_waste_share or not waste:
            return
        longest = sorted(waste, key=lambda s: (-(s.work + s.wait), s.id))[: opts.top]
        named = ", ".join(f"'{s.label}' {duration(s.work + s.wait)}" for s in longest)
        pce_text = f"{pce:.1%}" if pce >= 0.001 else f"{pce:.2%}"
        yield self.finding(
            ctx,
            f"Cycle efficiency {pce_text}: {duration(value_adding)} of value-adding work in a "
            f"lead time of {duration(lead)}; {share:.0%} of it is spent in steps that add "
            f"nothing ({named})",
            [s.id for s in longest],
            evidence={
                "cycle_efficiency": round(pce, 4),
                "lead_time_minutes": round(lead, 1),
                "value_adding_minutes": round(value_adding, 1),
                "waste_minutes": round(waste_time, 1),
                "waste_share": round(share, 4),
                "wait_share": round(wait_time / lead, 4),
                "main_path": [s.id for s in path],
                "longest_waste": [{"step": s.id, "minutes": s.work + s.wait} for s in longest],
            },
            suggestion=(
                f"Start with {named}: remove the queue, batch or transport behind each, "
                "so the customer's lead time shrinks to the work that serves them."
            ),
            substance="main-path",
        )

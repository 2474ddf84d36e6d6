"""What a rule needs from a model before its findings mean anything, and which rules a model skips.

A rule declares what it rests on (``needs = ("levels", "functions")``): a customer, an
organisation, roles at different levels, times, declared values... A model that lacks it (an
imported BPMN diagram without lanes, a sketch without times) does not get findings that would
only restate the gap; the analysis skips the rule and says why, once per file.

Pure: a :class:`~flowmap.graph.ProcessGraph` in, reasons out. Each need is answered once per
process, in one pass over its steps.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flowmap.graph import ProcessGraph
from flowmap.model import StepKind
from flowmap.records import Record

_WORK = (StepKind.task, StepKind.decision, StepKind.wait, StepKind.subprocess)


class Need:
    """Something a rule rests on: its name, why rules needing it are skipped (said of the
    model), and how to tell whether a process has it."""

    __slots__ = ("name", "lacking", "present")

    def __init__(self, name: str, lacking: str, present: Callable[[ProcessGraph], bool]):
        self.name, self.lacking, self.present = name, lacking, present


def _owning_functions(g: ProcessGraph) -> set[str]:
    return {ref.function.id for s in g.process.steps if (ref := g.roles.get(s.owner))}


def _levels_differ(g: ProcessGraph) -> bool:
    levels: dict[str, set[int]] = {}
    for ref in g.roles.values():
        levels.setdefault(ref.function.id, set()).add(ref.level)
    return any(len(found) > 1 for found in levels.values())


NEEDS: dict[str, Need] = {
    need.name: need
    for need in (
        Need(
            "customer",
            "no step is the customer's (no customer lane or pool was found)",
            lambda g: any(s.is_customer for s in g.process.steps),
        ),
        Need(
            "organisation",
            "no step is owned by a role of a function (no lanes or roles)",
            lambda g: bool(_owning_functions(g)),
        ),
        Need(
            "functions",
            "fewer than two functions do the work",
            lambda g: len(_owning_functions(g)) >= 2,
        ),
        Need(
            "levels",
            "no function has roles at different levels (no chain of command)",
            _levels_differ,
        ),
        Need(
            "service",
            "no customer-service function does any of the work and no role answers the "
            "customer's chases or complaints",
            lambda g: bool(g.service_steps),
        ),
        Need(
            "times",
            "no step has a work or waiting time",
            lambda g: any(s.work or s.wait for s in g.process.steps),
        ),
        Need(
            "values",
            "no step declares its value",
            lambda g: any(s.value is not None for s in g.process.steps if s.kind in _WORK),
        ),
        Need("measures", "the process declares no measures", lambda g: bool(g.process.measures)),
        Need(
            "data", "no step names the data it uses", lambda g: any(s.data for s in g.process.steps)
        ),
    )
}


def needs_of(rule: object) -> tuple[str, ...]:
    return tuple(getattr(rule, "needs", ()))


class Skipped(Record):
    """Rules the analysis did not run on a process, and why (one record per reason)."""

    __slots__ = ("codes", "need", "reason")

    def __init__(self, codes: tuple[str, ...], need: str, reason: str):
        self.codes, self.need, self.reason = codes, need, reason

    def as_dict(self) -> dict[str, Any]:
        return {"codes": list(self.codes), "need": self.need, "reason": self.reason}


class Applicability:
    """Which needs a process meets, answered lazily and once."""

    def __init__(self, graph: ProcessGraph):
        self.graph = graph
        self._answers: dict[str, bool] = {}

    def missing(self, rule: object) -> str | None:
        """The first need of ``rule`` the process lacks, or None when the rule applies."""
        for name in needs_of(rule):
            if name not in self._answers:
                self._answers[name] = NEEDS[name].present(self.graph)
            if not self._answers[name]:
                return name
        return None


def skipped(pairs: Iterable[tuple[str, str]]) -> list[Skipped]:
    """(code, need) pairs grouped per need, in the order the needs were first met."""
    by_need: dict[str, list[str]] = {}
    for code, need in pairs:
        by_need.setdefault(need, []).append(code)
    return [Skipped(tuple(codes), need, NEEDS[need].lacking) for need, codes in by_need.items()]

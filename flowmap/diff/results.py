"""What a diff holds: the changes to a process's elements, the metric deltas (with the metrics
shown and which way is better), and the findings introduced and resolved."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from flowmap.errors import Location

# Metrics shown in diffs and comparisons, in this order; and which way is better.
METRICS = (
    "steps",
    "handoffs",
    "handoffs_vertical",
    "handoffs_diagonal",
    "handoffs_cross_function",
    "vertical_share",
    "ping_pongs",
    "customer_touchpoints",
    "value_adding_share",
    "non_value_share",
    "lead_time_minutes",
    "cycle_efficiency",
    "first_service_contact",
    "feedback_loops",
    "rework_flows",
    "relationship_measures",
)
LOWER_IS_BETTER = {
    "handoffs",
    "handoffs_vertical",
    "handoffs_diagonal",
    "handoffs_cross_function",
    "vertical_share",
    "ping_pongs",
    "non_value_share",
    "lead_time_minutes",
    "rework_flows",
}
LABELS = {
    "handoffs_vertical": "vertical handoffs",
    "handoffs_diagonal": "diagonal handoffs",
    "handoffs_cross_function": "cross-function handoffs",
    "vertical_share": "vertical share",
    "ping_pongs": "ping-pongs",
    "customer_touchpoints": "touchpoints",
    "value_adding_share": "value-adding share",
    "non_value_share": "non-value share",
    "lead_time_minutes": "lead time",
    "cycle_efficiency": "cycle efficiency",
    "first_service_contact": "first service contact",
    "feedback_loops": "feedback loops",
    "rework_flows": "rework flows",
    "relationship_measures": "relationship measures",
}
SHARES = {
    "vertical_share",
    "value_adding_share",
    "non_value_share",
    "cycle_efficiency",
    "first_service_contact",
}


@dataclass(frozen=True)
class Change:
    """One semantic change. ``change`` is added, removed, renamed, moved, rerouted or changed."""

    element: str  # step, flow, function, role, measure, process, customer
    change: str
    id: str
    detail: str = ""
    old: Any = None
    new: Any = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "element": self.element,
            "change": self.change,
            "id": self.id,
            "detail": self.detail,
            "old": self.old,
            "new": self.new,
        }


@dataclass(frozen=True)
class MetricDelta:
    name: str
    old: float | int | None
    new: float | int | None

    @property
    def delta(self) -> float | None:
        if self.old is None or self.new is None:
            return None
        return round(self.new - self.old, 4)

    @property
    def better(self) -> bool | None:
        """True when the change is an improvement, False when worse, None when neutral."""
        if not self.delta:
            return None
        if self.name in LOWER_IS_BETTER:
            return self.delta < 0
        from flowmap.metrics import HIGHER_IS_BETTER

        if self.name in HIGHER_IS_BETTER:
            return self.delta > 0
        return None

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "old": self.old,
            "new": self.new,
            "delta": self.delta,
            "better": self.better,
        }


@dataclass
class ProcessDiff:
    old_label: str
    new_label: str
    changes: list[Change] = field(default_factory=list)
    introduced: list = field(default_factory=list)  # Findings only in the new version
    resolved: list = field(default_factory=list)  # Findings only in the old version
    remaining: list = field(default_factory=list)  # Findings in both (new version's)
    metrics: list[MetricDelta] = field(default_factory=list)

    @property
    def metric_changes(self) -> list[MetricDelta]:
        return [m for m in self.metrics if m.old != m.new]

    @property
    def is_empty(self) -> bool:
        return not (self.changes or self.introduced or self.resolved or self.metric_changes)

    def of(self, element: str) -> list[Change]:
        return [c for c in self.changes if c.element == element]

    def relabel(self, old_path: str, new_path: str) -> None:
        """Findings located in ``old_path`` (a temporary copy) are shown as ``new_path``."""
        for name in ("introduced", "resolved", "remaining"):
            setattr(
                self,
                name,
                [
                    dataclasses.replace(f, location=_relabel(f.location, old_path, new_path))
                    for f in getattr(self, name)
                ],
            )

    def as_dict(self) -> dict[str, Any]:
        return {
            "old": self.old_label,
            "new": self.new_label,
            "changes": [c.as_dict() for c in self.changes],
            "findings": {
                "introduced": [f.as_dict() for f in self.introduced],
                "resolved": [f.as_dict() for f in self.resolved],
                "remaining": len(self.remaining),
            },
            "metrics": [m.as_dict() for m in self.metrics],
        }


def _relabel(location: Location, old: str, new: str) -> Location:
    if location.path == old:
        return dataclasses.replace(location, path=new)
    return location

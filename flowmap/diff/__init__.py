"""Semantic diff of two versions of a process: what changed for the people and the customer.

Elements are matched by id, never by position, so reordering or reformatting a file shows no
difference. Reported: steps added, removed, renamed (name or id), moved to another owner and
otherwise changed; flows added, removed, re-routed and changed; organisation and measure changes;
findings introduced and resolved (matched by fingerprint); metric deltas. ``flowmap compare`` is
the findings-and-metrics half of it, worded as-is / to-be.

The comparison of elements is :mod:`flowmap.diff.structure`; what a diff holds (changes, metric
deltas, the metrics shown) is :mod:`flowmap.diff.results`. This package only compares: versions
are read from files or git revisions by :mod:`flowmap.loaders.git`, and a :class:`ProcessDiff` is printed by the reporters
(``report_diff`` in :mod:`flowmap.reporters.text`, ``.markdown`` and ``.json``).
"""

from __future__ import annotations

from dataclasses import dataclass

from flowmap.diff.results import (
    LABELS,
    LOWER_IS_BETTER,
    METRICS,
    SHARES,
    Change,
    MetricDelta,
    ProcessDiff,
)
from flowmap.diff.structure import structural_changes

__all__ = [
    "LABELS",
    "LOWER_IS_BETTER",
    "METRICS",
    "SHARES",
    "Change",
    "ElementChanges",
    "MetricDelta",
    "ProcessDiff",
    "diff_processes",
    "element_changes",
    "finding_changes",
    "metric_deltas",
    "structural_changes",
]


def metric_deltas(old_metrics: dict, new_metrics: dict) -> list[MetricDelta]:
    return [MetricDelta(name, old_metrics.get(name), new_metrics.get(name)) for name in METRICS]


def finding_changes(old_findings, new_findings) -> tuple[list, list, list]:
    """(introduced, resolved, remaining), matched by fingerprint."""
    old_prints = {f.fingerprint for f in old_findings}
    new_prints = {f.fingerprint for f in new_findings}
    return (
        [f for f in new_findings if f.fingerprint not in old_prints],
        [f for f in old_findings if f.fingerprint not in new_prints],
        [f for f in new_findings if f.fingerprint in old_prints],
    )


def diff_processes(
    old,
    new,
    config=None,
    old_label: str = "",
    new_label: str = "",
    structure: bool = True,
    findings: bool = True,
) -> ProcessDiff:
    """Compare two :class:`~flowmap.model.Process` objects (analysing both unless
    ``findings`` is false: then only the model and the metrics are compared)."""
    result = ProcessDiff(old_label or old.path or old.id, new_label or new.path or new.id)
    if structure:
        result.changes, _ = structural_changes(old, new)
    if not findings:
        from flowmap import metrics
        from flowmap.graph import ProcessGraph

        result.metrics = metric_deltas(
            metrics.compute(ProcessGraph(old)), metrics.compute(ProcessGraph(new))
        )
        return result
    from flowmap.analysis import analyze

    a, b = analyze(old, config), analyze(new, config)
    result.introduced, result.resolved, result.remaining = finding_changes(a.findings, b.findings)
    result.metrics = metric_deltas(a.metrics, b.metrics)
    return result


@dataclass(frozen=True)
class ElementChanges:
    """Step and flow ids to mark in a drawing of the new version (``render --diff``):
    ``added`` and ``changed`` are ids of the new version, ``removed`` of the old one."""

    added: frozenset[str]
    removed: frozenset[str]
    changed: frozenset[str]


def element_changes(old, new) -> ElementChanges:
    """Which steps and flows were added, removed or changed from ``old`` to ``new`` (no analysis;
    for ``flowmap render --diff``)."""
    changes, _ = structural_changes(old, new)
    added: set[str] = set()
    removed: set[str] = set()
    changed: set[str] = set()
    for c in changes:
        if c.element not in ("step", "flow"):
            continue
        {"added": added, "removed": removed}.get(c.change, changed).add(c.id)
    return ElementChanges(frozenset(added), frozenset(removed), frozenset(changed - added))

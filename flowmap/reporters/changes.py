"""Wording shared by the reporters of a diff (``flowmap diff`` and ``flowmap compare``): the
sections of a :class:`~flowmap.diff.ProcessDiff`, a metric's value and its change, a finding
on one line. Each format's ``report_diff`` lives in its own module (text, markdown, json)."""

from __future__ import annotations

from typing import Any

from flowmap.diff import SHARES, MetricDelta
from flowmap.formatting import duration, duration_delta, points, share

SECTIONS = (
    ("process", "Process"),
    ("customer", "Customer"),
    ("organisation", "Organisation"),
    ("function", "Functions"),
    ("role", "Roles"),
    ("step", "Steps"),
    ("flow", "Flows"),
    ("measure", "Measures"),
)
SIGN = {"added": "+", "removed": "-"}


def number(name: str, value: float | int | None) -> str:
    if value is None:
        return "n/a"
    if name in SHARES:
        return share(value)
    if name == "lead_time_minutes":
        return duration(value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def delta(m: MetricDelta) -> str:
    if m.delta == 0:
        return ""
    if m.delta is None:
        return "" if m.old == m.new else "changed"
    if m.name in SHARES:
        text = points(m.delta)
    elif m.name == "lead_time_minutes":
        text = duration_delta(m.delta)
    else:
        text = f"{m.delta:+g}"
    mark = "" if m.better is None else "better" if m.better else "worse"
    return f"{text} ({mark})" if mark else text


def finding_line(f: Any) -> str:
    where = f":{f.location.line}" if f.location.line else ""
    return f"{f.code} {f.name}: {f.message} [{f.location.path}{where}]"

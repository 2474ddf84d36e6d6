"""Human-readable output (the default), grouped by file, like a linter's.

Each file leads with its most important findings (:func:`flowmap.analysis.rank`), at most
``config.top`` of them (``--top N``; ``--all`` shows every one), then says how many more there
are. Under a finding: the redesign, the other rules that saw the same problem, and what it
assumes (the inferences it rests on). Then which rules the model gave nothing to, and why.
Colour on a terminal, none in a pipe or with NO_COLOR set.
"""

from __future__ import annotations

import os
import sys
from collections import Counter

from flowmap.formatting import clean, duration, share

SEVERITY_COLOUR = {"error": "red", "warning": "yellow", "info": "cyan"}


def _style(text: str, colour: bool, **kw) -> str:
    if not colour:
        return text
    import click

    return click.style(text, **kw)


def use_colour(stream=None) -> bool:
    stream = stream or sys.stdout
    if "NO_COLOR" in os.environ:
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


ASSUMED_SHOWN = 3  # inference reasons printed under a finding; the rest are counted


def report(results, errors, config=None, colour: bool | None = None) -> str:
    from flowmap.analysis import rank

    colour = use_colour() if colour is None else colour
    top = getattr(config, "top", 10) if config is not None else 10
    lines: list[str] = []
    for result in results:
        lines.append(
            _style(clean(result.path or result.process.id), colour, bold=True)
            + f"  ({clean(result.process.name)}, {result.process.status.value})"
        )
        ranked = rank(result.findings)
        shown = ranked[:top] if top else ranked
        for f in shown:
            lines += _finding(f, result.path, colour)
        if len(shown) < len(ranked):
            rest = Counter(f.severity.value for f in ranked[len(shown) :])
            detail = ", ".join(f"{rest[s]} {s}" for s in ("error", "warning", "info") if rest[s])
            lines.append(
                _style(
                    f"  +{len(ranked) - len(shown)} more ({detail}): --all shows every finding",
                    colour,
                    bold=True,
                )
            )
        for skip in result.skipped:
            lines.append(
                _style(f"  skipped {' '.join(skip.codes)}: {clean(skip.reason)}", colour, dim=True)
            )
        for error in result.rule_errors:
            lines.append(_style(f"  rule error {error.code}: {error.message}", colour, fg="red"))
        for s in result.unused_suppressions:
            lines.append(
                f"  unused suppression: ignore {s.code} on "
                f"{s.element or 'the process'} (no such finding)"
            )
        m = result.metrics
        lines.append(
            f"  metrics: {m['steps']} steps, {m['handoffs']} handoff"
            f"{'s' if m['handoffs'] != 1 else ''} "
            f"({m['handoffs_vertical']} vertical, {m['handoffs_diagonal']} diagonal), "
            f"value-adding {share(m['value_adding_share'])}, "
            f"cycle efficiency {share(m['cycle_efficiency'])}, "
            f"lead time {duration(m['lead_time_minutes'])}"
            + (
                f" (assumes an even split at {m['assumed_splits']} decision"
                f"{'s' if m['assumed_splits'] != 1 else ''})"
                if m.get("assumed_splits") and m["lead_time_minutes"] is not None
                else ""
            )
        )
        if result.maturity is not None:
            lines.append(f"  maturity: {result.maturity.stage} ({result.maturity.level}/4)")
        lines.append("")
    for problem in errors:
        lines.append(clean(f"{problem.location}: {problem.severity}: {problem.message}"))
        if problem.hint:
            lines.append(f"    hint: {clean(problem.hint)}")
    counts = Counter(f.severity.value for r in results for f in r.findings)
    total = sum(counts.values())
    detail = ", ".join(
        f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}"
        for s in ("error", "warning", "info")
        if counts[s]
    )
    files = len(results)
    summary = (
        f"Found {total} finding{'s' if total != 1 else ''}"
        + (f" ({detail})" if detail else "")
        + f" in {files} file{'s' if files != 1 else ''}."
    )
    if errors:
        bad = len({p.location.path for p in errors})
        summary += f" {bad} file{'s' if bad != 1 else ''} could not be read."
    lines.append(_style(summary, colour, bold=True))
    return "\n".join(lines) + "\n"


def _finding(f, path: str, colour: bool) -> list[str]:
    where = f"{f.location.line}:{f.location.column}" if f.location.line else "-"
    if f.location.path and f.location.path != path:
        where = f"{f.location.path}:{where}"
    sev = _style(f"{f.severity.value:<7}", colour, fg=SEVERITY_COLOUR[f.severity.value])
    code = _style(f"{f.code:<6}", colour, bold=True)
    out = [
        f"  {clean(where):>7}  {sev} {code} {clean(f.message)}  [{f.name}]",
        _style(f"{'':>18}redesign: {clean(f.suggestion)}", colour, dim=True),
    ]
    if f.related:
        seen = ", ".join(dict.fromkeys(f"{r.code} {r.name}" for r in f.related))
        out.append(_style(f"{'':>18}also seen as: {clean(seen)}", colour, dim=True))
    if f.inferred:
        more = len(f.inferred) - ASSUMED_SHOWN
        text = "; ".join(f.inferred[:ASSUMED_SHOWN]) + (f" (+{more} more)" if more > 0 else "")
        out.append(_style(f"{'':>18}assumed: {clean(text)}", colour, dim=True))
    return out


def report_diff(
    diffs: list,
    *,
    structure: bool = True,
    title: str = "",
    words: tuple[str, str] = ("introduced", "resolved"),
) -> str:
    """Semantic diffs (:class:`~flowmap.diff.ProcessDiff`) as text; ``title`` is for markdown."""
    from flowmap.diff import LABELS
    from flowmap.reporters.changes import SECTIONS, SIGN, delta, finding_line, number

    lines: list[str] = []
    for d in diffs:
        lines.append(f"{d.old_label} -> {d.new_label}")
        if d.is_empty:
            lines += ["  no semantic difference", ""]
            continue
        if structure:
            for kind, heading in SECTIONS:
                changes = d.of(kind)
                if not changes:
                    continue
                lines.append(f"  {heading.lower()}")
                for c in changes:
                    sign = SIGN.get(c.change, "~")
                    verb = "" if c.change in SIGN else f"{c.change}: "
                    lines.append(f"    {sign} {c.id}  {verb}{c.detail}".rstrip())
        # The figures first (what a redesign changes at a glance), then the findings.
        metrics = d.metric_changes if structure else d.metrics
        if metrics:
            lines.append("  metrics")
            width = max(len(LABELS.get(m.name, m.name)) for m in metrics)
            for m in metrics:
                lines.append(
                    f"    {LABELS.get(m.name, m.name):<{width}}  {number(m.name, m.old):>6}"
                    f" -> {number(m.name, m.new):<6} {delta(m)}".rstrip()
                )
        if d.introduced or d.resolved:
            lines.append(
                f"  findings: {len(d.resolved)} {words[1]}, {len(d.introduced)} "
                f"{words[0]}, {len(d.remaining)} unchanged"
            )
            lines += [f"    {words[1]:<10} {finding_line(f)}" for f in d.resolved]
            lines += [f"    {words[0]:<10} {finding_line(f)}" for f in d.introduced]
        lines.append("")
    return clean("\n".join(lines), lines=True)  # names could hold terminal escape sequences

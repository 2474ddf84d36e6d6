"""The HTML report: one self-contained file (inline SVG, CSS and a little script; no network).

It opens from a file share: the diagram, the findings (clicking one highlights its steps and flows
in the diagram), the metrics and the maturity stage; given a to-be process too, the two diagrams
side by side with the metric deltas and the findings resolved and introduced.

Every text from a process is escaped with :func:`html.escape`; the element lists the script reads
are data attributes of ids flowmap made itself (``s3``, ``f7``), never user text; a Content
Security Policy forbids loading anything from anywhere.
"""

from __future__ import annotations

import html as _html
from dataclasses import replace
from typing import TYPE_CHECKING

from flowmap.render import style
from flowmap.render.html_assets import CSS, SCRIPT
from flowmap.render.tables import metric_text

if TYPE_CHECKING:
    from flowmap.analysis import Analysis
    from flowmap.render import RenderOptions

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)


def esc(text) -> str:
    from flowmap.render.dot_text import clean

    return _html.escape(clean(str(text)), quote=True)


def report(
    as_is: Analysis,
    to_be: Analysis | None = None,
    *,
    options: RenderOptions | None = None,
    progress=None,
) -> str:
    """The whole HTML page for one process, or for an as-is and a to-be process."""
    from flowmap.render import RenderOptions, render
    from flowmap.render import svg as svg_mod

    options = replace(options or RenderOptions(), findings_table=False, poster=False, paper=None)
    sides = [("as-is", as_is)] + ([("to-be", to_be)] if to_be is not None else [])
    figures = []
    for index, (side, analysis) in enumerate(sides):
        rendered = render(analysis.process, analysis, "svg", options, progress)
        prefix = f"d{index}-"
        figures.append((side, analysis, prefix, svg_mod.inline(rendered.data, prefix)))

    title = as_is.process.name if to_be is None else f"{as_is.process.name} → {to_be.process.name}"
    parts = [
        _head(title),
        "<body>",
        "<header>",
        f"<h1>{esc(title)}</h1>",
        f'<p class="sub">{esc(_subtitle(as_is, to_be, options.date))}</p>',
        "</header>",
        "<main>",
    ]
    # First what changed (or the metrics), then each diagram with its findings beside it.
    parts.append(_comparison(as_is, to_be) if to_be is not None else _metrics(as_is))
    for side, analysis, prefix, svg in figures:
        caption = f"{side}: {analysis.process.name}" if to_be is not None else analysis.process.name
        heading = f" ({side})" if to_be is not None else ""
        parts.append(f'<section class="workspace" aria-label="{esc(caption)}">')
        parts.append(
            '<div class="panel findings-panel">' + _findings(analysis, prefix, heading) + "</div>"
        )
        # Fitted to the width at first: the whole process at a glance; zoom and pan on demand.
        parts.append(
            f'<figure class="diagram" id="{prefix}figure" data-prefix="{prefix}">'
            f'<figcaption>{esc(caption)} <span class="tools">'
            '<button type="button" data-zoom="out" title="zoom out">−</button>'
            '<button type="button" data-zoom="in" title="zoom in">+</button>'
            '<button type="button" data-zoom="fit">fit</button></span></figcaption>'
            f'<div class="scroll">{svg}</div></figure>'
        )
        parts.append("</section>")
    parts.append('<section class="panels' + (" two" if to_be is not None else "") + '">')
    for side, analysis, _, _ in figures:
        parts.append('<div class="panel">' + _maturity(analysis, side if to_be else "") + "</div>")
    parts.append("</section>")
    parts += [
        "</main>",
        f"<footer>Made with flowmap. {esc(_legend_text())}</footer>",
        f"<script>{SCRIPT}</script>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _subtitle(as_is: Analysis, to_be: Analysis | None, date: str) -> str:
    bits = []
    for analysis in (as_is, to_be):
        if analysis is None:
            continue
        info = analysis.process.info
        bits.append(info.status.value + (f" version {info.version}" if info.version else ""))
    if date:
        bits.append(date)
    return " · ".join(bits)


def _legend_text() -> str:
    return (
        "Steps: fill and border show the value to the customer (green solid: customer "
        "value; yellow dashed: business need; orange dotted: no value). Numbered badges are "
        "the findings listed beside the diagram."
    )


def _findings(analysis: Analysis, prefix: str, heading: str) -> str:
    from flowmap.analysis import rank
    from flowmap.render.layout import build

    diagram = build(analysis.process, analysis, findings="badges")
    ids = {m.number: m.elements for m in diagram.findings}
    rows = [
        (f'<h2>Findings{esc(heading)} <span class="count">{len(analysis.findings)}</span></h2>')
    ]
    if not analysis.findings:
        rows.append('<p class="none">No findings: no rule reports anything on this process.</p>')
        return "\n".join(rows)
    rows.append('<p class="hint">Click a finding to highlight its steps and flows.</p>')
    rows.append(f'<ol class="findings" data-prefix="{prefix}">')
    # Numbered as in the diagram and listed as `flowmap analyze` lists them: flowmap.analysis.rank.
    for number, finding in enumerate(rank(analysis.findings), start=1):
        elements = " ".join(ids.get(number, ()))
        severity = finding.severity.value
        colour = style.FAMILY_COLOUR.get(finding.family.value, "#BDBDBD")
        if severity == "info":
            colour = "#FFFFFF"
        ink = style.ink_on(colour)
        letter = style.SEVERITY_LETTER.get(severity, "?")
        rows.append(
            f'<li class="finding {esc(severity)}" id="{prefix}finding-{number}" '
            f'data-elements="{esc(elements)}" tabindex="0" role="button" aria-pressed="false">'
            f'<span class="badge {esc(severity)}" style="background:{colour};color:{ink}" '
            f'title="{esc(severity)}">{letter} {number}</span>'
            f'<span class="severity">{esc(severity)}</span> '
            f'<span class="code">{esc(finding.code)}</span> <span class="name">'
            f"{esc(finding.name)}</span>"
            f'<div class="message">{esc(finding.message)}</div>'
            f'<div class="suggestion">→ {esc(finding.suggestion)}</div>'
            f"<details><summary>Why it matters to the customer</summary>{esc(finding.why)}"
            "</details></li>"
        )
    rows.append("</ol>")
    return "\n".join(rows)


def change_text(name: str, delta) -> str:
    """A metric's change: a signed duration, points for a share, a signed count."""
    from flowmap import formatting
    from flowmap.diff import SHARES

    if delta is None:
        return "n/a"
    if name == "lead_time_minutes":
        return formatting.duration_delta(float(delta))
    if name in SHARES:
        return formatting.points(float(delta))
    text = f"{delta:g}" if isinstance(delta, float) else str(delta)
    return text if delta <= 0 else "+" + text


def verdict(delta) -> str:
    if delta.delta is None:
        return "n/a"
    if delta.delta == 0:
        return "same"
    return {True: "better", False: "worse", None: "changed"}[delta.better]


def _metrics(analysis: Analysis) -> str:
    from flowmap.diff import LABELS, METRICS

    rows = [
        (
            '<section class="metrics"><h2>Metrics</h2><table><thead><tr><th>metric</th>'
            "<th>value</th></tr></thead><tbody>"
        )
    ]
    for key in METRICS:
        if key in analysis.metrics:
            rows.append(
                f'<tr><td>{esc(LABELS.get(key, key))}</td><td class="num">'
                f"{esc(metric_text(key, analysis.metrics[key]))}</td></tr>"
            )
    rows.append("</tbody></table></section>")
    return "\n".join(rows)


def _comparison(as_is: Analysis, to_be: Analysis) -> str:
    from flowmap.diff import LABELS, finding_changes, metric_deltas

    rows = [
        (
            '<section class="metrics comparison"><div><h2>Metrics: as-is → to-be</h2><table>'
            "<thead><tr><th>metric</th><th>as-is</th><th>to-be</th><th>change</th></tr></thead>"
            "<tbody>"
        )
    ]
    for delta in metric_deltas(as_is.metrics, to_be.metrics):
        word = verdict(delta)
        rows.append(
            f'<tr class="{word}" data-metric="{esc(delta.name)}">'
            f"<td>{esc(LABELS.get(delta.name, delta.name))}</td>"
            f'<td class="num">{esc(metric_text(delta.name, delta.old))}</td>'
            f'<td class="num">{esc(metric_text(delta.name, delta.new))}</td>'
            f'<td class="num"><span class="delta">{esc(change_text(delta.name, delta.delta))}'
            f'</span> <span class="verdict">{word}</span></td></tr>'
        )
    rows.append("</tbody></table></div><div>")
    introduced, resolved, remaining = finding_changes(as_is.findings, to_be.findings)
    rows.append(f'<h2>Findings resolved <span class="count">{len(resolved)}</span></h2>')
    rows.append(
        '<ul class="changes resolved">'
        + "".join(
            f'<li><span class="code">{esc(f.code)}</span> {esc(f.message)}</li>' for f in resolved
        )
        + "</ul>"
    )
    rows.append(f'<h2>Findings introduced <span class="count">{len(introduced)}</span></h2>')
    rows.append(
        '<ul class="changes introduced">'
        + "".join(
            f'<li><span class="code">{esc(f.code)}</span> {esc(f.message)}</li>' for f in introduced
        )
        + "</ul>"
    )
    rows.append(f"<p>{len(remaining)} finding(s) remain.</p></div></section>")
    return "\n".join(rows)


def _maturity(analysis: Analysis, side: str) -> str:
    maturity = analysis.maturity
    if maturity is None:
        return ""
    heading = f" ({side})" if side else ""
    rows = [
        (
            f"<h2>Customer maturity{esc(heading)}: stage {maturity.level} of 4, "
            f"<em>{esc(maturity.stage)}</em></h2>"
        ),
        "<table><tbody>",
    ]
    for c in maturity.criteria:
        mark = "✔" if c.met else "✘"
        rows.append(
            f'<tr class="{"met" if c.met else "unmet"}"><td>{mark}</td>'
            f"<td>{esc(c.stage)}</td><td>{esc(c.name)}<br><small>{esc(c.evidence)}"
            "</small></td></tr>"
        )
    rows.append("</tbody></table>")
    if maturity.next_steps:
        rows.append(
            "<h3>To move up</h3><ul>"
            + "".join(f"<li>{esc(step)}</li>" for step in maturity.next_steps)
            + "</ul>"
        )
    return "\n".join(rows)


def _head(title: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)} · flowmap</title><style>{CSS}</style></head>"
    )

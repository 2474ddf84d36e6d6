"""A markdown summary (``--format markdown``), for a pull-request comment or a CI job summary
(``>> $GITHUB_STEP_SUMMARY``)."""

from __future__ import annotations

from collections import Counter

from flowmap.formatting import clean, share

ICON = {"error": "🔴", "warning": "🟠", "info": "🔵"}


def _cell(text) -> str:
    return _md(text)  # step and file names may hold escape sequences: shown, never sent


def report(results, errors, config=None) -> str:
    counts = Counter(f.severity.value for r in results for f in r.findings)
    total = sum(counts.values())
    out = ["## flowmap analysis", ""]
    detail = ", ".join(f"{counts[s]} {s}" for s in ("error", "warning", "info") if counts[s])
    out.append(
        f"**{total} finding{'s' if total != 1 else ''}**"
        + (f" ({detail})" if detail else "")
        + f" in {len(results)} file{'s' if len(results) != 1 else ''}."
        + (
            f" {len({p.location.path for p in errors})} file(s) could not be read."
            if errors
            else ""
        )
    )
    out += [
        "",
        "| file | findings | handoffs | vertical | non-value | cycle efficiency |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        m = r.metrics
        out.append(
            f"| `{_cell(r.path)}` | {len(r.findings)} | {m['handoffs']} | "
            f"{m['handoffs_vertical']} | {share(m['non_value_share'])} | "
            f"{share(m['cycle_efficiency'])} |"
        )
    out.append("")
    for r in results:
        if not r.findings and not r.unused_suppressions:
            continue
        out += [
            "<details>",
            (
                f"<summary><code>{_cell(r.path)}</code>: {len(r.findings)} "
                f"finding{'s' if len(r.findings) != 1 else ''}</summary>"
            ),
            "",
            "| | code | finding | line | fix |",
            "|---|---|---|---:|---|",
        ]
        for f in r.findings:
            out.append(
                f"| {ICON[f.severity.value]} | `{f.code}` {f.name} | {_cell(f.message)} | "
                f"{f.location.line or ''} | {_cell(f.suggestion)} |"
            )
        for s in r.unused_suppressions:
            out.append(
                f"| ⚪ | unused suppression | ignore {s.code} on "
                f"{_cell(s.element or 'the process')}: no such finding | | remove it |"
            )
        out += ["", "</details>", ""]
    if errors:
        out += ["### Files that could not be read", ""]
        for p in errors:
            out.append(
                f"- `{_cell(str(p.location))}`: {_cell(p.message)}"
                + (f" ({_cell(p.hint)})" if p.hint else "")
            )
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _md(text: object) -> str:
    return clean(str(text).replace("|", "\\|").replace("\n", " ").replace("<", "&lt;"))


def report_diff(
    diffs: list,
    *,
    structure: bool = True,
    title: str = "flowmap: process changes",
    words: tuple[str, str] = ("introduced", "resolved"),
) -> str:
    """Semantic diffs (:class:`~flowmap.diff.ProcessDiff`) as a pull-request comment."""
    from flowmap.diff import LABELS
    from flowmap.reporters.changes import SECTIONS, delta, number

    out = [f"## {title}", ""]
    for d in diffs:
        out += [f"### `{_md(d.new_label)}`", "", f"Compared with `{_md(d.old_label)}`.", ""]
        if d.is_empty:
            out += ["No semantic difference.", ""]
            continue
        if d.resolved or d.introduced:
            out += [
                (
                    f"**Findings:** {len(d.resolved)} {words[1]}, {len(d.introduced)} "
                    f"{words[0]}, {len(d.remaining)} unchanged."
                ),
                "",
            ]
            out += ["| | code | finding | where |", "|---|---|---|---|"]
            for word, icon, found in ((words[1], "✅", d.resolved), (words[0], "⚠️", d.introduced)):
                for f in found:
                    where = (
                        f"{f.location.path}:{f.location.line}"
                        if f.location.line
                        else f.location.path
                    )
                    out.append(
                        f"| {icon} {word} | `{f.code}` {f.name} | {_md(f.message)} | "
                        f"`{_md(where)}` |"
                    )
            out.append("")
        metrics = d.metric_changes if structure else d.metrics
        if metrics:
            out += ["| metric | before | after | change |", "|---|---:|---:|---|"]
            for m in metrics:
                out.append(
                    f"| {LABELS.get(m.name, m.name)} | {number(m.name, m.old)} | "
                    f"{number(m.name, m.new)} | {_md(delta(m))} |"
                )
            out.append("")
        if structure and d.changes:
            count = len(d.changes)
            out += [
                "<details>",
                (f"<summary>{count} change{'s' if count != 1 else ''} to the model</summary>"),
                "",
            ]
            for kind, heading in SECTIONS:
                changes = d.of(kind)
                if not changes:
                    continue
                out += [f"**{heading}**", ""]
                for c in changes:
                    verb = {"added": "added", "removed": "removed"}.get(c.change, c.change)
                    out.append(f"- {verb} `{_md(c.id)}`: {_md(c.detail)}")
                out.append("")
            out += ["</details>", ""]
    return clean("\n".join(out).rstrip() + "\n", lines=True)

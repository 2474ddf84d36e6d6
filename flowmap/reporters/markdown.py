"""A markdown summary (``--format markdown``), for a pull-request comment or a CI job summary
(``>> $GITHUB_STEP_SUMMARY``)."""

from __future__ import annotations

from collections import Counter

from flowmap.formatting import share

ICON = {"error": "🔴", "warning": "🟠", "info": "🔵"}


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


def report(results, errors, config=None) -> str:
    counts = Counter(f.severity.value for r in results for f in r.findings)
    total = sum(counts.values())
    out = ["## flowmap analysis", ""]
    detail = ", ".join(f"{counts[s]} {s}" for s in ("error", "warning", "info") if counts[s])
    out.append(f"**{total} finding{'s' if total != 1 else ''}**" + (f" ({detail})" if detail else "")
               + f" in {len(results)} file{'s' if len(results) != 1 else ''}."
               + (f" {len({p.location.path for p in errors})} file(s) could not be read."
                  if errors else ""))
    out += ["", "| file | findings | handoffs | vertical | non-value | cycle efficiency |",
            "|---|---:|---:|---:|---:|---:|"]
    for r in results:
        m = r.metrics
        out.append(f"| `{_cell(r.path)}` | {len(r.findings)} | {m['handoffs']} | "
                   f"{m['handoffs_vertical']} | {share(m['non_value_share'])} | "
                   f"{share(m['cycle_efficiency'])} |")
    out.append("")
    for r in results:
        if not r.findings and not r.unused_suppressions:
            continue
        out += ["<details>", (f"<summary><code>{_cell(r.path)}</code>: {len(r.findings)} "
                f"finding{'s' if len(r.findings) != 1 else ''}</summary>"), "",
                "| | code | finding | line | fix |", "|---|---|---|---:|---|"]
        for f in r.findings:
            out.append(f"| {ICON[f.severity.value]} | `{f.code}` {f.name} | {_cell(f.message)} | "
                       f"{f.location.line or ''} | {_cell(f.suggestion)} |")
        for s in r.unused_suppressions:
            out.append(f"| ⚪ | unused suppression | ignore {s.code} on "
                       f"{_cell(s.element or 'the process')}: no such finding | | remove it |")
        out += ["", "</details>", ""]
    if errors:
        out += ["### Files that could not be read", ""]
        for p in errors:
            out.append(f"- `{_cell(str(p.location))}`: {_cell(p.message)}"
                       + (f" ({_cell(p.hint)})" if p.hint else ""))
        out.append("")
    return "\n".join(out).rstrip() + "\n"

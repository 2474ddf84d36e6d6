"""Hover: what flowmap knows about the thing under the cursor, in Markdown.

* on a line with a finding: the rule's rationale (what it finds, why it hurts the customer, the
  redesign) and a link to its page;
* on an owner or a role: the role's function, level and chain of command;
* on a step id (where it is defined or used): its value, purposes, times and handoffs;
* on the ``process:`` header: the process metrics.
"""

from __future__ import annotations

from lsprotocol import types

from flowmap.formatting import duration, share
from flowmap.lsp.diagnostics import rule_page
from flowmap.lsp.documents import Checked, Documents, Snapshot
from flowmap.lsp.index import Occurrence

LEVELS = {
    1: "front line",
    2: "team lead / supervisor",
    3: "manager",
    4: "head / director",
    5: "executive",
}


def at(documents: Documents, snapshot: Snapshot, position: types.Position) -> types.Hover | None:
    line, character = snapshot.spot(position)
    checked = documents.checked(snapshot) if snapshot.kind else None
    if checked is None:
        return None
    parts: list[str] = []
    index = documents.index(snapshot)
    found = index.at(line, character) if index is not None else None
    if found is not None:
        parts.append(_occurrence(checked, found))
    parts += [_finding(f) for f in _findings_on(checked, snapshot, line)]
    if not parts and snapshot.lines[line].startswith("process:") and checked.analysis:
        parts.append(metrics(checked))
    parts = [p for p in parts if p]
    if not parts:
        return None
    return types.Hover(
        contents=types.MarkupContent(
            kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)
        )
    )


def _findings_on(checked: Checked, snapshot: Snapshot, line: int):
    from flowmap.lsp.documents import key

    if checked.analysis is None:
        return []
    return [
        f
        for f in checked.analysis.findings
        if f.location.line == line + 1 and key(f.location.path) == snapshot.path
    ]


def _finding(finding) -> str:
    from flowmap import rules

    rule = rules.get(finding.code)
    text = [
        f"**{finding.code} {finding.name}** ({finding.severity.value}): {finding.message}",
        f"*What it finds:* {rule.summary}",
        f"*Why it matters:* {finding.why}",
        f"*Redesign:* {finding.suggestion}",
    ]
    if finding.fix is not None:
        text.append(f"*Quick fix:* {finding.fix.description}")
    if finding.inferred:
        text.append("*Assumed:* " + "; ".join(finding.inferred))
    text.append(f"[{finding.code} rule page]({rule_page(finding.code)})")
    return "\n\n".join(text)


def _occurrence(checked: Checked, found: Occurrence) -> str:
    graph = checked.graph()
    if graph is None:
        return ""
    if found.kind == "role":
        return role(graph, found.key)
    if found.kind == "function":
        function = next(
            (f for f in graph.process.organisation.functions if f.id == found.key), None
        )
        if function is None:
            return ""
        roles = ", ".join(f"{r.label} ({r.level})" for r in function.roles)
        return f"**{function.label}** — function `{function.id}`, kind {function.kind.value}" + (
            f"\n\nroles: {roles}" if roles else ""
        )
    if found.kind == "step":
        return step(graph, found.key)
    return ""


def role(graph, key: str) -> str:
    ref = graph.roles.get(key)
    if ref is None:
        return ""
    chain = graph.chain_of_command(key)
    above = " → ".join(
        f"{graph.roles[k].role.label} ({k}, level {graph.roles[k].level})" for k in chain[1:]
    )
    steps = [s.id for s in graph.process.steps if s.owner == key]
    text = [
        (
            f"**{ref.role.label}** — role `{key}` of **{ref.function.label}** "
            f"({ref.function.kind.value})"
        ),
        f"level {ref.level}: {LEVELS.get(ref.level, '')}",
        f"chain of command: {above or 'top of its chain'}",
    ]
    if steps:
        text.append(
            f"owns {len(steps)} step{'s' if len(steps) != 1 else ''}: "
            + ", ".join(f"`{s}`" for s in steps[:8])
            + (" …" if len(steps) > 8 else "")
        )
    return "\n\n".join(text)


def step(graph, step_id: str) -> str:
    found = graph.steps.get(step_id)
    if found is None:
        return ""
    value = found.value.value if found.value is not None else "not declared"
    text = [
        (
            f"**{found.label}** — step `{found.id}` ({found.kind.value}), owner "
            f"`{found.owner or 'none'}`"
        ),
        f"value: {value}"
        + (f"; purpose: {', '.join(p.value for p in found.purpose)}" if found.purpose else ""),
        f"work {duration(found.work)}, wait {duration(found.wait)}"
        + (f", cost {found.cost:g}" if found.cost else ""),
    ]
    handoffs = []
    for flow in graph.process.flows:
        if step_id not in (flow.source, flow.target) or flow.id not in graph.handoffs:
            continue
        h = graph.handoffs[flow.id]
        other = flow.target if flow.source == step_id else flow.source
        arrow = "→" if flow.source == step_id else "←"
        who = h.target_role if flow.source == step_id else h.source_role
        handoffs.append(
            f"- {arrow} `{other}` ({who or 'no owner'}): {h.kind.value}"
            + (", across functions" if h.cross_function else "")
        )
    if handoffs:
        text.append("handoffs:\n" + "\n".join(handoffs))
    return "\n\n".join(text)


def metrics(checked: Checked) -> str:
    m = checked.analysis.metrics
    return "\n".join(
        [
            f"**{checked.process.name}** — process metrics",
            "",
            f"- steps: {m['steps']} ({m['work_steps']} work steps), functions: {m['functions']}",
            (
                f"- handoffs: {m['handoffs']} ({m['handoffs_vertical']} vertical, "
                f"{m['handoffs_diagonal']} diagonal)"
            ),
            (
                f"- value-adding: {share(m['value_adding_share'])}, "
                f"cycle efficiency: {share(m['cycle_efficiency'])}"
            ),
            f"- lead time: {duration(m['lead_time_minutes'])}",
            f"- findings: {len(checked.analysis.findings)}",
        ]
    )

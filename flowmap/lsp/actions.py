"""Code actions on a finding: its ``--fix`` redesign as a quick fix, and "ignore it here".

The quick fix applies the finding's own :class:`~flowmap.rules.base.Fix` with
:func:`flowmap.redesign.redesign` (the same code as ``flowmap analyze --fix``), writes the result
with the canonical writer, and carries only the lines that changed into the user's text (a
three-way merge: the canonical text of the process as it is, the canonical text of the
redesign, and what the user wrote, comments included). When the user's layout is too far from
the canonical one for that, the file is first laid out as ``flowmap fmt`` does (comments kept)
and the action says so. A fix that would break the process is not offered. The process keeps
its status: in the editor a fix changes one thing, it does not turn an as-is file into a to-be.

"Ignore" writes the comment the analysis honours (:mod:`flowmap.loaders.suppressions`), above
the step or flow the finding is at, with a reason to fill in.
"""

from __future__ import annotations

import difflib

from lsprotocol import types

from flowmap.lsp.diagnostics import SOURCE
from flowmap.lsp.documents import Documents, Snapshot, key
from flowmap.rules.base import Finding

REASON = "<why this is acceptable here>"


def for_range(
    documents: Documents, snapshot: Snapshot, where: types.Range, seen: list[types.Diagnostic]
) -> list[types.CodeAction]:
    if snapshot.kind != "process":
        return []
    analysis = documents.checked(snapshot).analysis
    if analysis is None:
        return []
    out: list[types.CodeAction] = []
    for diagnostic in seen:
        finding = _finding_of(diagnostic, analysis.findings, snapshot)
        if finding is None:
            continue
        fix = quick_fix(snapshot, analysis.process, finding)
        if fix is not None:
            fix.diagnostics = [diagnostic]
            out.append(fix)
        ignore = ignore_here(snapshot, analysis.process, finding)
        if ignore is not None:
            ignore.diagnostics = [diagnostic]
            out.append(ignore)
    return out


def _finding_of(
    diagnostic: types.Diagnostic, findings: list[Finding], snapshot: Snapshot
) -> Finding | None:
    """The finding a diagnostic shows: by the fingerprint it carries, or (for clients that do not
    send a diagnostic's ``data`` back) by its code and line."""
    if diagnostic.source not in (SOURCE, None):
        return None
    data = diagnostic.data if isinstance(diagnostic.data, dict) else {}
    if data.get("fingerprint"):
        return next((f for f in findings if f.fingerprint == data["fingerprint"]), None)
    line = diagnostic.range.start.line + 1
    return next(
        (
            f
            for f in findings
            if f.code == diagnostic.code
            and f.location.line == line
            and key(f.location.path) == snapshot.path
        ),
        None,
    )


def _element_lines(process) -> set[int]:
    """The lines where the steps and flows of this file start."""
    places = process._locations  # where the loader read each element (the suppressions' rule)
    kinds = [f"step:{s.id}" for s in process.steps] + [f"flow:{f.id}" for f in process.flows]
    return {
        loc.line
        for name in kinds
        if (loc := places.get(name)) is not None and key(loc.path) == key(process.path)
    }


def ignore_here(snapshot: Snapshot, process, finding: Finding) -> types.CodeAction | None:
    """Insert ``# flowmap: ignore[CODE] reason`` above the line the finding stands on."""
    location = finding.location
    if (
        key(location.path) != snapshot.path
        or not location.line
        or location.line not in _element_lines(process)
    ):
        return None  # the comment applies only where a step or flow starts (else: stray)
    line = location.line - 1
    text = snapshot.lines[line]
    indent = text[: len(text) - len(text.lstrip())]
    comment = f"{indent}# flowmap: ignore[{finding.code}] {REASON}\n"
    edit = types.TextEdit(range=snapshot.range(line, 0, 0), new_text=comment)
    return types.CodeAction(
        title=f"Ignore {finding.code} here, with a reason (a comment to complete)",
        kind=types.CodeActionKind.QuickFix,
        edit=types.WorkspaceEdit(changes={snapshot.uri: [edit]}),
    )


def quick_fix(snapshot: Snapshot, process, finding: Finding) -> types.CodeAction | None:
    """The finding's redesign as edits to the user's text, or None when it has none or it does
    not apply cleanly."""
    from flowmap.redesign import redesign
    from flowmap.writers.flow_yaml import dump

    if finding.fix is None:
        return None
    result = redesign(process, [finding])
    if not result.applied:
        return None
    changed = result.process.model_copy(update={"info": process.info})
    base, theirs = dump(process), dump(changed)
    edits = merge(snapshot.text, base, theirs)
    title = f"Fix {finding.code}: {finding.fix.description}"
    if edits is None:
        edits = _formatted(snapshot.text, base, theirs)
        if edits is None:
            return None
        title += " (lays the file out as flowmap fmt does)"
    return types.CodeAction(
        title=title,
        kind=types.CodeActionKind.QuickFix,
        is_preferred=True,
        edit=types.WorkspaceEdit(
            changes={
                snapshot.uri: [
                    types.TextEdit(range=snapshot.range(a, 0, 0, b), new_text=text)
                    for a, b, text in edits
                ]
            }
        ),
    )


def _formatted(text: str, base: str, theirs: str) -> list[tuple[int, int, str]] | None:
    from flowmap.fmt import format_text

    try:
        layout = format_text(text)
    except Exception:  # noqa: BLE001 -- fmt refuses texts it cannot rewrite safely (anchors)
        return None
    merged = merge(layout, base, theirs)
    if merged is None:
        return None
    new = apply(layout, merged)
    count = text.count("\n") + (0 if text.endswith("\n") else 1)
    return [(0, count, new)]


def merge(ours: str, base: str, theirs: str) -> list[tuple[int, int, str]] | None:
    """The changes from ``base`` to ``theirs``, as (first line, line after, new text) in
    ``ours``; None when a changed line of ``base`` is not found unchanged in ``ours`` (the user
    wrote it differently: a comment at its end, another layout)."""
    ours_lines, base_lines = ours.split("\n"), base.split("\n")
    theirs_lines = theirs.split("\n")
    where: dict[int, int] = {}  # base line -> ours line, where they are the same
    matcher = difflib.SequenceMatcher(None, base_lines, ours_lines, autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            where[block.a + k] = block.b + k
    edits = []
    changes = difflib.SequenceMatcher(None, base_lines, theirs_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in changes.get_opcodes():
        if tag == "equal":
            continue
        new = "".join(line + "\n" for line in theirs_lines[j1:j2])
        if i1 == i2:  # an insertion: after the line before it, or before the line after it
            if i1 - 1 in where:
                at = where[i1 - 1] + 1
            elif i1 in where:
                at = where[i1]
            else:
                return None
            edits.append((at, at, new))
            continue
        lines = [where.get(i) for i in range(i1, i2)]
        if None in lines:
            return None
        # The user may have written comments or blank lines between the lines that change:
        # those stay; the changed lines go, the new text taking the place of the first run.
        runs: list[list[int]] = []
        for line in lines:
            if runs and line == runs[-1][-1] + 1:
                runs[-1].append(line)
            else:
                runs.append([line])
        edits += [(run[0], run[-1] + 1, new if n == 0 else "") for n, run in enumerate(runs)]
    return edits


def apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    """``text`` with line edits applied (what the editor will do; used for the fmt layout)."""
    lines = [line + "\n" for line in text.split("\n")]
    for first, after, new in sorted(edits, reverse=True):
        lines[first:after] = [new] if new else []
    return "".join(lines)[:-1]

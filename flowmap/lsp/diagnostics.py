"""Load problems and findings as LSP diagnostics.

A problem the loader found is an error (or a warning) at its line and column, with its hint; a
finding is a diagnostic at the step, flow or role it is about, its code linking to the rule's
page (``docs/rules/CODE.md``), its redesign in the message, and its fingerprint in ``data`` so a
code action can find the finding again. What lies in another file (an organisation file a
process names) is shown where this file points there, naming the place.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types

from flowmap.errors import Location, Problem
from flowmap.lsp.documents import Checked, Snapshot, key
from flowmap.rules.base import Finding

if TYPE_CHECKING:
    from flowmap.analysis import Suppression
    from flowmap.model import Process

SOURCE = "flowmap"
# Where a rule's page is when flowmap runs from its repository, and where it is published.
_LOCAL_PAGES = Path(__file__).resolve().parents[2] / "docs" / "rules"
PAGES_URL = "https://github.com/flowmap/flowmap/blob/main/docs/rules/"

_SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}


def rule_page(code: str) -> str:
    """The address of a rule's documentation page: the local copy when there is one."""
    local = _LOCAL_PAGES / f"{code}.md"
    return local.as_uri() if local.is_file() else f"{PAGES_URL}{code}.md"


def of(
    snapshot: Snapshot, checked: Checked, elsewhere: list[Finding] | tuple[Finding, ...] = ()
) -> list[types.Diagnostic]:
    """Every diagnostic of one document version. ``elsewhere``: findings of other documents
    (the processes using this organisation file) that stand in this one."""
    pointer = _Pointer(snapshot)
    out = [_problem(pointer, p) for p in checked.problems]
    analysis = checked.analysis
    if analysis is not None:
        out += [_finding(pointer, f) for f in analysis.findings]
        out += [_unused(pointer, analysis.process, s) for s in analysis.unused_suppressions]
    out += [_finding(pointer, f, source=os.path.basename(f.location.path)) for f in elsewhere]
    return out


class _Pointer:
    """Ranges in one document; a place in another file is shown where this one names it."""

    def __init__(self, snapshot: Snapshot):
        self.snapshot = snapshot

    def at(self, location: Location) -> tuple[types.Range, str]:
        snapshot = self.snapshot
        if not location.path or key(location.path) == snapshot.path or not location.line:
            return snapshot.line_range(location), ""
        note = f"{os.path.basename(location.path)}:{location.line}:{location.column}: "
        return snapshot.line_range(Location(snapshot.path, snapshot.organisation_line + 1, 1)), note


def _problem(pointer: _Pointer, problem: Problem) -> types.Diagnostic:
    where, note = pointer.at(problem.location)
    message = note + problem.message + (f"\nhint: {problem.hint}" if problem.hint else "")
    return types.Diagnostic(
        range=where,
        message=message,
        source=SOURCE,
        code=problem.code,
        severity=_SEVERITY.get(problem.severity, types.DiagnosticSeverity.Error),
    )


def _finding(pointer: _Pointer, finding: Finding, source: str = "") -> types.Diagnostic:
    if source:  # a finding of a process that uses this organisation file
        where, note = pointer.snapshot.line_range(finding.location), f"{source}: "
    else:
        where, note = pointer.at(finding.location)
    message = f"{note}{finding.message}\nredesign: {finding.suggestion}"
    if finding.related:
        message += "\nalso seen as: " + ", ".join(
            dict.fromkeys(f"{r.code} {r.name}" for r in finding.related)
        )
    if finding.inferred:
        message += "\nassumed: " + "; ".join(finding.inferred[:3])
    return types.Diagnostic(
        range=where,
        message=message,
        source=SOURCE,
        code=finding.code,
        code_description=types.CodeDescription(href=rule_page(finding.code)),
        severity=_SEVERITY[finding.severity.value],
        data={"fingerprint": finding.fingerprint, "elements": list(finding.elements)},
    )


def _unused(pointer: _Pointer, process: Process, suppression: Suppression) -> types.Diagnostic:
    """A suppression that silences nothing: at its comment, its element, or the header."""
    element = suppression.element
    if element.startswith("line "):
        location = Location(process.path, int(element.split()[1]), 1)
    elif element:
        kind = "step" if any(s.id == element for s in process.steps) else "flow"
        location = process.locate(kind, element)
    else:
        location = process.locate("process")
    where, note = pointer.at(location)
    return types.Diagnostic(
        range=where,
        source=SOURCE,
        code=suppression.code,
        severity=types.DiagnosticSeverity.Information,
        tags=[types.DiagnosticTag.Unnecessary],
        message=f"{note}unused suppression: ignore {suppression.code} on "
        f"{element or 'the process'} (no such finding)",
    )

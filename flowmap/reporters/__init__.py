"""Reporters present results; they never analyse. One module per output format.

:data:`REPORTERS` is the one ``{format: reporter}`` table: every command that prints results
(``analyze``, ``mine``, ``conform``, ``diff``, ``compare``) takes its ``--format`` choices, its
help text and its dispatch from it. A reporter prints one or both kinds of result:

- ``findings``: ``report(results, errors, config) -> str``, where ``results`` is a list of
  :class:`~flowmap.analysis.Analysis` and ``errors`` a list of :class:`~flowmap.errors.Problem`
  for files that could not be read;
- ``changes``: ``report_diff(diffs, *, structure, title, words) -> str`` over
  :class:`~flowmap.diff.ProcessDiff` (``flowmap diff`` and ``flowmap compare``).

Asking a reporter for a kind it does not print raises :class:`CannotReport`, which names the
formats that do.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Literal

from flowmap.errors import UsageError

Kind = Literal["findings", "changes"]
FINDINGS: Kind = "findings"
CHANGES: Kind = "changes"
_FUNCTION = {FINDINGS: "report", CHANGES: "report_diff"}


@dataclass(frozen=True)
class Reporter:
    """One output format: the module that writes it, who reads it, and what it can print."""

    module: str
    reader: str
    prints: frozenset[str]


REPORTERS: dict[str, Reporter] = {
    "text": Reporter(
        "flowmap.reporters.text", "a person at a terminal", frozenset({FINDINGS, CHANGES})
    ),
    "json": Reporter(
        "flowmap.reporters.json",
        "other programs (versioned, docs/output.md)",
        frozenset({FINDINGS, CHANGES}),
    ),
    "sarif": Reporter(
        "flowmap.reporters.sarif", "code-scanning tools (SARIF 2.1.0)", frozenset({FINDINGS})
    ),
    "github": Reporter(
        "flowmap.reporters.github", "GitHub Actions annotations", frozenset({FINDINGS})
    ),
    "junit": Reporter(
        "flowmap.reporters.junit", "CI test-report views (JUnit XML)", frozenset({FINDINGS})
    ),
    "markdown": Reporter(
        "flowmap.reporters.markdown",
        "pull-request comments and wikis",
        frozenset({FINDINGS, CHANGES}),
    ),
}


class CannotReport(UsageError):
    """A format asked for a kind of result it does not print (or one this version lacks)."""


def formats(kind: Kind = FINDINGS) -> list[str]:
    """The format names that print ``kind``, in the table's order."""
    return [name for name, reporter in REPORTERS.items() if kind in reporter.prints]


def describe(kind: Kind = FINDINGS) -> str:
    """One sentence for a ``--format`` option's help: each format that prints ``kind`` and who
    reads it."""
    return (
        "Output format: "
        + "; ".join(f"{name} for {REPORTERS[name].reader}" for name in formats(kind))
        + "."
    )


def refusal(name: str, kind: Kind) -> str:
    """Why ``name`` cannot print ``kind``, and which formats can."""
    choices = ", ".join(formats(kind))
    if name not in REPORTERS:
        return f"unknown output format {name!r}; choose {choices}"
    other = " and ".join(sorted(REPORTERS[name].prints))
    return f"the {name} format prints {other}, not {kind}; choose {choices}"


def available() -> list[str]:
    """The formats whose module is installed in this version."""
    return [name for name, r in REPORTERS.items() if importlib.util.find_spec(r.module)]


def get(name: str, kind: Kind = FINDINGS) -> ModuleType:
    """The reporter module of ``name``, once it is known to print ``kind``."""
    reporter = REPORTERS.get(name)
    if reporter is None or kind not in reporter.prints:
        raise CannotReport(refusal(name, kind))
    if importlib.util.find_spec(reporter.module) is None:
        raise CannotReport(f"output format {name!r} is not available in this version")
    return importlib.import_module(reporter.module)


def report(name: str, results: list, errors: list, config: Any = None) -> str:
    """Findings of ``results`` (and the files in ``errors`` that could not be read) as ``name``."""
    text: str = get(name, FINDINGS).report(results, errors, config)
    return text


def report_changes(name: str, diffs: list, **wording: Any) -> str:
    """Semantic diffs as ``name``; ``wording`` (``structure``, ``title``, ``words``) is passed
    on to the reporter's ``report_diff``."""
    text: str = get(name, CHANGES).report_diff(diffs, **wording)
    return text

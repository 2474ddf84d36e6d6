"""The analysis engine: selected rules over a process, with suppressions, metrics and maturity.

Pure: a :class:`~flowmap.model.Process` and a :class:`~flowmap.config.Config` in, an
:class:`Analysis` out. A rule that crashes becomes a :class:`RuleError` for that process; the other
rules go on. :func:`analyze_paths` runs many files in parallel across the machine's cores.
"""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import ValidationError

from flowmap.applicability import Skipped
from flowmap.config import Config
from flowmap.errors import FlowmapError, LoadError, Problem, UsageError
from flowmap.model import Flow, Process, Step
from flowmap.records import Record
from flowmap.rules.base import Finding, Rule, Severity
from flowmap.triage import rank

__all__ = [
    "Analysis",
    "FileResult",
    "RuleError",
    "Suppression",
    "analyze",
    "analyze_file",
    "analyze_paths",
    "rank",
    "selected_rules",
]


class RuleError(Record):
    """A rule that crashed on a process: its code, the exception in one line, the traceback."""

    __slots__ = ("code", "message", "detail")

    def __init__(self, code: str, message: str, detail: str = ""):
        self.code, self.message, self.detail = code, message, detail

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


class Suppression(Record):
    """An ``ignore:`` entry on an element (a step or flow id, "" for the whole process): the
    code it silences, the reason given and whether it silenced a finding."""

    __slots__ = ("element", "code", "reason", "used")

    def __init__(self, element: str, code: str, reason: str, used: bool):
        self.element, self.code, self.reason, self.used = element, code, reason, used


@dataclass
class Analysis:
    """One process's findings, metrics and maturity, the rules that crashed or were skipped
    (the model gives them nothing to go on) and its suppressions. A dataclass: the baseline
    copies it with other findings (dataclasses.replace)."""

    process: Process
    findings: list[Finding]
    metrics: dict[str, Any]
    maturity: Any = None
    rule_errors: list[RuleError] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)  # rules the model gives nothing to

    @property
    def path(self) -> str:
        return self.process.path

    def failing(self, fail_on: str) -> list[Finding]:
        threshold = Severity(fail_on).rank
        return [f for f in self.findings if f.severity.rank >= threshold]

    @property
    def unused_suppressions(self) -> list[Suppression]:
        return [s for s in self.suppressions if not s.used]

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "process": {
                "id": self.process.id,
                "name": self.process.name,
                "status": self.process.status.value,
            },
            "findings": [f.as_dict() for f in self.findings],
            "metrics": self.metrics,
            "maturity": self.maturity.as_dict() if self.maturity is not None else None,
            "rule_errors": [e.as_dict() for e in self.rule_errors],
            "skipped": [s.as_dict() for s in self.skipped],
            "unused_suppressions": [
                {"element": s.element, "code": s.code, "reason": s.reason}
                for s in self.unused_suppressions
            ],
        }


def selected_rules(config: Config) -> list[type[Rule]]:
    from flowmap import rules

    everything = rules.all_rules()
    for selector in (*config.select, *config.extend_select, *config.ignore):
        if not any(rules.matches(rule, selector) for rule in everything):
            raise UsageError(f"unknown rule selector {selector!r}; `flowmap rules` lists the rules")
    codes = {rule.code for rule in everything}
    for code in config.rules:
        if code not in codes:
            from flowmap.config import unknown_rule_error

            raise unknown_rule_error(config, code)
    chosen = [
        r
        for r in everything
        if any(rules.matches(r, s) for s in (*config.select, *config.extend_select))
    ]
    return [r for r in chosen if not any(rules.matches(r, s) for s in config.ignore)]


def rule_options(rule: type[Rule], config: Config) -> Any:
    """A rule's options from the configuration, checked by its ``Options`` schema (a mistake
    is a UsageError naming the file and line of the setting)."""
    settings = {k: v for k, v in config.rules.get(rule.code, {}).items() if k != "severity"}
    if (
        not settings
    ):  # the rule's own defaults: nothing to check, no validator to build (cold start)
        return rule.Options.model_construct()
    try:
        return rule.Options(**settings)
    except ValidationError as exc:  # a configuration mistake
        from flowmap.config import rule_options_error

        raise rule_options_error(config, rule.code, rule.name, exc, rule.Options) from None


def analyze(process: Process, config: Config | None = None) -> Analysis:
    """Run the selected rules on one process.

    Rules whose needs the process does not meet are skipped (:mod:`flowmap.applicability`);
    the findings come ranked, one per problem, with the inferences each rests on
    (:mod:`flowmap.triage`).

    The cycle collector waits while the analysis runs, as it does while a BPMN file loads: the
    graph, the rules and the ranking build hundreds of thousands of small objects that make no
    cycles, and with a large model in memory each collection looks at all of them (on 20,000
    steps it came to 50 collections and 0.1-0.3 s per analysis, 2 collections on 2,000)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _analyze(process, config)
    finally:
        if collecting:
            gc.enable()


def _analyze(process: Process, config: Config | None) -> Analysis:
    from flowmap import maturity as maturity_mod
    from flowmap import metrics as metrics_mod
    from flowmap import triage
    from flowmap.applicability import Applicability, skipped
    from flowmap.graph import ProcessGraph
    from flowmap.rules import presets
    from flowmap.rules.base import Context

    config = config or Config()
    graph = ProcessGraph(process)
    findings: list[Finding] = []
    errors: list[RuleError] = []
    ignored_by_path = config.ignored_for(process.path) if process.path else ()
    from flowmap import rules as registry

    applies = Applicability(graph)
    not_run: list[tuple[str, str]] = []
    for rule_class in selected_rules(config):
        if any(registry.matches(rule_class, s) for s in ignored_by_path):
            continue
        missing = applies.missing(rule_class)
        if missing is not None:
            not_run.append((rule_class.code, missing))
            continue
        rule = rule_class()
        severity = config.rules.get(rule.code, {}).get("severity") or presets.severity(
            rule.code, config.preset
        )
        ctx = Context(process, graph, rule_options(rule_class, config), Severity(severity))
        try:
            findings.extend(rule.check(ctx))
        except Exception as exc:  # noqa: BLE001 -- a broken rule must not end the run
            import traceback

            errors.append(
                RuleError(rule.code, f"{type(exc).__name__}: {exc}", traceback.format_exc())
            )
    findings, suppressions = _suppress(process, findings)
    findings = _drawn_only(process, findings)
    findings = triage.attach(findings, graph)
    labels = {s.id: s.label for s in process.steps}
    findings = rank(triage.merge(findings, labels, graph))
    metrics = metrics_mod.compute(graph)
    maturity = maturity_mod.assess(graph, findings, metrics)
    return Analysis(process, findings, metrics, maturity, errors, suppressions, skipped(not_run))


def _drawn_only(process: Process, findings: list[Finding]) -> list[Finding]:
    """Findings name only what the modeller wrote: a flow a loader made (``generated``: into a
    flattened sub-process, to a boundary event...) carries the work along for every rule, but
    is never named by a finding; a finding about such flows alone is dropped."""
    made = {f.id for f in process.flows if f.generated}
    if not made or not findings:
        return findings
    out = []
    for finding in findings:
        if not any(e in made for e in finding.elements):
            out.append(finding)
            continue
        kept = tuple(e for e in finding.elements if e not in made)
        if kept:
            out.append(replace(finding, elements=kept))
    return out


def _suppress(process: Process, findings: list[Finding]) -> tuple[list[Finding], list[Suppression]]:
    """Drop findings silenced on one of their elements or on the process.

    Two forms: ``ignore: {CODE: reason}`` on a step, a flow or the process header, and a
    comment ``# flowmap: ignore[CODE] reason`` on the line where a step or flow starts (or just
    above it; see :mod:`flowmap.loaders.suppressions`). Per-file and per-path ignores of the
    configuration are applied before the rules run (``per-file-ignores``). Suppressions that
    silence nothing are returned with ``used=False`` and reported.
    """
    entries: dict[tuple[str, str], str] = {}
    for code, reason in process.info.ignore.items():
        entries[("", code.upper())] = reason
    items: list[Step | Flow] = [*process.steps, *process.flows]
    for item in items:
        for code, reason in item.ignore.items():
            entries[(item.id, code.upper())] = reason
    stray: list[Any] = []
    if process._comments:  # a file's suppression comments (an imported BPMN model has none)
        from flowmap.loaders import suppressions

        for key, reason in suppressions.for_process(process).items():
            entries.setdefault(key, reason)
        stray = suppressions.stray(process)
    if not entries and not stray:
        return findings, []
    used: set[tuple[str, str]] = set()
    kept = []
    for finding in findings:
        hits = [
            key
            for key in [("", finding.code), *((e, finding.code) for e in finding.elements)]
            if key in entries
        ]
        if hits:
            used.update(hits)
        else:
            kept.append(finding)
    out = [Suppression(e, c, r, (e, c) in used) for (e, c), r in entries.items()]
    out += [
        Suppression(f"line {c.line}", code, c.reason or "next to no step or flow", False)
        for c in stray
        for code in c.codes
    ]
    return kept, out


# ---------------------------------------------------------------------------------------------
# Many files
# ---------------------------------------------------------------------------------------------


class FileResult:
    """One file's analysis, or the problems that kept it from being analysed; ``warnings``
    are about its organisation file (``--org``), ``inputs`` the files a worker process read
    (organisation files...), which the parent's run records."""

    def __init__(
        self,
        path: str,
        analysis: Analysis | None = None,
        problems: list[Problem] | None = None,
        warnings: list[Problem] | None = None,
        inputs: frozenset[str] = frozenset(),
    ):
        self.path, self.analysis, self.inputs = path, analysis, inputs
        self.problems = [] if problems is None else problems
        self.warnings = [] if warnings is None else warnings


def analyze_file(path: str, config: Config | None = None) -> FileResult:
    from flowmap.config import find_config
    from flowmap.loaders import load_any

    config = config or find_config(path)
    warnings: list[Problem] = []
    try:
        process = load_any(
            path, max_bytes=config.max_bytes, org=config.org or None, warnings=warnings
        )
        return FileResult(
            path,
            analyze(process, config),
            warnings=[w for w in warnings if w.code.startswith("org-")],
        )
    except LoadError as exc:
        return FileResult(path, problems=exc.problems)
    except FlowmapError:
        raise
    except Exception as exc:  # a bug: name the file, and let the other files be analysed
        if os.environ.get("FLOWMAP_DEBUG"):
            raise
        from flowmap.errors import Location

        return FileResult(
            path,
            problems=[
                Problem(
                    Location(path),
                    f"internal error: {type(exc).__name__}: {exc}",
                    "this is a bug in flowmap; please report it with this file (FLOWMAP_DEBUG=1 shows "
                    "the traceback)",
                    "internal-error",
                )
            ],
        )


def analyze_paths(
    paths: list[str], config: Config | None = None, jobs: int = 0
) -> list[FileResult]:
    """Analyse many files, in parallel processes when there are enough of them."""
    jobs = jobs or (config.jobs if config else 0) or os.cpu_count() or 1
    if len(paths) < 8 or jobs == 1:
        return [analyze_file(p, config) for p in paths]
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, len(paths) // (jobs * 4))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(_analyze_one, [(p, config) for p in paths], chunksize=chunk))
    from flowmap import files

    for result in results:  # what the workers read is this run's input too
        for path in result.inputs:
            files.note_input(path)
    return results


def _analyze_one(args: tuple[str, Config | None]) -> FileResult:
    from flowmap import files

    path, config = args
    with files.run() as inputs:
        try:
            result = analyze_file(path, config)
        except FlowmapError as exc:
            from flowmap.errors import Location

            result = FileResult(path, problems=[Problem(Location(path), str(exc))])
    result.inputs = frozenset(inputs)
    return result

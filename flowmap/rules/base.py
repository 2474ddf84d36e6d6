"""What a rule is, what it reports, and how it proposes a redesign.

A rule is one small package, ``flowmap/rules/<family>/<code>_<name>/``: its ``__init__.py`` holds a
:class:`Rule` subclass whose docstring is its documentation page (*What it finds*, *How to fix*),
with a code, a kebab-case name, a family, a summary and an options model; its
``valid-*.flow.yaml`` and ``invalid-*.flow.yaml`` files beside it are both its documentation and
its test fixtures (see :mod:`flowmap.rules.examples`). ``check`` yields :class:`Finding` objects
made with :meth:`Rule.finding`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict

from flowmap.errors import Location
from flowmap.records import Record
from flowmap.rules import presets

if TYPE_CHECKING:
    from flowmap.graph import ProcessGraph
    from flowmap.model import Process
    from flowmap.rules.examples import Example


class Family(StrEnum):
    smokestack = "smokestack"
    value = "value"
    service = "service"
    customer = "customer"
    structure = "structure"


FAMILY_PREFIX = {
    Family.smokestack: "SMK",
    Family.value: "VAL",
    Family.service: "SRV",
    Family.customer: "CX",
    Family.structure: "STR",
}


class Severity(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"

    @property
    def rank(self) -> int:
        return {"info": 1, "warning": 2, "error": 3}[self.value]


class Options(BaseModel):
    """Base of every rule's options: unknown option names are refused."""

    # Built when a rule's options are first read, not when the rules are imported.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# ---------------------------------------------------------------------------------------------
# Redesign edits (applied by flowmap.redesign)
# ---------------------------------------------------------------------------------------------


# Edit, Fix and Finding are dataclasses (dataclasses.replace copies findings with changes) that
# generate no code: their __init__ is written out, equality, hash and repr come from
# flowmap.records.Record (a generated dataclass costs about 4M instructions at import).


@dataclass(init=False, repr=False, eq=False)
class Edit(Record):
    """One change to a process. ``op`` is one of:

    * ``remove-step`` (``step``): remove it and connect each predecessor to each successor;
    * ``add-flow`` (``source``, ``target``, ``kind``, ``label``);
    * ``remove-flow`` (``flow``);
    * ``set-step`` (``step``, ``fields``: a mapping of step fields to new values);
    * ``add-step`` (``fields``: a whole step, ``after``: the step it follows, ``before``: the
      step it precedes — flows are re-routed through the new step);
    * ``add-measure`` (``fields``: a whole measure).
    """

    __slots__ = (
        "op",
        "step",
        "flow",
        "source",
        "target",
        "kind",
        "label",
        "after",
        "before",
        "fields",
    )
    op: str
    step: str
    flow: str
    source: str
    target: str
    kind: str
    label: str
    after: str
    before: str
    fields: dict[str, Any]

    def __init__(
        self,
        op: str,
        step: str = "",
        flow: str = "",
        source: str = "",
        target: str = "",
        kind: str = "normal",
        label: str = "",
        after: str = "",
        before: str = "",
        fields: dict[str, Any] | None = None,
    ):
        self.op, self.step, self.flow, self.source, self.target = op, step, flow, source, target
        self.kind, self.label, self.after, self.before = kind, label, after, before
        self.fields = {} if fields is None else fields


@dataclass(init=False, repr=False, eq=False)
class Fix(Record):
    """A proposed redesign: what it does, in words, and the edits that do it."""

    __slots__ = ("description", "edits")
    description: str
    edits: tuple[Edit, ...]

    def __init__(self, description: str, edits: tuple[Edit, ...]):
        self.description, self.edits = description, edits


# ---------------------------------------------------------------------------------------------
# Findings
# ---------------------------------------------------------------------------------------------


@dataclass(init=False, repr=False, eq=False)
class Finding(Record):
    """What a rule found: where (``elements``, most important first; ``location``), what
    (``message``, ``evidence``), why it hurts the customer (``why``) and what to redesign
    (``suggestion``, ``fix``). ``substance`` identifies it across edits (default: its
    elements). Set by the analysis (flowmap.triage), not by rules: ``inferred`` (the reasons of
    the inferences it rests on: Process.inferred), ``related`` (findings about the same
    problem, folded into this one) and ``impact`` (how directly the customer feels it: 0 not,
    1 waits, 2 meets it)."""

    __slots__ = (  # thousands on a large model: no instance dict
        "code",
        "name",
        "family",
        "severity",
        "message",
        "elements",
        "location",
        "evidence",
        "why",
        "suggestion",
        "fix",
        "substance",
        "inferred",
        "related",
        "impact",
    )
    code: str
    name: str
    family: Family
    severity: Severity
    message: str
    elements: tuple[str, ...]
    location: Location
    evidence: dict[str, Any]
    why: str
    suggestion: str
    fix: Fix | None
    substance: str
    inferred: tuple[str, ...]
    related: tuple[Finding, ...]
    impact: int

    def __init__(
        self,
        code: str,
        name: str,
        family: Family,
        severity: Severity,
        message: str,
        elements: tuple[str, ...],
        location: Location,
        evidence: dict[str, Any],
        why: str,
        suggestion: str,
        fix: Fix | None = None,
        substance: str = "",
        inferred: tuple[str, ...] = (),
        related: tuple[Finding, ...] = (),
        impact: int = 0,
    ):
        self.code, self.name, self.family, self.severity = code, name, family, severity
        self.message, self.elements, self.location = message, elements, location
        self.evidence, self.why, self.suggestion, self.fix = evidence, why, suggestion, fix
        self.substance, self.inferred, self.related, self.impact = (
            substance,
            inferred,
            related,
            impact,
        )

    @property
    def fingerprint(self) -> str:
        """Stable across unrelated edits (lines moving, other steps added); changes with the
        finding's substance (its rule and the elements it is about)."""
        key = self.substance or "|".join(sorted(self.elements))
        return hashlib.sha256(f"{self.code}|{key}".encode()).hexdigest()[:16]

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "family": self.family.value,
            "severity": self.severity.value,
            "message": self.message,
            "elements": list(self.elements),
            "location": {
                "path": self.location.path,
                "line": self.location.line,
                "column": self.location.column,
            },
            "evidence": plain(self.evidence),
            "why": self.why,
            "suggestion": self.suggestion,
            "fix": None
            if self.fix is None
            else {
                "description": self.fix.description,
                "edits": [
                    {k: v for k in e.__slots__ if (v := getattr(e, k)) not in ("", {}, None)}
                    for e in self.fix.edits
                ],
            },
            "fingerprint": self.fingerprint,
            "inferred": list(self.inferred),
            "related": [
                {
                    "code": r.code,
                    "name": r.name,
                    "message": r.message,
                    "elements": list(r.elements),
                    "fingerprint": r.fingerprint,
                }
                for r in self.related
            ],
        }


def plain(value: Any) -> Any:
    """``value`` as JSON gives it back: ``json.loads(json.dumps(value, default=str))`` without
    writing the text (one round trip per finding made large reports slow). Mappings become
    dicts with text keys, tuples lists, enums their values, anything else JSON cannot hold
    its ``str``."""
    if isinstance(value, str):
        return str.__str__(value)
    if value is None or value is True or value is False:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {_key(k): plain(v) for k, v in value.items()}
    return str(value)


def _key(key: Any) -> str:
    if isinstance(key, str):
        return str.__str__(key)
    if isinstance(key, float):
        import json

        return json.dumps(float(key))
    if key is True or key is False or key is None:
        return {True: "true", False: "false", None: "null"}[key]
    if isinstance(key, int):
        return int.__repr__(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


class Context:
    """What a rule sees: the process, its graph, the rule's own options and the severity in
    force (configuration may change it)."""

    __slots__ = ("process", "graph", "options", "severity")

    def __init__(
        self,
        process: Process,
        graph: ProcessGraph,
        options: Any = None,
        severity: Severity | None = None,
    ):
        self.process, self.graph, self.options, self.severity = process, graph, options, severity


class ExampleText:
    """``Rule.bad`` / ``Rule.good``: the text of the rule's first invalid / valid example (the
    examples are read, and their reader imported, when a rule's are first asked for)."""

    def __init__(self, valid: bool) -> None:
        self.valid = valid

    def __get__(self, instance: object, owner: type[Rule]) -> str:
        from flowmap.rules.examples import examples_of

        for example in examples_of(owner):
            if example.valid == self.valid:
                return example.text
        raise AttributeError(f"{owner.code} has no {'valid' if self.valid else 'invalid'} example")


class DefaultSeverity:
    """``Rule.severity``: the rule's severity in the default preset. Configuration chooses the
    severity in force (:mod:`flowmap.rules.presets`); a rule does not."""

    def __get__(self, instance: object, owner: type[Rule]) -> Severity:
        return Severity(presets.severity(owner.code))


class Rule:
    """Base class of all rules. Subclasses set the class attributes and implement ``check``."""

    code: ClassVar[str]
    name: ClassVar[str]
    family: ClassVar[Family]
    severity = DefaultSeverity()  # the severity in the default preset (``presets.toml``)
    summary: ClassVar[str]  # one line: what it finds
    why: ClassVar[str]  # one or two sentences: why it hurts the customer
    Options: ClassVar[type[Options]] = Options
    bad = ExampleText(valid=False)  # the text of the first invalid example in the rule's folder
    good = ExampleText(valid=True)  # the text of the first valid example
    references: ClassVar[tuple[str, ...]] = ()
    # "always": every finding carries a redesign (Fix); "sometimes": only some do; "": none
    fixable: ClassVar[str] = ""
    # What the model must have for the findings to mean anything (flowmap.applicability.NEEDS):
    # the rule is skipped, with the reason said once per file, when the model lacks it.
    needs: ClassVar[tuple[str, ...]] = ()

    def check(self, ctx: Context) -> Iterator[Finding]:  # pragma: no cover - abstract
        raise NotImplementedError

    def finding(
        self,
        ctx: Context,
        message: str,
        elements: list[str] | tuple[str, ...],
        *,
        evidence: dict[str, Any] | None = None,
        suggestion: str,
        why: str | None = None,
        fix: Fix | None = None,
        substance: str = "",
        severity: Severity | None = None,
    ) -> Finding:
        """Build a finding located at its first element."""
        return Finding(
            code=self.code,
            name=self.name,
            family=self.family,
            severity=severity or ctx_severity(ctx, self),
            message=message,
            elements=tuple(elements),
            location=locate(ctx.process, elements),
            evidence=evidence or {},
            why=why or self.why,
            suggestion=suggestion,
            fix=fix,
            substance=substance,
        )

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        """The example files beside the rule: invalid ones (with expected findings) first."""
        from flowmap.rules.examples import examples_of

        return examples_of(cls)

    @classmethod
    def doc(cls) -> str:
        import inspect
        import sys

        return inspect.cleandoc(cls.__doc__ or sys.modules[cls.__module__].__doc__ or "")


def ctx_severity(ctx: Context, rule: Rule) -> Severity:
    return ctx.severity or rule.severity


def locate(process: Process, elements: Iterable[str]) -> Location:
    """Where the first element that has a known position was written."""
    locations = process._locations  # a private attribute: each look-up through pydantic costs
    for element in elements:
        for kind in ("step", "flow", "role", "function", "measure"):
            key = f"{kind}:{element}"
            if key in locations:
                return locations[key]
    return process.locate("process")

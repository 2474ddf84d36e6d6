"""Answer keys for detection: what a process consultant would raise on a model, and what would
clearly be wrong, with the matching of flowmap's findings against them.

One YAML file per model under ``keys/`` (format in README.md). This module reads and checks
them, finds the model they judge, lists the element ids a model has, and scores a list of
findings against a key. It imports nothing from flowmap, so the keys and the matching stay
independent of the code they measure.
"""

from __future__ import annotations

import os
import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]  # the repository
KEYS_DIR = HERE / "keys"

Family = Literal["SMK", "VAL", "SRV", "CX", "STR"]
CODE = re.compile(r"^(SMK|VAL|SRV|CX|STR)\d{3}$")
ANY = "any"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _codes_ok(codes: list[str]) -> list[str]:
    bad = [c for c in codes if not CODE.match(c)]
    if bad:
        raise ValueError(f"not rule codes: {', '.join(bad)} (expected e.g. SMK001, VAL004)")
    return codes


def _elements_ok(elements: list[str] | str) -> list[str] | str:
    if isinstance(elements, str) and elements != ANY:
        raise ValueError(f"elements must be a list of ids or {ANY!r}")
    if isinstance(elements, list) and not elements:
        raise ValueError(f"elements must name at least one id, or be {ANY!r}")
    return elements


class Problem(_Strict):
    """Something a consultant would raise; found when one finding of an accepted code involves
    one of the elements (or any finding of an accepted code, for ``elements: any``)."""

    family: Family
    codes: list[str] = Field(min_length=1)
    elements: list[str] | str
    why: str = Field(min_length=3)

    _codes = field_validator("codes")(_codes_ok)
    _elements = field_validator("elements")(_elements_ok)

    @model_validator(mode="after")
    def _family_has_a_code(self) -> Problem:
        if not any(c.startswith(self.family) for c in self.codes):
            raise ValueError(f"family {self.family} but no {self.family} code in {self.codes}")
        return self


class Wrong(_Strict):
    """A finding that would clearly be wrong on this model: a false alarm."""

    codes: list[str] = Field(min_length=1)
    elements: list[str] | str
    why: str = Field(min_length=3)

    _codes = field_validator("codes")(_codes_ok)
    _elements = field_validator("elements")(_elements_ok)


class Organisation(_Strict):
    customer: str = Field(min_length=3)
    notes: list[str] = Field(min_length=1)


class AnswerKey(_Strict):
    model: str = Field(pattern=r"^(corpus|repo):\S")
    language: str = Field(pattern=r"^[a-z]{2}$")
    summary: str = Field(min_length=10)
    organisation: Organisation
    problems: list[Problem]
    no_problems: str | None = None
    wrong: list[Wrong] = Field(min_length=1)

    @model_validator(mode="after")
    def _empty_problems_are_explained(self) -> AnswerKey:
        if not self.problems and not self.no_problems:
            raise ValueError("a key without problems must say why in 'no_problems'")
        if self.problems and self.no_problems:
            raise ValueError("'no_problems' is only for keys whose problems list is empty")
        return self


class KeyFileError(Exception):
    """A key file that cannot be read; the message names the file and what to fix."""


def load_key(path: Path) -> AnswerKey:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise KeyFileError(f"{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    try:
        return AnswerKey.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"]) or "(top)"
        raise KeyFileError(f"{path}: {loc}: {first['msg']}") from None


def key_files(keys_dir: Path = KEYS_DIR) -> list[Path]:
    return sorted(keys_dir.glob("*.yaml"))


def find_corpus() -> Path | None:
    """The shared corpus: $FLOWMAP_CORPUS, else a ``shared/corpus`` beside an ancestor of the
    repository (``/work/shared`` for both ``/work/main`` and ``/work/wt/NAME``)."""
    env = os.environ.get("FLOWMAP_CORPUS")
    if env:
        return Path(env) if Path(env).is_dir() else None
    for ancestor in ROOT.parents:
        candidate = ancestor / "shared" / "corpus"
        if candidate.is_dir():
            return candidate
    return None


def model_path(key: AnswerKey, corpus: Path | None) -> Path | None:
    """The file a key judges, or None when it lives in a corpus that is not here."""
    scheme, _, rel = key.model.partition(":")
    if scheme == "repo":
        return ROOT / rel
    return None if corpus is None else corpus / rel


def model_ids(path: Path) -> set[str]:
    """Every id the model file declares: all ``id`` attributes of a BPMN file; step ids and
    explicit flow ids of a flowmap YAML file."""
    if path.suffix in (".bpmn", ".xml"):
        return {e.get("id") for e in ET.parse(path).getroot().iter() if e.get("id")}
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    ids = {s["id"] for s in data.get("steps", [])}
    ids |= {f["id"] for f in data.get("flows", []) if isinstance(f, dict) and "id" in f}
    return ids


# -- matching ------------------------------------------------------------------------------------

_NOT_ID = re.compile(r"[^A-Za-z0-9_-]+")


def same_element(key_id: str, finding_id: str) -> bool:
    """An element id from a key and one from a finding name the same element: exactly, or after
    the BPMN importer's sanitising (accents dropped, other characters to '_', a leading '_' before
    a digit; flowmap.loaders.bpmn_names.sanitise_id as of this writing). The one place where
    today's id rewriting is tolerated; when the importer keeps ids as written, only the exact
    test remains useful."""
    if key_id == finding_id:
        return True
    out = unicodedata.normalize("NFKD", key_id).encode("ascii", "ignore").decode()
    out = _NOT_ID.sub("_", out) or "id"
    if not (out[0].isalpha() or out[0] == "_"):
        out = f"_{out}"
    return out[:200] == finding_id


@dataclass(frozen=True)
class Seen:
    """What the scorer needs of a finding (flowmap's Finding, or its JSON). ``related`` are the
    findings flowmap folded into this one as views of the same problem (e.g. a chimney reported
    by SMK001 and SMK006, shown once): the finding stands for all of them."""

    code: str
    elements: tuple[str, ...]
    message: str = ""
    severity: str = ""
    related: tuple[Seen, ...] = ()


def involves(entry: Problem | Wrong, finding: Seen) -> bool:
    """The finding, or one of the findings folded into it, has an accepted code and involves one
    of the entry's elements (any element, for ``any``)."""
    for part in (finding, *finding.related):
        if part.code not in entry.codes:
            continue
        if entry.elements == ANY:
            return True
        if any(same_element(k, f) for k in entry.elements for f in part.elements):
            return True
    return False


@dataclass
class Score:
    """One key against one list of findings."""

    keyed: int
    found: list[int] = field(default_factory=list)  # indexes of problems found
    hits: list[Seen] = field(default_factory=list)  # findings that find a keyed problem
    false_alarms: list[tuple[Seen, str]] = field(default_factory=list)  # with the key's why
    unjudged: list[Seen] = field(default_factory=list)
    error: str | None = None  # the model could not be loaded or analysed

    @property
    def findings(self) -> int:
        return len(self.hits) + len(self.false_alarms) + len(self.unjudged)


def score(key: AnswerKey, findings: list[Seen]) -> Score:
    """Each finding (with what was folded into it) is a hit (it involves a keyed problem), else a
    false alarm (it matches a ``wrong`` entry), else unjudged. A problem is found when at least
    one finding hits it."""
    result = Score(keyed=len(key.problems))
    found: set[int] = set()
    for finding in findings:
        problems = [i for i, p in enumerate(key.problems) if involves(p, finding)]
        if problems:
            found.update(problems)
            result.hits.append(finding)
            continue
        wrong = next((w for w in key.wrong if involves(w, finding)), None)
        if wrong is not None:
            result.false_alarms.append((finding, wrong.why))
        else:
            result.unjudged.append(finding)
    result.found = sorted(found)
    return result

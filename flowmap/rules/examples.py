"""A rule's examples: the process files in its folder, and the findings each must produce.

Every rule lives in ``flowmap/rules/<family>/<code>_<name>/`` (``__init__.py`` is the rule) with its
examples beside it:

* ``valid-*.flow.yaml``: a process on which the rule reports nothing;
* ``invalid-*.flow.yaml``: a process on which it reports exactly the findings listed in the file's
  leading comment block, after a line ``# expect:``, as YAML (the loader ignores comments, so the
  example stays a file a user can copy)::

      # expect:
      #   - code: SMK001
      #     elements: [escalate->forward, take-order, escalate, forward]
      #     message: "sales reaches finance through 2 manager hops"

  ``elements`` are the finding's steps and flows, in order; ``message`` is a part of the message
  that does not change with number formatting.

A valid and an invalid example with the same name after the prefix (``valid-credit-query`` and
``invalid-credit-query``) are a before/after pair: the rule's page shows the redesign as a diff.
Examples whose organisation is the same share one ``*.org.yaml`` file (beside them when the pair
of one rule shares it, in the family's folder when several rules do, in ``rules/`` across
families) and name it (``organisation: ../sales-finance.org.yaml``); :attr:`Example.text`, the
text pages and ``Rule.bad`` / ``Rule.good`` show, has it written out again.
``tests/test_rule_examples.py`` runs every example of every registered rule.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flowmap.rules.base import Rule

SUFFIX = ".flow.yaml"
ORG_SUFFIX = ".org.yaml"


@dataclass(frozen=True)
class Expected:
    """One finding an invalid example must produce."""

    code: str
    elements: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class Example:
    path: Path
    valid: bool
    expected: tuple[Expected, ...]

    @property
    def name(self) -> str:
        """``credit-query`` for ``invalid-credit-query.flow.yaml``."""
        return self.path.name.removesuffix(SUFFIX).split("-", 1)[1]

    @property
    def file_text(self) -> str:
        """The file as written (it may name a shared organisation file)."""
        return self.path.read_text(encoding="utf-8")

    @property
    def text(self) -> str:
        """The example as one self-contained process file: a shared organisation file it names
        (``organisation: ../sales-finance.org.yaml``) is written out in its place."""
        return inline_organisation(self.file_text, self.path.parent)

    @property
    def body(self) -> str:
        """The process without the leading comment block (what a reader of the page needs)."""
        return strip_header(self.text)


def folder_of(rule: type[Rule]) -> Path:
    return Path(sys.modules[rule.__module__].__file__ or "").parent


def examples_of(rule: type[Rule]) -> tuple[Example, ...]:
    """The rule's examples, invalid ones first, each group by file name."""
    return examples_in(folder_of(rule))


@cache
def examples_in(folder: Path) -> tuple[Example, ...]:
    """The examples in a rule's folder, invalid ones first, each group by file name."""
    found = []
    for valid, prefix in ((False, "invalid-"), (True, "valid-")):
        for path in sorted(folder.glob(f"{prefix}*{SUFFIX}")):
            expected = () if valid else expectations(path.read_text(encoding="utf-8"), path)
            found.append(Example(path, valid, expected))
    return tuple(found)


def expectations(text: str, path: Path | str = "<example>") -> tuple[Expected, ...]:
    """The ``# expect:`` block of an invalid example's leading comments."""
    header = text[: len(text) - len(strip_header(text))].splitlines()
    try:
        start = [line.strip() for line in header].index("# expect:")
    except ValueError:
        raise ValueError(f"{path}: an invalid example needs a '# expect:' comment block") from None
    block = "\n".join(
        line.lstrip()[2:] if line.lstrip().startswith("# ") else "" for line in header[start + 1 :]
    )
    import yaml  # here: analysing a file reads no example (and needs no YAML for a BPMN file)

    try:
        items = yaml.safe_load(block) or []
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: the '# expect:' block is not YAML: {exc}") from None
    if not isinstance(items, list):
        raise ValueError(f"{path}: '# expect:' must be a list of findings")
    out = []
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict) or set(item) != {"code", "elements", "message"}:
            raise ValueError(f"{path}: expected finding {n} needs exactly code, elements, message")
        out.append(
            Expected(
                str(item["code"]), tuple(str(e) for e in item["elements"]), str(item["message"])
            )
        )
    return tuple(out)


def inline_organisation(text: str, folder: Path) -> str:
    """``text`` with a line ``organisation: FILE.org.yaml`` replaced by that file's
    ``organisation:`` block (the file's other lines, its comments and ``flowmap: 1``, left out)."""
    lines = text.splitlines(keepends=True)
    for n, line in enumerate(lines):
        key, _, ref = line.partition(":")
        if key == "organisation" and ref.strip().endswith(ORG_SUFFIX):
            org = (folder / ref.strip()).read_text(encoding="utf-8").splitlines(keepends=True)
            start = next(i for i, o in enumerate(org) if o.startswith("organisation:"))
            end = next(
                (
                    i
                    for i in range(start + 1, len(org))
                    if org[i].strip() and not org[i][0].isspace()
                ),
                len(org),
            )
            return "".join(lines[:n] + org[start:end] + lines[n + 1 :])
    return text


def strip_header(text: str) -> str:
    """The text after the leading comment (and blank) lines."""
    lines = text.splitlines(keepends=True)
    n = 0
    while n < len(lines) and (not lines[n].strip() or lines[n].lstrip().startswith("#")):
        n += 1
    return "".join(lines[n:])

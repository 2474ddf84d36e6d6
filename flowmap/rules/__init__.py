"""The rule registry: every :class:`~flowmap.rules.base.Rule` in the family packages.

Rules are found by walking ``flowmap/rules/<family>/``: each rule is a package
``<code>_<name>/`` (``smokestack/smk001_chimney_handoff/``) whose ``__init__.py`` is the rule and
whose ``valid-*.flow.yaml`` / ``invalid-*.flow.yaml`` files are its examples
(:mod:`flowmap.rules.examples`). Plain modules of a family folder (``common.py``) are helpers
shared by its rules. Adding a rule is adding one folder.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable
from functools import cache

from flowmap.rules.base import FAMILY_PREFIX, Family, Rule

FAMILIES = tuple(Family)


@cache
def all_rules() -> tuple[type[Rule], ...]:
    """Every rule class, ordered by code."""
    found: dict[str, type[Rule]] = {}
    for family in FAMILIES:
        package = importlib.import_module(f"{__name__}.{family.value}")
        for name in _rule_packages(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{name}")
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, Rule)
                    and value is not Rule
                    and value.__module__ == module.__name__
                    and hasattr(value, "code")
                ):
                    if value.code in found and found[value.code] is not value:
                        raise RuntimeError(f"two rules share the code {value.code}")
                    found[value.code] = value
    return tuple(sorted(found.values(), key=_order))


def _rule_packages(folders: Iterable[str]) -> list[str]:
    """The packages in a family's folder, by name: its rules (a plain module, ``common.py``, is
    a helper shared by the family's rules). Read with os.scandir: pkgutil cost more to import
    than the walk (cold start, issue 13)."""
    found = set()
    for folder in folders:
        with os.scandir(folder) as entries:
            for entry in entries:
                if (
                    entry.name.isidentifier()
                    and entry.is_dir()
                    and os.path.isfile(os.path.join(entry.path, "__init__.py"))
                ):
                    found.add(entry.name)
    return sorted(found)


def _order(rule: type[Rule]) -> tuple[int, int]:
    prefix = FAMILY_PREFIX[rule.family]
    return (list(FAMILY_PREFIX.values()).index(prefix), int(rule.code[len(prefix) :]))


def get(code_or_name: str) -> type[Rule]:
    """A rule by its code (``SMK001``) or name (``chimney-handoff``)."""
    wanted = code_or_name.strip()
    for rule in all_rules():
        if rule.code.lower() == wanted.lower() or rule.name == wanted.lower():
            return rule
    raise KeyError(code_or_name)


def matches(rule: type[Rule], selector: str) -> bool:
    """Does a selector pick this rule? ``ALL``, a family (``smokestack``), a prefix (``SMK``,
    ``SMK0``), a code (``SMK001``) or a name (``chimney-handoff``)."""
    s = selector.strip()
    if s.upper() == "ALL":
        return True
    if s.lower() == rule.family.value or s.lower() == rule.name:
        return True
    return rule.code.upper().startswith(s.upper()) and s[:1].isalpha()

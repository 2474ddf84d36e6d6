"""Problems found while reading a file, and the library's one exception family.

The library never prints: it raises :class:`FlowmapError` (or returns :class:`Problem` lists), and
the CLI alone turns them into messages and exit codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, order=True)
class Location:
    """Where an element stands in a file (1-based line and column)."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.path
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, with the place and what to do."""

    location: Location
    message: str
    hint: str = ""
    code: str = "invalid"  # a short kebab-case name: unknown-key, missing-reference...
    element: str = ""  # the id of the element concerned, when there is one
    severity: str = "error"  # "error" stops analysis; "warning" does not

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.location.path,
            "line": self.location.line,
            "column": self.location.column,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
            "element": self.element,
        }


class FlowmapError(Exception):
    """Base class of every error the library raises on purpose."""


@dataclass
class LoadError(FlowmapError):
    """A file could not be turned into a process; ``problems`` lists every reason found."""

    path: str
    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems) or f"{self.path}: cannot be read"


class UsageError(FlowmapError):
    """The caller asked for something that cannot be done (bad option, missing file...)."""

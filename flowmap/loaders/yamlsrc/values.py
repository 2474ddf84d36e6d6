"""What the YAML reader gives: mappings and lists that remember where each entry was written, and
the problems it reports (each with its line and column)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Pos = tuple[int, int]  # 1-based line and column


class YMap(dict):
    """A mapping that knows the position of itself, its keys and its values."""

    __slots__ = ("key_pos", "start", "value_pos")

    def __init__(self, start: Pos):
        super().__init__()
        self.start = start
        self.key_pos: dict[Any, Pos] = {}
        self.value_pos: dict[Any, Pos] = {}


class YList(list):
    """A list that knows the position of itself and of each item."""

    __slots__ = ("item_pos", "start")

    def __init__(self, start: Pos):
        super().__init__()
        self.start = start
        self.item_pos: list[Pos] = []


@dataclass(frozen=True)
class YamlProblem:
    line: int
    column: int
    message: str
    hint: str = ""
    fatal: bool = False


class YamlError(Exception):
    """The text cannot be read at all; ``problem`` says where and why."""

    def __init__(self, problem: YamlProblem):
        super().__init__(problem.message)
        self.problem = problem

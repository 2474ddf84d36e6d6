"""Where each id of a YAML document is written: steps, functions and roles, defined and used.

Read off the positions :mod:`flowmap.loaders.yamlsrc` keeps for every value (a full parse),
so navigation, hover, rename and the document outline agree with the loader on what the file
says. An :class:`Occurrence` is one written id: a step id in ``steps:``, in a flow (``a -> b``,
``from:``/``to:``) or in a measure's ``steps:``; a function id and a role id (a role is named
``function.role``) in the organisation, in an ``owner:``, a ``reports_to:``, a person's
``role:`` or a measure's ``owner:``. Lines and columns are 0-based code points.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from flowmap.loaders.yamlsrc import YamlError, YList, YMap, parse
from flowmap.model import CUSTOMER


@dataclass(frozen=True)
class Occurrence:
    kind: str  # "step", "function" or "role"
    key: str  # the step id, the function id, or "function.role"
    line: int
    start: int
    end: int
    definition: bool
    path: str


@dataclass(frozen=True)
class Symbol:
    """An entry of the document outline: a step, a function, a role."""

    kind: str
    key: str
    name: str
    line: int  # where the entry starts
    end_line: int  # its last line
    selection: Occurrence | None
    children: tuple[Symbol, ...] = ()


@dataclass
class Index:
    path: str
    occurrences: list[Occurrence] = field(default_factory=list)
    symbols: list[Symbol] = field(default_factory=list)
    organisation_file: str | None = None  # the *.org.yaml file the process names
    organisation_line: int | None = None  # where it names it

    def at(self, line: int, character: int) -> Occurrence | None:
        for found in self.occurrences:
            if found.line == line and found.start <= character <= found.end:
                return found
        return None

    def of(self, kind: str, key: str) -> list[Occurrence]:
        return [o for o in self.occurrences if o.kind == kind and o.key == key]

    def definition(self, kind: str, key: str) -> Occurrence | None:
        return next((o for o in self.of(kind, key) if o.definition), None)

    def ids(self, kind: str) -> list[str]:
        """Every id of a kind defined here, in file order."""
        return [o.key for o in self.occurrences if o.kind == kind and o.definition]


def build(text: str, path: str) -> Index | None:
    """The index of a document; None when the text is not YAML (yet)."""
    try:
        data, _ = parse(text, full=True)
    except YamlError:
        return None
    index = Index(path)
    if not isinstance(data, YMap):
        return index
    lines = text.split("\n")
    _Walker(index, lines).document(data)
    return index


class _Walker:
    def __init__(self, index: Index, lines: list[str]):
        self.index, self.lines = index, lines

    def add(
        self, kind: str, key: str, where: tuple[int, int, int] | None, definition: bool = False
    ) -> Occurrence | None:
        if where is None:
            return None
        found = Occurrence(kind, key, *where, definition, self.index.path)
        self.index.occurrences.append(found)
        return found

    def token(self, pos: Any, value: str, after: int = 0) -> tuple[int, int, int] | None:
        """(line, start, end) of ``value`` written at the 1-based ``pos`` (quotes skipped)."""
        if not pos or not isinstance(value, str) or not value:
            return None
        line = pos[0] - 1
        if line >= len(self.lines):
            return None
        text = self.lines[line]
        start = text.find(value, max(pos[1] - 1, after))
        return None if start < 0 else (line, start, start + len(value))

    def document(self, data: YMap) -> None:
        org = data.get("organisation")
        if isinstance(org, str):
            folder = os.path.dirname(self.index.path)
            self.index.organisation_file = os.path.normpath(os.path.join(folder, org))
            pos = data.value_pos.get("organisation")
            self.index.organisation_line = pos[0] - 1 if pos else None
        elif isinstance(org, YMap):
            self.organisation(org, data.get("steps"))
        steps = data.get("steps")
        if isinstance(steps, YList):
            self.steps(steps, self._end(data, "steps"))
        flows = data.get("flows")
        if isinstance(flows, YList):
            for item, pos in zip(flows, flows.item_pos, strict=False):
                self.flow(item, pos)
        measures = data.get("measures")
        if isinstance(measures, YList):
            for item in measures:
                if not isinstance(item, YMap):
                    continue
                self.function_ref(item.get("owner"), item.value_pos.get("owner"))
                steps_of = item.get("steps")
                if isinstance(steps_of, YList):
                    for step_id, pos in zip(steps_of, steps_of.item_pos, strict=False):
                        if isinstance(step_id, str):
                            self.add("step", step_id, self.token(pos, step_id))

    def _end(self, data: YMap, section: str) -> int:
        """The last line of a top-level section (0-based)."""
        start = data.key_pos[section][0]
        later = [pos[0] for pos in data.key_pos.values() if pos[0] > start]
        return (min(later) - 2) if later else len(self.lines) - 1

    @staticmethod
    def _spans(items: YList, last: int) -> list[tuple[int, int]]:
        starts = [pos[0] - 1 for pos in items.item_pos]
        ends = [s - 1 for s in starts[1:]] + [last]
        return list(zip(starts, ends, strict=False))

    def steps(self, steps: YList, last: int) -> None:
        for item, (start, end) in zip(steps, self._spans(steps, last), strict=False):
            if not isinstance(item, YMap) or not isinstance(item.get("id"), str):
                continue
            step_id = item["id"]
            found = self.add("step", step_id, self.token(item.value_pos.get("id"), step_id), True)
            self.owner(item.get("owner"), item.value_pos.get("owner"))
            name = item.get("name") if isinstance(item.get("name"), str) else ""
            self.index.symbols.append(
                Symbol(
                    "step", step_id, name or step_id, start, _trim(self.lines, start, end), found
                )
            )

    def flow(self, item: Any, pos: Any) -> None:
        if isinstance(item, str) and "->" in item:
            source, _, target = item.partition("->")
            first = self.token(pos, source.strip())
            if first is not None:
                self.add("step", source.strip(), first)
                arrow = self.lines[first[0]].find("->", first[2])
                self.add("step", target.strip(), self.token(pos, target.strip(), arrow + 2))
        elif isinstance(item, YMap):
            for end in ("from", "to"):
                value = item.get(end)
                if isinstance(value, str):
                    self.add("step", value, self.token(item.value_pos.get(end), value))

    def owner(self, value: Any, pos: Any) -> None:
        """``function.role``: the function's id, then the role's."""
        if not isinstance(value, str) or value == CUSTOMER or "." not in value:
            return
        where = self.token(pos, value)
        if where is None:
            return
        line, start, end = where
        function, _, _ = value.partition(".")
        self.add("function", function, (line, start, start + len(function)))
        self.add("role", value, (line, start + len(function) + 1, end))

    def function_ref(self, value: Any, pos: Any) -> None:
        if isinstance(value, str) and value:
            self.add("function", value, self.token(pos, value))

    def organisation(self, org: YMap, steps: Any = None) -> None:
        functions = org.get("functions")
        if isinstance(functions, YList):
            last = _last_line(self.lines, functions)
            for item, (start, end) in zip(functions, self._spans(functions, last), strict=False):
                if isinstance(item, YMap) and isinstance(item.get("id"), str):
                    self.function(item, start, _trim(self.lines, start, end))
        people = org.get("people")
        if isinstance(people, YList):
            for item in people:
                if isinstance(item, YMap):
                    self.owner(item.get("role"), item.value_pos.get("role"))

    def function(self, item: YMap, start: int, end: int) -> None:
        function_id = item["id"]
        found = self.add(
            "function", function_id, self.token(item.value_pos.get("id"), function_id), True
        )
        children = []
        roles = item.get("roles")
        if isinstance(roles, YList):
            for role, (r_start, r_end) in zip(roles, self._spans(roles, end), strict=False):
                if not isinstance(role, YMap) or not isinstance(role.get("id"), str):
                    continue
                key = f"{function_id}.{role['id']}"
                selection = self.add(
                    "role", key, self.token(role.value_pos.get("id"), role["id"]), True
                )
                boss = role.get("reports_to")
                if isinstance(boss, str) and boss:
                    if "." in boss:
                        self.owner(boss, role.value_pos.get("reports_to"))
                    else:
                        self.add(
                            "role",
                            f"{function_id}.{boss}",
                            self.token(role.value_pos.get("reports_to"), boss),
                        )
                name = role.get("name") if isinstance(role.get("name"), str) else ""
                children.append(
                    Symbol(
                        "role",
                        key,
                        name or role["id"],
                        r_start,
                        _trim(self.lines, r_start, r_end),
                        selection,
                    )
                )
        name = item.get("name") if isinstance(item.get("name"), str) else ""
        self.index.symbols.append(
            Symbol("function", function_id, name or function_id, start, end, found, tuple(children))
        )


def _last_line(lines: list[str], items: YList) -> int:
    """The last line of a block list: up to the next line indented less than its items."""
    first = items.item_pos[-1][0] - 1 if items.item_pos else 0
    indent = items.item_pos[-1][1] - 1 if items.item_pos else 0
    for number in range(first + 1, len(lines)):
        text = lines[number]
        if (
            text.strip()
            and not text.lstrip().startswith("#")
            and len(text) - len(text.lstrip()) < indent
        ):
            return number - 1
    return len(lines) - 1


def _trim(lines: list[str], start: int, end: int) -> int:
    """``end`` moved up past blank and comment lines (they belong to what follows)."""
    end = min(end, len(lines) - 1)
    while end > start and (not lines[end].strip() or lines[end].lstrip().startswith("#")):
        end -= 1
    return end

"""Checking the people of an HR export: every row names a person, a title and a department, no
person appears twice, every manager is a person, and no chain of managers goes in a circle."""

from __future__ import annotations

import difflib

from flowmap.errors import Problem
from flowmap.inference import fold
from flowmap.loaders.hr.columns import LABEL, Row
from flowmap.loaders.hr.table import cell_name


def check_people(rows: list[Row], problems: list[Problem]) -> dict[str, int]:
    """Each person's key (login, else name) -> row index; problems for gaps and duplicates."""
    keys: dict[str, int] = {}
    for i, row in enumerate(rows):
        for need in ("name", "title", "department"):
            if not row.values.get(need):
                problems.append(
                    Problem(
                        row.at(need),
                        f"{cell_name(row.at(need))}: {LABEL[need]} is empty",
                        "fill it in, or leave the row out of the export",
                        "empty-cell",
                    )
                )
        key = row.values.get("id") or row.values.get("name")
        if not key:
            continue
        if key in keys:
            first = rows[keys[key]]
            what = "login" if row.values.get("id") else "name"
            problems.append(
                Problem(
                    row.at("id" if row.values.get("id") else "name"),
                    f"{cell_name(row.at('name'))}: {what} {key!r} is already on "
                    f"{cell_name(first.at('name'))}",
                    "add a login column (--id-column) to tell people of one name apart"
                    if what == "name"
                    else "each login belongs to one person",
                    "duplicate",
                )
            )
            continue
        keys[key] = i
    return keys


def managers_of(rows: list[Row], people: dict[str, int], problems: list[Problem]) -> dict[int, int]:
    """Row index -> its manager's row index, found by login, name or title."""
    by_name: dict[str, int] = {}
    for i, row in enumerate(rows):
        by_name.setdefault(fold(row.values.get("name", "")), i)
    managers: dict[int, int] = {}
    for i, row in enumerate(rows):
        value = row.values.get("manager", "")
        if not value:
            continue
        found = people.get(value)
        if found is None:
            found = by_name.get(fold(value))
        if found is None:
            close = difflib.get_close_matches(value, list(people), n=1)
            problems.append(
                Problem(
                    row.at("manager"),
                    f"{cell_name(row.at('manager'))}: manager {value!r} of "
                    f"{row.values.get('name')!r} is not a person in the table",
                    f"did you mean {close[0]!r}?"
                    if close
                    else "add the manager's row, or leave the cell empty for the top of the chain",
                    "unknown-manager",
                )
            )
        elif found == i:
            problems.append(
                Problem(
                    row.at("manager"),
                    f"{cell_name(row.at('manager'))}: "
                    f"{row.values.get('name')!r} is their own manager",
                    "leave the cell empty for the top of the chain",
                    "manager-cycle",
                )
            )
        else:
            managers[i] = found
    return managers


def check_cycles(rows: list[Row], managers: dict[int, int], problems: list[Problem]) -> None:
    done: set[int] = set()
    for start in managers:
        path: dict[int, int] = {}
        here: int | None = start
        while here is not None and here not in path and here not in done:
            path[here] = len(path)
            here = managers.get(here)
        if here is not None and here in path:
            cycle = list(path)[path[here] :]
            names = " -> ".join(rows[i].values["name"] for i in cycle + [cycle[0]])
            lines = ", ".join(cell_name(rows[i].at("manager")) for i in cycle)
            problems.append(
                Problem(
                    rows[cycle[0]].at("manager"),
                    f"the chain of command has a cycle: {names} ({lines})",
                    "someone in this circle reports to a person outside it, or to no one",
                    "manager-cycle",
                )
            )
        done.update(path)

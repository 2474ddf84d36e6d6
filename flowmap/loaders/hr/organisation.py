"""The organisation an HR export describes, built from checked rows: a function per department, a
role per job title, the chain of command from the managers, and each role's level (what its title
says, raised above every role reporting to it), with the reason of every guess."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import cast

from flowmap.errors import LoadError, Problem
from flowmap.inference import fold, kind, level
from flowmap.loaders.hr.columns import Row
from flowmap.loaders.ids import slug
from flowmap.model import Function, FunctionKind, Organisation, Person, Role


@dataclass
class OrgImport:
    """An organisation read from an HR table, with the reason of everything guessed."""

    organisation: Organisation
    inferred: dict[str, str] = field(default_factory=dict)  # "function:x" / "role:x.y" -> reason
    warnings: list[str] = field(default_factory=list)


def _unique(base: str, taken: set[str]) -> str:
    out, n = base or "x", 2
    while out in taken:
        out, n = f"{base}-{n}", n + 1
    taken.add(out)
    return out


def organisation(rows: list[Row], managers: dict[int, int]) -> OrgImport:
    result = OrgImport(Organisation())
    function_ids: dict[str, str] = {}  # department -> function id
    role_ids: dict[tuple[str, str], str] = {}  # (department, title) -> role id
    taken_f: set[str] = set()
    taken_r: dict[str, set[str]] = {}
    for row in rows:
        dept, title = row.values["department"], row.values["title"]
        if dept not in function_ids:
            function_ids[dept] = _unique(slug(fold(dept)), taken_f)
            taken_r[function_ids[dept]] = set()
        if (dept, title) not in role_ids:
            role_ids[(dept, title)] = _unique(slug(fold(title)), taken_r[function_ids[dept]])

    def role_of(i: int) -> str:
        row = rows[i]
        dept = row.values["department"]
        return f"{function_ids[dept]}.{role_ids[(dept, row.values['title'])]}"

    # A role reports to the role most of its people's managers hold.
    votes: dict[str, Counter] = {}
    for i, m in managers.items():
        if role_of(i) != role_of(m):
            votes.setdefault(role_of(i), Counter())[role_of(m)] += 1
    superior: dict[str, str] = {}
    for role, counter in votes.items():
        (choice, _), *others = counter.most_common()
        if others:
            result.warnings.append(
                f"the people of {role} report to roles {', '.join(counter)}; "
                f"{choice} is taken as its superior (the most common)"
            )
        superior[role] = choice
    _break_role_cycles(superior, result.warnings)
    levels = _levels(rows, role_ids, function_ids, superior, result)

    functions = []
    for dept, fid in function_ids.items():
        said = kind(dept)
        if said is not None:
            result.inferred[f"function:{fid}"] = said.reason(f"kind of {dept!r}")
        roles = []
        for (d, title), rid in role_ids.items():
            if d != dept:
                continue
            key = f"{fid}.{rid}"
            up = superior.get(key)
            if up is not None and up.split(".")[0] == fid:
                up = up.split(".", 1)[1]
            roles.append(Role(id=rid, name=title, level=levels[key], reports_to=up))
        functions.append(
            Function(
                id=fid, name=dept, kind=said.value if said else FunctionKind.other, roles=roles
            )
        )
    people = [
        Person(name=row.values["name"], role=role_of(i), id=row.values.get("id", ""))
        for i, row in enumerate(rows)
    ]
    result.organisation = Organisation(functions=functions, people=people)
    return result


def _break_role_cycles(superior: dict[str, str], warnings: list[str]) -> None:
    """Roles can circle even when people do not (a clerk's manager's manager is a clerk)."""
    for start in list(superior):
        seen: list[str] = []
        here: str | None = start
        while here is not None and here not in seen:
            seen.append(here)
            here = superior.get(here)
        if here is not None:
            cycle = seen[seen.index(here) :]
            last = cycle[-1]
            warnings.append(
                f"roles report to each other in a circle ({' -> '.join(cycle)} -> "
                f"{here}); {last} is left without a superior"
            )
            superior.pop(last, None)


def _levels(
    rows: list[Row],
    role_ids: dict[tuple[str, str], str],
    function_ids: dict[str, str],
    superior: dict[str, str],
    result: OrgImport,
) -> dict[str, int]:
    """Each role's level: what its title says, raised above every role that reports to it."""
    said: dict[str, int] = {}
    for (dept, title), rid in role_ids.items():
        key = f"{function_ids[dept]}.{rid}"
        match = level(title)
        if match is not None:
            said[key] = cast(int, match.value)  # level() answers 1..5
            result.inferred[f"role:{key}"] = match.reason(f"level of {title!r}")
    below: dict[str, list[str]] = {}
    for role, up in superior.items():
        below.setdefault(up, []).append(role)
    levels: dict[str, int] = {}
    everyone = [f"{function_ids[dept]}.{rid}" for (dept, _), rid in role_ids.items()]
    for root in everyone:  # each role after the roles below it (no recursion: chains are long)
        stack = [(root, False)]
        while stack:
            role, ready = stack.pop()
            if role in levels:
                continue
            if not ready:
                stack.append((role, True))
                stack.extend((r, False) for r in below.get(role, ()) if r not in levels)
                continue
            subs = [levels[r] for r in below.get(role, ())]
            levels[role] = max([said.get(role, 1)] + [s + 1 for s in subs])
            if role not in said or levels[role] != said[role]:
                reason = (
                    f"level {levels[role]}: above the roles that report to it"
                    if subs
                    else "level 1: its title says no level"
                )
                if role in said:
                    reason += f" (its title says {said[role]})"
                result.inferred[f"role:{role}"] = reason
    too_high = [r for r, lv in levels.items() if lv > 5]
    if too_high:
        raise LoadError(
            rows[0].at("name").path,
            [
                Problem(
                    rows[0].at("name"),
                    f"the chain of command is deeper than flowmap's five levels "
                    f"(at {', '.join(sorted(too_high))})",
                    "merge steps of the chain into one role, or "
                    "write the organisation file by hand",
                    "too-deep",
                )
            ],
        )
    return levels

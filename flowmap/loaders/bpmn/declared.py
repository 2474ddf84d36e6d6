"""Between stages 3 and 4 of the BPMN loader: the lanes and pools an organisation file covers.

With ``--org company.org.yaml`` (:mod:`flowmap.loaders.org_file`) a lane or pool is covered

1. when the file's ``lanes:`` table names it, by its id or by its name (case and accents
   folded; a name may cover several lanes, e.g. "Manager" in two pools);
2. else when its name is the name or id of exactly one role of the organisation (or of one
   function);
3. else when it lies inside a covered lane or pool: inside a whole function, a lane is matched by
   name to the function's roles, or else goes to the function's front-line role (recorded as
   inferred); inside a role or the customer, it is that role or the customer.

A covered lane's steps belong to the declared role: its level and chain of command are facts and
no inference is recorded for them. Lanes nothing covers are read from their names as before. A
``lanes:`` row that names no lane or pool of the model is a warning at the organisation file's
line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowmap import inference
from flowmap.errors import Problem
from flowmap.loaders.bpmn.elements import Lane, Pool, walk
from flowmap.loaders.bpmn.records import Records
from flowmap.model import CUSTOMER, Function

if TYPE_CHECKING:  # an organisation file's reader is imported only when one is given
    from flowmap.loaders.org_file import OrgFile


def _key(text: str) -> str:
    return " ".join(inference.fold(text or "").split())


class Declared:
    """What the organisation file says about this model's lanes and pools: ``owners``, lane or
    pool id -> role or customer; ``fallback``, lane or pool id -> why that role."""

    __slots__ = ("org", "owners", "fallback")

    def __init__(self, org: OrgFile):
        self.org = org
        self.owners: dict[str, str] = {}
        self.fallback: dict[str, str] = {}

    def covers(self, key: str) -> bool:
        return key in self.owners

    def is_customer(self, key: str) -> bool:
        return self.owners.get(key) == CUSTOMER

    def functions(self) -> list[Function]:
        """The organisation file's functions this model uses, and those their chains of
        command reach, in the file's order."""
        by_id = {f.id: f for f in self.org.organisation.functions}
        wanted = {owner.split(".", 1)[0] for owner in self.owners.values() if owner != CUSTOMER}
        todo = list(wanted)
        while todo:
            for role in by_id[todo.pop()].roles:
                boss = (role.reports_to or "").split(".", 1)
                if len(boss) == 2 and boss[0] in by_id and boss[0] not in wanted:
                    wanted.add(boss[0])
                    todo.append(boss[0])
        return [f for f in self.org.organisation.functions if f.id in wanted]


def declare(records: Records, org: OrgFile) -> Declared:
    """Which lanes and pools of ``records`` the organisation file covers, and as whose."""
    declared = Declared(org)
    functions = {f.id: f for f in org.organisation.functions}
    lanes_by: dict[str, list[Lane | Pool]] = {}
    pools_by: dict[str, list[Lane | Pool]] = {}
    for pool in records.pools:
        for name in {pool.id, _key(pool.name)} - {""}:
            pools_by.setdefault(name, []).append(pool)
        for top in pool.lanes:
            for lane in walk(top):
                for name in {lane.id, _key(lane.name)} - {""}:
                    lanes_by.setdefault(name, []).append(lane)
    stated: dict[str, str] = {}  # lane or pool id -> owner, from the table
    for entry in org.lanes:
        hits = (
            lanes_by.get(entry.key)
            or pools_by.get(entry.key)
            or lanes_by.get(_key(entry.key), []) + pools_by.get(_key(entry.key), [])
        )
        if not hits:
            records.warnings.append(
                Problem(
                    entry.location,
                    f"lanes: {entry.key!r} is no lane or pool of {records.path} (by id or by name)",
                    "check the spelling, or remove the row if the lane is in another model",
                    "org-lane-not-found",
                    severity="warning",
                )
            )
        for hit in hits:
            stated.setdefault(hit.id, entry.owner)
    by_name = _names(org)
    for pool in records.pools:
        owner = stated.get(pool.id) or by_name.get(_key(pool.name))
        if owner:
            _give(declared, pool.id, pool.name, owner, functions)
        for top in pool.lanes:
            _cover(declared, top, owner, stated, by_name, functions)
    return declared


def _cover(
    declared: Declared,
    lane: Lane,
    outer: str | None,
    stated: dict[str, str],
    by_name: dict[str, str],
    functions: dict[str, Function],
) -> None:
    """Cover ``lane`` (and its nested lanes) given the owner of the lane or pool around it."""
    owner = stated.get(lane.id) or by_name.get(_key(lane.name))
    if owner is None and outer is not None:
        owner = outer
        if outer != CUSTOMER and "." not in outer:  # inside a whole function: a role by name
            owner = next(
                (
                    f"{outer}.{r.id}"
                    for r in functions[outer].roles
                    if _key(lane.name) in (_key(r.name), _key(r.id))
                ),
                outer,
            )
    if owner is not None:
        _give(declared, lane.id, lane.name, owner, functions)
    for child in lane.children:
        _cover(declared, child, owner, stated, by_name, functions)


def _give(
    declared: Declared, key: str, name: str, owner: str, functions: dict[str, Function]
) -> None:
    """Record the owner of a lane or pool; a whole function gives its front-line role."""
    if owner == CUSTOMER or "." in owner:
        declared.owners[key] = owner
        return
    function = functions[owner]
    role = min(function.roles, key=lambda r: r.level)  # org_file refuses a function without
    declared.owners[key] = f"{function.id}.{role.id}"
    if len(function.roles) > 1:
        declared.fallback[key] = (
            f"steps in '{name or key}' belong to '{role.label}' (the front line of "
            f"'{function.label}', which {declared.org.path} gives the lane or pool)"
        )


def _names(org: OrgFile) -> dict[str, str]:
    """Folded names and ids of roles (else functions) that exactly one element has."""
    seen: dict[str, set[str]] = {}
    for function in org.organisation.functions:
        for role in function.roles:
            for name in {_key(role.name), _key(role.id)} - {""}:
                seen.setdefault(name, set()).add(f"{function.id}.{role.id}")
    roles = {name: next(iter(owners)) for name, owners in seen.items() if len(owners) == 1}
    seen = {}
    for function in org.organisation.functions:
        if not function.roles:
            continue
        for name in {_key(function.name), _key(function.id)} - {""}:
            seen.setdefault(name, set()).add(function.id)
    for name, owners in seen.items():
        if len(owners) == 1:
            roles.setdefault(name, next(iter(owners)))
    return roles

"""Who did the work: event-log resources mapped to the roles of an organisation.

A resource is mapped, in this order, through:

1. the organisation's person table (``people:`` in a ``*.org.yaml``: a person's ``id`` or
   ``name`` equal to the log's resource gives the person's ``function.role``);
2. the role the log names (``org:role``) when it is a role of the organisation: its key
   ``function.role``, or a role id or name found in one function only; with the group the log
   names (``org:group``) as the function when the role id repeats across functions;
3. without an organisation file, the log's own groups and roles: each group becomes a function
   and each role (or the group alone) a role of it, with the level its name says when it says
   one ("2nd line", "manager").

What stays unmapped is listed with the share of events it covers; nothing is guessed silently.
The kinds of handoff between roles are those of :meth:`flowmap.graph.ProcessGraph.handoff_between`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from flowmap.model import CUSTOMER, Function, FunctionKind, Organisation, Process, Role

_LINE = re.compile(r"(?<![0-9])([1-5])(?:st|nd|rd|th)(?![a-z])", re.IGNORECASE)


@dataclass
class Actor:
    resource: str  # '' when the log names none
    role: str
    group: str
    role_key: str | None  # 'function.role', 'customer', or None when unmapped
    events: int


@dataclass
class Actors:
    organisation: Organisation
    actors: list[Actor]
    source: str  # "organisation file", "people table", "log roles", "none"
    # What was guessed from names: element ('function' id or 'function.role') -> reason.
    inferred: dict[str, str] = field(default_factory=dict)

    def reasons(self, elements=None) -> tuple[str, ...]:
        """The reasons of the guesses about ``elements`` (function ids, whose kind was guessed,
        and role keys, whose level was); all of them for None."""
        return tuple(
            reason
            for element, reason in self.inferred.items()
            if elements is None or element in elements
        )

    @property
    def unmapped(self) -> list[tuple[str, int]]:
        """Resources (or role/group names) no role was found for, with their events, most
        events first (then by name)."""
        counts: Counter = Counter()
        for actor in self.actors:
            if actor.role_key is None:
                counts[actor.resource or actor.role or actor.group or "(no resource)"] += (
                    actor.events
                )
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    @property
    def unmapped_share(self) -> float:
        total = sum(a.events for a in self.actors)
        return sum(a.events for a in self.actors if a.role_key is None) / total if total else 0.0

    def graph(self):
        from flowmap.graph import ProcessGraph

        return ProcessGraph(
            Process.model_validate({"process": {"id": "log"}, "organisation": self.organisation})
        )

    def role_rows(self) -> list[tuple]:
        """(role_key, function, level, service) for each role (and the customer)."""
        rows = [(CUSTOMER, None, None, False)]
        for function in self.organisation.functions:
            for role in function.roles:
                rows.append(
                    (
                        f"{function.id}.{role.id}",
                        function.id,
                        role.level,
                        function.kind == FunctionKind.service,
                    )
                )
        return rows


def map_actors(
    triples: list[tuple[str | None, str | None, str | None, int]], organisation: Organisation | None
) -> Actors:
    """Map each distinct (resource, role, group) of a log, with its event count, to a role."""
    if organisation is not None:
        return _with_organisation(triples, organisation)
    return _from_log(triples)


def _with_organisation(triples, organisation: Organisation) -> Actors:
    from flowmap.loaders.ids import slug

    keys = {f"{fn.id}.{r.id}" for fn in organisation.functions for r in fn.roles}
    people: dict[str, str] = {}
    for person in getattr(organisation, "people", None) or ():
        for name in (getattr(person, "id", None), person.name):
            if name:
                people[str(name)] = person.role
    by_id: dict[str, list[str]] = {}
    for fn in organisation.functions:
        for role in fn.roles:
            for name in {role.id, role.name}:
                if name:
                    by_id.setdefault(name.lower(), []).append(f"{fn.id}.{role.id}")
    functions = {
        name.lower(): fn.id for fn in organisation.functions for name in (fn.id, fn.name) if name
    }
    by_function = {
        fn.id: {
            name: f"{fn.id}.{r.id}"
            for r in fn.roles
            for name in (r.id.lower(), r.name.lower(), slug(r.name))
            if name
        }
        for fn in organisation.functions
    }
    actors = []
    for resource, role, group, events in triples:
        key = people.get(resource or "")
        if key is None and role:
            if role in keys or role == CUSTOMER:
                key = role
            else:
                found = by_id.get(role.lower(), [])
                if len(found) > 1 and group:
                    fid = functions.get(group.lower())
                    found = [k for k in found if k.split(".", 1)[0] == fid]
                key = found[0] if len(found) == 1 else None
        if key is None and group:  # the group names a function; the role (or its only role)
            fid = functions.get(group.lower()) or functions.get(slug(group))
            roles = by_function.get(fid, {})
            if role:
                key = roles.get(role.lower()) or roles.get(slug(role))
            elif len(set(roles.values())) == 1:
                key = next(iter(roles.values()))
        if key is not None and key not in keys and key != CUSTOMER:
            key = None  # a person table entry naming a role the organisation lacks
        actors.append(Actor(resource or "", role or "", group or "", key, events))
    source = "people table" if people else "organisation file"
    return Actors(organisation, actors, source)


def _from_log(triples) -> Actors:
    from flowmap import inference
    from flowmap.loaders.ids import slug

    functions: dict[str, dict[str, str]] = {}  # function id -> role id -> role name
    names: dict[str, str] = {}
    actors, inferred = [], {}
    for resource, role, group, events in triples:
        if not group and not role:
            actors.append(Actor(resource or "", "", "", None, events))
            continue
        fname = group or role
        fid = slug(fname) or "function"
        rid = slug(role) if role else "member"
        rid = rid or "member"
        names[fid] = fname
        functions.setdefault(fid, {})[rid] = role or fname
        actors.append(Actor(resource or "", role or "", group or "", f"{fid}.{rid}", events))
    built = []
    for fid, roles in sorted(functions.items()):
        found = inference.kind(names[fid])
        kind = found.value if found else FunctionKind.other
        if found:
            inferred[fid] = found.reason(f"kind of function {names[fid]!r}")
        role_models = []
        for rid, rname in sorted(roles.items()):
            line = _LINE.search(rname)
            said = None if line else inference.level(rname)
            if line:
                level = int(line.group(1))
                inferred[f"{fid}.{rid}"] = (
                    f"level of role {rname!r} = {level} (support line {line.group(0)!r})"
                )
            elif said:
                level = said.value
                inferred[f"{fid}.{rid}"] = said.reason(f"level of role {rname!r}")
            else:
                level = 1
                inferred[f"{fid}.{rid}"] = f"level of role {rname!r} = 1 (its name says no level)"
            role_models.append(Role(id=rid, name=rname, level=level))
        built.append(Function(id=fid, name=names[fid], kind=kind, roles=role_models))
    source = "log roles" if built else "none"
    return Actors(
        Organisation(id="log", name="from the log", functions=built), actors, source, inferred
    )


def pair_kinds(actors: Actors, pairs: list[tuple[str, str]]) -> list[tuple]:
    """(from, to, kind, from_level, to_level, cross_function) for each pair of role keys, by
    the graph's one definition of handoff kinds."""
    graph = actors.graph()
    rows = []
    for a, b in pairs:
        kind, la, lb, cross = graph.handoff_between(a, b)
        rows.append((a, b, kind.value, la, lb, cross))
    return rows

"""Integrity checks of a process model: references, duplicate ids, the chain of command; and
reachability, kept apart.

Pure: takes a :class:`~flowmap.model.Process`, yields :class:`Issue` records whose ``loc`` is the
path of the offending value inside the file (``("steps", 3, "owner")``). Loaders turn ``loc`` into
a line and column. A process with any error of :func:`check` is meaningless and is not loaded. A
step no path reaches (:func:`unreachable`) is work in progress, not a broken file: it is loaded,
and rule STR001 reports it (at error severity).
"""

from __future__ import annotations

import difflib
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

from flowmap.model import CUSTOMER, Process, StepKind


@dataclass(frozen=True)
class Issue:
    loc: tuple
    message: str
    hint: str = ""
    code: str = "invalid"
    element: str = ""
    key: bool = False  # point at the key rather than the value


def did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else ""


def role_key(function_id: str, role_id: str) -> str:
    return f"{function_id}.{role_id}"


def check(process: Process) -> Iterator[Issue]:
    """Every integrity error of ``process`` (what makes it meaningless), in file order of
    sections. Reachability is not one of them: see :func:`unreachable`."""
    roles = yield from _check_organisation(process)
    step_ids = yield from _check_steps(process, roles)
    yield from _check_flows(process, step_ids)
    yield from _check_measures(process, step_ids)


def _check_organisation(process: Process) -> Iterator[Issue]:
    org = process.organisation
    roles: dict[str, tuple[int, int]] = {}
    functions: dict[str, int] = {}
    for fi, function in enumerate(org.functions):
        loc = ("organisation", "functions", fi)
        if function.id in functions:
            yield Issue(
                loc + ("id",),
                f"duplicate function id {function.id!r}",
                "give each function its own id",
                "duplicate-id",
                function.id,
            )
        functions.setdefault(function.id, fi)
        if function.id == CUSTOMER:
            yield Issue(
                loc + ("id",),
                "'customer' is reserved for the customer actor",
                "rename the function",
                "reserved-id",
                function.id,
            )
        local: set[str] = set()
        for ri, role in enumerate(function.roles):
            if role.id in local:
                yield Issue(
                    loc + ("roles", ri, "id"),
                    f"duplicate role id {role.id!r} in function {function.id!r}",
                    "give each role of a function its own id",
                    "duplicate-id",
                    role.id,
                )
            local.add(role.id)
            roles.setdefault(role_key(function.id, role.id), (fi, ri))

    # Chain of command: references, levels, cycles.
    superiors: dict[str, str] = {}
    for fi, function in enumerate(org.functions):
        for ri, role in enumerate(function.roles):
            if role.reports_to is None:
                continue
            loc = ("organisation", "functions", fi, "roles", ri, "reports_to")
            target = (
                role.reports_to
                if "." in role.reports_to
                else role_key(function.id, role.reports_to)
            )
            me = role_key(function.id, role.id)
            if target not in roles:
                yield Issue(
                    loc,
                    f"role {me!r} reports to {role.reports_to!r}, which is not a role",
                    did_you_mean(target, roles)
                    or "write a role id of the same function, or 'function.role'",
                    "missing-reference",
                    me,
                )
                continue
            sfi, sri = roles[target]
            superior = org.functions[sfi].roles[sri]
            if (
                isinstance(role.level, int)
                and isinstance(superior.level, int)
                and superior.level <= role.level
            ):
                yield Issue(
                    loc,
                    f"role {me!r} (level {role.level}) reports to {target!r} "
                    f"(level {superior.level})",
                    "a superior must have a higher level: 1 front line, 2 team lead, "
                    "3 manager, 4 head, 5 executive",
                    "level-order",
                    me,
                )
            superiors[me] = target
    # Each role has at most one superior, so following reports_to from every role finds every
    # cycle (plain pointer walks: `flowmap validate` must not pay for importing networkx).
    reported: set[str] = set()
    for start in superiors:
        seen: dict[str, int] = {}
        here: str | None = start
        while here is not None and here not in seen and here not in reported:
            seen[here] = len(seen)
            here = superiors.get(here)
        if here is not None and here in seen and here not in reported:
            order = list(seen)
            cycle = order[seen[here] :]
            reported.update(cycle)
            first = min(cycle)
            at = cycle.index(first)
            path = " -> ".join(cycle[at:] + cycle[:at] + [first])
            fi, ri = roles[first]
            yield Issue(
                ("organisation", "functions", fi, "roles", ri, "reports_to"),
                f"the chain of command has a cycle: {path}",
                "reports_to must lead upwards and end at a role that reports to no one",
                "reports-to-cycle",
                first,
            )
        reported.update(seen)
    yield from _check_people(org, roles)
    return roles


def _check_people(org, roles: dict) -> Iterator[Issue]:
    """Each person holds a role of the organisation; a person's id (login) is theirs alone."""
    ids: dict[str, int] = {}
    for pi, person in enumerate(org.people):
        loc = ("organisation", "people", pi)
        if person.role not in roles:
            same = [key for key in roles if key.endswith(f".{person.role}")]
            hint = (
                f"did you mean {same[0]!r}?"
                if len(same) == 1
                else did_you_mean(person.role, roles)
                or "write 'function.role' of a role in functions:"
            )
            yield Issue(
                loc + ("role",),
                f"person {person.name!r} holds role {person.role!r}, which is not a role",
                hint,
                "missing-reference",
                person.id or person.name,
            )
        if person.id:
            if person.id in ids:
                yield Issue(
                    loc + ("id",),
                    f"duplicate person id {person.id!r} (also person "
                    f"{org.people[ids[person.id]].name!r})",
                    "a person id names one person: a login or event-log resource",
                    "duplicate-id",
                    person.id,
                )
            ids.setdefault(person.id, pi)


def _check_owner(owner: str, roles: dict, process: Process) -> tuple[str, str] | None:
    if not owner or owner == CUSTOMER or owner in roles:
        return None
    functions = {f.id: f for f in process.organisation.functions}
    if "." not in owner:
        if owner in functions:
            ids = ", ".join(r.id for r in functions[owner].roles) or "none yet"
            return (
                f"owner {owner!r} names a function but not a role",
                f"write '{owner}.<role>' (its roles: {ids})",
            )
        return (
            f"owner {owner!r} is neither a role ('function.role') nor 'customer'",
            did_you_mean(owner, list(roles) + [CUSTOMER]) or "declare the role in the organisation",
        )
    function_id, _, role_id = owner.partition(".")
    if function_id not in functions:
        return (
            f"owner {owner!r}: there is no function {function_id!r}",
            did_you_mean(owner, roles)
            or did_you_mean(function_id, functions)
            or "declare the function in the organisation",
        )
    ids = [r.id for r in functions[function_id].roles]
    return (
        f"owner {owner!r}: function {function_id!r} has no role {role_id!r}",
        did_you_mean(role_id, ids) or f"its roles are: {', '.join(ids) or 'none'}",
    )


def _check_steps(process: Process, roles: dict) -> Iterator[Issue]:
    step_ids: set[str] = set()
    for si, step in enumerate(process.steps):
        if step.id in step_ids:
            yield Issue(
                ("steps", si, "id"),
                f"duplicate step id {step.id!r}",
                "give each step its own id",
                "duplicate-id",
                step.id,
            )
        step_ids.add(step.id)
        wrong = _check_owner(step.owner, roles, process)
        if wrong:
            yield Issue(("steps", si, "owner"), wrong[0], wrong[1], "missing-reference", step.id)
    return step_ids


def _check_flows(process: Process, step_ids: set[str]) -> Iterator[Issue]:
    flow_ids: set[str] = set()
    for fi, flow in enumerate(process.flows):
        if flow.id in flow_ids:
            yield Issue(
                ("flows", fi),
                f"duplicate flow id {flow.id!r}",
                "give the flow an explicit id: of its own",
                "duplicate-id",
                flow.id,
            )
        flow_ids.add(flow.id)
        for end, field in ((flow.source, "from"), (flow.target, "to")):
            if end not in step_ids:
                yield Issue(
                    ("flows", fi, field),
                    f"flow {flow.source} -> {flow.target}: {end!r} is not a step",
                    did_you_mean(end, step_ids) or "declare the step under steps:",
                    "missing-reference",
                    flow.id,
                )


def _check_measures(process: Process, step_ids: set[str]) -> Iterator[Issue]:
    functions = {f.id for f in process.organisation.functions}
    ids: set[str] = set()
    for mi, measure in enumerate(process.measures):
        if measure.id in ids:
            yield Issue(
                ("measures", mi, "id"),
                f"duplicate measure id {measure.id!r}",
                "give each measure its own id",
                "duplicate-id",
                measure.id,
            )
        ids.add(measure.id)
        if measure.owner and measure.owner not in functions and measure.owner != CUSTOMER:
            yield Issue(
                ("measures", mi, "owner"),
                f"measure {measure.id!r} is owned by {measure.owner!r}, which is not a function",
                did_you_mean(measure.owner, functions) or "use a function id",
                "missing-reference",
                measure.id,
            )
        for k, step in enumerate(measure.steps):
            if step not in step_ids:
                yield Issue(
                    ("measures", mi, "steps", k),
                    f"measure {measure.id!r} names step {step!r}, which does not exist",
                    did_you_mean(step, step_ids),
                    "missing-reference",
                    measure.id,
                )


def entry_steps(process: Process) -> list[str]:
    """Start steps; when none is declared, the steps no flow leads into."""
    starts = [s.id for s in process.steps if s.kind == StepKind.start]
    if starts:
        return starts
    targets = {f.target for f in process.flows}
    return [s.id for s in process.steps if s.id not in targets]


def unreachable(process: Process) -> Iterator[Issue]:
    """Steps no path from an entry reaches (code ``unreachable``), or ``no-start`` when every
    step has a flow leading into it. Meaningful only for a process :func:`check` accepts."""
    if not process.steps:
        return
    # A breadth-first walk over a plain adjacency list: the loader stays free of networkx.
    successors: dict[str, list[str]] = {s.id: [] for s in process.steps}
    for flow in process.flows:
        if flow.source in successors and flow.target in successors:
            successors[flow.source].append(flow.target)
    entries = entry_steps(process)
    if not entries:
        yield Issue(
            ("steps",),
            "the process has no start: every step has a flow leading into it",
            "add a step with kind: start",
            "no-start",
        )
        return
    reached = set(entries)
    todo = deque(entries)
    while todo:
        for nxt in successors[todo.popleft()]:
            if nxt not in reached:
                reached.add(nxt)
                todo.append(nxt)
    for si, step in enumerate(process.steps):
        if step.id not in reached:
            yield Issue(
                ("steps", si),
                f"step {step.id!r} cannot be reached from the start",
                "add a flow into it, or remove it",
                "unreachable",
                step.id,
            )

"""Which lanes of a company pool are one function: levels and chains of command from lane names.

Modelers draw a department's chain of command in three ways; flowmap reads each as one function
whose lanes are its roles (``docs/bpmn.md`` has examples from real models):

* **nested lanes**: a parent lane ("Pizza Service") whose child lanes are roles ("Assistant",
  "Chef") -- read by :mod:`.organisation` directly;
* **a shared name**: sibling lanes whose names begin with the same department ("Sales
  Assistant" + "Sales Manager"; "QS-Team" + "QS-Verantwortlicher"; "Dept A Analyst" + "Dept A
  Manager"), or one lane's name begins another's ("Geschäftsführung" + "Geschäftsführung
  Assistenz": the first is the department, the second a role in it);
* **a qualifier in parentheses** that names a department and a role: "Einrichtungsleitung
  (Space Team)" + "RGF (Space Manager)" are the team and the manager of one unit "Space" (the
  Imixs-Office convention of binding lanes to a space's or process's team and manager; also
  people's lanes with their job: "Anna (Sales Manager)" + "Ben (Sales Assistant)"); the
  role's level is read from the whole name (the highest level word in it);
* **role words only**: sibling lanes that name roles and no department ("Employee" + "Line
  Manager"; "Team" + "Manager"; "Sachbearbeitung" + "Abteilungsleitung" + "Geschäftsführung"):
  one function, named after the pool.

A lane's *stem* is its name without role words (levels and jobs, from :mod:`flowmap.inference`),
words that only say "a unit of people" (team, department, lane...) and small words (of, and...);
a German compound keeps its first part ("Vertriebsleiter" -> "Vertrieb"). Lanes whose stems begin
with the same word are one function; when the stem begins with a phrase that names customer
service or a kind of function ("Customer service Clerk", "Accounts payable Clerk"), with the same
phrase. Everything else stays as drawn: one lane, one function.
"""

from __future__ import annotations

import re

from flowmap import inference
from flowmap.loaders.bpmn.elements import Lane

_TOKEN = re.compile(r"[^\W_]+")
_QUALIFIED = re.compile(r"^[^()]*\(([^()]+)\)\s*$")


def _role_match(token: str):
    return inference.level(token) or inference.person(token)


def stem(name: str) -> str:
    """The department a lane's name names, folded ('' when it names only a role)."""
    kept = []
    for token in _TOKEN.findall(name or ""):
        folded = inference.fold(token)
        if inference.is_unit_word(token) or inference.is_filler(token):
            continue
        found = _role_match(token)
        if found is None:
            kept.append(folded)
            continue
        matched = inference.fold(found.text)
        if folded.endswith(matched) and len(folded) > len(matched):  # a compound: keep its head
            head = folded[: -len(matched)]
            if head.endswith("s") and len(head) > 4:  # the German linking s: Vertriebs-leiter
                head = head[:-1]
            if not inference.is_unit_word(head):
                kept.append(head)
    return " ".join(kept)


def qualifier(name: str) -> str:
    """The part in parentheses at the end of a lane's name when it names a department and a role
    or unit ('Space Team', 'Sales Manager'), else ''."""
    found = _QUALIFIED.match(name or "")
    if found is None:
        return ""
    inner = found.group(1).strip()
    if not stem(inner):
        return ""
    if not any(_role_match(t) or inference.is_unit_word(t) for t in _TOKEN.findall(inner)):
        return ""
    return inner


class Group:
    """Lanes read as one function; ``lanes`` in the order drawn. ``name`` is the function's
    name ('' for a single lane: the lane's own name), ``anchor`` the lane that is the department
    itself, when one is; ``by_pool``: role words only, the function is named after the pool;
    ``by_qualifier``: the department is named in each lane's parentheses."""

    __slots__ = ("lanes", "name", "anchor", "by_pool", "by_qualifier", "reason", "extra")

    def __init__(
        self,
        lanes: list[Lane],
        name: str = "",
        anchor: Lane | None = None,
        by_pool: bool = False,
        by_qualifier: bool = False,
        reason: str = "",
        extra: list[str] | None = None,
    ):
        self.lanes, self.name, self.anchor, self.reason = lanes, name, anchor, reason
        self.by_pool, self.by_qualifier = by_pool, by_qualifier
        self.extra = [] if extra is None else extra


def group_lanes(lanes: list[Lane], pool_name: str) -> list[Group]:
    """Sibling leaf lanes of a company pool grouped into functions (see the module's text)."""
    full = {lane.id: inference.fold(lane.name).strip() for lane in lanes}
    by_name = {full[lane.id]: lane for lane in lanes if full[lane.id]}
    keys: dict[str, str] = {}
    for lane in lanes:
        inner = qualifier(lane.name)
        if inner:
            keys[lane.id] = "(" + department_key(stem(inner))
            continue
        key = department_key(stem(lane.name))
        keys[lane.id] = key if key or lane.name else f"#{lane.id}"
    # A lane whose whole name begins another lane's name is that department ("Sales" + "Sales
    # manager"; "Geschäftsführung" + "Geschäftsführung Assistenz").
    anchors: dict[str, Lane] = {}
    for lane in lanes:
        for other in lanes:
            name = full[other.id]
            if other is not lane and name and full[lane.id].startswith(name + " "):
                keys[lane.id] = keys[other.id] = f"={name}"
                anchors[f"={name}"] = other
    for lane in lanes:  # "Sales" next to "Sales manager": the key of the one is the other's name
        key = keys[lane.id]
        if (
            key
            and not key.startswith(("=", "#"))
            and key in by_name
            and keys[by_name[key].id] == key
        ):
            anchors.setdefault(key, by_name[key])
    order: dict[str, list[Lane]] = {}
    for lane in lanes:
        order.setdefault(keys[lane.id], []).append(lane)
    groups: list[Group] = []
    for key, members in order.items():
        if len(members) == 1 or key.startswith("#"):
            groups.extend(Group([lane]) for lane in members)
            continue
        quoted = " and ".join(f"'{lane.name}'" for lane in members)
        if not key:
            groups.append(
                Group(
                    members,
                    pool_name,
                    by_pool=True,
                    reason=f"lanes {quoted} name roles and no department: one "
                    f"function '{pool_name or 'staff'}'",
                )
            )
            continue
        if key.startswith("("):
            inner = qualifier(members[0].name)
            name = _written(inner, key[1:])
            groups.append(
                Group(
                    members,
                    name,
                    by_qualifier=True,
                    reason=f"lanes {quoted} are one department '{name}' (named in "
                    "their parentheses, with each lane's role)",
                )
            )
            continue
        anchor = anchors.get(key)
        name = anchor.name if anchor is not None else _written(members[0].name, key)
        groups.append(
            Group(
                members,
                name,
                anchor=anchor,
                reason=f"lanes {quoted} are one department '{name}' (one name "
                "begins or heads the others)",
            )
        )
    return groups


def department_key(stem_text: str) -> str:
    """What lanes must share to be one department: the first word of a lane's stem, or the whole
    phrase when a department's name is one of several words ('customer service', 'accounts
    payable', 'obsluga klienta'): "Customer service Clerk" is in customer service, not in a
    department "Customer", and "Accounts payable Clerk" is not in accounts receivable."""
    words = stem_text.split()
    if not words:
        return ""
    for found in (inference.customer_service(stem_text), inference.kind(stem_text)):
        phrase = inference.fold(found.text).split() if found is not None else []
        if len(phrase) > 1 and words[: len(phrase)] == phrase:
            return " ".join(phrase)
    return words[0]


def role_name(lane: Lane, group: Group) -> str:
    """What a lane's name says about the role inside its group: 'Geschäftsführung Assistenz' in
    the group 'Geschäftsführung' is an 'Assistenz', not the Geschäftsführung."""
    if group.anchor is not None and group.anchor is not lane:
        prefix = group.anchor.name
        if lane.name.lower().startswith(prefix.lower() + " "):
            return lane.name[len(prefix) :].strip(" -/")
    return lane.name


def _written(name: str, key: str) -> str:
    """The word (or words) of ``name`` that are the folded ``key``, as the modeller wrote it."""
    if " " in key:
        tokens = list(_TOKEN.finditer(name))
        size = len(key.split())
        for i in range(len(tokens) - size + 1):
            run = tokens[i : i + size]
            if " ".join(inference.fold(t.group()) for t in run) == key:
                return name[run[0].start() : run[-1].end()]
    for token in _TOKEN.findall(name):
        folded = inference.fold(token)
        if folded == key:
            return token
        if folded.startswith(key):
            return token[: len(key)]
    return name

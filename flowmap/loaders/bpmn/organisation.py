"""Stage 4 of the BPMN loader: pools and lanes become the organisation.

* The pool or lane whose name says *customer* (``flowmap:org="customer"`` says it outright) is the
  customer; its nodes are the customer's steps.
* One company pool (the only pool with content, or ``flowmap:org="company"``, or a pool with
  nested lanes) whose top-level lanes are functions (nested lanes: roles), sibling lanes of one
  department read as one function (:mod:`.hierarchy`); or one pool per department whose lanes
  are roles. A pool whose lanes all name jobs ('Clerk', 'Manager') is one function split into
  roles.
* A role's level comes from ``flowmap:level`` or its name; within a function each role reports to
  the nearest level above it, and the top of each function to the executive function when there
  is exactly one (unless ``flowmap:reports-to`` states the chain).

Everything read from a name or a lane's place, rather than stated by a ``flowmap:`` attribute, is
recorded in ``inferred`` (element, field, value, reason), which becomes ``Process.inferred``.

Roles are created when a node first needs them (every leaf lane of a function is a role, even
without steps). Owners are first written as placeholders: ``fid.@lane`` (the role of a lane) or
``fid.staff`` (the function's one role), turned into ``function.role`` by :meth:`OrgDraft.owner`.
"""

from __future__ import annotations

from typing import Any, cast

from flowmap import inference
from flowmap.loaders.bpmn import chain
from flowmap.loaders.bpmn.declared import Declared
from flowmap.loaders.bpmn.elements import Lane, Pool, walk
from flowmap.loaders.bpmn.hierarchy import Group, group_lanes, role_name, stem
from flowmap.loaders.bpmn.records import Records
from flowmap.loaders.bpmn.xml import FM, documentation
from flowmap.loaders.ids import sanitise_id, slug
from flowmap.model import CUSTOMER, ID_RE, FunctionKind

STAFF = "staff"  # the role of a lane or pool that is not split into roles


class OrgDraft:
    """The organisation being built: functions as plain data, owners per pool and lane."""

    def __init__(self, records: Records, declared: Declared | None = None):
        self.r = records
        self.declared = declared  # lanes and pools an organisation file covers (--org)
        self.functions: dict[str, dict[str, Any]] = {}  # function id -> function data
        self.elements: dict[str, object] = {}  # function id -> the pool or lane drawing it
        self.function_of_key: dict[str, str] = {}  # pool or lane id -> function id
        self.role_of_key: dict[tuple[str, str], str] = {}  # (function id, lane id) -> role id
        self.explicit_chain: set[str] = set()  # functions whose chain the file states
        self.owners: dict[str, str] = {}  # pool or lane id -> owner placeholder
        self.customer_name = ""
        self.customer_element = None
        self.inferred: list[dict[str, str]] = []
        self.role_names: dict[str, str] = {}  # "function.role" -> the lane's name
        self._lanes_by_id = {lane.id: lane for lane in records.all_lanes()}
        self._declared_ids = (
            {f.id for f in declared.org.organisation.functions} if declared is not None else set()
        )
        if declared is not None:
            for key, owner in declared.owners.items():
                self.owners[key] = owner if owner == CUSTOMER else "=" + owner

    # -- what an organisation file states (--org) ----------------------------------------------
    def _covered(self, key: str) -> bool:
        return self.declared is not None and self.declared.covers(key)

    def _open(self, lanes: list[Lane]) -> list[Lane]:
        """The lanes an organisation file leaves to be read from the model (a lane stays when
        a lane nested in it does)."""
        if self.declared is None:
            return lanes
        return [lane for lane in lanes if any(not self._covered(inner.id) for inner in walk(lane))]

    def declared_owner(self, key: str) -> str | None:
        """The owner an organisation file gives the lane or pool ``key``, if it does."""
        if self.declared is None or not self.declared.covers(key):
            return None
        return self.declared.owners[key]

    # -- who is the customer -------------------------------------------------------------------
    def pool_is_customer(self, pool: Pool) -> bool:
        if self.declared is not None and self.declared.covers(pool.id):
            return self.declared.is_customer(pool.id)
        if pool.org:
            return pool.org == "customer"
        return _customer_word(pool.name) is not None

    def lane_is_customer(self, lane: Lane) -> bool:
        if self.declared is not None and self.declared.covers(lane.id):
            return self.declared.is_customer(lane.id)
        if lane.org:
            return lane.org == "customer"
        return _customer_word(lane.name) is not None or bool(
            lane.parent and self.lane_is_customer(lane.parent)
        )

    def note_customer(self, name: str, element, what: str = "pool") -> None:
        if not self.customer_name and name:
            self.customer_name = name
            self.customer_element = element
            found = _customer_word(name)
            stated = self.declared is not None and self.declared.is_customer(element.get("id", ""))
            if found is not None and not element.get(FM + "org") and not stated:
                self.infer(
                    CUSTOMER, "customer", name, found.reason(f"{what} '{name}' is the customer")
                )

    def infer(self, element: str, field: str, value: object, reason: str) -> None:
        self.inferred.append(
            {"element": element, "field": field, "value": str(value), "reason": reason}
        )

    # -- functions and roles -------------------------------------------------------------------
    def read(self) -> None:
        """Functions and roles from pools and lanes; fills ``owners`` per lane id and pool id."""
        r = self.r
        owners = self.owners
        content = [
            p
            for p in r.pools
            if not self.pool_is_customer(p)
            and p.process is not None
            and (p.lanes or any(n.pool is p for n in r.nodes.values()))
        ]
        for pool in r.pools:
            if self.pool_is_customer(pool):
                self.note_customer(pool.name, pool.element, "pool")
                owners[pool.id] = CUSTOMER
                for top in pool.lanes:
                    for lane in walk(top):
                        owners[lane.id] = CUSTOMER
                continue
            if pool.process is None or self._covered(pool.id):
                continue  # a black box gets a function only when a message flow reaches it
            company = pool.org == "company" or (
                pool.org != "function" and (len(content) == 1 or _departments_nested(pool))
            )
            if company and pool.lanes and self._lanes_are_roles(pool):
                company = False
            tops = self._open(pool.lanes)
            while (
                company
                and len(tops) == 1
                and tops[0].children
                and not tops[0].org
                and not self.lane_is_customer(tops[0])
            ):
                tops = tops[0].children  # one lane around everything: the company itself
            if company and tops:
                self._company_lanes(pool, tops)
            elif pool.lanes and not tops:
                continue  # the organisation file covers every lane of the pool
            else:
                fid = self.function(
                    pool.id, pool.name, pool.element, [lane for top in tops for lane in walk(top)]
                )
                owners[pool.id] = f"{fid}.{STAFF}"  # resolved on demand
                for top in tops:
                    for lane in walk(top):
                        if self.lane_is_customer(lane):
                            self.note_customer(lane.name, lane.element, "lane")
                            owners[lane.id] = CUSTOMER
                        else:
                            owners[lane.id] = f"{fid}.@{lane.id}"
        if self.declared is not None:  # what the organisation file states wins
            for key, owner in self.declared.owners.items():
                owners[key] = owner if owner == CUSTOMER else "=" + owner

    def _company_lanes(self, pool: Pool, tops: list[Lane]) -> None:
        """Top-level lanes of the company pool: each a function, the customer, or (leaf lanes of
        one department) one function together; in the order drawn."""
        r, owners = self.r, self.owners
        fallback = pool.name if len(tops) == 1 else ""
        leaves = [
            top
            for top in tops
            if not (top.children or top.org or r.exported or self.lane_is_customer(top))
        ]
        group_of: dict[str, Group] = {}
        if len(leaves) > 1:
            for group in group_lanes(leaves, pool.name):
                for lane in group.lanes:
                    group_of[lane.id] = group
        done: set[int] = set()
        for top in tops:
            if top.element.get(FM + "synthetic") == "true" and r.exported:
                for lane in walk(top):
                    owners[lane.id] = ""  # flowmap's lane for steps without an owner
                continue
            if self.lane_is_customer(top):
                self.note_customer(top.name, top.element, "lane")
                for lane in walk(top):
                    owners[lane.id] = CUSTOMER
                continue
            drawn = group_of.get(top.id)
            if drawn is None or len(drawn.lanes) == 1:
                self._lane_function(top, fallback)
            elif id(drawn) not in done:
                done.add(id(drawn))
                self._group_function(drawn, pool)

    def _lane_function(self, top: Lane, fallback_name: str) -> None:
        """One top-level lane drawn as one function; its nested lanes are its roles."""
        fid = self.function(top.id, top.name or fallback_name, top.element)
        for lane in walk(top):
            self.owners[lane.id] = f"{fid}.{STAFF}" if lane is top else f"{fid}.@{lane.id}"

    def _group_function(self, group: Group, pool: Pool) -> None:
        """Sibling lanes of one department as one function whose roles are the lanes."""
        anchor = group.anchor
        key, element = (
            (pool.id, pool.element)
            if group.by_pool
            else (
                (anchor.id, anchor.element)
                if anchor is not None
                else (group.lanes[0].id, group.lanes[0].element)
            )
        )
        fid = self.function(key, group.name, element, [], explicit_id=not group.by_pool)
        for lane in group.lanes:
            self.role(fid, lane.id, lane.name, lane.element, level_name=role_name(lane, group))
            self.owners[lane.id] = f"{fid}.@{lane.id}"
        roles = ", ".join(role["id"] for role in self.functions[fid]["roles"])
        self.infer(fid, "roles", roles, group.reason)

    def _lanes_are_roles(self, pool: Pool) -> bool:
        """One pool whose lanes are plainly roles ('Clerk', 'Manager'): the pool is a function."""
        tops = [lane for lane in self._open(pool.lanes) if not self.lane_is_customer(lane)]
        if not tops or any(lane.children for lane in tops):
            return False
        if any(lane.org == "function" for lane in tops):
            return False
        if not self.r.exported and any(
            len(group.lanes) > 1 and not group.by_pool for group in group_lanes(tops, pool.name)
        ):
            return False  # 'Sales assistant' + 'Sales manager' + 'Production manager'
        kinds = {
            found.value
            for found in (inference.kind(stem(lane.name)) for lane in tops)
            if found is not None
        }
        if len(kinds) > 1:
            return False  # 'Accounts payable clerk' + 'Billing clerk': two departments' roles
        return all(
            lane.org == "role"
            or lane.element.get(FM + "level") is not None
            or inference.person(lane.name) is not None
            for lane in tops
        )

    def _unique_function_id(self, wanted: str) -> str:
        base = wanted or "function"
        if base == CUSTOMER:
            base = "customer-function"
        candidate, n = base, 1
        while candidate in self.functions or candidate in self._declared_ids:
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    def function(
        self,
        key: str,
        name: str,
        element,
        lanes: list[Lane] | None = None,
        explicit_id: bool = True,
    ) -> str:
        """A function drawn by a pool or lane; ``lanes`` are the lanes inside it (its roles)."""
        r = self.r
        explicit = self.own_id(element, "function", name or key) if explicit_id else None
        fid = self._unique_function_id(explicit or slug(name) or sanitise_id(key))
        kind = element.get(FM + "function-kind")
        if kind is not None and kind not in FunctionKind.__members__:
            r.error(
                element,
                f"flowmap:function-kind {kind!r} is not a function kind",
                f"write one of: {', '.join(FunctionKind.__members__)}",
                "invalid-value",
            )
            kind = None
        if kind is None:
            found = inference.kind(name)
            if found is not None and not r.exported:
                kind = cast(FunctionKind, found.value).value
                self.infer(fid, "kind", kind, found.reason(f"kind of function '{name}'"))
        data: dict[str, Any] = {"id": fid, "name": name, "kind": kind or "other", "roles": []}
        stage = element.get(FM + "stage")
        if stage is not None:
            if stage not in ("front", "back"):
                r.error(
                    element, f"flowmap:stage {stage!r}: write front or back", "", "invalid-value"
                )
            else:
                data["stage"] = stage
        notes = documentation(element, r.exported)
        if notes:
            data["notes"] = notes
        self.functions[fid] = data
        self.elements[fid] = element
        self.function_of_key[key] = fid
        r.locations.defer(f"function:{fid}", element)
        # every leaf lane is a role, in the order drawn, even when no step is in it
        for lane in self._lanes_inside(element) if lanes is None else lanes:
            if not lane.children and not self.lane_is_customer(lane) and not self._covered(lane.id):
                self.role(fid, lane.id, lane.name, lane.element)
        return fid

    def own_id(self, element, what: str, name: str) -> str | None:
        """The ``flowmap:id`` on a pool or lane when it is a valid id; an error naming the
        element when it is not (a function or role id holds no '.': ``function.role`` is how an
        owner is written)."""
        wanted = element.get(FM + "id")
        if wanted is None or ID_RE.match(wanted):
            return wanted
        self.r.error(
            element,
            f"flowmap:id {wanted!r} of {what} {name!r} is not a valid {what} id",
            "ids start with a letter and use letters, digits, '-' and '_' (no '.' or space)",
            "invalid-id",
        )
        return None

    def _lanes_inside(self, element) -> list[Lane]:
        for lane in self.r.all_lanes():
            if lane.element is element:
                return [inner for inner in walk(lane) if inner is not lane]
        return []

    def role(
        self,
        fid: str,
        key: str,
        name: str,
        element,
        level_hint: str = "",
        level_name: str | None = None,
    ) -> str:
        """The role of function ``fid`` drawn by lane (or pool) ``element``; its level is read
        from ``level_name`` (default: the lane's name, else ``level_hint``)."""
        if (fid, key) in self.role_of_key:
            return self.role_of_key[(fid, key)]
        r = self.r
        function = self.functions[fid]
        taken = {role["id"] for role in function["roles"]}
        wanted = STAFF if key == STAFF else self.own_id(element, "role", name or key)
        base = wanted or slug(name) or STAFF
        rid, n = base, 1
        while rid in taken:
            n += 1
            rid = f"{base}-{n}"
        role: dict[str, Any] = {"id": rid}
        if name:
            role["name"] = name
        level_text = element.get(FM + "level")
        level = None
        if level_text is not None:
            if level_text.strip() in ("1", "2", "3", "4", "5"):
                level = int(level_text)
            else:
                r.error(
                    element,
                    f"flowmap:level {level_text!r} on lane {name or key!r}: a level "
                    "is 1 (front line) to 5 (executive)",
                    "",
                    "invalid-value",
                )
        if level is None:
            level = chain.level_from_name(self, f"{fid}.{rid}", name, level_hint, level_name)
        role["level"] = level
        self.role_names[f"{fid}.{rid}"] = name or level_hint or rid
        if key != STAFF and element.get(FM + "reports-to") is not None:
            self.explicit_chain.add(fid)
            role["reports_to"] = element.get(FM + "reports-to")
        function["roles"].append(role)
        self.role_of_key[(fid, key)] = rid
        r.locations.defer(f"role:{fid}.{rid}", element)
        return rid

    def owner(self, placeholder: str) -> str:
        """Turn an owner placeholder (``fid.@lane`` or ``fid.staff``) into a real role."""
        if placeholder in ("", CUSTOMER):
            return placeholder
        if placeholder.startswith("="):  # stated by the organisation file
            return placeholder[1:]
        fid, _, rest = placeholder.partition(".")
        function = self.functions[fid]
        if rest == STAFF:
            rid = self.role(fid, STAFF, "", self.elements[fid], level_hint=function["name"])
            return f"{fid}.{rid}"
        lane = self._lanes_by_id[rest[1:]]
        return f"{fid}.{self.role(fid, lane.id, lane.name, lane.element)}"

    def chain_of_command(self) -> None:
        """Who reports to whom, when the file does not say (:func:`chain.infer_chain`)."""
        chain.infer_chain(self)

    def declared_functions(self) -> list[dict[str, Any]]:
        """The organisation file's functions the model uses (with the chains they reach)."""
        if self.declared is None:
            return []
        if not hasattr(self, "_declared_data"):
            self._declared_data = [
                f.model_dump(mode="json", exclude_none=True) for f in self.declared.functions()
            ]
            org = self.declared.org
            for function in self._declared_data:
                fid = function["id"]
                self.r.locations[f"function:{fid}"] = org.locate(f"function:{fid}")
                for role in function["roles"]:
                    key = f"{fid}.{role['id']}"
                    self.r.locations[f"role:{key}"] = org.locate(f"role:{key}")
        return self._declared_data

    def header(self) -> dict[str, Any]:
        """The ``organisation:`` section of the process."""
        functions = list(self.functions.values())
        if self.declared is not None:  # functions whose every lane the organisation file took
            functions = [*self.declared_functions(), *(f for f in functions if f["roles"])]
        org: dict[str, Any] = {"functions": functions}
        company = next((p for p in self.r.pools if p.org == "company"), None)
        if company is not None:
            element = company.element
            if element.get(FM + "id"):  # free text: no id pattern for the organisation
                org["id"] = element.get(FM + "id")
            if company.name:
                org["name"] = company.name
            if element.get(FM + "description"):
                org["description"] = element.get(FM + "description")
        return org


def _customer_word(name: str):
    """The word that makes a pool or lane the customer, or None. A role that serves customers
    ('Private Customer Account Manager') is not the customer."""
    found = inference.customer(name)
    if found is None or inference.person(name) is not None:
        return None
    return found


def _departments_nested(pool: Pool) -> bool:
    """Named top-level lanes, one of them a department split into named role lanes ("Department
    A" > "Analyst", "Manager"): the pool is the company, not one department."""
    named = [lane for lane in pool.lanes if lane.name]
    return len(named) > 1 and any(
        lane.children and all(c.name for c in lane.children) for lane in named
    )

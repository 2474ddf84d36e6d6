"""Stage 4 of the BPMN loader: pools and lanes become the organisation.

* The pool or lane whose name says *customer* (``flowmap:org="customer"`` says it outright) is the
  customer; its nodes are the customer's steps.
* One company pool (the only pool with content, or ``flowmap:org="company"``) whose top-level
  lanes are functions (nested lanes: roles); or one pool per department whose lanes are roles.
  A pool whose lanes all name jobs ('Clerk', 'Manager') is one function split into roles.
* A role's level comes from ``flowmap:level`` or its name; within a function each role reports to
  the nearest level above it, and the top of each function to the executive function when there
  is exactly one (unless ``flowmap:reports-to`` states the chain).

Roles are created when a node first needs them (every leaf lane of a function is a role, even
without steps). Owners are first written as placeholders: ``fid.@lane`` (the role of a lane) or
``fid.staff`` (the function's one role), turned into ``function.role`` by :meth:`OrgDraft.owner`.
"""

from __future__ import annotations

from typing import Any

from flowmap.loaders import bpmn_names as names
from flowmap.loaders.bpmn.records import Lane, Pool, Records, walk
from flowmap.loaders.bpmn.xml import FM, documentation
from flowmap.model import CUSTOMER, FunctionKind

STAFF = "staff"  # the role of a lane or pool that is not split into roles


class OrgDraft:
    """The organisation being built: functions as plain data, owners per pool and lane."""

    def __init__(self, records: Records):
        self.r = records
        self.functions: dict[str, dict[str, Any]] = {}  # function id -> function data
        self.elements: dict[str, object] = {}  # function id -> the pool or lane drawing it
        self.function_of_key: dict[str, str] = {}  # pool or lane id -> function id
        self.role_of_key: dict[tuple[str, str], str] = {}  # (function id, lane id) -> role id
        self.explicit_chain: set[str] = set()  # functions whose chain the file states
        self.owners: dict[str, str] = {}  # pool or lane id -> owner placeholder
        self.customer_name = ""
        self.customer_element = None
        self._lanes_by_id = {lane.id: lane for lane in records.all_lanes()}

    # -- who is the customer -------------------------------------------------------------------
    def pool_is_customer(self, pool: Pool) -> bool:
        if pool.org:
            return pool.org == "customer"
        return names.is_customer(pool.name)

    def lane_is_customer(self, lane: Lane) -> bool:
        if lane.org:
            return lane.org == "customer"
        return names.is_customer(lane.name) or bool(lane.parent and
                                                    self.lane_is_customer(lane.parent))

    def note_customer(self, name: str, element) -> None:
        if not self.customer_name and name:
            self.customer_name = name
            self.customer_element = element

    # -- functions and roles -------------------------------------------------------------------
    def read(self) -> None:
        """Functions and roles from pools and lanes; fills ``owners`` per lane id and pool id."""
        r = self.r
        owners = self.owners
        content = [p for p in r.pools if not self.pool_is_customer(p) and p.process is not None
                   and (p.lanes or any(n.pool is p for n in r.nodes.values()))]
        for pool in r.pools:
            if self.pool_is_customer(pool):
                self.note_customer(pool.name, pool.element)
                owners[pool.id] = CUSTOMER
                for top in pool.lanes:
                    for lane in walk(top):
                        owners[lane.id] = CUSTOMER
                continue
            if pool.process is None:
                continue  # a black box gets a function only when a message flow reaches it
            company = pool.org == "company" or (pool.org != "function" and len(content) == 1)
            if company and pool.lanes and self._lanes_are_roles(pool):
                company = False
            tops = pool.lanes
            while company and len(tops) == 1 and tops[0].children and not tops[0].org \
                    and not self.lane_is_customer(tops[0]):
                tops = tops[0].children  # one lane around everything: the company itself
            if company and tops:
                for top in tops:
                    if top.element.get(FM + "synthetic") == "true" and r.exported:
                        for lane in walk(top):
                            owners[lane.id] = ""  # flowmap's lane for steps without an owner
                        continue
                    if self.lane_is_customer(top):
                        self.note_customer(top.name, top.element)
                        for lane in walk(top):
                            owners[lane.id] = CUSTOMER
                        continue
                    fid = self.function(top.id, top.name or (pool.name if len(tops) == 1
                                                             else ""), top.element)
                    for lane in walk(top):
                        owners[lane.id] = f"{fid}.{STAFF}" if lane is top else f"{fid}.@{lane.id}"
            else:
                fid = self.function(pool.id, pool.name, pool.element,
                                    [lane for top in pool.lanes for lane in walk(top)])
                owners[pool.id] = f"{fid}.{STAFF}"  # resolved on demand
                for top in pool.lanes:
                    for lane in walk(top):
                        if self.lane_is_customer(lane):
                            self.note_customer(lane.name, lane.element)
                            owners[lane.id] = CUSTOMER
                        else:
                            owners[lane.id] = f"{fid}.@{lane.id}"

    def _lanes_are_roles(self, pool: Pool) -> bool:
        """One pool whose lanes are plainly roles ('Clerk', 'Manager'): the pool is a function."""
        tops = [lane for lane in pool.lanes if not self.lane_is_customer(lane)]
        if not tops or any(lane.children for lane in tops):
            return False
        if any(lane.org == "function" for lane in tops):
            return False
        return all(lane.org == "role" or names.names_person(lane.name) for lane in tops)

    def _unique_function_id(self, wanted: str) -> str:
        base = wanted or "function"
        if base == CUSTOMER:
            base = "customer-function"
        candidate, n = base, 1
        while candidate in self.functions:
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    def function(self, key: str, name: str, element, lanes: list[Lane] | None = None) -> str:
        """A function drawn by a pool or lane; ``lanes`` are the lanes inside it (its roles)."""
        r = self.r
        explicit = element.get(FM + "id")
        fid = self._unique_function_id(explicit or names.slug(name) or names.sanitise_id(key))
        kind = element.get(FM + "function-kind")
        if kind is not None and kind not in FunctionKind.__members__:
            r.error(element, f"flowmap:function-kind {kind!r} is not a function kind",
                    f"write one of: {', '.join(FunctionKind.__members__)}", "invalid-value")
            kind = None
        data: dict[str, Any] = {"id": fid, "name": name,
                                "kind": kind or names.function_kind(name).value, "roles": []}
        stage = element.get(FM + "stage")
        if stage is not None:
            if stage not in ("front", "back"):
                r.error(element, f"flowmap:stage {stage!r}: write front or back", "",
                        "invalid-value")
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
            if not lane.children and not self.lane_is_customer(lane):
                self.role(fid, lane.id, lane.name, lane.element)
        return fid

    def _lanes_inside(self, element) -> list[Lane]:
        for lane in self.r.all_lanes():
            if lane.element is element:
                return [inner for inner in walk(lane) if inner is not lane]
        return []

    def role(self, fid: str, key: str, name: str, element, level_hint: str = "") -> str:
        """The role of function ``fid`` drawn by lane (or pool) ``element``."""
        if (fid, key) in self.role_of_key:
            return self.role_of_key[(fid, key)]
        r = self.r
        function = self.functions[fid]
        taken = {role["id"] for role in function["roles"]}
        wanted = STAFF if key == STAFF else element.get(FM + "id")
        base = wanted or names.slug(name) or STAFF
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
                r.error(element, f"flowmap:level {level_text!r} on lane {name or key!r}: a level "
                                 "is 1 (front line) to 5 (executive)", "", "invalid-value")
        role["level"] = level or names.role_level(name or level_hint) or 1
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
        fid, _, rest = placeholder.partition(".")
        function = self.functions[fid]
        if rest == STAFF:
            rid = self.role(fid, STAFF, "", self.elements[fid], level_hint=function["name"])
            return f"{fid}.{rid}"
        lane = self._lanes_by_id[rest[1:]]
        return f"{fid}.{self.role(fid, lane.id, lane.name, lane.element)}"

    def chain_of_command(self) -> None:
        """Who reports to whom, when the file does not say: by level inside each function, and
        the top of each function to the executive function when there is exactly one."""
        if self.r.exported:
            return
        for fid, function in self.functions.items():
            if fid in self.explicit_chain:
                continue
            roles = function["roles"]
            for role in roles:
                above = [o for o in roles if o["level"] > role["level"]]
                if above:
                    lowest = min(o["level"] for o in above)
                    role["reports_to"] = next(o["id"] for o in above if o["level"] == lowest)
        executive = [f for f in self.functions.values()
                     if f["kind"] == FunctionKind.management.value and f["roles"]]
        if len(executive) != 1:
            return
        top_exec = max(executive[0]["roles"], key=lambda role: role["level"])
        for fid, function in self.functions.items():
            if function is executive[0] or fid in self.explicit_chain:
                continue
            for role in function["roles"]:
                if "reports_to" not in role and role["level"] < top_exec["level"]:
                    role["reports_to"] = f"{executive[0]['id']}.{top_exec['id']}"

    def header(self) -> dict[str, Any]:
        """The ``organisation:`` section of the process."""
        org: dict[str, Any] = {"functions": list(self.functions.values())}
        company = next((p for p in self.r.pools if p.org == "company"), None)
        if company is not None:
            element = company.element
            if element.get(FM + "id"):
                org["id"] = element.get(FM + "id")
            if company.name:
                org["name"] = company.name
            if element.get(FM + "description"):
                org["description"] = element.get(FM + "description")
        return org

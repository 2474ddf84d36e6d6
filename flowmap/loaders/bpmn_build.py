"""Second half of the BPMN loader: pools, lanes and flow nodes become a flowmap process.

:mod:`flowmap.loaders.bpmn` has read the XML into pools, lanes, nodes and edges; here they become
the organisation (functions and roles), steps and flows. Every guess made from a name can be
overridden by a ``flowmap:`` attribute (``docs/bpmn.md``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from flowmap.errors import Location
from flowmap.loaders import bpmn_names as names
from flowmap.loaders.bpmn import FM, GATEWAYS, SUBPROCESSES, TASKS, _clean, _Lane, _local, _Pool
from flowmap.model import CUSTOMER, FunctionKind, Purpose, StepKind, Value

if TYPE_CHECKING:
    from flowmap.loaders.bpmn import _Node, _Reader

_PURPOSES = frozenset(p.value for p in Purpose)
_VALUES = frozenset(Value.__members__)
STAFF = "staff"  # the role of a lane or pool that is not split into roles


def build(reader: _Reader):
    from pydantic import ValidationError

    from flowmap.model import Process

    builder = _Builder(reader)
    data = builder.process_data()
    if reader.errors:
        return None
    try:
        process = Process.model_validate(data)
    except ValidationError as exc:  # a flowmap: attribute the checks above let through
        for error in exc.errors(include_url=False):
            loc = ".".join(str(p) for p in error["loc"])
            reader.errors.append(_problem(reader, f"{loc}: {error['msg']}"))
        return None
    return process.with_source(reader.path, reader.locations)


def _problem(reader: _Reader, message: str):
    from flowmap.errors import Problem

    return Problem(Location(reader.path), message, "", "invalid")


def _attr_list(value: str | None) -> list[str]:
    return [part for part in (value or "").split() if part]


class _Builder:
    def __init__(self, reader: _Reader):
        self.r = reader
        self.functions: dict[str, dict[str, Any]] = {}  # function id -> function data
        self.function_of_key: dict[str, str] = {}  # pool or lane id -> function id
        self.role_of_key: dict[tuple[str, str], str] = {}  # (function id, lane id) -> role id
        self.explicit_chain: set[str] = set()  # functions whose chain the file states
        self.step_ids: dict[str, str] = {}  # BPMN id -> step id
        self._taken: set[str] = set()
        self.renamed: list[tuple[str, str]] = []
        self.customer_name = ""

    # -- the whole process ---------------------------------------------------------------------
    def process_data(self) -> dict[str, Any]:
        r = self.r
        root = r.doc.root
        owners = self._organisation()
        steps = self._steps(owners)
        flows = self._flows()
        self._chain_of_command()
        if self.renamed:
            old, new = self.renamed[0]
            r.warn(None, f"{len(self.renamed)} element id(s) do not fit flowmap's id pattern and "
                         f"were changed, e.g. {old!r} -> {new!r}",
                   "flowmap ids use letters, digits, '-' and '_' and start with a letter",
                   "id-changed", old)
        if r._geometry_used:
            r.warn(None, "some lanes do not list their flow nodes (flowNodeRef); flowmap placed "
                         "those nodes by where the diagram draws them",
                   "list each node in its lane to make membership explicit", "lane-by-diagram")
        if not self.customer_name and not any(s["owner"] == CUSTOMER for s in steps):
            r.warn(None, "no pool or lane names the customer, so no step is the customer's",
                   "name the customer's pool or lane (e.g. 'Customer'), or set "
                   "flowmap:org=\"customer\" on it", "no-customer")
        if r.exported:  # files flowmap wrote keep the order of the flowmap file
            steps.sort(key=lambda s: int(s.pop("_order", 0)))
            flows.sort(key=lambda f: int(f.pop("_order", 0)))
        info = self._info(root)
        r.locations.defer("process", root)
        data: dict[str, Any] = {
            "process": info,
            "customer": self._customer(root),
            "organisation": self._org_header(root),
            "steps": steps,
            "flows": flows,
            "measures": self._measures(root),
        }
        return data

    def _info(self, root) -> dict[str, Any]:
        r = self.r
        info: dict[str, Any] = {}
        stem = Path(r.path).name
        for suffix in (".bpmn20.xml", ".bpmn2", ".bpmn", ".xml"):
            if stem.lower().endswith(suffix):
                stem = stem[: -len(suffix)]
                break
        info["id"] = root.get(FM + "id") or names.slug(stem) or "process"
        collaboration = next((c for c in root if _local(c.tag) == "collaboration"), None)
        processes = [p.process for p in r.pools if p.process is not None]
        name = root.get("name") or (collaboration.get("name") if collaboration is not None
                                    else None)
        if not name and len(processes) == 1:
            name = processes[0].get("name")
        info["name"] = (name if r.exported else _clean(name)) or ""
        holder = collaboration if collaboration is not None else (
            processes[0] if len(processes) == 1 else None)
        if holder is not None:
            info["description"] = self._documentation(holder)
        for key in ("status", "version", "industry"):
            if root.get(FM + key) is not None:
                info[key] = root.get(FM + key)
        if root.get(FM + "redesign-of") is not None:
            info["redesign_of"] = root.get(FM + "redesign-of")
        extensions = self._extensions(root) + (
            self._extensions(collaboration) if collaboration is not None else [])
        sources = [(e.text or "") for e in extensions if _local(e.tag) == "source"]
        if sources:
            info["sources"] = sources
        ignore = self._ignore(extensions)
        if ignore:
            info["ignore"] = ignore
        if info.get("status") not in (None, "as-is", "to-be", "draft"):
            r.error(root, f"flowmap:status {info['status']!r} is not a status",
                    "write as-is, to-be or draft", "invalid-value")
        return info

    def _customer(self, root) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.customer_name:
            out["name"] = self.customer_name
        for key in ("segment", "description"):
            element = self._customer_element
            if element is not None and element.get(FM + key) is not None:
                out[key] = element.get(FM + key)
        return out

    _customer_element = None

    def _org_header(self, root) -> dict[str, Any]:
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
        for function in org["functions"]:
            function.pop("_element", None)
        return org

    # -- organisation --------------------------------------------------------------------------
    def _organisation(self) -> dict[str, str]:
        """Functions and roles from pools and lanes; returns owner per lane id and pool id."""
        r = self.r
        owners: dict[str, str] = {}
        content = [p for p in r.pools if not p.is_customer and p.process is not None
                   and (p.lanes or any(n.pool is p for n in r.nodes.values()))]
        for pool in r.pools:
            if pool.is_customer:
                self._note_customer(pool.name, pool.element)
                owners[pool.id] = CUSTOMER
                for top in pool.lanes:
                    for lane in _walk(top):
                        owners[lane.id] = CUSTOMER
                continue
            if pool.process is None:
                continue  # a black box gets a function only when a message flow reaches it
            company = pool.org == "company" or (pool.org != "function" and len(content) == 1)
            if company and pool.lanes and self._lanes_are_roles(pool):
                company = False
            tops = pool.lanes
            while company and len(tops) == 1 and tops[0].children and not tops[0].org \
                    and not tops[0].is_customer:
                tops = tops[0].children  # one lane around everything: the company itself
            if company and tops:
                for top in tops:
                    if top.element.get(FM + "synthetic") == "true" and self.r.exported:
                        for lane in _walk(top):
                            owners[lane.id] = ""  # flowmap's lane for steps without an owner
                        continue
                    if top.is_customer:
                        self._note_customer(top.name, top.element)
                        for lane in _walk(top):
                            owners[lane.id] = CUSTOMER
                        continue
                    fid = self._function(top.id, top.name or (pool.name if len(tops) == 1
                                                              else ""), top.element)
                    for lane in _walk(top):
                        owners[lane.id] = self._lane_owner(fid, lane, top)
            else:
                fid = self._function(pool.id, pool.name, pool.element,
                                     [lane for top in pool.lanes for lane in _walk(top)])
                owners[pool.id] = f"{fid}.{STAFF}"  # resolved on demand
                for top in pool.lanes:
                    for lane in _walk(top):
                        if lane.is_customer:
                            self._note_customer(lane.name, lane.element)
                            owners[lane.id] = CUSTOMER
                        else:
                            owners[lane.id] = self._lane_owner(fid, lane, None)
        return owners

    def _note_customer(self, name: str, element) -> None:
        if not self.customer_name and name:
            self.customer_name = name
            self._customer_element = element

    @staticmethod
    def _lanes_are_roles(pool: _Pool) -> bool:
        """One pool whose lanes are plainly roles ('Clerk', 'Manager'): the pool is a function."""
        tops = [lane for lane in pool.lanes if not lane.is_customer]
        if not tops or any(lane.children for lane in tops):
            return False
        if any(lane.org == "function" for lane in tops):
            return False
        return all(lane.org == "role" or names.names_person(lane.name) for lane in tops)

    def _lane_owner(self, fid: str, lane: _Lane, function_lane: _Lane | None) -> str:
        """The owner of nodes in ``lane``; a role is created when a node first needs it."""
        if lane is function_lane:
            return f"{fid}.{STAFF}"
        return f"{fid}.@{lane.id}"

    def _unique_function_id(self, wanted: str) -> str:
        base = wanted or "function"
        if base == CUSTOMER:
            base = "customer-function"
        candidate, n = base, 1
        while candidate in self.functions:
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    def _function(self, key: str, name: str, element, lanes: list[_Lane] | None = None) -> str:
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
        notes = self._documentation(element)
        if notes:
            data["notes"] = notes
        data["_element"] = element
        self.functions[fid] = data
        self.function_of_key[key] = fid
        r.locations.defer(f"function:{fid}", element)
        # every leaf lane is a role, in the order drawn, even when no step is in it
        for lane in self._lanes_of(element) if lanes is None else lanes:
            if not lane.children and not lane.is_customer:
                self._role(fid, lane.id, lane.name, lane.element)
        return fid

    def _lanes_of(self, element) -> list[_Lane]:
        for pool in self.r.pools:
            for top in pool.lanes:
                for lane in _walk(top):
                    if lane.element is element:
                        return [inner for inner in _walk(lane) if inner is not lane]
        return []

    def _role(self, fid: str, key: str, name: str, element, level_hint: str = "") -> str:
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

    def _owner(self, owner: str) -> str:
        """Turn an owner placeholder (``fid.@lane`` or ``fid.staff``) into a real role."""
        if owner in ("", CUSTOMER):
            return owner
        fid, _, rest = owner.partition(".")
        function = self.functions[fid]
        if rest == STAFF:
            element = function["_element"]
            rid = self._role(fid, STAFF, "", element, level_hint=function["name"])
            return f"{fid}.{rid}"
        lane_id = rest[1:]
        lane = self._lane(lane_id)
        return f"{fid}.{self._role(fid, lane_id, lane.name, lane.element)}"

    def _lane(self, lane_id: str) -> _Lane:
        if self._lanes_by_id is None:
            self._lanes_by_id = {lane.id: lane for pool in self.r.pools for top in pool.lanes
                                 for lane in _walk(top)}
        return self._lanes_by_id[lane_id]

    _lanes_by_id: dict[str, _Lane] | None = None

    def _chain_of_command(self) -> None:
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

    # -- steps ---------------------------------------------------------------------------------
    def _step_id(self, raw: str) -> str:
        if raw in self.step_ids:
            return self.step_ids[raw]
        from flowmap.loaders.bpmn import _ID

        new = raw if _ID.match(raw) and len(raw) <= 200 else names.sanitise_id(raw)
        taken = self._taken
        if new in taken:
            base, n = new, 1
            while new in taken:
                n += 1
                new = f"{base}_{n}"
        if new != raw:
            self.renamed.append((raw, new))
        self.step_ids[raw] = new
        taken.add(new)
        return new

    def _steps(self, owners: dict[str, str]) -> list[dict[str, Any]]:
        r = self.r
        notes_for: dict[str, list[str]] = {}
        for source, target in r.associations:
            for node_id, note_id in ((source, target), (target, source)):
                if note_id in r.annotations and node_id in r.nodes and r.annotations[note_id]:
                    notes_for.setdefault(node_id, []).append(r.annotations[note_id])
        steps = []
        # ids first, so that renamed ids never collide with ids that come later in the file
        for node in r.nodes.values():
            if not self._synthetic(node.element):
                self._step_id(node.id)
        for node in r.nodes.values():
            if self._synthetic(node.element):
                continue
            lane_owner = owners.get(node.lane.id) if node.lane is not None else None
            if lane_owner is None and (node.lane is None and not node.pool.lanes):
                lane_owner = owners.get(node.pool.id, "")
            if node.lane is None and node.pool.lanes and node.local == "boundaryEvent":
                lane_owner = None  # it takes the owner of the activity it is attached to
            step = self._step(node, self._owner(lane_owner or ""), notes_for.get(node.id, []))
            steps.append(step)
        by_id = {s["id"]: s for s in steps}
        for node in r.nodes.values():
            if node.local == "boundaryEvent" and not by_id.get(self.step_ids.get(node.id),
                                                               {}).get("owner"):
                host = r.resolve(node.element.get("attachedToRef"))
                if host in self.step_ids and self.step_ids[host] in by_id:
                    by_id[self.step_ids[node.id]]["owner"] = by_id[self.step_ids[host]]["owner"]
        self.steps = steps
        return steps

    def _synthetic(self, element) -> bool:
        return self.r.exported and element.get(FM + "synthetic") == "true"

    def _step(self, node: _Node, owner: str, annotations: list[str]) -> dict[str, Any]:
        r = self.r
        element = node.element
        sid = self.step_ids[node.id]
        raw_name = element.get("name") or ""
        name = raw_name.strip() if r.exported else _clean(raw_name)
        if element.get(FM + "unnamed") == "true":
            name = ""
        step: dict[str, Any] = {"id": sid, "name": name, "owner": owner,
                                "kind": self._kind(node).value}
        if any(key.startswith(FM) for key in element.attrib):  # most modelers write none
            self._attributes(element, sid, step)
        extensions, has_data, has_docs = [], False, False
        for child in element:  # one look at the children: most have only incoming/outgoing
            local = _local(child.tag)
            if local == "extensionElements":
                extensions = self._extensions(element)
            elif local in ("dataInputAssociation", "dataOutputAssociation"):
                has_data = True
            elif local == "documentation":
                has_docs = True
        systems = [(e.text or "").strip() for e in extensions if _local(e.tag) == "system"]
        data = [(e.text or "").strip() for e in extensions if _local(e.tag) == "data"]
        if has_data:
            for kind, label in self._data_of(element):
                (systems if kind == "systems" else data).append(label)
        if systems:
            step["systems"] = list(dict.fromkeys(s for s in systems if s))
        if data:
            step["data"] = list(dict.fromkeys(d for d in data if d))
        notes = ([self._documentation(element)] if has_docs else []) + annotations
        text = "\n".join(n for n in notes if n)
        if text:
            step["notes"] = text
        ignore = self._ignore(extensions) if extensions else {}
        if ignore:
            step["ignore"] = ignore
        r.locations.defer(f"step:{sid}", element)
        if r.exported:
            step["_order"] = element.get(FM + "order", "0")
        return step

    def _attributes(self, element, sid: str, step: dict[str, Any]) -> None:
        """The ``flowmap:`` attributes of a flow node, checked, into ``step``."""
        r = self.r
        value = element.get(FM + "value")
        if value is not None:
            if value in _VALUES:
                step["value"] = value
            else:
                r.error(element, f"flowmap:value {value!r} on {sid!r} is not a value",
                        "write customer, business or none", "invalid-value", sid)
        purposes = _attr_list(element.get(FM + "purpose"))
        known = _PURPOSES
        for purpose in purposes:
            if purpose not in known:
                r.error(element, f"flowmap:purpose {purpose!r} on {sid!r} is not a purpose",
                        f"write some of: {', '.join(sorted(known))}", "invalid-value", sid)
        if purposes:
            step["purpose"] = purposes
        for key in ("channel",):
            if element.get(FM + key) is not None:
                step[key] = element.get(FM + key)
        touchpoint = element.get(FM + "touchpoint")
        if touchpoint is not None:
            if touchpoint not in ("true", "false"):
                r.error(element, f"flowmap:touchpoint {touchpoint!r}: write true or false", "",
                        "invalid-value", sid)
            else:
                step["touchpoint"] = touchpoint == "true"
        for key in ("work", "wait", "cost"):
            text = element.get(FM + key)
            if text is None:
                continue
            from flowmap.model import parse_duration

            try:
                number = parse_duration(text) if key != "cost" else float(text)
                if number < 0:
                    raise ValueError("negative")
            except ValueError:
                r.error(element, f"flowmap:{key} {text!r} on {sid!r} is not a "
                                 f"{'duration' if key != 'cost' else 'number'}",
                        "write a number of minutes, or 15m, 2h, 3d", "invalid-value", sid)
                continue
            step[key] = number


    def _kind(self, node: _Node) -> StepKind:
        explicit = node.element.get(FM + "kind")
        if explicit is not None:
            if explicit in StepKind.__members__:
                return StepKind(explicit)
            self.r.error(node.element, f"flowmap:kind {explicit!r} on {node.id!r} is not a step "
                                       "kind", f"write one of: {', '.join(StepKind.__members__)}",
                         "invalid-value", node.id)
        local = node.local
        if local == "startEvent":
            return StepKind.start
        if local == "endEvent":
            return StepKind.end
        if local == "intermediateCatchEvent":
            return StepKind.event if "link" in node.events else StepKind.wait
        if local in ("intermediateThrowEvent", "boundaryEvent", "implicitThrowEvent"):
            return StepKind.event
        if local == "parallelGateway":
            return StepKind.event
        if local in GATEWAYS:
            return StepKind.decision
        if local == "receiveTask":
            return StepKind.wait
        if local in TASKS:
            return StepKind.task
        if local == "callActivity" or local in SUBPROCESSES:
            return StepKind.subprocess
        return StepKind.task

    def _data_of(self, element):
        for child in element:
            local = _local(child.tag)
            if local not in ("dataInputAssociation", "dataOutputAssociation"):
                continue
            end = "sourceRef" if local == "dataInputAssociation" else "targetRef"
            for ref in child:
                if _local(ref.tag) == end:
                    found = self.r.data_refs.get((ref.text or "").strip())
                    if found and found[1]:
                        yield found

    def _documentation(self, element) -> str:
        tidy = str.strip if self.r.exported else _clean
        texts = [tidy("".join(child.itertext())) for child in element
                 if _local(child.tag) == "documentation"]
        return "\n".join(t for t in texts if t)

    @staticmethod
    def _extensions(element) -> list:
        out = []
        for child in element:
            if _local(child.tag) == "extensionElements":
                out.extend(c for c in child if isinstance(c.tag, str) and c.tag.startswith(FM))
        return out

    @staticmethod
    def _ignore(extensions) -> dict[str, str]:
        return {e.get("code", ""): e.get("reason", "") for e in extensions
                if _local(e.tag) == "ignore" and e.get("code")}

    def _measures(self, root) -> list[dict[str, Any]]:
        out = []
        for holder in [root, *(c for c in root if _local(c.tag) == "collaboration")]:
            for element in self._extensions(holder):
                if _local(element.tag) != "measure":
                    continue
                measure = {k: element.get(k) for k in ("id", "name", "kind", "owner", "target")
                           if element.get(k) is not None}
                measure["steps"] = _attr_list(element.get("steps"))
                out.append(measure)
                self.r.locations.defer(f"measure:{measure.get('id')}", element)
        return out

    # -- flows ---------------------------------------------------------------------------------
    def _flows(self) -> list[dict[str, Any]]:
        from flowmap.loaders.bpmn_flows import flows

        return flows(self)


def _walk(lane: _Lane):
    yield lane
    for child in lane.children:
        yield from _walk(child)

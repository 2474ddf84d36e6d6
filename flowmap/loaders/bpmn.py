"""Read a BPMN 2.0 file (``.bpmn``, ``.bpmn2``, ``.bpmn20.xml``, ``.xml``) as a flowmap process.

The mapping, in short (``docs/bpmn.md`` has the whole of it, with the ``flowmap:`` attributes a
modeller can add to say things outright):

* every flow node (task, event, gateway, call activity, sub-process) becomes a step whose id is
  the BPMN id; expanded sub-processes are flattened: their content becomes steps too, wired
  between the sub-process step and its successors;
* sequence flows and message flows become flows; an error or escalation boundary event becomes an
  exception or escalation flow from the activity it is attached to; a gateway branch whose label
  names a failure (rejected, missing...) is an exception flow;
* pools and lanes become the organisation: one company pool whose top-level lanes are functions
  (nested lanes: roles), or one pool per department whose lanes are roles; the pool or lane whose
  name says *customer* (client, patient...) is the customer;
* data objects and data stores an activity reads or writes become the step's ``data`` and
  ``systems``; documentation and text annotations become notes.

Files that cannot be read as a process raise :class:`~flowmap.errors.LoadError` naming the element
and what is wrong. Files that can be read but are imperfect (a node in two lanes, a dangling lane
reference...) load, and each imperfection is appended to ``warnings`` as a
:class:`~flowmap.errors.Problem` with severity ``"warning"``. Unreachable steps are kept (the
structure rules report them). Files this module's writer produced (``flowmap.writers.bpmn``) read
back as the process that was written.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from flowmap.errors import LoadError, Location, Problem
from flowmap.loaders import bpmn_names as names
from flowmap.loaders.bpmn_xml import (DC_NS, DEFAULT_MAX_BYTES, DI_NS, FLOWMAP_NS, MODEL_NS,
                                      Document, parse)

FM = "{%s}" % FLOWMAP_NS

TASKS = {"task", "userTask", "manualTask", "serviceTask", "scriptTask", "businessRuleTask",
         "sendTask", "receiveTask"}
SUBPROCESSES = {"subProcess", "transaction", "adHocSubProcess"}
GATEWAYS = {"exclusiveGateway", "inclusiveGateway", "complexGateway", "eventBasedGateway",
            "parallelGateway"}
EVENTS = {"startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent",
          "boundaryEvent", "implicitThrowEvent"}
FLOW_NODES = TASKS | SUBPROCESSES | GATEWAYS | EVENTS | {"callActivity", "choreographyTask",
                                                           "subChoreography",
                                                           "callChoreography"}
_UNIQUE = FLOW_NODES | {"sequenceFlow", "messageFlow"}
_ARTIFACTS = ("textAnnotation", "association", "dataObjectReference", "dataStoreReference",
              "dataObject", "dataStore", "dataInput", "dataOutput")
_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")
_SPACE = re.compile(r"\s+")


def load_bpmn(path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES,
              warnings: list[Problem] | None = None):
    """Read one BPMN 2.0 file as a :class:`~flowmap.model.Process`.

    Raises :class:`~flowmap.errors.LoadError` when the file cannot be used (its problems also
    list the warnings found so far). Warnings about a usable file are appended to ``warnings``
    when a list is given.
    """
    import gc

    path = Path(path)
    doc = parse(path, max_bytes)
    reader = _Reader(doc)
    collecting = gc.isenabled()
    gc.disable()  # building ~10 objects per element: the cycle collector only slows it down
    try:
        process = reader.read()
    finally:
        if collecting:
            gc.enable()
        if warnings is not None:
            warnings.extend(reader.warnings)
    return process


# ---------------------------------------------------------------------------------------------
# What the XML says, before it becomes a process
# ---------------------------------------------------------------------------------------------


@dataclass
class _Pool:
    """A participant, or a process drawn without one."""

    id: str
    name: str
    element: object
    process: object | None  # the <process> element, None for a black box
    org: str = ""  # flowmap:org: customer | company | function
    lanes: list[_Lane] = field(default_factory=list)  # top-level lanes

    @property
    def is_customer(self) -> bool:
        if self.org:
            return self.org == "customer"
        return names.is_customer(self.name)


@dataclass
class _Lane:
    id: str
    name: str
    element: object
    parent: _Lane | None
    children: list[_Lane] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)

    @property
    def org(self) -> str:
        return self.element.get(FM + "org", "")

    @property
    def is_customer(self) -> bool:
        if self.org:
            return self.org == "customer"
        return names.is_customer(self.name) or bool(self.parent and self.parent.is_customer)

    def ancestors(self) -> list[_Lane]:
        out, lane = [], self.parent
        while lane is not None:
            out.append(lane)
            lane = lane.parent
        return out

    def leaves(self) -> list[_Lane]:
        if not self.children:
            return [self]
        return [leaf for child in self.children for leaf in child.leaves()]


@dataclass
class _Node:
    id: str
    local: str
    element: object
    pool: _Pool
    container: str | None  # id of the enclosing sub-process
    events: tuple[str, ...] = ()  # event definition kinds: error, timer, message...
    lane: _Lane | None = None


@dataclass
class _Edge:
    id: str
    source: str
    target: str
    element: object
    message: bool = False


_LOCALS: dict[str, str] = {}


def _local(tag) -> str:
    """The local name of a Clark-notation tag ('{ns}task' -> 'task')."""
    try:
        return _LOCALS[tag]
    except KeyError:
        local = tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
        if isinstance(tag, str) and len(_LOCALS) < 10_000:
            _LOCALS[tag] = local
        return local
    except TypeError:  # comments and processing instructions have a function as tag
        return ""


def _ns(tag) -> str:
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def _clean(text: str | None) -> str:
    return _SPACE.sub(" ", text or "").strip()


class _Reader:
    def __init__(self, doc: Document):
        self.doc = doc
        self.path = doc.path
        self.warnings: list[Problem] = list(doc.warnings)
        self.errors: list[Problem] = []
        self.by_id: dict[str, object] = {}
        self.nodes: dict[str, _Node] = {}
        self.edges: list[_Edge] = []
        self.pools: list[_Pool] = []
        self.shapes: dict[str, tuple[int, float, float, float, float]] = {}
        self.annotations: dict[str, str] = {}  # textAnnotation id -> text
        self.associations: list[tuple[str, str]] = []
        self.data_refs: dict[str, tuple[str, str]] = {}  # reference id -> (kind, name)
        from flowmap.loaders.bpmn_xml import LazyLocations

        self.locations = LazyLocations(doc)
        self.exported = False  # written by flowmap.writers.bpmn

    # -- problems ------------------------------------------------------------------------------
    def where(self, element) -> Location:
        return self.doc.position(element)

    def error(self, element, message: str, hint: str = "", code: str = "invalid",
              ident: str = "") -> None:
        self.errors.append(Problem(self.where(element), message, hint, code,
                                   ident or (element.get("id", "") if element is not None else "")))

    def warn(self, element, message: str, hint: str = "", code: str = "imperfect",
             ident: str = "") -> None:
        where = self.where(element) if element is not None else Location(self.path)
        if not ident and element is not None:
            ident = element.get("id", "")
        self.warnings.append(Problem(where, message, hint, code, ident, severity="warning"))

    def fail(self) -> None:
        raise LoadError(self.path, sorted(self.errors + self.warnings,
                                          key=lambda p: (p.location.line, p.location.column)))

    # -- reading -------------------------------------------------------------------------------
    def read(self):
        root = self.doc.root
        if _ns(root.tag) not in MODEL_NS or _local(root.tag) != "definitions":
            if _ns(root.tag) in MODEL_NS:
                message = (f"the root element is <{_local(root.tag)}>, not <definitions>: this is "
                           "a fragment of a BPMN model, not a whole one")
            else:
                message = (f"not a BPMN 2.0 file: the root element is <{_local(root.tag)}> "
                           f"(namespace {_ns(root.tag) or 'none'}), not BPMN <definitions>")
            self.errors.append(Problem(self.where(root), message,
                                       "export the whole model as BPMN 2.0 XML from the modeler",
                                       "not-bpmn", root.get("id", "")))
            self.fail()
        self.exported = root.get(FM + "format") is not None
        self._index(root)
        self._read_pools(root)
        for pool in self.pools:
            if pool.process is not None:
                self._read_process(pool.process, pool, None)
        if self.errors:
            self.fail()
        self._assign_lanes()
        from flowmap.loaders.bpmn_build import build

        process = build(self)
        if self.errors:
            self.fail()
        return process

    def _index(self, root) -> None:
        """Ids of every element, diagram shapes, annotations and data references."""
        duplicates: set[str] = set()
        by_id = self.by_id
        for ns in MODEL_NS:
            for element in root.iter(f"{{{ns}}}*"):
                ident = element.get("id")
                if ident is None:
                    continue
                if ident in by_id and _local(element.tag) in _UNIQUE:
                    duplicates.add(ident)
                by_id.setdefault(ident, element)
        plane = -1
        for element in root.iter(f"{{{DI_NS}}}BPMNPlane", f"{{{DI_NS}}}BPMNShape"):
            if element.tag.endswith("Plane"):
                plane += 1
            else:
                self._shape(element, plane)
        tags = [f"{{{ns}}}{local}" for ns in MODEL_NS for local in _ARTIFACTS]
        for element in root.iter(*tags):
            local, ident = _local(element.tag), element.get("id")
            if local == "textAnnotation":
                self.annotations[ident or ""] = _clean("".join(element.itertext()))
            elif local == "association":
                self.associations.append((element.get("sourceRef", ""),
                                          element.get("targetRef", "")))
            else:
                kind = "systems" if "Store" in local else "data"
                self.data_refs[ident or ""] = (kind, _clean(element.get("name")))
        for ident in sorted(duplicates):
            self.error(self.by_id[ident], f"the id {ident!r} is used by more than one element",
                       "give each element its own id (the modeler does this when you save again)",
                       "duplicate-id", ident)
        # data references without a name take the name of what they refer to
        for ident, (kind, name) in list(self.data_refs.items()):
            if not name:
                element = self.by_id.get(ident)
                target = None
                if element is not None:
                    target = element.get("dataObjectRef") or element.get("dataStoreRef")
                if target and target in self.data_refs:
                    self.data_refs[ident] = (kind, self.data_refs[target][1])

    def _shape(self, element, plane: int) -> None:
        ref = element.get("bpmnElement")
        if not ref or ref in self.shapes:
            return
        for child in element:
            if _local(child.tag) == "Bounds" and _ns(child.tag) == DC_NS:
                try:
                    box = tuple(float(child.get(k, "0")) for k in ("x", "y", "width", "height"))
                except ValueError:
                    return
                self.shapes[ref] = (plane, *box)
                return

    def resolve(self, ref: str | None, scope: str = "") -> str | None:
        """The id ``ref`` names: exact, without a QName prefix ("bpmn2:Task_1"), or, within
        ``scope``, the unique id that ends with ".ref" (tools that qualify ids by process)."""
        if not ref:
            return None
        ref = ref.strip()
        if ref in self.by_id:
            return ref
        if ":" in ref:
            bare = ref.split(":", 1)[1]
            if bare in self.by_id:
                return bare
        if scope:
            qualified = f"{scope}.{ref}"
            if qualified in self.by_id:
                return qualified
        return None

    def resolve_node(self, ref: str | None, scope: str = "") -> str | None:
        """Like :meth:`resolve`, preferring a flow node when several readings exist."""
        if not ref:
            return None
        ref = ref.strip()
        candidates = [ref, ref.split(":", 1)[1] if ":" in ref else "",
                      f"{scope}.{ref}" if scope else ""]
        return next((c for c in candidates if c in self.nodes), None)

    def _read_pools(self, root) -> None:
        used_processes: set[str] = set()
        processes = {p.get("id"): p for p in root if _local(p.tag) == "process"
                     and _ns(p.tag) in MODEL_NS}
        for collaboration in root:
            if _local(collaboration.tag) not in ("collaboration", "choreography"):
                continue
            for participant in collaboration:
                if _local(participant.tag) != "participant":
                    continue
                ref = self.resolve(participant.get("processRef"))
                process = processes.get(ref) if ref else None
                if participant.get("processRef") and process is None:
                    self.warn(participant, f"pool {self._label(participant)} refers to process "
                                           f"{participant.get('processRef')!r}, which is not in "
                                           "the file; it is read as a black box",
                              "check the file is complete", "missing-reference")
                if process is not None:
                    used_processes.add(ref)
                name = _clean(participant.get("name")) or _clean(
                    process.get("name") if process is not None else "")
                if participant.get(FM + "unnamed") == "true":
                    name = ""
                self.pools.append(_Pool(participant.get("id", ""), name, participant, process,
                                        participant.get(FM + "org", "")))
        for ident, process in processes.items():
            if ident not in used_processes:
                self.pools.append(_Pool(ident or "", _clean(process.get("name")), process,
                                        process, process.get(FM + "org", "")))
        for pool in self.pools:
            if pool.process is not None:
                for lane_set in pool.process.iter(*(f"{{{ns}}}laneSet" for ns in MODEL_NS)):
                    pool.lanes.extend(self._lanes(lane_set, None))

    def _lanes(self, lane_set, parent: _Lane | None) -> list[_Lane]:
        out = []
        for element in lane_set:
            if _local(element.tag) != "lane":
                continue
            name = "" if element.get(FM + "unnamed") == "true" else (
                element.get("name", "").strip() if self.exported else _clean(element.get("name")))
            lane = _Lane(element.get("id", ""), name, element, parent)
            for child in element:
                local = _local(child.tag)
                if local == "flowNodeRef":
                    lane.refs.append((child.text or "").strip())
                elif local == "childLaneSet":
                    lane.children.extend(self._lanes(child, lane))
            out.append(lane)
        return out

    @staticmethod
    def _label(element) -> str:
        name = _clean(element.get("name"))
        return f"{element.get('id', '')!r}" + (f" ({name})" if name else "")

    def _read_process(self, container, pool: _Pool, parent: str | None) -> None:
        for element in container:
            tag = element.tag
            if not isinstance(tag, str) or _ns(tag) not in MODEL_NS:
                continue
            local = _local(tag)
            ident = element.get("id")
            if local in FLOW_NODES:
                if not ident:
                    self.error(element, f"a <{local}> has no id", "give it an id", "missing-id")
                    continue
                events = tuple(_local(c.tag)[:-len("EventDefinition")] for c in element
                               if _local(c.tag).endswith("EventDefinition"))
                self.nodes[ident] = _Node(ident, local, element, pool, parent, events)
                if local in SUBPROCESSES:
                    self._read_process(element, pool, ident)
            elif local == "sequenceFlow":
                if not ident:
                    self.error(element, "a <sequenceFlow> has no id", "give it an id",
                               "missing-id")
                    continue
                self.edges.append(_Edge(ident, element.get("sourceRef", ""),
                                        element.get("targetRef", ""), element))

    # -- lanes ---------------------------------------------------------------------------------
    def _assign_lanes(self) -> None:
        for pool in self.pools:
            all_lanes = [lane for top in pool.lanes for lane in _walk(top)]
            if not all_lanes:
                continue
            scope = pool.process.get("id", "") if pool.process is not None else ""
            for lane in all_lanes:
                for ref in lane.refs:
                    ident = self.resolve_node(ref, scope)
                    node = self.nodes.get(ident) if ident else None
                    if node is None and self.resolve(ref, scope) is not None:
                        continue  # lanes may list data inputs and the like: not our concern
                    if node is None:
                        self.warn(lane.element, f"lane {self._label(lane.element)} lists "
                                                f"{ref!r}, which is not a flow node",
                                  "remove the reference, or add the element",
                                  "dangling-reference", lane.id)
                        continue
                    if ident != ref:
                        self._note_resolved(lane, ref, ident)
                    self._place(node, lane)
            # Nodes the lanes do not list: the lane of their sub-process, else the diagram.
            for node in self.nodes.values():
                if node.pool is not pool or node.lane is not None:
                    continue
                lane = self._container_lane(node) or self._lane_by_geometry(node, all_lanes)
                if lane is not None:
                    node.lane = lane
                elif node.local != "boundaryEvent":
                    self.warn(node.element, f"{node.local} {self._label(node.element)} is in no "
                                            "lane of its pool; it gets no owner",
                              "add it to a lane (flowNodeRef) or draw it inside one",
                              "no-lane", node.id)

    _resolved_noted = False  # one loose-reference warning per file is enough
    _geometry_used = False  # a node was placed in a lane by the diagram

    def _note_resolved(self, lane: _Lane, ref: str, ident: str) -> None:
        if not self._resolved_noted:
            self._resolved_noted = True
            self.warn(lane.element, f"lane {self._label(lane.element)} refers to {ref!r}, read as "
                                    f"{ident!r} (and likewise for other references)",
                      "write references as the plain id of the element", "loose-reference",
                      lane.id)

    def _place(self, node: _Node, lane: _Lane) -> None:
        current = node.lane
        if current is None or current in lane.ancestors():
            node.lane = lane
        elif current is lane or lane in current.ancestors():
            return
        else:
            self.warn(lane.element, f"{node.local} {node.id!r} is listed in lane "
                                    f"{self._label(current.element)} and in lane "
                                    f"{self._label(lane.element)}; flowmap keeps the first",
                      "a flow node belongs to one lane: remove one flowNodeRef",
                      "two-lanes", node.id)

    def _container_lane(self, node: _Node) -> _Lane | None:
        parent = node.container
        while parent:
            outer = self.nodes.get(parent)
            if outer is None:
                return None
            if outer.lane is not None:
                return outer.lane
            parent = outer.container
        return None

    def _lane_by_geometry(self, node: _Node, lanes: list[_Lane]) -> _Lane | None:
        shape = self.shapes.get(node.id)
        if shape is None:
            return None
        plane, x, y, w, h = shape
        cx, cy = x + w / 2, y + h / 2
        best, best_area = None, None
        for lane in lanes:
            box = self.shapes.get(lane.id)
            if box is None or box[0] != plane:
                continue
            _, lx, ly, lw, lh = box
            if lx <= cx <= lx + lw and ly <= cy <= ly + lh:
                area = lw * lh
                if best_area is None or area < best_area:
                    best, best_area = lane, area
        if best is not None:
            self._geometry_used = True
        return best


def _walk(lane: _Lane):
    yield lane
    for child in lane.children:
        yield from _walk(child)

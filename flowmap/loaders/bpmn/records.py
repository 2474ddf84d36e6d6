"""Stage 2 of the BPMN loader: what the XML says, as plain records.

:func:`read_records` walks the parsed document once and returns :class:`Records`: the pools
(participants, or processes drawn without one) with their lanes and the lanes' nesting, the flow
nodes with the sub-process that contains them, sequence flows and message flows, diagram bounds,
text annotations and data references. Nothing here decides what a name means; the later stages
(:mod:`.lanes`, :mod:`.organisation`, :mod:`.steps`, :mod:`.flows`) do.

Problems are collected on the records: errors make the file unusable (:meth:`Records.fail` raises
a :class:`~flowmap.errors.LoadError`), warnings describe a usable but imperfect file.
"""

from __future__ import annotations

import re
from typing import Any, NoReturn

from flowmap.errors import LoadError, Location, Problem
from flowmap.loaders.bpmn.elements import FLOW_NODES, SUBPROCESSES, Edge, Lane, Node, Pool, walk
from flowmap.loaders.bpmn.xml import (
    DC_NS,
    DI_NS,
    FM,
    MODEL_NS,
    Document,
    LazyLocations,
    clean,
    local_name,
    namespace,
)

_UNIQUE = FLOW_NODES | {"sequenceFlow", "messageFlow"}
_ARTIFACTS = (
    "textAnnotation",
    "association",
    "dataObjectReference",
    "dataStoreReference",
    "dataObject",
    "dataStore",
    "dataInput",
    "dataOutput",
)


class Records:
    """The document as records, and the problems found while reading it."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.path = doc.path
        self.warnings: list[Problem] = list(doc.warnings)
        self.errors: list[Problem] = []
        self.by_id: dict[str, Any] = {}  # id -> lxml element
        self.nodes: dict[str, Node] = {}
        self.edges: list[Edge] = []  # sequence flows
        self.messages: list[Edge] = []  # message flows
        self.pools: list[Pool] = []
        self.shapes: dict[str, tuple[int, float, float, float, float]] = {}
        self.annotations: dict[str, str] = {}  # textAnnotation id -> text
        self.associations: list[tuple[str, str]] = []
        self.data_refs: dict[str, tuple[str, str]] = {}  # reference id -> (kind, name)
        self.locations = LazyLocations(doc)
        self.exported = False  # written by flowmap.writers.bpmn
        self.by_geometry: list[tuple[Node, Lane]] = []  # nodes placed in a lane by the diagram

    def data_of(self, element):
        """``(reads, kind, name)`` of each data object or store an activity's data associations
        name: ``reads`` is True for what it takes in, False for what it puts out."""
        for child in element:
            local = local_name(child.tag)
            if local not in ("dataInputAssociation", "dataOutputAssociation"):
                continue
            reads = local == "dataInputAssociation"
            end = "sourceRef" if reads else "targetRef"
            for ref in child:
                if local_name(ref.tag) == end:
                    kind, name = self.data_refs.get((ref.text or "").strip(), ("", ""))
                    if name:
                        yield reads, kind, name

    # -- problems ------------------------------------------------------------------------------
    def where(self, element) -> Location:
        return self.doc.position(element)

    def error(
        self, element, message: str, hint: str = "", code: str = "invalid", ident: str = ""
    ) -> None:
        if element is None:
            self.errors.append(Problem(Location(self.path), message, hint, code, ident))
            return
        self.errors.append(
            Problem(self.where(element), message, hint, code, ident or element.get("id", ""))
        )

    def warn(
        self, element, message: str, hint: str = "", code: str = "imperfect", ident: str = ""
    ) -> None:
        where = self.where(element) if element is not None else Location(self.path)
        if not ident and element is not None:
            ident = element.get("id", "")
        self.warnings.append(Problem(where, message, hint, code, ident, severity="warning"))

    def order(self, element) -> int:
        """The ``flowmap:order`` of an element of a file flowmap wrote: its place in the flowmap
        file (0 when absent or not a number, with a warning naming the element)."""
        text = element.get(FM + "order")
        if text is None:
            return 0
        if re.fullmatch(r"[0-9]{1,9}", text.strip()):
            return int(text)
        self.warn(
            element,
            f"flowmap:order {text!r} is not a whole number from 0 to 999999999; ignored",
            "flowmap writes it as the element's place in the flowmap file: remove it, or "
            "convert the flowmap file to BPMN again",
            "invalid-value",
        )
        return 0

    def fail(self) -> NoReturn:
        raise LoadError(
            self.path,
            sorted(self.errors + self.warnings, key=lambda p: (p.location.line, p.location.column)),
        )

    @staticmethod
    def label(element) -> str:
        """An element for a message: its id, and its name when it has one."""
        name = clean(element.get("name"))
        return f"{element.get('id', '')!r}" + (f" ({name})" if name else "")

    # -- references ----------------------------------------------------------------------------
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
        candidates = [
            ref,
            ref.split(":", 1)[1] if ":" in ref else "",
            f"{scope}.{ref}" if scope else "",
        ]
        return next((c for c in candidates if c in self.nodes), None)

    def all_lanes(self):
        for pool in self.pools:
            for top in pool.lanes:
                yield from walk(top)


def read_records(doc: Document) -> Records:
    """The records of a parsed document; errors and warnings are collected on them."""
    records = Records(doc)
    root = doc.root
    if namespace(root.tag) not in MODEL_NS or local_name(root.tag) != "definitions":
        if namespace(root.tag) in MODEL_NS:
            message = (
                f"the root element is <{local_name(root.tag)}>, not <definitions>: this "
                "is a fragment of a BPMN model, not a whole one"
            )
        else:
            message = (
                f"not a BPMN 2.0 file: the root element is <{local_name(root.tag)}> "
                f"(namespace {namespace(root.tag) or 'none'}), not BPMN <definitions>"
            )
        records.errors.append(
            Problem(
                records.where(root),
                message,
                "export the whole model as BPMN 2.0 XML from the modeler",
                "not-bpmn",
                root.get("id", ""),
            )
        )
        records.fail()
    records.exported = root.get(FM + "format") is not None
    _index(records, root)
    _read_pools(records, root)
    for pool in records.pools:
        if pool.process is not None:
            _read_process(records, pool.process, pool, None)
    _read_message_flows(records, root)
    return records


def _index(records: Records, root) -> None:
    """Ids of every element, diagram shapes, annotations and data references."""
    duplicates: set[str] = set()
    by_id = records.by_id
    for ns in MODEL_NS:
        for element in root.iter(f"{{{ns}}}*"):
            ident = element.get("id")
            if ident is None:
                continue
            if ident in by_id and local_name(element.tag) in _UNIQUE:
                duplicates.add(ident)
            by_id.setdefault(ident, element)
    plane = -1
    for element in root.iter(f"{{{DI_NS}}}BPMNPlane", f"{{{DI_NS}}}BPMNShape"):
        if element.tag.endswith("Plane"):
            plane += 1
        else:
            _shape(records, element, plane)
    tags = [f"{{{ns}}}{local}" for ns in MODEL_NS for local in _ARTIFACTS]
    for element in root.iter(*tags):
        local, ident = local_name(element.tag), element.get("id")
        if local == "textAnnotation":
            records.annotations[ident or ""] = clean("".join(element.itertext()))
        elif local == "association":
            records.associations.append(
                (element.get("sourceRef", ""), element.get("targetRef", ""))
            )
        else:
            kind = "systems" if "Store" in local else "data"
            records.data_refs[ident or ""] = (kind, clean(element.get("name")))
    for ident in sorted(duplicates):
        records.error(
            by_id[ident],
            f"the id {ident!r} is used by more than one element",
            "give each element its own id (the modeler does this when you save again)",
            "duplicate-id",
            ident,
        )
    # data references without a name take the name of what they refer to
    for ident, (kind, name) in list(records.data_refs.items()):
        if not name:
            element = by_id.get(ident)
            target = None
            if element is not None:
                target = element.get("dataObjectRef") or element.get("dataStoreRef")
            if target and target in records.data_refs:
                records.data_refs[ident] = (kind, records.data_refs[target][1])


def _shape(records: Records, element, plane: int) -> None:
    ref = element.get("bpmnElement")
    if not ref or ref in records.shapes:
        return
    for child in element:
        if local_name(child.tag) == "Bounds" and namespace(child.tag) == DC_NS:
            try:
                x, y, width, height = (
                    float(child.get(k, "0")) for k in ("x", "y", "width", "height")
                )
            except ValueError:
                return
            records.shapes[ref] = (plane, x, y, width, height)
            return


def _read_pools(records: Records, root) -> None:
    used_processes: set[str] = set()
    processes = {
        p.get("id"): p
        for p in root
        if local_name(p.tag) == "process" and namespace(p.tag) in MODEL_NS
    }
    for collaboration in root:
        if local_name(collaboration.tag) not in ("collaboration", "choreography"):
            continue
        for participant in collaboration:
            if local_name(participant.tag) != "participant":
                continue
            ref = records.resolve(participant.get("processRef"))
            process = processes.get(ref) if ref else None
            if participant.get("processRef") and process is None:
                records.warn(
                    participant,
                    f"pool {records.label(participant)} refers to process "
                    f"{participant.get('processRef')!r}, which is not in "
                    "the file; it is read as a black box",
                    "check the file is complete",
                    "missing-reference",
                )
            if process is not None and ref is not None:
                used_processes.add(ref)
            name = clean(participant.get("name")) or clean(
                process.get("name") if process is not None else ""
            )
            if participant.get(FM + "unnamed") == "true":
                name = ""
            records.pools.append(
                Pool(
                    participant.get("id", ""),
                    name,
                    participant,
                    process,
                    participant.get(FM + "org", ""),
                )
            )
    for ident, process in processes.items():
        if ident not in used_processes:
            records.pools.append(
                Pool(
                    ident or "",
                    clean(process.get("name")),
                    process,
                    process,
                    process.get(FM + "org", ""),
                )
            )
    for pool in records.pools:
        if pool.process is not None:
            for lane_set in pool.process.iter(*(f"{{{ns}}}laneSet" for ns in MODEL_NS)):
                pool.lanes.extend(_lanes(records, lane_set, None))


def _lanes(records: Records, lane_set, parent: Lane | None) -> list[Lane]:
    out = []
    for element in lane_set:
        if local_name(element.tag) != "lane":
            continue
        name = (
            ""
            if element.get(FM + "unnamed") == "true"
            else (
                element.get("name", "").strip() if records.exported else clean(element.get("name"))
            )
        )
        lane = Lane(element.get("id", ""), name, element, parent)
        for child in element:
            local = local_name(child.tag)
            if local == "flowNodeRef":
                lane.refs.append((child.text or "").strip())
            elif local == "childLaneSet":
                lane.children.extend(_lanes(records, child, lane))
        out.append(lane)
    return out


def _read_process(records: Records, container, pool: Pool, parent: str | None) -> None:
    for element in container:
        tag = element.tag
        if not isinstance(tag, str) or namespace(tag) not in MODEL_NS:
            continue
        local = local_name(tag)
        ident = element.get("id")
        if local in FLOW_NODES:
            if not ident:
                records.error(element, f"a <{local}> has no id", "give it an id", "missing-id")
                continue
            events = tuple(
                local_name(c.tag)[: -len("EventDefinition")]
                for c in element
                if local_name(c.tag).endswith("EventDefinition")
            )
            records.nodes[ident] = Node(ident, local, element, pool, parent, events)
            if local in SUBPROCESSES:
                _read_process(records, element, pool, ident)
        elif local == "sequenceFlow":
            if not ident:
                records.error(element, "a <sequenceFlow> has no id", "give it an id", "missing-id")
                continue
            records.edges.append(
                Edge(ident, element.get("sourceRef", ""), element.get("targetRef", ""), element)
            )


def _read_message_flows(records: Records, root) -> None:
    for collaboration in root:
        if (
            local_name(collaboration.tag) not in ("collaboration", "choreography")
            or namespace(collaboration.tag) not in MODEL_NS
        ):
            continue
        for element in collaboration:
            if local_name(element.tag) != "messageFlow":
                continue
            ident = element.get("id")
            if not ident:
                records.error(element, "a <messageFlow> has no id", "give it an id", "missing-id")
                continue
            records.messages.append(
                Edge(
                    ident,
                    element.get("sourceRef", ""),
                    element.get("targetRef", ""),
                    element,
                    message=True,
                )
            )

"""What a YAML text holds, for ``flowmap fmt``: the layout each part of a file gets (its
*shape*), and the document as a tree of nodes with their exact spans in the text (from libyaml's
events, so that comments can be found in the gaps between them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flowmap import suffixes
from flowmap.errors import FlowmapError, LoadError, Location, Problem

ORG_SUFFIXES = suffixes.ORGANISATION
FORMAT_SUFFIXES = suffixes.FORMATTED


class FormatError(FlowmapError):
    """A file that parses but that fmt will not rewrite (anchors, or an internal safety check)."""


# ---------------------------------------------------------------------------------------------
# Shapes: how each part of a file is laid out
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """``kind``: map (block mapping), seq (block list), flowmap, flowseq, or flow (a flow item:
    ``a -> b``, a flow mapping, or a block mapping when it has ``ignore``)."""

    kind: str
    order: tuple[str, ...] = ()
    fields: dict[str, Shape] = field(default_factory=dict)
    item: Shape | None = None
    sort: bool = False
    sections: bool = False  # a blank line before each entry (the top level)


FLOWSEQ = Shape("flowseq")
IGNORE = Shape("map", sort=True)
ROLE = Shape("flowmap", ("id", "name", "level", "reports_to"))
FUNCTION = Shape(
    "map", ("id", "name", "kind", "stage", "notes", "roles"), {"roles": Shape("seq", item=ROLE)}
)
ORGANISATION = Shape(
    "map", ("id", "name", "description", "functions"), {"functions": Shape("seq", item=FUNCTION)}
)
INFO = Shape(
    "map",
    (
        "id",
        "name",
        "description",
        "status",
        "version",
        "industry",
        "redesign_of",
        "sources",
        "ignore",
    ),
    {"sources": Shape("seq"), "ignore": IGNORE},
)
CUSTOMER = Shape("map", ("name", "segment", "description"))
STEP = Shape(
    "map",
    (
        "id",
        "name",
        "owner",
        "kind",
        "value",
        "purpose",
        "channel",
        "touchpoint",
        "work",
        "wait",
        "cost",
        "systems",
        "data",
        "notes",
        "ignore",
    ),
    {"purpose": FLOWSEQ, "systems": FLOWSEQ, "data": FLOWSEQ, "ignore": IGNORE},
)
FLOW = Shape(
    "flow",
    ("id", "from", "to", "kind", "label", "probability", "generated", "ignore"),
    {"ignore": IGNORE},
)
MEASURE = Shape("flowmap", ("id", "name", "kind", "owner", "steps", "target"), {"steps": FLOWSEQ})
PROCESS_FILE = Shape(
    "map",
    ("flowmap", "process", "customer", "organisation", "steps", "flows", "measures"),
    {
        "process": INFO,
        "customer": CUSTOMER,
        "organisation": ORGANISATION,
        "steps": Shape("seq", item=STEP),
        "flows": Shape("seq", item=FLOW),
        "measures": Shape("seq", item=MEASURE),
    },
    sections=True,
)
ORGANISATION_FILE = Shape(
    "map",
    ("flowmap", "organisation", "lanes"),
    {"organisation": ORGANISATION, "lanes": Shape("map")},
    sections=True,
)


def shape_for(path: str | Path) -> Shape:
    return ORGANISATION_FILE if str(path).lower().endswith(ORG_SUFFIXES) else PROCESS_FILE


# ---------------------------------------------------------------------------------------------
# Nodes with spans (from libyaml events)
# ---------------------------------------------------------------------------------------------


class Node:
    __slots__ = (
        "col",
        "end",
        "end_line",
        "flow",
        "items",
        "kind",
        "line",
        "start",
        "style",
        "value",
    )

    def __init__(self, kind: str, start_mark, end_mark, style=None, value=None, flow=False):
        self.kind = kind  # scalar | map | seq
        self.value = value
        self.style = style
        self.start, self.line, self.col = start_mark.index, start_mark.line, start_mark.column
        self.end, self.end_line = end_mark.index, end_mark.line
        self.items: list = []  # map: [(key, value)], seq: [node]
        self.flow = flow

    def get(self, key: str) -> Node | None:
        for k, v in self.items:
            if k.value == key:
                return v
        return None

    @property
    def keys(self) -> list[str]:
        return [k.value for k, _ in self.items]


def read_nodes(text: str, name: str) -> tuple[Node, list[tuple[int, int]]]:
    """The document as a Node tree, and the spans of all scalars (sorted)."""
    import yaml

    loader = (getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader)(text)
    spans: list[tuple[int, int]] = []
    # Each frame: [node, is_map, pending key]
    stack: list[list] = []
    root: Node | None = None
    Scalar, Alias = yaml.ScalarEvent, yaml.AliasEvent
    MapStart, SeqStart = yaml.MappingStartEvent, yaml.SequenceStartEvent
    MapEnd, SeqEnd = yaml.MappingEndEvent, yaml.SequenceEndEvent

    def refuse(event, what: str) -> None:
        mark = event.start_mark
        raise LoadError(
            name,
            [
                Problem(
                    Location(name, mark.line + 1, mark.column + 1),
                    f"fmt does not rewrite files that use YAML {what}",
                    "write the values out in full; flowmap files need no anchors, aliases or tags",
                    "fmt-unsupported",
                )
            ],
        )

    try:
        get_event, check_event = loader.get_event, loader.check_event
        while check_event():
            event = get_event()
            kind = type(event)
            if kind is Scalar:
                if event.anchor is not None:
                    refuse(event, "anchors (&)")
                if event.tag is not None and event.tag != "!":
                    refuse(event, "tags (!!)")
                node = Node(
                    "scalar", event.start_mark, event.end_mark, event.style or "", event.value
                )
                spans.append((node.start, node.end))
            elif kind is MapStart or kind is SeqStart:
                if event.anchor is not None:
                    refuse(event, "anchors (&)")
                if event.tag is not None and event.tag != "!" and not event.implicit:
                    refuse(event, "tags (!!)")
                node = Node(
                    "map" if kind is MapStart else "seq",
                    event.start_mark,
                    event.start_mark,
                    flow=bool(event.flow_style),
                )
            elif kind is MapEnd or kind is SeqEnd:
                node = stack.pop()[0]
                if node.flow or not node.items:
                    mark = event.end_mark
                    node.end, node.end_line = mark.index, mark.line
                else:  # a block collection ends where its last item ends
                    last = node.items[-1]
                    last = last[1] if kind is MapEnd else last
                    node.end, node.end_line = last.end, last.end_line
                continue
            elif kind is Alias:
                refuse(event, "aliases (*)")
            else:
                continue
            if stack:
                frame = stack[-1]
                if not frame[1]:
                    frame[0].items.append(node)
                elif frame[2] is None:
                    frame[2] = node
                else:
                    frame[0].items.append((frame[2], node))
                    frame[2] = None
            else:
                root = node
            if node.kind != "scalar":
                stack.append([node, node.kind == "map", None])
    except yaml.YAMLError as exc:  # the loader has accepted the file: this is unexpected
        raise FormatError(f"{name}: cannot be parsed for formatting: {exc}") from None
    if root is None or root.kind != "map":
        raise FormatError(f"{name}: not a mapping; nothing to format")
    return root, spans

"""Stage 2 of rendering: a :class:`~flowmap.render.layout.Diagram` -> DOT text with every position.

:mod:`flowmap.render.place` decides where each band, lane, step and flow goes; this module writes
that as DOT in which every node has its ``pos``, every flow its spline and every band and lane its
``bb``, for ``neato -n2`` to draw as given (Graphviz lays nothing out). Bands and lanes are
clusters only so that they are drawn as filled rectangles; the lines of the blueprint are long
dashed edges between two invisible points. The key (:mod:`flowmap.render.key`) and the panel of a
page (:mod:`flowmap.render.panel`) are drawn the same way.

Every text from the process goes through :func:`html` (HTML-like labels) or :func:`quoted` (DOT
strings): quotes, ``<``, ``&``, backslashes, newlines, emoji and non-Latin scripts come out as
written, and nothing in a name can inject DOT, SVG or HTML. Only this module writes DOT syntax.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from flowmap.render import style
from flowmap.render.layout import Band, Diagram, Edge, Line, Marker, Node, wrap
from flowmap.render.place import Rect, repeat_title_x

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """Remove characters no XML document may hold (control characters, lone surrogates)."""
    return _CONTROL.sub("\ufffd", str(text)).replace("\r\n", "\n").replace("\r", "\n")


_PLAIN_HTML = re.compile(r'[^&<>"\'\\\n\r\t\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]*')


def html(text: str) -> str:
    """Text for an HTML-like label: XML-escaped; newlines become ``<BR/>``."""
    if type(text) is str and _PLAIN_HTML.fullmatch(text):  # nothing to escape
        return text
    escaped = (
        clean(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
        .replace("\t", " ")
        # Graphviz reads \N, \G, \L... in labels (even HTML ones) as escapes: a
        # backslash is written twice so that it stays one backslash.
        .replace("\\", "&#92;&#92;")
    )
    return "<BR/>".join(escaped.split("\n"))


_PLAIN = re.compile(r'[^\\"\n\r\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]*')


def quoted(text: str) -> str:
    """A DOT double-quoted string whose content Graphviz shows exactly as ``text``."""
    if type(text) is str and _PLAIN.fullmatch(text):  # nothing to escape (most values)
        return f'"{text}"'
    # The DOT parser turns \\ into \, then Graphviz's escString reading turns \\ into \ again
    # (and \N into the node's name): a backslash is written four times to stay one.
    body = clean(text).replace("\\", "\\\\\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{body}"'


class HTML(str):
    """An HTML-like label built by this module from escaped pieces (written as ``<...>``)."""


def _attrs(values: dict[str, str]) -> str:
    parts = []
    for key, value in values.items():
        if value == "" and key != "label":
            continue
        if isinstance(value, HTML):
            parts.append(f"{key}=<{value}>")
        else:
            parts.append(f"{key}={quoted(value)}")
    return "[" + ", ".join(parts) + "]"


# ---------------------------------------------------------------------------------------------
# Pieces of labels
# ---------------------------------------------------------------------------------------------


def badge(number: int | None, severity: str, family: str) -> str:
    """One finding's badge: its family's hue, its severity as a letter (E, W, i) and an outline
    (an error square and heavy, a warning or info rounded; info on white), and its number."""
    fill = style.FAMILY_COLOUR.get(family, "#BDBDBD")
    look = style.SEVERITY_BADGE.get(severity, style.SEVERITY_BADGE["warning"])
    if severity == "info":
        fill = "#FFFFFF"
    ink = style.ink_on(fill)
    letter = style.SEVERITY_LETTER.get(severity, "?")
    text = letter + ("" if number is None else f" {number}")
    from flowmap.render.place import BADGE_BASE

    width = BADGE_BASE - 4 + 7 * (len(str(number)) if number is not None else 0)
    rounded = ' STYLE="rounded"' if look["style"] == "rounded" else ""
    colour = style.FAMILY_COLOUR.get(family, style.INK) if severity == "info" else style.INK
    return (
        f'<TABLE BORDER="{look["border"]}" CELLBORDER="0" COLOR="{colour}"{rounded} '
        f'CELLPADDING="0" CELLSPACING="0" BGCOLOR="{fill}"><TR><TD FIXEDSIZE="TRUE" '
        f'WIDTH="{width:.0f}" HEIGHT="15"><FONT POINT-SIZE="10" COLOR="{ink}"><B>{text}'
        "</B></FONT></TD></TR></TABLE>"
    )


def _badge_cells(numbers: Iterable[int], markers: dict[int, Marker]) -> str:
    cells = []
    for number in numbers:
        marker = markers.get(number)
        cells.append(
            "<TD>"
            + badge(
                number,
                marker.severity if marker else "warning",
                marker.family if marker else "structure",
            )
            + "</TD>"
        )
    return "".join(cells)


def _badges(numbers: tuple[int, ...], markers: dict[int, Marker]) -> str:
    if not numbers:
        return ""
    from flowmap.render.place import badges_width

    return (
        f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="0" FIXEDSIZE="TRUE" '
        f'WIDTH="{badges_width(numbers) + 2 + len(numbers):.0f}" HEIGHT="19"><TR>'
        f"{_badge_cells(numbers, markers)}</TR></TABLE>"
    )


def node_label(node: Node, markers: dict[int, Marker], wrap_width: int) -> str:
    from flowmap.render.place import node_lines

    name = "<BR/>".join(html(line) for line in node_lines(node, wrap_width))
    if node.continuation:
        return HTML(f"<B>{name}</B>")
    rows = []
    if node.badges:
        rows.append(f'<TR><TD ALIGN="RIGHT">{_badges(node.badges, markers)}</TD></TR>')
    if node.change:
        mark = style.CHANGE[node.change]
        rows.append(
            f'<TR><TD><FONT POINT-SIZE="9" COLOR="{mark["color"]}"><B>{mark["word"]}'
            "</B></FONT></TD></TR>"
        )
    rows.append(f"<TR><TD>{name}</TD></TR>")
    tag = value_tag(node) if node.kind not in style.UNVALUED else ""
    if tag:
        rows.append(
            f'<TR><TD><FONT POINT-SIZE="9" COLOR="{style.MUTED}">{html(tag)}</FONT></TD></TR>'
        )
    return HTML(
        '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
        + "".join(rows)
        + "</TABLE>"
    )


def node_attrs(node: Node, markers: dict[int, Marker], wrap_width: int) -> dict[str, str]:
    shape = dict(style.SHAPES[node.kind])
    styles = [s for s in shape.pop("style").split(",") if s]
    attrs: dict[str, str] = {"id": node.id, "label": node_label(node, markers, wrap_width)}
    if node.continuation:
        attrs.update(
            {
                "shape": "cds",
                "style": "dashed,filled",
                "fillcolor": "#FFFFFF",
                "color": style.INK,
                "class": "continuation",
                "tooltip": node.name,
            }
        )
        return attrs
    if node.kind in style.UNVALUED:
        attrs.update(shape)
        attrs.update({"fillcolor": "#FFFFFF", "color": style.INK})
        styles.append("filled")
    else:
        value = style.VALUE_STYLE[node.value]
        attrs.update(shape)
        attrs.update(
            {"fillcolor": value["fill"], "color": value["pen"], "penwidth": value["penwidth"]}
        )
        styles += ["filled", value["border"]]
    if node.highlight:
        attrs["color"] = style.HIGHLIGHT.get(node.highlight, style.INK)
        attrs["penwidth"] = "3.2"
    if node.change:
        attrs["color"] = style.CHANGE[node.change]["color"]
        attrs["penwidth"] = "4"
        styles = [s for s in styles if s not in ("solid", "dashed", "dotted")]
        styles.append(style.CHANGE[node.change]["style"])
    attrs["style"] = ",".join(dict.fromkeys(styles))
    attrs["tooltip"] = node.name + (f" ({node.value.value} value)" if node.value else "")
    return attrs


def edge_attrs(edge: Edge, markers: dict[int, Marker]) -> dict[str, str]:
    flow = style.FLOW_STYLE[edge.kind]
    colour = flow["color"]
    attrs = {
        "id": edge.id,
        "style": flow["style"],
        "arrowhead": flow["arrowhead"],
        "penwidth": flow["penwidth"],
        "color": colour,
        "class": edge.kind.value,
    }
    if edge.cross_function:
        # Two parallel lines: a handoff between departments.
        attrs["color"] = f"{colour}:invis:{colour}"
        attrs["penwidth"] = style.CROSS_FUNCTION_WIDTH
    if edge.highlight:
        halo = style.HIGHLIGHT.get(edge.highlight, style.INK)
        attrs["color"] = f"{halo}:{colour}:{halo}"
        attrs["penwidth"] = "2.6"
    if edge.back:
        attrs["constraint"] = "false"
    if edge.change:
        mark = style.CHANGE[edge.change]["color"]
        attrs["color"] = f"{mark}:{colour}:{mark}" if not edge.highlight else attrs["color"]
        attrs["penwidth"] = "2.4"
    parts = []
    if edge.change:
        mark = style.CHANGE[edge.change]
        parts.append(
            f'<TD><FONT POINT-SIZE="9" COLOR="{mark["color"]}"><B>{mark["word"]}</B></FONT></TD>'
        )
    if edge.label:
        parts.append(
            f'<TD><FONT POINT-SIZE="{LABEL_POINTS:g}">'
            f"{html(edge_label_text(edge.label))}</FONT></TD>"
        )
    if edge.badges:
        parts.append(_badge_cells(edge.badges, markers))
    if parts:
        attrs["label"] = HTML(
            '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="1" '
            f'BGCOLOR="white"><TR>{"".join(parts)}</TR></TABLE>'
        )
    attrs["tooltip"] = f"{edge.kind.value} flow" + (": " + edge.label if edge.label else "")
    return attrs


# ---------------------------------------------------------------------------------------------
# The whole graph, drawn where flowmap.render.place put everything
# ---------------------------------------------------------------------------------------------

LABEL_POINTS = 10.0  # a flow's label (a decision's "yes", "no")


def edge_label_text(label: str) -> str:
    """A flow's label, on one line."""
    return wrap(label, 24, 1)[0]


LEGEND_WIDTH = 960.0
PAD_POINTS = 10.8  # Graphviz's pad around the drawing (0.15 in)


def to_dot(
    diagram: Diagram,
    *,
    graph_attrs: dict[str, str] | None = None,
    legend: bool = True,
    findings_table: bool | None = None,
    poster: bool = False,
    wrap_width: int = 22,
    extra: tuple[float, float] = (0.0, 0.0),
    side=None,
    key_items=None,
    title_lines: tuple[str, ...] = (),
    titled: bool = True,
) -> str:
    """DOT text for ``diagram``, with every position given (for ``neato -n2``).

    ``extra`` adds blank room (points) around the drawing, to fill a page exactly.

    ``graph_attrs`` adds page settings (size, page, margin, dpi). ``legend`` draws the key of
    what is drawn (``key_items``, default: built from ``diagram``) under the lanes;
    ``findings_table`` lists the numbered findings under the diagram (default: when findings are
    shown); ``poster`` adds the metrics and the maturity stage. ``side`` is the panel of a page
    (:class:`flowmap.render.panel.Panel`), drawn beside the lanes with the key in it.
    ``title_lines`` are more lines under the title (the page number, findings about the whole
    process). ``titled=False`` leaves the title out: a strip stacked under another on a sheet.
    """
    from flowmap.render import key
    from flowmap.render.place import TITLE, place

    markers = {m.number: m for m in diagram.findings}
    if findings_table is None:
        findings_table = diagram.findings_mode != "none" and bool(diagram.findings)
    if side is not None:
        legend, findings_table = False, False
    items = key.entries(diagram) if key_items is None else key_items
    legend_size = (0.0, 0.0)
    if legend and items:
        legend_size = (LEGEND_WIDTH, key.height(items, LEGEND_WIDTH))
    tags = {
        n.id: value_tag(n)
        for n in diagram.nodes
        if n.kind not in style.UNVALUED and not n.continuation
    }
    where = place(
        diagram,
        wrap_width=wrap_width,
        tags=tags,
        legend_size=legend_size,
        side_size=(side.width, side.height) if side is not None else (0, 0),
        title=TITLE + 16 * len(title_lines) if titled else 0.0,
    )
    height = where.height
    label = _findings_table(diagram, poster, where.width) if findings_table or poster else ""
    # Blank room to fill a page: half above the drawing, half below (under the findings
    # table when there is one, as an empty last row of it). Coordinates stay >= 0.
    ox, top = extra[0] / 2, extra[1] / 2
    below = extra[1] - top
    if label and below > 1:
        label = HTML(
            label[: -len("</TABLE>")] + f'<TR><TD HEIGHT="{below:.0f}"> </TD></TR></TABLE>'
        )
        below = 0.0

    def pt(x: float, y: float) -> str:
        return f"{x + ox:.1f},{height - y + below:.1f}"

    def bb(r) -> str:
        return (
            f"{r.x0 + ox:.1f},{height - r.y1 + below:.1f},{r.x1 + ox:.1f},"
            f"{height - r.y0 + below:.1f}"
        )

    total_w, total_h = where.width + extra[0], height + top + below
    out: list[str] = ["digraph flowmap {"]
    root = {
        "newrank": "true",
        "rankdir": "LR",
        "fontname": style.FONT,
        "fontsize": "11",
        "outputorder": "edgesfirst",
        "bgcolor": "white",
        "pad": "0.15",
        "id": "diagram",
        "labeljust": "l",
        "labelloc": "b",
        "tooltip": diagram.title,
        "splines": "true",
        "bb": f"0,0,{total_w:.1f},{total_h:.1f}",
    }
    if label:
        root["label"] = label
    root.update(graph_attrs or {})
    out.append(f"  graph {_attrs(root)};")
    out.append(
        "  node "
        + _attrs(
            {
                "fontname": style.FONT,
                "fontsize": "12",
                "margin": "0",
                "fontcolor": style.INK,
                "fixedsize": "true",
            }
        )
        + ";"
    )
    out.append(
        "  edge "
        + _attrs({"fontname": style.FONT, "fontsize": f"{LABEL_POINTS:g}", "arrowsize": "0.8"})
        + ";"
    )
    page = Rect(0, 0, where.width, height)
    if extra[0] > 0 or extra[1] > 0:  # blank room, held open by two invisible corners
        for name, (x, y) in (("corner_a", (0.0, 0.0)), ("corner_z", (total_w, total_h))):
            out.append(
                f"  {name} [shape=point, style=invis, width=0.01, height=0.01, "
                f'pos="{x:.1f},{y:.1f}"];'
            )
    out.append("  subgraph cluster_page {")
    heading = _title_attrs(diagram, title_lines) if titled else {"label": "", "color": "white"}
    out.append("    graph " + _attrs({**heading, "bb": bb(page)}) + ";")

    nodes_by_lane: dict[str, list[Node]] = {}
    for node in diagram.nodes:
        nodes_by_lane.setdefault(node.lane, []).append(node)
    for b, row in enumerate(diagram.rows):
        if isinstance(row, Line):
            out += _line(row, where.lines[row.key], pt, where.repeats)
        else:
            out += _band(row, b, where, nodes_by_lane, markers, wrap_width, pt, bb)
    if where.legend is not None:
        box = where.legend
        out += key.draw(
            items,
            Rect(box.x0, box.y0, box.x0 + LEGEND_WIDTH, box.y1),
            pt,
            lambda sev, fam: badge(None, sev, fam),
        )
    if side is not None and where.side is not None:
        out += side.draw(where.side, pt, items)
    out.append("  }")
    for edge in diagram.edges:
        route = where.routes[edge.id]
        attrs = edge_attrs(edge, markers)
        attrs["pos"] = "e," + pt(*route.tip) + " " + " ".join(pt(*p) for p in route.points)
        if route.label_at is not None and "label" in attrs:
            attrs["lp"] = pt(*route.label_at)
        out.append(f"  {edge.source} -> {edge.target} {_attrs(attrs)};")
    out.append("}")
    return "\n".join(out) + "\n"


def value_tag(node: Node) -> str:
    from flowmap.render.place import value_tag as tag

    return tag(node, style.VALUE_STYLE[node.value]["word"] if node.value is not None else "")


def _title_attrs(diagram: Diagram, lines: tuple[str, ...] = ()) -> dict[str, str]:
    more = "".join(
        f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="12">{html(line)}</FONT></TD></TR>'
        for line in lines
    )
    label = HTML(
        f'<TABLE BORDER="0" CELLPADDING="2" CELLSPACING="0"><TR><TD ALIGN="LEFT">'
        f'<FONT POINT-SIZE="22"><B>{html(diagram.title)}</B></FONT></TD></TR>'
        f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="12" COLOR="{style.MUTED}">'
        f"{html(diagram.subtitle)}</FONT></TD></TR>{more}</TABLE>"
    )
    return {"label": label, "labeljust": "l", "labelloc": "t", "color": "white", "style": "solid"}


def _band(
    band: Band,
    b: int,
    where,
    nodes_by_lane: dict[str, list[Node]],
    markers: dict[int, Marker],
    wrap_width: int,
    pt,
    bb,
) -> list[str]:
    fill = style.BAND_FILL[band.stage]
    title = band.label if band.stage != "customer" else "Customer"
    stage = {"front": "front stage", "back": "back stage"}.get(band.stage, "")
    label = HTML(
        f'<FONT POINT-SIZE="14"><B>{html(title)}</B></FONT>'
        + (f'<FONT POINT-SIZE="11" COLOR="{style.MUTED}">   {stage}</FONT>' if stage else "")
    )
    out = [
        f"    subgraph cluster_b{b} {{",
        "      graph "
        + _attrs(
            {
                "label": label,
                "labeljust": "l",
                "labelloc": "t",
                "style": "filled",
                "fillcolor": fill,
                "color": "#9A9A9A",
                "penwidth": "1.2",
                "id": f"band-{band.key}",
                "bb": bb(where.bands[f"b{b}"]),
            }
        )
        + ";",
    ]
    for i, lane in enumerate(band.lanes):
        rect = where.lanes[lane.key]
        head = where.heads[lane.key]
        level = f"level {lane.level}" if lane.level is not None else ""
        out.append(f"      subgraph cluster_b{b}_l{i} {{")
        out.append(
            "        graph "
            + _attrs(
                {
                    "label": "",
                    "style": "filled",
                    "fillcolor": style.LANE_FILL[band.stage],
                    "color": "#C8C8C8",
                    "penwidth": "0.8",
                    "bb": bb(rect),
                }
            )
            + ";"
        )
        text = "<BR/>".join(html(x) for x in wrap(lane.label, 16, 3))
        if level:
            text += f'<BR/><FONT POINT-SIZE="10" COLOR="{style.MUTED}">{level}</FONT>'
        band_rect = where.bands[f"b{b}"]
        for r, x in enumerate([None, *where.repeats]):
            at = head.x if x is None else repeat_title_x(x, head)
            out.append(
                f"        h_b{b}_l{i}_{r} "
                + _attrs(
                    {
                        "shape": "plaintext",
                        "fontsize": "11",
                        "label": HTML(text),
                        "pos": pt(at, head.y),
                        "width": f"{head.w / 72:.3f}",
                        "height": f"{max(head.h, 10) / 72:.3f}",
                        "tooltip": lane.label,
                        "class": "lane-title",
                    }
                )
                + ";"
            )
            if x is not None and i == 0:  # the band's name again, on a long sheet
                out.append(
                    f"        t_b{b}_{r} "
                    + _attrs(
                        {
                            "shape": "plaintext",
                            "label": HTML(f'<FONT POINT-SIZE="14"><B>{html(title)}</B></FONT>'),
                            "pos": pt(repeat_title_x(x, head), band_rect.y0 + 11),
                            "width": f"{head.w / 72:.3f}",
                            "height": "0.25",
                        }
                    )
                    + ";"
                )
        for node in nodes_by_lane.get(lane.key, []):
            box = where.nodes[node.id]
            attrs = node_attrs(node, markers, wrap_width)
            attrs.update(
                {
                    "pos": pt(box.x, box.y),
                    "width": f"{box.w / 72:.3f}",
                    "height": f"{box.h / 72:.3f}",
                }
            )
            out.append(f"        {node.id} {_attrs(attrs)};")
        out.append("      }")
    out.append("    }")
    return out


LINE_STYLE = {
    "interaction": ("solid", "2.0"),
    "visibility": ("dashed", "1.6"),
    "internal": ("dotted", "1.8"),
}


def _line(line: Line, rect, pt, repeats=()) -> list[str]:
    y = (rect.y0 + rect.y1) / 2
    label_w = 150.0
    dash, width = LINE_STYLE.get(line.key, ("dashed", "1.4"))
    again = [
        f"    line_{line.key}_{r} "
        + _attrs(
            {
                "shape": "plaintext",
                "fontsize": "10",
                "fontcolor": style.MUTED,
                "label": HTML(f"<I>{html(line.label)}</I>"),
                "pos": pt(x + label_w / 2, y - 8),
                "width": f"{label_w / 72:.3f}",
                "height": "0.2",
            }
        )
        + ";"
        for r, x in enumerate(repeats)
    ]
    return again + [
        f"    line_{line.key} "
        + _attrs(
            {
                "shape": "plaintext",
                "fontsize": "10",
                "fontcolor": style.MUTED,
                "label": HTML(f"<I>{html(line.label)}</I>"),
                "pos": pt(rect.x0 + 4 + label_w / 2, y),
                "width": f"{label_w / 72:.3f}",
                "height": "0.2",
                "id": f"line-{line.key}",
            }
        )
        + ";",
        (
            f"    line_{line.key}_a [shape=point, style=invis, width=0.01, height=0.01, "
            f'pos="{pt(rect.x0 + label_w + 8, y)}"];'
        ),
        (
            f"    line_{line.key}_z [shape=point, style=invis, width=0.01, height=0.01, "
            f'pos="{pt(rect.x1, y)}"];'
        ),
        f"    line_{line.key}_a -> line_{line.key}_z "
        + _attrs(
            {
                "style": dash,
                "color": style.MUTED,
                "penwidth": width,
                "arrowhead": "none",
                "pos": f"{pt(rect.x0 + label_w + 8, y)} {pt(rect.x0 + label_w + 8 + (rect.x1 - rect.x0 - label_w - 8) / 3, y)} "
                f"{pt(rect.x0 + label_w + 8 + 2 * (rect.x1 - rect.x0 - label_w - 8) / 3, y)} {pt(rect.x1, y)}",
            }
        )
        + ";",
    ]


# ---------------------------------------------------------------------------------------------
# Legend and findings table
# ---------------------------------------------------------------------------------------------


FINDING_COLUMN_WIDTH = 760.0  # points: badge, finding, suggestion
FINDINGS_PER_COLUMN = 12


def _findings_table(diagram: Diagram, poster: bool, width: float = 0.0) -> HTML | str:
    """The numbered findings (and on a poster the metrics and maturity) under the diagram, in as
    many columns as the diagram's width holds."""
    parts = []
    shown = diagram.findings if diagram.findings_mode != "none" else []
    full = diagram.findings_mode == "full" or poster
    if shown:
        room = max(1, int((width - (340 if poster else 0)) // FINDING_COLUMN_WIDTH))
        columns = max(1, min(room, -(-len(shown) // FINDINGS_PER_COLUMN)))
        per_column = -(-len(shown) // columns)
        markers = {m.number: m for m in diagram.findings}
        for c in range(columns):
            chunk = shown[c * per_column : (c + 1) * per_column]
            rows = []
            if c == 0:
                rows.append(
                    '<TR><TD ALIGN="LEFT" COLSPAN="3"><FONT POINT-SIZE="14"><B>Findings'
                    "</B></FONT></TD></TR>"
                )
            else:
                rows.append('<TR><TD COLSPAN="3"> </TD></TR>')
            for m in chunk:
                text = (
                    f'<B>{html(m.code)}</B> <I>{html(m.name)}</I><BR ALIGN="LEFT"/>'
                    + '<BR ALIGN="LEFT"/>'.join(html(x) for x in wrap(m.message, 60, 5))
                )
                cells = (
                    f'<TD VALIGN="TOP" ALIGN="LEFT"><TABLE BORDER="0" CELLSPACING="0" '
                    f'CELLPADDING="0"><TR>{_badge_cells([m.number], markers)}</TR></TABLE>'
                    f'</TD><TD ALIGN="LEFT" VALIGN="TOP" BALIGN="LEFT">{text}</TD>'
                )
                if full:
                    suggestion = '<BR ALIGN="LEFT"/>'.join(
                        html(x) for x in wrap("→ " + m.suggestion, 60, 6)
                    )
                    cells += (
                        f'<TD ALIGN="LEFT" VALIGN="TOP" BALIGN="LEFT"><FONT COLOR='
                        f'"{style.MUTED}">{suggestion}</FONT></TD>'
                    )
                rows.append(f"<TR>{cells}</TR>")
            parts.append(
                '<TD VALIGN="TOP"><TABLE BORDER="0" CELLBORDER="0" CELLSPACING="3" '
                'CELLPADDING="1">' + "".join(rows) + "</TABLE></TD>"
            )
    elif diagram.findings_mode != "none" and (poster or diagram.metrics):
        parts.append(
            '<TD VALIGN="TOP" ALIGN="LEFT"><FONT POINT-SIZE="14"><B>Findings</B></FONT>'
            '<BR ALIGN="LEFT"/>No rule reports anything on this process.'
            '<BR ALIGN="LEFT"/></TD>'
        )
    if poster:
        parts.insert(0, f'<TD VALIGN="TOP">{_metrics_table(diagram)}</TD>')
    if not parts:
        return ""
    return HTML(
        '<TABLE BORDER="0" CELLSPACING="14" CELLPADDING="0"><TR>' + "".join(parts) + "</TR></TABLE>"
    )


POSTER_METRICS = (
    ("steps", "steps"),
    ("handoffs", "handoffs between roles"),
    ("handoffs_cross_function", "handoffs between functions"),
    ("vertical_share", "share of handoffs up or down a chain"),
    ("ping_pongs", "ping-pongs between functions"),
    ("customer_touchpoints", "customer touchpoints"),
    ("value_adding_share", "steps that add value for the customer"),
    ("non_value_share", "steps that add no value"),
    ("lead_time_minutes", "lead time on the main path"),
    ("cycle_efficiency", "process cycle efficiency"),
    ("first_service_contact", "first service contact (% of the way)"),
    ("feedback_loops", "feedback loops"),
)


def metric_text(key: str, value) -> str:
    """A metric's value as a person reads it (:mod:`flowmap.formatting`)."""
    from flowmap import formatting
    from flowmap.diff import SHARES

    if value is None:
        return "n/a"
    if key == "lead_time_minutes":
        return formatting.duration(float(value))
    if key in SHARES or key.endswith("_share"):
        return formatting.share(float(value))
    return f"{value:g}" if isinstance(value, float) else str(value)


def _metrics_table(diagram: Diagram) -> str:
    rows = [
        '<TR><TD ALIGN="LEFT" COLSPAN="2"><FONT POINT-SIZE="13"><B>Metrics</B></FONT></TD></TR>'
    ]
    for key, text in POSTER_METRICS:
        if key in diagram.metrics:
            rows.append(
                f'<TR><TD ALIGN="LEFT">{html(text)}</TD><TD ALIGN="RIGHT"><B>'
                f"{html(metric_text(key, diagram.metrics[key]))}</B></TD></TR>"
            )
    maturity = diagram.maturity
    if maturity is not None:
        rows.append('<TR><TD ALIGN="LEFT" COLSPAN="2"> </TD></TR>')
        rows.append(
            '<TR><TD ALIGN="LEFT" COLSPAN="2"><FONT POINT-SIZE="13"><B>Customer '
            "maturity</B></FONT></TD></TR>"
        )
        rows.append(
            f'<TR><TD ALIGN="LEFT" COLSPAN="2">stage {maturity.level} of 4: '
            f"<B>{html(maturity.stage)}</B></TD></TR>"
        )
        for advice in maturity.next_steps[:4]:
            lines = '<BR ALIGN="LEFT"/>'.join(html(x) for x in wrap("→ " + advice, 48, 3))
            rows.append(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT" COLSPAN="2">{lines}</TD></TR>')
    return (
        '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="3" CELLPADDING="1">'
        + "".join(rows)
        + "</TABLE>"
    )

"""Stage 2 of rendering: a :class:`~flowmap.render.layout.Diagram` -> DOT text with every position.

:mod:`flowmap.render.place` decides where each band, lane, step and flow goes; this module writes
that as DOT in which every node has its ``pos``, every flow its spline and every band and lane its
``bb``, for ``neato -n2`` to draw as given (Graphviz lays nothing out). Bands and lanes are
clusters only so that they are drawn as filled rectangles; the lines of the blueprint are long
dashed edges between two invisible points. The key (:mod:`flowmap.render.key`) and the panel of a
page (:mod:`flowmap.render.panel`) are drawn the same way.

How a step, a flow and a badge look is :mod:`flowmap.render.shapes`; the findings and metrics
tables under the diagram are :mod:`flowmap.render.tables`; every text goes through
:mod:`flowmap.render.dot_text`, so that nothing in a name can inject DOT, SVG or HTML.
"""

from __future__ import annotations

from flowmap.render import style, tables
from flowmap.render.dot_text import HTML, attr_list, html
from flowmap.render.geometry import TITLE, Rect
from flowmap.render.layout import Band, Diagram, Line, Marker, Node
from flowmap.render.place import place, repeat_title_x, title_text_height
from flowmap.render.shapes import LABEL_POINTS, badge, edge_attrs, node_attrs, value_tag
from flowmap.render.text import wrap

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
    label = tables.findings_table(diagram, poster, where.width) if findings_table or poster else ""
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
    out.append(f"  graph {attr_list(root)};")
    out.append(
        "  node "
        + attr_list(
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
        + attr_list({"fontname": style.FONT, "fontsize": f"{LABEL_POINTS:g}", "arrowsize": "0.8"})
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
    out.append("    graph " + attr_list({**heading, "bb": bb(page)}) + ";")

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
        out.append(f"  {edge.source} -> {edge.target} {attr_list(attrs)};")
    out.append("}")
    return "\n".join(out) + "\n"


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
        + attr_list(
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
    band_rect = where.bands[f"b{b}"]
    # The band's name and its lanes' titles, to be written again on a long sheet.
    titles = [(band_rect.y0 + 11, 18.0, f"<B>{html(title)}</B>", 14)]
    for i, lane in enumerate(band.lanes):
        rect = where.lanes[lane.key]
        head = where.heads[lane.key]
        level = f"level {lane.level}" if lane.level is not None else ""
        out.append(f"      subgraph cluster_b{b}_l{i} {{")
        out.append(
            "        graph "
            + attr_list(
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
        out.append(
            f"        h_b{b}_l{i}_0 "
            + attr_list(
                {
                    "shape": "plaintext",
                    "fontsize": "11",
                    "label": HTML(text),
                    "pos": pt(head.x, head.y),
                    "width": f"{head.w / 72:.3f}",
                    "height": f"{max(head.h, 10) / 72:.3f}",
                    "tooltip": lane.label,
                    "class": "lane-title",
                }
            )
            + ";"
        )
        titles.append((head.y, title_text_height(lane.label, bool(level)) + 4, text, 11))
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
            out.append(f"        {node.id} {attr_list(attrs)};")
        out.append("      }")
    if band.lanes:
        head = where.heads[band.lanes[0].key]
        for r, x in enumerate(where.repeats, start=1):
            out.append(
                f"      r_b{b}_{r} " + _titles_again(titles, repeat_title_x(x, head), head.w, pt)
            )
    out.append("    }")
    return out


def _titles_again(titles: list[tuple[float, float, str, int]], x: float, width: float, pt) -> str:
    """A band's name and its lanes' titles written again at ``x``, as one node: a column of
    table cells, each text centred where the title on the left is (within half a point).

    One node instead of one per title: a 1,000-step sheet repeats its titles 85 times, and
    Graphviz spends as long on each extra node as on a step (2,777 title nodes were half of its
    drawing time); the text of a table cell costs next to nothing."""
    ys = [y for y, _, _, _ in titles]
    edges: list[float] = []  # top and bottom of each text's cell, downwards
    for k, (y, tall, _, _) in enumerate(titles):
        half = tall / 2
        if k:
            half = min(half, (y - ys[k - 1]) / 2)
        if k + 1 < len(titles):
            half = min(half, (ys[k + 1] - y) / 2)
        edges += [y - half, y + half]
    at = [round(e) for e in edges]
    w = round(width)
    rows = []
    for k, (_, _, text, size) in enumerate(titles):
        if k and at[2 * k] > at[2 * k - 1]:  # room between two titles
            rows.append(
                f'<TR><TD HEIGHT="{at[2 * k] - at[2 * k - 1]}" WIDTH="{w}" FIXEDSIZE="TRUE"></TD></TR>'
            )
        rows.append(
            f'<TR><TD HEIGHT="{at[2 * k + 1] - at[2 * k]}" WIDTH="{w}" FIXEDSIZE="TRUE">'
            f'<FONT POINT-SIZE="{size}">{text}</FONT></TD></TR>'
        )
    label = HTML(
        '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0">'
        + "".join(rows)
        + "</TABLE>"
    )
    return (
        attr_list(
            {
                "shape": "plaintext",
                "label": label,
                "pos": pt(x, (at[0] + at[-1]) / 2),
                "width": f"{w / 72:.3f}",
                "height": f"{(at[-1] - at[0]) / 72:.3f}",
                "class": "lane-title",
            }
        )
        + ";"
    )


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
        + attr_list(
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
        + attr_list(
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
        + attr_list(
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

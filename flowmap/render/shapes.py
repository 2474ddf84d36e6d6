"""How one step, one flow and one finding's badge are written in DOT (labels and attributes).

:mod:`flowmap.render.dot` puts them where :mod:`flowmap.render.place` says; the look itself
(colours, line patterns, arrowheads) comes from :mod:`flowmap.render.style`.
"""

from __future__ import annotations

from collections.abc import Iterable

from flowmap.render import style
from flowmap.render.dot_text import HTML, html
from flowmap.render.layout import Edge, Marker, Node
from flowmap.render.text import wrap


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


def badge_cells(numbers: Iterable[int], markers: dict[int, Marker]) -> str:
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
        f"{badge_cells(numbers, markers)}</TR></TABLE>"
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
        change = style.CHANGE[edge.change]
        parts.append(
            f'<TD><FONT POINT-SIZE="9" COLOR="{change["color"]}"><B>{change["word"]}</B></FONT></TD>'
        )
    if edge.label:
        parts.append(
            f'<TD><FONT POINT-SIZE="{LABEL_POINTS:g}">'
            f"{html(edge_label_text(edge.label))}</FONT></TD>"
        )
    if edge.badges:
        parts.append(badge_cells(edge.badges, markers))
    if parts:
        attrs["label"] = HTML(
            '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="1" '
            f'BGCOLOR="white"><TR>{"".join(parts)}</TR></TABLE>'
        )
    attrs["tooltip"] = f"{edge.kind.value} flow" + (": " + edge.label if edge.label else "")
    return attrs


LABEL_POINTS = 10.0  # a flow's label (a decision's "yes", "no")


def edge_label_text(label: str) -> str:
    """A flow's label, on one line."""
    return wrap(label, 24, 1)[0]


def value_tag(node: Node) -> str:
    from flowmap.render.place import value_tag as tag

    return tag(node, style.VALUE_STYLE[node.value]["word"] if node.value is not None else "")

"""The key of a diagram, built from what is actually drawn.

Only the step shapes, values, flow kinds, finding families and severities, lit paths, changes
(``render --diff``) and page continuations that appear in the diagram get an entry: a bare
process (``--findings none``) has no finding entries; a diff explains NEW and CHANGED.

Each entry is drawn by Graphviz like the diagram itself (a sample step, a sample line, a sample
badge), so the key shows exactly what the reader sees. Every sample has the id
``key-<group>-<n>`` so that tests can read its colours and patterns out of the SVG.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flowmap.model import FlowKind, StepKind, Value
from flowmap.render import style
from flowmap.render.layout import Diagram

ROW = 24.0  # height of one entry
ENTRY_WIDTH = 300.0  # sample and text
SAMPLE = 70.0  # width of a sample
KEY_POINTS = 11.0  # the key's text


@dataclass(frozen=True)
class Entry:
    group: str  # shape | value | flow | path | badge | change | page
    text: str
    attrs: dict[str, str] = field(default_factory=dict)  # Graphviz attributes of the sample
    line: bool = False  # drawn as a line (a flow) rather than a node
    pattern: str = ""  # what besides colour tells it apart (for the colour-blindness test)


def entries(diagram: Diagram, pages: bool = False) -> list[Entry]:
    out: list[Entry] = []
    kinds = [k for k in StepKind if any(n.kind == k for n in diagram.nodes if not n.continuation)]
    for kind in kinds:
        attrs = dict(style.SHAPES[kind])
        styles = [s for s in attrs.pop("style").split(",") if s] + ["filled"]
        attrs.update({"fillcolor": "#FFFFFF", "style": ",".join(styles), "color": style.INK})
        out.append(Entry("shape", style.SHAPE_NAMES[kind], attrs, pattern=style.SHAPE_NAMES[kind]))
    valued = [n for n in diagram.nodes if n.kind not in style.UNVALUED and not n.continuation]
    for value in (Value.customer, Value.business, Value.none, None):
        if any(n.value == value for n in valued):
            v = style.VALUE_STYLE[value]
            out.append(
                Entry(
                    "value",
                    v["word"] + f" ({v['border']} border)",
                    {
                        "shape": "box",
                        "style": f"rounded,filled,{v['border']}",
                        "fillcolor": v["fill"],
                        "color": v["pen"],
                        "penwidth": v["penwidth"],
                    },
                    pattern=v["border"],
                )
            )
    for kind in FlowKind:
        if any(e.kind == kind for e in diagram.edges):
            f = style.FLOW_STYLE[kind]
            pattern = f["style"] + "/" + f["arrowhead"]
            out.append(
                Entry(
                    "flow",
                    f"{kind.value} flow",
                    {
                        "color": f["color"],
                        "style": f["style"],
                        "arrowhead": f["arrowhead"],
                        "penwidth": f["penwidth"],
                        "class": kind.value,
                    },
                    line=True,
                    pattern=pattern,
                )
            )
    if any(e.cross_function for e in diagram.edges):
        normal = style.FLOW_STYLE[FlowKind.normal]["color"]
        out.append(
            Entry(
                "flow",
                "handoff between two functions (double line)",
                {"color": f"{normal}:invis:{normal}", "penwidth": style.CROSS_FUNCTION_WIDTH},
                line=True,
                pattern="double",
            )
        )
    lit = {e.highlight for e in diagram.edges if e.highlight} | {
        n.highlight for n in diagram.nodes if n.highlight
    }
    for family in ("smokestack", "service"):
        if family in lit:
            halo = style.HIGHLIGHT[family]
            normal = style.FLOW_STYLE[FlowKind.normal]["color"]
            out.append(
                Entry(
                    "path",
                    style.HIGHLIGHT_NAMES[family],
                    {"color": f"{halo}:{normal}:{halo}", "penwidth": "2.6"},
                    line=True,
                    pattern="halo",
                )
            )
    if diagram.findings_mode != "none" and diagram.findings:
        shown = {m.number for m in diagram.findings}
        drawn = {b for n in diagram.nodes for b in n.badges} | {
            b for e in diagram.edges for b in e.badges
        }
        markers = [m for m in diagram.findings if m.number in drawn & shown]
        for severity in ("error", "warning", "info"):
            if any(m.severity == severity for m in markers):
                out.append(
                    Entry(
                        "badge",
                        f"{severity} (letter {style.SEVERITY_LETTER[severity]})",
                        {"severity": severity, "family": "structure"},
                        pattern=severity,
                    )
                )
        for family, colour in style.FAMILY_COLOUR.items():
            if any(m.family == family for m in markers):
                out.append(
                    Entry(
                        "family",
                        style.FAMILY_NAMES[family],
                        {"severity": "warning", "family": family, "fill": colour},
                        pattern="badge",
                    )
                )
    for change in ("added", "changed"):
        if any(x.change == change for x in (*diagram.nodes, *diagram.edges)):
            mark = style.CHANGE[change]
            text = (
                "NEW: added since the old version"
                if change == "added"
                else "CHANGED since the old version"
            )
            out.append(
                Entry(
                    "change",
                    text,
                    {
                        "shape": "box",
                        "style": f"rounded,filled,{mark['style']}",
                        "fillcolor": "#FFFFFF",
                        "color": mark["color"],
                        "penwidth": "4",
                    },
                    pattern=mark["style"],
                )
            )
    if pages:
        out.append(
            Entry(
                "page",
                "continues on another page",
                {"shape": "cds", "style": "dashed", "color": style.INK},
                pattern="page",
            )
        )
    return out


def column_width(items: list[Entry]) -> float:
    """The width of one column of entries: a sample and the longest text, never less than
    :data:`ENTRY_WIDTH` (a text never runs into the next column's sample)."""
    from flowmap.render.place import text_width

    longest = max((text_width(entry.text, KEY_POINTS) for entry in items), default=0.0)
    return max(ENTRY_WIDTH, SAMPLE + 4 + longest + 8)


def height(items: list[Entry], width: float) -> float:
    if not items:
        return 0.0
    per_row = max(1, int(width // column_width(items)))
    return 30 + -(-len(items) // per_row) * ROW


def draw(items: list[Entry], rect, pt, badge) -> list[str]:
    """DOT statements drawing ``items`` inside ``rect`` (top-left origin; ``pt`` maps points to
    DOT coordinates); ``badge(severity, family)`` is the HTML of a sample badge."""
    from flowmap.render.dot_text import HTML, attr_list
    from flowmap.render.place import text_width

    if not items:
        return []
    out = [
        (
            f'    key_title [shape=plaintext, fontsize="13", label=<<B>Key</B>>, '
            f'pos="{pt(rect.x0 + 20, rect.y0 + 12)}", width=0.6, height=0.25];'
        )
    ]
    step = column_width(items)
    per_row = max(1, int((rect.x1 - rect.x0) // step))
    counts: dict[str, int] = {}
    for index, entry in enumerate(items):
        row, column = divmod(index, per_row)
        x = rect.x0 + 6 + column * step
        y = rect.y0 + 30 + row * ROW + ROW / 2
        n = counts.get(entry.group, 0)
        counts[entry.group] = n + 1
        name = f"key-{entry.group}-{n}"
        if entry.line:
            a, z = f"key_a{index}", f"key_z{index}"
            for point, px in ((a, x), (z, x + SAMPLE - 6)):
                out.append(
                    f"    {point} [shape=point, style=invis, width=0.01, height=0.01, "
                    f'pos="{pt(px, y)}"];'
                )
            spline = (
                f"e,{pt(x + SAMPLE - 6, y)} {pt(x, y)} {pt(x + 18, y)} "
                f"{pt(x + 36, y)} {pt(x + SAMPLE - 13, y)}"
            )
            out.append(f"    {a} -> {z} {attr_list({**entry.attrs, 'id': name, 'pos': spline})};")
        elif entry.group in ("badge", "family"):
            label = badge(entry.attrs["severity"], entry.attrs["family"])
            out.append(
                f"    k{index} "
                + attr_list(
                    {
                        "shape": "plaintext",
                        "label": HTML(label),
                        "id": name,
                        "pos": pt(x + SAMPLE / 2, y),
                        "width": f"{(SAMPLE - 10) / 72:.3f}",
                        "height": "0.28",
                    }
                )
                + ";"
            )
        else:
            out.append(
                f"    k{index} "
                + attr_list(
                    {
                        **entry.attrs,
                        "label": "",
                        "id": name,
                        "pos": pt(x + SAMPLE / 2, y),
                        "width": f"{(SAMPLE - 14) / 72:.3f}",
                        "height": "0.26",
                    }
                )
                + ";"
            )
        width = text_width(entry.text, KEY_POINTS)
        out.append(
            f"    kt{index} "
            + attr_list(
                {
                    "shape": "plaintext",
                    "fontsize": f"{KEY_POINTS:g}",
                    "id": f"{name}-text",
                    "label": entry.text,
                    "pos": pt(x + SAMPLE + 4 + width / 2, y),
                    "width": f"{width / 72:.3f}",
                    "height": "0.25",
                }
            )
            + ";"
        )
    return out

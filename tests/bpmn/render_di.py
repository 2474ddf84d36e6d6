"""Draw the diagram (DI) of a BPMN file as SVG, to look at a layout without a modeler.

    python tests/bpmn/render_di.py model.bpmn -o model.svg   # then e.g. `convert model.svg model.png`

Pools and lanes are drawn as boxes with their names, tasks as rounded boxes, events as circles,
gateways as diamonds, sequence flows as solid lines and message flows as dashed ones. It reads
the shapes' bounds and the edges' waypoints only: what a modeler would show, without styling.
"""

from __future__ import annotations

import argparse
import html
from pathlib import Path

from lxml import etree

DI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
OMGDI = "http://www.omg.org/spec/DD/20100524/DI"


def render(path: Path) -> str:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.parse(str(path), parser).getroot()
    by_id = {e.get("id"): e for e in root.iter() if isinstance(e.tag, str) and e.get("id")}
    plane = next(root.iter(f"{{{DI}}}BPMNPlane"))
    shapes, edges, lanes = [], [], []
    right = bottom = 0.0
    for element in plane:
        model = by_id.get(element.get("bpmnElement"))
        kind = etree.QName(model).localname if model is not None else "?"
        name = (model.get("name") or "") if model is not None else ""
        if element.tag == f"{{{DI}}}BPMNShape":
            b = element.find(f"{{{DC}}}Bounds")
            x, y, w, h = (float(b.get(k)) for k in ("x", "y", "width", "height"))
            right, bottom = max(right, x + w), max(bottom, y + h)
            (lanes if kind in ("participant", "lane") else shapes).append((kind, name, x, y, w, h))
        elif element.tag == f"{{{DI}}}BPMNEdge":
            points = [
                (float(p.get("x")), float(p.get("y"))) for p in element.iter(f"{{{OMGDI}}}waypoint")
            ]
            edges.append((kind, name, points))
    out = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{right + 40:.0f}" '
            f'height="{bottom + 40:.0f}" font-family="sans-serif" font-size="11">'
        ),
        '<rect width="100%" height="100%" fill="white"/>',
        (
            '<defs><marker id="a" markerWidth="8" markerHeight="8" refX="7" refY="4" '
            'orient="auto"><path d="M0,0 L8,4 L0,8 z"/></marker></defs>'
        ),
    ]
    for kind, name, x, y, w, h in lanes:
        fill = "#f4f8ff" if kind == "participant" else "none"
        out.append(f'<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}" stroke="#555"/>')
        out.append(
            f'<text transform="translate({x + 18},{y + h / 2}) rotate(-90)" '
            f'text-anchor="middle">{html.escape(name)}</text>'
        )
    for kind, name, points in edges:
        dash = ' stroke-dasharray="6,4"' if kind == "messageFlow" else ""
        d = " ".join(f"{x},{y}" for x, y in points)
        out.append(f'<polyline points="{d}" fill="none" stroke="#333"{dash} marker-end="url(#a)"/>')
        if name and points:
            (x1, y1), (x2, y2) = points[0], points[-1]
            out.append(
                f'<text x="{(x1 + x2) / 2}" y="{(y1 + y2) / 2 - 4}" fill="#06c">'
                f"{html.escape(name)}</text>"
            )
    for kind, name, x, y, w, h in shapes:
        if kind.endswith("Event"):
            width = 3 if kind == "endEvent" else 1
            out.append(
                f'<circle cx="{x + w / 2}" cy="{y + h / 2}" r="{w / 2}" fill="white" '
                f'stroke="#000" stroke-width="{width}"/>'
            )
            out.append(
                f'<text x="{x + w / 2}" y="{y + h + 12}" text-anchor="middle">'
                f"{html.escape(name)}</text>"
            )
        elif kind.endswith("Gateway"):
            cx, cy = x + w / 2, y + h / 2
            out.append(
                f'<polygon points="{cx},{y} {x + w},{cy} {cx},{y + h} {x},{cy}" '
                'fill="white" stroke="#000"/>'
            )
            out.append(
                f'<text x="{cx}" y="{y - 4}" text-anchor="middle">{html.escape(name)}</text>'
            )
        else:
            out.append(
                f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="8" fill="white" '
                'stroke="#000"/>'
            )
            words, line, lines = name.split(), "", []
            for word in words:
                if len(line) + len(word) > 16 and line:
                    lines.append(line)
                    line = word
                else:
                    line = f"{line} {word}".strip()
            lines.append(line)
            for i, text in enumerate(lines[:5]):
                out.append(
                    f'<text x="{x + w / 2}" y="{y + 16 + i * 13}" text-anchor="middle">'
                    f"{html.escape(text)}</text>"
                )
    out.append("</svg>")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bpmn", type=Path)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    args.output.write_text(render(args.bpmn), encoding="utf-8")


if __name__ == "__main__":
    main()

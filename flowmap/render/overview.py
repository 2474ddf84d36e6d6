"""The overview of a large process: functions as boxes, handoffs between them as counted arrows.

Drawn instead of the full swimlanes when a process is too large to read on one page (or to lay
out within the time budget), together with one page per function. Handoffs up or down a chain of
command inside one function (vertical) are shown apart, in the function's box; handoffs between
functions are arrows whose width grows with their number. Laid out by ``dot`` itself: it is small.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from flowmap.graph import HandoffKind
from flowmap.model import CUSTOMER
from flowmap.render import style
from flowmap.render.dot_text import HTML, attr_list, html
from flowmap.render.layout import Band, Diagram

if TYPE_CHECKING:
    from flowmap.graph import ProcessGraph


ROW_MAX = 4  # functions side by side in one row of the overview


def overview_dot(diagram: Diagram, graph: ProcessGraph) -> str:
    process = graph.process
    function_of = {}
    for step in process.steps:
        if step.owner == CUSTOMER:
            function_of[step.id] = CUSTOMER
        else:
            ref = graph.role_of(step.id)
            function_of[step.id] = ref.function.id if ref else "unassigned"
    between: Counter[tuple[str, str]] = Counter()
    vertical: Counter[str] = Counter()
    for handoff in graph.handoffs.values():
        a, b = function_of[handoff.flow.source], function_of[handoff.flow.target]
        if a != b:
            between[(a, b)] += 1
        elif handoff.kind == HandoffKind.vertical:
            vertical[a] += 1
    steps = Counter(function_of.values())

    out = ["digraph overview {"]
    out.append(
        "  graph "
        + attr_list(
            {
                "newrank": "true",
                "rankdir": "TB",
                "fontname": style.FONT,
                "nodesep": "0.6",
                "ranksep": "0.9",
                "labelloc": "t",
                "labeljust": "l",
                "id": "overview",
                "label": HTML(
                    f'<FONT POINT-SIZE="20"><B>{html(diagram.title)}</B></FONT><BR ALIGN="LEFT"/>'
                    f'<FONT POINT-SIZE="11" COLOR="{style.MUTED}">overview · '
                    f"{html(diagram.subtitle)} · {len(process.steps)} steps</FONT>"
                    '<BR ALIGN="LEFT"/>'
                ),
            }
        )
        + ";"
    )
    out.append(
        "  node "
        + attr_list(
            {"shape": "box", "style": "rounded,filled", "fontname": style.FONT, "fontsize": "11"}
        )
        + ";"
    )
    out.append("  edge " + attr_list({"fontname": style.FONT, "fontsize": "10"}) + ";")
    stages: dict[str, list[str]] = {}
    for index, band in enumerate(b for b in diagram.rows if isinstance(b, Band)):
        name = f"o{index}"
        stages.setdefault(band.stage, []).append(name)
        lines = [
            f"<B>{html(band.label)}</B>",
            f'<FONT POINT-SIZE="9">{steps.get(band.key, 0)} steps'
            + (f" · {band.stage} stage" if band.stage in ("front", "back") else "")
            + "</FONT>",
        ]
        if vertical.get(band.key):
            lines.append(
                f'<FONT POINT-SIZE="9" COLOR="{style.HIGHLIGHT["smokestack"]}">'
                f"↕ {vertical[band.key]} handoff(s) up or down the chain</FONT>"
            )
        attrs = {
            "label": HTML("<BR/>".join(lines)),
            "id": f"function-{band.key}",
            "fillcolor": style.BAND_FILL[band.stage],
            "color": "#7A7A7A",
        }
        out.append(f"  {name} {attr_list(attrs)};")
    # Rows of at most ROW_MAX functions, stage by stage, so that the overview of many
    # functions is a block that fits a page rather than one long strip.
    rows = [
        names[i : i + ROW_MAX]
        for stage in ("customer", "front", "back", "unassigned")
        if (names := stages.get(stage))
        for i in range(0, len(names), ROW_MAX)
    ]
    rows += [
        names
        for stage, names in stages.items()
        if stage not in ("customer", "front", "back", "unassigned")
    ]
    for row in rows:
        out.append("  { rank=same; " + " ".join(row) + " }")
    order = [row[0] for row in rows]
    if len(order) > 1:
        out.append("  " + " -> ".join(order) + " [style=invis];")
    index_of = {
        band.key: f"o{i}" for i, band in enumerate(b for b in diagram.rows if isinstance(b, Band))
    }
    for (a, b), count in sorted(between.items()):
        if a not in index_of or b not in index_of:
            continue
        out.append(
            f"  {index_of[a]} -> {index_of[b]} "
            + attr_list(
                {
                    "label": f" {count} ",
                    "penwidth": f"{min(8.0, 1 + count / 2):.1f}",
                    "color": "#4D4D4D",
                    "constraint": "false",
                }
            )
            + ";"
        )
    out.append("}")
    return "\n".join(out) + "\n"

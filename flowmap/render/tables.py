"""The tables under a diagram: its numbered findings and, on a poster, its metrics and maturity.

Written as HTML-like labels (:mod:`flowmap.render.dot_text`); the badges are those of the
diagram (:func:`flowmap.render.shapes.badge_cells`).
"""

from __future__ import annotations

from flowmap.render import style
from flowmap.render.dot_text import HTML, html
from flowmap.render.layout import Diagram
from flowmap.render.shapes import badge_cells
from flowmap.render.text import wrap

FINDING_COLUMN_WIDTH = 760.0  # points: badge, finding, suggestion
FINDINGS_PER_COLUMN = 12


def findings_table(diagram: Diagram, poster: bool, width: float = 0.0) -> HTML | str:
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
                    f'CELLPADDING="0"><TR>{badge_cells([m.number], markers)}</TR></TABLE>'
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
        parts.insert(0, f'<TD VALIGN="TOP">{metrics_table(diagram)}</TD>')
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


def metrics_table(diagram: Diagram) -> str:
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

"""The panel beside the lanes of a printed page: the findings that matter most, the metrics (on a
poster), and the key.

The findings come in the order of :func:`flowmap.analysis.rank` and carry the numbers of
the badges in the diagram; as many as fit are listed, then "+N more in the report". Text is
printed at :data:`TEXT_POINTS` or more, like the steps' names. Sizes are estimated with
:func:`flowmap.render.place.text_width` (Helvetica widths, a little generous).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flowmap.render import key, style
from flowmap.render.layout import Marker
from flowmap.render.text import wrap

TEXT_POINTS = 12.0
LINE = 12.5  # a line of 12 pt text as Graphviz sets it (12 pt apart in 2.43), and a little room
PAD = 10.0


@dataclass
class Panel:
    width: float
    height: float  # the room it is given on the page (points)
    findings: list[Marker] = field(default_factory=list)
    metrics: dict[str, Any] | None = None  # shown on a poster
    maturity: Any = None
    full: bool = True  # the suggestion under each finding
    findings_shown: bool = True  # False: the bare process (``--findings none``)

    def _chars(self) -> int:
        return max(20, int((self.width - 2 * PAD - 44) / (TEXT_POINTS * 0.55)))

    def _finding_rows(self, marker: Marker) -> tuple[str, float]:
        from flowmap.render.dot_text import html
        from flowmap.render.shapes import badge

        chars = self._chars()
        lines = [
            (f"<B>{html(marker.code)}</B> {html(marker.name)} <I>({html(marker.severity)})</I>")
        ]
        lines += [html(x) for x in wrap(marker.message, chars, 5)]
        if self.full and marker.suggestion:
            lines += [
                f'<FONT COLOR="{style.MUTED}">{html(x)}</FONT>'
                for x in wrap("→ " + marker.suggestion, chars, 4)
            ]
        text = '<BR ALIGN="LEFT"/>'.join(lines) + '<BR ALIGN="LEFT"/>'
        row = (
            f'<TR><TD VALIGN="TOP" ALIGN="LEFT">{badge(marker.number, marker.severity, marker.family)}'
            f'</TD><TD ALIGN="LEFT" VALIGN="TOP" BALIGN="LEFT">{text}</TD></TR>'
        )
        return row, len(lines) * LINE + 6

    def _metrics(self) -> tuple[str, float]:
        from flowmap.render.dot_text import html
        from flowmap.render.tables import POSTER_METRICS, metric_text

        if not self.metrics:
            return "", 0.0
        rows = [
            (
                '<TR><TD ALIGN="LEFT" COLSPAN="2"><FONT POINT-SIZE="15"><B>Metrics</B></FONT>'
                "</TD></TR>"
            )
        ]
        for name, text in POSTER_METRICS:
            if name in self.metrics:
                rows.append(
                    f'<TR><TD ALIGN="LEFT">{html(text)}</TD><TD ALIGN="RIGHT"><B>'
                    f"{html(metric_text(name, self.metrics[name]))}</B></TD></TR>"
                )
        if self.maturity is not None:
            rows.append(
                f'<TR><TD ALIGN="LEFT" COLSPAN="2">customer maturity: stage '
                f"{self.maturity.level} of 4, <B>{html(self.maturity.stage)}</B>"
                "</TD></TR>"
            )
        return "".join(rows), 22 + (len(rows) - 1) * (LINE + 3) + 10

    def draw(self, rect, pt, items: list[key.Entry]) -> list[str]:
        """DOT statements for the panel in ``rect``: findings and metrics at the top, the key at
        the bottom."""
        from flowmap.render.dot_text import HTML, attr_list
        from flowmap.render.geometry import Rect
        from flowmap.render.shapes import badge

        width = rect.x1 - rect.x0
        key_h = key.height(items, width)
        room = rect.y1 - rect.y0 - key_h - 2 * PAD
        metrics, used = self._metrics()
        rows = []
        if metrics:
            rows.append(
                f'<TR><TD COLSPAN="2"><TABLE BORDER="0" CELLSPACING="0" CELLPADDING="2" '
                f'WIDTH="{width - 2 * PAD:.0f}">{metrics}</TABLE></TD></TR>'
            )
        if self.findings_shown and self.findings:
            rows.append(
                '<TR><TD ALIGN="LEFT" COLSPAN="2"><FONT POINT-SIZE="15"><B>Findings, '
                "most important first</B></FONT></TD></TR>"
            )
            used += 24
            shown = 0
            for marker in self.findings:
                row, height = self._finding_rows(marker)
                if used + height > room - LINE - 8:
                    break
                rows.append(row)
                used += height
                shown += 1
            rest = len(self.findings) - shown
            if rest:
                rows.append(
                    f'<TR><TD ALIGN="LEFT" COLSPAN="2"><B>+{rest} more in the report'
                    "</B> (flowmap report or flowmap analyze)</TD></TR>"
                )
            used += LINE + 8
        out = []
        if rows:
            table = (
                '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="4" CELLPADDING="1" '
                'FIXEDSIZE="TRUE" '
                f'WIDTH="{width - 2 * PAD:.0f}" HEIGHT="{max(used, 20):.0f}">'
                + "".join(rows)
                + "</TABLE>"
            )
            out.append(
                "    panel "
                + attr_list(
                    {
                        "shape": "plaintext",
                        "label": HTML(table),
                        "fontsize": f"{TEXT_POINTS:g}",
                        "id": "findings",
                        "pos": pt((rect.x0 + rect.x1) / 2, rect.y0 + PAD + used / 2),
                        "width": f"{(width - 2 * PAD) / 72:.3f}",
                        "height": f"{used / 72:.3f}",
                    }
                )
                + ";"
            )
        if items:
            out += key.draw(
                items,
                Rect(rect.x0, rect.y1 - key_h, rect.x1, rect.y1),
                pt,
                lambda sev, fam: badge(None, sev, fam),
            )
        return out

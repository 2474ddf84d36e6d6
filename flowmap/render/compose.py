"""A page of paper from drawings made apart: the strips of a sheet stacked, the panel beside or
under them, all at one scale and centred, as one SVG page (converted to PDF or PNG by
:mod:`flowmap.render.rasterise`).

Each block is Graphviz's own SVG of one strip or panel, nested as an ``<svg>`` element with its
ids prefixed so that several share the page. Which strips share a sheet is chosen by
:mod:`flowmap.render.paging`; :mod:`flowmap.render.sheets` draws the blocks and calls
:func:`compose`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flowmap.render.page import MAX_ENLARGE
from flowmap.render.paging import STRIP_GAP

GAP = 36.0  # drawing points between the strips and the panel beside them


@dataclass
class Block:
    """One drawing on a sheet (a strip of the diagram, or a panel): DOT, then Graphviz's SVG."""

    dot: str
    size: tuple[float, float]  # estimated before drawing, points at scale 1
    svg: bytes = b""


@dataclass
class Sheet:
    strips: list[Block]
    panel: Block | None = None
    below: bool = False  # the panel under the strips, rather than beside them
    lines: tuple[str, ...] = field(default=())


_ROOT = re.compile(r"<svg\b[^>]*>")
_VIEWBOX = re.compile(r'viewBox="([^"]*)"')


def compose(sheet: Sheet, pw: float, ph: float, margin: float, floor: float) -> tuple[bytes, float]:
    """One page of ``pw`` x ``ph`` points with the sheet's blocks at one scale, centred; and
    that scale."""
    from flowmap.render.svg import size_points

    strips = [size_points(b.svg) for b in sheet.strips]
    col_w = max(w for w, _ in strips)
    col_h = sum(h for _, h in strips) + STRIP_GAP * (len(strips) - 1)
    width, height = col_w, col_h
    panel = size_points(sheet.panel.svg) if sheet.panel is not None else None
    if panel is not None and sheet.below:
        width, height = max(width, panel[0]), height + STRIP_GAP + panel[1]
    elif panel is not None:
        width, height = width + GAP + panel[0], max(height, panel[1])
    scale = min((pw - 2 * margin) / width, (ph - 2 * margin) / height, floor * MAX_ENLARGE)
    x0 = (pw - width * scale) / 2
    y0 = (ph - height * scale) / 2
    out = [
        (
            f'<svg width="{pw:.2f}pt" height="{ph:.2f}pt" viewBox="0 0 {pw:.2f} {ph:.2f}" '
            'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        ),
        f'<rect width="{pw:.2f}" height="{ph:.2f}" fill="white"/>',
    ]
    y = y0
    for index, (block, (_w, h)) in enumerate(zip(sheet.strips, strips, strict=True)):
        out.append(_nested(block.svg, x0, y, scale, f"s{index + 1}-" if index else ""))
        y += (h + STRIP_GAP) * scale
    if panel is not None and sheet.panel is not None:
        at = (
            (x0, y0 + (col_h + STRIP_GAP) * scale)
            if sheet.below
            else (x0 + (col_w + GAP) * scale, y0)
        )
        out.append(_nested(sheet.panel.svg, at[0], at[1], scale, "panel-"))
    out.append("</svg>")
    return "\n".join(out).encode("utf-8"), scale


def _nested(svg: bytes, x: float, y: float, scale: float, prefix: str) -> str:
    """``svg`` as an ``<svg>`` element at (x, y) of a page, ``scale`` times its size; its ids
    (and references to them) get ``prefix`` so that several share a page."""
    from flowmap.render.svg import inline, size_points

    w, h = size_points(svg)
    body = inline(svg, prefix)
    found = _VIEWBOX.search(body)
    view = found.group(1) if found else f"0 0 {w:.2f} {h:.2f}"
    tag = (
        f'<svg x="{x:.2f}" y="{y:.2f}" width="{w * scale:.2f}" height="{h * scale:.2f}" '
        f'viewBox="{view}">'
    )
    return _ROOT.sub(lambda _: tag, body, count=1)

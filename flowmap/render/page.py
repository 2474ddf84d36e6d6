"""Sheets of paper (sizes from :mod:`flowmap.paper`), and the share of a sheet the panel beside
the lanes takes.

How drawings are fitted on a sheet: :mod:`flowmap.render.sheets`.
"""

from __future__ import annotations

# re-exported: the renderer and its tests read them here
from flowmap.paper import ORDER as ORDER
from flowmap.paper import PAPER as PAPER
from flowmap.paper import paper_name as paper_name


def paper_points(paper: str, landscape: bool) -> tuple[float, float]:
    w, h = PAPER[paper]
    if landscape:
        w, h = h, w
    return w * 72, h * 72


MAX_ENLARGE = 2.0  # a small drawing is enlarged to fill the page, up to this factor
PANEL_SHARE = 0.3  # of the page's width, for the findings, metrics and key beside the lanes
PANEL_MIN, PANEL_MAX = 380.0, 900.0


def panel_width(room_width: float) -> float:
    return max(PANEL_MIN, min(PANEL_MAX, PANEL_SHARE * room_width))


def paper_of(width: float, height: float) -> str:
    """The name of the paper a page of ``width`` x ``height`` points is (either way round), or
    its size in points when it is none of :data:`PAPER`."""
    for name, (w, h) in PAPER.items():
        if abs(max(width, height) - h * 72) < 3 and abs(min(width, height) - w * 72) < 3:
            return name
    return f"{width:.0f} × {height:.0f} pt"

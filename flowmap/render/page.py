"""Paper sizes, and fitting a page's drawing on the paper so that step names stay readable."""

from __future__ import annotations

from dataclasses import dataclass

from flowmap.errors import UsageError

# Portrait width and height in inches.
PAPER: dict[str, tuple[float, float]] = {
    "A4": (8.27, 11.69), "A3": (11.69, 16.54), "A2": (16.54, 23.39), "A1": (23.39, 33.11),
    "A0": (33.11, 46.81), "letter": (8.5, 11.0), "tabloid": (11.0, 17.0),
}
# From small to large, for proposing the next size.
ORDER = ("A4", "letter", "A3", "tabloid", "A2", "A1", "A0")


def paper_name(name: str) -> str:
    for known in PAPER:
        if known.lower() == name.strip().lower():
            return known
    raise UsageError(f"unknown paper size {name!r}; use one of {', '.join(PAPER)}")


@dataclass(frozen=True)
class Fit:
    paper: str
    landscape: bool
    scale: float  # drawing points -> printed points
    graph_attrs: dict[str, str]
    extra: tuple[float, float]  # blank room (points) to add around the drawing
    warning: str = ""


def paper_points(paper: str, landscape: bool) -> tuple[float, float]:
    w, h = PAPER[paper]
    if landscape:
        w, h = h, w
    return w * 72, h * 72


def scale_on(width: float, height: float, paper: str, landscape: bool, margin: float) -> float:
    pw, ph = paper_points(paper, landscape)
    room_w, room_h = pw - 2 * margin * 72, ph - 2 * margin * 72
    if room_w <= 0 or room_h <= 0:
        raise UsageError(f"margins of {margin} in leave no room on {paper}")
    return min(room_w / width, room_h / height)


MAX_ENLARGE = 2.0  # a small drawing is enlarged to fill the page, up to this factor
PANEL_SHARE = 0.3  # of the page's width, for the findings, metrics and key beside the lanes
PANEL_MIN, PANEL_MAX = 380.0, 900.0


def panel_width(room_width: float) -> float:
    return max(PANEL_MIN, min(PANEL_MAX, PANEL_SHARE * room_width))


def fill(width: float, height: float, paper: str, landscape: bool, margin: float,
         floor: float) -> Fit:
    """Fit a drawing of ``width`` x ``height`` points on one page of ``paper``, filling it.

    The scale is the largest that fits (a small drawing is enlarged up to :data:`MAX_ENLARGE`
    times ``floor``); blank room is added so that the page is exactly the paper size, with the
    drawing centred. ``floor`` is the smallest scale at which step names print at the minimum
    size; a drawing that fits only below it carries a warning.
    """
    paper = paper_name(paper)
    pw, ph = paper_points(paper, landscape)
    scale = min(scale_on(width, height, paper, landscape, margin), floor * MAX_ENLARGE)
    extra = (max(0.0, pw / scale - width), max(0.0, ph / scale - height))
    warning = ""
    if scale < floor * 0.999:
        from flowmap.render.place import FONT_SIZE

        warning = (f"one column of this process is too tall for {paper}"
                   f"{' landscape' if landscape else ''}: step names print at "
                   f"{FONT_SIZE * scale:.1f} pt, below {FONT_SIZE * floor:.1f} pt; use a larger "
                   "--paper or --min-points")
    attrs = {"size": f"{pw / 72:.3f},{ph / 72:.3f}!", "pad": "0", "margin": "0"}
    return Fit(paper, landscape, scale, attrs, extra, warning)


def poster_paper(diagram, wrap_width: int, min_points: float, margin: float) -> tuple[str, bool]:
    """The smallest landscape paper (A0 at most) that holds the whole diagram on one page, with
    the panel beside it, names at ``min_points``; A0 landscape when none does (then in pages)."""
    from flowmap.render.dot import value_tag
    from flowmap.render.place import FONT_SIZE, place
    from flowmap.render.style import UNVALUED

    tags = {n.id: value_tag(n) for n in diagram.nodes if n.kind not in UNVALUED}
    where = place(diagram, wrap_width=wrap_width, tags=tags)
    floor = min_points / FONT_SIZE
    for name in ORDER:
        pw, ph = paper_points(name, True)
        room_w, room_h = (pw - 2 * margin * 72) / floor, (ph - 2 * margin * 72) / floor
        if where.width + panel_width(room_w) <= room_w and where.height <= room_h:
            return name, True
    return "A0", True

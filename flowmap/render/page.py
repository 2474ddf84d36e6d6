"""Paper sizes, and fitting a diagram on a page so that its labels stay readable."""

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
NAME_POINTS = 10.0  # the size of a step's name in the drawing
MIN_PRINTED_POINTS = 5.5  # below this a name cannot be read on paper


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


def fit(width: float, height: float, paper: str, landscape: bool, margin: float) -> Fit:
    """Fit a drawing of ``width`` x ``height`` points on one page of ``paper``, exactly.

    The drawing is scaled down to fit (never up: a small diagram keeps its size and is centred),
    and blank room is added so that the output page is exactly the paper size. When names would
    print smaller than :data:`MIN_PRINTED_POINTS`, the fit carries a warning proposing the
    smallest paper (and orientation) on which they would not.
    """
    paper = paper_name(paper)
    pw, ph = paper_points(paper, landscape)
    scale = min(1.0, scale_on(width, height, paper, landscape, margin))
    # The canvas, in drawing points, that scaled by ``scale`` is exactly the paper: the margins
    # and any blank room are part of the drawing (Graphviz's own pad and margin are set to 0).
    extra = (max(0.0, pw / scale - width), max(0.0, ph / scale - height))
    warning = ""
    if NAME_POINTS * scale < MIN_PRINTED_POINTS:
        warning = (f"{paper}{' landscape' if landscape else ''} is too small for this diagram: "
                   f"step names would print at {NAME_POINTS * scale:.1f} pt. "
                   + propose(width, height, margin))
    attrs = {"size": f"{pw / 72:.3f},{ph / 72:.3f}!", "pad": "0", "margin": "0"}
    return Fit(paper, landscape, scale, attrs, extra, warning)


def smallest(width: float, height: float, margin: float) -> tuple[str, bool]:
    """The smallest paper (and orientation) on which names stay readable; A0 at most."""
    for name in ORDER:
        for landscape in (width > height, width <= height):
            if NAME_POINTS * min(1.0, scale_on(width, height, name, landscape, margin)) \
                    >= MIN_PRINTED_POINTS:
                return name, landscape
    return "A0", width > height


def propose(width: float, height: float, margin: float) -> str:
    for name in ORDER:
        for landscape in (width > height, width <= height):
            if NAME_POINTS * min(1.0, scale_on(width, height, name, landscape, margin)) \
                    >= MIN_PRINTED_POINTS:
                return f"Use --paper {name}{' --landscape' if landscape else ''}."
    return ("Even A0 is too small: render the overview (--overview) and one page per "
            "function, or print on a plotter roll as SVG.")

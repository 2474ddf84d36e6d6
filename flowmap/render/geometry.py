"""The measures and shapes of a placed diagram: sizes in drawing points, and the boxes,
rectangles and routes :mod:`flowmap.render.place` and :mod:`flowmap.render.routes` fill in.

Coordinates run downwards (y = 0 at the top), in points.
"""

from __future__ import annotations

from dataclasses import dataclass, field

FONT_SIZE = 12.0  # a step's name, in drawing points (printed at this size at scale 1)
TAG_SIZE = 9.0  # the line under the name: value and times
LINE = 14.5  # line height of a step's name
HEADER_WIDTH = 118.0  # the column of lane titles on the left
BAND_TITLE = 20.0  # room for a band's name at its top
LANE_PAD = 10.0  # above and below the steps of a lane (the gutters run here)
ROW_GAP = 16.0  # between two stacked steps of one lane
GAP = 34.0  # between two columns
LINE_ROW = 24.0  # a line of interaction / visibility
MARGIN = 12.0
TITLE = 50.0  # room for the title at the top
ARROW = 7.0  # length of an arrowhead (arrowsize 0.75)
TRACK = 4.0  # distance between parallel runs of flows


@dataclass
class Box:
    x: float  # centre
    y: float
    w: float
    h: float

    @property
    def left(self) -> float:
        return self.x - self.w / 2

    @property
    def right(self) -> float:
        return self.x + self.w / 2


@dataclass
class Rect:
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass
class Route:
    points: list[tuple[float, float]]  # a cubic B-spline: p0, then (c1, c2, p) triples
    tip: tuple[float, float]  # where the arrowhead points
    label_at: tuple[float, float] | None = None


@dataclass
class Placement:
    width: float
    height: float
    nodes: dict[str, Box] = field(default_factory=dict)
    bands: dict[str, Rect] = field(default_factory=dict)  # by band index "b0"
    lanes: dict[str, Rect] = field(default_factory=dict)  # by lane key
    heads: dict[str, Box] = field(default_factory=dict)  # lane titles, by lane key
    lines: dict[str, Rect] = field(default_factory=dict)  # by line key
    routes: dict[str, Route] = field(default_factory=dict)  # by edge id
    columns: int = 0
    legend: Rect | None = None
    side: Rect | None = None  # the panel beside the lanes (findings, metrics, key)
    repeats: list[float] = field(default_factory=list)  # x of lane titles repeated on the way

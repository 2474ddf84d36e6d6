"""Routing flows between placed steps: to the next column an S-curve through the gap between
the two columns; further, or back (loops), along the gutters between rows and the gaps between
columns, never through a step. Parallel runs in one gutter or gap keep apart on tracks.
"""

from __future__ import annotations

from bisect import bisect_right

from flowmap.render.geometry import ARROW, HEADER_WIDTH, LANE_PAD, ROW_GAP, TRACK, Placement, Route


class _Tracks:
    """Parallel runs in one gutter or gap get their own offset so they do not overlap."""

    OFFSETS = (0.0, -TRACK, TRACK, -2 * TRACK, 2 * TRACK, -3 * TRACK, 3 * TRACK)

    def __init__(self) -> None:
        self.used: dict[tuple, list[list[tuple[float, float]]]] = {}

    def take(self, key: tuple, lo: float, hi: float) -> float:
        lo, hi = min(lo, hi), max(lo, hi)
        tracks = self.used.setdefault(key, [[] for _ in self.OFFSETS])
        for i, spans in enumerate(tracks):
            if all(hi < a - 2 or lo > b + 2 for a, b in spans):
                spans.append((lo, hi))
                return self.OFFSETS[i]
        tracks[0].append((lo, hi))
        return 0.0


def route_all(
    diagram, placement, col, col_left, col_right, gap, row_of, row_span, label_width
) -> None:
    """A route for every flow of ``diagram`` into ``placement.routes``; ``label_width(edge)``
    is the room its label and badges take on the way (points)."""
    gutters = _Tracks()
    vertical = _Tracks()
    nodes = placement.nodes
    occupied: dict[tuple[str, int], list[int]] = {}
    for nid, (lane, sub) in row_of.items():
        occupied.setdefault((lane, sub), []).append(col[nid])
    for edge in diagram.edges:
        u, v = nodes[edge.source], nodes[edge.target]
        cu, cv = col[edge.source], col[edge.target]
        start = (u.right, u.y)
        tip = (v.left, v.y)
        end = (v.left - ARROW, v.y)
        label_w = label_width(edge)
        if cv == cu and not edge.back and u.x == v.x:  # a shared column: straight up or down
            down = v.y > u.y
            start = (u.x, u.y + (u.h if down else -u.h) / 2)
            tip = (v.x, v.y - (v.h if down else -v.h) / 2)
            end = (v.x, tip[1] - (ARROW if down else -ARROW))
            label = (u.x + 8 + label_w / 2, (start[1] + end[1]) / 2) if label_w else None
            placement.routes[edge.id] = Route(_straight(start, end), tip, label)
            continue
        # Lane titles repeated between the two columns: the flow goes round them along a
        # gutter (a straight run or an S-curve through that room would cross the titles).
        after = bisect_right(placement.repeats, col_right[min(cu, cv)])  # repeats run left to right
        titles_between = (
            after < len(placement.repeats) and placement.repeats[after] < col_left[max(cu, cv)]
        )
        if cv == cu + 1 and not titles_between:
            a = (col_right[cu], u.y)
            z = (col_left[cv], v.y)
            points = _straight(start, a) + _s_curve(a, z)[1:] + _straight(z, end)[1:]
            label = ((a[0] + z[0]) / 2, (a[1] + z[1]) / 2) if label_w else None
            placement.routes[edge.id] = Route(points, tip, label)
            continue
        same_row = row_of[edge.source] == row_of[edge.target]
        if (
            cv > cu + 1
            and same_row
            and not titles_between
            and not any(cu < c < cv for c in occupied.get(row_of[edge.source], []))
        ):
            points = _straight(start, end)
            label = (col_right[cu] + 6 + label_w / 2, u.y) if label_w else None
            placement.routes[edge.id] = Route(points, tip, label)
            continue
        # Along a gutter: out into the gap right of the source, across, into the gap left of
        # the target.
        gx_out = col_right[cu] + 12
        gx_in = (col_left[cv] if cv < len(col_left) else u.left) - 12
        gy = _gutter(row_of[edge.target], row_span, u.y, v.y, same_row)
        if titles_between or edge.back:  # a gutter where no repeated title is written
            gy = next(
                (
                    y
                    for y in (
                        gy,
                        *_gutters(row_of[edge.target], row_span),
                        *_gutters(row_of[edge.source], row_span),
                    )
                    if _clear_of_titles(y, gx_out, gx_in, placement)
                ),
                gy,
            )
        gy += gutters.take(("h", round(gy)), gx_out, gx_in)
        gx_out += abs(vertical.take(("v", cu, "out"), u.y, gy))
        gx_in -= abs(vertical.take(("v", cv, "in"), gy, v.y))
        polyline = [start, (gx_out, u.y), (gx_out, gy), (gx_in, gy), (gx_in, v.y), end]
        points = _rounded(polyline)
        label = (gx_out + 10 + label_w / 2, gy) if label_w else None
        placement.routes[edge.id] = Route(points, tip, label)


def _gutters(row, row_span) -> tuple[float, float]:
    """The gutters just above and just below ``row``."""
    top, bottom = row_span[row]
    return top - min(LANE_PAD, ROW_GAP) / 2, bottom + min(LANE_PAD, ROW_GAP) / 2


def _clear_of_titles(y: float, x0: float, x1: float, placement: Placement) -> bool:
    """Whether a run at height ``y`` from ``x0`` to ``x1`` misses the lane titles repeated
    on the way (with room for the tracks beside it)."""
    lo, hi = sorted((x0, x1))
    rooms = [x for x in placement.repeats if lo < x + HEADER_WIDTH and x < hi]
    return not rooms or all(
        abs(y - head.y) >= head.h / 2 + 3 * TRACK for head in placement.heads.values()
    )


def _gutter(target_row, row_span, sy, ty, same_row) -> float:
    top, bottom = row_span[target_row]
    if same_row or sy > ty:
        return bottom + min(LANE_PAD, ROW_GAP) / 2
    return top - min(LANE_PAD, ROW_GAP) / 2


def _straight(a, b) -> list[tuple[float, float]]:
    return [a, _lerp(a, b, 1 / 3), _lerp(a, b, 2 / 3), b]


def _s_curve(a, b) -> list[tuple[float, float]]:
    d = (b[0] - a[0]) / 2
    return [a, (a[0] + d, a[1]), (b[0] - d, b[1]), b]


def _lerp(a, b, t):
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def _rounded(polyline: list[tuple[float, float]], radius: float = 8.0) -> list[tuple[float, float]]:
    """A polyline with rounded corners, as a cubic B-spline (p0, then triples)."""
    pts = [polyline[0]]
    for p in polyline[1:]:
        if abs(p[0] - pts[-1][0]) > 0.01 or abs(p[1] - pts[-1][1]) > 0.01:
            pts.append(p)
    # Drop the middle of three points on one straight line.
    clean = [pts[0]]
    for i in range(1, len(pts) - 1):
        a, b, c = clean[-1], pts[i], pts[i + 1]
        if abs((b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0])) > 0.01:
            clean.append(b)
    clean.append(pts[-1])
    if len(clean) == 2:
        return _straight(clean[0], clean[1])
    out = [clean[0]]
    here = clean[0]
    for i in range(1, len(clean) - 1):
        a, b, c = clean[i - 1], clean[i], clean[i + 1]
        r = min(radius, _dist(a, b) / 2, _dist(b, c) / 2)
        p = _towards(b, a, r)
        q = _towards(b, c, r)
        out += _straight(here, p)[1:]
        out += [_lerp(p, b, 0.55), _lerp(q, b, 0.55), q]
        here = q
    out += _straight(here, clean[-1])[1:]
    return out


def _dist(a, b) -> float:
    return ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5


def _towards(a, b, r):
    d = _dist(a, b)
    if d == 0:
        return a
    return (a[0] + (b[0] - a[0]) * r / d, a[1] + (b[1] - a[1]) * r / d)

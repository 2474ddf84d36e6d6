"""Where the labels of flows go: never on another label, never crossed by another flow.

A decision's branches are labelled ("yes", "no", "PEP?"); a label is first put where its flow
leaves the gap after its source, then moved down or up along its side until no other label
overlaps it and no segment of another flow runs through it. Flows' segments are indexed by
vertical strips so that this stays linear in practice on large processes.
"""

from __future__ import annotations

import itertools

BUCKET = 120.0  # points: width of the vertical strips that index the flows' segments


def separate_labels(diagram, placement, label_width) -> None:
    """Move each flow's label (a decision's "yes", "no") until it overlaps no other label and no
    other flow crosses it: down, up, then further, along its own flow's side."""
    strips: dict[int, list[tuple[str, float, float, float, float]]] = {}
    for edge_id, route in placement.routes.items():
        points = [*_along(route.points), route.tip]
        for (x0, y0), (x1, y1) in itertools.pairwise(points):
            for k in range(int(min(x0, x1) // BUCKET), int(max(x0, x1) // BUCKET) + 1):
                strips.setdefault(k, []).append((edge_id, x0, y0, x1, y1))

    def crossed(edge_id: str, x: float, y: float, w: float, h: float) -> bool:
        box = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
        for k in range(int(box[0] // BUCKET), int(box[2] // BUCKET) + 1):
            for other, x0, y0, x1, y1 in strips.get(k, ()):
                if other != edge_id and _segment_hits(box, x0, y0, x1, y1):
                    return True
        return False

    placed: list[tuple[float, float, float, float]] = []
    for edge in diagram.edges:
        route = placement.routes[edge.id]
        if route.label_at is None:
            continue
        w, h = label_width(edge) + 4, 14.0
        x0, y0 = route.label_at
        best = (x0, y0)
        own = _along(route.points)
        spots = [(x0, y0 + dy) for dy in (0, h, -h, 2 * h, -2 * h, 3 * h, 4 * h, -3 * h)]
        spots += [own[i] for i in range(len(own) // 4, len(own))]  # further along its flow
        spots += [(px, py + dy) for px, py in own[len(own) // 4 :] for dy in (h, -h)]
        for x, y in spots:
            if any(
                abs(x - px) < (w + pw) / 2 and abs(y - py) < (h + ph) / 2
                for px, py, pw, ph in placed
            ):
                continue
            if not crossed(edge.id, x, y, w, h):
                best = (x, y)
                break
        placed.append((*best, w, h))
        route.label_at = best


def _segment_hits(box, x0: float, y0: float, x1: float, y1: float) -> bool:
    """Whether the segment (x0, y0)-(x1, y1) meets the rectangle ``box`` (Liang-Barsky)."""
    left, top, right, bottom = box
    t0, t1 = 0.0, 1.0
    dx, dy = x1 - x0, y1 - y0
    for p, q in ((-dx, x0 - left), (dx, right - x0), (-dy, y0 - top), (dy, bottom - y0)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True


def _along(points, steps: int = 8) -> list[tuple[float, float]]:
    """Points along a cubic B-spline given as p0, then triples of control points."""
    out = [points[0]]
    for i in range(0, len(points) - 3, 3):
        p0, p1, p2, p3 = points[i : i + 4]
        if p1 == p0 or _on_line(p0, p1, p2, p3):  # straight: its ends are enough
            out.append(p3)
            continue
        for k in range(1, steps + 1):
            t = k / steps
            u = 1 - t
            out.append(
                (
                    u**3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t**3 * p3[0],
                    u**3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t**3 * p3[1],
                )
            )
    return out


def _on_line(a, b, c, d) -> bool:
    return all(
        abs((q[0] - a[0]) * (d[1] - a[1]) - (q[1] - a[1]) * (d[0] - a[0])) < 0.01 for q in (b, c)
    )

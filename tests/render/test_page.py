from __future__ import annotations

import itertools

import pytest

from flowmap.errors import UsageError
from flowmap.render.compose import Block, Sheet, compose
from flowmap.render.page import MAX_ENLARGE, PAPER, paper_name, paper_points


def drawing(width: float, height: float, mark: str = "a") -> bytes:
    """An SVG the size Graphviz would write, with one id."""
    return (
        f'<?xml version="1.0"?>\n<svg width="{width}pt" height="{height}pt" viewBox="0.00 '
        f'0.00 {width:.2f} {height:.2f}" xmlns="http://www.w3.org/2000/svg"><g id="{mark}">'
        f'<rect width="{width}" height="{height}"/></g></svg>'
    ).encode()


def sheet(*sizes: tuple[float, float]) -> Sheet:
    return Sheet([Block("", size, drawing(*size)) for size in sizes])


def test_page_is_exactly_the_paper_and_a_small_drawing_is_enlarged_up_to_a_limit():
    svg, scale = compose(sheet((100, 80)), *paper_points("A4", False), 28.8, 1.0)
    assert scale == MAX_ENLARGE
    w, h = PAPER["A4"]
    assert svg.startswith(f'<svg width="{w * 72:.2f}pt" height="{h * 72:.2f}pt"'.encode())


def test_strips_share_a_sheet_at_one_scale_with_their_ids_kept_apart():
    svg, scale = compose(sheet((1000, 300), (900, 300)), *paper_points("A3", True), 28.8, 1.0)
    assert scale == pytest.approx((16.54 * 72 - 57.6) / 1000)
    assert svg.count(b"<svg ") == 3 and b'id="a"' in svg and b'id="s2-a"' in svg


def test_a_drawing_that_fits_only_below_the_floor_has_a_smaller_scale():
    assert compose(sheet((4000, 1500)), *paper_points("A4", True), 28.8, 1.0)[1] < 1


def test_paper_names():
    assert paper_name("a3") == "A3"
    with pytest.raises(UsageError):
        paper_name("B5")


def test_no_text_of_the_key_runs_into_the_next_entry():
    import re

    from flowmap.analysis import analyze
    from flowmap.loaders import load_any
    from flowmap.render import key, layout
    from flowmap.render.place import Rect, text_width
    from tests.render.conftest import PROCESSES

    process = load_any(PROCESSES / "insurance-claim" / "as-is.flow.yaml")
    items = key.entries(layout.build(process, analyze(process)), pages=True)
    assert any(len(item.text) > 45 for item in items)  # long texts, as in the key of a handout
    lines = key.draw(items, Rect(0, 0, 1088, 400), lambda x, y: f"{x:.1f},{y:.1f}", lambda *a: "")
    left, right, row_of = {}, {}, {}  # entry -> its sample's left edge, its text's right edge
    for line in lines:
        found = re.search(r'^\s+(kt|k|key_a)(\d+) .*pos="([0-9.]+),([0-9.]+)"', line)
        if not found:
            continue
        part, index, x, y = found.group(1), int(found.group(2)), *map(float, found.groups()[2:])
        row_of[index] = round(y)
        if part == "kt":
            right[index] = x + text_width(items[index].text, key.KEY_POINTS) / 2
        else:
            left[index] = x - (key.SAMPLE / 2 if part == "k" else 0)
    assert set(left) == set(right) == set(range(len(items)))
    placed: dict[int, list[tuple[float, float]]] = {}
    for index in sorted(left):
        placed.setdefault(row_of[index], []).append((left[index], right[index]))
    for spans in placed.values():
        for (_, end), (start, _) in itertools.pairwise(spans):
            assert end < start, (end, start)

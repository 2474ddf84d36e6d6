from __future__ import annotations

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

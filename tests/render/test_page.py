from __future__ import annotations

import pytest

from flowmap.errors import UsageError
from flowmap.render.page import MAX_ENLARGE, PAPER, fill, paper_name


def test_page_is_exactly_the_paper_and_a_small_drawing_is_enlarged_up_to_a_limit():
    result = fill(100, 80, "A4", False, 0.4, 1.0)
    assert result.scale == MAX_ENLARGE and not result.warning
    w, h = PAPER["A4"]
    assert result.graph_attrs["size"] == f"{w:.3f},{h:.3f}!"
    assert result.extra == pytest.approx((w * 72 / MAX_ENLARGE - 100, h * 72 / MAX_ENLARGE - 80))


def test_a_drawing_that_fits_only_below_the_floor_says_so():
    result = fill(4000, 1500, "A4", True, 0.4, 1.0)
    assert result.scale < 1 and "below 12.0 pt" in result.warning
    assert not fill(1000, 500, "A3", True, 0.4, 1.0).warning


def test_paper_names():
    assert paper_name("a3") == "A3"
    with pytest.raises(UsageError):
        paper_name("B5")

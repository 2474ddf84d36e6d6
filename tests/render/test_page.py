from __future__ import annotations

import pytest

from flowmap.errors import UsageError
from flowmap.render.page import PAPER, fit, paper_name, smallest


def test_small_drawing_is_centred_at_full_size_on_the_exact_page():
    result = fit(400, 300, "A4", False, 0.4)
    assert result.scale == 1.0 and not result.warning
    w, h = PAPER["A4"]
    assert result.graph_attrs["size"] == f"{w:.3f},{h:.3f}!"
    assert result.extra == pytest.approx((w * 72 - 400, h * 72 - 300))


def test_too_small_page_says_so_and_proposes_a_larger_one():
    result = fit(4000, 1500, "A4", True, 0.4)
    assert "too small" in result.warning
    proposal = result.warning.split("Use --paper ")[1]
    name = proposal.split()[0].rstrip(".")
    assert name in ("A2", "A1", "A0") and "--landscape" in proposal
    assert fit(4000, 1500, name, True, 0.4).warning == ""


def test_smallest_and_names():
    assert smallest(500, 300, 0.4) == ("A4", True)
    assert paper_name("a3") == "A3"
    with pytest.raises(UsageError):
        paper_name("B5")

"""PNG pages: the same pixels Cairo draws, marked with their resolution."""

from __future__ import annotations

import io

import pytest

from flowmap.render import rasterise

PIL = pytest.importorskip("PIL.Image", reason="Pillow is not installed")

PAGE = (b'<svg width="72pt" height="36pt" viewBox="0 0 72 36" '
        b'xmlns="http://www.w3.org/2000/svg"><rect width="72" height="36" fill="white"/>'
        b'<rect x="4" y="4" width="30" height="20" fill="#B84300"/>'
        b'<text x="40" y="20" font-size="9" fill="#1A1A1A">Ab</text>'
        b'<circle cx="60" cy="28" r="5" fill="#A9DDC9" stroke="#006B4F"/></svg>')


def test_png_has_cairos_pixels_and_its_dpi():
    cairosvg = pytest.importorskip("cairosvg")
    ours = PIL.open(io.BytesIO(rasterise.to_png(PAGE, 150)))
    theirs = PIL.open(io.BytesIO(cairosvg.svg2png(bytestring=PAGE, dpi=150))).convert("RGB")
    assert ours.size == theirs.size == (150, 75)
    assert ours.mode == "RGB" and round(ours.info["dpi"][0]) == 150
    assert list(ours.getdata()) == list(theirs.getdata())
    assert ours.getpixel((20, 20)) == (0xB8, 0x43, 0x00)  # not blue: the channels are in order


def _sheet(width_pt: float, height_pt: float) -> bytes:
    return (f'<svg width="{width_pt}pt" height="{height_pt}pt" '
            f'viewBox="0 0 {width_pt} {height_pt}"></svg>').encode()


@pytest.mark.parametrize(("width", "height", "asked", "expected"), [
    # A0 at 600 dpi: 558 million pixels, about 8 GB while encoding (issue 14): 150 million at most
    (2384, 3370, 600, int(72 * (150e6 / (2384 * 3370)) ** 0.5)),
    (100000, 100, 300, int(32000 * 72 / 100000)),  # a strip longer than Cairo can draw
    (842, 1191, 600, 600),  # A3 at 600 dpi (56 million pixels): drawn as asked
])
def test_png_resolution_is_bounded_by_side_and_area(width, height, asked, expected):
    assert rasterise.png_dpi(_sheet(width, height), asked) == expected

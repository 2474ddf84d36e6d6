"""PNG pages: the same pixels Cairo draws, marked with their resolution."""

from __future__ import annotations

import io

import pytest

from flowmap.render import png_file, rasterise
from tests.render.conftest import needs_dot

PIL = pytest.importorskip("PIL.Image", reason="Pillow is not installed")

PAGE = (
    b'<svg width="72pt" height="36pt" viewBox="0 0 72 36" '
    b'xmlns="http://www.w3.org/2000/svg"><rect width="72" height="36" fill="white"/>'
    b'<rect x="4" y="4" width="30" height="20" fill="#B84300"/>'
    b'<text x="40" y="20" font-size="9" fill="#1A1A1A">Ab</text>'
    b'<circle cx="60" cy="28" r="5" fill="#A9DDC9" stroke="#006B4F"/></svg>'
)


def test_png_has_cairos_pixels_and_its_dpi():
    cairosvg = pytest.importorskip("cairosvg")
    ours = PIL.open(io.BytesIO(rasterise.to_png(PAGE, 150)))
    theirs = PIL.open(io.BytesIO(cairosvg.svg2png(bytestring=PAGE, dpi=150))).convert("RGB")
    assert ours.size == theirs.size == (150, 75)
    assert ours.mode == "RGB" and round(ours.info["dpi"][0]) == 150
    assert ours.tobytes() == theirs.tobytes()  # same size and mode (RGB): the same pixels
    assert ours.getpixel((20, 20)) == (0xB8, 0x43, 0x00)  # not blue: the channels are in order


@needs_dot
def test_a_sheet_graphviz_draws_as_pdf_becomes_a_png_of_its_size_and_colours():
    from flowmap.render.graphviz_run import run_dot

    pypdfium2 = pytest.importorskip("pypdfium2")
    source = (
        'digraph g { graph [bb="0,0,144,72", pad="0"]; '
        'a [shape=box, style=filled, fillcolor="#B84300", color="#B84300", '
        'pos="36,36", width=1, height=1, fixedsize=true, label=""]; }'
    )
    pdf = run_dot(source, ["pdf"]).outputs["pdf"]
    png, dpi = rasterise.pdf_to_png(pdf, 144)
    image = PIL.open(io.BytesIO(png))
    assert dpi == 144 and round(image.info["dpi"][0]) == 144
    assert image.mode == "RGB"
    width, height = image.size
    points = pypdfium2.PdfDocument(pdf)[0].get_size()
    assert (width, height) == tuple(round(p * 2) for p in points)  # 144 dpi is 2 px a point
    assert image.getpixel((72, height // 2)) == (0xB8, 0x43, 0x00)  # inside the box, in order
    assert image.getpixel((width - 10, height // 2)) == (255, 255, 255)  # white beside it


@needs_dot
def test_a_sheet_drawn_in_bands_has_the_pixels_of_one_drawing(monkeypatch):
    """PDFium draws a tall page a band of rows at a time: the bands meet without a seam."""
    from PIL import ImageChops

    from flowmap.render.graphviz_run import run_dot

    pypdfium2 = pytest.importorskip("pypdfium2")
    boxes = " ".join(
        f'b{i} [shape=box, style=filled, fillcolor="#0072B2", pos="{36 + 20 * i},{30 + 47 * i}", '
        f'width=0.5, height=0.7, fixedsize=true, label="{i}"];'
        for i in range(8)
    )
    source = f'digraph g {{ graph [bb="0,0,220,400", pad="0"]; {boxes} }}'
    pdf = run_dot(source, ["pdf"]).outputs["pdf"]
    monkeypatch.setattr(rasterise, "BAND_ROWS", 37)  # bands cut through every box
    png, dpi = rasterise.pdf_to_png(pdf, 144)
    assert dpi == 144
    ours = PIL.open(io.BytesIO(png))
    whole = pypdfium2.PdfDocument(pdf)[0].render(scale=2, draw_annots=False).to_pil()
    assert ours.size == whole.size
    difference = ImageChops.difference(ours, whole.convert("RGB")).convert("L")
    assert max(difference.getextrema()) <= 48  # anti-aliasing may differ by a shade at a cut
    assert sum(difference.histogram()[9:]) < 0.001 * ours.size[0] * ours.size[1]


def test_the_png_is_the_same_without_isal(monkeypatch):
    """ISA-L only writes faster: with plain zlib the pixels and the size are the same."""
    import builtins

    pixels = bytes(range(256)) * 3 * 4  # 4 rows of 256 RGB pixels
    fast = png_file.png_bytes(pixels, 256, 4, 768, 72)
    real_import = builtins.__import__

    def no_isal(name, *args, **kwargs):
        if name.startswith("isal"):
            raise ImportError("no isal here")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_isal)
    slow = png_file.png_bytes(pixels, 256, 4, 768, 72)
    assert png_file.deflater().__name__ == "zlib"
    for data in (fast, slow):
        image = PIL.open(io.BytesIO(data))
        assert image.size == (256, 4) and image.tobytes() == pixels


def test_a_pdf_pdfium_cannot_read_is_a_render_error_not_a_crash():
    from flowmap.render.graphviz_run import RenderError

    pytest.importorskip("pypdfium2_raw")
    with pytest.raises(RenderError, match="PDFium cannot read"):
        rasterise.pdf_to_png(b"%PDF-1.5 not really", 96)


@needs_dot
def test_outlined_rectangles_are_filled_as_blocks_with_the_same_picture():
    """A filled and outlined rectangle (a lane, a box) is split into a fill under its outline,
    which PDFium paints faster: the boxes keep their order and colours, edges within a shade."""
    import ctypes

    from PIL import ImageChops

    from flowmap.render.graphviz_run import run_dot

    pypdfium2 = pytest.importorskip("pypdfium2")
    source = (
        'digraph g { graph [bb="0,0,200,120", pad="0"]; node [shape=box, style=filled, '
        'fixedsize=true, label="", penwidth=2]; '
        'lane [fillcolor="#F4F4F4", color="#5A5A5A", pos="100,60", width=2.6, height=1.4]; '
        'under [fillcolor="#0072B2", color="#000000", pos="80,60", width=1, height=1]; '
        'over [fillcolor="#E69F00", color="#B84300", pos="120,60", width=1, height=1]; '
        'round [style="filled,rounded", fillcolor="#A9DDC9", pos="170,20", width=0.4]; }'
    )
    pdf = run_dot(source, ["pdf"]).outputs["pdf"]
    pdfium = rasterise._pdfium()
    data = ctypes.create_string_buffer(pdf, len(pdf))
    document = pdfium.FPDF_LoadMemDocument(data, len(pdf), None)
    page = pdfium.FPDF_LoadPage(document, 0)
    try:
        if not hasattr(pdfium, "FPDFPage_InsertObjectAtIndex"):
            pytest.skip("this PDFium cannot insert an object under another")
        # Cairo writes the two boxes as filled-and-outlined rectangles ("re B"); the lane,
        # whose outline it clips, and the rounded box come as a fill and an outline apart.
        before = _outlined_rectangles(pdfium, page)
        assert before >= 2
        assert rasterise.fills_apart(pdfium, page) == before
        assert _outlined_rectangles(pdfium, page) == 0
    finally:
        pdfium.FPDF_ClosePage(page)
        pdfium.FPDF_CloseDocument(document)

    png, _ = rasterise.pdf_to_png(pdf, 144)
    ours = PIL.open(io.BytesIO(png))
    whole = pypdfium2.PdfDocument(pdf)[0].render(scale=2, draw_annots=False).to_pil()
    # 2 pixels a point, a 36-point margin: the boxes overlap from 84 to 116 points across.
    assert ours.getpixel((260, 170)) == (0xE6, 0x9F, 0x00)  # where they overlap: the later box
    assert ours.getpixel((180, 170)) == (0x00, 0x72, 0xB2)
    assert ours.getpixel((110, 120)) == (0xF4, 0xF4, 0xF4)  # the lane, under both
    assert ours.getpixel((40, 40)) == (0xFF, 0xFF, 0xFF)  # the ground
    difference = ImageChops.difference(ours, whole.convert("RGB")).convert("L")
    assert max(difference.getextrema()) <= 16  # a shade, along edges only


def _outlined_rectangles(pdfium, page) -> int:
    """How many paths on ``page`` are four straight sides both filled and outlined."""
    import ctypes

    fill, stroke, count = ctypes.c_int(), ctypes.c_int(), 0
    for index in range(pdfium.FPDFPage_CountObjects(page)):
        path = pdfium.FPDFPage_GetObject(page, index)
        if pdfium.FPDFPath_CountSegments(path) == 5 and pdfium.FPDFPath_GetDrawMode(
            path, ctypes.byref(fill), ctypes.byref(stroke)
        ):
            count += bool(fill.value and stroke.value)
    return count

"""SVG -> PDF and PNG, without laying anything out again.

Graphviz draws each page once, as SVG; PDF and PNG are converted from that SVG by CairoSVG (the
same Cairo library Graphviz itself draws PDF and PNG with), so a PNG costs one drawing plus a
rasterisation instead of another Graphviz run per format. The pages of one process become one
multi-page PDF (pypdf joins them: Cairo has no way to start a new page from an SVG).

CairoSVG needs the Cairo C library (``libcairo2`` on Debian/Ubuntu, installed with Graphviz).
"""

from __future__ import annotations

import io

from flowmap.render.graphviz_run import RenderError


def _cairosvg():
    try:
        import cairosvg
    except (ImportError, OSError) as exc:  # OSError: the Cairo library itself is missing
        raise RenderError(
            f"cannot convert SVG to PDF or PNG: {exc}; install Cairo "
            "(`apt-get install libcairo2`, `brew install cairo`) and "
            "`pip install cairosvg`"
        ) from None
    return cairosvg


def to_pdf(pages: list[bytes]) -> bytes:
    """One PDF with one page per SVG, each page the size the SVG states."""
    cairosvg = _cairosvg()
    return join_pdfs([cairosvg.svg2pdf(bytestring=svg, unsafe=False) for svg in pages])


def join_pdfs(parts: list[bytes]) -> bytes:
    """One PDF with the pages of each of ``parts``, in order."""
    if len(parts) == 1:
        return parts[0]
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        for page in PdfReader(io.BytesIO(part)).pages:
            writer.add_page(page)
    writer.add_metadata({"/Producer": "flowmap"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# The longest side of a PNG, in pixels. An A0 page at 300 dpi (14,043 px) fits; a sheet wider
# than this is drawn at a lower resolution, with a warning. 16,384 is the largest texture most
# graphics cards take and the largest image many viewers open unscaled (Cairo itself stops at
# 32,767); past it every pixel costs time (a 300-step process at 96 dpi would be 46,000 px wide:
# 80 Mpx and three times the time of its SVG) for an image nobody reads at once: paper sizes
# page the diagram instead (--paper), and SVG and PDF keep every detail.
MAX_PIXELS = 16384


def png_dpi(svg: bytes, dpi: int) -> int:
    """``dpi``, lowered when the image would be wider or higher than Cairo can draw."""
    from flowmap.render.svg import size_points

    return fit_dpi(size_points(svg), dpi)


def fit_dpi(points: tuple[float, float], dpi: int) -> int:
    """``dpi``, lowered so that a sheet of ``points`` (width, height) is at most
    :data:`MAX_PIXELS` wide and high."""
    longest = max(points)
    return max(1, min(dpi, int(MAX_PIXELS * 72 / longest))) if longest else dpi


def to_png(svg: bytes, dpi: int) -> bytes:
    """The SVG rasterised at ``dpi`` dots per inch (its size is in points), on white.

    Cairo draws the page; the PNG is written here (RGB, no row filter, zlib level 1), because
    writing the pixels is most of the cost: for a 300 dpi A3 page (17 million pixels) Cairo's own
    PNG writer took 0.43 s of CPU, this 0.24 s, the drawing itself 0.13 s (medians of 12 pages).
    The files are about a third larger."""
    _cairosvg()
    from cairosvg.parser import Tree
    from cairosvg.surface import PNGSurface

    drawn = PNGSurface(Tree(bytestring=svg, unsafe=False), None, dpi)
    return encode_png(drawn.cairo, dpi)


def encode_png(surface, dpi: int) -> bytes:
    """An opaque Cairo image surface (ARGB32) as PNG bytes, marked ``dpi`` dots per inch."""
    import sys

    from PIL import Image

    surface.flush()
    width, height = surface.get_width(), surface.get_height()
    # Cairo keeps a pixel as one native 32-bit word, alpha (opaque here, so colours are not
    # premultiplied) in its top byte.
    order = "BGRX" if sys.byteorder == "little" else "XRGB"
    rgb = Image.frombuffer(
        "RGB", (width, height), surface.get_data(), "raw", order, surface.get_stride(), 1
    ).tobytes()
    return png_bytes(rgb, width, height, 3 * width, dpi)


def pdf_to_png(pdf: bytes, dpi: int) -> tuple[bytes, int]:
    """The first page of ``pdf`` rasterised on white as PNG bytes, and the resolution used:
    ``dpi``, lowered as :func:`fit_dpi` says when the page is too large for it.

    For one large sheet that Graphviz draws itself: Graphviz writes the PDF in a fraction of the
    time its own PNG takes (three quarters of ``dot -Tpng`` is libpng compressing the pixels),
    PDFium (pypdfium2, already installed with pdfplumber) rasterises it in C++, and the pixels
    are written by :func:`png_bytes`."""
    try:
        import pypdfium2
    except ImportError as exc:
        raise RenderError(f"cannot convert PDF to PNG: {exc}; `pip install pypdfium2`") from None
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        fitted = fit_dpi(page.get_size(), dpi)
        bitmap = page.render(
            scale=fitted / 72,
            fill_color=(255, 255, 255, 255),
            rev_byteorder=True,
            prefer_bgrx=False,
            may_draw_forms=False,
            draw_annots=False,
        )
        try:
            png = png_bytes(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, fitted)
        finally:
            bitmap.close()
            page.close()
    finally:
        document.close()
    return png, fitted


def png_bytes(rgb, width: int, height: int, stride: int, dpi: int) -> bytes:
    """Rows of 8-bit RGB pixels (``stride`` bytes apart) as PNG bytes marked ``dpi``: no row
    filter, zlib level 1 (the pixels are mostly flat colour; a stronger level costs several
    times the time for a file a third smaller)."""
    import struct
    import zlib

    row, pixels = 3 * width, memoryview(rgb).cast("B")
    packer = zlib.compressobj(1)
    # Filter "none" on each row; compressed as they come, without a copy of the whole image.
    packed = [
        part
        for at in range(0, stride * height, stride)
        for part in (packer.compress(b"\0"), packer.compress(pixels[at : at + row]))
    ]
    packed.append(packer.flush())

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    per_metre = round(dpi / 0.0254)
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
            chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
            chunk(b"IDAT", b"".join(packed)),
            chunk(b"IEND", b""),
        )
    )

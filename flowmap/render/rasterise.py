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
        raise RenderError(f"cannot convert SVG to PDF or PNG: {exc}; install Cairo "
                          "(`apt-get install libcairo2`, `brew install cairo`) and "
                          "`pip install cairosvg`") from None
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


MAX_PIXELS = 32000  # Cairo's surfaces are at most 32,767 pixels wide or high
# At most this many pixels in all: an A0 sheet at 300 dpi (139 million) fits; A0 at 600 dpi
# (558 million, 2.2 GB of surface and about 8 GB while encoding) does not.
MAX_AREA = 150_000_000


def png_dpi(svg: bytes, dpi: int) -> int:
    """``dpi``, lowered when the image would be wider or higher than Cairo can draw, or hold
    more pixels than :data:`MAX_AREA` (memory grows with the area, not the side)."""
    from flowmap.render.svg import size_points

    width, height = size_points(svg)
    longest = max(width, height)
    if not longest:
        return dpi
    fitted = min(dpi, int(MAX_PIXELS * 72 / longest))
    if width * height:
        fitted = min(fitted, int(72 * (MAX_AREA / (width * height)) ** 0.5))
    return max(1, fitted)


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
    import struct
    import sys
    import zlib

    from PIL import Image

    surface.flush()
    width, height = surface.get_width(), surface.get_height()
    # Cairo keeps a pixel as one native 32-bit word, alpha (opaque here, so colours are not
    # premultiplied) in its top byte.
    order = "BGRX" if sys.byteorder == "little" else "XRGB"
    rgb = Image.frombuffer("RGB", (width, height), surface.get_data(), "raw", order,
                           surface.get_stride(), 1).tobytes()
    row, pixels = 3 * width, memoryview(rgb)
    rows = b"".join(part for at in range(0, len(rgb), row)
                    for part in (b"\0", pixels[at:at + row]))  # filter "none" on each row

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    per_metre = round(dpi / 0.0254)
    return b"".join((b"\x89PNG\r\n\x1a\n",
                     chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
                     chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
                     chunk(b"IDAT", zlib.compress(rows, 1)), chunk(b"IEND", b"")))

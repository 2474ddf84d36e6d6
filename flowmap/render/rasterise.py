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


BAND_ROWS = 128  # rows PDFium draws at a time: a small buffer, still warm when compressed


def pdf_to_png(pdf: bytes, dpi: int, workers: int = 1) -> tuple[bytes, int]:
    """The first page of ``pdf`` rasterised on white as PNG bytes, and the resolution used:
    ``dpi``, lowered as :func:`fit_dpi` says when the page is too large for it.

    For one large sheet that Graphviz draws itself: Graphviz writes the PDF in a fraction of the
    time its own PNG takes (three quarters of ``dot -Tpng`` is libpng compressing the pixels),
    PDFium (pypdfium2, already installed with pdfplumber) rasterises it in C++, and the pixels
    are compressed as they come (:func:`_deflated`). With ``workers`` > 1 a tall page is cut
    into that many slices of rows, each drawn and compressed by its own process (forked: PDFium
    draws one page at a time per process), and the compressed slices are joined into one PNG."""
    try:
        import pypdfium2
    except ImportError as exc:
        raise RenderError(f"cannot convert PDF to PNG: {exc}; `pip install pypdfium2`") from None
    import math

    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        fitted = fit_dpi(page.get_size(), dpi)
        width = math.ceil(page.get_width() * fitted / 72)
        height = math.ceil(page.get_height() * fitted / 72)
        try:
            slices = _slices(width, height, workers)
            if len(slices) == 1:
                data, _ = _deflated(page, width, height, 0, height, True)
                idat = data
            else:
                parts = _in_processes(page, width, height, slices)
                idat = b"\x78\x01" + b"".join(part for part, _ in parts)
                idat += _adler_joined(parts, [3 * width * (b - a) + (b - a) for a, b in slices])
        finally:
            page.close()
    finally:
        document.close()
    return png_file(width, height, fitted, idat), fitted


def idle_cores(cores: int) -> int:
    """How many of ``cores`` may rasterise one sheet at once: those that nobody else is using,
    by the load average of the last minute (less the one this program keeps busy). On a busy
    machine a second process only waits for a core, and forking it costs time."""
    import os

    try:
        busy = os.getloadavg()[0]
    except OSError:  # no load average here
        return 1
    return max(1, min(cores, int(cores - max(0.0, busy - 1) + 0.5)))


# A slice of a page worth a process of its own: below this many pixels, forking and joining
# cost more than the drawing they share.
SLICE_PIXELS = 2_000_000


def _slices(width: int, height: int, workers: int) -> list[tuple[int, int]]:
    """Rows ``[top, bottom)`` of each slice: whole bands, as many as ``workers`` (fewer for a
    small page: a slice has at least :data:`SLICE_PIXELS`)."""
    import itertools
    import multiprocessing
    import threading

    bands = -(-height // BAND_ROWS)
    count = max(1, min(workers, bands, width * height // SLICE_PIXELS))
    # Forked only from a process with no other thread (another thread could hold a lock).
    if count > 1 and (
        "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1
    ):
        count = 1
    cuts = [BAND_ROWS * round(bands * k / count) for k in range(count)] + [height]
    return [(top, min(bottom, height)) for top, bottom in itertools.pairwise(cuts) if top < bottom]


def _in_processes(page, width: int, height: int, slices) -> list[tuple[bytes, int]]:
    """:func:`_deflated` of each slice, all but the first in forked processes (raw deflate,
    the last one final), with the Adler-32 of each slice's rows."""
    import os
    import struct

    children = []
    for k, (top, bottom) in enumerate(slices[1:], start=1):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: its slice down the pipe, then gone without clean-up
            code = 1
            try:
                os.close(read)
                data, adler = _deflated(
                    page, width, height, top, bottom, k == len(slices) - 1, raw=True
                )
                with os.fdopen(write, "wb") as pipe:
                    pipe.write(struct.pack(">I", adler) + data)
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        children.append((pid, read))
    parts, failed = [], False
    try:
        top, bottom = slices[0]
        parts.append(_deflated(page, width, height, top, bottom, False, raw=True))
    finally:  # every child waited for, even when this slice failed
        for pid, read in children:
            with os.fdopen(read, "rb") as pipe:
                got = pipe.read()
            _, status = os.waitpid(pid, 0)
            failed |= status != 0 or len(got) < 4
            parts.append((got[4:], struct.unpack(">I", got[:4].rjust(4, b"\0"))[0]))
    if failed:
        raise RenderError("a process rasterising part of the PNG failed; try again")
    return parts


def _adler_joined(parts: list[tuple[bytes, int]], lengths: list[int]) -> bytes:
    """The Adler-32 of the slices' data one after the other (as zlib's adler32_combine), as
    the four bytes that end a zlib stream."""
    import struct

    base = 65521
    adler = parts[0][1]
    for (_, theirs), length in zip(parts[1:], lengths[1:], strict=True):
        s1, s2 = adler & 0xFFFF, adler >> 16
        t1, t2 = theirs & 0xFFFF, theirs >> 16
        s2 = (s2 + length * s1 + t2 - length) % base
        s1 = (s1 + t1 - 1) % base
        adler = (s2 << 16) | s1
    return struct.pack(">I", adler)


def _deflated(
    page, width: int, height: int, top: int, bottom: int, last: bool, raw: bool = False
) -> tuple[bytes, int]:
    """Rows ``[top, bottom)`` of ``page`` drawn at ``width`` x ``height`` pixels, each with
    PNG's filter byte (none), deflated at level 1 (a zlib stream; ``raw``: bare deflate, ended
    unless ``last`` on a byte boundary so that the next slice can follow), and their Adler-32
    (``raw`` only). PDFium draws :data:`BAND_ROWS` rows at a time into one small buffer, each
    band compressed as soon as it is drawn: a 300-step sheet is 20 million pixels, and a buffer
    for all of them cost a fifth of the time (allocating and clearing 60 MB) and left the
    compressor reading pixels long gone from the cache."""
    import ctypes
    import zlib

    import pypdfium2.raw as pdfium

    stride, rows = 3 * width, min(BAND_ROWS, bottom - top)
    buffer = (ctypes.c_ubyte * (stride * rows))()
    bitmap = pdfium.FPDFBitmap_CreateEx(width, rows, pdfium.FPDFBitmap_BGR, buffer, stride)
    pixels = memoryview(buffer).cast("B")
    packer = _deflate().compressobj(1, zlib.DEFLATED, -15 if raw else 15)
    adler = 1
    out: list[bytes] = []
    try:
        for at in range(top, bottom, rows):
            band = min(rows, bottom - at)
            pdfium.FPDFBitmap_FillRect(bitmap, 0, 0, width, band, 0xFFFFFFFF)
            # The whole page, shifted up by ``at``: PDFium draws only what falls in the band,
            # at the same pixel positions as in one bitmap of the whole page.
            pdfium.FPDF_RenderPageBitmap(
                bitmap, page, 0, -at, width, height, 0, pdfium.FPDF_REVERSE_BYTE_ORDER
            )
            for start in range(0, stride * band, stride):
                row = pixels[start : start + stride]
                out += (packer.compress(b"\0"), packer.compress(row))
                if raw:
                    adler = zlib.adler32(row, zlib.adler32(b"\0", adler))
        out.append(packer.flush() if last else packer.flush(zlib.Z_SYNC_FLUSH))
    finally:
        pdfium.FPDFBitmap_Destroy(bitmap)
    return b"".join(out), adler


def _deflate():
    """The fastest zlib-compatible compressor at hand: ISA-L's (``isal``, several times zlib's
    speed at the same level and a similar size: 0.018 s against 0.104 s for a 20-megapixel sheet),
    else zlib's."""
    try:
        from isal import isal_zlib

        return isal_zlib
    except ImportError:  # a platform without an isal wheel: the same PNG, slower
        import zlib

        return zlib


def prepare() -> None:
    """Import what rasterising needs (PDFium's bindings, the compressor): called in a thread
    while Graphviz draws, so that the imports cost no time of their own."""
    import contextlib

    with contextlib.suppress(ImportError):
        import pypdfium2  # noqa: F401
    _deflate()


def png_bytes(rgb, width: int, height: int, stride: int, dpi: int) -> bytes:
    """Rows of 8-bit RGB pixels (``stride`` bytes apart) as PNG bytes marked ``dpi``."""
    return png_bands([(memoryview(rgb).cast("B"), height)], width, height, stride, dpi)


def png_bands(bands, width: int, height: int, stride: int, dpi: int) -> bytes:
    """A PNG of ``height`` rows of 8-bit RGB pixels, given as bands (a buffer of rows
    ``stride`` bytes apart, and how many rows of it to take), marked ``dpi``: no row filter,
    deflate level 1 (the pixels are mostly flat colour; a stronger level costs several times
    the time for a file a third smaller)."""
    row = 3 * width
    packer = _deflate().compressobj(1)
    # Filter "none" on each row; compressed as they come, without a copy of the whole image.
    packed = [
        part
        for pixels, rows in bands
        for at in range(0, stride * rows, stride)
        for part in (packer.compress(b"\0"), packer.compress(pixels[at : at + row]))
    ]
    packed.append(packer.flush())
    return png_file(width, height, dpi, b"".join(packed))


def png_file(width: int, height: int, dpi: int, idat: bytes) -> bytes:
    """A PNG file of 8-bit RGB pixels whose zlib stream (rows with their filter byte) is
    ``idat``, marked ``dpi``."""
    import struct
    import zlib

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
            chunk(b"IDAT", idat),
            chunk(b"IEND", b""),
        )
    )


def convert(
    svgs: list[bytes], fmt: str, dpi: int, warnings: list[str] | None = None
) -> list[bytes]:
    """SVG pages as ``fmt``: tidied SVG pages, one PDF of them all, or a PNG per page at ``dpi``
    (lowered, with a line in ``warnings``, for a page too large for it)."""
    from flowmap.render import svg

    if fmt == "svg":
        return [svg.tidy(one) for one in svgs]
    if fmt == "pdf":
        return [to_pdf([svg.tidy(one) for one in svgs])]
    pngs = []
    for one in svgs:
        fitted = png_dpi(one, dpi)
        if fitted < dpi and warnings is not None:
            warnings.append(lower_dpi(fitted, dpi))
        pngs.append(to_png(svg.tidy(one), fitted))
    return pngs


def lower_dpi(fitted: int, dpi: int) -> str:
    """The warning for a PNG drawn at ``fitted`` dpi instead of ``dpi``."""
    return (
        f"the PNG is {fitted} dpi, not {dpi}: at {dpi} dpi it would be wider than "
        f"{MAX_PIXELS} pixels (use SVG or PDF, or --paper)"
    )

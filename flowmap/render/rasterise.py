"""SVG -> PDF and PNG, without laying anything out again.

Graphviz draws each page once, as SVG; PDF and PNG are converted from that SVG by CairoSVG (the
same Cairo library Graphviz itself draws PDF and PNG with), so a PNG costs one drawing plus a
rasterisation instead of another Graphviz run per format. The pages of one process become one
multi-page PDF (pypdf joins them: Cairo has no way to start a new page from an SVG).

CairoSVG needs the Cairo C library (``libcairo2`` on Debian/Ubuntu, installed with Graphviz).
"""

from __future__ import annotations

import functools
import io

from flowmap.render import png_file
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
    return png_file.png_bytes(rgb, width, height, 3 * width, dpi)


BAND_ROWS = 128  # rows PDFium draws at a time: a small buffer, still warm when compressed
SHARED_PIXELS = 4_000_000  # from this many pixels, a second core draws half of the page


def pdf_to_png(pdf: bytes, dpi: int, processes: int = 1) -> tuple[bytes, int]:
    """The first page of ``pdf`` rasterised on white as PNG bytes, and the resolution used:
    ``dpi``, lowered as :func:`fit_dpi` says when the page is too large for it.

    For one large sheet that Graphviz draws itself: Graphviz writes the PDF in a fraction of the
    time its own PNG takes (three quarters of ``dot -Tpng`` is libpng compressing the pixels),
    PDFium (pypdfium2, already installed with pdfplumber) rasterises it in C++, and the pixels
    are written by :mod:`flowmap.render.png_file`. PDFium draws the page :data:`BAND_ROWS` rows
    at a time into one small buffer, each band compressed as soon as it is drawn: a 300-step
    sheet is 20 million pixels, and a buffer for all of them cost a fifth of the time
    (allocating and clearing 60 MB) and left the compressor reading pixels long gone from the
    cache. With ``processes`` of 2 or more, a page of :data:`SHARED_PIXELS` or more is drawn
    by two processes, the bottom half in a copy of this one (:func:`_in_two`)."""
    import ctypes
    import math

    pdfium = _pdfium()
    data = ctypes.create_string_buffer(pdf, len(pdf))  # PDFium reads it while the page is open
    document = pdfium.FPDF_LoadMemDocument(data, len(pdf), None)
    if not document:
        raise RenderError(f"PDFium cannot read Graphviz's PDF (error {pdfium.FPDF_GetLastError()})")
    try:
        page = pdfium.FPDF_LoadPage(document, 0)
        if not page:
            raise RenderError("PDFium cannot read the page Graphviz drew")
        try:
            fills_apart(pdfium, page)
            size = (pdfium.FPDF_GetPageWidthF(page), pdfium.FPDF_GetPageHeightF(page))
            fitted = fit_dpi(size, dpi)
            width = math.ceil(size[0] * fitted / 72)
            height = math.ceil(size[1] * fitted / 72)
            tops = range(0, height, max(1, min(BAND_ROWS, height)))

            def pack(some: range, last: bool) -> png_file.Part:
                return png_file.packed(_drawn_bands(pdfium, page, width, height, some), last)

            if processes > 1 and width * height >= SHARED_PIXELS and _forkable(processes):
                parts = _in_two(pack, tops)
            else:
                parts = [pack(tops, last=True)]
        finally:
            pdfium.FPDF_ClosePage(page)
    finally:
        pdfium.FPDF_CloseDocument(document)
    return png_file.png_of_parts(parts, width, height, fitted), fitted


def _drawn_bands(pdfium, page, width: int, height: int, tops: range):
    """The bands of rows starting at ``tops``, drawn by PDFium on white, each row led by its PNG
    filter byte (0: none), as one block of memory per band, reused for the next band."""
    import ctypes

    row = 3 * width
    rows = tops.step
    pitch = row + 1  # a row's pixels, then the next row's filter byte
    buffer = (ctypes.c_ubyte * (pitch * rows))()  # zeros: every filter byte stays "none"
    view = memoryview(buffer).cast("B")
    # The bitmap starts after the first filter byte, its rows one filter byte apart.
    start = ctypes.c_void_p(ctypes.addressof(buffer) + 1)
    bitmap = pdfium.FPDFBitmap_CreateEx(width, rows, pdfium.FPDFBitmap_BGR, start, pitch)
    try:
        for top in tops:
            band = min(rows, height - top)
            size = pitch * band
            ctypes.memset(buffer, 0xFF, size)  # white, several times faster than PDFium's fill
            view[0:size:pitch] = bytes(band)  # and the filter bytes back to "none"
            # The whole page, shifted up by ``top``: PDFium draws only what falls in the band,
            # at the same pixel positions as in one bitmap of the whole page.
            pdfium.FPDF_RenderPageBitmap(
                bitmap, page, 0, -top, width, height, 0, pdfium.FPDF_REVERSE_BYTE_ORDER
            )
            yield view[:size]
    finally:
        pdfium.FPDFBitmap_Destroy(bitmap)


def _forkable(processes: int) -> bool:
    """Whether this process may be copied to draw half a page: on Linux (elsewhere a copy of a
    process that has loaded system frameworks may hang), from a process with one thread (a
    server's other threads could hold locks the copy would wait on forever), and while fewer
    programs run than there are ``processes`` (cores): on a busy machine the copy waits for a
    core, and copying costs each process a tenth more time (0.08 s against 0.06 s of CPU for
    both halves of a 300-step sheet), so that two took longer than one at a load of 8 on 2."""
    import os
    import sys
    import threading

    return (
        sys.platform.startswith("linux")
        and threading.active_count() == 1
        and os.getloadavg()[0] < processes
    )


def _in_two(pack, tops: range) -> list:
    """``pack`` of the top half of ``tops`` here and of the bottom half in a copy of this process
    (``os.fork``), at the same time. The copy sends its part's checksum and data through a
    pipe. Should it fail, or take :data:`COPY_PATIENCE` seconds (at least four times as long as
    the top half took here) more, it is stopped and the bottom half is packed here."""
    import os
    import signal
    import struct
    import time

    half = tops[len(tops) // 2 :]
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # the copy: pack, send, and leave without running the parent's exit code
        status = 1
        try:
            os.close(reader)
            part = pack(half, last=True)
            with os.fdopen(writer, "wb") as pipe:
                pipe.write(struct.pack(">QI", part.length, part.adler) + part.data)
            status = 0
        finally:
            os._exit(status)
    os.close(writer)
    sent = None
    try:
        started = time.perf_counter()
        first = pack(tops[: len(tops) // 2], last=False)
        patience = max(COPY_PATIENCE, 4 * (time.perf_counter() - started))
        sent = _received(reader, time.perf_counter() + patience)
    finally:
        os.close(reader)
        if sent is None:  # stopped here, or the copy is too slow: it is stopped too
            os.kill(child, signal.SIGKILL)
        _, status = os.waitpid(child, 0)
    if sent is None or status != 0 or len(sent) < 12:
        return [first, pack(half, last=True)]
    length, adler = struct.unpack(">QI", sent[:12])
    return [first, png_file.Part(sent[12:], adler, length)]


COPY_PATIENCE = 2.0


def _received(reader: int, deadline: float) -> bytes | None:
    """All that comes through the pipe ``reader`` until it is closed, or None at ``deadline``
    (a ``time.perf_counter`` value)."""
    import os
    import select
    import time

    chunks: list[bytes] = []
    while (left := deadline - time.perf_counter()) > 0:
        if select.select([reader], [], [], left)[0]:
            chunk = os.read(reader, 1 << 20)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
    return None


def fills_apart(pdfium, page) -> int:
    """Each rectangle on ``page`` that is both filled and outlined (a lane, a band, a box)
    split into a fill alone under the outline alone, in PDFium's copy of the page; how many.

    PDFium paints a rectangle that is only filled as a block of pixels, but one with an outline
    through its anti-aliasing rasteriser, cell by cell: on a 300-step sheet the lanes' fills,
    which cover the whole sheet, were two thirds of PDFium's time (0.20 of 0.29 s). The block
    takes the rectangle's edges out to whole pixels, under an outline drawn as before: no pixel
    differs by more than 8 levels of 255 (2.6% of them by any)."""
    import ctypes

    insert = getattr(pdfium, "FPDFPage_InsertObjectAtIndex", None)
    if insert is None:  # an older PDFium: the same picture, drawn the slower way
        return 0
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    x, y = ctypes.c_float(), ctypes.c_float()
    colour = [ctypes.c_uint() for _ in range(4)]
    matrix = pdfium.FS_MATRIX()
    get, segments = pdfium.FPDFPage_GetObject, pdfium.FPDFPath_CountSegments  # called per object
    split, index, count = 0, 0, pdfium.FPDFPage_CountObjects(page)
    while index < count:
        path = get(page, index)
        index += 1
        if (
            segments(path) != 5  # -1 for text and images
            or not pdfium.FPDFPath_GetDrawMode(path, ctypes.byref(fill), ctypes.byref(stroke))
            or not (fill.value and stroke.value)
        ):
            continue
        corners = set()
        for at in range(5):
            segment = pdfium.FPDFPath_GetPathSegment(path, at)
            pdfium.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
            corners.add((x.value, y.value))
        xs, ys = sorted({c[0] for c in corners}), sorted({c[1] for c in corners})
        if len(xs) != 2 or len(ys) != 2 or len(corners) != 4:
            continue  # not a rectangle with its sides along the page's
        pdfium.FPDFPageObj_GetFillColor(path, *(ctypes.byref(c) for c in colour))
        pdfium.FPDFPageObj_GetMatrix(path, ctypes.byref(matrix))
        block = pdfium.FPDFPageObj_CreateNewRect(xs[0], ys[0], xs[1] - xs[0], ys[1] - ys[0])
        pdfium.FPDFPageObj_SetFillColor(block, *(c.value for c in colour))
        pdfium.FPDFPath_SetDrawMode(block, fill.value, 0)
        pdfium.FPDFPageObj_SetMatrix(block, ctypes.byref(matrix))
        pdfium.FPDFPath_SetDrawMode(path, 0, stroke.value)
        insert(page, block, index - 1)  # under its outline, above what was drawn before it
        index, count, split = index + 1, count + 1, split + 1
    return split


@functools.cache
def _pdfium():
    """PDFium's C functions, the library started once: pypdfium2's generated bindings alone
    (``pypdfium2_raw``), without its Python helpers, which double the import time
    (logging, argparse, tempfile...) for the few calls made here."""
    try:
        import pypdfium2_raw as pdfium  # type: ignore[import-untyped]
    except ImportError as exc:
        raise RenderError(f"cannot convert PDF to PNG: {exc}; `pip install pypdfium2`") from None
    # Started as pypdfium2 starts it; PDFium starts only once in a process, whoever asks first.
    config = pdfium.FPDF_LIBRARY_CONFIG(
        version=2, m_pUserFontPaths=None, m_pIsolate=None, m_v8EmbedderSlot=0
    )
    pdfium.FPDF_InitLibraryWithConfig(config)
    return pdfium


def prepare() -> None:
    """Start PDFium and import the compressor: called in a thread while Graphviz draws, so
    that this costs no time of its own."""
    import contextlib

    with contextlib.suppress(RenderError):
        _pdfium()
    png_file.deflater()


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

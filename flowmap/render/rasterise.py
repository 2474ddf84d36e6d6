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


def png_dpi(svg: bytes, dpi: int) -> int:
    """``dpi``, lowered when the image would be wider or higher than Cairo can draw."""
    from flowmap.render.svg import size_points

    longest = max(size_points(svg))
    return max(1, min(dpi, int(MAX_PIXELS * 72 / longest))) if longest else dpi


def to_png(svg: bytes, dpi: int) -> bytes:
    """The SVG rasterised at ``dpi`` dots per inch (its size is in points)."""
    return _cairosvg().svg2png(bytestring=svg, dpi=dpi, unsafe=False)

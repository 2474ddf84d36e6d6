"""Stage 4 of rendering: SVG post-processing.

Graphviz's SVG carries things that vary between machines (the Graphviz version in a comment) and
things a reader does not need (one comment per node and edge). They are removed so that the same
process gives byte-identical SVG everywhere, and diagrams can be committed and diffed.
"""

from __future__ import annotations

import re

_COMMENT = re.compile(rb"<!--.*?-->\n?", re.DOTALL)
_PROLOG = re.compile(rb"<\?xml[^>]*\?>\s*", re.DOTALL)
_DOCTYPE = re.compile(rb"<!DOCTYPE[^>]*>\s*", re.DOTALL)
_SIZE = re.compile(rb'<svg width="([0-9.]+)pt" height="([0-9.]+)pt"')
_TITLE_GRAPH = re.compile(rb"<title>flowmap</title>\n?")


_OPEN = re.compile(rb"<svg\b[^>]*>")


def _dash_style() -> bytes:
    """Line patterns Graphviz has no style for (rework's dash-dot), by class."""
    from flowmap.render.style import DASH

    rules = "".join(
        f"g.edge.{kind} path {{ stroke-dasharray: {dash}; }}" for kind, dash in DASH.items()
    )
    return f"\n<style>{rules}</style>".encode()


def tidy(svg: bytes) -> bytes:
    """Deterministic, comment-free SVG with its XML declaration and no DOCTYPE, and the line
    patterns of :data:`flowmap.render.style.DASH`."""
    body = _PROLOG.sub(b"", svg)
    body = _DOCTYPE.sub(b"", body)
    body = _COMMENT.sub(b"", body)
    body = _TITLE_GRAPH.sub(b"", body)
    if b"<style>" not in body:
        body = _OPEN.sub(lambda m: m.group(0) + _dash_style(), body, count=1)
    return b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n' + body.lstrip()


_ID = re.compile(r'(\bid="|href="#|url\(#)')


def inline(svg: bytes, prefix: str = "") -> str:
    """The ``<svg>`` element alone, for embedding in an HTML page; every id (and reference to
    one) gets ``prefix``, so that two diagrams can share a page."""
    body = _PROLOG.sub(b"", svg)
    body = _DOCTYPE.sub(b"", body)
    body = _COMMENT.sub(b"", body)
    text = body.decode("utf-8").strip()
    if prefix:
        text = _ID.sub(lambda m: m.group(1) + prefix, text)
    return text


def size_points(svg: bytes) -> tuple[float, float]:
    """The drawing's width and height in points, as Graphviz wrote them."""
    match = _SIZE.search(svg)
    if match is None:
        from flowmap.render.graphviz_run import RenderError

        raise RenderError("Graphviz wrote an SVG without a size; cannot fit it on a page")
    return float(match.group(1)), float(match.group(2))

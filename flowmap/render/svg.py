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


def tidy(svg: bytes) -> bytes:
    """Deterministic, comment-free SVG with its XML declaration and no DOCTYPE."""
    body = _PROLOG.sub(b"", svg)
    body = _DOCTYPE.sub(b"", body)
    body = _COMMENT.sub(b"", body)
    body = _TITLE_GRAPH.sub(b"", body)
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

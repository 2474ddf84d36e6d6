"""Rework reads the same in SVG, PDF and PNG: a heavy dashed line in its colour.

Graphviz draws the dashes itself (``style=dashed`` in the DOT), so no format depends on
post-processing that only a browser reads."""

from __future__ import annotations

import io
import itertools

import pytest

from flowmap.analysis import analyze
from flowmap.loaders import load_any
from flowmap.model import FlowKind
from flowmap.render import RenderOptions, render, style
from tests.render.conftest import PROCESSES, needs_dot

pdfplumber = pytest.importorskip("pdfplumber", reason="pdfplumber is not installed")
PIL = pytest.importorskip("PIL.Image", reason="Pillow is not installed")

SOURCE = PROCESSES / "broadband-installation" / "as-is.flow.yaml"  # two rework flows


def _rgb(colour: str) -> tuple[float, float, float]:
    return tuple(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def _stroked(page, colour: str) -> list[dict]:
    want = _rgb(colour)
    return [
        c
        for c in page.curves + page.lines
        if c.get("stroking_color")
        and len(c["stroking_color"]) == 3
        and all(abs(a - b) < 0.01 for a, b in zip(c["stroking_color"], want, strict=True))
    ]


def _dashed(curve: dict) -> bool:
    dash = curve.get("dash")
    return bool(dash and dash[0])


@pytest.fixture(scope="module")
def drawn():
    if not SOURCE.exists():
        pytest.skip(f"{SOURCE} is not in this checkout")
    process = load_any(SOURCE)
    assert any(f.kind == FlowKind.rework for f in process.flows)
    analysis = analyze(process)
    options = RenderOptions(findings="none", legend=False, dpi=72)
    return {fmt: render(process, analysis, fmt, options).data for fmt in ("svg", "pdf", "png")}


@needs_dot
def test_rework_paths_are_dashed_in_the_svg_and_normal_flows_are_not(drawn):
    from lxml import etree

    svg = "{http://www.w3.org/2000/svg}"
    root = etree.fromstring(drawn["svg"])
    dashes = {"rework": [], "normal": []}
    for group in root.iter(f"{svg}g"):
        kinds = group.get("class", "").split()
        for kind in dashes:
            if "edge" in kinds and kind in kinds:
                dashes[kind] += [p.get("stroke-dasharray") for p in group.iter(f"{svg}path")]
    assert dashes["rework"] and all(dashes["rework"])
    assert dashes["normal"] and not any(dashes["normal"])
    assert b"<style>" not in drawn["svg"]  # no pattern that only a browser would read


@needs_dot
def test_rework_lines_are_dashed_in_the_pdf_and_normal_flows_are_not(drawn):
    page = pdfplumber.open(io.BytesIO(drawn["pdf"])).pages[0]
    rework = style.FLOW_STYLE[FlowKind.rework]
    lines = [c for c in _stroked(page, rework["color"]) if len(c["pts"]) > 2]
    assert lines and all(_dashed(c) for c in lines)
    normal = _stroked(page, style.FLOW_STYLE[FlowKind.normal]["color"])
    assert normal and not any(_dashed(c) for c in normal)


@needs_dot
def test_rework_lines_are_dashed_in_the_png(drawn):
    """Along the longest straight run of a rework line, the PNG alternates between the rework
    colour and what lies under it: dashes, as in the PDF it is drawn from."""
    page = pdfplumber.open(io.BytesIO(drawn["pdf"])).pages[0]
    image = PIL.open(io.BytesIO(drawn["png"])).convert("RGB")
    assert image.size == (round(page.width), round(page.height))  # 72 dpi: a pixel a point
    colour = tuple(round(v * 255) for v in _rgb(style.FLOW_STYLE[FlowKind.rework]["color"]))
    best: tuple[float, float, float] = (0.0, 0.0, 0.0)  # length, y, x0
    for curve in _stroked(page, style.FLOW_STYLE[FlowKind.rework]["color"]):
        pts = curve["pts"]
        for (x0, y0), (x1, y1) in itertools.pairwise(pts):
            if abs(y0 - y1) < 0.5 and abs(x1 - x0) > best[0]:
                best = (abs(x1 - x0), y0, min(x0, x1))
    length, y, x0 = best
    assert length > 60, "no long straight rework run to sample"
    row = [image.getpixel((int(x0 + 4 + i), round(y))) for i in range(int(length) - 8)]
    on = [sum(abs(a - b) for a, b in zip(p, colour, strict=True)) < 60 for p in row]
    changes = sum(1 for a, b in itertools.pairwise(on) if a != b)
    assert sum(on) > len(on) / 4  # the line is there, in its colour
    assert changes >= length / 12  # and broken into dashes (6 on, 6 off in Graphviz's PDF)

"""Every process of processes/ prints with step names of 12 pt or more, on A3 landscape pages
and as an A0 poster: font and page sizes are read out of the PDF itself (pdfplumber); every page
shows part of the diagram or the findings, and the pages are no more than the sheets it takes to
tile the whole diagram at that size."""

from __future__ import annotations

import pytest

from flowmap.analysis import analyze
from flowmap.loaders import load_any
from flowmap.render import RenderOptions, render, wrap_width
from flowmap.render.page import paper_points
from flowmap.render.place import node_lines
from tests.render.conftest import needs_dot, process_files

pdfplumber = pytest.importorskip("pdfplumber", reason="pdfplumber is not installed")
FILES = process_files()


def name_sizes(pdf_bytes: bytes, lines: dict[str, list[str]]):
    """Step id -> printed size of the first line of its name on each page where it is found;
    and the size of every page."""
    import io

    found: dict[str, list[float]] = {}
    pages = []
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        for page in pdf.pages:
            pages.append((round(float(page.width)), round(float(page.height))))
            words = page.extract_words(extra_attrs=["size"], use_text_flow=False)
            text = [w["text"] for w in words]
            for step, first in lines.items():
                n = len(first)
                sizes = [
                    min(float(w["size"]) for w in words[i : i + n])
                    for i in range(len(words) - n + 1)
                    if text[i : i + n] == first
                    and all(abs(words[i + k]["top"] - words[i]["top"]) < 2 for k in range(n))
                ]
                if sizes:  # the step itself is the largest (a one-word line may recur smaller)
                    found.setdefault(step, []).append(max(sizes))
    return found, pages


@needs_dot
@pytest.mark.parametrize("paper", ["A3", "A0"])
@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_step_names_print_at_12_points_on_every_page(path, paper):
    process = load_any(path)
    options = RenderOptions(paper=paper, landscape=True, poster=paper == "A0")
    analysis = analyze(process)
    rendered = render(process, analysis, "pdf", options)
    assert len(rendered.pages) == 1  # one file, however many pages
    from flowmap.render.layout import build

    diagram = build(process, analysis)
    lines = {n.step: node_lines(n, wrap_width(options))[0].split() for n in diagram.nodes}
    found, pages = name_sizes(rendered.data, lines)
    width, height = paper_points(paper, True)
    assert pages and set(pages) == {(round(width), round(height))}
    missing = sorted(set(lines) - set(found))
    assert not missing, f"step names not found in the PDF: {missing}"
    smallest = {step: max(sizes) for step, sizes in found.items()}  # see name_sizes
    small = {step: size for step, size in smallest.items() if size < 11.95}
    assert not small, f"names printed below 12 pt: {small}"
    assert not rendered.warnings
    # Every page is worth pinning up: a part of the diagram or the findings, never a page that
    # says there is nothing to list; and no more pages than tiles of the paper would take to
    # cover the whole diagram drawn at the minimum size (names at 12 pt).
    texts = page_texts(rendered.data)
    names = [" ".join(first) for first in lines.values()]
    for number, text in enumerate(texts, start=1):
        assert any(name in text for name in names) or "Findings" in text, (number, text[:200])
        assert "None" not in text.split(), (number, text[:200])
    assert len(texts) <= sheets_bound(diagram, options, paper)


def page_texts(pdf_bytes: bytes) -> list[str]:
    import io

    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        return [" ".join(w["text"] for w in page.extract_words()) for page in pdf.pages]


def sheets_bound(diagram, options, paper: str) -> int:
    """How many sheets of ``paper`` tile the whole diagram (with a poster's panel beside it)
    drawn at the scale that prints names at ``options.min_points``."""
    import math

    from flowmap.render.compose import GAP
    from flowmap.render.page import panel_width
    from flowmap.render.place import FONT_SIZE
    from flowmap.render.sheets import measurer

    floor = options.min_points / FONT_SIZE
    width, height = measurer(options)(diagram)
    pw, ph = paper_points(paper, True)
    room_w, room_h = (pw - 2 * options.margin * 72) / floor, (ph - 2 * options.margin * 72) / floor
    if options.poster:
        width += panel_width(room_w) + GAP
    return math.ceil(width / room_w) * math.ceil(height / room_h)


@needs_dot
def test_min_points_lowers_the_floor_for_a_handout():
    process = load_any(FILES[-1])
    analysis = analyze(process)
    big = render(process, analysis, "svg", RenderOptions(paper="A3", landscape=True))
    small = render(
        process, analysis, "svg", RenderOptions(paper="A3", landscape=True, min_points=7)
    )
    assert len(small.pages) < len(big.pages)

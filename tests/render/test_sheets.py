"""Strips packed on sheets: markers that lead to the right place, shallow processes stacked,
the findings and key where there is room (never a cover page that lists nothing)."""

from __future__ import annotations

import math
import re

import pytest

from flowmap.analysis import analyze
from flowmap.loaders import load_any
from flowmap.render import RenderOptions, layout, paging, render
from flowmap.render.page import paper_points
from flowmap.render.sheets import header_height, measurer
from tests.render.conftest import PROCESSES, needs_dot, process_from


def long_process(steps: int = 40) -> str:
    """A shallow, wide process: one chain of steps handed between two roles."""
    lines = [
        "flowmap: 1",
        "process: {id: relay, name: Relay}",
        "customer: {name: Client}",
        "organisation:",
        "  functions:",
        "    - {id: ops, name: Operations, roles: [{id: a, name: Clerk, level: 1},",
        "                                          {id: b, name: Checker, level: 1}]}",
        "steps:",
        "  - {id: s0, name: Ask for it, owner: customer, kind: start}",
    ]
    lines += [
        f"  - {{id: s{i}, name: Step number {i} of the relay, owner: ops.{'ab'[i % 2]}}}"
        for i in range(1, steps)
    ]
    lines += [f"  - {{id: s{steps}, name: Receive it, owner: customer, kind: end}}", "flows:"]
    lines += [f"  - {{from: s{i}, to: s{i + 1}}}" for i in range(steps)]
    return "\n".join(lines) + "\n"


def packed(process, paper: str):
    options = RenderOptions(paper=paper, landscape=True)
    diagram = layout.build(process, analyze(process))
    pw, ph = paper_points(paper, True)
    room = (pw - 57.6, ph - 57.6)
    return diagram, paging.pack(diagram, room, measurer(options), header=lambda i: header_height(1))


def test_a_shallow_process_stacks_several_strips_on_a_sheet():
    process = process_from(long_process())
    diagram, sheets = packed(process, "A3")
    strips = sum(len(s) for s in sheets)
    assert strips > len(sheets) > 1  # more strips than sheets: some share one
    width, height = measurer(RenderOptions(paper="A3", landscape=True))(diagram)
    pw, ph = paper_points("A3", True)
    # No more sheets than the whole diagram's area needs, with a strip's overhead (lane titles
    # and markers at both ends) for each cut.
    assert len(sheets) <= math.ceil(width * height / ((pw - 57.6) * (ph - 57.6)) * 1.6)


@pytest.mark.parametrize(
    "process",
    [
        pytest.param(lambda: process_from(long_process()), id="relay"),
        pytest.param(lambda: load_any(PROCESSES / "order-to-cash" / "as-is.flow.yaml"), id="o2c"),
    ],
)
def test_every_marker_names_a_step_where_it_says(process):
    _, sheets = packed(process(), "A3")
    place_of = {}  # step name -> (sheet, strip)
    strip = 0
    for number, strips in enumerate(sheets, start=1):
        for part in strips:
            strip += 1
            place_of.update((n.name, (number, strip)) for n in part.nodes if not n.continuation)
    strip, seen = 0, 0
    for number, strips in enumerate(sheets, start=1):
        for part in strips:
            strip += 1
            for marker in (n for n in part.nodes if n.continuation):
                seen += 1
                head, _, names = marker.name.partition(": ")
                for name in names.splitlines():
                    there = place_of[name]
                    if head.endswith("below"):
                        assert there[0] == number and there[1] > strip, (marker.name, there)
                    elif head.endswith("above"):
                        assert there[0] == number and there[1] < strip, (marker.name, there)
                    else:
                        page = int(re.fullmatch(r"[→←] p\. (\d+)", head).group(1))
                        assert there[0] == page != number, (marker.name, there)
    assert seen


@needs_dot
def test_a_handout_has_no_cover_page_and_lists_findings_where_there_is_room():
    process = load_any(PROCESSES / "complaint-handling" / "to-be.flow.yaml")
    analysis = analyze(process)
    rendered = render(process, analysis, "svg", RenderOptions(paper="A3", landscape=True))
    first = rendered.pages[0].data
    assert b"page 1 of" in first and b"findings and key" not in first
    assert not any(b">None" in page.data for page in rendered.pages)
    steps = [p for p in rendered.pages if b'class="node' in p.data]
    assert len(steps) == len(rendered.pages)  # every page shows part of the process
    keys = [p for p in rendered.pages if b"key&#45;shape" in p.data]
    assert len(keys) == 1  # the key once, beside or under the strips of one page


@needs_dot
@pytest.mark.parametrize("points", [8.0, 12.0])
def test_a_poster_on_paper_smaller_than_a0_is_one_sheet(points):
    from flowmap.render.page import paper_of
    from flowmap.render.svg import size_points

    process = load_any(PROCESSES / "complaint-handling" / "to-be.flow.yaml")
    options = RenderOptions(poster=True, min_points=points)
    pages = render(process, analyze(process), "svg", options).pages
    paper = paper_of(*size_points(pages[0].data))
    assert paper == "A0" or len(pages) == 1, (paper, len(pages))


def test_no_flow_runs_through_a_decision_label_on_a_printed_strip():
    """Strips on paper are placed again (names wrapped at 16 characters, markers at their ends):
    their decision labels stay clear of the flows too."""
    from tests.render.conftest import process_files
    from tests.render.test_layout import crossed_labels

    crossed, labels = [], 0
    for path in process_files():
        _, sheets = packed(load_any(path), "A3")
        for strip in (s for strips in sheets for s in strips):
            labels += sum(1 for e in strip.edges if e.label)
            crossed += [(path.parent.name, *c) for c in crossed_labels(strip, 16)]
    assert labels > 100 and not crossed

"""Large processes: an overview and one page per function, never a silent hang."""

from __future__ import annotations

from itertools import pairwise

from flowmap.model import Process
from flowmap.render import RenderOptions, render
from tests.render.conftest import needs_dot


def chain(steps: int, functions: int = 3) -> Process:
    organisation = [
        {
            "id": f"fn{f}",
            "kind": "operations",
            "roles": [{"id": "doer", "level": 1, "reports_to": "boss"}, {"id": "boss", "level": 3}],
        }
        for f in range(functions)
    ]
    owners = [f"fn{(i // 4) % functions}.{'boss' if i % 5 == 0 else 'doer'}" for i in range(steps)]
    return Process.model_validate(
        {
            "process": {"id": "big", "name": "Big"},
            "organisation": {"functions": organisation},
            "steps": [
                {"id": f"s{i}", "name": f"Step {i}", "owner": owners[i]} for i in range(steps)
            ],
            "flows": [f"s{i} -> s{i + 1}" for i in range(steps - 1)],
        }
    )


@needs_dot
def test_over_max_steps_gives_overview_and_one_page_per_function():
    told: list[str] = []
    rendered = render(
        chain(40), None, "svg", RenderOptions(max_steps=20, findings="none"), progress=told.append
    )
    suffixes = [p.suffix for p in rendered.pages]
    assert suffixes == ["", "-fn0", "-fn1", "-fn2"]
    assert b"overview" in rendered.pages[0].data
    assert b"handoff(s) up or down the chain" in rendered.pages[0].data
    assert any("more than --max-steps" in line for line in told)


@needs_dot
def test_time_budget_exceeded_falls_back_to_the_overview(monkeypatch):
    from flowmap.render import graphviz_run

    real = graphviz_run.run_dot
    calls = []

    def first_layout_too_slow(source, formats=("svg",), **kwargs):
        calls.append(kwargs.get("positioned", True))
        if len(calls) == 1:
            raise graphviz_run.DotTimeout("over the time budget (simulated)", 9.0)
        return real(source, formats, **kwargs)

    monkeypatch.setattr(graphviz_run, "run_dot", first_layout_too_slow)
    told: list[str] = []
    rendered = render(chain(12), None, "svg", RenderOptions(findings="none"), progress=told.append)
    assert [p.suffix for p in rendered.pages] == ["", "-fn0", "-fn1", "-fn2"]
    assert "time budget" in rendered.warnings[0]
    assert any("overview" in line for line in told)


@needs_dot
def test_a_png_over_the_pixel_limit_is_drawn_at_a_lower_resolution_and_says_so():
    import struct

    from flowmap.render.rasterise import MAX_PIXELS

    rendered = render(chain(150), None, "png", RenderOptions(findings="none", dpi=600))
    width, height = struct.unpack(">II", rendered.data[16:24])
    assert 0.9 * MAX_PIXELS < max(width, height) <= MAX_PIXELS  # as large as allowed
    assert rendered.warnings  # it says so


@needs_dot
def test_on_paper_the_overview_and_every_function_page_are_that_paper_in_one_pdf():
    import io

    from pypdf import PdfReader

    from flowmap.render.page import paper_points

    options = RenderOptions(max_steps=20, findings="none", paper="A3", landscape=True)
    rendered = render(chain(60), None, "pdf", options)
    assert len(rendered.pages) == 1  # one file
    pages = PdfReader(io.BytesIO(rendered.data)).pages
    assert len(pages) >= 4  # the overview, then at least one page per function
    width, height = paper_points("A3", True)
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pages} == {
        (round(width), round(height))
    }
    assert "overview" in pages[0].extract_text()
    svgs = render(chain(60), None, "svg", options)
    assert svgs.pages[0].suffix == "" and all(p.suffix.startswith("-fn") for p in svgs.pages[1:])


@needs_dot
def test_the_overview_of_many_functions_is_a_block_not_a_strip():
    from flowmap.render.overview import ROW_MAX
    from flowmap.render.svg import size_points

    rendered = render(
        chain(80, functions=8), None, "svg", RenderOptions(overview=True, findings="none")
    )
    width, height = size_points(rendered.pages[0].data)
    assert ROW_MAX < 8 and width < 3 * height  # rows of functions, not one long line


@needs_dot
def test_pages_drawn_side_by_side_are_the_pages_drawn_in_turn(monkeypatch):
    """The overview's pages are drawn by Graphviz runs at once and PNG pages rasterised in
    worker processes: the files are the same as one at a time, in the same order."""
    import flowmap.render as rendering

    process = chain(40, functions=3)
    options = RenderOptions(overview=True, findings="none", dpi=40)
    together = {fmt: render(process, None, fmt, options) for fmt in ("svg", "png", "pdf")}
    monkeypatch.setattr(rendering, "_workers", lambda: 1)
    alone = {fmt: render(process, None, fmt, options) for fmt in ("svg", "png", "pdf")}
    for fmt in ("svg", "png", "pdf"):
        assert [p.suffix for p in together[fmt].pages] == [p.suffix for p in alone[fmt].pages]
        assert [p.data for p in together[fmt].pages] == [p.data for p in alone[fmt].pages]
    assert len(together["png"].pages) == 4  # the overview and three functions
    assert together["png"].pages[0].data.startswith(b"\x89PNG")


def test_a_functions_page_keeps_the_whole_process_in_time_order():
    # fn0 works on steps 0-3, 12-15, 24-27 and 36-39; between them the work is with fn1 and
    # fn2, so on fn0's own page its steps are joined by no flow. They must still read left to
    # right in the process's order, not start each at the left, stacked into one tower.
    from flowmap.render import function_diagram
    from flowmap.render.columns import columns
    from flowmap.render.layout import build

    diagram = build(chain(40), None)
    part = function_diagram(diagram, "fn0")
    column = columns(part)
    own = [n for n in part.nodes if n.lane.startswith("fn0.")]
    assert len(own) == 16
    order = sorted(own, key=lambda n: int(n.step[1:]))
    for before, after in pairwise(order):
        assert column[before.id] < column[after.id], (before.step, after.step)

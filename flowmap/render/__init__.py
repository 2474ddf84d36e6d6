"""Rendering: annotated swimlane diagrams (SVG, PDF, PNG, DOT), posters and the HTML report.

A pipeline in stages, each callable on its own (print any stage's output to debug it)::

    diagram = layout.build(process, analysis)        # what to draw (pure)
    where   = place.place(diagram)                    # where it goes (pure)
    text    = dot.to_dot(diagram)                     # DOT text with every position (pure)
    result  = graphviz_run.run_dot(text, ["svg"])     # Graphviz draws it (the one module)
    svg     = svg.tidy(result.outputs["svg"])         # deterministic SVG

:func:`render` runs them all with the page, poster and large-process options.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flowmap.analysis import Analysis
    from flowmap.model import Process

OUTPUT_FORMATS = ("svg", "pdf", "png", "dot")


@dataclass(frozen=True)
class RenderOptions:
    findings: str = "full"  # none | badges | full
    poster: bool = False  # one PDF page: diagram, findings, metrics, maturity
    paper: str | None = None  # A4 ... A0, letter, tabloid; None: the diagram's own size
    landscape: bool = False
    margin: float = 0.4  # inches
    date: str = ""  # shown under the title; empty: no date (output stays deterministic)
    legend: bool = True
    wrap: int = 18  # characters per line of a step's name
    dpi: int = 96  # PNG resolution
    max_steps: int = 300  # above this: an overview and one page per function
    time_budget: float = 120.0  # seconds for Graphviz before falling back to the overview
    overview: bool = False  # force the overview and the pages per function
    findings_table: bool | None = None  # list the findings under the diagram (default: shown)
    changes: object = None  # flowmap.diff.ElementChanges: mark what changed (`render --diff`)


@dataclass
class Page:
    suffix: str  # "" for the main file; "-<function>" for the pages of a large process
    data: bytes
    title: str = ""


@dataclass
class Rendered:
    format: str
    pages: list[Page]
    warnings: list[str] = field(default_factory=list)
    seconds_graphviz: float = 0.0

    @property
    def data(self) -> bytes:
        return self.pages[0].data


def render(process: Process, analysis: Analysis | None, fmt: str,
           options: RenderOptions | None = None,
           progress: Callable[[str], None] | None = None) -> Rendered:
    """Draw ``process`` (annotated with ``analysis``) as ``fmt`` (svg, pdf, png or dot)."""
    from flowmap.errors import UsageError
    from flowmap.graph import ProcessGraph
    from flowmap.render import layout
    from flowmap.render.graphviz_run import DotTimeout

    options = options or RenderOptions()
    if fmt not in OUTPUT_FORMATS:
        raise UsageError(f"cannot render to {fmt!r}; use one of {', '.join(OUTPUT_FORMATS)}")
    if options.poster:
        options = replace(options, findings="full" if options.findings == "none" else
                          options.findings, paper=options.paper or "auto")
    graph = ProcessGraph(process)
    diagram = layout.build(process, analysis, findings=options.findings, date=options.date,
                           graph=graph, changes=options.changes)
    big = len(process.steps) > options.max_steps
    if options.overview or big:
        if big and progress is not None:
            progress(f"{process.id}: {len(process.steps)} steps is more than --max-steps "
                     f"{options.max_steps}: drawing an overview and one page per function")
        return _large(diagram, graph, fmt, options, progress)
    try:
        page, warnings, seconds = _one(diagram, fmt, options, progress)
    except DotTimeout as exc:
        if progress is not None:
            progress(f"{exc}; drawing the overview and one page per function instead")
        rendered = _large(diagram, graph, fmt, options, progress)
        rendered.warnings.insert(0, str(exc))
        return rendered
    return Rendered(fmt, [page], warnings, seconds)


def _one(diagram, fmt: str, options: RenderOptions, progress, suffix: str = "",
         title: str = "") -> tuple[Page, list[str], float]:
    from flowmap.render import dot, page, svg
    from flowmap.render.graphviz_run import run_dot

    def text(extra=(0.0, 0.0), attrs=None) -> str:
        return dot.to_dot(diagram, legend=options.legend, poster=options.poster,
                          wrap_width=options.wrap, extra=extra, graph_attrs=attrs,
                          findings_table=options.findings_table)

    source = text()
    if fmt == "dot":
        return Page(suffix, source.encode("utf-8"), title), [], 0.0
    warnings: list[str] = []
    first = run_dot(source, ["svg"], timeout=options.time_budget, progress=progress)
    seconds = first.seconds
    warnings += _dot_warnings(first.warnings)
    image = first.outputs["svg"]
    if options.paper:
        width, height = svg.size_points(image)
        width, height = width - 2 * dot.PAD_POINTS, height - 2 * dot.PAD_POINTS
        if options.paper == "auto":
            paper, landscape = page.smallest(width, height, options.margin)
            options = replace(options, paper=paper, landscape=landscape)
        fit = page.fit(width, height, options.paper, options.landscape, options.margin)
        if fit.warning:
            warnings.append(fit.warning)
        extra = (fit.extra[0], fit.extra[1])
        attrs = dict(fit.graph_attrs)
        # Graphviz's drawing can differ from flowmap's estimate by a few points (the findings
        # table); one cheap SVG run measures it, and the blank room is corrected to fill the
        # paper exactly.
        check = run_dot(text(extra, attrs), ["svg"], timeout=options.time_budget,
                        progress=progress)
        seconds += check.seconds
        got_w, got_h = svg.size_points(check.outputs["svg"])
        want_w, want_h = page.paper_points(fit.paper, fit.landscape)
        extra = (extra[0] + max(0.0, want_w - got_w) / fit.scale,
                 extra[1] + max(0.0, want_h - got_h) / fit.scale)
        if fmt == "png":
            attrs["dpi"] = str(options.dpi)
        second = run_dot(text(extra, attrs), [fmt], timeout=options.time_budget,
                         progress=progress)
        seconds += second.seconds
        data = second.outputs[fmt]
    elif fmt == "svg":
        data = image
    else:
        again = run_dot(text(attrs={"dpi": str(options.dpi)} if fmt == "png" else None), [fmt],
                        timeout=options.time_budget, progress=progress)
        seconds += again.seconds
        data = again.outputs[fmt]
    if fmt == "svg":
        data = svg.tidy(data)
    return Page(suffix, data, title), warnings, seconds


def _dot_warnings(lines: list[str]) -> list[str]:
    kept = [line for line in lines if "too small for" not in line and "in label of" not in line]
    return [f"graphviz: {line}" for line in dict.fromkeys(kept)]


def _large(diagram, graph, fmt: str, options: RenderOptions, progress) -> Rendered:
    from flowmap.render import svg
    from flowmap.render.graphviz_run import run_dot
    from flowmap.render.overview import overview_dot

    source = overview_dot(diagram, graph)
    pages: list[Page] = []
    seconds = 0.0
    if fmt == "dot":
        pages.append(Page("", source.encode("utf-8"), "overview"))
    else:
        result = run_dot(source, [fmt], timeout=options.time_budget, progress=progress,
                         positioned=False)
        seconds += result.seconds
        data = result.outputs[fmt]
        pages.append(Page("", svg.tidy(data) if fmt == "svg" else data, "overview"))
    warnings: list[str] = []
    bands = [b for b in diagram.bands if b.stage != "customer"]
    for number, band in enumerate(bands, start=1):
        if progress is not None:
            progress(f"page {number} of {len(bands)}: {band.label}")
        part = function_diagram(diagram, band.key)
        page, more, took = _one(part, fmt, replace(options, poster=False), progress,
                                suffix=f"-{band.key}", title=band.label)
        pages.append(page)
        warnings += more
        seconds += took
    return Rendered(fmt, pages, warnings, seconds)


def function_diagram(diagram, function: str):
    """The part of ``diagram`` about one function: its steps and the steps one flow away."""
    from flowmap.render.layout import Band, Diagram, Line

    band = next(b for b in diagram.bands if b.key == function)
    own = {n.id for n in diagram.nodes
           if any(n.lane == lane.key for lane in band.lanes)}
    keep = set(own)
    for e in diagram.edges:
        if e.source in own or e.target in own:
            keep.update((e.source, e.target))
    steps_kept = {n.step for n in diagram.nodes if n.id in keep}
    rows = []
    for row in diagram.rows:
        if isinstance(row, Line):
            rows.append(row)
            continue
        lanes = tuple(replace(lane, steps=tuple(s for s in lane.steps if s in steps_kept))
                      for lane in row.lanes)
        lanes = tuple(lane for lane in lanes if lane.steps)
        if lanes:
            rows.append(Band(row.key, row.label, row.stage, lanes))
    # Drop lines that no longer separate anything.
    while rows and isinstance(rows[-1], Line):
        rows.pop()
    cleaned = []
    for row in rows:
        if isinstance(row, Line) and cleaned and isinstance(cleaned[-1], Line):
            cleaned[-1] = row
        else:
            cleaned.append(row)
    nodes = [n for n in diagram.nodes if n.id in keep]
    edges = [e for e in diagram.edges if e.source in keep and e.target in keep]
    shown = {n.id for n in nodes} | {e.id for e in edges}
    findings = [m for m in diagram.findings if set(m.elements) & shown]
    return Diagram(f"{diagram.title}: {band.label}", diagram.subtitle, cleaned, nodes, edges,
                   findings, diagram.findings_mode, diagram.metrics, diagram.maturity,
                   diagram.process_id)

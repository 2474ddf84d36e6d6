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

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flowmap.analysis import Analysis
    from flowmap.model import Process

OUTPUT_FORMATS = ("svg", "pdf", "png", "dot")


@dataclass(frozen=True)
class RenderOptions:
    findings: str = "full"  # none | badges | full
    poster: bool = False  # the workshop poster: findings, metrics and key beside the diagram
    paper: str | None = None  # A4 ... A0, letter, tabloid; None: the diagram's own size
    landscape: bool = False
    margin: float = 0.4  # inches
    date: str = ""  # shown under the title; empty: no date (output stays deterministic)
    legend: bool = True
    wrap: int | None = None  # characters per line of a step's name; None: 22, on paper 16
    dpi: int | None = None  # PNG resolution; default 300 on paper, 96 otherwise
    max_steps: int = 300  # above this: an overview and one page per function
    time_budget: float = 120.0  # seconds for Graphviz before falling back to the overview
    overview: bool = False  # force the overview and the pages per function
    findings_table: bool | None = None  # list the findings under the diagram (default: shown)
    changes: object = None  # flowmap.diff.ElementChanges: mark what changed (`render --diff`)
    min_points: float = 12.0  # the smallest printed size of a step's name, on paper

    def __post_init__(self) -> None:
        # The library checks its options by the same schema as `[render]` and the CLI's options,
        # so a caller's `wrap=6` is refused here instead of looping in the layout.
        from flowmap.config import render_settings

        values = {name: getattr(self, name) for name in _CHECKED}
        if values["paper"] == "auto":  # the poster's own choice of sheet, made in render()
            del values["paper"]
        render_settings(values, where="RenderOptions")


_CHECKED = ("findings", "paper", "margin", "wrap", "dpi", "min_points", "max_steps", "time_budget")
WRAP_SCREEN, WRAP_PAPER = 22, 16  # narrower on paper: more columns on a page


def wrap_width(options: RenderOptions) -> int:
    """Characters per line of a step's name with these options."""
    if options.wrap:
        return options.wrap
    return WRAP_PAPER if options.paper or options.poster else WRAP_SCREEN


@dataclass
class Page:
    suffix: str  # "" for the main file; "-p2", "-<function>" for further pages
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


def render(
    process: Process,
    analysis: Analysis | None,
    fmt: str,
    options: RenderOptions | None = None,
    progress: Callable[[str], None] | None = None,
) -> Rendered:
    """Draw ``process`` (annotated with ``analysis``) as ``fmt`` (svg, pdf, png or dot).

    On paper (``options.paper`` or ``options.poster``) step names print at ``min_points`` or
    more: a process too wide for one page is split into pages (one multi-page PDF; SVG and PNG
    one file per page, suffixed ``-p2``, ``-p3``...).
    """
    from flowmap.errors import UsageError
    from flowmap.graph import ProcessGraph
    from flowmap.render import layout
    from flowmap.render.graphviz_run import DotTimeout

    options = options or RenderOptions()
    if fmt not in OUTPUT_FORMATS:
        raise UsageError(f"cannot render to {fmt!r}; use one of {', '.join(OUTPUT_FORMATS)}")
    if options.poster:
        options = replace(
            options,
            findings="full" if options.findings == "none" else options.findings,
            paper=options.paper or "auto",
        )
    graph = ProcessGraph(process)
    diagram = layout.build(
        process,
        analysis,
        findings=options.findings,
        date=options.date,
        graph=graph,
        changes=options.changes,
    )
    big = len(process.steps) > options.max_steps
    if options.overview or big:
        if big and progress is not None:
            progress(
                f"{process.id}: {len(process.steps)} steps is more than --max-steps "
                f"{options.max_steps}: drawing an overview and one page per function"
            )
        return _large(diagram, graph, fmt, options, progress)
    try:
        if options.paper:
            from flowmap.render.sheets import render_paged

            return render_paged(diagram, fmt, options, progress)
        page, warnings, seconds = _one(diagram, fmt, options, progress)
    except DotTimeout as exc:
        if progress is not None:
            progress(f"{exc}; drawing the overview and one page per function instead")
        rendered = _large(diagram, graph, fmt, options, progress)
        rendered.warnings.insert(0, str(exc))
        return rendered
    return Rendered(fmt, [page], warnings, seconds)


def _one(
    diagram, fmt: str, options: RenderOptions, progress, suffix: str = "", title: str = ""
) -> tuple[Page, list[str], float]:
    """The whole diagram on one sheet of its own size: key and findings under the lanes."""
    from flowmap.render import dot, svg

    source = dot.to_dot(
        diagram,
        graph_attrs=_PNG_GROUND if fmt == "png" else None,
        legend=options.legend,
        poster=options.poster,
        wrap_width=wrap_width(options),
        findings_table=options.findings_table,
    )
    if fmt == "dot":
        return Page(suffix, source.encode("utf-8"), title), [], 0.0
    # One sheet of its own size: Graphviz writes the SVG or PDF itself (it only draws; for a
    # large sheet this is many times faster than converting the SVG); a PNG is its PDF
    # rasterised (:func:`_drawn`).
    data, warnings, seconds = _drawn(source, fmt, options, progress)
    if fmt == "svg":
        data = svg.tidy(data)
    return Page(suffix, data, title), warnings, seconds


# A PNG is rasterised onto white: a white page drawn under everything would cost PDFium a pass
# over every pixel (a sixth of its time on a 300-step sheet).
_PNG_GROUND = {"bgcolor": "transparent"}


def _drawn(
    source: str, fmt: str, options: RenderOptions, progress, positioned: bool = True
) -> tuple[bytes, list[str], float]:
    """``source`` drawn by Graphviz as ``fmt``, with what it warned and the seconds it took.

    A PNG without a paper size is a picture for a screen: 96 dpi (the size a browser shows the
    SVG at 100%) unless ``options.dpi`` says otherwise, lowered (with a warning) for a sheet
    wider than :data:`rasterise.MAX_PIXELS`. Graphviz writes it as PDF and PDFium rasterises
    that: Graphviz's own PNG writer spends three times as long compressing as drawing."""
    ready = None
    if fmt == "png":  # the rasteriser's imports, while Graphviz draws
        import threading

        from flowmap.render import rasterise

        ready = threading.Thread(target=rasterise.prepare, daemon=True)
        ready.start()
    result = _graphviz(source, fmt, options, progress, positioned)
    if ready is not None:
        ready.join()
    return _finished(result, fmt, options, processes=_workers())


def _graphviz(source: str, fmt: str, options: RenderOptions, progress, positioned: bool = True):
    """Graphviz's drawing of ``source``: ``fmt``, or for a PNG the PDF to rasterise."""
    from flowmap.render.graphviz_run import run_dot

    asked = "pdf" if fmt == "png" else fmt
    return run_dot(
        source, [asked], timeout=options.time_budget, progress=progress, positioned=positioned
    )


def _finished(
    result, fmt: str, options: RenderOptions, processes: int = 1
) -> tuple[bytes, list[str], float]:
    """What :func:`_drawn` gives for Graphviz's ``result``: a PNG is rasterised here, by up to
    ``processes`` processes."""
    from flowmap.render.graphviz_run import shown_warnings

    warnings = shown_warnings(result.warnings)
    if fmt != "png":
        return result.outputs[fmt], warnings, result.seconds
    from flowmap.render import rasterise

    dpi = options.dpi or 96
    data, fitted = rasterise.pdf_to_png(result.outputs["pdf"], dpi, processes)
    if fitted < dpi:
        warnings.append(rasterise.lower_dpi(fitted, dpi))
    return data, warnings, result.seconds


def _workers() -> int:
    """How many Graphviz runs at once: one per core this process may use."""
    import os

    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _all_finished(results: list, fmt: str, options: RenderOptions) -> list:
    """:func:`_finished` for each of Graphviz's ``results``. PNG pages are rasterised in as
    many processes as there are cores (PDFium runs one drawing at a time per process, and a
    large process's pages are each millions of pixels); elsewhere, or on one core, in turn."""
    import multiprocessing
    import threading

    workers = min(_workers(), len(results))
    forkable = "fork" in multiprocessing.get_all_start_methods()
    # Forked only from a process with no other thread (a server's threads could hold locks).
    if fmt != "png" or workers < 2 or not forkable or threading.active_count() > 1:
        return [_finished(result, fmt, options) for result in results]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return pool.starmap(_finished, [(result, fmt, options) for result in results])


def _large(diagram, graph, fmt: str, options: RenderOptions, progress) -> Rendered:
    """The overview and one page per function. Graphviz draws each page while Python writes
    the next one's DOT (threads that wait on ``dot``, one per core); PNG pages are then
    rasterised by :func:`_all_finished`."""
    from concurrent.futures import ThreadPoolExecutor

    from flowmap.render.columns import columns
    from flowmap.render.overview import overview_dot

    if options.paper and fmt != "dot":
        return _large_on_paper(diagram, graph, fmt, options, progress)

    source = overview_dot(diagram, graph)
    bands = [b for b in diagram.bands if b.stage != "customer"]
    column = columns(diagram)  # the whole process's order, kept on each function's page
    if fmt == "dot":
        pages = [Page("", source.encode("utf-8"), "overview")]
        for band in bands:
            part = function_diagram(diagram, band.key, column)
            page, _, _ = _one(
                part, fmt, replace(options, poster=False), progress, f"-{band.key}", band.label
            )
            pages.append(page)
        return Rendered(fmt, pages)
    from flowmap.render import dot, rasterise, svg

    with ThreadPoolExecutor(max_workers=_workers()) as pool:
        jobs = [pool.submit(_graphviz, source, fmt, options, progress, False)]
        if fmt == "png":
            pool.submit(rasterise.prepare)
        for number, band in enumerate(bands, start=1):
            if progress is not None:
                progress(f"page {number} of {len(bands)}: {band.label}")
            text = dot.to_dot(
                function_diagram(diagram, band.key, column),
                graph_attrs=_PNG_GROUND if fmt == "png" else None,
                legend=options.legend,
                wrap_width=wrap_width(options),
            )
            jobs.append(pool.submit(_graphviz, text, fmt, options, progress))
        results = [job.result() for job in jobs]
    drawn = _all_finished(results, fmt, options)
    warnings = [line for _, more, _ in drawn for line in more]
    seconds = sum(took for _, _, took in drawn)
    datas = [svg.tidy(data) if fmt == "svg" else data for data, _, _ in drawn]
    if fmt == "pdf":  # one PDF holds the overview and every function's page
        return Rendered(
            fmt, [Page("", rasterise.join_pdfs(datas), "overview and functions")], warnings, seconds
        )
    titles = ["overview"] + [b.label for b in bands]
    suffixes = [""] + [f"-{b.key}" for b in bands]
    pages = [Page(s, d, t) for s, d, t in zip(suffixes, datas, titles, strict=True)]
    return Rendered(fmt, pages, warnings, seconds)


def _large_on_paper(diagram, graph, fmt: str, options: RenderOptions, progress) -> Rendered:
    """The overview on one page of the paper, then each function's diagram on as many pages as
    it takes (names at ``min_points``), all in one PDF (SVG and PNG: a file per page)."""
    from flowmap.render.columns import columns
    from flowmap.render.graphviz_run import run_dot
    from flowmap.render.overview import overview_dot
    from flowmap.render.sheets import on_paper, render_paged

    if options.paper == "auto":  # a poster of a large process: A0 sheets
        options = replace(options, paper="A0", landscape=True)
    result = run_dot(
        overview_dot(diagram, graph),
        ["svg"],
        timeout=options.time_budget,
        progress=progress,
        positioned=False,
    )
    first, warnings = on_paper(result.outputs["svg"], options)
    svgs, suffixes, seconds = [first], [""], result.seconds
    bands = [b for b in diagram.bands if b.stage != "customer"]
    column = columns(diagram)  # the whole process's order, kept on each function's page
    for number, band in enumerate(bands, start=1):
        if progress is not None:
            progress(f"function {number} of {len(bands)}: {band.label}")
        part = render_paged(
            function_diagram(diagram, band.key, column),
            "svg",
            replace(options, poster=False),
            None,
            convert=False,
        )
        warnings += [f"{band.label}: {w}" for w in part.warnings]
        seconds += part.seconds_graphviz
        svgs += [p.data for p in part.pages]
        suffixes += [f"-{band.key}{p.suffix}" for p in part.pages]
    from flowmap.render.rasterise import convert

    datas = convert(svgs, fmt, options.dpi or 300, warnings)
    if fmt == "pdf":
        return Rendered(fmt, [Page("", datas[0], "overview and functions")], warnings, seconds)
    return Rendered(
        fmt, [Page(s, d) for s, d in zip(suffixes, datas, strict=True)], warnings, seconds
    )


def function_diagram(diagram, function: str, column: dict[str, int] | None = None):
    """The part of ``diagram`` about one function: its steps and the steps one flow away, in
    the whole process's order.

    Cut out of the process, a function's steps are joined mostly through other functions, so
    their own flows would leave them in unordered pieces (each starting at the left, stacked
    into one tower). ``column`` (node id -> column in the whole diagram; worked out when not
    given) keeps them in time order: each kept step comes after every kept step of an earlier
    column.
    """
    from flowmap.render.columns import columns
    from flowmap.render.layout import Band, Diagram, Line

    band = next(b for b in diagram.bands if b.key == function)
    own = {n.id for n in diagram.nodes if any(n.lane == lane.key for lane in band.lanes)}
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
        lanes = tuple(
            replace(lane, steps=tuple(s for s in lane.steps if s in steps_kept))
            for lane in row.lanes
        )
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
    if column is None:
        column = columns(diagram)
    return Diagram(
        f"{diagram.title}: {band.label}",
        diagram.subtitle,
        cleaned,
        nodes,
        edges,
        findings,
        diagram.findings_mode,
        diagram.metrics,
        diagram.maturity,
        diagram.process_id,
        _in_order(nodes, own, column),
    )


def _in_order(nodes, own: set[str], column: dict[str, int]) -> list[tuple[str, str]]:
    """Pairs that keep a function's page in the order of ``column``: each of the function's
    own steps after every own step of an earlier column, and each step of another function
    (one flow away) after the last own step before it. Steps of other functions may share a
    column with each other and with own steps, so the page is no wider than it must be."""
    groups: dict[int, list[str]] = {}
    for node in nodes:
        if node.id in own:
            groups.setdefault(column[node.id], []).append(node.id)
    times = sorted(groups)
    ordered = [groups[c] for c in times]
    pairs: list[tuple[str, str]] = []
    for before, after in pairwise(ordered):
        if len(before) * len(after) <= 16:
            pairs += [(a, b) for a in before for b in after]
        else:
            pairs += [(before[0], b) for b in after] + [(a, after[0]) for a in before[1:]]
    for node in nodes:
        if node.id not in own and (at := bisect_left(times, column[node.id])) > 0:
            pairs += [(a, node.id) for a in ordered[at - 1]]
    return pairs

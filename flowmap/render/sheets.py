"""A process on sheets of one paper size: strips packed on the fewest sheets, names readable.

:func:`flowmap.render.paging.plan` cuts the diagram into strips, says which strips share a sheet
and on which sheet the findings and the key have room; here each strip is drawn once by Graphviz
at its own size (SVG), and the strips of a sheet are stacked on one page of the paper at one
scale: the largest that fits (up to :data:`flowmap.render.page.MAX_ENLARGE` times the floor),
never below the floor at which step names print at ``min_points``. A poster keeps its panel
(findings, metrics, key) beside the first sheet; a handout puts the findings and the key beside
or under the strips of a sheet with room for them, and only when there is none on a page of
their own at the end — never on a cover page, and never a panel saying there is nothing to list.

PDF and PNG are converted from the composed SVG pages (:mod:`flowmap.render.rasterise`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from flowmap.render import Page, Rendered, RenderOptions, paging, wrap_width
from flowmap.render.compose import GAP, Block, Sheet, compose
from flowmap.render.page import MAX_ENLARGE, PANEL_MAX
from flowmap.render.paging import STRIP_GAP
from flowmap.render.place import FONT_SIZE, MARGIN, TITLE

if TYPE_CHECKING:
    from flowmap.render.layout import Diagram

PAD = 10.8  # Graphviz's pad around each drawing (0.15 in), points
LINE_HEIGHT = 16.0  # one more line under the title


def header_height(lines: int) -> float:
    return TITLE + LINE_HEIGHT * lines


def render_paged(
    diagram: Diagram, fmt: str, options: RenderOptions, progress, convert: bool = True
) -> Rendered:
    """``diagram`` on sheets of ``options.paper``, step names at ``options.min_points`` or more.

    ``convert=False`` gives the composed SVG pages as they are, to be converted with others."""
    from flowmap.errors import UsageError
    from flowmap.render import key, page

    options = replace(options, wrap=wrap_width(options))
    floor = options.min_points / FONT_SIZE  # the smallest scale that keeps names readable
    measure = measurer(options)
    whole = whole_process_lines(diagram)
    paper, landscape = options.paper, options.landscape
    if paper == "auto":
        paper, landscape = poster_paper(diagram, options, floor, measure, len(whole))
    assert paper is not None, "render_paged is for paper: options.paper or a poster"
    paper = page.paper_name(paper)
    pw, ph = page.paper_points(paper, landscape)
    rw, rh = pw - 2 * options.margin * 72, ph - 2 * options.margin * 72
    if rw <= 0 or rh <= 0:
        raise UsageError(f"margins of {options.margin} in leave no room on {paper}")
    room = (rw / floor, rh / floor)
    listed = diagram.findings_mode != "none" and bool(diagram.findings)
    panel_wanted = options.legend or listed or options.poster
    side_w = page.panel_width(room[0]) if panel_wanted else 0.0
    first_side = side_w + GAP if options.poster else 0.0
    items = key.entries(diagram, pages=True) if options.legend else []  # the most it lists
    need = partial(_panel_need, diagram, items)

    def panel_fill(width: float, height: float, area: float) -> float | None:
        """How full a sheet of strips of this size is with the panel beside or under them."""
        found = _panel_room([(width, height)], 0.0, (rw, rh), side_w, need, floor)
        if found is None:
            return None
        scale, _, (w, h) = found
        return scale * scale * (area + w * h) / (rw * rh)

    handout_panel = panel_wanted and not options.poster
    plan = paging.plan(
        diagram,
        room,
        measure,
        first_side=first_side,
        header=lambda i: header_height(1 + (len(whole) if i == 0 else 0)),
        panel=panel_fill if handout_panel else None,
    )
    parts = plan.sheets
    items = key.entries(diagram, pages=sum(len(p) for p in parts) > 1) if options.legend else []
    sizes = [[measure(strip) for strip in strips] for strips in parts]
    where = 0 if options.poster else None  # the sheet with the panel: a poster's first
    if handout_panel:  # the planned sheet, if the strips as drawn leave it room; else the emptiest
        need = partial(_panel_need, diagram, items)
        heads = [header_height(1 + (len(whole) if i == 0 else 0)) for i in range(len(parts))]
        fitting = [
            i
            for i, strip_sizes in enumerate(sizes)
            if _panel_room(strip_sizes, heads[i], (rw, rh), side_w, need, floor) is not None
        ]
        if plan.panel_on in fitting or not fitting:
            where = plan.panel_on if fitting else None
        else:
            where = min(fitting, key=lambda i: _fill(sizes[i], heads[i], (rw, rh), floor))
    own_page = handout_panel and where is None  # the findings and key on a page at the end
    count = len(parts) + own_page
    sheets = []
    for number, (strips, strip_sizes) in enumerate(zip(parts, sizes, strict=True), start=1):
        lines = ((f"page {number} of {count}",) if count > 1 else ()) + (
            tuple(whole) if number == 1 else ()
        )
        blocks = []
        for i, (strip, (w, h)) in enumerate(zip(strips, strip_sizes, strict=True)):
            titled = i == 0
            dot_text = strip_dot(strip, options, lines if titled else None)
            blocks.append(Block(dot_text, (w, h + (header_height(len(lines)) if titled else 0))))
        sheets.append(Sheet(blocks, lines=lines))
    if where is not None:
        sheet = sheets[where]
        need = partial(_panel_need, diagram, items)
        found = _panel_room(
            [b.size for b in sheet.strips],
            0.0,
            (rw, rh),
            side_w,
            need,
            floor,
            beside_only=options.poster,
        )
        if found is not None:
            _, sheet.below, (width, height) = found
            body = _panel(diagram, options, width - 2 * (MARGIN + PAD), height - 2 * (MARGIN + PAD))
            sheet.panel = Block(panel_dot(diagram, body, items, None), (width, height))
        else:  # a poster whose first sheet is full: the panel as a page of its own
            own_page = True
    if own_page:
        body = _panel(
            diagram,
            options,
            min(room[0], 2 * PANEL_MAX) - 2 * (MARGIN + PAD),
            room[1] - header_height(1) - 2 * (MARGIN + PAD),
        )
        what = ("findings and key" if items else "findings") if listed else "key"
        lines = (f"page {count} of {count}: {what}",)
        sheets.append(Sheet([Block(panel_dot(diagram, body, items, lines), room)], lines=lines))
    blocks = [b for s in sheets for b in (*s.strips, *((s.panel,) if s.panel else ()))]
    if fmt == "dot":
        return Rendered(
            fmt, [Page(_suffix(i), b.dot.encode("utf-8")) for i, b in enumerate(blocks)]
        )
    warnings: list[str] = []
    seconds = draw(blocks, options, progress, warnings)
    pages = []
    for number, sheet in enumerate(sheets, start=1):
        svg, scale = compose(sheet, pw, ph, options.margin * 72, floor)
        if scale < floor * 0.999:
            at = f"page {number}: " if len(sheets) > 1 else ""
            warnings.append(
                f"{at}one column of this process is too tall for {paper}"
                f"{' landscape' if landscape else ''}: step names print at "
                f"{FONT_SIZE * scale:.2f} pt, below {FONT_SIZE * floor:g} pt; use "
                "a larger --paper or a smaller --min-points"
            )
        pages.append(svg)
    if not convert:
        return Rendered(
            "svg", [Page(_suffix(i), d) for i, d in enumerate(pages)], warnings, seconds
        )
    from flowmap.render import rasterise

    datas = rasterise.convert(pages, fmt, options.dpi or 300, warnings)
    return Rendered(fmt, [Page(_suffix(i), d) for i, d in enumerate(datas)], warnings, seconds)


# ---------------------------------------------------------------------------------------------
# Sizes and the choice of paper
# ---------------------------------------------------------------------------------------------


def measurer(options: RenderOptions):
    """The size (points, at scale 1) of a strip as Graphviz will draw it, without a title."""
    from flowmap.render import dot
    from flowmap.render.place import place

    known: dict[tuple, tuple[float, float]] = {}  # the same strip, planned on other papers

    def measure(strip: Diagram) -> tuple[float, float]:
        steps = tuple((n.id, n.name) for n in strip.nodes)  # markers say where they lead
        if steps in known:
            return known[steps]
        tags = {
            n.id: dot.value_tag(n)
            for n in strip.nodes
            if n.kind not in dot.style.UNVALUED and not n.continuation
        }
        where = place(strip, wrap_width=options.wrap or wrap_width(options), tags=tags, title=0.0)
        known[steps] = (where.width + 2 * PAD, where.height + 2 * PAD)
        return known[steps]

    return measure


def poster_paper(
    diagram: Diagram, options: RenderOptions, floor: float, measure, whole: int
) -> tuple[str, bool]:
    """The smallest landscape paper (A0 at most) on which the whole poster is one sheet, the
    panel beside the lanes, names at the floor; A0 when none is (then several sheets). Papers
    are tried from A0 down until one does not hold it (each smaller one holds less)."""
    from flowmap.render import page

    chosen = "A0"
    for name in reversed(page.ORDER):
        pw, ph = page.paper_points(name, True)
        room = ((pw - 2 * options.margin * 72) / floor, (ph - 2 * options.margin * 72) / floor)
        if room[0] <= 0 or room[1] <= 0:
            break
        side = page.panel_width(room[0])
        sheets = paging.pack(
            diagram,
            room,
            measure,
            first_side=side + GAP,
            most=1,
            header=lambda i: header_height(1 + whole),
        )
        if len(sheets) > 1:
            break
        chosen = name
    return chosen, True


def _panel_need(diagram: Diagram, items, width: float) -> float:
    """The least height a panel needs to be worth drawing: the key and a few findings."""
    from flowmap.render import key

    listed = diagram.findings_mode != "none" and bool(diagram.findings)
    return (
        (key.height(items, width) if items else 0.0)
        + (24 + 90 * min(3, len(diagram.findings)) if listed else 0.0)
        + 2 * (MARGIN + PAD)
        + 30
    )


def _stack(sizes: list[tuple[float, float]], header: float) -> tuple[float, float]:
    """The width and height of strips of ``sizes`` stacked, with a title of ``header``."""
    return (
        max(w for w, _ in sizes),
        sum(h for _, h in sizes) + STRIP_GAP * (len(sizes) - 1) + header,
    )


def _fill(
    sizes: list[tuple[float, float]], header: float, room: tuple[float, float], floor: float
) -> float:
    """How full a sheet of strips of ``sizes`` is, printed as large as it fits."""
    width, height = _stack(sizes, header)
    scale = min(room[0] / width, room[1] / height, floor * MAX_ENLARGE)
    area = sum(w * h for w, h in sizes) + width * header
    return scale * scale * area / (room[0] * room[1])


def _panel_room(
    sizes: list[tuple[float, float]],
    header: float,
    room: tuple[float, float],
    side_w: float,
    need: Callable[[float], float],
    floor: float,
    beside_only: bool = False,
) -> tuple[float, bool, tuple[float, float]] | None:
    """Where a panel goes on a sheet of strips of ``sizes``: (the sheet's scale, under the
    strips?, the panel's size), at the larger scale of the two places that keeps the floor;
    None when neither does."""
    width, height = _stack(sizes, header)
    rw, rh = room
    top = floor * MAX_ENLARGE
    beside = min(rw / (width + GAP + side_w), rh / max(height, need(side_w)), top)
    below = min(rw / max(width, side_w), rh / (height + STRIP_GAP + need(max(width, side_w))), top)
    if beside_only or (beside >= below and beside >= floor * 0.999):
        if beside < floor * 0.999 and not beside_only:
            return None
        scale = beside
        panel_w = min(PANEL_MAX, max(side_w, rw / scale - width - GAP))
        return scale, False, (panel_w, max(rh / scale, height))
    if below >= floor * 0.999:
        return (
            below,
            True,
            (max(width, min(rw / below, 2 * PANEL_MAX)), rh / below - height - STRIP_GAP),
        )
    return None


# ---------------------------------------------------------------------------------------------
# DOT for the blocks, and drawing them
# ---------------------------------------------------------------------------------------------


def strip_dot(strip: Diagram, options: RenderOptions, lines: tuple[str, ...] | None) -> str:
    """DOT for one strip; ``lines`` under the title, or None for a strip without title."""
    from flowmap.render import dot

    return dot.to_dot(
        strip,
        legend=False,
        findings_table=False,
        poster=False,
        wrap_width=options.wrap or wrap_width(options),
        title_lines=lines or (),
        titled=lines is not None,
    )


def panel_dot(diagram: Diagram, body, items, lines: tuple[str, ...] | None) -> str:
    """DOT for a panel alone (findings, metrics, key); titled when it is a page of its own."""
    from flowmap.render import dot
    from flowmap.render.layout import Diagram as Blank

    blank = Blank(
        diagram.title,
        diagram.subtitle,
        [],
        [],
        [],
        diagram.findings,
        diagram.findings_mode,
        diagram.metrics,
        diagram.maturity,
    )
    return dot.to_dot(
        blank,
        legend=False,
        findings_table=False,
        side=body,
        key_items=items,
        title_lines=lines or (),
        titled=lines is not None,
    )


def _panel(diagram: Diagram, options: RenderOptions, width: float, height: float):
    from flowmap.render.panel import Panel

    return Panel(
        max(width, 200.0),
        max(height, 60.0),
        list(diagram.findings),
        diagram.metrics if options.poster else None,
        diagram.maturity if options.poster else None,
        full=diagram.findings_mode == "full" or options.poster,
        findings_shown=diagram.findings_mode != "none",
    )


def draw(blocks: list[Block], options: RenderOptions, progress, warnings: list[str]) -> float:
    """Graphviz draws each block as SVG; the seconds it took."""
    from flowmap.render.graphviz_run import run_dot, shown_warnings

    seconds = 0.0
    for number, block in enumerate(blocks, start=1):
        if progress is not None and len(blocks) > 1:
            progress(f"drawing part {number} of {len(blocks)}")
        result = run_dot(block.dot, ["svg"], timeout=options.time_budget, progress=progress)
        seconds += result.seconds
        warnings += shown_warnings(result.warnings)
        block.svg = result.outputs["svg"]
    return seconds


def whole_process_lines(diagram: Diagram) -> list[str]:
    """Findings about the whole process (naming no step or flow), for the title block."""
    from flowmap.render.style import SEVERITY_LETTER
    from flowmap.render.text import wrap

    lines: list[str] = []
    for m in diagram.findings:
        if not m.elements and diagram.findings_mode != "none" and len(lines) < 6:
            text = f"{SEVERITY_LETTER.get(m.severity, '?')} {m.number} · {m.code}: {m.message}"
            lines += wrap(text, 120, 2)  # the whole sentence, on two lines at most
    return lines[:6]


def on_paper(svg: bytes, options: RenderOptions) -> tuple[bytes, list[str]]:
    """A drawing of its own size (the overview of a large process) alone on a page of
    ``options.paper``, as large as fits (up to twice the size at which names print at
    ``options.min_points``); a warning when it prints smaller than that."""
    from flowmap.render import page
    from flowmap.render.svg import size_points

    paper = page.paper_name("A0" if options.paper == "auto" else options.paper or "A0")
    landscape = options.landscape or options.paper == "auto"
    floor = options.min_points / FONT_SIZE
    pw, ph = page.paper_points(paper, landscape)
    drawn, scale = compose(
        Sheet([Block("", size_points(svg), svg)]), pw, ph, options.margin * 72, floor
    )
    if scale < floor * 0.999:
        return drawn, [
            (
                f"the overview prints at {scale * 100:.0f}% of its size on {paper}: its "
                f"names are smaller than {options.min_points:g} pt"
            )
        ]
    return drawn, []


def _suffix(index: int) -> str:
    return "" if index == 0 else f"-p{index + 1}"

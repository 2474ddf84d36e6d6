"""How many sheets each library process takes on paper, and how full they are.

    python benchmarks/render_pages.py                  # A4 and A3 landscape handouts, posters
    python benchmarks/render_pages.py --papers A3      # one paper size

For every process in ``processes/`` (as-is and to-be), prints the number of pages of the handout
on each paper size (landscape, step names at 12 pt or more) and of the workshop poster
(``--poster``: the smallest landscape sheet up to A0 that holds it, else A0 pages), with the fill
of the emptiest page. Fewer sheets with the same minimum size is better: a facilitator pins every
page on a wall; and a page that is mostly white is a page too many.

**Fill** of a page: the area of the blueprint's bands as printed (the customer's band and each
function's band with its lanes, from Graphviz's own drawing of each strip: titles, margins and
the white between strips are not counted) plus the area of the findings-and-key panel, over the
area of the page inside its margins. At the end: the median page, the emptiest page and how many
pages are under half full, per paper.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_PAGE = re.compile(rb'<svg width="([0-9.]+)pt" height="([0-9.]+)pt"')
_BLOCK = re.compile(
    rb'<svg x="[0-9.]+" y="[0-9.]+" width="([0-9.]+)" height="([0-9.]+)" '
    rb'viewBox="[0-9.]+ [0-9.]+ ([0-9.]+) ([0-9.]+)">'
)
_BAND = re.compile(rb"<title>cluster_b\d+</title>\n.*?points=\"([^\"]+)\"", re.DOTALL)


def fill(page: bytes, margin: float = 0.4 * 72) -> float:
    """The share of the page inside its margins covered by bands and the panel (see above)."""
    pw, ph = (float(v) for v in _PAGE.search(page).groups())
    covered = 0.0
    blocks = list(_BLOCK.finditer(page))
    for i, block in enumerate(blocks):
        body = page[block.end() : blocks[i + 1].start() if i + 1 < len(blocks) else len(page)]
        width, height, view_w, _ = (float(v) for v in block.groups())
        scale = width / view_w
        bands = _BAND.findall(body)
        if not bands:  # the panel: findings, metrics, key
            covered += width * height
        for points in bands:
            xs, ys = zip(*(map(float, p.split(b",")) for p in points.split()), strict=True)
            covered += (max(xs) - min(xs)) * (max(ys) - min(ys)) * scale * scale
    return covered / ((pw - 2 * margin) * (ph - 2 * margin))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--papers", default="A4,A3", help="handout paper sizes, landscape")
    parser.add_argument("--processes", default=str(ROOT / "processes"))
    parser.add_argument("--min-points", type=float, default=12.0)
    args = parser.parse_args()

    from flowmap.analysis import analyze
    from flowmap.config import find_config
    from flowmap.loaders import load_any
    from flowmap.render import RenderOptions, render
    from flowmap.render.page import paper_of
    from flowmap.render.svg import size_points

    papers = [p.strip() for p in args.papers.split(",") if p.strip()]
    heads = [f"{p} landscape: pages, emptiest" for p in papers] + ["poster: sheets, emptiest"]
    print("| process | steps | " + " | ".join(heads) + " |")
    print("|---|---:|" + "---:|" * len(heads))
    totals = [0] * len(heads)
    fills: list[list[float]] = [[] for _ in heads]
    for path in sorted(Path(args.processes).rglob("*.flow.yaml")):
        process = load_any(path)
        analysis = analyze(process, find_config(path))
        cells = []
        options = [
            RenderOptions(paper=paper, landscape=True, min_points=args.min_points)
            for paper in papers
        ] + [RenderOptions(poster=True, min_points=args.min_points)]
        for i, option in enumerate(options):
            pages = render(process, analysis, "svg", option).pages
            totals[i] += len(pages)
            full = [fill(page.data) for page in pages]
            fills[i] += full
            count = str(len(pages))
            if option.poster:
                count += " × " + paper_of(*size_points(pages[0].data))
            cells.append(f"{count}, {min(full):.0%}")
        name = f"{path.parent.name} {path.name.removesuffix('.flow.yaml')}"
        print(f"| {name} | {len(process.steps)} | " + " | ".join(cells) + " |")
    print("| **total** | | " + " | ".join(f"**{t}**" for t in totals) + " |")
    print()
    for head, values in zip(heads, fills, strict=True):
        print(
            f"{head.split(':')[0]}: {len(values)} pages, median fill "
            f"{statistics.median(values):.0%}, emptiest {min(values):.0%}, "
            f"{sum(v < 0.5 for v in values)} under half"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

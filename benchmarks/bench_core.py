"""Start-up, validation and load/analysis scaling (issues 3 and 4).

    python benchmarks/bench_core.py [--quick]

Prints medians over several runs and the ratios the goals are stated in:
- `flowmap --version` within 0.1 s of a bare `python -c pass`;
- validating a 50-step file within 0.3 s end to end;
- loading + validating grows linearly (100,000 steps in a few seconds);
- analysing 20,000 steps across 30 functions in under 4 s, and 10x the steps at most 12x the time;
- a folder of 1,000 process files analysed in parallel across the cores.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import itertools

from common import PYTHON, call_times, median, row, run_times
from synthetic import generate

FLOWMAP = [PYTHON, "-m", "flowmap"]


def main(quick: bool) -> None:
    runs = 3 if quick else 7
    work = Path(tempfile.mkdtemp(prefix="flowmap-bench-"))
    print(f"# flowmap core benchmark ({os.cpu_count()} cores, Python {sys.version.split()[0]})\n")

    print("## Start-up")
    bare = run_times([PYTHON, "-c", "pass"], runs=runs * 2)
    version = run_times([*FLOWMAP, "--version"], runs=runs * 2)
    helptext = run_times([*FLOWMAP, "--help"], runs=runs * 2)
    print(row("python -c pass", bare))
    print(
        row(
            "flowmap --version",
            version,
            f"+{median(version) - median(bare):.3f} s over bare python (goal < 0.100)",
        )
    )
    print(row("flowmap --help", helptext, f"+{median(helptext) - median(bare):.3f} s"))

    small = work / "s50.flow.yaml"
    small.write_text(generate(50, functions=6))
    validate = run_times([*FLOWMAP, "validate", str(small)], runs=runs * 2)
    print(row("flowmap validate (50 steps)", validate, "(goal < 0.300)"))

    print("\n## Load + validate, in process (linear growth)")
    from flowmap.analysis import analyze
    from flowmap.config import Config
    from flowmap.loaders.flow_yaml import load_process

    sizes = (1_000, 10_000, 100_000) if not quick else (1_000, 10_000)
    loads = {}
    for n in sizes:
        path = work / f"s{n}.flow.yaml"
        path.write_text(generate(n, functions=30))
        times = call_times(lambda p=path: load_process(p), runs=3 if n >= 100_000 else runs)
        loads[n] = median(times)
        mb = path.stat().st_size / 2**20
        print(
            row(f"load {n:>7} steps ({mb:5.1f} MiB)", times, f"{loads[n] / n * 1e6:6.1f} us/step")
        )
    first, last = sizes[0], sizes[-1]
    print(f"ratio {last // first}x steps -> {loads[last] / loads[first]:.1f}x time")

    print("\n## Analysis (all rules), in process")
    config = Config()
    analysis_times = {}
    for n in (2_000, 20_000) if quick else (2_000, 20_000, 200_000):
        path = work / f"a{n}.flow.yaml"
        path.write_text(generate(n, functions=30))
        process = load_process(path)
        times = call_times(lambda p=process: analyze(p, config), runs=1 if n >= 200_000 else 3)
        analysis_times[n] = median(times)
        print(
            row(f"analyze {n:>7} steps, 30 functions", times, "(goal < 4 s)" if n == 20_000 else "")
        )
    keys = sorted(analysis_times)
    for a, b in itertools.pairwise(keys):
        print(
            f"ratio {b // a}x steps -> {analysis_times[b] / analysis_times[a]:.1f}x time "
            "(goal <= 12x)"
        )
    if 20_000 in analysis_times:
        total = run_times(
            [*FLOWMAP, "analyze", str(work / "a20000.flow.yaml"), "--exit-zero", "-f", "json"],
            runs=3,
        )
        print(row("flowmap analyze 20,000 steps (whole command)", total))

    print("\n## A folder of process files, in parallel")
    folder = work / "many"
    folder.mkdir()
    count = 200 if quick else 1_000
    text = generate(40, functions=6)
    for i in range(count):
        (folder / f"p{i:04d}.flow.yaml").write_text(text.replace("synthetic-40", f"p{i}"))
    serial = run_times(
        [*FLOWMAP, "analyze", str(folder), "--exit-zero", "-j", "1", "-f", "json"], runs=3, warmup=0
    )
    parallel = run_times(
        [*FLOWMAP, "analyze", str(folder), "--exit-zero", "-f", "json"], runs=3, warmup=0
    )
    print(row(f"analyze {count} files, 1 worker", serial))
    print(
        row(
            f"analyze {count} files, {os.cpu_count()} workers",
            parallel,
            f"speed-up {median(serial) / median(parallel):.2f}x",
        )
    )


if __name__ == "__main__":
    main("--quick" in sys.argv)

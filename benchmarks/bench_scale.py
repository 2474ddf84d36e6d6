"""Does analysis grow linearly on every shape of process? (issue 13, section 4)

    python benchmarks/bench_scale.py                      # 2,000 and 20,000 steps, every shape
    python benchmarks/bench_scale.py --sizes 500 5000 --shapes bpmn-service --rules

For each shape of ``shapes.py`` and each size: reading the file (load), the analysis (all
rules, ranking, metrics) and the JSON report, each the median of ``--runs`` runs; then the ratio
of the time at the largest size to the smallest against the ratio of their steps (goal: ten
times the steps at most twelve times the time). Each run is a fresh process that first reads,
analyses and reports a small model of the same shape (:data:`WARM_STEPS` steps) untimed, so
that what is built on first use (imports, expressions, validators) is built, then times the
parts on its own file once, with the collector setting of ``flowmap analyze``: the file's first
analysis in the process, as a user's run is. Until session 7 the untimed run was on the same
file, which left the timed run with every name already read (the inference's caches) and the
model built in the freed memory of the first one, scattered: neither happens in a user's run,
and the second made the large size slower, the first the small one faster (synthetic shape, one
quiet run each: 12.9x with that warm-up, 11.1x with this one). One process for all sizes
analysed the small model 7 to 13% slower once it had held the large one, which made the growth
look smaller. The sizes take turns (a run of each size,
then the next run), so that the other work on a shared machine weighs on both alike.
``--rules`` adds each rule's own
time at every size (the rules that grow fastest first), to find the one that does not scale.
``--command`` also times the whole ``flowmap analyze -f json`` command on each file.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import median, row, run_times
from shapes import SHAPES


def rule_times(process, config) -> dict[str, float]:
    """Seconds each selected rule takes on ``process`` (shared graph caches are charged to the
    first rule that fills them, as in a real run)."""
    from flowmap.analysis import rule_options, selected_rules
    from flowmap.graph import ProcessGraph
    from flowmap.rules.base import Context, Severity

    graph = ProcessGraph(process)
    out = {}
    for rule_class in selected_rules(config):
        ctx = Context(process, graph, rule_options(rule_class, config), Severity("warning"))
        start = time.perf_counter()
        # A rule that needs what the model lacks may raise: its time still counts.
        with contextlib.suppress(Exception):
            list(rule_class().check(ctx))
        out[rule_class.code] = time.perf_counter() - start
    return out


WARM_STEPS = 200  # the size of the untimed model a run starts with


def worker(path: str, warm: str) -> None:
    """One timed run in this fresh process, after an untimed one on ``warm``: the parts' wall
    and CPU seconds, as JSON."""
    from flowmap.analysis import analyze
    from flowmap.config import Config
    from flowmap.launch import collect_less
    from flowmap.loaders import load_any
    from flowmap.reporters import json as json_reporter

    collect_less("analyze")  # the garbage collection `flowmap analyze` runs with (none)
    config = Config()
    json_reporter.report([analyze(load_any(warm), config)], [])
    cpu_before = time.process_time()
    start = time.perf_counter()
    process = load_any(path)
    loaded = time.perf_counter()
    analysis = analyze(process, config)
    analysed = time.perf_counter()
    json_reporter.report([analysis], [])
    done = time.perf_counter()
    cpu = time.process_time() - cpu_before
    parts = {"load": loaded - start, "analyze": analysed - loaded, "json": done - analysed}
    print(json.dumps({"parts": parts, "cpu": cpu}))


def main() -> None:
    if sys.argv[1:2] == ["--worker"]:
        worker(sys.argv[2], sys.argv[3])
        return
    import gc

    gc.set_threshold(100_000, 50, 100)  # as the command line sets it (flowmap.cli.main)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2_000, 20_000])
    parser.add_argument("--shapes", nargs="+", choices=sorted(SHAPES), default=list(SHAPES))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rules", action="store_true", help="time each rule too")
    parser.add_argument("--command", action="store_true", help="time the whole command too")
    args = parser.parse_args()

    from flowmap.analysis import analyze
    from flowmap.config import Config
    from flowmap.launch import collect_less
    from flowmap.loaders import load_any

    collect_less("analyze")  # the garbage collection `flowmap analyze` runs with (none)
    config = Config()
    work = Path(tempfile.mkdtemp(prefix="flowmap-scale-"))
    flowmap = [str(Path(sys.executable).parent / "flowmap"), "analyze", "--exit-zero", "-f", "json"]
    print("# Analysis time by shape and size (medians; each run a fresh process; machine shared)")
    worst = []
    for shape in args.shapes:
        print(f"\n## {shape}")
        totals: dict[int, float] = {}
        steps: dict[int, int] = {}
        per_rule: dict[int, dict[str, float]] = {}
        cpu: dict[int, float] = {}
        fastest: dict[int, float] = {}  # the run that took the least CPU, per size
        paths: dict[int, Path] = {}
        times: dict[tuple[int, str], list[float]] = {}
        findings: dict[int, int] = {}
        first, last = min(args.sizes), max(args.sizes)
        name, text = SHAPES[shape](WARM_STEPS)
        warm = work / f"warm-{name}"
        warm.write_text(text, encoding="utf-8")
        for size in args.sizes:
            name, text = SHAPES[shape](size)
            path = paths[size] = work / f"{size}-{name}"
            path.write_text(text, encoding="utf-8")
            process = load_any(path)  # once untimed: what is built on first use is built
            steps[size] = len(process.steps)
            analysis = analyze(process, config)
            findings[size] = len(analysis.findings)
            for failed in analysis.rule_errors:  # a rule that stops early is timed short
                print(f"RULE ERROR at {size}: {failed.code}: {failed.message}")
            if args.rules:
                per_rule[size] = rule_times(process, config)
            del process, analysis
            cpu[size] = 0.0
            fastest[size] = float("inf")
        for _ in range(args.runs):
            for size in args.sizes:  # the sizes take turns
                done = subprocess.run(
                    [sys.executable, __file__, "--worker", str(paths[size]), str(warm)],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                measured = json.loads(done.stdout.splitlines()[-1])
                # CPU time of the same runs: on a machine shared with other work the wall
                # clock swings by half, the CPU far less.
                cpu[size] += measured["cpu"] / args.runs
                fastest[size] = min(fastest[size], measured["cpu"])
                for part, seconds in measured["parts"].items():
                    times.setdefault((size, part), []).append(seconds)
        for size in args.sizes:
            totals[size] = sum(median(times[size, part]) for part in ("load", "analyze", "json"))
            label = f"{steps[size]:>7} steps"
            print(row(f"load     {label}", times[size, "load"]))
            print(row(f"analyze  {label} ({findings[size]} findings)", times[size, "analyze"]))
            print(row(f"json     {label}", times[size, "json"]))
            if args.command:
                print(
                    row(
                        f"flowmap analyze -f json, {label}",
                        run_times([*flowmap, str(paths[size])], runs=args.runs),
                    )
                )
        grow = steps[last] / steps[first]
        ratio = totals[last] / totals[first]
        cpu_ratio = cpu[last] / cpu[first]
        # The fastest run is the one the other work on the machine disturbed least.
        fastest_ratio = fastest[last] / fastest[first]
        worst.append((shape, grow, ratio, cpu_ratio, fastest_ratio))
        print(
            f"{grow:.1f}x the steps -> {ratio:.1f}x the time (load + analyze + json; "
            f"goal <= {grow * 1.2:.1f}x); CPU {cpu[first]:.2f} -> {cpu[last]:.2f} s per run, "
            f"{cpu_ratio:.1f}x; fastest run's CPU {fastest_ratio:.1f}x"
        )
        if args.rules:
            growth = sorted(
                per_rule[last], key=lambda c: -(per_rule[last][c] / max(per_rule[first][c], 1e-4))
            )
            print(
                "rules, fastest-growing first: "
                + ", ".join(
                    f"{c} {per_rule[first][c] * 1000:.0f}->{per_rule[last][c] * 1000:.0f} ms"
                    for c in growth[:8]
                )
            )
    print("\n## Summary")
    for shape, grow, ratio, cpu_ratio, fastest_ratio in worst:
        verdict = "ok" if ratio <= grow * 1.2 else "NOT LINEAR"
        print(
            f"{shape:<14} {grow:5.1f}x steps -> {ratio:5.1f}x time, {cpu_ratio:5.1f}x CPU, "
            f"{fastest_ratio:5.1f}x fastest CPU  {verdict}"
        )


if __name__ == "__main__":
    main()

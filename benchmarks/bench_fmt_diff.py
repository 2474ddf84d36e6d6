"""Speed of `flowmap fmt --check` and `flowmap diff`: the process library and a 20,000-step file.

    python benchmarks/bench_fmt_diff.py                 # library + 20,000 steps
    python benchmarks/bench_fmt_diff.py --steps 5000 --runs 3

Targets (issue 7): within a second on the whole processes/ library, within a few seconds on a
synthetic 20,000-step process. Each figure is the median wall-clock time of the command as a
whole process (start-up included), after a warm-up run.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PYTHON, ROOT, median, row, run_times
from synthetic import generate

FLOWMAP = [PYTHON, "-m", "flowmap"]


def verdict(times: list[float], limit: float) -> str:
    return f"(target < {limit:g} s: {'ok' if median(times) < limit else 'SLOW'})"


def library(runs: int) -> None:
    processes = ROOT / "processes"
    files = sorted(processes.glob("**/*.flow.yaml"))
    print(f"library: {len(files)} process files under processes/")
    times = run_times([*FLOWMAP, "fmt", "--check", str(processes)], runs, cwd=ROOT)
    print(row("fmt --check processes/", times, verdict(times, 1.0)))
    if shutil.which("git"):
        # every file changed on disk (reformatted), so each one is read from git, loaded and
        # analysed in both versions: the worst case of `flowmap diff main -- processes/`
        with tempfile.TemporaryDirectory(prefix="flowmap-bench-") as tmp:
            repo = Path(tmp)
            shutil.copytree(processes, repo / "processes")
            git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com"]
            for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "library"]):
                subprocess.run([*git, *args], cwd=repo, check=True)
            subprocess.run([*FLOWMAP, "fmt", "-q", "processes"], cwd=repo, check=False)
            times = run_times([*FLOWMAP, "diff", "HEAD", "--", "processes"], runs, cwd=repo)
            print(row("diff HEAD -- processes/ (all reformatted)", times, verdict(times, 1.0)))
    pairs = [
        (f.parent / "as-is.flow.yaml", f)
        for f in files
        if f.name == "to-be.flow.yaml" and (f.parent / "as-is.flow.yaml").exists()
    ]
    if pairs:
        old, new = pairs[0]
        times = run_times([*FLOWMAP, "diff", str(old), str(new)], runs, cwd=ROOT)
        print(row(f"diff as-is to-be ({old.parent.name})", times, verdict(times, 1.0)))


def synthetic(steps: int, runs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="flowmap-bench-") as tmp:
        raw = Path(tmp) / "big.flow.yaml"
        raw.write_text(generate(steps), encoding="utf-8")
        size = raw.stat().st_size / 2**20
        print(f"synthetic: {steps} steps, {size:.1f} MiB as generated (flow-style steps)")
        times = run_times([*FLOWMAP, "fmt", "--check", str(raw)], runs)
        print(row("fmt --check (needs formatting)", times, verdict(times, 5.0)))
        canonical = Path(tmp) / "canonical.flow.yaml"
        shutil.copy(raw, canonical)
        subprocess.run([*FLOWMAP, "fmt", "-q", str(canonical)], check=True)
        times = run_times([*FLOWMAP, "fmt", "--check", str(canonical)], runs)
        print(row("fmt --check (already formatted)", times, verdict(times, 5.0)))
        edited = Path(tmp) / "edited.flow.yaml"
        edited.write_text(
            canonical.read_text(encoding="utf-8").replace(
                "name: Step 10\n", "name: Step ten, renamed\n", 1
            ),
            encoding="utf-8",
        )
        times = run_times([*FLOWMAP, "diff", "--no-findings", str(canonical), str(edited)], runs)
        print(row("diff --no-findings (one step renamed)", times, verdict(times, 5.0)))
        times = run_times([*FLOWMAP, "diff", str(canonical), str(edited)], 1)
        print(row("diff with findings (runs every rule twice)", times))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-synthetic", action="store_true")
    args = parser.parse_args(argv)
    library(args.runs)
    if not args.skip_synthetic:
        synthetic(args.steps, max(1, min(args.runs, 3)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

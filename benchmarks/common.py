"""Timing helpers shared by the benchmark scripts: whole-process runs, medians, ratios."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
# Time commands as a user runs them: with Python's bytecode cache. (Some sandboxes set
# PYTHONDONTWRITEBYTECODE, which makes every run recompile flowmap's modules.)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
# Time the work, not the result cache: a benchmark that wants cache hits says so (bench_bpmn.py).
ENV["FLOWMAP_NO_CACHE"] = "1"


def run_times(command: list[str], runs: int = 7, warmup: int = 1, **kwargs) -> list[float]:
    """Wall-clock seconds of ``command`` as a whole process, ``runs`` times after a warm-up."""
    kwargs.setdefault("env", ENV)
    for _ in range(max(warmup, 1)):
        subprocess.run(command, capture_output=True, check=False, **kwargs)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, check=False, **kwargs)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr.decode()[-2000:]}")
    return times


def call_times(function, runs: int = 5) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def median(times: list[float]) -> float:
    return statistics.median(times)


def row(label: str, times: list[float], extra: str = "") -> str:
    return (
        f"{label:<44} median {median(times):8.3f} s   min {min(times):7.3f}   "
        f"max {max(times):7.3f}  {extra}"
    )

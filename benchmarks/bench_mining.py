"""`flowmap mine` on BPI Challenge 2019-shaped logs, against PM4Py's handover-of-work network.

    python benchmarks/bench_mining.py [--runs 3] [--peer-runs 1] [--no-peer] [--no-large]

1. Generates (once, kept in ``$TMPDIR/flowmap-bench-mining``) a log of about 1.6 million events
   in 250,000 cases with 600 people in a hierarchy, and one ten times larger
   (``benchmarks/synthetic_log.py``).
2. Times the whole command ``flowmap mine LOG --org ORG -f json`` as a user runs it: the first
   run converts the log into the cache, later runs read the cache (both are printed), with the
   peak memory of the process.
3. Times the peer on the same 1.6M-event log: PM4Py's ``discover_handover_of_work_network``
   alone, on a dataframe already in memory (reading the file is not counted for the peer).

Prints medians and the ratio. The figures to meet: all measures on 1.6M events at least 20x
faster than the peer's handover network alone; 16M events within 2 minutes and under 4 GB of
peak memory. PM4Py is used here only (its licence differs from flowmap's); it is never a
dependency of flowmap.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ENV, PYTHON, median
from synthetic_log import generate

PEER = """
import sys, time
import pandas as pd
import pm4py
frame = pd.read_parquet(sys.argv[1])
frame = pm4py.format_dataframe(frame, case_id="case:concept:name", activity_key="concept:name",
                               timestamp_key="time:timestamp")
start = time.perf_counter()
pm4py.discover_handover_of_work_network(frame)
print(time.perf_counter() - start)
"""


def mine_runs(log: Path, org: Path, cache: Path, runs: int, extra: list[str]) -> dict:
    env = {**ENV, "FLOWMAP_CACHE_DIR": str(cache)}
    for stale in cache.glob("*.parquet"):
        stale.unlink()
    command = [PYTHON, "-m", "flowmap", "mine", str(log), "--org", str(org), "-f", "json",
               *extra]
    cold, cold_peak = _isolated(command, env)
    warm = [_isolated(command, env) for _ in range(runs)]
    return {"cold": cold, "cold_peak": cold_peak, "warm": [w[0] for w in warm],
            "warm_peak": max(w[1] for w in warm)}


def _isolated(command: list[str], env: dict) -> tuple[float, float]:
    """One run in its own wrapper process, so that its peak memory is its own."""
    wrapper = ("import resource, subprocess, sys, time\n"
               "s = time.perf_counter()\n"
               "r = subprocess.run(sys.argv[1:], capture_output=True)\n"
               "e = time.perf_counter() - s\n"
               "if r.returncode not in (0, 1): sys.stderr.buffer.write(r.stderr); sys.exit(3)\n"
               "print(e, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n")
    done = subprocess.run([PYTHON, "-c", wrapper, *command], capture_output=True, env=env, check=False)
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr.decode()[-2000:]}")
    seconds, peak = done.stdout.decode().split()
    return float(seconds), float(peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--peer-runs", type=int, default=1)
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--no-large", action="store_true")
    parser.add_argument("--memory-limit", default="3GB",
                        help="DuckDB's memory limit for the runs (default 3GB)")
    args = parser.parse_args()

    work = Path(os.environ.get("TMPDIR") or tempfile.gettempdir()) / "flowmap-bench-mining"
    scales = [1] if args.no_large else [1, 10]
    logs = {}
    for scale in scales:
        path = work / f"bpic2019-like-x{scale}.parquet"
        if not path.exists():
            print(f"generating {path.name} ...", flush=True)
            generate(work, scale)
        logs[scale] = path
    org = work / "bpic2019-like.org.yaml"
    if not org.exists():
        generate(work, 1)

    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} "
          "(figures taken on a loaded machine are noisy: compare medians and ratios)")
    extra = ["--memory-limit", args.memory_limit]
    results = {}
    for scale, path in logs.items():
        result = mine_runs(path, org, work / f"cache-x{scale}", args.runs, extra)
        results[scale] = result
        print(f"flowmap mine x{scale:<3} ({'~1.6M' if scale == 1 else '~16M'} events): "
              f"first run (converts) {result['cold']:7.2f} s, peak {result['cold_peak']:6.0f} MiB;"
              f" cached runs median {median(result['warm']):7.2f} s "
              f"(min {min(result['warm']):.2f}, max {max(result['warm']):.2f}), "
              f"peak {result['warm_peak']:6.0f} MiB", flush=True)
    if not args.no_peer:
        times = []
        for _ in range(args.peer_runs):
            done = subprocess.run([PYTHON, "-c", PEER, str(logs[1])], capture_output=True,
                                  env=ENV, check=False)
            if done.returncode:
                print(f"PM4Py peer failed (is pm4py installed?): "
                      f"{done.stderr.decode()[-400:]}")
                break
            times.append(float(done.stdout.decode().strip().splitlines()[-1]))
        if times:
            peer = median(times)
            mine = results[1]
            print(f"PM4Py handover-of-work network alone, x1: median {peer:7.2f} s "
                  f"({len(times)} run{'s' if len(times) != 1 else ''})")
            print(f"ratio PM4Py / flowmap mine (all measures), x1: cached "
                  f"{peer / median(mine['warm']):5.1f}x, first run {peer / mine['cold']:5.1f}x "
                  "(target: at least 20x)")
    if 10 in results:
        big = results[10]
        print(f"x10 within 2 minutes: first run {'yes' if big['cold'] <= 120 else 'NO'}, "
              f"cached {'yes' if median(big['warm']) <= 120 else 'NO'}; under 4 GB peak: "
              f"{'yes' if max(big['cold_peak'], big['warm_peak']) < 4096 else 'NO'}")


if __name__ == "__main__":
    main()

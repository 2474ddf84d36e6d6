"""`flowmap mine` on BPI Challenge 2019-shaped logs, against PM4Py's handover-of-work network.

    python benchmarks/bench_mining.py [--runs 3] [--no-peer] [--no-large] [--big-file]
                                      [--against DIR]

1. Generates (once, kept in ``$TMPDIR/flowmap-bench-mining``) a log of about 1.6 million events
   in 250,000 cases with 600 people in a hierarchy, and one ten times larger
   (``benchmarks/synthetic_log.py``).
2. On the 1.6M-event log, in turns (flowmap, then the peer, ``--runs`` times, so that both see
   the same load): the whole command ``flowmap mine LOG --org ORG -f json`` as a user runs it
   from the cache; all the measures alone, timed inside the process after the log is read
   (``flowmap.mining.mine``), as the peer is timed; and PM4Py's
   ``discover_handover_of_work_network`` alone on a dataframe already in memory (reading the
   file and importing PM4Py are not counted for the peer). CPU seconds are printed beside the
   wall-clock ones: on a loaded machine they say more.
   ``--against DIR`` also times all the measures of the flowmap in DIR (a checkout of an
   earlier commit) in the same turns: before and after a change, under the same load.
3. The first run of each log converts it into the cache (printed apart), with peak memory.
4. ``--big-file``: writes a 2 GB XES file from the large log and reads it (streamed: peak memory
   stays far below the file's size), then a copy cut short, which must be refused with the line
   where the XML breaks.

Prints medians and ratios. The figures to meet: all measures on 1.6M events at least 20x faster
than the peer's handover network alone; 16M events within 2 minutes and under 4 GB of peak
memory. PM4Py is used here only (its licence differs from flowmap's); it is never a dependency
of flowmap.
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
start, cpu = time.perf_counter(), time.process_time()
pm4py.discover_handover_of_work_network(frame)
print(time.perf_counter() - start, time.process_time() - cpu)
"""

MEASURES = """
import sys, time
from flowmap.loaders.flow_yaml import load_organisation
from flowmap.loaders.logs import read_log
from flowmap.mining import mine
log, org = read_log(sys.argv[1]), load_organisation(sys.argv[2])
start, cpu = time.perf_counter(), time.process_time()
mine(log, org, memory_limit=sys.argv[3])
print(time.perf_counter() - start, time.process_time() - cpu)
"""


def _timed(code: str, args: list[str], env: dict) -> tuple[float, float]:
    """Wall and CPU seconds ``code`` prints. With an earlier flowmap on ``PYTHONPATH`` it runs in
    that folder: ``python -c`` puts the working directory first on the path, before PYTHONPATH,
    so run from a checkout it would time that checkout's flowmap instead."""
    where = env.get("PYTHONPATH")
    done = subprocess.run(
        [PYTHON, "-c", code, *args], capture_output=True, env=env, check=False, cwd=where
    )
    if done.returncode:
        raise RuntimeError(done.stderr.decode()[-600:])
    wall, cpu = done.stdout.decode().strip().splitlines()[-1].split()
    return float(wall), float(cpu)


def cold_run(log: Path, org: Path, cache: Path, extra: list[str]) -> tuple[float, float]:
    """The first run: converts the log into an empty cache (wall seconds, peak MiB)."""
    for stale in cache.glob("*"):
        stale.unlink()
    return _isolated(_command(log, org, extra), {**ENV, "FLOWMAP_CACHE_DIR": str(cache)})


def _command(log: Path, org: Path | None, extra: list[str]) -> list[str]:
    return [
        PYTHON,
        "-m",
        "flowmap",
        "mine",
        str(log),
        *(["--org", str(org)] if org else []),
        "-f",
        "json",
        *extra,
    ]


def _isolated(command: list[str], env: dict) -> tuple[float, float]:
    """One run in its own wrapper process, so that its peak memory is its own."""
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "s = time.perf_counter()\n"
        "r = subprocess.run(sys.argv[1:], capture_output=True)\n"
        "e = time.perf_counter() - s\n"
        "if r.returncode not in (0, 1): sys.stderr.buffer.write(r.stderr); sys.exit(3)\n"
        "print(e, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n"
    )
    done = subprocess.run(
        [PYTHON, "-c", wrapper, *command], capture_output=True, env=env, check=False
    )
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr.decode()[-2000:]}")
    seconds, peak = done.stdout.decode().split()
    return float(seconds), float(peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--no-large", action="store_true")
    parser.add_argument(
        "--big-file",
        action="store_true",
        help="also write and read a 2 GB XES file (and a damaged copy)",
    )
    parser.add_argument(
        "--against",
        type=Path,
        help="a checkout of another flowmap commit: time its measures too, in the same turns",
    )
    parser.add_argument(
        "--memory-limit", default="3GB", help="DuckDB's memory limit for the runs (default 3GB)"
    )
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

    print(
        f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the "
        "start (others share it: compare medians and ratios taken in the same run)",
        flush=True,
    )
    extra = ["--memory-limit", args.memory_limit]
    caches = {scale: work / f"cache-x{scale}" for scale in scales}
    for scale, path in logs.items():
        caches[scale].mkdir(parents=True, exist_ok=True)
        wall, peak = cold_run(path, org, caches[scale], extra)
        print(
            f"x{scale:<3} first run (converts into the cache): {wall:7.2f} s, peak {peak:6.0f} MiB",
            flush=True,
        )

    env = {**ENV, "FLOWMAP_CACHE_DIR": str(caches[1])}
    command, measures, peer, earlier = [], [], [], []
    inputs = [str(logs[1]), str(org), args.memory_limit]
    for _ in range(args.runs):
        command.append(_isolated(_command(logs[1], org, extra), env))
        measures.append(_timed(MEASURES, inputs, env))
        if args.against:
            earlier.append(_timed(MEASURES, inputs, {**env, "PYTHONPATH": str(args.against)}))
        if not args.no_peer:
            try:
                peer.append(_timed(PEER, [str(logs[1])], ENV))
            except RuntimeError as exc:
                print(f"PM4Py peer failed (is pm4py installed?): {exc}")
                args.no_peer = True
    whole = median([c[0] for c in command])
    alone, alone_cpu = median([m[0] for m in measures]), median([m[1] for m in measures])
    print(
        f"x1   flowmap mine, whole command, cached: median {whole:6.2f} s (runs "
        f"{', '.join(f'{c[0]:.2f}' for c in command)}), peak {max(c[1] for c in command):.0f}"
        f" MiB"
    )
    print(
        f"x1   flowmap measures alone (in process): median {alone:6.2f} s wall, "
        f"{alone_cpu:6.2f} s CPU"
    )
    if earlier:
        e_wall, e_cpu = median([e[0] for e in earlier]), median([e[1] for e in earlier])
        print(
            f"x1   measures alone of {args.against}: median {e_wall:6.2f} s wall, "
            f"{e_cpu:6.2f} s CPU; this one is {e_wall / alone:4.2f}x faster in wall time, "
            f"{e_cpu / alone_cpu:4.2f}x in CPU"
        )
    if peer:
        p_wall, p_cpu = median([p[0] for p in peer]), median([p[1] for p in peer])
        print(
            f"x1   PM4Py handover-of-work network alone: median {p_wall:6.2f} s wall, "
            f"{p_cpu:6.2f} s CPU ({len(peer)} runs)"
        )
        print(
            f"ratio PM4Py handover alone / flowmap (target at least 20x): whole command "
            f"{p_wall / whole:5.1f}x; measures alone {p_wall / alone:5.1f}x wall, "
            f"{p_cpu / alone_cpu:5.1f}x CPU"
        )
    if 10 in logs:
        env10 = {**ENV, "FLOWMAP_CACHE_DIR": str(caches[10])}
        big = [_isolated(_command(logs[10], org, extra), env10) for _ in range(args.runs)]
        wall, peak = median([b[0] for b in big]), max(b[1] for b in big)
        print(
            f"x10  flowmap mine, whole command, cached: median {wall:6.2f} s, peak "
            f"{peak:6.0f} MiB; within 2 minutes: {'yes' if wall <= 120 else 'NO'}, under "
            f"4 GB: {'yes' if peak < 4096 else 'NO'}"
        )
    if args.big_file:
        big_file(work, logs.get(10) or logs[1], extra)


def big_file(work: Path, source: Path, extra: list[str], size: int = 2 * 1024**3) -> None:
    """A 2 GB XES file, read as a user would; then a copy cut short must name its line."""
    from synthetic_log import write_xes

    path = work / "big.xes"
    if not path.exists() or path.stat().st_size < size:
        print(f"writing {path.name} (2 GB) ...", flush=True)
        write_xes(source, path, size)
    cache = work / "cache-big"
    cache.mkdir(exist_ok=True)
    wall, peak = cold_run(path, None, cache, extra)
    print(
        f"2 GB XES ({path.stat().st_size / 1024**3:.2f} GiB): first run (converts, then "
        f"mines) {wall:6.1f} s, peak {peak:6.0f} MiB",
        flush=True,
    )
    cut = work / "big-cut.xes"
    with path.open("rb") as src, cut.open("wb") as out:
        remaining = path.stat().st_size - 5000
        while remaining > 0:
            chunk = src.read(min(remaining, 1 << 24))
            out.write(chunk)
            remaining -= len(chunk)
    for stale in cache.glob("*"):
        stale.unlink()
    done = subprocess.run(
        _command(cut, None, extra),
        capture_output=True,
        env={**ENV, "FLOWMAP_CACHE_DIR": str(cache)},
        check=False,
    )
    message = done.stderr.decode().strip().splitlines()
    print(f"2 GB XES cut short: exit {done.returncode}: {message[0] if message else ''}")
    cut.unlink()


if __name__ == "__main__":
    main()

"""A longer run of the command fuzzer (tests/fuzzing.py): mutated process files, BPMN models and
organisation files through the commands that read them, in this process. Prints what it found
and how many files per second it ran.

    .venv/bin/python benchmarks/fuzz_commands.py --rounds 2000 --seed 1
    .venv/bin/python benchmarks/fuzz_commands.py --minutes 10 --seed 1
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import tempfile
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flowmap.cli import run  # noqa: E402
from tests.conftest import MINIMAL  # noqa: E402
from tests.fuzzing import mutate, run_one, seeds  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--minutes",
        type=float,
        default=None,
        help="run for this long instead of a number of rounds",
    )
    args = parser.parse_args()
    processes = [MINIMAL.encode()] + [
        p.read_bytes() for p in sorted((ROOT / "processes").glob("*/*.flow.yaml"))
    ]
    rng = random.Random(args.seed)
    found: dict[str, int] = {}
    kinds: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("FLOWMAP_STATE_HOME", os.path.join(folder, "state"))
        os.environ.setdefault("FLOWMAP_NO_CACHE", "1")
        quiet = io.StringIO()
        with redirect_stdout(quiet), redirect_stderr(quiet):
            pool = seeds(ROOT, Path(folder), run, lambda: "", processes)
        started = time.perf_counter()
        rounds = 0
        while (
            time.perf_counter() - started < args.minutes * 60
            if args.minutes is not None
            else rounds < args.rounds
        ):
            rounds += 1
            kind = rng.choice(sorted({kind for kind, _ in pool}))  # each kind as often
            seed = rng.choice([data for one, data in pool if one == kind])
            kinds[kind] = kinds.get(kind, 0) + 1
            data = mutate(seed, rng)
            err = io.StringIO()
            with redirect_stdout(err), redirect_stderr(err):  # -f json reports on stdout

                def read_err(err: io.StringIO = err) -> str:
                    text = err.getvalue()
                    err.seek(0)
                    err.truncate()
                    return text

                problems = run_one(data, Path(folder), run, read_err, kind)
            for problem in problems:
                found[problem] = found.get(problem, 0) + 1
    seconds = time.perf_counter() - started
    print(
        f"{rounds} mutated files in {seconds:.0f} s, {rounds / seconds:.1f} per second, "
        f"{len(found)} distinct problem(s); by kind: "
        + ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
    )
    for problem, count in sorted(found.items(), key=lambda item: -item[1]):
        print(f"  {count:5d}  {problem}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())

"""The mutation fuzzer that found issue 14's reproducers, kept: seed files are mutated (bytes
flipped, lines duplicated or dropped, numbers and names swapped for hostile ones) and run
through the commands in this process. What counts as a failure: an internal error, a
traceback, a command that neither succeeds nor says why, an input file changed, fmt refusing a
file because formatting would change what it says, or fmt not idempotent.

`tests/test_fuzz_commands.py` runs a few bounded examples; `benchmarks/fuzz_commands.py` runs
as many as you ask for.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

HOSTILE = [".inf", "-.inf", ".nan", "1e308", "1" + "0" * 4400, "-1", "0", "~", "[]", "{}",
           "\"\\e[2J\"", "\"a.b\"", "\"C:\\\\new\"", "|+\n  x\n", "&a x", "*a", "!!binary x",
           "'\u202e'", "\"\\0\"", "999999999999999999999"]


def mutate(seed: bytes, rng: random.Random) -> bytes:
    lines = seed.split(b"\n")
    for _ in range(rng.randint(1, 3)):
        choice = rng.random()
        at = rng.randrange(len(lines)) if lines else 0
        if not lines:
            lines = [b""]
        if choice < 0.25:  # replace a value by a hostile one
            line = lines[at]
            if b": " in line:
                key = line.split(b": ", 1)[0]
                lines[at] = key + b": " + rng.choice(HOSTILE).encode("utf-8")
        elif choice < 0.45:
            lines.insert(at, lines[at])
        elif choice < 0.6:
            del lines[at]
        elif choice < 0.8 and lines[at]:
            data = bytearray(lines[at])
            data[rng.randrange(len(data))] = rng.randrange(256)
            lines[at] = bytes(data)
        else:
            lines[at] = b" " * rng.randint(0, 6) + lines[at].lstrip()
    return b"\n".join(lines)


def commands(path: Path, out: Path) -> list[list[str]]:
    """The commands a mutated file goes through."""
    return [["validate", str(path)], ["analyze", str(path), "-f", "json"],
            ["fmt", "--check", str(path)], ["fmt", str(path)],
            ["convert", str(path), "-o", str(out / "x.bpmn"), "--force"],
            ["render", str(path), "-o", str(out / "x.dot"), "--time-budget", "5",
             "--max-steps", "60", "--force"]]


def run_one(data: bytes, folder: Path, run: Callable[[list[str]], int],
            read_output: Callable[[], str]) -> list[str]:
    """Problems found running one mutated file through every command ([] when all is well)."""
    path = folder / "fuzz.flow.yaml"
    path.write_bytes(data)
    problems = []
    for args in commands(path, folder):
        before = path.read_bytes() if args[0] != "fmt" or "--check" in args else None
        code = run(args)
        err = read_output()  # standard output and error: -f json reports problems on stdout
        if "internal error" in err or "Traceback" in err:
            problems.append(f"{args[0]}: {err.strip().splitlines()[0]}")
        elif code == 2 and not err.strip():
            problems.append(f"{args[0]}: exit 2 with no message")
        elif "report this as a flowmap bug" in err:
            problems.append(f"{args[0]}: {err.strip().splitlines()[0]}")
        elif before is not None and path.read_bytes() != before:
            problems.append(f"{args[0]}: changed its input")
        elif args[0] == "fmt" and "--check" not in args and code == 0 and \
                run(["fmt", "--check", str(path)]) != 0:
            read_output()
            problems.append("fmt: not idempotent (fmt --check fails right after fmt)")
        if args[0] == "fmt" and "--check" not in args:
            path.write_bytes(data)
    return problems

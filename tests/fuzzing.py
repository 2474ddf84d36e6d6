"""The mutation fuzzer that found issue 14's reproducers, kept: seed files (process files, BPMN
models, organisation files) are mutated (bytes flipped, lines duplicated or dropped, numbers,
names and XML attribute values swapped for hostile ones) and run through the commands that read
them, in this process. What counts as a failure: an internal error, a traceback, a command that
neither succeeds nor says why, an input file changed, fmt refusing a file because formatting
would change what it says, or fmt not idempotent.

`tests/test_fuzz_commands.py` runs a few bounded examples; `benchmarks/fuzz_commands.py` runs
as many as you ask for.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

HOSTILE = [
    ".inf",
    "-.inf",
    ".nan",
    "1e308",
    "1" + "0" * 4400,
    "-1",
    "0",
    "~",
    "[]",
    "{}",
    '"\\e[2J"',
    '"a.b"',
    '"C:\\\\new"',
    "|+\n  x\n",
    "&a x",
    "*a",
    "!!binary x",
    "'\u202e'",
    '"\\0"',
    "999999999999999999999",
]


# Attribute values for BPMN: ids that are not ids, numbers out of range, characters XML cannot
# hold (as references), an entity that is not declared, a very long value.
XML_HOSTILE = [
    "a.b",
    "x",
    "",
    "-1",
    "1e308",
    "NaN",
    "999999999999999999999",
    "1" * 4400,
    "&#1;",
    "&#x1b;[2J",
    "&undeclared;",
    "&amp;&lt;",
    "\u202e",
    "x" * 70000,
    "fm.lane.missing",
    "P0D",
    "Infinity",
]


def _hostile_attribute(line: bytes, rng: random.Random) -> bytes:
    starts = [i for i in range(len(line) - 1) if line[i : i + 2] == b'="']
    if not starts:
        return line
    start = rng.choice(starts) + 2
    end = line.find(b'"', start)
    if end < 0:
        return line
    return line[:start] + rng.choice(XML_HOSTILE).encode("utf-8") + line[end:]


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
            else:
                lines[at] = _hostile_attribute(line, rng)
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


# A process file whose organisation is the mutated organisation file.
USES_ORG = """\
flowmap: 1
process: {id: demo}
organisation: fuzz.org.yaml
steps:
  - {id: ask, owner: customer, kind: start}
  - {id: offer, owner: sales.rep}
  - {id: done, owner: customer, kind: end}
flows: [ask -> offer, offer -> done]
"""
SUFFIXES = {"process": ".flow.yaml", "bpmn": ".bpmn", "org": ".org.yaml"}


def kind_of(name: str) -> str:
    """The kind of a seed file by its name: process, bpmn or org."""
    return next((kind for kind, suffix in SUFFIXES.items() if name.endswith(suffix)), "process")


def commands(path: Path, out: Path, kind: str = "process") -> list[list[str]]:
    """The commands a mutated file of this kind goes through."""
    render = [
        "render",
        str(path),
        "-o",
        str(out / "x.dot"),
        "--time-budget",
        "5",
        "--max-steps",
        "60",
        "--force",
    ]
    if kind == "bpmn":
        return [
            ["validate", str(path)],
            ["analyze", str(path), "-f", "json"],
            ["convert", str(path), "-o", str(out / "x.flow.yaml"), "--force"],
            render,
            ["diff", str(path), str(path), "-f", "json"],
        ]
    if kind == "org":
        user = str(out / "uses-org.flow.yaml")
        return [
            ["validate", str(path)],
            ["validate", user],
            ["analyze", user, "-f", "json"],
            ["fmt", "--check", str(path)],
            ["fmt", str(path)],
        ]
    return [
        ["validate", str(path)],
        ["analyze", str(path), "-f", "json"],
        ["fmt", "--check", str(path)],
        ["fmt", str(path)],
        ["convert", str(path), "-o", str(out / "x.bpmn"), "--force"],
        render,
    ]


def run_one(
    data: bytes,
    folder: Path,
    run: Callable[[list[str]], int],
    read_output: Callable[[], str],
    kind: str = "process",
) -> list[str]:
    """Problems found running one mutated file through every command ([] when all is well)."""
    path = folder / f"fuzz{SUFFIXES[kind]}"
    path.write_bytes(data)
    if kind == "org":
        (folder / "uses-org.flow.yaml").write_text(USES_ORG, encoding="utf-8")
    problems = []
    for args in commands(path, folder, kind):
        before = path.read_bytes() if args[0] != "fmt" or "--check" in args else None
        code = run(args)
        err = read_output()  # standard output and error: -f json reports problems on stdout
        if "internal error" in err or "Traceback" in err:
            said = [
                line for line in err.splitlines() if "internal error" in line
            ] or err.strip().splitlines()
            problems.append(f"{kind} {args[0]}: {said[0].strip()}")
        elif code == 2 and not err.strip():
            problems.append(f"{kind} {args[0]}: exit 2 with no message")
        elif "report this as a flowmap bug" in err:
            problems.append(f"{kind} {args[0]}: {err.strip().splitlines()[0]}")
        elif before is not None and path.read_bytes() != before:
            problems.append(f"{kind} {args[0]}: changed its input")
        elif (
            args[0] == "fmt"
            and "--check" not in args
            and code == 0
            and run(["fmt", "--check", str(path)]) != 0
        ):
            read_output()
            problems.append(f"{kind} fmt: not idempotent (fmt --check fails right after fmt)")
        if args[0] == "fmt" and "--check" not in args:
            path.write_bytes(data)
    return problems


def seeds(
    root: Path,
    folder: Path,
    run: Callable[[list[str]], int],
    read_output: Callable[[], str],
    processes: list[bytes],
) -> list[tuple[str, bytes]]:
    """(kind, bytes) seeds: the given process files, the repository's organisation files and
    BPMN models, and each process file converted to BPMN by flowmap itself."""
    found = [("process", data) for data in processes]
    found += [("org", path.read_bytes()) for path in sorted(root.glob("processes/*/*.org.yaml"))]
    found += [("bpmn", path.read_bytes()) for path in sorted(root.glob("tests/**/*.bpmn"))]
    for n, data in enumerate(processes):
        source, target = folder / f"seed{n}.flow.yaml", folder / f"seed{n}.bpmn"
        source.write_bytes(data)
        if run(["convert", str(source), "-o", str(target), "--force"]) == 0:
            found.append(("bpmn", target.read_bytes()))
        read_output()
    return found

"""Shared helpers of the CI-integration tests: the real process library and small edits."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = ROOT / "processes"
TEMPLATE = ROOT / "flowmap" / "templates" / "process.flow.yaml"


def library() -> list[Path]:
    """Every process and organisation file of processes/ (the template when there are none)."""
    files = sorted(PROCESSES.glob("**/*.flow.yaml")) + sorted(PROCESSES.glob("**/*.org.yaml"))
    return files or [TEMPLATE]


def process_files() -> list[Path]:
    return sorted(PROCESSES.glob("**/*.flow.yaml")) or [TEMPLATE]


def comments(text: str) -> list[str]:
    """The text of every comment, in order (a plain scan: these files have no '#' in values
    except inside quotes, which the callers avoid)."""
    out = []
    for line in text.splitlines():
        match = re.search(r"(?:^|\s)(#.*)$", line)
        if match and line.count('"') % 2 == 0 and "'#" not in line:
            out.append(match.group(1).rstrip())
    return out


def copy_tree(source: Path, target: Path) -> Path:
    """Copy a process file (and the *.org.yaml files of its folder) into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for org in source.parent.glob("*.org.yaml"):
        (target / org.name).write_text(org.read_text(encoding="utf-8"), encoding="utf-8")
    copy = target / source.name
    copy.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    return copy


class Outcome:
    def __init__(self, code: int, output: str):
        self.code, self.output = code, output

    def __repr__(self) -> str:
        return f"Outcome(code={self.code}, output={self.output!r})"


def flowmap(*args, cwd: Path | str | None = None) -> Outcome:
    """Run the command line in this process, with the exit code ``flowmap`` would give
    (errors become code 2, as in :func:`flowmap.cli.main`); output is stdout and stderr."""
    import os

    import click
    from click.testing import CliRunner

    from flowmap.cli import cli
    from flowmap.errors import FlowmapError

    previous = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli, [str(a) for a in args], standalone_mode=False)
    finally:
        os.chdir(previous)
    output = result.output
    exc = result.exception
    if exc is None:
        code = result.return_value if isinstance(result.return_value, int) else 0
    elif isinstance(exc, FlowmapError | click.ClickException | OSError):
        code, output = 2, output + f"flowmap: error: {exc}\n"
    elif isinstance(exc, SystemExit):
        code = exc.code if isinstance(exc.code, int) else 1
    else:
        raise exc
    return Outcome(code, output)


def edited(process, *edits):
    """The process after redesign edits (:class:`flowmap.rules.base.Edit`), as a person would
    make them: removing a step links its predecessors to its successors."""
    from flowmap.model import Process
    from flowmap.redesign import apply_edit

    data = process.model_dump(by_alias=True, mode="json")
    for edit in edits:
        apply_edit(data, edit)
    return Process.model_validate(data)

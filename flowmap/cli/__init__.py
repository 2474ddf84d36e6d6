"""The ``flowmap`` command: a thin click layer over the Python API.

Subcommands live one per module (``flowmap/cli/<name>.py``, each exposing ``command``) and are
imported only when run, so ``flowmap --version`` and ``flowmap --help`` start fast; the click
group is in :mod:`flowmap.cli.group`. A ``flowmap analyze`` whose command line needs no parsing
by click runs without importing it (:mod:`flowmap.cli.analyzing`). Library errors become a
one-line message and exit code 2 here, and only here (:func:`guarded`).

Exit codes: 0 fine, 1 findings at or above the failing severity, 2 usage or input error.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flowmap.cli.group import LazyGroup, cli

__all__ = ["COMMANDS", "LazyGroup", "cli", "guarded", "main", "run"]

# name -> (module, one-line help shown by `flowmap --help` without importing the module)
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("flowmap.cli.validate", "Check process files: format, references, structure."),
    "analyze": ("flowmap.cli.analyze", "Find smokestacks, waste and service dumping."),
    "compare": (
        "flowmap.cli.compare",
        "Compare an as-is and a to-be process: metrics and findings.",
    ),
    "render": ("flowmap.cli.render", "Draw an annotated swimlane diagram (svg, pdf, png, dot)."),
    "report": ("flowmap.cli.report", "Write a self-contained HTML report."),
    "convert": ("flowmap.cli.convert", "Convert between flowmap YAML and BPMN 2.0."),
    "fmt": ("flowmap.cli.fmt", "Format process files canonically, keeping comments."),
    "diff": ("flowmap.cli.diff", "Semantic diff of two versions of a process."),
    "rules": ("flowmap.cli.rules", "List the rules."),
    "explain": ("flowmap.cli.explain", "Explain a rule: what it finds, why, how to fix."),
    "schema": ("flowmap.cli.schema", "Print the JSON Schema of the process format."),
    "init": ("flowmap.cli.init", "Create a new process file from a commented template."),
    "org": ("flowmap.cli.org", "Organisation files: build one from an HR export (CSV, XLSX)."),
    "mine": (
        "flowmap.cli.mine",
        "Mine an event log: measured handoffs, chimneys, rework, waiting.",
    ),
    "conform": ("flowmap.cli.conform", "Replay an event log on a model: fitness and deviations."),
    "lsp": ("flowmap.cli.lsp", "Run the language server for editors (diagnostics, hover, fixes)."),
}


def __getattr__(name: str) -> Any:
    if name in ("cli", "LazyGroup"):  # the click group, imported when click is needed
        from flowmap.cli import group

        return getattr(group, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    import gc

    # A command builds many long-lived objects (the model, the graph) at once; collecting the
    # young generation less often saves about 15% on large processes (benchmarks/bench_core.py).
    # Only the command line does this: the library leaves the interpreter's settings alone.
    gc.set_threshold(100_000, 50, 100)
    if sys.argv[1:2] == ["analyze"]:
        from flowmap.cli.analyzing import direct

        code = direct(sys.argv[2:])
        if code is not None:
            sys.exit(code)
    sys.exit(run())


def run(args: list[str] | None = None) -> int:
    """Run one command as ``flowmap ARGS...`` would and return its exit code (never raises)."""
    import click

    from flowmap.cli.group import cli

    def through_click() -> int:
        try:
            code = cli.main(args, prog_name="flowmap", standalone_mode=False)
        except click.exceptions.Abort:
            click.echo("Aborted.", err=True)
            return 130
        except click.ClickException as exc:
            exc.show()
            return 2
        return code if isinstance(code, int) else 0

    return guarded(through_click)


def guarded(command: Callable[[], int]) -> int:
    """Run ``command`` as one run of the command line (what it reads is its input: no write may
    replace it) and return its exit code; a library error becomes its one-line message and
    exit code 2, never a traceback."""
    from flowmap import files
    from flowmap.cli.output import echo, echo_problems
    from flowmap.errors import FlowmapError, LoadError
    from flowmap.formatting import clean

    try:
        with files.run():
            return command()
    except LoadError as exc:  # each problem already says "path:line:col: error: ..."
        echo_problems(exc.problems)
        return 2
    except FlowmapError as exc:
        echo(f"flowmap: error: {clean(exc, lines=True)}", err=True)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        echo(f"flowmap: error: {clean(exc)}", err=True)
        return 2
    except Exception as exc:  # a bug in flowmap: say so plainly, traceback on request
        import os

        if os.environ.get("FLOWMAP_DEBUG"):
            raise
        culprit = files.last_input()
        where = f" while reading {clean(culprit)}" if culprit else ""
        echo(
            f"flowmap: internal error{where}: {type(exc).__name__}: {clean(exc)}\n"
            "This is a bug in flowmap. Please report it with the input file; "
            "set FLOWMAP_DEBUG=1 to see the traceback.",
            err=True,
        )
        return 2

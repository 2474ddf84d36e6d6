"""The ``flowmap`` command: a thin click layer over the Python API.

Subcommands live one per module (``flowmap/cli/<name>.py``, each exposing ``command``) and are
imported only when run, so ``flowmap --version`` and ``flowmap --help`` start fast. Library
errors become a one-line message and exit code 2 here, and only here.

Exit codes: 0 fine, 1 findings at or above the failing severity, 2 usage or input error.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

import click

from flowmap import __version__

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


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name, (module, _) in COMMANDS.items() if _available(module)]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS or not _available(COMMANDS[name][0]):
            return None
        return importlib.import_module(COMMANDS[name][0]).command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _available(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="flowmap")
def cli() -> None:
    """flowmap: redesign work processes around the customer.

    \b
    Typical use:
      flowmap validate processes/
      flowmap analyze processes/claims/as-is.flow.yaml
      flowmap render processes/claims/as-is.flow.yaml -o claims.svg
      flowmap explain SMK001
    """


def main() -> None:
    import gc

    # A command builds many long-lived objects (the model, the graph) at once; collecting the
    # young generation less often saves about 15% on large processes (benchmarks/bench_core.py).
    # Only the command line does this: the library leaves the interpreter's settings alone.
    gc.set_threshold(100_000, 50, 100)
    sys.exit(run())


def run(args: list[str] | None = None) -> int:
    """Run one command as ``flowmap ARGS...`` would and return its exit code (never raises)."""
    from flowmap import files
    from flowmap.errors import FlowmapError, LoadError
    from flowmap.formatting import clean

    try:
        with files.run():  # what the command reads is its input: no write may replace it
            code = cli.main(args, prog_name="flowmap", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return 2
    except LoadError as exc:  # each problem already says "path:line:col: error: ..."
        from flowmap.cli.common import echo_problems

        echo_problems(exc.problems)
        return 2
    except FlowmapError as exc:
        click.echo(f"flowmap: error: {clean(exc, lines=True)}", err=True)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        click.echo(f"flowmap: error: {clean(exc)}", err=True)
        return 2
    except Exception as exc:  # a bug in flowmap: say so plainly, traceback on request
        import os

        if os.environ.get("FLOWMAP_DEBUG"):
            raise
        culprit = files.last_input()
        where = f" while reading {clean(culprit)}" if culprit else ""
        click.echo(
            f"flowmap: internal error{where}: {type(exc).__name__}: {clean(exc)}\n"
            "This is a bug in flowmap. Please report it with the input file; "
            "set FLOWMAP_DEBUG=1 to see the traceback.",
            err=True,
        )
        return 2
    return code if isinstance(code, int) else 0

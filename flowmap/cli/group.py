"""The click group of the ``flowmap`` command: each subcommand's module is imported when it
runs (:data:`flowmap.cli.COMMANDS`), and ``flowmap --help`` lists them without importing any."""

from __future__ import annotations

import importlib
import importlib.util

import click

from flowmap import __version__
from flowmap.cli import COMMANDS


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

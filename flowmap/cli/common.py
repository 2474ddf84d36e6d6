"""Shared pieces of the subcommands: their common options, and (from :mod:`flowmap.cli.output`,
which needs no click) finding files, configuration, printing problems."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from flowmap import reporters
from flowmap.cli.output import (
    collect,
    config_for,
    echo_internal_error,
    echo_problems,
    load_model,
    with_org,
)
from flowmap.reporters import Kind

__all__ = [
    "collect",
    "config_for",
    "config_option",
    "echo_internal_error",
    "echo_problems",
    "format_option",
    "load_model",
    "org_option",
    "with_org",
]

F = TypeVar("F", bound=Callable[..., Any])


config_option = click.option(
    "--config",
    "config_file",
    type=click.Path(exists=True, dir_okay=False),
    help="Configuration file (default: nearest flowmap.toml or pyproject.toml).",
)


org_option = click.option(
    "--org",
    "org_file",
    type=click.Path(exists=True, dir_okay=False),
    help="Organisation file (*.org.yaml) saying whose the lanes and pools of imported models "
    "are: functions, roles, levels (default: `org` in the configuration).",
)


class _FormatChoice(click.Choice):
    """``--format``'s choices from the reporter table; a format that exists but prints another
    kind of result is refused with the reporter table's reason, not click's bare "invalid"."""

    def __init__(self, kind: Kind) -> None:
        self.kind: Kind = kind
        super().__init__(reporters.formats(kind))

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if value in self.choices:
            return value
        self.fail(reporters.refusal(str(value), self.kind), param, ctx)


def format_option(kind: Kind = "findings", what: str = "") -> Callable[[F], F]:
    """The ``-f/--format`` option of a command that prints ``kind`` (findings or changes):
    choices, help and default from :data:`flowmap.reporters.REPORTERS`."""
    return click.option(
        "-f",
        "--format",
        "fmt",
        default="text",
        show_default=True,
        type=_FormatChoice(kind),
        help=reporters.describe(kind) + (f" {what}" if what else ""),
    )

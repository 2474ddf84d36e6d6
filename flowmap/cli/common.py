"""Shared pieces of the subcommands: finding files, configuration, printing problems."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar

import click

from flowmap import reporters
from flowmap.errors import Problem
from flowmap.formatting import clean
from flowmap.loaders import discover, is_process_file
from flowmap.reporters import Kind

F = TypeVar("F", bound=Callable[..., Any])


def collect(paths: tuple[str, ...], config=None, wanted=is_process_file) -> list[str]:
    """Process files named on the command line; folders are searched recursively. What a
    search passes over (a FIFO, a device, an unreadable folder) is named on standard error."""
    found = discover(paths, config, wanted)
    for path, why in found.skipped:
        click.echo(f"flowmap: warning: {clean(path)}: skipped: {why}", err=True)
    return found.files


def config_for(paths: tuple[str, ...], config_file: str | None = None):
    from flowmap.config import find_config, read_config

    if config_file:
        return read_config(config_file)
    return find_config(paths[0] if paths else ".")


def echo_problems(problems: list[Problem]) -> None:
    color = _color_stderr()
    for problem in problems:
        where = clean(str(problem.location))
        where = click.style(where, bold=True) if color else where
        severity = problem.severity
        if color:
            severity = click.style(severity, fg="red" if severity == "error" else "yellow")
        click.echo(f"{where}: {severity}: {clean(problem.message)}", err=True)
        if problem.hint:
            click.echo(f"    hint: {clean(problem.hint)}", err=True)


def echo_internal_error(path: str, exc: Exception) -> None:
    """A bug met while working on one file of several: name the file, and let the caller go on
    with the others (``FLOWMAP_DEBUG=1`` raises it, for the traceback)."""
    from flowmap.errors import FlowmapError

    if isinstance(exc, FlowmapError):
        click.echo(f"flowmap: error: {clean(path)}: {clean(exc, lines=True)}", err=True)
        return
    if os.environ.get("FLOWMAP_DEBUG"):
        raise exc
    click.echo(
        f"flowmap: internal error: {clean(path)}: {type(exc).__name__}: {clean(exc)} "
        "(a bug in flowmap; please report it with this file)",
        err=True,
    )


def _color_stderr() -> bool:
    import sys

    return sys.stderr.isatty() and "NO_COLOR" not in os.environ


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


def with_org(config, org_file: str | None):
    """``config`` with ``--org`` applied, the organisation file read and checked once (its
    errors end the run, naming its lines)."""
    if org_file:
        config = config.override(org=org_file)
    if config.org:
        from flowmap.loaders.org_file import load_org_file

        load_org_file(config.org, max_bytes=config.max_bytes)
    return config


def load_model(path, config):
    """A process file or model read with the configuration's size limit and organisation file;
    what the organisation file says that does not fit the model is printed as a warning."""
    from flowmap.loaders import load_any

    warnings: list[Problem] = []
    process = load_any(path, max_bytes=config.max_bytes, org=config.org or None, warnings=warnings)
    echo_problems([w for w in warnings if w.code.startswith("org-")])
    return process


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

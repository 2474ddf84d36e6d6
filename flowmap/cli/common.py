"""Shared pieces of the subcommands: finding files, configuration, printing problems."""

from __future__ import annotations

import os
from pathlib import Path

import click

from flowmap.errors import Problem, UsageError
from flowmap.loaders import is_process_file



def collect(paths: tuple[str, ...], config=None) -> list[str]:
    """Process files named on the command line; folders are searched recursively."""
    found: list[str] = []
    for raw in paths or (".",):
        path = Path(raw)
        if not path.exists():
            raise UsageError(f"{raw}: no such file or folder")
        if path.is_file():
            found.append(raw)
            continue
        for folder, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in (
                "node_modules", "__pycache__", ".venv", "venv"))
            for name in sorted(files):
                if is_process_file(Path(name)):
                    candidate = Path(folder) / name
                    if config is None or not config.is_excluded(candidate):
                        found.append(str(candidate))
    return found


def config_for(paths: tuple[str, ...], config_file: str | None = None):
    from flowmap.config import Config, _read, find_config, parse

    if config_file:
        settings = _read(Path(config_file))
        return parse(settings or {}, config_file) if settings is not None else Config()
    return find_config(paths[0] if paths else ".")


def echo_problems(problems: list[Problem]) -> None:
    from flowmap.reporters.text import clean

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


def _color_stderr() -> bool:
    import sys

    return sys.stderr.isatty() and "NO_COLOR" not in os.environ


config_option = click.option(
    "--config", "config_file", type=click.Path(exists=True, dir_okay=False),
    help="Configuration file (default: nearest flowmap.toml or pyproject.toml).")

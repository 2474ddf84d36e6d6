"""What the subcommands print besides their results, and the files and settings they start
from, without click: ``flowmap analyze`` runs on these alone when its command line needs no
parsing by click (:mod:`flowmap.cli.analyzing`), so a cold run does not import it."""

from __future__ import annotations

import os
import sys

from flowmap.errors import Problem
from flowmap.formatting import clean
from flowmap.loaders import discover, is_process_file


def echo(text: str, err: bool = False) -> None:
    """One line on standard output (or error), flushed: what ``click.echo`` does with text
    that :func:`~flowmap.formatting.clean` made safe (no escape codes to strip)."""
    stream = sys.stderr if err else sys.stdout
    if stream is None:  # no console at all (pythonw)
        return
    stream.write(f"{text}\n")
    stream.flush()


def collect(paths: tuple[str, ...], config=None, wanted=is_process_file) -> list[str]:
    """Process files named on the command line; folders are searched recursively. What a
    search passes over (a FIFO, a device, an unreadable folder) is named on standard error."""
    found = discover(paths, config, wanted)
    for path, why in found.skipped:
        echo(f"flowmap: warning: {clean(path)}: skipped: {why}", err=True)
    return found.files


def config_for(paths: tuple[str, ...], config_file: str | None = None):
    from flowmap.config import find_config, read_config

    if config_file:
        return read_config(config_file)
    return find_config(paths[0] if paths else ".")


def echo_problems(problems: list[Problem]) -> None:
    color = _color_stderr()
    if color:
        from click import style
    for problem in problems:
        where = clean(str(problem.location))
        where = style(where, bold=True) if color else where
        severity = problem.severity
        if color:
            severity = style(severity, fg="red" if severity == "error" else "yellow")
        echo(f"{where}: {severity}: {clean(problem.message)}", err=True)
        if problem.hint:
            echo(f"    hint: {clean(problem.hint)}", err=True)


def echo_internal_error(path: str, exc: Exception) -> None:
    """A bug met while working on one file of several: name the file, and let the caller go on
    with the others (``FLOWMAP_DEBUG=1`` raises it, for the traceback)."""
    from flowmap.errors import FlowmapError

    if isinstance(exc, FlowmapError):
        echo(f"flowmap: error: {clean(path)}: {clean(exc, lines=True)}", err=True)
        return
    if os.environ.get("FLOWMAP_DEBUG"):
        raise exc
    echo(
        f"flowmap: internal error: {clean(path)}: {type(exc).__name__}: {clean(exc)} "
        "(a bug in flowmap; please report it with this file)",
        err=True,
    )


def _color_stderr() -> bool:
    return sys.stderr.isatty() and "NO_COLOR" not in os.environ


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

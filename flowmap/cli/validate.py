"""``flowmap validate PATH...``: check files without analysing them."""

from __future__ import annotations

import click

from flowmap.cli.common import collect, config_for, config_option, echo_problems


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path())
@config_option
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
def command(paths: tuple[str, ...], config_file: str | None, quiet: bool) -> int:
    """Check process files: format, references, chain of command, reachability.

    PATHS are files or folders (searched recursively for *.flow.yaml and *.bpmn).
    Exit code 0 when every file is valid, 2 otherwise.
    """
    from flowmap.errors import LoadError
    from flowmap.loaders import load_any

    config = config_for(paths, config_file)
    files = collect(paths, config)
    if not files:
        click.echo("flowmap: no process files found", err=True)
        return 2
    bad = 0
    for path in files:
        warnings: list = []
        try:
            process = load_any(path, max_bytes=config.max_bytes, warnings=warnings)
        except LoadError as exc:
            bad += 1
            echo_problems(exc.problems)
            continue
        if not quiet:
            echo_problems(warnings)
        if not quiet:
            click.echo(f"{path}: ok ({len(process.steps)} steps, {len(process.flows)} flows, "
                       f"{len(process.organisation.functions)} functions)")
    if bad:
        click.echo(f"{bad} of {len(files)} file(s) invalid", err=True)
        return 2
    return 0

"""``flowmap validate PATH...``: check files without analysing them."""

from __future__ import annotations

import click

from flowmap.cli.common import (
    collect,
    config_for,
    config_option,
    echo_internal_error,
    echo_problems,
    org_option,
    with_org,
)
from flowmap.formatting import clean


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path())
@config_option
@org_option
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
def command(
    paths: tuple[str, ...], config_file: str | None, org_file: str | None, quiet: bool
) -> int:
    """Check process files: format, references, chain of command, reachability.

    PATHS are files or folders (searched recursively for *.flow.yaml and *.bpmn).
    Exit code 0 when every file is valid, 1 when a file is valid but a step cannot be reached
    (work in progress: rule STR001), 2 when a file is invalid.
    """
    from flowmap.analysis import analyze
    from flowmap.errors import LoadError, Problem
    from flowmap.loaders import load_any

    config = with_org(config_for(paths, config_file), org_file)
    files = collect(paths, config)
    if not files:
        click.echo("flowmap: no process files found", err=True)
        return 2
    bad = unfinished = 0
    reachability = config.override(select=("STR001",), extend_select=())
    for path in files:
        warnings: list = []
        try:
            process = load_any(
                path, max_bytes=config.max_bytes, org=config.org or None, warnings=warnings
            )
            result = analyze(process, reachability)
        except LoadError as exc:
            bad += 1
            echo_problems(exc.problems)
            continue
        except Exception as exc:  # noqa: BLE001 -- a bug: name the file, go on with the others
            bad += 1
            echo_internal_error(path, exc)
            continue
        if not quiet:
            echo_problems(warnings)
        stranded = result.failing(config.fail_on)
        echo_problems(
            [
                Problem(
                    f.location,
                    f"{f.message} ({f.code})",
                    f.suggestion,
                    f.code,
                    f.elements[0],
                    f.severity.value,
                )
                for f in result.findings
            ]
        )
        if stranded:
            unfinished += 1
        elif not quiet:
            click.echo(
                f"{clean(path)}: ok ({len(process.steps)} steps, {len(process.flows)} flows, "
                f"{len(process.organisation.functions)} functions)"
            )
    if bad:
        click.echo(f"{bad} of {len(files)} file(s) invalid", err=True)
        return 2
    if unfinished:
        click.echo(f"{unfinished} of {len(files)} file(s) with steps no path reaches", err=True)
        return 1
    return 0

"""``flowmap fmt PATH...``: rewrite process and organisation files in the canonical layout."""

from __future__ import annotations

import os
import sys

import click

from flowmap.cli.common import collect, config_option


def collect_yaml(paths: tuple[str, ...], config) -> list[str]:
    """``*.flow.yaml`` and ``*.org.yaml`` files named, or found in the folders named."""
    from flowmap.errors import UsageError
    from flowmap.suffixes import FORMATTED

    for raw in paths:
        if os.path.lexists(raw) and not os.path.isdir(raw) and not raw.lower().endswith(FORMATTED):
            raise UsageError(f"{raw}: fmt formats *.flow.yaml and *.org.yaml files")
    return collect(paths, config, wanted=lambda name: name.lower().endswith(FORMATTED))


@click.command("fmt")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; list the files that would change and exit 1 if there are any.",
)
@click.option(
    "--diff",
    "show_diff",
    is_flag=True,
    help="Write nothing; print a unified diff of the changes (exit 1 if any).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@config_option
def command(paths, check, show_diff, quiet, config_file) -> int:
    """Format process files canonically, keeping every comment and blank line.

    PATHS are *.flow.yaml / *.org.yaml files or folders (searched recursively). Sections, keys
    and styles follow the layout of docs/format.md; comments stay with the element they
    describe. A file that does not load is reported with the loader's errors and left untouched.

    \b
    Exit codes: 0 nothing to do (or files rewritten), 1 --check/--diff found files to change,
    2 a file could not be read or formatted.
    """
    from flowmap.cli.common import config_for, echo_internal_error, echo_problems
    from flowmap.errors import FlowmapError, LoadError, UsageError
    from flowmap.fmt import format_file, write
    from flowmap.formatting import clean

    config = config_for(paths, config_file)
    files = collect_yaml(paths, config)
    if not files:
        raise UsageError("no process files found (looked for *.flow.yaml and *.org.yaml)")
    changed, failed = [], 0
    for name in files:
        try:
            result = format_file(name, config.max_bytes)
        except LoadError as exc:
            echo_problems(exc.problems)
            click.echo(
                f"error: {clean(name)}: not formatted (fix the errors above first)", err=True
            )
            failed += 1
            continue
        except FlowmapError as exc:
            click.echo(f"error: {clean(str(exc))}", err=True)
            failed += 1
            continue
        except Exception as exc:  # noqa: BLE001 -- a bug: name the file, go on with the others
            echo_internal_error(name, exc)
            failed += 1
            continue
        if not result.changed:
            continue
        changed.append(name)
        if show_diff:
            sys.stdout.write(result.diff())
        elif check:
            click.echo(f"would reformat {clean(name)}")
        else:
            try:
                write(result)
            except FlowmapError as exc:  # read-only file or folder: say so, go on
                changed.pop()
                click.echo(f"error: {clean(str(exc))}", err=True)
                failed += 1
                continue
            if not quiet:
                click.echo(f"reformatted {clean(name)}", err=True)
    if not quiet:
        unchanged = len(files) - len(changed) - failed
        verb = "would be reformatted" if check or show_diff else "reformatted"
        parts = [
            f"{len(changed)} file{'s' if len(changed) != 1 else ''} {verb}",
            f"{unchanged} file{'s' if unchanged != 1 else ''} already formatted",
        ]
        if failed:
            parts.append(f"{failed} could not be formatted")
        click.echo(", ".join(parts) + ".", err=True)
    if failed:
        return 2
    return 1 if changed and (check or show_diff) else 0

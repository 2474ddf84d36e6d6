"""``flowmap init NAME``: a new process file from a small, commented template."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click


@click.command("init")
@click.argument("name")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="File to create (default: NAME.flow.yaml in the current folder).",
)
def command(name: str, output: str | None) -> int:
    """Create NAME.flow.yaml from a commented template (never overwrites a file)."""
    from importlib.resources import files

    from flowmap.errors import UsageError
    from flowmap.files import write_output

    ident = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "process"
    target = Path(output or f"{ident}.flow.yaml")
    if target.exists():
        raise UsageError(f"{target} exists already; choose another name or -o FILE")
    template = files("flowmap").joinpath("templates/process.flow.yaml").read_text("utf-8")
    # A JSON string is a YAML double-quoted string: backslashes and quotes stay what they are
    # (`init 'C:\new folder'` keeps its backslash, not a line break).
    title = json.dumps(name.strip(), ensure_ascii=False)
    text = template.replace("__ID__", ident).replace("__NAME__", title)
    write_output(target, text)
    click.echo(f"created {target}; next: flowmap validate {target}", err=True)
    return 0

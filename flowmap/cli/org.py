"""``flowmap org``: organisation files. ``flowmap org import`` builds one from an HR export."""

from __future__ import annotations

from pathlib import Path

import click


@click.group("org")
def command() -> None:
    """Organisation files (*.org.yaml): build one from an HR export."""


@command.command("import")
@click.argument("table", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="The *.org.yaml file to write (default: standard output).",
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.option("--sheet", help="XLSX: the sheet to read (default: the first).")
@click.option("--name-column", help="Header of the column with the person's name.")
@click.option("--title-column", help="Header of the column with the job title.")
@click.option("--department-column", help="Header of the column with the department.")
@click.option("--manager-column", help="Header of the column with the manager (name or login).")
@click.option("--id-column", help="Header of the column with the login (event-log resource).")
def import_(table: str, output: str | None, force: bool, sheet: str | None, **named) -> int:
    """Build an organisation file from TABLE, the person list an HR system exports (CSV or
    XLSX; one row per person: name, job title, department, manager).

    \b
    Departments become functions, job titles their roles, the manager column the chain of
    command, and every row a person. Levels and function kinds are guessed from the names
    (in eight languages) and marked "# inferred" in the file: check them.

    \b
      flowmap org import hr-export.csv -o company.org.yaml
      flowmap org import staff.xlsx --sheet Staff --manager-column "Line manager" -o acme.org.yaml
    """
    from flowmap.errors import UsageError
    from flowmap.files import note_input, write_output
    from flowmap.formatting import clean
    from flowmap.loaders.hr import load_hr
    from flowmap.writers.flow_yaml import dump_organisation

    note_input(table)
    if output and output != "-" and Path(output).exists() and not force:
        raise UsageError(f"{output} exists already; choose another file or pass --force")
    columns = {key.removesuffix("_column"): value for key, value in named.items() if value}
    result = load_hr(table, sheet=sheet, columns=columns)
    org = result.organisation
    header = (
        f"Organisation read from {Path(table).name} by `flowmap org import`.\n"
        "Lines marked 'inferred' are guesses from names and from the chain of command: "
        "check them."
    )
    text = dump_organisation(org, result.inferred, header)
    if output and output != "-":
        write_output(output, text, force=force)
    else:
        click.echo(text, nl=False)
    for warning in result.warnings:
        click.echo(f"flowmap: warning: {clean(warning)}", err=True)
    roles = sum(len(f.roles) for f in org.functions)
    where = f"wrote {output}" if output and output != "-" else "organisation"
    click.echo(
        f"{where}: {len(org.functions)} functions, {roles} roles, {len(org.people)} "
        f"people; {len(result.inferred)} levels and kinds inferred from names "
        "(marked '# inferred'): check them",
        err=True,
    )
    return 0

"""``flowmap schema``: the JSON Schema of the process format, generated from the model."""

from __future__ import annotations

import click


@click.command("schema")
@click.option("--org", is_flag=True, help="The schema of *.org.yaml files instead.")
def command(org: bool) -> int:
    """Print the JSON Schema of *.flow.yaml files (for editors: completion and checks)."""
    from flowmap.schema import organisation_schema, process_schema, to_json

    click.echo(to_json(organisation_schema() if org else process_schema()), nl=False)
    return 0

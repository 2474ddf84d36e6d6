"""``flowmap rules``: list the rules."""

from __future__ import annotations

import click


@click.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def command(fmt: str) -> int:
    """List every rule: code, severity (in the recommended preset), fixable, name and summary."""
    import json

    from flowmap.rules import all_rules

    rules = all_rules()
    if fmt == "json":
        click.echo(
            json.dumps(
                [
                    {
                        "code": r.code,
                        "name": r.name,
                        "family": r.family.value,
                        "severity": r.severity.value,
                        "fixable": r.fixable,
                        "summary": r.summary,
                    }
                    for r in rules
                ],
                indent=2,
            )
        )
        return 0
    for rule in rules:
        click.echo(
            f"{rule.code:<7} {rule.severity.value:<8} {rule.fixable:<9} {rule.name:<34} "
            f"{rule.summary}"
        )
    click.echo(f"\n{len(rules)} rules. `flowmap explain CODE` shows a rule's page.", err=True)
    return 0

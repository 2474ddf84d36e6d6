"""``flowmap explain CODE``: a rule's documentation page."""

from __future__ import annotations

import click


@click.command("explain")
@click.argument("code")
def command(code: str) -> int:
    """Explain a rule (by code, e.g. SMK001, or name): what it finds, why, example, fix, options."""
    from flowmap import rules
    from flowmap.errors import UsageError
    from flowmap.integrity import did_you_mean
    from flowmap.rules.docs import page

    try:
        rule = rules.get(code)
    except KeyError:
        known = [r.code for r in rules.all_rules()] + [r.name for r in rules.all_rules()]
        hint = did_you_mean(code.upper(), known) or did_you_mean(code, known)
        raise UsageError(
            f"no rule {code!r}" + (f"; {hint}" if hint else "; `flowmap rules` lists them")
        ) from None
    click.echo(page(rule), nl=False)
    return 0

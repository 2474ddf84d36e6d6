"""``flowmap report PROCESS [TO-BE] -o report.html``: one self-contained HTML report."""

from __future__ import annotations

from pathlib import Path

import click

from flowmap.cli.common import (
    config_for,
    config_option,
    echo_problems,
    load_model,
    org_option,
    with_org,
)


@click.command("report")
@click.argument("process", type=click.Path(exists=True, dir_okay=False))
@click.argument("to_be", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="The HTML file to write."
)
@click.option("--date", default="", help="Date shown under the title (none by default).")
@click.option(
    "--force", is_flag=True, help="Allow replacing an input or a file flowmap did not write."
)
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@config_option
@org_option
def command(process, to_be, output, date, force, quiet, config_file, org_file) -> int:
    """Write a self-contained HTML report: diagram, findings, metrics, maturity.

    With a TO-BE process, the as-is and to-be diagrams side by side, the metric deltas and the
    findings resolved and introduced. The file needs no network: open it from a file share.

    \b
    Examples:
      flowmap report claims/as-is.flow.yaml -o claims.html
      flowmap report claims/as-is.flow.yaml claims/to-be.flow.yaml -o claims-redesign.html
    """
    from flowmap.analysis import analyze
    from flowmap.errors import LoadError, UsageError
    from flowmap.files import emit
    from flowmap.render import RenderOptions
    from flowmap.render.html_report import report

    target = Path(output)
    if target.suffix.lower() not in (".html", ".htm"):
        raise UsageError(f"{output}: the report is HTML; name it *.html")
    config = with_org(config_for((process,), config_file), org_file)
    analyses = []
    for path in (process, to_be):
        if path is None:
            continue
        try:
            loaded = load_model(path, config)
        except LoadError as exc:
            echo_problems(exc.problems)
            return 2
        analyses.append(analyze(loaded, config))
    say = (lambda message: None) if quiet else (lambda message: click.echo(message, err=True))
    text = report(
        analyses[0],
        analyses[1] if len(analyses) > 1 else None,
        options=RenderOptions(date=date.strip()),
        progress=say,
    )
    emit(text, target, force=force)
    say(f"wrote {output}")
    return 0

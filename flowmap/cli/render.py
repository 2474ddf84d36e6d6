"""``flowmap render PROCESS -o OUT``: draw annotated swimlane diagrams.

``PROCESS`` is a process file (``OUT`` is a file whose suffix gives the format: .svg, .pdf,
.png or .dot) or a folder (``OUT`` is a folder; every process in it is drawn there, keeping the
sub-folders: ``processes/claims/as-is.flow.yaml`` -> ``OUT/claims/as-is.svg``).
"""

from __future__ import annotations

from pathlib import Path

import click

from flowmap.cli.common import (
    collect,
    config_for,
    config_option,
    echo_problems,
    load_model,
    org_option,
    with_org,
)
from flowmap.files import output_tree
from flowmap.formatting import clean
from flowmap.paper import PAPER
from flowmap.suffixes import is_model_file, stem

FORMATS = ("svg", "pdf", "png", "dot")
PAPERS = tuple(PAPER)


@click.command("render")
@click.argument("source", type=click.Path(exists=True))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(),
    help="Output file (.svg, .pdf, .png, .dot) or, for a folder of processes, the output folder.",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    help="Format(s), comma-separated: svg, pdf, png, dot "
    "(default: from the output's suffix; svg for a folder).",
)
@click.option(
    "--findings",
    type=click.Choice(["none", "badges", "full"]),
    help="none: the bare process; badges: numbered findings on the steps; full: "
    "badges, highlighted paths and suggestions (default).",
)
@click.option(
    "--poster",
    is_flag=True,
    help="The workshop poster: the diagram with the findings "
    "that matter most, the metrics and the key beside it (landscape; the smallest "
    "paper up to A0 that holds it, else A0 pages).",
)
@click.option(
    "--paper",
    type=click.Choice(PAPERS, case_sensitive=False),
    help="Print on pages of this size, step names at --min-points or more: a process "
    "too wide is split into pages (one PDF; -p2, -p3... files for SVG and PNG).",
)
@click.option("--landscape", is_flag=True, default=None, help="Landscape paper.")
@click.option("--margin", type=float, help="Page margin in inches, 0 to 5 (0.4).")
@click.option(
    "--date",
    default="",
    help="Date shown under the title (none by default, so the output is the same on every run).",
)
@click.option("--legend/--no-legend", default=None, help="Draw the key (default: yes).")
@click.option("--wrap", type=int, help="Characters per line of a step name, 8 to 80 (18).")
@click.option("--dpi", type=int, help="PNG resolution, 36 to 600 (300 on paper, 96 otherwise).")
@click.option(
    "--min-points",
    type=float,
    help="On paper, the smallest printed size of a step's "
    "name, 4 to 48 (12): lower it for a handout read at the table.",
)
@click.option(
    "--max-steps",
    type=int,
    help="Above this many steps draw an overview and one page per function (300).",
)
@click.option(
    "--time-budget",
    type=float,
    help="Seconds Graphviz may take before flowmap draws the overview instead, at least 1 (120).",
)
@click.option("--overview", is_flag=True, help="Draw the overview and one page per function.")
@click.option(
    "--diff",
    "old",
    type=click.Path(exists=True, dir_okay=False),
    help="An older version of the process: mark the steps and flows added or changed "
    "since it, and name the removed ones (`flowmap render --diff OLD NEW -o x.svg`).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Allow replacing a file flowmap did not write (never a process file).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@config_option
@org_option
def command(
    source,
    output,
    fmt,
    findings,
    poster,
    paper,
    landscape,
    margin,
    date,
    legend,
    wrap,
    dpi,
    min_points,
    max_steps,
    time_budget,
    overview,
    old,
    force,
    quiet,
    config_file,
    org_file,
) -> int:
    """Draw annotated swimlane diagrams of processes.

    \b
    Examples:
      flowmap render claims.flow.yaml -o claims.svg
      flowmap render claims.flow.yaml -o claims.pdf --paper A3 --landscape
      flowmap render claims.flow.yaml -o claims-poster.pdf --poster
      flowmap render processes/ -o out/diagrams --format svg,png
      flowmap render --diff old.flow.yaml new.flow.yaml -o changes.svg
    """
    from flowmap.config import render_settings
    from flowmap.render import RenderOptions

    config = with_org(config_for((source,), config_file), org_file)
    # The options given, checked by the same schema as [render] in the configuration (already
    # checked when it was read); an option wins over the configuration.
    chosen = render_settings(
        {
            "findings": findings,
            "paper": paper,
            "landscape": landscape,
            "margin": margin,
            "legend": legend,
            "wrap": wrap,
            "dpi": dpi,
            "min_points": min_points,
            "max_steps": max_steps,
            "time_budget": time_budget,
            "format": fmt,
        }
    )
    settings = {k.replace("-", "_"): v for k, v in (config.render or {}).items()}
    values = {**settings, **chosen}
    fmt = values.pop("format", None)
    if old is not None:
        if Path(source).is_dir():
            from flowmap.errors import UsageError

            raise UsageError("--diff compares two process files, not a folder")
        # What changed is the message: findings as badges only, unless asked otherwise.
        values.setdefault("findings", "badges")
        values["changes"] = _changes(old, source, config)
    options = RenderOptions(poster=poster, date=date.strip(), overview=overview, **values)
    formats = fmt.split(",") if fmt else None
    say = (lambda message: None) if quiet else (lambda message: click.echo(message, err=True))

    if Path(source).is_dir():
        files = collect((source,), config)
        if not files:
            click.echo(f"flowmap: no process files found in {source}", err=True)
            return 2
        out = Path(output)
        if out.exists() and not out.is_dir():
            from flowmap.errors import UsageError

            raise UsageError(f"{output} is a file; a folder of processes renders into a folder")
        wanted = formats or (["pdf"] if poster else ["svg"])
        failed = 0
        for path, outputs in output_tree(source, files, out, wanted, stem):
            failed += not _render_one(
                path, list(zip(outputs, wanted, strict=True)), options, config, say, force
            )
        if failed:
            click.echo(f"{failed} diagram(s) could not be drawn", err=True)
            return 2
        return 0

    _refuse_process_output(source, output)
    suffix = Path(output).suffix.lower().lstrip(".")
    if formats and len(formats) > 1:
        raise click.BadParameter("one format for one output file", param_hint="--format")
    one = formats[0] if formats else suffix
    if one not in FORMATS:
        raise click.BadParameter(
            f"cannot tell the format from {output!r}: end it with .svg, "
            ".pdf, .png or .dot, or pass --format",
            param_hint="--output",
        )
    return 0 if _render_one(source, [(output, one)], options, config, say, force) else 2


def _changes(old: str, new: str, config):
    from dataclasses import dataclass

    from flowmap.diff import element_changes
    from flowmap.loaders import load_any

    @dataclass(frozen=True)
    class Labelled:  # the changes, with the old file's name for the subtitle
        added: frozenset
        removed: frozenset
        changed: frozenset
        old_label: str

    org = config.org or None
    found = element_changes(
        load_any(old, max_bytes=config.max_bytes, org=org),
        load_any(new, max_bytes=config.max_bytes, org=org),
    )
    return Labelled(found.added, found.removed, found.changed, old)


def _refuse_process_output(source: str, output: str) -> None:
    from flowmap.errors import UsageError

    if Path(output).resolve() == Path(source).resolve() or is_model_file(output):
        raise UsageError(f"{output} is a process file; choose another output name")


def _render_one(
    path: str, targets: list[tuple[str, str]], options, config, say, force: bool = False
) -> bool:
    """Load and analyse one process once, and draw it into each (output, format) target.

    A file that cannot be read, drawn or written (an input, someone else's file) is reported,
    named, and the caller goes on with the next one.
    """
    import time

    from flowmap.errors import FlowmapError, LoadError
    from flowmap.files import write_output
    from flowmap.render import render

    for output, _ in targets:
        _refuse_process_output(path, output)
    started = time.perf_counter()
    try:
        process = load_model(path, config)
        analysis = None
        if options.findings != "none" or options.poster:  # no rules imported for a bare drawing
            from flowmap.analysis import analyze

            analysis = analyze(process, config)
        for output, fmt in targets:
            target = Path(output)
            rendered = render(process, analysis, fmt, options, progress=say)
            for page in rendered.pages:
                name = (
                    target
                    if not page.suffix
                    else target.with_name(f"{target.stem}{page.suffix}{target.suffix}")
                )
                write_output(name, page.data, force=force)
            for warning in rendered.warnings:
                click.echo(f"flowmap: warning: {clean(path)}: {clean(warning)}", err=True)
            extra = f" (+{len(rendered.pages) - 1} page(s))" if len(rendered.pages) > 1 else ""
            say(f"{clean(path)} -> {clean(output)}{extra} ({time.perf_counter() - started:.2f} s)")
    except LoadError as exc:
        echo_problems(exc.problems)
        return False
    except FlowmapError as exc:  # includes a refused write: say which, go on with the others
        click.echo(f"flowmap: error: {clean(path)}: {clean(str(exc))}", err=True)
        return False
    except Exception as exc:  # a bug: name the file, go on with the others
        import os

        if os.environ.get("FLOWMAP_DEBUG"):
            raise
        click.echo(
            f"flowmap: internal error: {clean(path)}: {type(exc).__name__}: "
            f"{clean(str(exc))} (a bug in flowmap; please report it with this file)",
            err=True,
        )
        return False
    return True

"""``flowmap analyze PATH...``: run the rules and report findings (the options; what the
command does is :mod:`flowmap.cli.analyzing`, which also runs it without click)."""

from __future__ import annotations

import click

from flowmap.cli import analyzing
from flowmap.cli.common import config_option, format_option, org_option


@click.command("analyze")
@click.argument("paths", nargs=-1, type=click.Path())
@format_option("findings")
@click.option(
    "--select", help="Comma-separated rules, prefixes or families to run (e.g. SMK,VAL001)."
)
@click.option("--ignore", help="Comma-separated rules, prefixes or families to skip.")
@click.option("--extend-select", help="Rules to run in addition to the selected ones.")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    help="Exit 1 when a finding has this severity or a higher one (default: warning).",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option(
    "--top",
    type=int,
    help="Text output: show the N most important findings per file (default 10; 0: all).",
)
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help="Text output: show every finding, not only the most important.",
)
@click.option(
    "--fix", is_flag=True, help="Apply the redesigns the rules propose; write the result with -o."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="With --fix: the file to write the redesigned process to. Otherwise: write the "
    "report to this file instead of standard output.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Allow -o, --write-baseline (or --fix's -o) to "
    "replace an input or a file flowmap did not write.",
)
@click.option("-j", "--jobs", type=int, help="Parallel workers (default: one per core).")
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(dir_okay=False),
    help="Report (and fail on) only findings not recorded in this baseline file.",
)
@click.option(
    "--write-baseline",
    "write_baseline",
    type=click.Path(dir_okay=False),
    help="Record today's findings in this file and exit 0 (accept them).",
)
@config_option
@org_option
@click.option(
    "--no-cache",
    is_flag=True,
    help="Analyse every file again, without reading or writing the result cache "
    "(also: FLOWMAP_NO_CACHE=1).",
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    help="The result cache folder (default: $FLOWMAP_CACHE_DIR, or .flowmap_cache "
    "beside the configuration file or in the current folder).",
)
def command(**options) -> int:
    """Find smokestacks, cost-minimising steps and service dumping in processes.

    PATHS are files or folders (searched recursively for *.flow.yaml and *.bpmn).

    With --write-baseline FILE today's findings are recorded; later runs with --baseline FILE
    report and fail only on findings that are not in it (matched by fingerprint, so unrelated
    edits do not bring old findings back).

    \b
    Exit codes: 0 no finding at the failing severity, 1 findings, 2 usage or input error.

    A run on files that have not changed (nor their organisation files, the configuration,
    the options or flowmap) prints the output of the last such run from the result cache.
    """
    return analyzing.run(**options)

"""``flowmap mine LOG``: measure handoffs, chimneys, ping-pong, rework and waiting in an event log."""

from __future__ import annotations

import sys

import click

from flowmap.cli.common import echo_problems, format_option


def log_options(function):
    """The options that say how to read a log (shared with ``flowmap conform``)."""
    options = [
        click.option(
            "--case",
            "case_id",
            metavar="COLUMN",
            help="Column (CSV, Parquet) or attribute (XES) holding the case id "
            "(default: case:concept:name, case_id...).",
        ),
        click.option(
            "--activity",
            metavar="COLUMN",
            help="Column of the activity (default: concept:name, activity...).",
        ),
        click.option(
            "--timestamp",
            metavar="COLUMN",
            help="Column of the time (default: time:timestamp, timestamp...).",
        ),
        click.option(
            "--resource", metavar="COLUMN", help="Column of the resource (default: org:resource)."
        ),
        click.option("--role", metavar="COLUMN", help="Column of the role (default: org:role)."),
        click.option(
            "--group",
            metavar="COLUMN",
            help="Column of the group, used as the "
            "function when there is no --org (default: org:group).",
        ),
        click.option(
            "--lifecycle",
            metavar="COLUMN",
            help="Column of the lifecycle transition (default: lifecycle:transition).",
        ),
        click.option(
            "--timestamp-format",
            metavar="FORMAT",
            help="strftime format of timestamps that are not ISO 8601, e.g. '%d-%m-%Y %H:%M'.",
        ),
        click.option(
            "--timezone",
            default="UTC",
            show_default=True,
            help="Time zone of timestamps written without an offset.",
        ),
        click.option(
            "--object-type",
            metavar="TYPE",
            help="OCEL 2.0 logs: the object type "
            "whose objects are the cases (e.g. order); each event counts in the case "
            "of every object of that type it relates to.",
        ),
        click.option(
            "--org",
            "org_file",
            type=click.Path(exists=True, dir_okay=False),
            help="Organisation (*.org.yaml, or a *.flow.yaml's organisation) whose "
            "people table and roles map the log's resources to roles.",
        ),
        click.option(
            "--engine",
            type=click.Choice(["duckdb", "spark"]),
            default="duckdb",
            show_default=True,
            help="Where the measures run.",
        ),
        click.option(
            "--master",
            help="With --engine spark: the Spark master (local[2], spark://host:7077, yarn...).",
        ),
        click.option(
            "--memory-limit",
            metavar="SIZE",
            help="With --engine duckdb: the memory "
            "it may use before spilling to disk, e.g. 3GB (default: most of the RAM).",
        ),
        click.option(
            "--cache",
            "cache_dir",
            type=click.Path(file_okay=False),
            help="Folder of converted logs (default: ~/.cache/flowmap/logs, or FLOWMAP_CACHE_DIR).",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def read(
    log,
    case_id,
    activity,
    timestamp,
    resource,
    role,
    group,
    lifecycle,
    timestamp_format,
    timezone,
    object_type,
    org_file,
    cache_dir,
):
    """The log (converted once) and the organisation, or a clear error."""
    from flowmap.files import note_input
    from flowmap.loaders.flow_yaml import load_organisation
    from flowmap.loaders.logs import Columns, read_log

    note_input(log)  # no output of this run may replace the log
    organisation = load_organisation(org_file) if org_file else None
    columns = Columns(
        case_id=case_id,
        activity=activity,
        timestamp=timestamp,
        resource=resource,
        role=role,
        group=group,
        lifecycle=lifecycle,
        timestamp_format=timestamp_format,
        timezone=timezone,
        object_type=object_type,
    )
    event_log = read_log(log, columns, cache=cache_dir)
    if event_log.warnings:
        echo_problems(event_log.warnings)
    return event_log, organisation


def check_output(output: str, force: bool) -> None:
    """Refuse, before the log is read, an -o file that files.write_output would refuse at the
    end: one that exists and that flowmap did not write (it checks the rest when writing)."""
    import os

    from flowmap.files import WriteRefused, written_by_flowmap

    if not force and os.path.isfile(output) and not written_by_flowmap(output):
        raise WriteRefused(
            f"{output} exists and was not written by flowmap (or was edited "
            "since); pass --force to overwrite it"
        )


@click.command("mine")
@click.argument("log", type=click.Path(dir_okay=False))
@log_options
@format_option("findings")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the discovered as-is process to this *.flow.yaml file.",
)
@click.option(
    "--force", is_flag=True, help="Overwrite the -o file even when flowmap did not write it."
)
@click.option(
    "--min-share",
    type=click.FloatRange(0, 1),
    default=0.05,
    show_default=True,
    help="Leave flows taken by less than this share of a step's work out of the discovered model.",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1),
    default=0.05,
    show_default=True,
    help="Share of cases from which a measured pattern is a warning.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    default="warning",
    show_default=True,
    help="Exit 1 when a finding has this severity or a higher one.",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
def command(
    log,
    case_id,
    activity,
    timestamp,
    resource,
    role,
    group,
    lifecycle,
    timestamp_format,
    timezone,
    object_type,
    org_file,
    engine,
    master,
    memory_limit,
    cache_dir,
    fmt,
    output,
    force,
    min_share,
    threshold,
    fail_on,
    exit_zero,
) -> int:
    """Mine an event log: handoffs by kind, chimneys, ping-pong, escalation, rework, waiting,
    time in each state, cycle efficiency and customer service's place, as findings with the
    share of cases and the time they add; -o writes the discovered as-is process.

    LOG is an XES (.xes, .xes.gz), CSV, Parquet or OCEL 2.0 (.jsonocel/.json, .sqlite) file;
    an OCEL log is read with one object type as the case notion (--object-type). It is converted once to Parquet and
    cached by content. Resources map to roles through --org (its people table and roles), or
    through the log's org:role and org:group.

    \b
    Examples:
      flowmap mine incidents.xes.gz --org support.org.yaml
      flowmap mine export.csv --case ticket --activity status --resource owner -o as-is.flow.yaml
      flowmap mine big.parquet --engine spark --master spark://head:7077 -f json
      flowmap mine order-management.sqlite --object-type orders
    """
    from pathlib import Path

    from flowmap import reporters
    from flowmap.errors import UsageError
    from flowmap.mining import analysis, mine

    if output:
        if not output.endswith((".flow.yaml", ".flow.yml")):
            raise UsageError(f"{output}: the discovered process is a *.flow.yaml file")
        check_output(output, force)
    if master and engine != "spark":
        raise UsageError("--master is for --engine spark")
    event_log, organisation = read(
        log,
        case_id,
        activity,
        timestamp,
        resource,
        role,
        group,
        lifecycle,
        timestamp_format,
        timezone,
        object_type,
        org_file,
        cache_dir,
    )
    options = {"memory_limit": memory_limit} if memory_limit else {}
    if memory_limit and engine != "duckdb":
        raise UsageError("--memory-limit is for --engine duckdb (Spark takes spark.* settings)")
    mining = mine(event_log, organisation, engine=engine, master=master, **options)
    result = analysis(mining, min_share=min_share, threshold=threshold)
    m = result.metrics
    click.echo(
        f"{log}: {m['log_events']:,} events, {m['log_cases']:,} cases, "
        f"{m['log_variants']:,} variants; roles from {m['log_roles_from']}; "
        f"engine {mining.engine}",
        err=True,
    )
    if output:
        from flowmap.files import write_output
        from flowmap.writers.flow_yaml import dump

        write_output(
            output,
            force=force,
            data=dump(
                result.process,
                header=(
                    f"Discovered by `flowmap mine {Path(log).name}`: measured times (medians) and "
                    "branch probabilities."
                ),
            ),
        )
        click.echo(
            f"wrote {output}: {len(result.process.steps)} steps, {len(result.process.flows)} flows",
            err=True,
        )
    sys.stdout.write(reporters.report(fmt, [result], []))
    if exit_zero:
        return 0
    return 1 if result.failing(fail_on) else 0

"""``flowmap conform MODEL LOG``: replay a log on a model; deviations at the model's elements."""

from __future__ import annotations

import sys

import click

from flowmap.cli.common import format_option
from flowmap.cli.mine import check_output, log_options, read


@click.command("conform")
@click.argument("model", type=click.Path(exists=True, dir_okay=False))
@click.argument("log", type=click.Path(dir_okay=False))
@log_options
@format_option("findings", "The deviations are findings.")
@click.option(
    "--calibrate",
    is_flag=True,
    help="Write the model with the measured times and branch shares to -o FILE.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="With --calibrate: the *.flow.yaml file to write.",
)
@click.option(
    "--force", is_flag=True, help="Overwrite the -o file even when flowmap did not write it."
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are deviations.")
def command(
    model,
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
    calibrate,
    output,
    force,
    exit_zero,
) -> int:
    """Replay the cases of LOG on MODEL: fitness, steps the log lacks, activities the model
    lacks, work going where the model has no way, steps done by another role than the owner,
    modelled versus measured times and branch shares — located at the model's lines (YAML) or
    element ids (BPMN). Resources map to roles through the model's organisation (its people
    table) unless --org names another.

    \b
    Examples:
      flowmap conform claims/as-is.flow.yaml claims-2024.xes.gz
      flowmap conform claims/to-be.flow.yaml pilot.csv --calibrate -o to-be.measured.flow.yaml
    """
    from pathlib import Path

    from flowmap import reporters
    from flowmap.analysis import Analysis
    from flowmap.errors import UsageError
    from flowmap.loaders import load_any
    from flowmap.mining import mine
    from flowmap.mining.conform import calibrate as calibrated
    from flowmap.mining.conform import conform

    if calibrate and not output:
        raise UsageError("--calibrate needs -o FILE (the model is never overwritten in place)")
    if output:
        if not calibrate:
            raise UsageError("-o is for --calibrate")
        if Path(output).resolve() == Path(model).resolve():
            raise UsageError(
                f"{output} is the model; write the calibrated model to another "
                "file (the model is never overwritten in place)"
            )
        check_output(output, force)
    process = load_any(model)
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
    mining = mine(
        event_log, organisation or process.organisation, engine=engine, master=master, **options
    )
    findings, figures = conform(process, mining)
    fitness = figures["fitness"]
    click.echo(
        f"{model} on {log}: fitness {'n/a' if fitness is None else f'{fitness:.1%}'} "
        f"of {mining.totals['events']:,} events' transitions; "
        f"{figures['matched_steps']} of {figures['model_tasks']} model tasks matched, "
        f"{figures['unmatched_activities']} log activities unmatched",
        err=True,
    )
    if calibrate:
        from flowmap.files import write_output
        from flowmap.writers.flow_yaml import dump

        write_output(output, dump(calibrated(process, mining, Path(log).name)), force=force)
        click.echo(f"wrote {output}: measured times and branch shares", err=True)
    from flowmap.graph import ProcessGraph
    from flowmap.metrics import compute

    metrics = {
        **compute(ProcessGraph(process)),
        **{f"conformance_{k}": v for k, v in figures.items()},
    }
    result = Analysis(process, findings, metrics)
    sys.stdout.write(reporters.report(fmt, [result], []))
    if exit_zero:
        return 0
    return 1 if result.failing("warning") else 0

"""``flowmap analyze PATH...``: run the rules and report findings."""

from __future__ import annotations

import click

from flowmap.cli.common import (
    collect,
    config_for,
    config_option,
    echo_problems,
    format_option,
    org_option,
    with_org,
)


def _codes(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(part.strip() for part in value.split(",") if part.strip())


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
def command(
    paths,
    fmt,
    select,
    ignore,
    extend_select,
    fail_on,
    exit_zero,
    top,
    show_all,
    fix,
    output,
    force,
    jobs,
    baseline_file,
    write_baseline,
    config_file,
    org_file,
    no_cache=False,
    cache_dir=None,
) -> int:
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
    args = (
        paths,
        fmt,
        select,
        ignore,
        extend_select,
        fail_on,
        exit_zero,
        top,
        show_all,
        fix,
        output,
        force,
        jobs,
        baseline_file,
        write_baseline,
        config_file,
        org_file,
    )
    if no_cache or fix or write_baseline or (output and output != "-"):
        return _analyze(*args)
    from flowmap import cache as results
    from flowmap import files

    options = results.analyze_options(
        fmt,
        select,
        ignore,
        extend_select,
        fail_on,
        exit_zero,
        top,
        show_all,
        baseline_file,
        config_file,
        org_file,
    )
    found = results.for_analyze(paths, options, cache_dir, config_file)
    if found is None:
        return _analyze(*args)  # a path that does not exist: the usual error, never cached
    cache, listed = found
    entry = cache.lookup()
    if entry is not None:
        results.replay(entry)
        return entry.code
    with results.recording() as (out, err):
        code = _analyze(*args)
    if code in (0, 1):
        given = [p for p in (baseline_file, config_file, org_file) if p]
        cache.store(
            results.Entry(
                out.getvalue(),
                err.getvalue(),
                code,
                results.reads_of(files.inputs(), [*listed, *given]),
            )
        )
    return code


def _analyze(
    paths,
    fmt,
    select,
    ignore,
    extend_select,
    fail_on,
    exit_zero,
    top,
    show_all,
    fix,
    output,
    force,
    jobs,
    baseline_file,
    write_baseline,
    config_file,
    org_file,
) -> int:
    from flowmap import files, reporters
    from flowmap.analysis import analyze_paths, selected_rules
    from flowmap.errors import UsageError

    config = config_for(paths, config_file).override(
        select=_codes(select),
        ignore=_codes(ignore),
        extend_select=_codes(extend_select),
        fail_on=fail_on,
        top=0 if show_all else top,
        jobs=jobs,
    )
    config = with_org(config, org_file)
    selected_rules(config)  # refuse unknown selectors before reading any file
    found = collect(paths, config)
    if not found:
        raise UsageError("no process files found (looked for *.flow.yaml and *.bpmn)")
    if fix:
        return _fix(found, config, output, force)
    reporters.get(fmt)  # refuse a format this version lacks before any work

    results = analyze_paths(found, config, config.jobs)
    analyses = [r.analysis for r in results if r.analysis is not None]
    errors = [p for r in results for p in r.problems]
    echo_problems(list(dict.fromkeys(w for r in results for w in r.warnings)))
    if write_baseline:
        from flowmap import baseline

        if errors:
            echo_problems(errors)
            raise UsageError("some files could not be read; fix them before writing a baseline")
        count = baseline.write(write_baseline, analyses, force=force)
        click.echo(
            f"wrote {write_baseline}: {count} finding{'s' if count != 1 else ''} accepted", err=True
        )
        return 0
    if baseline_file:
        from flowmap.baseline import Baseline

        analyses, hidden, stale = Baseline.read(baseline_file).apply(analyses)
        if hidden or stale:
            note = f"{hidden} finding{'s' if hidden != 1 else ''} in the baseline not shown"
            if stale:
                note += (
                    f"; {stale} baseline entr{'ies' if stale != 1 else 'y'} no longer found "
                    "(fixed: refresh it with --write-baseline)"
                )
            click.echo(note, err=True)
    if fmt == "text" and errors:
        echo_problems(errors)
        text = reporters.report(fmt, analyses, [], config)
    else:
        text = reporters.report(fmt, analyses, errors, config)
    files.emit(text, output, force=force)
    if errors:
        return 2
    if exit_zero:
        return 0
    return 1 if any(a.failing(config.fail_on) for a in analyses) else 0


def _fix(paths: list[str], config, output: str | None, force: bool) -> int:
    from flowmap import files
    from flowmap.analysis import analyze
    from flowmap.errors import UsageError
    from flowmap.loaders import load_any
    from flowmap.redesign import redesign
    from flowmap.writers.flow_yaml import dump

    if len(paths) != 1:
        raise UsageError("--fix works on one process at a time")
    if not output:
        raise UsageError(
            "--fix needs -o FILE: the redesigned process is written there "
            "(the input is never overwritten unless you pass it with --force)"
        )
    process = load_any(paths[0], max_bytes=config.max_bytes, org=config.org or None)
    result = redesign(process, analyze(process, config).findings)
    files.write_output(output, dump(result.process), force=force)
    for line in result.applied:
        click.echo(f"fixed: {line}", err=True)
    for line in result.skipped:
        click.echo(f"not fixed: {line}", err=True)
    click.echo(f"wrote {output} ({len(result.applied)} change(s))", err=True)
    return 0

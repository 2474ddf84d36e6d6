"""What ``flowmap analyze`` does, without click: the click command (:mod:`flowmap.cli.analyze`)
calls :func:`run`, and so does :func:`direct`, which reads a command line that needs nothing
else from click (the options the result cache reads, :func:`flowmap.replay.analyze_arguments`)
and checks its values as the click command's types do. Anything else (``--help``, ``--fix``,
``-o``, a mistake to explain...) is left to click. A cold run of a 50-task BPMN model spends
about a tenth of its time importing click (issue 13)."""

from __future__ import annotations

import os
import stat

from flowmap.cli.output import collect, config_for, echo, echo_problems, with_org

_CACHE_OPTIONS = ("no_cache", "cache_dir")  # run()'s own: the analysis itself never sees them


def _codes(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(part.strip() for part in value.split(",") if part.strip())


def run(
    paths: tuple[str, ...] = (),
    fmt: str = "text",
    select: str | None = None,
    ignore: str | None = None,
    extend_select: str | None = None,
    fail_on: str | None = None,
    exit_zero: bool = False,
    top: int | None = None,
    show_all: bool = False,
    fix: bool = False,
    output: str | None = None,
    force: bool = False,
    jobs: int | None = None,
    baseline_file: str | None = None,
    write_baseline: str | None = None,
    config_file: str | None = None,
    org_file: str | None = None,
    no_cache: bool = False,
    cache_dir: str | None = None,
) -> int:
    """``flowmap analyze``: the options as the click command gives them; the exit code."""
    analysis = {name: value for name, value in locals().items() if name not in _CACHE_OPTIONS}
    if no_cache or fix or write_baseline or (output and output != "-"):
        return _analyze(**analysis)
    from flowmap import cache as results
    from flowmap import files

    key = results.analyze_options(
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
    found = results.for_analyze(paths, key, cache_dir, config_file)
    if found is None:
        return _analyze(**analysis)  # a path that does not exist: the usual error, never cached
    cache, listed = found
    entry = cache.lookup()
    if entry is not None:
        results.replay(entry)
        return entry.code
    with results.recording() as (out, err):
        code = _analyze(**analysis)
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
        echo(
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
            echo(note, err=True)
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
        echo(f"fixed: {line}", err=True)
    for line in result.skipped:
        echo(f"not fixed: {line}", err=True)
    echo(f"wrote {output} ({len(result.applied)} change(s))", err=True)
    return 0


# The command line's names (flowmap.replay) -> run()'s, where they differ.
_NAMES = {"baseline": "baseline_file", "config": "config_file", "org": "org_file"}


def direct(argv: list[str]) -> int | None:
    """Run ``flowmap analyze ARGV`` without click and return its exit code, when the command line
    is one :func:`flowmap.replay.analyze_arguments` reads and click would take every value as
    given; otherwise None (click runs it)."""
    from flowmap import reporters
    from flowmap.cli import guarded
    from flowmap.replay import analyze_arguments

    parsed = analyze_arguments(argv)
    if parsed is None:
        return None
    paths, values = parsed
    options = {_NAMES.get(name, name): value for name, value in values.items()}
    if options.get("fmt", "text") not in reporters.formats("findings"):
        return None
    checks: list[tuple[str | None, dict[str, bool]]] = [(path, {}) for path in paths] + [
        (options.get("config_file"), {"exists": True, "dir_okay": False}),
        (options.get("org_file"), {"exists": True, "dir_okay": False}),
        (options.get("baseline_file"), {"dir_okay": False}),
        (options.get("cache_dir"), {"file_okay": False}),
    ]
    if not all(_takes(path, **kind) for path, kind in checks if path is not None):
        return None
    return guarded(lambda: run(tuple(paths), **options))


def _takes(path: str, exists: bool = False, file_okay: bool = True, dir_okay: bool = True) -> bool:
    """Whether ``click.Path(exists, file_okay, dir_okay)`` takes ``path`` as it is."""
    try:
        found = os.stat(path)
    except OSError:
        return not exists
    except ValueError:  # a NUL in the name: click's own message
        return False
    if (not file_okay and stat.S_ISREG(found.st_mode)) or (
        not dir_okay and stat.S_ISDIR(found.st_mode)
    ):
        return False
    return os.access(path, os.R_OK)

"""``flowmap diff OLD NEW``: the semantic difference between two versions of a process.

flowmap diff old.flow.yaml new.flow.yaml          two files (flowmap YAML or BPMN)
flowmap diff HEAD~1 -- processes/claims.flow.yaml  a revision against the working tree
flowmap diff main..HEAD -- processes/              two revisions (git's a..b and a...b)
flowmap diff -- processes/claims.flow.yaml         HEAD against the working tree
"""

from __future__ import annotations

import click

from flowmap.cli.common import config_option, format_option


class _PathsAfterDashes(click.Command):
    """Keep what follows ``--`` apart: those are paths, what precedes them revisions."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if "--" in args:
            at = args.index("--")
            ctx.meta["flowmap.paths"] = args[at + 1 :]
            args = args[:at]
        return super().parse_args(ctx, args)


@click.command("diff", cls=_PathsAfterDashes)
@click.argument("versions_", metavar="OLD NEW", nargs=-1)
@format_option("changes")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write to this file instead of standard output.",
)
@click.option("--exit-code", is_flag=True, help="Exit 1 when there is a semantic difference.")
@click.option(
    "--findings/--no-findings",
    default=True,
    show_default=True,
    help="Run the rules on both versions to report findings introduced and resolved "
    "(--no-findings: model and metrics only, faster on very large processes).",
)
@click.option(
    "--force", is_flag=True, help="Allow -o to replace an input or a file flowmap did not write."
)
@config_option
def command(versions_, fmt, output, exit_code, findings, force, config_file) -> int:
    """Semantic diff of two versions of a process.

    OLD and NEW are two files (flowmap YAML or BPMN), or git revisions followed by `--` and the
    paths to compare (`main..HEAD -- processes/claims.flow.yaml`; one revision compares it with
    the working tree). Steps, flows, organisation and measures are matched by id, so reordering
    or reformatting shows no difference; findings are matched by fingerprint.
    """
    from flowmap import diff as engine
    from flowmap import reporters
    from flowmap.cli.common import config_for
    from flowmap.errors import UsageError
    from flowmap.loaders import git

    ctx = click.get_current_context()
    paths = ctx.meta.get("flowmap.paths")
    config = config_for(tuple(paths or versions_[-1:]), config_file)
    results = []
    if paths is None:
        if len(versions_) != 2:
            raise UsageError(
                "give two files, or revisions then '--' and paths "
                "(flowmap diff HEAD~1 -- processes/claims.flow.yaml)"
            )
        old = git.load_version(versions_[0], None, config)
        new = git.load_version(versions_[1], None, config)
        results.append(
            engine.diff_processes(old, new, config, versions_[0], versions_[1], findings=findings)
        )
    else:
        if not paths:
            raise UsageError("give the paths to compare after '--'")
        old_rev, new_rev = git.versions(versions_)
        import tempfile

        files = git.process_files(paths, old_rev, new_rev)
        if not files:
            raise UsageError(
                f"no process files under {' '.join(paths)} in {old_rev} or "
                f"{new_rev or 'the working tree'}"
            )
        with tempfile.TemporaryDirectory(prefix="flowmap-diff-") as tmp:
            for path in files:
                results.append(_diff_one(engine, path, old_rev, new_rev, config, tmp, findings))
    text = reporters.report_changes(fmt, results)
    from flowmap.files import emit

    emit(text, output, force=force)
    return 1 if exit_code and any(not r.is_empty for r in results) else 0


def _diff_one(
    engine, path: str, old_rev: str, new_rev: str | None, config, tmp: str, findings: bool = True
):
    from pathlib import Path

    from flowmap.errors import UsageError
    from flowmap.loaders import git

    def load(rev, side):
        try:
            return git.load_version(path, rev, config, Path(tmp) / side)
        except git.MissingInRevision:
            return None  # the file is new, or was deleted

    old_label = f"{old_rev}:{path}"
    new_label = f"{new_rev}:{path}" if new_rev else path
    if git.unchanged(path, old_rev, new_rev):
        return engine.ProcessDiff(old_label, new_label)
    old, new = load(old_rev, "old"), load(new_rev, "new")
    if old is None and new is None:
        raise UsageError(f"{path}: in neither {old_rev} nor {new_rev or 'the working tree'}")
    from flowmap.model import Process

    empty = Process.model_validate({"process": {"id": (new or old).id}})
    result = engine.diff_processes(
        old or empty, new or empty, config, old_label, new_label, findings=findings
    )
    if old is not None:
        result.relabel(old.path, old_label)
    if new is not None and new_rev:
        result.relabel(new.path, new_label)
    return result

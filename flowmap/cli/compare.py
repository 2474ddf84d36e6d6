"""``flowmap compare AS-IS TO-BE``: what a redesign changes for the customer, in figures."""

from __future__ import annotations

import click

from flowmap.cli.common import config_option, format_option, org_option


@click.command("compare")
@click.argument(
    "files", metavar="[AS-IS] TO-BE", nargs=-1, required=True, type=click.Path(dir_okay=False)
)
@format_option("changes")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write to this file instead of standard output.",
)
@click.option(
    "--force", is_flag=True, help="Allow -o to replace an input or a file flowmap did not write."
)
@config_option
@org_option
def command(files, fmt, output, force, config_file, org_file) -> int:
    """Compare an as-is and a to-be process: metric deltas and findings resolved or introduced.

    With one file, the as-is process is the one its `redesign_of:` names.
    """
    from pathlib import Path

    from flowmap import diff as engine
    from flowmap import files as files_
    from flowmap import reporters
    from flowmap.cli.common import config_for, with_org
    from flowmap.errors import UsageError
    from flowmap.loaders import load_any

    if len(files) > 2:
        raise UsageError("give the as-is and the to-be file")
    as_is, to_be = files if len(files) == 2 else (None, files[0])
    files_.require_file(to_be)
    config = with_org(config_for((to_be,), config_file), org_file)
    new = load_any(to_be, max_bytes=config.max_bytes, org=config.org or None)
    if as_is is None:
        if not new.info.redesign_of:
            raise UsageError(f"{to_be} has no 'redesign_of:'; give the as-is file too")
        as_is = str(Path(to_be).parent / new.info.redesign_of)
    files_.require_file(as_is)
    old = load_any(as_is, max_bytes=config.max_bytes, org=config.org or None)
    result = engine.diff_processes(old, new, config, as_is, to_be, structure=False)
    text = reporters.report_changes(
        fmt,
        [result],
        structure=False,
        title="flowmap: as-is and to-be",
        words=("new in to-be", "resolved"),
    )
    from flowmap.files import emit

    emit(text, output, force=force)
    return 0

"""``flowmap convert IN -o OUT``: BPMN 2.0 to flowmap YAML, and flowmap YAML to BPMN 2.0."""

from __future__ import annotations

import click


@click.command("convert")
@click.argument("source", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="The file to write: *.flow.yaml, or *.bpmn (the format follows the name).",
)
@click.option(
    "--force", is_flag=True, help="Allow replacing a file flowmap did not write (never the input)."
)
@click.option("-q", "--quiet", is_flag=True, help="Do not print warnings about the input.")
def command(source: str, output: str, force: bool, quiet: bool) -> int:
    """Convert a process between flowmap YAML and BPMN 2.0 XML.

    \b
      flowmap convert model.bpmn -o model.flow.yaml
      flowmap convert process.flow.yaml -o process.bpmn

    The BPMN written has a diagram (a customer pool and an organisation pool whose lanes are
    the functions and roles) that Camunda Modeler and bpmn.io open; flowmap's own facts are kept
    in flowmap: attributes, so converting back gives the same process.
    """
    from pathlib import Path

    from flowmap import files
    from flowmap.cli.common import echo_problems
    from flowmap.config import find_config
    from flowmap.errors import UsageError
    from flowmap.loaders import PROCESS_SUFFIXES, is_bpmn

    src, out = Path(source), Path(output)
    files.require_file(src)
    to_bpmn = is_bpmn(out)
    if not to_bpmn and not out.name.lower().endswith(PROCESS_SUFFIXES):
        raise UsageError(
            f"{output}: name the output *.flow.yaml or *.bpmn so flowmap knows "
            "which format to write"
        )
    if out.exists() and out.resolve() == src.resolve():
        raise UsageError(f"{output} is the input file; write the conversion to another file")
    config = find_config(source)
    process, warnings = _load(src, config.max_bytes)
    if warnings and not quiet:
        echo_problems(warnings)
    if to_bpmn:
        from flowmap.writers.bpmn import dump as dump_bpmn

        text = dump_bpmn(process)
    else:
        from flowmap.writers.flow_yaml import dump as dump_yaml

        header = f"Converted by flowmap from {src.name}." if is_bpmn(src) else ""
        text = dump_yaml(process, header=header)
    from flowmap.files import write_output

    write_output(out, text, force=force)
    if not to_bpmn and is_bpmn(src):
        _note_unreachable(process)
    click.echo(
        f"wrote {output} ({len(process.steps)} steps, {len(process.flows)} flows, "
        f"{len(process.organisation.functions)} functions)",
        err=True,
    )
    return 0


def _load(src, max_bytes: int):
    from flowmap.loaders import is_bpmn

    if is_bpmn(src):
        from flowmap.loaders.bpmn import load_bpmn

        warnings: list = []
        return load_bpmn(src, max_bytes=max_bytes, warnings=warnings), warnings
    from flowmap.loaders.flow_yaml import load_process

    return load_process(src, max_bytes=max_bytes), []


def _note_unreachable(process) -> None:
    """An import keeps steps nothing leads to (work in progress); say so."""
    from flowmap import integrity

    stranded = [i.element for i in integrity.unreachable(process) if i.code == "unreachable"]
    if stranded:
        more = f" and {len(stranded) - 3} more" if len(stranded) > 3 else ""
        click.echo(
            f"note: {len(stranded)} step(s) cannot be reached from a start "
            f"({', '.join(stranded[:3])}{more}); `flowmap analyze` reports them as "
            "errors (STR001) until you connect or remove them",
            err=True,
        )

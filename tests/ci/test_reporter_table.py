"""The one ``{format: reporter}`` table (flowmap/reporters/__init__.py): every command that prints
results takes its --format choices, help and dispatch from it, and a format asked for a kind of
result it does not print is refused with a message that names the formats that do."""

from __future__ import annotations

import importlib

import click
import pytest

from flowmap import reporters
from flowmap.cli import cli
from tests.ci.helpers import flowmap, process_files

KIND_OF_COMMAND = {
    "analyze": "findings",
    "mine": "findings",
    "conform": "findings",
    "diff": "changes",
    "compare": "changes",
}


@pytest.mark.parametrize("name", list(reporters.REPORTERS))
def test_the_table_says_what_each_module_prints(name):
    module = importlib.import_module(reporters.REPORTERS[name].module)
    assert callable(module.report) == ("findings" in reporters.REPORTERS[name].prints)
    assert hasattr(module, "report_diff") == ("changes" in reporters.REPORTERS[name].prints)


def _format_option(command: str) -> click.Option:
    found = cli.get_command(click.Context(cli), command)
    assert found is not None
    return next(p for p in found.params if isinstance(p, click.Option) and "--format" in p.opts)


@pytest.mark.parametrize("command", list(KIND_OF_COMMAND))
def test_each_command_offers_exactly_the_formats_that_print_its_results(command):
    kind = KIND_OF_COMMAND[command]
    option = _format_option(command)
    assert list(option.type.choices) == reporters.formats(kind)  # type: ignore[attr-defined]
    for name in reporters.formats(kind):
        assert f"{name} for {reporters.REPORTERS[name].reader}" in (option.help or "")


def test_the_kinds_split_as_the_modules_do():
    assert reporters.formats("changes") == ["text", "json", "markdown"]
    assert set(reporters.formats("findings")) == set(reporters.REPORTERS)


@pytest.mark.parametrize("fmt", ["sarif", "github", "junit"])
def test_diff_in_a_findings_only_format_is_refused_clearly(fmt, tmp_path):
    path = process_files()[0]
    outcome = flowmap("diff", "-f", fmt, path, path)
    assert outcome.code == 2
    assert (
        f"the {fmt} format prints findings, not changes; choose text, json, markdown"
        in outcome.output
    )
    assert "Traceback" not in outcome.output


def test_an_unknown_format_names_the_choices():
    path = process_files()[0]
    outcome = flowmap("analyze", "-f", "xml", path)
    assert outcome.code == 2
    assert (
        "unknown output format 'xml'; choose text, json, sarif, github, junit, markdown"
        in outcome.output
    )


def test_the_library_refuses_the_same_way():
    with pytest.raises(
        reporters.CannotReport,
        match="junit format prints findings, not changes; choose text, json, markdown",
    ):
        reporters.report_changes("junit", [])
    with pytest.raises(reporters.CannotReport, match="unknown output format 'yaml'"):
        reporters.report("yaml", [], [])


def test_dispatch_goes_through_the_table(tmp_path):
    """The same text as calling the format's module directly: the table adds nothing."""
    from flowmap.analysis import analyze_file
    from flowmap.reporters import markdown

    analysis = analyze_file(str(process_files()[0])).analysis
    assert analysis is not None
    assert reporters.report("markdown", [analysis], []) == markdown.report([analysis], [])
    outcome = flowmap("analyze", "-f", "markdown", "--no-cache", process_files()[0])
    assert markdown.report([analysis], []).splitlines()[0] in outcome.output

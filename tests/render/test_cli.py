from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from flowmap.cli import cli
from flowmap.rules.smokestack.smk001_chimney_handoff import ChimneyHandoff
from tests.fresh import fresh_run
from tests.render.conftest import needs_dot


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, standalone_mode=False)


@pytest.fixture
def bad(tmp_path) -> Path:
    path = tmp_path / "in" / "sales" / "credit.flow.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(ChimneyHandoff.bad, encoding="utf-8")
    return path


@needs_dot
def test_render_a_folder_into_a_folder(bad, tmp_path):
    out = tmp_path / "out"
    result = run("render", str(bad.parents[1]), "-o", str(out), "-f", "svg,png", "-q")
    assert result.return_value == 0
    assert (out / "sales" / "credit.svg").read_bytes().startswith(b"<?xml")
    assert (out / "sales" / "credit.png").read_bytes().startswith(b"\x89PNG")


@needs_dot
def test_render_one_file_format_from_suffix(bad, tmp_path):
    out = tmp_path / "credit.dot"
    assert run("render", str(bad), "-o", str(out), "--findings", "none", "-q").return_value == 0
    assert out.read_text().startswith("digraph")


def test_render_refuses_unknown_suffix_and_process_output(bad, tmp_path):
    from flowmap.errors import UsageError

    result = CliRunner().invoke(cli, ["render", str(bad), "-o", str(tmp_path / "x.gif")])
    assert result.exit_code == 2 and "cannot tell the format" in result.output
    with pytest.raises(UsageError):
        run("render", str(bad), "-o", str(bad))


@needs_dot
def test_report_writes_self_contained_html(bad, tmp_path):
    out = tmp_path / "report.html"
    assert run("report", str(bad), str(bad), "-o", str(out), "-q").return_value == 0
    page = out.read_text(encoding="utf-8")
    assert "<svg" in page and "Findings resolved" in page
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "").replace(
        'xmlns:xlink="http://www.w3.org/1999/xlink"', ""
    )
    assert "https://" not in page


def test_help_does_not_import_graphviz_or_pydantic(tmp_path):
    done = fresh_run("flowmap.cli:run", ["render", "--help"], cwd=tmp_path)
    assert "Usage:" in done.stdout
    assert done.loaded("flowmap.render.dot", "networkx") == []

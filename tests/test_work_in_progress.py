"""A half-edited process (a step no path reaches yet) is work in progress: every command reads it,
and STR001 reports the step as an error (exit 1). A meaningless file stays a load error (exit 2)."""

from __future__ import annotations

import json

import pytest

from tests.test_cli import run

WIP = """\
flowmap: 1
process: {id: claim, name: Claim, status: draft}
organisation:
  functions:
    - id: claims
      kind: operations
      roles:
        - {id: handler, level: 1, reports_to: manager}
        - {id: manager, level: 3}
steps:
  - {id: report, name: Report the claim, owner: customer, kind: start}
  - {id: assess, name: Assess claim, owner: claims.handler}
  - {id: pay, name: Pay claim, owner: claims.handler}
  - {id: paid, name: Claim paid, owner: customer, kind: end}
flows:
  - report -> assess
  - assess -> paid
"""


@pytest.fixture
def wip(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "claim.flow.yaml").write_text(WIP, encoding="utf-8")
    return tmp_path / "claim.flow.yaml"


class Result:
    """The real entry point's exit code and everything it printed."""

    def __init__(self, *args):
        done = run(*(str(a) for a in args))
        self.exit_code, self.stdout, self.output = (
            done.returncode,
            done.stdout,
            done.stdout + done.stderr,
        )


flowmap = Result


def test_validate_and_analyze_report_the_step_as_an_error(wip):
    result = flowmap("validate", wip)
    assert result.exit_code == 1, result.output
    assert (
        "claim.flow.yaml:13:5: error: 'Pay claim' cannot be reached from the start (STR001)"
        in result.output
    )
    result = flowmap("analyze", wip, "--format", "json")
    assert result.exit_code == 1, result.output
    findings = json.loads(result.stdout)["files"][0]["findings"]
    [found] = [f for f in findings if f["code"] == "STR001"]
    assert found["severity"] == "error" and found["elements"] == ["pay"]
    assert found["location"]["line"] == 13


def test_render_report_fmt_and_convert_accept_it(wip, tmp_path):
    assert flowmap("render", wip, "-o", tmp_path / "claim.svg").exit_code == 0
    assert "Pay claim" in (tmp_path / "claim.svg").read_text()
    assert flowmap("report", wip, "-o", tmp_path / "claim.html").exit_code == 0
    assert flowmap("convert", wip, "-o", tmp_path / "claim.bpmn").exit_code == 0
    result = flowmap("convert", tmp_path / "claim.bpmn", "-o", tmp_path / "back.flow.yaml")
    assert result.exit_code == 0, result.output
    assert "1 step(s) cannot be reached from a start (pay)" in result.output
    result = flowmap("fmt", wip)
    assert result.exit_code == 0, result.output
    assert "id: pay" in wip.read_text()
    assert flowmap("fmt", "--check", wip).exit_code == 0


def test_diff_shows_the_step_being_connected(wip, tmp_path):
    done = tmp_path / "done.flow.yaml"
    done.write_text(WIP.replace("  - assess -> paid\n", "  - assess -> pay\n  - pay -> paid\n"))
    result = flowmap("diff", wip, done)
    assert result.exit_code == 0, result.output
    assert "resolved   STR001" in result.output


@pytest.mark.parametrize(
    "edit",
    [
        ("owner: claims.handler}\n  - {id: pay", "owner: claims.clerk}\n  - {id: pay"),
        ("  - assess -> paid\n", "  - assess -> nowhere\n"),
        ("{id: manager, level: 3}", "{id: manager, level: 3, reports_to: handler}"),
    ],
    ids=["dangling-owner", "dangling-flow", "reports-to-cycle"],
)
def test_a_meaningless_file_is_still_refused(wip, edit):
    wip.write_text(WIP.replace(*edit))
    for command in (["validate"], ["analyze"], ["render", "-o", wip.with_suffix(".svg")], ["fmt"]):
        result = flowmap(*command, wip)
        assert result.exit_code == 2, (command, result.output)
        assert "claim.flow.yaml:" in result.output and "Traceback" not in result.output

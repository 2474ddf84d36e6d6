"""CI output formats: SARIF 2.1.0 (schema-validated), GitHub annotations, JUnit XML, markdown."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from flowmap.analysis import analyze_file
from flowmap.errors import Location, Problem
from flowmap.reporters import github, junit, markdown, sarif
from flowmap.rules import all_rules
from tests.ci.helpers import flowmap, process_files

# The OASIS SARIF 2.1.0 schema (see its "$comment" for the source and what was left out).
SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def analyses():
    results = [analyze_file(str(p)) for p in process_files()]
    found = [r.analysis for r in results if r.analysis is not None]
    assert any(a.findings for a in found), "the library should give findings to report"
    return found


ERRORS = [
    Problem(
        Location("broken.flow.yaml", 3, 7),
        "unknown key 'onwer' in step 'a'",
        "did you mean 'owner'?",
        "unknown-key",
    )
]


def test_sarif_is_valid_against_the_sarif_2_1_0_schema(analyses):
    document = json.loads(sarif.report(analyses, ERRORS))
    jsonschema.Draft4Validator.check_schema(SCHEMA)
    jsonschema.Draft4Validator(SCHEMA).validate(document)
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.code for r in all_rules()]
    assert all(r["helpUri"] == f"docs/rules/{r['id']}.md" and r["help"]["text"] for r in rules)
    findings = [f for a in analyses for f in a.findings]
    assert len(run["results"]) == len(findings)
    for result, finding in zip(run["results"], findings, strict=True):
        region = result["locations"][0]["physicalLocation"]["region"]
        assert (region["startLine"], region["startColumn"]) == (
            finding.location.line,
            finding.location.column,
        )
        assert result["partialFingerprints"] == {sarif.FINGERPRINT_KEY: finding.fingerprint}
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == finding.code
    assert run["invocations"][0]["executionSuccessful"] is False
    assert run["invocations"][0]["toolExecutionNotifications"][0]["locations"][0][
        "physicalLocation"
    ]["region"] == {"startLine": 3, "startColumn": 7}


def test_schema_rejects_what_it_should():
    """The vendored schema is not a blank cheque."""
    validator = jsonschema.Draft4Validator(SCHEMA)
    bad = {
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "x"}},
                "results": [
                    {
                        "message": {"text": "m"},
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": "a"},
                                    "region": {"startLine": 0},
                                }
                            }
                        ],
                    }
                ],
            }
        ],
    }
    assert not validator.is_valid(bad)
    assert not validator.is_valid({"version": "2.0.0", "runs": []})
    assert not validator.is_valid({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]})


def test_sarif_through_the_command_line(tmp_path):
    path = process_files()[0]
    out = tmp_path / "flowmap.sarif"
    outcome = flowmap("analyze", path, "-f", "sarif", "-o", out)
    log = json.loads(out.read_text("utf-8"))
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    results = log["runs"][0]["results"]
    assert len(results) == len(analyze_file(str(path)).analysis.findings)
    # exit 1 exactly when a result is at or above the default failing severity (warning)
    assert outcome.code == (1 if any(r["level"] in ("error", "warning") for r in results) else 0)


def test_sarif_uri_is_relative_and_escaped():
    assert sarif.uri("processes/a b/claims.flow.yaml") == "processes/a%20b/claims.flow.yaml"
    assert sarif.uri("x#y.flow.yaml") == "x%23y.flow.yaml"


def test_github_annotations_escape_per_the_runner_rules(analyses):
    assert github.escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert github.escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    line = github.command(
        "warning",
        "m, with: colon",
        file="p/x,y.flow.yaml",
        line=4,
        col=2,
        title="SMK001 chimney-handoff",
    )
    assert line == (
        "::warning file=p/x%2Cy.flow.yaml,line=4,col=2,title=SMK001 chimney-handoff::m, with: colon"
    )
    text = github.report(analyses, ERRORS)
    lines = text.splitlines()
    findings = [f for a in analyses for f in a.findings]
    annotations = [
        ln
        for ln in lines
        if ln.startswith(("::warning", "::error", "::notice")) and "title=flowmap" not in ln
    ]
    assert len(annotations) == len(findings)
    first = findings[0]
    assert annotations[0].startswith(
        f"::{github.LEVEL[first.severity.value]} file={first.location.path},"
        f"line={first.location.line},col={first.location.column},title={first.code} "
    )
    assert "::error file=broken.flow.yaml,line=3,col=7,title=flowmap unknown-key::" in text
    assert all("\n" not in ln for ln in annotations)


def test_junit_is_well_formed_with_a_suite_per_file(analyses):
    root = ET.fromstring(junit.report(analyses, ERRORS))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [a.path for a in analyses] + ["broken.flow.yaml"]
    failures = sum(1 for a in analyses for f in a.findings if f.severity.value != "info")
    assert int(root.get("failures")) == failures == len(root.findall(".//failure"))
    assert int(root.get("errors")) == 1
    for suite in suites:
        assert int(suite.get("tests")) == len(suite.findall("testcase"))


def test_markdown_summary(analyses):
    text = markdown.report(analyses, ERRORS)
    total = sum(len(a.findings) for a in analyses)
    assert text.startswith("## flowmap analysis")
    assert f"**{total} finding" in text
    assert "| file | findings |" in text and "broken.flow.yaml:3:7" in text
    for a in analyses:
        assert f"`{a.path}`" in text

"""The rule registry keeps itself honest: codes, names, docs and bad/good fixtures of every rule."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flowmap import analysis, rules
from flowmap.config import Config
from flowmap.errors import LoadError
from flowmap.loaders.flow_yaml import load_process
from flowmap.rules.base import FAMILY_PREFIX, Family, Severity
from flowmap.rules.docs import pages

ALL = rules.all_rules()
DOCS = Path(__file__).resolve().parents[1] / "docs" / "rules"


def test_codes_and_names_are_unique_and_well_formed():
    assert ALL, "no rules registered"
    codes = [r.code for r in ALL]
    names = [r.name for r in ALL]
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)
    for rule in ALL:
        assert re.fullmatch(FAMILY_PREFIX[rule.family] + r"\d{3}", rule.code), rule.code
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", rule.name), rule.name
        assert isinstance(rule.family, Family) and isinstance(rule.severity, Severity)


@pytest.mark.parametrize("rule", ALL, ids=lambda r: r.code)
def test_rule_is_documented(rule):
    assert rule.summary and rule.why
    doc = rule.doc()
    assert "## What it finds" in doc and "## How to fix" in doc, rule.code
    for name, info in rule.Options.model_fields.items():
        assert info.description, f"{rule.code} option {name} has no description"


def _load_example(tmp_path, text, name):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    try:
        return load_process(path)
    except LoadError as exc:
        # A model with unreachable steps is refused by the YAML loader but can come from a
        # BPMN import; build such examples the way an importer does (STR001).
        if exc.problems and all(p.code == "unreachable" for p in exc.problems):
            from flowmap.loaders.yamlsrc import parse
            from flowmap.model import Process

            data, _ = parse(text)
            return Process.model_validate(data).with_source(str(path), {})
        pytest.fail(f"example does not load:\n{exc}")


@pytest.mark.parametrize("rule", ALL, ids=lambda r: r.code)
def test_bad_example_is_reported_and_good_example_is_not(rule, tmp_path):
    only = Config(select=(rule.code,))
    bad = analysis.analyze(_load_example(tmp_path, rule.bad, "bad.flow.yaml"), only)
    assert not bad.rule_errors, bad.rule_errors
    assert [f for f in bad.findings if f.code == rule.code], f"{rule.code}: bad example is silent"
    good = analysis.analyze(_load_example(tmp_path, rule.good, "good.flow.yaml"), only)
    assert not good.rule_errors, good.rule_errors
    assert not [f for f in good.findings if f.code == rule.code], \
        f"{rule.code}: good example is reported: {[f.message for f in good.findings]}"


@pytest.mark.parametrize("rule", ALL, ids=lambda r: r.code)
def test_findings_carry_evidence_and_suggestion(rule, tmp_path):
    bad = analysis.analyze(_load_example(tmp_path, rule.bad, "bad.flow.yaml"),
                           Config(select=(rule.code,)))
    located = bad.process.locate("process").line > 0  # loaded from YAML with positions
    for finding in bad.findings:
        assert finding.message and finding.suggestion and finding.elements
        assert finding.location.line > 0 or not located
        assert len(finding.fingerprint) == 16


def test_a_crashing_rule_is_reported_and_others_go_on(tmp_path, monkeypatch):
    broken = ALL[0]

    def explode(self, ctx):
        raise RuntimeError("boom")
        yield  # pragma: no cover

    monkeypatch.setattr(broken, "check", explode)
    result = analysis.analyze(_load_example(tmp_path, broken.bad, "bad.flow.yaml"))
    assert [e.code for e in result.rule_errors] == [broken.code]
    assert "boom" in result.rule_errors[0].message
    assert result.metrics["steps"] > 0


def test_docs_rules_pages_are_up_to_date():
    wanted = pages()
    if not DOCS.exists():
        pytest.fail("docs/rules/ is missing: run `python -m flowmap.rules.docs docs/rules`")
    stale = [name for name, text in wanted.items()
             if not (DOCS / name).exists() or (DOCS / name).read_text() != text]
    extra = [p.name for p in DOCS.glob("*.md") if p.name not in wanted]
    assert not stale and not extra, (
        f"docs/rules is stale ({stale + extra}): run `python -m flowmap.rules.docs docs/rules`")

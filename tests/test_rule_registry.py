"""The rule registry keeps itself honest: codes, names, docs, presets and pages of every rule
(the examples are run by tests/test_rule_examples.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flowmap import analysis, rules
from flowmap.config import parse
from flowmap.errors import UsageError
from flowmap.loaders.flow_yaml import load_process
from flowmap.rules import presets
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
        assert isinstance(rule.family, Family)
        assert rule.fixable in ("", "always", "sometimes"), rule.code


@pytest.mark.parametrize("preset", presets.names())
def test_every_preset_gives_every_rule_a_severity(preset):
    table = presets.presets()[preset]
    assert presets.description(preset)
    assert {code for code in table if code != "description"} == {r.code for r in ALL}
    for rule in ALL:
        assert isinstance(Severity(presets.severity(rule.code, preset)), Severity)


def test_severity_comes_from_the_preset_and_a_rule_setting_overrides_it():
    process = load_process(rules.get("SMK001").examples()[0].path)

    def severities(**settings):
        found = analysis.analyze(process, parse({"select": ["SMK001"], **settings})).findings
        return {f.severity.value for f in found}

    assert severities() == {"warning"}
    assert severities(preset="strict") == {"error"}
    assert severities(preset="strict", rules={"SMK001": {"severity": "info"}}) == {"info"}
    with pytest.raises(UsageError, match="not a preset; use one of recommended, strict"):
        parse({"preset": "lenient"}, "pyproject.toml")


@pytest.mark.parametrize("rule", ALL, ids=lambda r: r.code)
def test_rule_is_documented(rule):
    assert rule.summary and rule.why
    doc = rule.doc()
    assert "## What it finds" in doc and "## How to fix" in doc, rule.code
    for name, info in rule.Options.model_fields.items():
        assert info.description, f"{rule.code} option {name} has no description"


def test_a_crashing_rule_is_reported_and_others_go_on(tmp_path, monkeypatch):
    broken = ALL[0]

    def explode(self, ctx):
        raise RuntimeError("boom")
        yield  # pragma: no cover

    monkeypatch.setattr(broken, "check", explode)
    result = analysis.analyze(load_process(broken.examples()[0].path))
    assert [e.code for e in result.rule_errors] == [broken.code]
    assert "boom" in result.rule_errors[0].message
    assert result.metrics["steps"] > 0


def test_docs_rules_pages_are_up_to_date():
    wanted = pages()
    if not DOCS.exists():
        pytest.fail("docs/rules/ is missing: run `python -m flowmap.rules.docs docs/rules`")
    stale = [
        name
        for name, text in wanted.items()
        if not (DOCS / name).exists() or (DOCS / name).read_text() != text
    ]
    extra = [p.name for p in DOCS.glob("*.md") if p.name not in wanted]
    assert not stale and not extra, (
        f"docs/rules is stale ({stale + extra}): run `python -m flowmap.rules.docs docs/rules`"
    )

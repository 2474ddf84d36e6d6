"""A rule page's "Fixable" (always / sometimes / no) says what its findings really carry: run over
the rule's own invalid examples, an *always* rule gives every finding a fix, a *sometimes* rule
gives at least one, and a rule that says *no* never offers one."""

from __future__ import annotations

import pytest

from flowmap import analysis, rules
from flowmap.config import Config
from flowmap.loaders.flow_yaml import load_process

ALL = rules.all_rules()


@pytest.mark.parametrize("rule", ALL, ids=lambda r: r.code)
def test_fixable_is_what_the_findings_carry(rule):
    findings = [
        finding
        for example in rule.examples()
        if not example.valid
        for finding in analysis.analyze(
            load_process(example.path), Config(select=(rule.code,))
        ).findings
        if finding.code == rule.code
    ]
    assert findings, f"{rule.code}: its invalid examples give no finding"
    fixed = [f for f in findings if f.fix is not None]
    if rule.fixable == "always":
        assert len(fixed) == len(findings), f"{rule.code} says always; some findings have no fix"
    elif rule.fixable == "sometimes":
        assert fixed, f"{rule.code} says sometimes; no example finding has a fix"
    else:
        assert not fixed, f"{rule.code} says no, yet offers a fix: set `fixable` on the rule"

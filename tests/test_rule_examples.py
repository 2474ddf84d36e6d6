"""Every example of every registered rule produces exactly the findings it states.

An invalid example lists its findings in a ``# expect:`` comment block (see
:mod:`flowmap.rules.examples`): code, elements in order and a part of the message. The rule must
report exactly those, no more and no fewer; on a valid example it must report nothing.
"""

from __future__ import annotations

import pytest

from flowmap import analysis, rules
from flowmap.config import Config
from flowmap.loaders.flow_yaml import load_process
from flowmap.rules.examples import Expected, expectations

ALL = rules.all_rules()
EXAMPLES = [(rule, example) for rule in ALL for example in rule.examples()]


@pytest.mark.parametrize("rule", ALL, ids=lambda r: r.code)
def test_every_rule_has_a_valid_and_an_invalid_example(rule):
    kinds = {e.valid for e in rule.examples()}
    assert kinds == {True, False}, f"{rule.code}: needs valid-*.flow.yaml and invalid-*.flow.yaml"
    folder = rule.examples()[0].path.parent.name
    assert folder.startswith(rule.code.lower() + "_"), f"{rule.code} lives in {folder}"


@pytest.mark.parametrize(("rule", "example"), EXAMPLES,
                         ids=[f"{r.code}/{e.path.name}" for r, e in EXAMPLES])
def test_example_produces_exactly_the_stated_findings(rule, example):
    result = analysis.analyze(load_process(example.path), Config(select=(rule.code,)))
    assert not result.rule_errors, result.rule_errors
    got = [f for f in result.findings if f.code == rule.code]
    if example.valid:
        assert not got, f"{example.path.name}: {[f.message for f in got]}"
        return
    assert example.expected, f"{example.path.name} states no finding"
    assert all(e.code == rule.code for e in example.expected), example.expected
    unmatched = list(got)
    for wanted in example.expected:
        match = next((f for f in unmatched if f.code == wanted.code
                      and f.elements == wanted.elements and wanted.message in f.message), None)
        assert match is not None, (
            f"{example.path.name}: no finding {wanted} among "
            f"{[(f.code, f.elements, f.message) for f in unmatched]}")
        unmatched.remove(match)
    assert not unmatched, \
        f"{example.path.name}: unexpected {[(f.elements, f.message) for f in unmatched]}"
    located = result.process.locate("process").line > 0
    for finding in got:
        assert finding.suggestion and finding.why and finding.evidence, finding.code
        assert finding.location.line > 0 or not located
        assert len(finding.fingerprint) == 16


def test_the_expectation_block_is_read_as_written():
    text = ("# An example.\n# expect:\n#   - code: SMK001\n#     elements: [a->b, a]\n"
            "#     message: \"a reaches b\"\nflowmap: 1\n# expect: not part of the header\n")
    assert expectations(text) == (Expected("SMK001", ("a->b", "a"), "a reaches b"),)


@pytest.mark.parametrize("text", [
    "flowmap: 1\n",
    "# expect:\n#   - code: SMK001\nflowmap: 1\n",
    "# expect:\n#   code: SMK001\nflowmap: 1\n",
    "# expect:\n#   - [unclosed\nflowmap: 1\n",
], ids=["missing", "incomplete", "not-a-list", "not-yaml"])
def test_a_broken_expectation_block_is_refused(text):
    with pytest.raises(ValueError, match="expect"):
        expectations(text)

"""Structure rules (STR): the model is sound enough to analyse."""

from __future__ import annotations

import pytest

from flowmap import integrity, rules
from flowmap.redesign import redesign
from flowmap.rules.base import Family
from tests.rules.test_value import findings, flow, one, process

STR = [r for r in rules.all_rules() if r.family == Family.structure]


@pytest.mark.parametrize("rule", STR, ids=lambda r: r.code)
def test_bad_example_reports_and_good_is_silent(rule):
    # Built in code, as an importer would: the YAML loader refuses STR001's bad example.
    assert findings(process(rule.bad), rule.code)
    assert not findings(process(rule.good), rule.code)


@pytest.mark.parametrize("rule", [r for r in STR if r.fixable], ids=lambda r: r.code)
def test_fix_removes_the_finding_and_keeps_the_process_valid(rule):
    bad = process(rule.bad)
    result = redesign(bad, findings(bad, rule.code))
    assert result.applied and not result.skipped, result.skipped
    assert not list(integrity.check(result.process))
    assert not findings(result.process, rule.code)


def test_the_loader_accepts_what_str001_reports_and_the_finding_is_an_error():
    from flowmap.loaders.flow_yaml import load_process

    rule = rules.get("STR001")
    for example in rule.examples():
        if example.valid:
            continue
        process = load_process(example.path)
        found = findings(process, "STR001")
        assert len(found) == len(example.expected)
        for finding in found:
            assert finding.severity.value == "error"
            assert finding.location.line > 0


def test_str001_unreachable_step_and_a_model_without_start():
    f = one(process(rules.get("STR001").bad), "STR001")
    assert f.elements == ("follow-up",) and f.evidence["flows_in"] == []
    circle = process("""\
        flowmap: 1
        process: {id: circle}
        steps:
          - {id: a, owner: customer}
          - {id: b, owner: customer}
        flows:
          - a -> b
          - b -> a
        """)
    f = one(circle, "STR001")
    assert f.substance == "no-start"


def test_str002_dead_end_and_loop_without_exit():
    f = one(process(rules.get("STR002").bad), "STR002")
    assert f.elements == ("reject",)
    p = flow(
        """\
        - {id: s, owner: customer, kind: start}
        - {id: a, owner: service.agent, value: customer}
        - {id: ok, owner: service.agent, kind: decision, value: business}
        - {id: x, owner: service.agent, value: business}
        - {id: y, owner: billing.clerk, value: business}
        - {id: e, owner: customer, kind: end}
        """,
        """\
        - s -> a
        - a -> ok
        - ok -> e
        - ok -> x
        - x -> y
        - y -> x
        """,
    )
    f = one(p, "STR002")
    assert f.evidence["loop"] == ["x", "y"]


def test_str002_without_declared_ends_sinks_are_ends():
    p = process("""\
        flowmap: 1
        process: {id: open}
        steps:
          - {id: a, owner: customer}
          - {id: b, owner: customer}
          - {id: c, owner: customer}
        flows:
          - a -> b
          - a -> c
        """)
    assert not findings(p, "STR002")


def test_str003_events_may_be_unowned():
    p = process("""\
        flowmap: 1
        process: {id: events}
        organisation:
          functions: [{id: ops, roles: [{id: clerk}]}]
        steps:
          - {id: s, kind: start}
          - {id: timer, kind: event}
          - {id: work, name: Work}
          - {id: file, name: File, owner: ops.clerk}
          - {id: e, kind: end}
        flows:
          - s -> timer
          - timer -> work
          - work -> file
          - file -> e
        """)
    f = one(p, "STR003")
    assert f.elements == ("work",)


def test_str004_side_flows_do_not_count_as_outcomes():
    p = flow(
        """\
        - {id: s, owner: customer, kind: start}
        - {id: ok, owner: service.agent, kind: decision, value: business}
        - {id: learn, owner: service.manager, value: business, purpose: root-cause-fix}
        - {id: e, owner: customer, kind: end}
        - {id: done, owner: service.manager, kind: end}
        """,
        """\
        - s -> ok
        - ok -> e
        - {from: ok, to: learn, kind: feedback}
        - learn -> done
        """,
    )
    f = one(p, "STR004")
    assert f.evidence["outcomes"] == ["e"]


def test_str005_evidence_and_no_fix_when_the_start_branches():
    f = one(process(rules.get("STR005").bad), "STR005")
    assert f.elements == ("complete->apply", "complete", "apply")
    p = flow(
        """\
        - {id: s, owner: customer, kind: start}
        - {id: a, owner: service.agent, value: customer}
        - {id: b, owner: billing.clerk, value: business}
        - {id: e, owner: customer, kind: end}
        """,
        """\
        - s -> a
        - s -> b
        - a -> e
        - b -> s
        """,
    )
    f = one(p, "STR005")
    assert f.fix is None

"""Customer rules (CX): each rule's bad and good example, its evidence, edge cases, its fix."""

from __future__ import annotations

import pytest

from flowmap import integrity, rules
from flowmap.redesign import redesign
from flowmap.rules.base import Family
from tests.rules.test_value import findings, flow, one, process

CX = [r for r in rules.all_rules() if r.family == Family.customer]


@pytest.mark.parametrize("rule", CX, ids=lambda r: r.code)
def test_bad_example_reports_and_good_is_silent(rule):
    assert findings(process(rule.bad), rule.code)
    assert not findings(process(rule.good), rule.code)


@pytest.mark.parametrize("rule", [r for r in CX if r.fixable], ids=lambda r: r.code)
def test_fix_removes_the_finding_and_keeps_the_process_valid(rule):
    bad = process(rule.bad)
    found = findings(bad, rule.code)
    result = redesign(bad, found)
    assert result.applied and not result.skipped, result.skipped
    assert not list(integrity.check(result.process))
    assert not findings(result.process, rule.code)


STEPS = """\
- {id: call, owner: customer, kind: end}
- {id: answer, name: Answer, owner: service.agent, kind: start, value: customer}
- {id: bill, name: Bill, owner: billing.clerk, value: business}
- {id: confirm, name: Confirm, owner: service.agent, value: customer}
"""
FLOWS = """\
- answer -> bill
- bill -> confirm
- confirm -> call
"""


def test_cx001_evidence_and_no_finding_without_measures():
    f = one(process(rules.get("CX001").bad), "CX001")
    assert f.evidence["measures"] == {"csat": "satisfaction", "aht": "productivity"}
    assert not findings(flow(STEPS, FLOWS), "CX001")


def test_cx001_functional_only_and_the_fix_measures_effort():
    p = flow(STEPS, FLOWS, "- {id: cost, kind: cost, owner: service}\n")
    f = one(p, "CX001")
    assert "not even satisfaction" in f.message
    (edit,) = f.fix.edits
    assert edit.fields["kind"] == "effort" and edit.fields["owner"] == "service"
    assert "steps" not in edit.fields  # the whole journey: robust to steps other fixes remove


def test_cx002_evidence_and_balance():
    f = one(process(rules.get("CX002").bad), "CX002")
    assert f.elements == ("aht", "solve")
    assert f.evidence["balanced_by"] == ["effort"]


def test_cx002_ignores_back_office_steps_and_speed():
    p = flow(
        STEPS,
        FLOWS,
        """\
        - {id: invoices-per-hour, kind: productivity, owner: billing, steps: [bill]}
        - {id: lead-time, kind: speed, owner: service, steps: [confirm]}
        """,
    )
    assert not findings(p, "CX002")
    assert findings(p, "CX002", kinds=["speed"])


def test_cx003_back_office_meeting_the_customer_in_the_middle_is_silent():
    p = flow(
        """\
        - {id: call, owner: customer, kind: start}
        - {id: answer, owner: service.agent, value: customer}
        - {id: bill, owner: billing.clerk, value: business}
        - {id: pay, owner: customer, value: customer}
        - {id: analyse, owner: it.analyst, value: business}
        - {id: e, owner: customer, kind: end}
        """,
        """\
        - call -> answer
        - answer -> bill
        - bill -> pay
        - pay -> analyse
        - analyse -> e
        """,
    )
    assert not findings(p, "CX003")  # billing before and IT after a customer step meet them


def test_cx003_reports_only_functions_with_steps_at_info():
    f = one(process(rules.get("CX003").bad), "CX003")
    assert f.severity.value == "info"
    assert f.elements == ("correct",) and f.evidence["function"] == "billing"
    found = findings(flow(STEPS, FLOWS), "CX003")
    assert [f.evidence["function"] for f in found] == ["billing"]  # it has no step: silent
    assert not findings(flow(STEPS, FLOWS), "CX003", kinds=["it"])


def test_cx004_ignores_shared_systems_and_steps_without_systems():
    p = flow(
        """\
        - {id: s, owner: customer, kind: start}
        - {id: a, owner: service.agent, value: customer, systems: [CRM], data: [address]}
        - {id: b, owner: billing.clerk, value: business, data: [address]}
        - {id: c, owner: it.analyst, value: business, systems: [ERP, crm], data: [Address]}
        - {id: e, owner: customer, kind: end}
        """,
        """\
        - s -> a
        - a -> b
        - b -> c
        - c -> e
        """,
    )
    assert not findings(p, "CX004")


def test_cx004_evidence():
    f = one(process(rules.get("CX004").bad), "CX004")
    assert f.evidence["functions"] == ["billing", "service"]
    assert f.evidence["systems"] == {"billing": ["billing system"], "service": ["crm"]}


def test_cx005_evidence_and_later_data_is_not_repeated():
    f = one(process(rules.get("CX005").bad), "CX005")
    assert f.elements == ("fill-form", "report", "take-fnol")
    assert f.evidence["data"] == ["policy number", "incident details"]
    assert f.fix.edits[0].fields == {"data": ["bank details"]}
    p = flow(
        """\
        - {id: s, owner: customer, kind: start, data: [meter reading]}
        - {id: a, owner: service.agent, value: customer}
        - {id: e, owner: customer, kind: end}
        - {id: later, owner: billing.clerk, value: business, data: [meter reading]}
        """,
        """\
        - s -> a
        - a -> e
        - a -> later
        - later -> e
        """,
    )
    assert not findings(p, "CX005")  # the holder comes after the customer step


def test_cx005_in_a_loop_the_customer_step_is_not_its_own_source():
    p = flow(
        """\
        - {id: s, owner: customer, kind: start}
        - {id: give, name: Give reading, owner: customer, value: customer, data: [reading]}
        - {id: ok, owner: service.agent, kind: decision, value: business}
        - {id: e, owner: customer, kind: end}
        """,
        """\
        - s -> give
        - give -> ok
        - ok -> e
        - ok -> give
        """,
    )
    assert not findings(p, "CX005")

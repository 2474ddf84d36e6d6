"""Smokestack rules (SMK): each rule's examples, evidence, edge cases and fixes."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from flowmap import integrity
from flowmap.analysis import analyze
from flowmap.config import Config
from flowmap.loaders.flow_yaml import load_process
from flowmap.redesign import redesign
from flowmap.rules import all_rules, get
from flowmap.rules.base import Severity


def load(tmp_path: Path, text: str, name: str = "p.flow.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return load_process(path)


def run(process, code: str, **options):
    config = Config(select=(code,), rules={code: options} if options else {})
    result = analyze(process, config)
    assert not result.rule_errors, result.rule_errors
    return [f for f in result.findings if f.code == code]


def fix_and_rerun(process, code: str, **options):
    """Apply the rule's fixes; return the redesign and the rule's findings on the result."""
    findings = run(process, code, **options)
    assert findings and all(f.fix is not None for f in findings)
    result = redesign(process, findings)
    assert result.applied and not result.skipped, result.skipped
    assert not list(integrity.check(result.process))
    return result, run(result.process, code, **options)


def org(*functions: str) -> str:
    """An inline organisation: each argument is 'id:kind:role/level/reports_to,role/level'."""
    lines = ["organisation:", "  functions:"]
    for spec in functions:
        fid, kind, roles = spec.split(":")
        lines += [f"    - id: {fid}", f"      kind: {kind}", "      roles:"]
        for role in roles.split(","):
            rid, level, *boss = role.split("/")
            extra = f", reports_to: {boss[0]}" if boss else ""
            lines.append(f"        - {{id: {rid}, level: {level}{extra}}}")
    return "\n".join(lines) + "\n"


def example(tmp_path: Path, code: str, which: str):
    return load(tmp_path, getattr(get(code), which), f"{code}-{which}.flow.yaml")


HEAD = "flowmap: 1\nprocess: {id: t, name: Test}\n"


# -- SMK001 chimney-handoff ---------------------------------------------------------------------
def test_chimney_bad_reports_path_levels_and_extra_hops(tmp_path):
    [finding] = run(example(tmp_path, "SMK001", "bad"), "SMK001")
    assert finding.elements[0] == "escalate->forward"
    assert finding.elements[1:] == ("take-order", "escalate", "forward", "check-credit")
    assert finding.evidence["extra_hops"] == 2
    assert [e["level"] for e in finding.evidence["path"]] == [1, 3, 3, 1]
    assert finding.evidence["direct_handoff"] == "take-order -> check-credit"
    assert not run(example(tmp_path, "SMK001", "good"), "SMK001")


def test_chimney_message_names_roles_by_their_names_not_ids(tmp_path):
    process = load(
        tmp_path,
        HEAD
        + """
organisation:
  functions:
    - id: sales
      kind: sales
      roles:
        - {id: rep, name: Order desk agent, level: 1, reports_to: lead}
        - {id: lead, name: Sales lead, level: 3}
    - id: finance
      kind: finance
      roles:
        - {id: clerk, name: Credit analyst, level: 1, reports_to: boss}
        - {id: boss, name: Finance director, level: 3}
steps:
  - {id: s1, name: Take order, owner: sales.rep, kind: start}
  - {id: s2, name: Pass up, owner: sales.lead}
  - {id: s3, name: Pass down, owner: finance.boss}
  - {id: s4, name: Check credit, owner: finance.clerk, kind: end}
flows: [{from: s1, to: s2}, {from: s2, to: s3}, {from: s3, to: s4}]
""",
    )
    [finding] = run(process, "SMK001")
    assert "Order desk agent (L1) -> Sales lead (L3)" in finding.message
    assert "sales.rep" not in finding.message and "finance.clerk" not in finding.message


def test_chimney_fix_removes_relays_and_keeps_process_valid(tmp_path):
    result, after = fix_and_rerun(example(tmp_path, "SMK001", "bad"), "SMK001")
    assert not after
    assert {s.id for s in result.process.steps} >= {"take-order", "check-credit"}
    assert "escalate" not in {s.id for s in result.process.steps}


# -- SMK002 contact-only-through-managers -------------------------------------------------------
def test_manager_only_contact_bad_and_good(tmp_path):
    [finding] = run(example(tmp_path, "SMK002", "bad"), "SMK002")
    assert set(finding.elements) == {"send-orders->allocate-test", "report-speed->assign-call"}
    assert finding.evidence["functions"] == ["provisioning", "sales"]
    assert finding.evidence["front_line_levels"] == {"provisioning": 1, "sales": 1}
    assert not run(example(tmp_path, "SMK002", "good"), "SMK002")


def test_manager_only_contact_respects_flat_hierarchies(tmp_path):
    # A function of managers only (a flat hierarchy): its managers are its front line.
    text = (
        HEAD
        + org("dept:other:line-manager/3/head,head/4", "finance:finance:controller/3")
        + """
steps:
  - {id: ask, owner: customer, kind: start}
  - {id: approve, name: Approve budget, owner: dept.line-manager, value: business}
  - {id: book, name: Book cost, owner: finance.controller, value: business}
  - {id: done, owner: customer, kind: end}
flows: [ask -> approve, approve -> book, book -> done]
"""
    )
    assert not run(load(tmp_path, text), "SMK002")


def test_manager_only_contact_ignores_feedback_flows(tmp_path):
    text = (
        HEAD
        + org("a:sales:rep/1/boss,boss/3", "b:billing:clerk/1/boss,boss/3")
        + """
steps:
  - {id: ask, owner: customer, kind: start}
  - {id: sell, owner: a.rep, value: customer}
  - {id: bill, owner: b.clerk, value: customer}
  - {id: review, owner: a.boss, value: business, purpose: root-cause-fix}
  - {id: fix, owner: b.boss, value: business, purpose: root-cause-fix}
  - {id: done, owner: customer, kind: end}
  - {id: fixed, owner: b.boss, kind: end}
flows:
  - ask -> sell
  - sell -> bill
  - bill -> done
  - {from: sell, to: review, kind: information}
  - {from: review, to: fix, kind: feedback}
  - fix -> fixed
"""
    )
    assert not run(load(tmp_path, text), "SMK002")


# -- SMK003 escalated-approval ------------------------------------------------------------------
def test_escalated_approval_bad_and_good(tmp_path):
    [finding] = run(example(tmp_path, "SMK003", "bad"), "SMK003")
    assert finding.elements == ("approve-rebill", "rebill")
    assert finding.evidence["gap"] == 2
    assert finding.evidence["doer"] == "billing.analyst"
    assert [c["level"] for c in finding.evidence["chain"]] == [1, 2, 3]
    assert finding.severity == Severity.warning
    assert not run(example(tmp_path, "SMK003", "good"), "SMK003")


def test_escalated_approval_gap_option(tmp_path):
    assert not run(example(tmp_path, "SMK003", "bad"), "SMK003", min_gap=3)


def test_escalated_approval_fix_delegates_to_doer(tmp_path):
    result, after = fix_and_rerun(example(tmp_path, "SMK003", "bad"), "SMK003")
    assert not after
    assert result.process.step("approve-rebill").owner == "billing.analyst"


APPROVALS = (
    HEAD
    + org("ops:operations:clerk/1/lead,lead/2/head,head/4", "budget:finance:owner/4")
    + """
steps:
  - {id: ask, owner: customer, kind: start}
  - {id: prepare, name: Prepare order, owner: ops.clerk, value: customer}
  - {id: lead-ok, name: Approve order, owner: ops.lead, value: none, purpose: approval}
  - {id: head-ok, name: Approve order again, owner: ops.head, value: none, purpose: approval}
  - {id: budget-ok, name: Authorise spend, owner: budget.owner, value: none}
  - {id: legal-ok, name: Approve exception, owner: ops.head, value: business, purpose: [approval, compliance]}
  - {id: done, owner: customer, kind: end}
flows: [ask -> prepare, prepare -> lead-ok, lead-ok -> head-ok, head-ok -> budget-ok,
        budget-ok -> legal-ok, legal-ok -> done]
"""
)


def test_escalated_approval_looks_behind_stacked_approvals_and_outside_the_chain(tmp_path):
    findings = {f.elements[0]: f for f in run(load(tmp_path, APPROVALS), "SMK003")}
    # the lead is one level up: not reported; the head, behind the lead's approval, is 3 up
    assert "lead-ok" not in findings
    assert findings["head-ok"].evidence["doer_step"] == "prepare"
    assert findings["head-ok"].evidence["gap"] == 3
    # the budget owner is not in the clerk's chain of command: not an escalation
    assert "budget-ok" not in findings


def test_escalated_approval_required_by_law_is_info(tmp_path):
    text = APPROVALS.replace("budget-ok -> legal-ok", "prepare -> legal-ok")
    findings = {f.elements[0]: f for f in run(load(tmp_path, text), "SMK003")}
    assert findings["legal-ok"].severity == Severity.info
    assert findings["legal-ok"].evidence["required_by_law"] is True
    assert findings["head-ok"].severity == Severity.warning


# -- SMK004 ping-pong ---------------------------------------------------------------------------
def test_ping_pong_loop_bad_and_good(tmp_path):
    [finding] = run(example(tmp_path, "SMK004", "bad"), "SMK004")
    assert finding.evidence["closing_flow"] == finding.elements[0]
    assert {e["step"] for e in finding.evidence["loop"]} == {
        "review-credit",
        "file-complete",
        "query-details",
        "answer-query",
    }
    assert finding.evidence["handoffs_per_lap"] == 2
    assert not run(example(tmp_path, "SMK004", "good"), "SMK004")


def _bounces(n: int) -> str:
    """A straight route with n handoffs between functions a and b."""
    steps = [f"  - {{id: s{i}, owner: {'ab'[i % 2]}.doer, value: business}}" for i in range(n + 1)]
    flows = [f"  - s{i} -> s{i + 1}" for i in range(n)]
    return (
        HEAD
        + org("a:sales:doer/1", "b:finance:doer/1")
        + "steps:\n"
        + "  - {id: go, owner: customer, kind: start}\n"
        + "\n".join(steps)
        + "\n  - {id: done, owner: customer, kind: end}\nflows:\n  - go -> s0\n"
        + "\n".join(flows)
        + f"\n  - s{n} -> done\n"
    )


def test_ping_pong_counts_handoffs_along_a_route(tmp_path):
    [finding] = run(load(tmp_path, _bounces(4)), "SMK004")
    assert finding.evidence["handoffs"] == 4
    assert [e["step"] for e in finding.evidence["route"]] == ["s0", "s1", "s2", "s3", "s4"]
    assert not run(load(tmp_path, _bounces(3)), "SMK004")
    assert run(load(tmp_path, _bounces(3)), "SMK004", min_handoffs=3)


def test_ping_pong_route_is_broken_by_the_customer_and_uses_best_parallel_branch(tmp_path):
    text = (
        _bounces(4)
        .replace("  - s1 -> s2", "  - s1 -> talk\n  - talk -> s2")
        .replace("steps:\n", "steps:\n  - {id: talk, owner: customer}\n")
    )
    assert not run(load(tmp_path, text), "SMK004")
    # a parallel branch that stays inside a (s1 -> side -> s3) does not hide the long route
    text = (
        _bounces(4).replace("steps:\n", "steps:\n  - {id: side, owner: b.doer}\n")
        + "  - s0 -> side\n  - side -> s3\n"
    )
    [finding] = run(load(tmp_path, text), "SMK004")
    assert finding.evidence["handoffs"] == 4


# -- SMK005 handoff-density ---------------------------------------------------------------------
def test_handoff_density_bad_and_good(tmp_path):
    [finding] = run(example(tmp_path, "SMK005", "bad"), "SMK005")
    assert finding.evidence["cross_function_handoffs"] == 5
    assert finding.evidence["value_adding_steps"] == ["take-application"]
    assert finding.evidence["density"] == 5.0
    assert "check-contract->log-terms" in finding.elements
    assert not run(example(tmp_path, "SMK005", "good"), "SMK005")
    assert not run(example(tmp_path, "SMK005", "bad"), "SMK005", max_per_value_step=6)


def test_handoff_density_is_silent_when_values_are_undeclared(tmp_path):
    process = example(tmp_path, "SMK005", "bad")
    text = get("SMK005").bad.replace(", value: none", "").replace(", value: business", "")
    assert run(process, "SMK005")
    assert not run(load(tmp_path, text), "SMK005")


# -- SMK006 vertical-only-function --------------------------------------------------------------
def test_vertical_only_function_bad_and_good(tmp_path):
    [finding] = run(example(tmp_path, "SMK006", "bad"), "SMK006")
    assert finding.evidence["function"] == "procurement"
    assert finding.evidence["through_roles"] == ["procurement.manager"]
    assert finding.evidence["front_line_roles"] == ["procurement.buyer"]
    assert set(finding.elements) == {"log-request->assign-buyer", "report-order->tell-starter"}
    assert not run(example(tmp_path, "SMK006", "good"), "SMK006")


def test_vertical_only_function_with_missing_levels(tmp_path):
    # No level 1 or 2 in 'legal': its level-3 counsel is its front line.
    text = (
        HEAD
        + org("sales:sales:rep/1", "legal:legal:counsel/3/gc,gc/5")
        + """
steps:
  - {id: ask, owner: customer, kind: start}
  - {id: draft, owner: sales.rep, value: customer}
  - {id: review, owner: legal.counsel, value: business}
  - {id: done, owner: customer, kind: end}
flows: [ask -> draft, draft -> review, review -> done]
"""
    )
    assert not run(load(tmp_path, text), "SMK006")


# -- SMK007 manager-relay -----------------------------------------------------------------------
def test_manager_relay_bad_good_and_fix(tmp_path):
    [finding] = run(example(tmp_path, "SMK007", "bad"), "SMK007")
    assert finding.elements == ("allocate", "register", "assess")
    assert finding.evidence["level"] == 2
    assert not run(example(tmp_path, "SMK007", "good"), "SMK007")
    result, after = fix_and_rerun(example(tmp_path, "SMK007", "bad"), "SMK007")
    assert not after
    assert any(f.source == "register" and f.target == "assess" for f in result.process.flows)


def test_manager_relay_between_functions_is_left_to_chimney(tmp_path):
    text = (
        get("SMK007")
        .bad.replace("owner: claims.admin", "owner: intake.admin")
        .replace(
            "organisation:\n  functions:\n",
            "organisation:\n  functions:\n    - id: intake\n      kind: service\n"
            "      roles: [{id: admin, level: 1}]\n",
        )
    )
    assert not run(load(tmp_path, text), "SMK007")


# -- every rule: awkward models -------------------------------------------------------------------
AWKWARD = (
    HEAD
    + org("a:sales:rep/1/boss,boss/3", "b:billing:clerk/1/boss,boss/3")
    + """
steps:
  - {id: start, owner: customer, kind: start}
  - {id: nobody, name: Unowned step}
  - {id: sub, name: Subprocess, owner: a.boss, kind: subprocess}
  - {id: split, owner: a.rep, kind: decision}
  - {id: left, owner: b.boss, value: none, purpose: transport}
  - {id: right, owner: b.clerk, value: customer}
  - {id: join, owner: a.rep}
  - {id: end, owner: customer, kind: end}
flows:
  - start -> nobody
  - nobody -> sub
  - sub -> split
  - {from: split, to: left, label: x}
  - {from: split, to: right, label: y}
  - left -> join
  - right -> join
  - {from: join, to: split, kind: rework}
  - {from: join, to: join}
  - join -> end
"""
)


ALONE = HEAD + "steps:\n  - {id: only, owner: customer}\nflows: []\n"
CIRCLE = (
    HEAD
    + org("a:sales:rep/1")
    + """
steps:
  - {id: x, owner: a.rep, kind: decision}
  - {id: y, owner: customer}
flows: [x -> y, y -> x, {from: y, to: y, kind: rework}]
"""
)


@pytest.mark.parametrize("model", [AWKWARD, ALONE, CIRCLE], ids=["awkward", "alone", "circle"])
@pytest.mark.parametrize("code", [rule.code for rule in all_rules()])
def test_every_rule_survives_loops_branches_subprocesses_and_unowned_steps(tmp_path, code, model):
    run(load(tmp_path, model), code)  # run() asserts there is no rule error


def test_smk001_climbs_past_a_managers_own_steps_and_engine_events(tmp_path):
    # A workflow-engine model: the manager checks the offer (own task and events) before the
    # crossing; the chimney is the assistant -> manager climb and the crossing at manager level.
    text = """\
        flowmap: 1
        process: {id: offer}
        organisation:
          functions:
            - id: sales
              roles:
                - {id: assistant, level: 1, reports_to: manager}
                - {id: manager, level: 3}
            - id: production
              roles: [{id: manager, level: 3}]
        steps:
          - {id: s, owner: customer, kind: start}
          - {id: validate, name: Validate offer, owner: sales.assistant}
          - {id: approval, name: APPROVAL, owner: sales.manager, kind: wait}
          - {id: check, name: Check offer, owner: sales.manager}
          - {id: save, name: Save, owner: sales.manager, kind: wait}
          - {id: choose, owner: sales.manager, kind: decision}
          - {id: final, name: Final approval, owner: production.manager}
          - {id: rejected, name: Rejected, owner: sales.manager}
          - {id: e, owner: customer, kind: end}
        flows:
          - s -> validate
          - validate -> approval
          - approval -> check
          - check -> save
          - save -> check
          - check -> choose
          - choose -> final
          - choose -> rejected
          - final -> e
          - rejected -> e
        """
    [finding] = run(load(tmp_path, text), "SMK001")
    assert finding.evidence["extra_hops"] == 1
    assert finding.evidence["direct_handoff"] == "validate -> final"
    assert (
        "sales assistant (L1) -> sales manager (L3) -> production manager (L3)" in finding.message
    )
    assert "'Validate offer' -> 'Final approval'" in finding.suggestion
    assert finding.fix is None  # the manager's check is work, not a relay to remove

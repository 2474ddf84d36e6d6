"""Value rules (VAL): each rule's bad and good example, its evidence, its edge cases, its fix."""

from __future__ import annotations

import textwrap

import pytest

from flowmap import analysis, integrity, rules
from flowmap.config import Config
from flowmap.inference import value as lexicon
from flowmap.loaders import yamlsrc
from flowmap.model import Process
from flowmap.redesign import redesign
from flowmap.rules.base import Family

VAL = [r for r in rules.all_rules() if r.family == Family.value]


def process(text: str) -> Process:
    """A process from YAML text, parsed by flowmap's reader and validated in code."""
    data, _ = yamlsrc.parse(textwrap.dedent(text))
    return Process.model_validate(data)


def findings(p: Process, code: str, **options):
    config = Config(select=(code,), rules={code: options} if options else {})
    result = analysis.analyze(p, config)
    assert not result.rule_errors, result.rule_errors
    return [f for f in result.findings if f.code == code]


def one(p: Process, code: str, **options):
    found = findings(p, code, **options)
    assert len(found) == 1, [f.message for f in found]
    return found[0]


HEAD = """\
flowmap: 1
process: {id: demo, name: Demo}
organisation:
  functions:
    - id: service
      kind: service
      roles:
        - {id: agent, level: 1, reports_to: manager}
        - {id: manager, level: 3}
    - id: billing
      kind: billing
      roles:
        - {id: clerk, level: 1}
    - id: it
      kind: it
      roles:
        - {id: analyst, level: 1}
"""


def flow(steps: str, flows: str, measures: str = "") -> Process:
    text = (
        HEAD
        + "steps:\n"
        + textwrap.indent(textwrap.dedent(steps), "  ")
        + "flows:\n"
        + textwrap.indent(textwrap.dedent(flows), "  ")
    )
    if measures:
        text += "measures:\n" + textwrap.indent(textwrap.dedent(measures), "  ")
    p = process(text)
    assert not list(integrity.check(p)), list(integrity.check(p))
    return p


@pytest.mark.parametrize("rule", VAL, ids=lambda r: r.code)
def test_bad_example_reports_and_good_is_silent(rule):
    assert findings(process(rule.bad), rule.code)
    assert not findings(process(rule.good), rule.code)


@pytest.mark.parametrize("rule", [r for r in VAL if r.fixable], ids=lambda r: r.code)
def test_fix_removes_the_finding_and_keeps_the_process_valid(rule):
    bad = process(rule.bad)
    found = findings(bad, rule.code)
    assert any(f.fix for f in found)
    result = redesign(bad, found)
    assert result.applied and not result.skipped, result.skipped
    assert not list(integrity.check(result.process))
    assert not findings(result.process, rule.code)


# -- VAL001 non-value-adding-step -----------------------------------------------------------------


def test_val001_evidence_and_fingerprint_stable_across_unrelated_edits():
    rule = rules.get("VAL001")
    f = one(process(rule.bad), "VAL001")
    assert f.elements == ("print-po",)
    assert f.evidence["waste"] == "transport" and f.evidence["wait_minutes"] == 240
    edited = process(rule.bad.replace("work: 10m}", "work: 12m}"))
    assert one(edited, "VAL001").fingerprint == f.fingerprint


def test_val001_leaves_service_purposes_and_customer_steps_alone():
    p = flow(
        """\
        - {id: call, owner: customer, kind: start}
        - {id: sorry, name: Apologise, owner: service.agent, value: none, purpose: placation}
        - {id: wait-home, name: Wait at home, owner: customer, value: none}
        - {id: end, owner: customer, kind: end}
        """,
        """\
        - call -> sorry
        - sorry -> wait-home
        - wait-home -> end
        """,
    )
    assert not findings(p, "VAL001")


def test_val001_offers_no_fix_for_a_branching_or_measured_step():
    p = flow(
        """\
        - {id: call, owner: customer, kind: start}
        - {id: triage, name: Triage, owner: service.agent, kind: decision, value: none}
        - {id: log, name: Log call, owner: service.agent, value: none}
        - {id: a, owner: service.agent, value: customer}
        - {id: b, owner: service.agent, value: customer}
        - {id: end, owner: customer, kind: end}
        """,
        """\
        - call -> triage
        - triage -> a
        - triage -> log
        - log -> b
        - a -> end
        - b -> end
        """,
        """\
        - {id: aht, kind: productivity, owner: service, steps: [log]}
        """,
    )
    found = {f.elements[0]: f for f in findings(p, "VAL001")}
    assert set(found) == {"triage", "log"}
    assert found["triage"].fix is None and found["log"].fix is None


# -- VAL002 value-not-declared --------------------------------------------------------------------


def test_val002_reports_the_deciding_word_at_info():
    f = one(process(rules.get("VAL002").bad), "VAL002")
    assert f.severity.value == "info"
    assert f.elements == ("rekey-order",)
    assert f.evidence["decided_by"] == "Re-key" and f.evidence["source"] == "name"


@pytest.mark.parametrize(
    "name, word",
    [
        ("Re-key order into ERP", "re-keying"),
        ("Rekey claim", "re-keying"),
        ("Print PO from inbox", "transport"),
        ("Forward block to credit", "transport"),
        ("Pass report to handler", "transport"),
        ("Assign case to handler", "transport"),
        ("Wait for weekly invoice run", "batching"),
        ("Nightly order transfer", "batching"),
        ("Chase the garage", "chasing"),
        ("Second approval by head", "over-processing"),
        ("Re-send documents", "rework"),
        ("Repeat story to new adviser", "rework"),
    ],
)
def test_lexicon_reads_waste_from_names(name, word):
    inferred = lexicon.match_name(name)
    assert inferred is not None and inferred.waste == word


@pytest.mark.parametrize(
    "name",
    [
        "Pay invoice by transfer",
        "Post cash to ledger",
        "Send order confirmation",
        "Invoice correct?",
        "Approve credit override?",
        "Pick and pack order",
        "Passport check",
        "Fingerprint the device",
        "Keyboard repair",
    ],
)
def test_lexicon_does_not_read_waste_into_ordinary_names(name):
    assert lexicon.match_name(name) is None


def test_lexicon_purpose_decides_before_the_name_and_kind_wait_counts():
    p = flow(
        """\
        - {id: s, owner: customer, kind: start}
        - {id: a, name: Forward file, owner: service.agent, purpose: re-entry}
        - {id: b, name: Hold, owner: service.agent, kind: wait, wait: 1h}
        - {id: c, name: Prepare offer, owner: service.agent}
        - {id: e, owner: customer, kind: end}
        """,
        """\
        - s -> a
        - a -> b
        - b -> c
        - c -> e
        """,
    )
    found = {f.elements[0]: f.evidence["decided_by"] for f in findings(p, "VAL002")}
    assert found == {"a": "purpose: re-entry", "b": "kind: wait"}
    unknown = findings(p, "VAL002", report_unknown=True)
    assert {e for f in unknown for e in f.elements} == {"a", "b", "c"}


def test_every_lexicon_word_is_documented_on_the_rule_page():
    page = rules.get("VAL002").doc()
    for _, _, word in lexicon.words():
        assert word in page, word


# -- VAL003 cost-shifted-to-customer --------------------------------------------------------------


def test_val003_names_the_cause_and_the_customer_time():
    f = one(process(rules.get("VAL003").bad), "VAL003")
    assert f.elements == ("fill-form", "post-form")
    assert f.evidence["caused_by"] == ["post-form"]
    assert f.evidence["customer_wait_minutes"] == 3 * 1440


def test_val003_customer_in_the_middle_repeating_the_story():
    p = flow(
        """\
        - {id: call, owner: customer, kind: start, value: customer}
        - {id: transfer, name: Transfer call, owner: service.agent, value: none}
        - {id: repeat, name: Repeat story to new adviser, owner: customer}
        - {id: choose, name: Accept offer?, owner: customer, kind: decision}
        - {id: happy, name: Tell us what you need, owner: customer, value: customer}
        - {id: solve, name: Solve, owner: service.manager, value: customer}
        - {id: end, owner: customer, kind: end}
        """,
        """\
        - call -> transfer
        - transfer -> repeat
        - repeat -> choose
        - choose -> happy
        - choose -> solve
        - happy -> solve
        - solve -> end
        """,
    )
    f = one(p, "VAL003")
    assert f.elements[0] == "repeat" and f.evidence["decided_by"] == "Repeat"
    assert f.evidence["caused_by"] == ["transfer"]


def test_val003_no_fix_for_a_re_entry_step_inside_a_loop():
    p = flow(
        """\
        - {id: s, owner: customer, kind: start}
        - {id: check, name: Complete?, owner: service.agent, kind: decision, value: business}
        - {id: resend, name: Re-send form, owner: customer, purpose: re-entry}
        - {id: e, owner: customer, kind: end}
        """,
        """\
        - s -> check
        - check -> e
        - check -> resend
        - {from: resend, to: check, kind: rework}
        """,
    )
    f = one(p, "VAL003")
    assert f.fix is None


# -- VAL004 rework-loop ---------------------------------------------------------------------------


def test_val004_probability_rounds_and_cost():
    f = one(process(rules.get("VAL004").bad), "VAL004")
    assert f.elements == ("answer->review", "review", "complete", "query", "answer")
    assert f.evidence["probability"] == pytest.approx(0.4)
    assert f.evidence["expected_extra_rounds"] == pytest.approx(0.4 / 0.6, abs=1e-3)
    assert f.evidence["round_minutes"] == 30 + 240 + 5 + 10 + 1440 + 15 + 1440
    assert f.evidence["sent_back_by"] == "complete->query"
    assert f.evidence["functions"] == ["finance", "service"]


def test_val004_ignores_feedback_loops_and_shares_unset_probabilities():
    p = flow(
        """\
        - {id: s, owner: customer, kind: start}
        - {id: do, owner: service.agent, value: customer}
        - {id: ok, owner: service.manager, kind: decision, value: business}
        - {id: learn, owner: service.manager, value: business, purpose: root-cause-fix}
        - {id: e, owner: customer, kind: end}
        """,
        """\
        - s -> do
        - do -> ok
        - ok -> e
        - ok -> do
        - {from: ok, to: learn, kind: feedback}
        - {from: learn, to: do, kind: feedback}
        """,
    )
    f = one(p, "VAL004")
    assert f.elements[0] == "ok->do"
    assert f.evidence["probability"] == pytest.approx(0.5)


def test_val004_loop_through_parallel_branches_and_the_customer():
    p = flow(
        """\
        - {id: s, owner: customer, kind: start}
        - {id: ask, owner: service.agent, value: customer}
        - {id: a, owner: billing.clerk, value: business}
        - {id: b, owner: service.agent, value: business}
        - {id: fix, name: Correct form, owner: customer, purpose: rework}
        - {id: e, owner: customer, kind: end}
        """,
        """\
        - s -> ask
        - ask -> a
        - ask -> b
        - {from: a, to: e, probability: 0.7}
        - {from: a, to: fix, probability: 0.3}
        - b -> e
        - fix -> ask
        """,
    )
    f = one(p, "VAL004")
    assert f.evidence["customer_steps"] == ["fix"]
    # ask splits in parallel: every case goes to a, and 30% of them come back from there
    assert f.evidence["probability"] == pytest.approx(0.3)


# -- VAL005 low-cycle-efficiency -----------------------------------------------------------------


def test_val005_figures_and_longest_waste():
    f = one(process(rules.get("VAL005").bad), "VAL005")
    assert f.elements == ("weekly-run", "print-post")
    assert f.evidence["cycle_efficiency"] == pytest.approx(
        20 / (3 * 1440 + 10 + 5 + 2880 + 10), abs=1e-4
    )
    assert f.evidence["waste_share"] > 0.99


def test_val005_is_silent_when_the_wait_is_in_value_adding_work_or_untimed():
    transit = flow(
        """\
        - {id: s, owner: customer, kind: start}
        - {id: ship, name: Ship card, owner: billing.clerk, value: customer, work: 2m, wait: 3d}
        - {id: e, owner: customer, kind: end}
        """,
        """\
        - s -> ship
        - ship -> e
        """,
    )
    assert not findings(transit, "VAL005")
    untimed = flow(
        """\
        - {id: s, owner: customer, kind: start}
        - {id: fwd, name: Forward, owner: billing.clerk, value: none}
        - {id: e, owner: customer, kind: end}
        """,
        """\
        - s -> fwd
        - fwd -> e
        """,
    )
    assert not findings(untimed, "VAL005")


def test_val005_threshold_is_an_option():
    bad = process(rules.get("VAL005").bad)
    assert not findings(bad, "VAL005", min_efficiency=0.001)
    assert not findings(bad, "VAL005", min_waste_share=1.0)


# -- VAL006 internal-only-system-step ------------------------------------------------------------


def test_val006_it_work_that_never_reaches_the_customer():
    p = flow(
        """\
        - {id: s, owner: customer, kind: start}
        - {id: serve, owner: service.agent, value: customer}
        - {id: report, name: Produce MI pack, owner: it.analyst, value: business}
        - {id: fix, name: Fix interface, owner: it.analyst, value: business,
           purpose: root-cause-fix}
        - {id: e, owner: customer, kind: end}
        - {id: filed, owner: it.analyst, kind: end}
        """,
        """\
        - s -> serve
        - serve -> e
        - serve -> report
        - report -> filed
        - {from: serve, to: fix, kind: feedback}
        - fix -> filed
        """,
    )
    f = one(p, "VAL006")
    assert f.elements == ("report",) and f.evidence["reaches_customer"] is False


def test_val006_leaves_non_it_transport_alone():
    bad = rules.get("VAL006").bad.replace("owner: it.analyst", "owner: provisioning.agent")
    assert not findings(process(bad), "VAL006")


# -- VAL007 approval-without-rejection -----------------------------------------------------------


def test_val007_evidence():
    f = one(process(rules.get("VAL007").bad), "VAL007")
    assert f.elements == ("authorise", "repair")
    assert f.evidence["approver_level"] == 3 and f.evidence["doer_levels"] == {"claims.handler": 1}


def test_val007_refusal_in_a_following_decision_or_self_approval_is_silent():
    p = flow(
        """\
        - {id: s, owner: customer, kind: start}
        - {id: do, owner: service.agent, value: customer}
        - {id: self, name: Within my limit, owner: service.agent, value: business,
           purpose: approval}
        - {id: approve, name: Approve refund, owner: service.manager, value: business,
           purpose: approval, wait: 1d}
        - {id: ok, name: Approved?, owner: service.manager, kind: decision, value: business}
        - {id: e, owner: customer, kind: end}
        - {id: refused, owner: customer, kind: end}
        """,
        """\
        - s -> do
        - do -> self
        - self -> approve
        - approve -> ok
        - ok -> e
        - ok -> refused
        """,
    )
    assert not findings(p, "VAL007")
    waiting = flow(
        """\
        - {id: s, owner: customer, kind: start}
        - {id: do, owner: service.agent, value: customer}
        - {id: self, name: Sign my own form, owner: service.agent, value: business,
           purpose: approval, wait: 1d}
        - {id: e, owner: customer, kind: end}
        """,
        """\
        - s -> do
        - do -> self
        - self -> e
        """,
    )
    assert one(waiting, "VAL007").evidence["wait_minutes"] == 1440


# -- VAL008 batching-delays-customer -------------------------------------------------------------


def test_val008_batch_after_the_customer_is_gone_or_short_is_silent():
    p = flow(
        """\
        - {id: s, owner: customer, kind: start}
        - {id: serve, owner: service.agent, value: customer}
        - {id: done, owner: customer, kind: end}
        - {id: monthly, name: Add to monthly report, owner: billing.clerk, value: business,
           purpose: batching, wait: 30d}
        - {id: filed, owner: billing.clerk, kind: end}
        """,
        """\
        - s -> serve
        - serve -> done
        - serve -> monthly
        - monthly -> filed
        """,
    )
    assert not findings(p, "VAL008")
    bad = process(rules.get("VAL008").bad)
    assert not findings(bad, "VAL008", min_wait=2000)


def test_val008_names_the_customer_step_on_the_main_path():
    f = one(process(rules.get("VAL008").bad), "VAL008")
    assert f.evidence["customer_step"] == "receive"
    assert f.evidence["decided_by"] == "purpose: batching"


# -- VAL009 repeated-inspection ------------------------------------------------------------------


def test_val009_evidence():
    f = one(process(rules.get("VAL009").bad), "VAL009")
    assert f.elements == ("check-estimate", "sign-off", "pass-down")
    assert f.evidence["between"] == ["pass-down"]


def test_val009_escalation_minority_branch_and_same_role_are_silent():
    p = flow(
        """\
        - {id: s, owner: customer, kind: start}
        - {id: quick, name: Quick check, owner: service.agent, kind: decision, value: business,
           purpose: inspection}
        - {id: more, name: Look again myself, owner: service.agent, value: business,
           purpose: inspection}
        - {id: up, name: Escalate, owner: service.agent, value: none, purpose: escalation}
        - {id: review, name: Review, owner: service.manager, value: business,
           purpose: inspection}
        - {id: e, owner: customer, kind: end}
        """,
        """\
        - {from: s, to: quick}
        - {from: quick, to: more, probability: 0.8}
        - {from: quick, to: review, probability: 0.2}
        - more -> up
        - up -> review
        - review -> e
        """,
    )
    assert not findings(p, "VAL009")


def test_repeated_inspection_in_an_untimed_model_claims_no_saving_in_minutes():
    """A second check with no declared times saves a queue, not '0m' per case."""
    finding = one(
        process("""
        flowmap: 1
        process: {id: t, name: Test}
        organisation:
          functions:
            - id: team
              kind: operations
              roles:
                - {id: clerk, level: 1, reports_to: boss}
                - {id: boss, level: 3}
        steps:
          - {id: a, name: Receive request, owner: team.clerk, kind: start}
          - {id: b, name: Check request, owner: team.clerk, purpose: [inspection]}
          - {id: c, name: Check request again, owner: team.boss, purpose: [inspection]}
          - {id: d, name: Do the work, owner: team.clerk, kind: end}
        flows: [{from: a, to: b}, {from: b, to: c}, {from: c, to: d}]
        """),
        "VAL009",
    )
    assert "0m" not in finding.suggestion
    assert "queue" in finding.suggestion


def test_it_step_in_an_untimed_model_prints_no_made_up_times():
    """An imported model declares no times: '0m work, 0m wait' would read as a measurement."""
    finding = one(
        process("""
        flowmap: 1
        process: {id: t, name: Test}
        organisation:
          functions:
            - id: it
              kind: it
              roles: [{id: admin, level: 1}]
            - id: sales
              kind: sales
              roles: [{id: rep, level: 1}]
        steps:
          - {id: order, name: Customer orders, owner: customer, kind: start}
          - {id: take, name: Take order, owner: sales.rep}
          - {id: ship, name: Ship goods, owner: sales.rep}
          - {id: got, name: Goods received, owner: customer, kind: end}
          - {id: due, name: Logs due, owner: it.admin, kind: start}
          - {id: log, name: Archive order logs, owner: it.admin}
          - {id: done, name: Logs archived, owner: it.admin, kind: end}
        flows:
          - {from: order, to: take}
          - {from: take, to: ship}
          - {from: ship, to: got}
          - {from: due, to: log}
          - {from: log, to: done}
        """),
        "VAL006",
    )
    assert "Archive order logs" in finding.message
    assert "0m" not in finding.message and "wait" not in finding.message

"""Service rules (SRV): each rule's examples, evidence, edge cases and fixes, and the example
library: to-be processes clean, as-is processes showing their findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowmap.analysis import analyze
from flowmap.config import Config
from flowmap.loaders import load_any
from flowmap.rules import get
from tests.rules.test_smokestack import HEAD, fix_and_rerun, load, org, run

PROCESSES = Path(__file__).resolve().parents[2] / "processes"


def example(tmp_path: Path, code: str, which: str):
    return load(tmp_path, getattr(get(code), which), f"{code}-{which}.flow.yaml")


# -- SRV001 upstream-failure-dumped-on-service ------------------------------------------------
def test_dumped_failure_bad_names_cause_and_service(tmp_path):
    [finding] = run(example(tmp_path, "SRV001", "bad"), "SRV001")
    assert finding.elements == ("arrived->chase", "ship", "take-call")
    assert finding.evidence["cause_function"] == "logistics"
    assert finding.evidence["signal"] == "exception flow"
    assert finding.evidence["feedback_to_cause"] is False
    assert not run(example(tmp_path, "SRV001", "good"), "SRV001")


def test_dumped_failure_fix_adds_root_cause_fix_in_the_causing_function(tmp_path):
    result, after = fix_and_rerun(example(tmp_path, "SRV001", "bad"), "SRV001")
    assert not after
    [fix] = [s for s in result.process.steps if "root-cause-fix" in s.purpose]
    assert fix.owner == "logistics.manager"  # the dispatcher's team lead
    assert any(
        f.source == "take-call" and f.target == fix.id and f.kind == "feedback"
        for f in result.process.flows
    )


def test_dumped_failure_fix_reuses_an_existing_root_cause_fix(tmp_path):
    text = (
        get("SRV001").bad
        + """\
  - {from: ship, to: fix-picking, kind: information}
  - fix-picking -> picking-fixed
""".replace("flows:\n", "flows:\n")
    )
    text = text.replace(
        "steps:\n",
        "steps:\n  - {id: fix-picking, name: Fix picking, owner: "
        "logistics.manager, purpose: root-cause-fix}\n  - {id: picking-fixed, "
        "owner: logistics.manager, kind: end}\n",
    )
    result, after = fix_and_rerun(load(tmp_path, text), "SRV001")
    assert not after
    assert len([s for s in result.process.steps if "root-cause-fix" in s.purpose]) == 1


COMPLAINT = (
    HEAD
    + org("billing:billing:analyst/1/lead,lead/2", "service:service:agent/1")
    + """
steps:
  - {id: bill, name: Send bill, owner: billing.analyst, value: business, kind: start}
  - {id: read-bill, name: Read bill, owner: customer}
  - {id: complain, name: Complain about bill, owner: customer, purpose: complaint}
  - {id: explain, name: Explain bill, owner: service.agent, value: business}
  - {id: done, owner: customer, kind: end}
flows: [bill -> read-bill, read-bill -> complain, complain -> explain, explain -> done]
"""
)


def test_dumped_failure_from_a_complaint_in_the_middle(tmp_path):
    [finding] = run(load(tmp_path, COMPLAINT), "SRV001")
    assert finding.evidence["signal"] == "customer complaint"
    assert finding.evidence["cause_step"] == "bill"
    assert finding.elements[0] == "complain"


def test_dumped_failure_silent_when_service_caused_it_or_others_handle_it(tmp_path):
    caused_by_service = COMPLAINT.replace(
        "owner: billing.analyst, value: business, kind: start",
        "owner: service.agent, value: business, kind: start",
    )
    assert not run(load(tmp_path, caused_by_service), "SRV001")
    handled_by_billing = COMPLAINT.replace(
        "owner: service.agent, value: business}", "owner: billing.analyst, value: business}"
    )
    assert not run(load(tmp_path, handled_by_billing), "SRV001")


def test_dumped_failure_feedback_to_an_upstream_function_counts(tmp_path):
    # The feedback goes to the function further up (metering), not to the nearest (billing).
    text = (
        COMPLAINT.replace(
            "  - {id: bill, name: Send bill, owner: billing.analyst, value: business, kind: start}",
            "  - {id: read-meter, owner: metering.analyst, kind: start}\n"
            "  - {id: bill, name: Send bill, owner: billing.analyst, value: business}\n"
            "  - {id: fix-reads, owner: metering.analyst, purpose: root-cause-fix}\n"
            "  - {id: fixed, owner: metering.analyst, kind: end}",
        )
        .replace(
            "flows: [",
            "flows: [read-meter -> bill, {from: explain, to: fix-reads, kind: feedback}, "
            "fix-reads -> fixed, ",
        )
        .replace(
            "organisation:\n  functions:\n",
            "organisation:\n  functions:\n    - id: metering\n      kind: operations\n"
            "      roles: [{id: analyst, level: 1}]\n",
        )
    )
    assert not run(load(tmp_path, text), "SRV001")


def test_dumped_failure_feedback_to_an_unrelated_function_does_not_count(tmp_path):
    text = (
        COMPLAINT.replace(
            "  - {id: done, owner: customer, kind: end}",
            "  - {id: done, owner: customer, kind: end}\n"
            "  - {id: fix-script, owner: it.admin, purpose: root-cause-fix}\n"
            "  - {id: fixed, owner: it.admin, kind: end}",
        )
        .replace(
            "flows: [",
            "flows: [{from: explain, to: fix-script, kind: feedback}, fix-script -> fixed, ",
        )
        .replace(
            "organisation:\n  functions:\n",
            "organisation:\n  functions:\n    - id: it\n      kind: it\n"
            "      roles: [{id: admin, level: 1}]\n",
        )
    )
    [finding] = run(load(tmp_path, text), "SRV001")
    assert finding.evidence["cause_function"] == "billing"


def test_failure_branch_labels_open_a_failure(tmp_path):
    text = get("SRV001").bad.replace(", kind: exception}", "}")
    [finding] = run(load(tmp_path, text), "SRV001")
    assert finding.evidence["signal"] == "branch 'items missing'"
    neutral = text.replace("label: items missing", "label: more to come")
    assert not run(load(tmp_path, neutral), "SRV001")


# -- SRV002 placation-only ---------------------------------------------------------------------
def test_placation_only_bad_good_and_fix(tmp_path):
    [finding] = run(example(tmp_path, "SRV002", "bad"), "SRV002")
    assert finding.elements == ("apologise",)
    assert finding.evidence["placation_steps"] == {"apologise": ["placation", "compensation"]}
    assert finding.evidence["cause_step"] == "visit"
    assert not run(example(tmp_path, "SRV002", "good"), "SRV002")
    _, after = fix_and_rerun(example(tmp_path, "SRV002", "bad"), "SRV002")
    assert not after


def test_placation_found_by_name_and_outside_any_failure(tmp_path):
    text = (
        HEAD
        + org("service:service:agent/1")
        + """
steps:
  - {id: call, owner: customer, kind: start}
  - {id: sorry, name: Say sorry and send a voucher, owner: service.agent}
  - {id: done, owner: customer, kind: end}
flows: [call -> sorry, sorry -> done]
"""
    )
    [finding] = run(load(tmp_path, text), "SRV002")
    # the words come from flowmap.inference: the first one of each purpose (placation here)
    assert finding.evidence["placation_steps"] == {"sorry": ["sorry"]}
    assert finding.fix is None  # no known cause to feed back to
    recovered = text.replace("owner: service.agent}", "owner: service.agent, purpose: recovery}")
    assert not run(load(tmp_path, recovered), "SRV002")


@pytest.mark.parametrize(
    "name, words",
    [
        ("Apologise and refund the fee", ["apologise", "refund"]),
        ("Kunden beruhigen", ["beruhigen"]),
        ("Calmer le client", ["calmer"]),
        ("Offrir un geste commercial", ["geste commercial"]),
        ("Calm customer", ["calm customer"]),
    ],
)
def test_placation_read_from_names_in_every_language(tmp_path, name, words):
    text = (
        HEAD
        + org("service:service:agent/1")
        + f"""
steps:
  - {{id: call, owner: customer, kind: start}}
  - {{id: sorry, name: {name}, owner: service.agent}}
  - {{id: done, owner: customer, kind: end}}
flows: [call -> sorry, sorry -> done]
"""
    )
    [finding] = run(load(tmp_path, text), "SRV002")
    assert finding.evidence["placation_steps"] == {"sorry": words}


def test_placation_ignores_an_end_event_named_for_its_outcome(tmp_path):
    text = (
        HEAD
        + org("service:service:agent/1")
        + """
steps:
  - {id: call, owner: customer, kind: start}
  - {id: explain, name: Explain the delay, owner: service.agent}
  - {id: done, name: Customer reassured, owner: service.agent, kind: end}
flows: [call -> explain, explain -> done]
"""
    )
    assert not run(load(tmp_path, text), "SRV002")


# -- SRV003 service-only-customer-facing -------------------------------------------------------
def test_service_only_customer_facing_bad_and_good(tmp_path):
    [finding] = run(example(tmp_path, "SRV003", "bad"), "SRV003")
    assert set(finding.elements) == {"log-query", "tell"}
    assert finding.evidence["functions_never_meeting_the_customer"] == ["billing"]
    assert not run(example(tmp_path, "SRV003", "good"), "SRV003")


def test_service_only_is_silent_when_only_service_works(tmp_path):
    text = get("SRV003").bad.replace("owner: billing.clerk", "owner: service.agent")
    assert not run(load(tmp_path, text), "SRV003")


# -- SRV004 late-first-service-contact ---------------------------------------------------------
def test_late_service_bad_good_and_threshold(tmp_path):
    [finding] = run(example(tmp_path, "SRV004", "bad"), "SRV004")
    assert finding.elements == ("handle",)
    assert finding.evidence["position"] == pytest.approx(5 / 6, abs=1e-3)
    assert not run(example(tmp_path, "SRV004", "good"), "SRV004")
    assert not run(example(tmp_path, "SRV004", "bad"), "SRV004", threshold=0.9)


def test_late_service_on_a_branch_is_placed_where_the_branch_leaves(tmp_path):
    text = (
        HEAD
        + org("ops:operations:clerk/1", "service:service:agent/1")
        + """
steps:
  - {id: s0, owner: customer, kind: start}
  - {id: s1, owner: ops.clerk}
  - {id: s2, owner: ops.clerk}
  - {id: ok, owner: ops.clerk, kind: decision}
  - {id: sorry, owner: service.agent}
  - {id: s4, owner: ops.clerk}
  - {id: done, owner: customer, kind: end}
flows:
  - s0 -> s1
  - s1 -> s2
  - s2 -> ok
  - {from: ok, to: s4, probability: 0.9}
  - {from: ok, to: sorry, kind: exception, probability: 0.1}
  - sorry -> s4
  - s4 -> done
"""
    )
    [finding] = run(load(tmp_path, text), "SRV004")
    assert finding.evidence["branch_point"] == "ok"
    assert finding.evidence["position"] == pytest.approx(3 / 5)
    assert finding.elements == ("sorry", "ok")


# -- SRV005 no-listening -----------------------------------------------------------------------
def test_no_listening_bad_good_and_fix(tmp_path):
    [finding] = run(example(tmp_path, "SRV005", "bad"), "SRV005")
    assert finding.elements == ("collected",)
    assert finding.evidence["feedback_steps"] == 0
    assert not run(example(tmp_path, "SRV005", "good"), "SRV005")
    result, after = fix_and_rerun(example(tmp_path, "SRV005", "bad"), "SRV005")
    assert not after
    new = result.process.step("ask-for-feedback")
    assert new.owner == "workshop.technician" and "feedback" in new.purpose


def test_no_listening_fix_after_a_decision_keeps_the_branch_label(tmp_path):
    text = (
        get("SRV005")
        .bad.replace(
            "  - hand-back -> collected",
            "  - hand-back -> ok\n  - {from: ok, to: collected, label: works, probability: 0.9}\n"
            "  - {from: ok, to: repair, label: still broken, kind: rework, probability: 0.1}",
        )
        .replace(
            "  - {id: collected",
            "  - {id: ok, name: Works?, owner: customer, kind: decision}\n  - {id: collected",
        )
    )
    result, after = fix_and_rerun(load(tmp_path, text), "SRV005")
    assert not after
    [into] = [f for f in result.process.flows if f.target == "ask-for-feedback"]
    assert into.source == "ok" and into.label == "works"


def test_customer_feedback_flow_counts_as_listening(tmp_path):
    text = get("SRV005").bad + "  - {from: collected, to: repair, kind: feedback}\n"
    assert not run(load(tmp_path, text), "SRV005")


# -- SRV006 customer-finds-out-first -----------------------------------------------------------
def test_customer_finds_out_first_bad_good_and_fix(tmp_path):
    [finding] = run(example(tmp_path, "SRV006", "bad"), "SRV006")
    assert finding.elements == ("on-track->chase", "on-track", "chase")
    assert finding.evidence["seen_by"] == "field.scheduler"
    assert not run(example(tmp_path, "SRV006", "good"), "SRV006")
    result, after = fix_and_rerun(example(tmp_path, "SRV006", "bad"), "SRV006")
    assert not after
    [into] = [f for f in result.process.flows if f.target == "tell-customer-on-track"]
    assert into.kind == "exception" and into.label == "running late"


def test_a_failure_the_customer_sees_first_is_not_the_organisations_silence(tmp_path):
    # The customer's own decision (did everything arrive?) finds the failure: nobody was silent.
    assert not run(example(tmp_path, "SRV001", "bad"), "SRV006")


# -- all service rules: awkward models -----------------------------------------------------------
AWKWARD = (
    HEAD
    + org("svc:service:agent/1/lead,lead/3", "ops:operations:clerk/1")
    + """
steps:
  - {id: start, owner: customer, kind: start}
  - {id: nobody, name: Unowned step}
  - {id: sub, name: Subprocess, owner: ops.clerk, kind: subprocess}
  - {id: split, owner: ops.clerk, kind: decision}
  - {id: sorry, name: Apologise, owner: svc.agent}
  - {id: moan, owner: customer, purpose: complaint}
  - {id: join, owner: svc.lead}
  - {id: end, owner: customer, kind: end}
flows:
  - start -> nobody
  - nobody -> sub
  - sub -> split
  - {from: split, to: moan, label: wrong, kind: exception}
  - {from: split, to: join, label: fine}
  - moan -> sorry
  - sorry -> join
  - {from: join, to: split, kind: rework}
  - join -> end
"""
)


@pytest.mark.parametrize("code", ["SRV001", "SRV002", "SRV003", "SRV004", "SRV005", "SRV006"])
def test_service_rules_survive_loops_branches_subprocesses_and_unowned_steps(tmp_path, code):
    run(load(tmp_path, AWKWARD), code)


# -- the example library -------------------------------------------------------------------------
def _library(status: str) -> list[Path]:
    return sorted(PROCESSES.glob(f"*/{status}.flow.yaml"))


@pytest.mark.skipif(not _library("to-be"), reason="processes/ has no to-be files yet")
@pytest.mark.parametrize("path", _library("to-be"), ids=lambda p: p.parent.name)
def test_to_be_processes_have_no_smokestack_or_service_warning(path):
    result = analyze(load_any(str(path)), Config(select=("SMK", "SRV")))
    assert not result.rule_errors
    warnings = [f"{f.code} {f.message}" for f in result.findings if f.severity.value != "info"]
    assert not warnings


@pytest.mark.skipif(not _library("as-is"), reason="processes/ has no as-is files yet")
@pytest.mark.parametrize("path", _library("as-is"), ids=lambda p: p.parent.name)
def test_as_is_processes_show_smokestacks_and_service_dumping(path):
    result = analyze(load_any(str(path)), Config(select=("SMK", "SRV")))
    families = {f.family.value for f in result.findings if f.severity.value == "warning"}
    assert families == {"smokestack", "service"}
    # every as-is story dumps an upstream failure on service without feedback to its cause
    assert any(f.code == "SRV001" for f in result.findings)

"""What the analysis does with the rules' findings: skip rules a model gives nothing to, one
finding per problem, ranked, with the inferences each rests on."""

from __future__ import annotations

import json
import textwrap

import pytest

from flowmap import applicability, rules
from flowmap.analysis import analyze, rank
from flowmap.config import Config
from flowmap.errors import Location
from flowmap.loaders import yamlsrc
from flowmap.model import Inference, Process
from flowmap.rules.base import Family, Finding, Severity


def process(text: str) -> Process:
    data, _ = yamlsrc.parse(textwrap.dedent(text))
    return Process.model_validate(data)


def finding(
    code="SMK001",
    family=Family.smokestack,
    severity=Severity.warning,
    line=1,
    impact=0,
    elements=("a",),
) -> Finding:
    return Finding(
        code=code,
        name=code.lower(),
        family=family,
        severity=severity,
        message=code,
        elements=elements,
        location=Location("p", line, 1),
        evidence={},
        why="",
        suggestion="",
        impact=impact,
    )


# A chimney: SMK001 (the path), SMK002 (the managers-only pair) and SMK006 (the functions whose
# work with others all passes through managers) all fire on the one crossing.
CHIMNEY = """\
flowmap: 1
process: {id: chimney}
organisation:
  functions:
    - id: sales
      kind: sales
      roles:
        - {id: rep, level: 1, reports_to: manager}
        - {id: manager, level: 3}
    - id: finance
      kind: finance
      roles:
        - {id: analyst, level: 1, reports_to: manager}
        - {id: manager, level: 3}
steps:
  - {id: order, name: Customer orders, owner: customer, kind: start}
  - {id: take, name: Take order, owner: sales.rep, value: customer}
  - {id: escalate, name: Escalate credit query, owner: sales.manager, value: none}
  - {id: forward, name: Forward to finance, owner: finance.manager, value: none}
  - {id: check, name: Check credit, owner: finance.analyst, value: business}
  - {id: done, name: Order confirmed, owner: customer, kind: end}
flows:
  - order -> take
  - take -> escalate
  - escalate -> forward
  - forward -> check
  - check -> done
"""


# -- one finding per problem -------------------------------------------------------------------


def test_one_chimney_is_one_finding_with_the_other_views_folded_in():
    alone = {
        code: list(analyze(process(CHIMNEY), Config(select=(code,))).findings)
        for code in ("SMK001", "SMK002", "SMK006")
    }
    assert all(len(found) >= 1 for found in alone.values())  # each rule sees it on its own
    result = analyze(process(CHIMNEY), Config(select=("SMK",)))
    chimneys = [f for f in result.findings if f.code in ("SMK001", "SMK002", "SMK006")]
    assert [f.code for f in chimneys] == ["SMK001"]
    assert {r.code for r in chimneys[0].related} == {"SMK002", "SMK006"}
    data = chimneys[0].as_dict()
    assert {r["code"] for r in data["related"]} == {"SMK002", "SMK006"}


def test_views_of_different_chimneys_are_not_folded_together():
    a = finding("SMK001", elements=("x->y", "x", "y"))
    b = finding("SMK002", elements=("p->q",))
    from flowmap import triage

    assert [f.code for f in triage.merge([a, b])] == ["SMK001", "SMK002"]


def test_the_same_sentence_said_by_one_rule_for_several_routes_is_one_finding():
    from dataclasses import replace

    from flowmap import triage

    a = replace(finding("SMK001", elements=("f1", "x", "y")), message="Sales reaches Finance")
    b = replace(finding("SMK001", elements=("f2", "x", "z")), message="Sales reaches Finance")
    c = replace(finding("SMK001", elements=("f3", "p", "q")), message="Ops reaches Finance")
    merged = triage.merge([a, b, c])
    assert [f.message for f in merged] == [
        "Sales reaches Finance (2 times, by different steps)",
        "Ops reaches Finance",
    ]
    assert merged[0].elements == a.elements
    assert merged[0].evidence["also_at"] == [list(b.elements)]


def test_many_notes_of_one_kind_are_one_finding_listing_every_step():
    steps = "\n".join(f"  - {{id: s{i}, name: Print form {i}, owner: ops.clerk}}" for i in range(6))
    flows = "\n".join(f"  - s{i} -> s{i + 1}" for i in range(5))
    p = process(f"""\
flowmap: 1
process: {{id: notes}}
organisation:
  functions: [{{id: ops, roles: [{{id: clerk}}]}}]
steps:
{steps}
flows:
{flows}
""")
    [note] = analyze(p, Config(select=("VAL002",))).findings
    assert note.elements == tuple(f"s{i}" for i in range(6))
    assert note.message.startswith("6 times")
    assert "'Print form 0'" in note.message and "1 more" in note.message
    assert len(note.evidence["findings"]) == 6


def test_two_notes_stay_apart():
    p = process("""\
flowmap: 1
process: {id: notes}
organisation:
  functions: [{id: ops, roles: [{id: clerk}]}]
steps:
  - {id: a, name: Print form, owner: ops.clerk}
  - {id: b, name: Scan form, owner: ops.clerk}
flows: [a -> b]
""")
    assert len(analyze(p, Config(select=("VAL002",))).findings) == 2


# -- ranked -------------------------------------------------------------------------------------


def test_rank_orders_by_severity_then_headline_family_then_customer_impact():
    found = [
        finding("STR002", Family.structure, line=1),
        finding("VAL004", Family.value, line=2),
        finding("CX003", Family.customer, Severity.info, line=3),
        finding("SRV001", Family.service, line=9),
        finding("SMK004", Family.smokestack, line=8, impact=0),
        finding("SMK001", Family.smokestack, line=7, impact=2),
        finding("STR001", Family.structure, Severity.error, line=5),
    ]
    assert [f.code for f in rank(found)] == [
        "STR001",
        "SMK001",
        "SMK004",
        "SRV001",
        "VAL004",
        "STR002",
        "CX003",
    ]


def test_analysis_returns_findings_ranked_and_impact_marks_what_the_customer_meets():
    result = analyze(process(CHIMNEY))
    assert result.findings == rank(result.findings)
    chimney = next(f for f in result.findings if f.code == "SMK001")
    assert chimney.impact == 2  # the path starts at a step the customer meets


# -- rules that know when they do not apply -----------------------------------------------------

FLAT = """\
flowmap: 1
process: {id: flat}
organisation:
  functions:
    - {id: sales, roles: [{id: rep}]}
    - {id: finance, roles: [{id: clerk}]}
steps:
  - {id: a, name: Take order, owner: sales.rep}
  - {id: b, name: Book order, owner: finance.clerk}
  - {id: c, name: Fix order, owner: sales.rep}
  - {id: d, name: Rebook order, owner: finance.clerk}
flows: [a -> b, b -> c, c -> d]
"""


def test_rules_whose_needs_the_model_lacks_are_skipped_and_said_once_per_reason():
    result = analyze(process(FLAT))
    by_need = {s.need: s for s in result.skipped}
    assert {"SMK001", "SMK002", "SMK003", "SMK006", "SMK007"} <= set(by_need["levels"].codes)
    assert "SRV005" in by_need["customer"].codes and "VAL003" in by_need["customer"].codes
    assert "VAL005" in by_need["times"].codes
    assert "chain of command" in by_need["levels"].reason
    skipped = {c for s in result.skipped for c in s.codes}
    assert not {f.code for f in result.findings} & skipped
    assert len(skipped) == sum(len(s.codes) for s in result.skipped)  # each rule once
    data = result.as_dict()["skipped"]
    assert {"codes", "need", "reason"} <= set(data[0])


def test_a_model_with_what_a_rule_needs_runs_it():
    result = analyze(process(CHIMNEY))
    skipped = {c for s in result.skipped for c in s.codes}
    assert not skipped & {"SMK001", "SMK002", "SMK003", "SMK006", "SMK007", "VAL003"}


def test_every_declared_need_exists():
    for rule in rules.all_rules():
        for need in applicability.needs_of(rule):
            assert need in applicability.NEEDS, (rule.code, need)


# -- the inferences a finding rests on -----------------------------------------------------------


def with_inferences(p: Process, records) -> Process:
    return p.model_copy(update={"inferred": list(records)})


def test_a_finding_carries_the_reasons_of_the_inferences_it_rests_on():
    records = [
        Inference(
            element="sales.manager",
            field="level",
            value="3",
            reason="level of lane 'Sales manager' = 3 (en: manager)",
        ),
        Inference(
            element="finance",
            field="kind",
            value="finance",
            reason="kind of lane 'Finance' = finance (en: finance)",
        ),
        Inference(
            element="done",
            field="owner",
            value="customer",
            reason="lane 'Customer' is the customer (en: customer)",
        ),
        Inference(
            element="escalate",
            field="purpose",
            value="escalation",
            reason="purpose of step 'Escalate credit query' = escalation (en: escalate)",
        ),
        Inference(
            element="finance",
            field="roles",
            value="analyst, manager",
            reason="lanes 'Finance' and 'Finance manager' are one department",
        ),
    ]
    p = with_inferences(process(CHIMNEY), records)
    result = analyze(p, Config(select=("SMK001",)))
    [chimney] = result.findings
    # a chimney rests on levels and on which lanes are one function; not on what a step is
    # for, nor on what kind of function it is
    assert chimney.inferred == (
        "level of lane 'Sales manager' = 3 (en: manager)",
        "lanes 'Finance' and 'Finance manager' are one department",
    )
    assert chimney.as_dict()["inferred"] == list(chimney.inferred)
    # the same inferences under a value note: the purpose, not the levels
    [note] = [
        f for f in analyze(p, Config(select=("VAL001",))).findings if f.elements[0] == "escalate"
    ]
    assert note.inferred == (
        ("purpose of step 'Escalate credit query' = escalation (en: escalate)"),
    )


def test_a_finding_on_facts_only_has_no_inferences():
    [chimney] = analyze(process(CHIMNEY), Config(select=("SMK001",))).findings
    assert chimney.inferred == () and chimney.as_dict()["inferred"] == []


@pytest.mark.parametrize("fmt", ["json"])
def test_json_output_has_inferred_related_and_skipped(fmt, tmp_path):
    from flowmap.reporters import get

    path = tmp_path / "flat.flow.yaml"
    path.write_text(FLAT)
    from flowmap.loaders.flow_yaml import load_process

    result = analyze(load_process(path))
    document = json.loads(get(fmt).report([result], []))
    file = document["files"][0]
    assert file["skipped"] and all("inferred" in f and "related" in f for f in file["findings"])


def test_headline_rules_lead_their_family():
    found = [finding("SMK005", line=1, impact=2), finding("SMK001", line=9, impact=0)]
    assert [f.code for f in rank(found)] == ["SMK001", "SMK005"]


# -- what a person reads --------------------------------------------------------------------------


def test_text_leads_with_the_most_important_and_says_how_many_more(tmp_path):
    from click.testing import CliRunner

    from flowmap.cli import cli as main

    path = tmp_path / "as-is.flow.yaml"
    path.write_text(CHIMNEY.replace("value: customer}", "value: customer, work: 5m}"))
    runner = CliRunner()
    everything = runner.invoke(main, ["analyze", str(path), "--all", "--exit-zero"]).output
    total = everything.count("redesign:")
    assert total >= 3 and "more (" not in everything
    short = runner.invoke(main, ["analyze", str(path), "--top", "2", "--exit-zero"]).output
    assert short.count("redesign:") == 2
    assert f"+{total - 2} more (" in short and "--all shows every finding" in short
    first = short.split("redesign:")[0]
    assert "SMK001" in first  # the chimney leads
    assert "also seen as: SMK002 contact-only-through-managers" in everything


def test_text_says_which_rules_were_skipped_and_why_once(tmp_path):
    from click.testing import CliRunner

    from flowmap.cli import cli as main

    path = tmp_path / "flat.flow.yaml"
    path.write_text(FLAT)
    out = CliRunner().invoke(main, ["analyze", str(path), "--exit-zero"]).output
    lines = [line for line in out.splitlines() if line.strip().startswith("skipped ")]
    assert any("SMK001" in line and "chain of command" in line for line in lines)
    assert sum(line.count("SMK001") for line in lines) == 1


def test_text_metrics_resting_on_nothing_declared_are_not_available(tmp_path):
    from click.testing import CliRunner

    from flowmap.cli import cli as main

    path = tmp_path / "flat.flow.yaml"
    path.write_text(FLAT)
    out = CliRunner().invoke(main, ["analyze", str(path), "--exit-zero"]).output
    assert "value-adding n/a, cycle efficiency n/a, lead time n/a" in out
    result = analyze(process(FLAT))
    assert result.metrics["value_adding_share"] is None
    assert result.metrics["lead_time_minutes"] is None


def test_an_even_split_is_shown_as_assumed(tmp_path):
    from click.testing import CliRunner

    from flowmap.cli import cli as main

    text = """\
flowmap: 1
process: {id: split}
organisation:
  functions: [{id: ops, roles: [{id: clerk}]}]
steps:
  - {id: s, owner: customer, kind: start}
  - {id: d, name: Complete?, owner: ops.clerk, kind: decision, work: 5m, value: business}
  - {id: a, name: Ship, owner: ops.clerk, work: 1h, value: customer}
  - {id: b, name: Ask again, owner: ops.clerk, work: 2h, value: none}
  - {id: e, owner: customer, kind: end}
flows: [s -> d, d -> a, d -> b, a -> e, b -> e]
"""
    path = tmp_path / "split.flow.yaml"
    path.write_text(text)
    out = CliRunner().invoke(main, ["analyze", str(path), "--exit-zero"]).output
    assert "(assumes an even split at 1 decision)" in out
    path.write_text(
        text.replace(
            "d -> a, d -> b",
            "{from: d, to: a, probability: 0.9}, {from: d, to: b, probability: 0.1}",
        )
    )
    out = CliRunner().invoke(main, ["analyze", str(path), "--exit-zero"]).output
    assert "assumes" not in out


def test_text_shows_what_a_finding_assumes(tmp_path):
    from flowmap.reporters import text

    records = [
        Inference(
            element="sales.manager",
            field="level",
            value="3",
            reason="level of lane 'Sales manager' = 3",
        )
    ]
    result = analyze(with_inferences(process(CHIMNEY), records), Config(select=("SMK001",)))
    out = text.report([result], [], Config(), colour=False)
    assert "assumed: level of lane 'Sales manager' = 3" in out


def test_no_listening_is_not_judged_without_customer_service():
    internal = """\
flowmap: 1
process: {id: expenses}
organisation:
  functions:
    - id: team
      roles: [{id: employee, level: 1, reports_to: manager}, {id: manager, level: 3}]
steps:
  - {id: submit, name: Submit expense report, owner: customer, kind: start}
  - {id: review, name: Review report, owner: team.manager}
  - {id: paid, name: Reimbursed, owner: customer, kind: end}
flows: [submit -> review, review -> paid]
"""
    result = analyze(process(internal), Config(select=("SRV005",)))
    assert not result.findings
    assert [s.need for s in result.skipped] == ["service"]


def test_a_structure_finding_does_not_rest_on_the_levels_of_its_owner():
    text = CHIMNEY.replace(
        "flows:\n",
        "  - {id: stuck, name: Park order, owner: sales.rep}\nflows:\n  - take -> stuck\n",
    )  # a dead end (STR002)
    records = [
        Inference(element="sales.rep", field="level", value="1", reason="level of rep"),
        Inference(
            element="stuck",
            field="purpose",
            value="waiting",
            reason="purpose of step 'Park order' = waiting",
        ),
        Inference(
            element="stuck", field="kind", value="task", reason="link event 'Park' read as a task"
        ),
    ]
    [finding] = analyze(
        with_inferences(process(text), records), Config(select=("STR002",))
    ).findings
    assert finding.inferred == ("link event 'Park' read as a task",)
    [chimney] = analyze(
        with_inferences(process(text), records), Config(select=("SMK001",))
    ).findings
    assert "level of rep" in chimney.inferred


def test_a_rework_loop_through_a_ping_pong_run_is_a_finding_of_its_own():
    """bank-account-opening: KYC sends work back to operations for documents (a rework loop
    through the customer) and, elsewhere, the case bounces between the same two functions. The
    loop shares two steps with the bounce; it is a problem of its own and stays a finding."""
    from pathlib import Path

    from flowmap.loaders.flow_yaml import load_process

    path = (
        Path(__file__).resolve().parents[1]
        / "processes"
        / "bank-account-opening"
        / "as-is.flow.yaml"
    )
    result = analyze(load_process(path))
    [bounce] = [f for f in result.findings if f.code == "SMK004"]
    loops = [f for f in result.findings if f.code == "VAL004"]
    documents = [f for f in loops if "ask-ops-for-documents" in f.elements]
    assert documents and "review-kyc-referral" in bounce.elements
    assert not [r for r in bounce.related if "ask-ops-for-documents" in r.elements]


def test_a_loop_seen_as_ping_pong_and_as_rework_is_one_finding():
    loop = ("c->a", "a", "b", "c")
    bounce = finding("SMK004", elements=("a->b", "b->c", "c->a", "a", "b", "c"))
    rework = finding("VAL004", family=Family.value, elements=loop)
    elsewhere = finding("VAL004", family=Family.value, elements=("x->a", "a", "x"))
    from flowmap import triage

    merged = triage.merge([bounce, rework, elsewhere])
    assert [f.code for f in merged] == ["SMK004", "VAL004"]
    assert merged[0].related == (rework,) and merged[1] is elsewhere

"""Loops read as BPMN means them (flowmap/rules/loops.py): a request and its answer, a drawn
message exchange and a role repeating its own step are not rework (VAL004) or ping-pong (SMK004);
work sent back to be redone is."""

from __future__ import annotations

import textwrap

from flowmap.analysis import analyze
from flowmap.config import Config
from flowmap.loaders import yamlsrc
from flowmap.model import Process

HEAD = """\
flowmap: 1
process: {id: loops}
organisation:
  functions:
    - id: sales
      roles: [{id: rep, level: 1}]
    - id: finance
      roles: [{id: analyst, level: 1}]
"""


def codes(steps: str, flows: str) -> set[str]:
    text = (
        HEAD
        + "steps:\n"
        + textwrap.indent(textwrap.dedent(steps), "  ")
        + "flows:\n"
        + textwrap.indent(textwrap.dedent(flows), "  ")
    )
    data, _ = yamlsrc.parse(text)
    result = analyze(Process.model_validate(data), Config(select=("VAL004", "SMK004")))
    assert not result.rule_errors
    return {f.code for f in result.findings} | {r.code for f in result.findings for r in f.related}


CONVERSATION = """\
- {id: s, owner: customer, kind: start}
- {id: check, name: Check order, owner: sales.rep}
- {id: clear, name: Anything unclear?, owner: sales.rep, kind: decision}
- {id: ask, name: Ask finance about the terms, owner: sales.rep}
- {id: answer, name: Answer the question, owner: finance.analyst}
- {id: book, name: Book order, owner: sales.rep}
- {id: e, owner: customer, kind: end}
"""
CONVERSATION_FLOWS = """\
- s -> check
- check -> clear
- clear -> book
- clear -> ask
- ask -> answer
- answer -> check
- book -> e
"""


def test_a_question_and_its_answer_is_a_conversation_not_rework_or_ping_pong():
    assert codes(CONVERSATION, CONVERSATION_FLOWS) == set()


def test_the_same_loop_sending_work_back_to_be_corrected_is_rework():
    steps = CONVERSATION.replace("Answer the question", "Correct the terms")
    assert "VAL004" in codes(steps, CONVERSATION_FLOWS)


def test_a_branch_labelled_as_a_failure_makes_it_rework():
    flows = CONVERSATION_FLOWS.replace(
        "- clear -> ask", "- {from: clear, to: ask, label: rejected}"
    )
    assert "VAL004" in codes(CONVERSATION, flows)


def test_an_answerer_who_decides_to_send_it_back_is_rework_and_ping_pong():
    steps = """\
    - {id: s, owner: customer, kind: start}
    - {id: prepare, name: Prepare credit file, owner: sales.rep}
    - {id: review, name: Review credit file, owner: finance.analyst}
    - {id: ok, name: Complete?, owner: finance.analyst, kind: decision}
    - {id: book, name: Book order, owner: finance.analyst}
    - {id: e, owner: customer, kind: end}
    """
    flows = """\
    - s -> prepare
    - prepare -> review
    - review -> ok
    - ok -> book
    - ok -> prepare
    - book -> e
    """
    assert codes(steps, flows) == {"VAL004", "SMK004"}


def test_a_drawn_message_exchange_nobody_chooses_is_not_a_loop_of_work():
    steps = """\
    - {id: s, owner: customer, kind: start}
    - {id: score, name: Get credit score, owner: sales.rep}
    - {id: agency, name: Credit agency, owner: finance.analyst}
    - {id: offer, name: Send offer, owner: sales.rep}
    - {id: e, owner: customer, kind: end}
    """
    flows = """\
    - s -> score
    - score -> agency
    - agency -> score
    - score -> offer
    - offer -> e
    """
    assert codes(steps, flows) == set()


def test_a_role_repeating_its_own_step_is_not_rework_unless_it_is_a_redo():
    steps = """\
    - {id: s, owner: customer, kind: start}
    - {id: visit, name: Visit next site, owner: sales.rep}
    - {id: more, name: More sites?, owner: sales.rep, kind: decision}
    - {id: e, owner: customer, kind: end}
    """
    flows = """\
    - s -> visit
    - visit -> more
    - more -> visit
    - more -> e
    """
    assert codes(steps, flows) == set()
    assert codes(steps.replace("Visit next site", "Rework the report"), flows) == {"VAL004"}
    assert codes(
        steps, flows.replace("- more -> visit", "- {from: more, to: visit, kind: rework}")
    ) == {"VAL004"}


def test_a_reviewer_whose_decision_hands_the_work_back_is_rework_even_unlabelled():
    steps = """\
    - {id: s, owner: customer, kind: start}
    - {id: edit, name: Describe the job, owner: sales.rep}
    - {id: review, name: Review description, owner: finance.analyst}
    - {id: ok, name: OK?, owner: finance.analyst, kind: decision}
    - {id: improve, name: Improve description, owner: sales.rep}
    - {id: publish, name: Publish, owner: finance.analyst}
    - {id: e, owner: customer, kind: end}
    """
    flows = """\
    - s -> edit
    - edit -> review
    - review -> ok
    - ok -> publish
    - ok -> improve
    - improve -> review
    - publish -> e
    """
    assert "VAL004" in codes(steps, flows)


def test_an_event_naming_the_failure_makes_a_loop_rework():
    steps = """\
    - {id: s, owner: customer, kind: start}
    - {id: enter, name: Erfassung, owner: sales.rep}
    - {id: check, name: Inhaltliche Prüfung, owner: finance.analyst}
    - {id: not-ok, name: Nicht ok, owner: finance.analyst, kind: wait}
    - {id: fine, name: Ok, owner: finance.analyst, kind: wait}
    - {id: e, owner: customer, kind: end}
    """
    flows = """\
    - s -> enter
    - enter -> check
    - check -> not-ok
    - check -> fine
    - not-ok -> enter
    - fine -> e
    """
    assert "VAL004" in codes(steps, flows)


def test_a_round_through_three_parties_is_read_without_a_rule_error():
    """Three roles in turn on a round back to the start (found by the bpmn-service benchmark
    shape: SMK004 and VAL004 stopped with 'too many values to unpack')."""
    head = HEAD.replace(
        "    - id: finance\n",
        "    - id: legal\n      roles: [{id: counsel, level: 1}]\n    - id: finance\n",
    )
    text = head + textwrap.dedent(
        """\
        steps:
          - {id: s, owner: customer, kind: start}
          - {id: draft, name: Draft offer, owner: sales.rep}
          - {id: price, name: Price offer, owner: finance.analyst}
          - {id: vet, name: Vet offer, owner: legal.counsel}
          - {id: ok, name: Offer complete?, owner: legal.counsel, kind: decision}
          - {id: e, owner: customer, kind: end}
        flows:
          - s -> draft
          - draft -> price
          - price -> vet
          - vet -> ok
          - ok -> draft
          - ok -> e
        """
    )
    data, _ = yamlsrc.parse(text)
    result = analyze(Process.model_validate(data), Config(select=("VAL004", "SMK004")))
    assert not result.rule_errors
    assert "VAL004" in {f.code for f in result.findings}

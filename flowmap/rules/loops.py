"""What a loop in a process is, read as BPMN means it: rework, or a conversation, or repetition.

The rework rule (VAL004) and the ping-pong rule (SMK004) ask the same question of a loop: is work
being *sent back to be done again*? Not every cycle in a graph is that:

* a loop nobody chooses to take (every case goes round, no branch leaves it) is a drawing of
  a repetition or of a message exchange (a request to a pool and its answer), not rework;
* a loop that stays with one role, none of whose steps is a redo, is that role repeating its own
  step (another site, another item) or correcting what it has just entered when a check at entry
  fails ("Show validation errors" -> "Clear fields that failed validation" -> the form again):
  the fix VAL004 recommends, not work sent back by someone else;
* a *conversation*: the asker leaves its work with a request (a named step, not a decision or
  a bare gateway) to another party, who answers without a choice of its own and hands back to the
  asker; nothing on the round is redone or refused. Either party may be the asker (a team's
  query to the customer, "Rückfrage", answered by "Einreichen");
* a round closed by a message into a start event: that message begins another case;
* a round through a pool drawn as a black box (one step standing for a whole participant, a
  system or a partner): the messages it receives and those it sends are not known to be one
  piece of work, so the round is a path through the drawing, not work going round. Even when the
  answer is a refusal ("vendor declined refund"), it is the partner's answer, not rework.

A loop whose flow is declared ``kind: rework``, or with a step tagged or named as a redo
("Rework claim", "Korrektur"), or with a branch label or a step (an event) naming a failure
("rejected", "Nicht ok"), is rework.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from flowmap.graph import ProcessGraph
from flowmap.model import Flow, FlowKind, Purpose, StepKind


@dataclass(frozen=True)
class Round:
    steps: list[str]  # from the step work goes back to, to the step that sends it back
    flows: list[str]  # the flows of one round, the closing one last
    probability: float  # the chance a case goes round (1.0: nobody chooses to)


def round_of(g: ProcessGraph, cycle: list[str], closing: Flow) -> Round:
    """The round of a loop given as its steps (from ``closing.target`` to ``closing.source``),
    turned to start where work goes back (the target of a flow back to a step already on the
    way, as the process is read from its start)."""
    chance = g.flow_probability
    flows = [
        max(g.flow[a][b], key=lambda k: chance.get(k, 0.0)) for a, b in itertools.pairwise(cycle)
    ] + [closing.id]
    if closing.id not in g.back_flows:
        turn = next((i for i, f in enumerate(flows) if f in g.back_flows), None)
        if turn is not None:  # flows[turn] leads into cycle[turn + 1]
            cycle = cycle[turn + 1 :] + cycle[: turn + 1]
            flows = flows[turn + 1 :] + flows[: turn + 1]
    p = 1.0
    for fid in flows:
        p *= chance.get(fid, 1.0)
    return Round(list(cycle), flows, p)


def is_rework(g: ProcessGraph, loop: Round) -> bool:
    """Is this round work sent back to be done again (see the module's docstring)?"""
    flows = [g.flows[f] for f in loop.flows]
    if any(f.kind == FlowKind.rework for f in flows):
        return True
    if _redo_named(g, loop):
        return True
    if any(s in g.black_boxes for s in loop.steps):
        return False
    owners = [g.steps[s].owner for s in loop.steps]
    if len(set(owners)) == 1:
        return False  # one role repeating its own step, or correcting its entry at once
    if any(f.label and _failure(f.label) for f in flows):
        return True
    if any(g.steps[s].name and _failure(g.steps[s].name) for s in loop.steps):
        return True  # an event or step on the round says what failed ("Nicht ok", "Rejected")
    if loop.probability >= 1.0:
        return False  # nobody chooses to go round
    if any(g.steps[f.target].kind == StepKind.start and not f.generated for f in flows):
        return False  # a message to a start event begins another case: not this one going round
    runs = [o for i, o in enumerate(owners) if i == 0 or o != owners[i - 1]]
    if len(runs) > 2 and runs[0] == runs[-1]:
        runs.pop()  # a round: the last party is the first
    if len(runs) != 2 or not all(runs):
        return True  # more than two parties go round: not one asking another
    return not any(_conversation(g, loop, a, b) for a, b in (runs, runs[::-1]))


def _conversation(g: ProcessGraph, loop: Round, asker: str, answerer: str) -> bool:
    """Does ``asker`` leave its work with a request to ``answerer``, who answers without a
    choice of its own?"""
    steps = loop.steps
    crossing = next(
        i
        for i, s in enumerate(steps)
        if g.steps[s].owner == answerer and g.steps[steps[i - 1]].owner == asker
    )
    request = g.steps[steps[crossing - 1]]
    if request.kind == StepKind.decision or not request.name:
        return False  # a decision (or a bare gateway) hands the work over, it does not ask
    answer = [s for s in steps if g.steps[s].owner == answerer]
    return not any(
        g.steps[s].kind == StepKind.decision or len(set(g.flow.successors(s))) > 1 for s in answer
    )


def _redo_named(g: ProcessGraph, loop: Round) -> bool:
    from flowmap import inference

    for sid in loop.steps:
        step = g.steps[sid]
        if Purpose.rework in step.purpose or Purpose.re_entry in step.purpose:
            return True
        if step.name and inference.has_purpose(step.name, Purpose.rework) is not None:
            return True
    return False


def _failure(label: str) -> bool:
    from flowmap import inference

    return inference.names_failure(label)

"""The customer contacting the organisation about their own case, and who answers them.

Customer service is, first, what the model says: the steps of a function of kind ``service``
('Customer service', 'Kundendienst', 'Help desk'). Many real models have no such function: a
pizza shop's clerk takes the order *and* the call "where is my pizza?". There, customer service
is whoever answers the customer's chases and complaints, and only for that work:

* a customer step **chases** when it is tagged ``chasing``, or when the model draws a chase: the
  step sits on a loop of the customer's own steps that passes one of the customer's waits (the
  timer "60 minutes" after ordering, or "Deadline expired?"), and a flow leaves it for a company
  step (the call, the enquiry). The customer waits, contacts the company, and waits again;
* a customer step **complains** when it is tagged ``complaint``;
* the company steps that **answer** such a contact are the ones it reaches directly and the work
  that exists only because of them (the steps they dominate) done by the same role: the clerk's
  "where is my pizza?" and "Calm customer".

When the process has no customer-service function doing any of its work, the answering steps are
its customer service (:attr:`flowmap.graph.ProcessGraph.service_steps`). Pure, no words: the
purposes come from the model or from :mod:`flowmap.inference` through the loader.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowmap import digraph
from flowmap.model import FunctionKind, Purpose, StepKind

if TYPE_CHECKING:
    from flowmap.graph import ProcessGraph


def chases(g: ProcessGraph) -> dict[str, str]:
    """Customer steps that chase the organisation, each with the customer's wait it follows
    ('' when its purpose says so)."""
    found: dict[str, str] = {}
    customer = [s.id for s in g.process.steps if s.is_customer and s.id in g.flow]
    for sid in customer:
        if Purpose.chasing in g.steps[sid].purpose:
            found[sid] = ""
    loops = digraph.strongly_connected_components(g.flow.subgraph(customer).succ)
    for loop in loops:
        if len(loop) < 2:
            continue
        waits = [s for s in loop if g.steps[s].kind == StepKind.wait]
        if not waits:
            continue
        for sid in loop:
            if sid in found or g.steps[sid].kind != StepKind.task:
                continue
            if any(not g.is_customer(t) for t in g.flow.successors(sid)):
                found[sid] = min(waits, key=lambda w: g.forward_order.get(w, 0))
    return found


def contacts(g: ProcessGraph) -> list[str]:
    """Customer steps that contact the organisation about something gone wrong: chases and
    complaints, in file order."""
    chasing = chases(g)
    return [
        s.id
        for s in g.process.steps
        if s.is_customer and (s.id in chasing or Purpose.complaint in s.purpose)
    ]


def answering(g: ProcessGraph) -> dict[str, str]:
    """Company steps that answer the customer's chases and complaints (see the module), each
    with the customer step it answers."""
    found: dict[str, str] = {}
    for contact in contacts(g):
        for target in g.flow.successors(contact):
            ref = g.role_of(target)
            if ref is None:
                continue
            for sid in g.dominated_by(target):
                if (other := g.role_of(sid)) is not None and other.key == ref.key:
                    found.setdefault(sid, contact)
    return found


def answers(g: ProcessGraph) -> frozenset[str]:
    return frozenset(answering(g))


def declared_service(g: ProcessGraph) -> frozenset[str]:
    """The steps of customer-service functions."""
    return frozenset(
        s.id
        for s in g.process.steps
        if (fn := g.function_of(s.id)) is not None and fn.kind == FunctionKind.service
    )


def service_steps(g: ProcessGraph) -> frozenset[str]:
    """Customer-service work: the steps of customer-service functions, or, when no such function
    does any of the work, the steps that answer the customer's chases and complaints."""
    return declared_service(g) or answers(g)


def reasons(g: ProcessGraph) -> dict[str, list[str]]:
    """What this module read from the shape of the model, as the sentences a finding's
    ``assumed:`` line shows, by step: drawn chases, and customer service where no function is
    declared as such."""
    found: dict[str, list[str]] = {}
    for sid, wait in chases(g).items():
        if wait:
            found.setdefault(sid, []).append(
                f"'{g.steps[sid].label}' is the customer chasing: they contact the company after "
                f"waiting '{g.steps[wait].label}' and wait again"
            )
    if not declared_service(g):
        for sid, contact in answering(g).items():
            who = g.owner_label(g.steps[sid].owner)
            found.setdefault(sid, []).append(
                f"'{g.steps[sid].label}' is customer service: {who} answers the "
                f"customer's '{g.steps[contact].label}' (no customer-service function)"
            )
    return found

"""The customer's chases and complaints, and who answers them (flowmap.contacts)."""

from __future__ import annotations

from flowmap import contacts
from flowmap.graph import ProcessGraph
from flowmap.model import Process

SHOP = {
    "functions": [
        {"id": "shop", "kind": "manufacturing", "roles": [{"id": "clerk"}, {"id": "chef"}]},
    ]
}
# The customer orders, then waits: either the pizza comes, or after an hour they ask for it and
# wait again. The clerk answers the call.
STEPS = [
    {"id": "order", "owner": "customer", "kind": "start"},
    {"id": "waiting", "owner": "customer", "kind": "decision"},
    {"id": "came", "owner": "customer", "kind": "wait"},
    {"id": "hour", "owner": "customer", "kind": "wait"},
    {"id": "ask", "owner": "customer"},
    {"id": "eat", "owner": "customer", "kind": "end"},
    {"id": "bake", "owner": "shop.chef"},
    {"id": "answer", "owner": "shop.clerk"},
    {"id": "note", "owner": "shop.clerk"},
    {"id": "answered", "owner": "shop.clerk", "kind": "end"},
]
FLOWS = [
    "order -> bake",
    "order -> waiting",
    "waiting -> came",
    "waiting -> hour",
    "hour -> ask",
    "ask -> answer",
    "ask -> waiting",
    "answer -> note",
    "note -> answered",
    "bake -> came",
    "came -> eat",
]


def graph(steps=STEPS, flows=FLOWS, org=SHOP) -> ProcessGraph:
    return ProcessGraph(
        Process.model_validate(
            {"process": {"id": "t"}, "organisation": org, "steps": steps, "flows": flows}
        )
    )


def test_a_drawn_chase_is_found_with_the_wait_it_follows():
    assert contacts.chases(graph()) == {"ask": "hour"}


def test_no_chase_without_a_wait_on_the_loop_or_without_a_contact():
    no_wait = [dict(s, kind="task") if s["id"] == "hour" else s for s in STEPS]
    assert contacts.chases(graph(no_wait)) == {}
    no_contact = [f for f in FLOWS if f != "ask -> answer"]
    assert contacts.chases(graph(flows=no_contact)) == {}


def test_a_step_tagged_chasing_is_a_chase_without_a_loop():
    steps = [dict(s, purpose=["chasing"]) if s["id"] == "ask" else s for s in STEPS]
    flows = [f for f in FLOWS if f != "ask -> waiting"]
    assert contacts.chases(graph(steps, flows)) == {"ask": ""}


def test_the_role_that_answers_is_customer_service_when_no_service_function_works():
    g = graph()
    assert contacts.answers(g) == {"answer", "note", "answered"}
    assert g.service_steps == {"answer", "note", "answered"}
    assert g.is_service("note") and not g.is_service("bake")


def test_a_complaint_is_answered_too():
    steps = [
        {"id": "bill", "owner": "shop.clerk", "kind": "start"},
        {"id": "complain", "owner": "customer", "purpose": ["complaint"]},
        {"id": "explain", "owner": "shop.clerk"},
        {"id": "done", "owner": "customer", "kind": "end"},
    ]
    g = graph(steps, ["bill -> complain", "complain -> explain", "explain -> done"])
    assert g.service_steps == {"explain"}


def test_a_declared_service_function_is_customer_service_and_nothing_else():
    org = {
        "functions": SHOP["functions"]
        + [{"id": "service", "kind": "service", "roles": [{"id": "agent"}]}]
    }
    steps = STEPS + [{"id": "log", "owner": "service.agent"}]
    g = graph(steps, FLOWS + ["answer -> log"], org)
    assert g.service_steps == {"log"}
    assert not g.is_service("answer")


def test_only_the_answering_role_counts():
    # the clerk passes the call to the chef: the chef's work is not customer service
    steps = STEPS + [{"id": "rebake", "owner": "shop.chef"}]
    g = graph(steps, FLOWS + ["answer -> rebake"])
    assert "rebake" not in g.service_steps

"""The process graph answers the questions rules ask: handoffs, chains of command, paths, loops."""

from __future__ import annotations

import pytest

from flowmap.graph import HandoffKind, ProcessGraph
from flowmap.model import Process

ORG = {
    "functions": [
        {"id": "board", "kind": "management", "roles": [{"id": "ceo", "level": 5}]},
        {
            "id": "sales",
            "kind": "sales",
            "roles": [
                {"id": "rep", "level": 1, "reports_to": "lead"},
                {"id": "lead", "level": 2, "reports_to": "manager"},
                {"id": "manager", "level": 3, "reports_to": "board.ceo"},
            ],
        },
        {
            "id": "finance",
            "kind": "finance",
            "roles": [
                {"id": "clerk", "level": 1, "reports_to": "manager"},
                {"id": "manager", "level": 3, "reports_to": "board.ceo"},
            ],
        },
        {"id": "service", "kind": "service", "roles": [{"id": "agent", "level": 1}]},
    ]
}


def make(steps, flows, **extra) -> ProcessGraph:
    data = {
        "process": {"id": "t"},
        "organisation": ORG,
        "steps": [
            dict(zip(("id", "owner", "kind"), s, strict=True)) if isinstance(s, tuple) else s
            for s in steps
        ],
        "flows": flows,
        **extra,
    }
    for step in data["steps"]:
        if step.get("kind") is None:
            step.pop("kind", None)
    return ProcessGraph(Process.model_validate(data))


def test_handoff_kinds():
    g = make(
        [
            ("a", "customer", "start"),
            ("b", "sales.rep", None),
            ("c", "sales.rep", None),
            ("d", "sales.manager", None),
            ("e", "finance.manager", None),
            ("f", "finance.clerk", None),
            ("g", "service.agent", None),
            ("h", "customer", "end"),
        ],
        ["a -> b", "b -> c", "c -> d", "d -> e", "e -> f", "f -> g", "g -> h"],
    )
    kinds = {fid: h.kind for fid, h in g.handoffs.items()}
    assert kinds == {
        "a->b": HandoffKind.customer,
        "b->c": HandoffKind.none,
        "c->d": HandoffKind.vertical,
        "d->e": HandoffKind.horizontal,
        "e->f": HandoffKind.vertical,
        "f->g": HandoffKind.horizontal,
        "g->h": HandoffKind.customer,
    }
    assert g.handoffs["d->e"].cross_function and not g.handoffs["a->b"].cross_function
    assert g.handoffs["c->d"].source_level == 1 and g.handoffs["c->d"].target_level == 3


def test_diagonal_and_unowned():
    g = make(
        [("a", "sales.rep", "start"), ("b", "finance.manager", None), ("c", "", "end")],
        ["a -> b", "b -> c"],
    )
    assert g.handoff("a->b").kind == HandoffKind.diagonal
    assert g.handoff("b->c").kind == HandoffKind.unknown
    assert not g.handoff("b->c").is_handoff


def test_chain_of_command_and_common_superior():
    g = make([("a", "sales.rep", "start")], [])
    assert g.chain_of_command("sales.rep") == [
        "sales.rep",
        "sales.lead",
        "sales.manager",
        "board.ceo",
    ]
    assert g.common_superior("sales.rep", "finance.clerk") == "board.ceo"
    assert g.common_superior("sales.rep", "sales.lead") == "sales.lead"
    assert g.common_superior("sales.rep", "service.agent") is None  # service reports to no one


def test_main_path_takes_the_likely_branch_and_ignores_exceptions_and_loops():
    g = make(
        [
            ("s", "customer", "start"),
            ("d", "sales.rep", "decision"),
            ("ok", "sales.rep", None),
            ("ko", "finance.clerk", None),
            ("fix", "service.agent", None),
            ("e", "customer", "end"),
        ],
        [
            "s -> d",
            {"from": "d", "to": "ok", "probability": 0.8},
            {"from": "d", "to": "ko", "probability": 0.2},
            "ok -> e",
            "ko -> e",
            {"from": "ok", "to": "fix", "kind": "exception"},
            "fix -> e",
            {"from": "ko", "to": "d", "kind": "rework"},
        ],
    )
    assert g.main_path == ["s", "d", "ok", "e"]
    assert g.position_on_main_path("ok") == pytest.approx(2 / 3)
    assert g.position_on_main_path("fix") is None
    assert g.back_flows == {"ko->d"}


def test_main_path_follows_the_longest_parallel_branch():
    g = make(
        [
            ("s", "customer", "start"),
            ("split", "sales.rep", None),
            ("x", "sales.rep", None),
            ("y1", "finance.clerk", None),
            ("y2", "finance.clerk", None),
            ("join", "sales.rep", None),
            ("e", "customer", "end"),
        ],
        [
            "s -> split",
            "split -> x",
            "split -> y1",
            "y1 -> y2",
            "x -> join",
            "y2 -> join",
            "join -> e",
        ],
    )
    assert g.main_path == ["s", "split", "y1", "y2", "join", "e"]


def test_back_flows_find_every_loop_without_enumerating_paths():
    steps = [("s0", "customer", "start")] + [(f"s{i}", "sales.rep", None) for i in range(1, 400)]
    flows = [f"s{i} -> s{i + 1}" for i in range(399)]
    flows += [{"from": f"s{i}", "to": f"s{i - 5}", "kind": "rework"} for i in range(10, 400, 10)]
    g = make(steps, flows)
    assert len(g.back_flows) == 39
    assert len(g.main_path) == 400


def test_touchpoints_and_stages():
    g = make(
        [
            ("a", "customer", "start"),
            ("b", "sales.rep", None),
            ("c", "finance.clerk", None),
            {"id": "d", "owner": "service.agent", "touchpoint": True},
            {"id": "l", "owner": "finance.clerk", "touchpoint": False},
            ("e", "customer", "end"),
        ],
        ["a -> b", "b -> c", "c -> d", "d -> l", "l -> e"],
    )
    assert g.touchpoints == {"a", "b", "d", "e"}
    assert g.stage("sales") == "front" and g.stage("service") == "front"
    assert g.stage("finance") == "back"


def test_entries_without_start_kind():
    g = make([("a", "sales.rep", None), ("b", "sales.rep", None)], ["a -> b"])
    assert g.entries == ["a"] and g.ends == ["b"]


def test_steps_of_a_function_in_process_order():
    g = make(
        [
            ("a", "customer", "start"),
            ("b", "sales.rep", None),
            ("c", "finance.clerk", None),
            ("d", "sales.manager", None),
            ("e", "sales.intern", None),  # a role the organisation does not declare
            ("f", "salesforce.admin", None),
            ("h", "customer", "end"),
        ],
        ["a -> b", "b -> c", "c -> d", "d -> e", "e -> f", "f -> h"],
    )
    assert g.steps_of("sales") == ["b", "d", "e"]
    assert g.steps_of("finance") == ["c"]
    assert g.steps_of("service") == [] and g.steps_of("customer") == []
    g.steps_of("sales").clear()  # a copy: the caller may change it
    assert g.steps_of("sales") == ["b", "d", "e"]
